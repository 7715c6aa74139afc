-- scope: none — the ranking compares every street of the city
select street_name, any_value(composite_score) as score, any_value(composite_rank) as rank,
       any_value(rank_change) as rank_change, any_value(period_label) as period
from mart_street_ranking
where period_type = 'month'
  and period_start = (select max(period_start) from mart_street_ranking where period_type = 'month')
group by street_name
order by rank
