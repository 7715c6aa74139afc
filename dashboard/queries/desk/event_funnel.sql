-- The grid events reported in the period at every step, the step conversions and the level rates, for the
-- city ($street null) or one street: one row of mart_grid_event_funnel (dbt owns every count and rate).
select reported_events as reported, accepted_events as accepted, closed_events as closed,
       visited_events as visited, cancelled_events as cancelled, open_events as still_open,
       grid_level_events as grid_level, community_level_events as community_level,
       street_whistle_events as street_whistle, department_level_events as department_level,
       accepted_of_reported, closed_of_accepted, visited_of_closed, closed_of_reported, visited_of_reported,
       grid_self_resolution_rate, within_community_rate, whistle_rate,
       median_hours_to_close, p90_hours_to_close
from mart_grid_event_funnel
where period_type = $period_type and period_start = $start and street_code is not distinct from $street
  and {{ scope }}
