-- The latest month's street ranking. Ranks are the city's (the mart ranks every street); a street user's
-- scope keeps only their own street's row.
select street_name, any_value(composite_score) as score, any_value(composite_rank) as rank,
       any_value(rank_change) as rank_change, any_value(period_label) as period,
       any_value(ranked_entities) as ranked
from mart_street_ranking
where period_type = 'month'
  and period_start = (select max(period_start) from mart_street_ranking where period_type = 'month')
  and {{ scope }}
group by street_name
order by rank
