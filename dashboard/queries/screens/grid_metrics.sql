-- Per grid: the filtered cases' intake, backlog, overdue and the closed cases' on-time share (the rate's
-- base and hits are fct_platform_cases' flags).
with c as (
    select grid_code,
           count(*) as new_cases,
           count(*) filter (where is_open) as backlog,
           count(*) filter (where is_overdue) as overdue,
           count(*) filter (where is_ontime_closure_hit)
               / nullif(count(*) filter (where in_ontime_closure_base), 0) as ontime_rate
    from fct_platform_cases
    where {{ case_filter }}
    group by 1
)
select g.grid_code, g.grid_name, g.community_name, g.street_name, g.boundary_geojson, g.centroid_lon, g.centroid_lat,
       coalesce(c.new_cases, 0) as new_cases, coalesce(c.backlog, 0) as backlog,
       coalesce(c.overdue, 0) as overdue, c.ontime_rate
from dim_grids g left join c using (grid_code)
where ($street is null or g.street_code = $street)
  and ($scope::varchar[] is null or list_contains($scope::varchar[], g.street_code))
