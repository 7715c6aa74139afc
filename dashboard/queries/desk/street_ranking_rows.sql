-- scope: none — the ranking compares every street of the city
-- Long rows (street × metric × period) for every period of $period_type: the what-if module re-ranks these.
select street_code as entity_code, street_name as entity_name, {{ ranking_columns }}
from mart_street_ranking
where period_type = $period_type
order by period_start, composite_rank, street_code, metric_code
