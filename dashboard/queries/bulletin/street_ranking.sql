-- Long rows (street × metric × period) of $period_type up to $start: the ranking, the previous period and
-- the runs at the bottom. Ranks are the city's; last_rank (the city's last rank of each period, for "at the
-- bottom") is taken before a street user's scope keeps only their own street's rows.
with ranked as (
    select *, max(composite_rank) over (partition by period_start) as last_rank
    from mart_street_ranking
    where period_type = $period_type and period_start <= $start
)
select street_code as entity_code, street_name as entity_name, * exclude (street_code, street_name)
from ranked
where {{ scope }}
order by period_start, composite_rank, entity_code, metric_code
