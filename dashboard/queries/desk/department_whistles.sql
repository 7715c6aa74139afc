-- Grid events the streets escalated (街道吹哨 / 部门报到) per department, reported in the period
-- ($period_type / $start), for the city ($street null) or one street: rows of mart_department_whistles.
select department_code, department_name, whistled_events, closed_events, median_hours_to_accept,
       median_hours_to_close, response_rate
from mart_department_whistles
where period_type = $period_type and period_start = $start and street_code is not distinct from $street
  and {{ scope }}
