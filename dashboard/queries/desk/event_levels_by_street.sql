-- Resolution levels of the events closed in the period ($period_type / $start), per street: rows of
-- mart_grid_resolution_by_street (dbt owns the counts and the rates).
select street_name, closed_events, grid_level_events as grid_level, community_level_events as community_level,
       street_whistle_events as street_whistle, department_level_events as department_level,
       grid_self_resolution_rate, within_community_rate, whistle_rate
from mart_grid_resolution_by_street
where period_type = $period_type and period_start = $start and (street_code = $street or $street is null)
  and {{ scope }}
order by grid_self_resolution_rate desc nulls last
