-- The communities of one street ($street), ranked city-wide in the mart.
select r.community_code as entity_code, r.community_name as entity_name, {{ ranking_columns }}
from mart_community_ranking as r
inner join dim_communities as d using (community_code)
where r.period_type = $period_type and d.street_code = $street
  and ($scope::varchar[] is null or list_contains($scope::varchar[], d.street_code))
order by period_start, composite_rank, entity_code, metric_code
