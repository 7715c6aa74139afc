-- The 50 newest cases of one grid; total = all of the grid's cases (the list says "showing 50 of total").
select case_id, reported_at, source_channel, category_minor, urgency, current_status, is_overdue,
       handling_department_name, count(*) over () as total
from fct_platform_cases
where grid_code = $grid and {{ scope }}
order by reported_at desc
limit 50
