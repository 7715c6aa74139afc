-- scope: none — departments serve the whole city
select department_code as entity_code, department_name as entity_name, {{ ranking_columns }}
from mart_department_ranking
where period_type = $period_type
order by period_start, composite_rank, department_code, metric_code
