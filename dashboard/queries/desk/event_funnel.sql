-- The grid events reported in the period, at every step, by resolution level.
select count(*) as reported,
       count(*) filter (where accepted_at is not null or is_closed) as accepted,
       count(*) filter (where is_closed) as closed,
       count(*) filter (where is_valid_visit) as visited,
       count(*) filter (where is_cancelled) as cancelled,
       count(*) filter (where is_open) as still_open,
       count(*) filter (where is_closed and resolution_level = '网格自办') as grid_level,
       count(*) filter (where is_closed and resolution_level = '社区办理') as community_level,
       count(*) filter (where is_closed and resolution_level = '街道吹哨') as street_whistle,
       count(*) filter (where is_closed and resolution_level = '部门报到') as department_level,
       median(minutes_report_to_close) / 60.0 as median_hours_to_close,
       quantile_cont(minutes_report_to_close, 0.9) / 60.0 as p90_hours_to_close
from fct_grid_events
where reported_at >= $start and reported_at < $end and (street_code = $street or $street is null) and {{ scope }}
