select resolution_level, count(*) filter (where is_closed) as closed,
       median(minutes_report_to_close) / 60.0 as median_hours_to_close,
       quantile_cont(minutes_report_to_close, 0.9) / 60.0 as p90_hours_to_close,
       count(*) filter (where is_valid_visit and is_resolved) / nullif(count(*) filter (where is_valid_visit), 0)
           as resolution_rate
from fct_grid_events
where reported_at >= $start and reported_at < $end and (street_code = $street or $street is null) and {{ scope }}
group by 1
order by min(resolution_rank)
