-- Response and disposal times of the platform cases each department handled, dispatched in the period
-- ($period_type / $start), for the city ($street null) or one street: rows of mart_department_response.
select department_code, department_name, dispatched_cases, median_hours_to_dispose, p90_hours_to_dispose,
       ontime_disposal_share, rework_share, overdue_open_cases as overdue_open
from mart_department_response
where period_type = $period_type and period_start = $start and street_code is not distinct from $street
  and {{ scope }}
