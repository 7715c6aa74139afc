-- Resolution levels of the events closed in the period, per street (mart_grid_resolution, by closed month).
select street_name,
       sum(closed_events) as closed_events,
       sum(grid_level_events) as grid_level,
       sum(community_level_events) as community_level,
       sum(street_whistle_events) as street_whistle,
       sum(department_level_events) as department_level,
       sum(grid_level_events) / nullif(sum(closed_events), 0) as grid_self_resolution_rate,
       (sum(grid_level_events) + sum(community_level_events)) / nullif(sum(closed_events), 0) as within_community_rate,
       sum(whistled_events) / nullif(sum(closed_events), 0) as whistle_rate
from mart_grid_resolution
where month_start >= $start and month_start < $end and (street_code = $street or $street is null) and {{ scope }}
group by street_name
order by grid_self_resolution_rate desc nulls last
