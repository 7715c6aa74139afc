-- Long rows (street × metric × period) for every period of $period_type: the what-if module re-ranks these.
-- Ranks are the city's (the mart ranks every street); a street user's scope keeps only their own rows,
-- with ``ranked_entities`` saying how many streets were ranked.
select street_code as entity_code, street_name as entity_name, {{ ranking_columns }}
from mart_street_ranking
where period_type = $period_type and {{ scope }}
order by period_start, composite_rank, street_code, metric_code
