-- scope: none — departments serve the whole city (a street's document says the ranking is the city's)
select department_code as entity_code, department_name as entity_name, * exclude (department_code, department_name),
       max(composite_rank) over (partition by period_start) as last_rank
from mart_department_ranking
where period_type = $period_type and period_start <= $start
order by period_start, composite_rank, department_code, metric_code
