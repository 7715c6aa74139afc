-- Response and disposal times of the platform cases each department handled, dispatched in the period.
select handling_department_code as department_code, any_value(handling_department_name) as department_name,
       count(*) as dispatched_cases,
       median(minutes_dispatch_to_dispose) / 60.0 as median_hours_to_dispose,
       quantile_cont(minutes_dispatch_to_dispose, 0.9) / 60.0 as p90_hours_to_dispose,
       count(*) filter (where is_disposed and is_disposed_on_time) / nullif(count(*) filter (where is_disposed), 0)
           as ontime_disposal_share,
       count(*) filter (where has_rework) / nullif(count(*), 0) as rework_share,
       count(*) filter (where is_overdue) as overdue_open
from fct_platform_cases
where dispatched_at >= $start and dispatched_at < $end and (street_code = $street or $street is null) and {{ scope }}
  and handling_department_code is not null
group by 1
