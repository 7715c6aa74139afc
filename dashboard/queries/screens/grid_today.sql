-- Every grid with its intake, backlog and overdue cases on $day.
select g.grid_code, g.grid_name, g.community_name, g.street_code, g.street_name, g.boundary_geojson,
       g.centroid_lon, g.centroid_lat,
       coalesce(m.new_cases, 0) + coalesce(m.new_events, 0) as intake,
       coalesce(m.open_cases, 0) as backlog,
       coalesce(m.overdue_cases, 0) as overdue
from dim_grids g
left join mart_map_grid_daily m on m.grid_code = g.grid_code and m.map_date = $day
where ($street is null or g.street_code = $street)
  and ($scope::varchar[] is null or list_contains($scope::varchar[], g.street_code))
