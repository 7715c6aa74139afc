-- The events reported in the period by resolution level, for the city ($street null) or one street: how
-- many closed, hours to close and 解决率 — rows of mart_grid_event_levels (dbt owns every count and rate).
select resolution_level, closed_events as closed, median_hours_to_close, p90_hours_to_close, resolution_rate
from mart_grid_event_levels
where period_type = $period_type and period_start = $start and street_code is not distinct from $street
  and {{ scope }}
order by resolution_rank nulls last
