-- Grid events the streets escalated (街道吹哨 / 部门报到) per department, reported in the period.
select department_code, any_value(department_name) as department_name,
       count(*) as whistled_events,
       count(*) filter (where is_closed) as closed_events,
       median(minutes_report_to_accept) / 60.0 as median_hours_to_accept,
       median(minutes_report_to_close) / 60.0 as median_hours_to_close,
       count(*) filter (where is_valid_visit and is_contacted) / nullif(count(*) filter (where is_valid_visit), 0)
           as response_rate
from fct_grid_events
where reported_at >= $start and reported_at < $end and (street_code = $street or $street is null) and {{ scope }}
  and department_code is not null
group by 1
