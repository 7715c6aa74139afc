-- The map layer: one row per (unit grid, day) on which the grid had something to show — new
-- platform cases and grid events that day, and at the end of the day the open case backlog and the
-- open cases past their deadline. A day never has more rows than there are grids (946 in the demo
-- city), so a map page never ships more than that many points.

with

cases as (

    select * from {{ ref('int_platform_cases_scheduled') }}
    where grid_code is not null

),

events as (

    select * from {{ ref('int_grid_events_resolved') }}
    where grid_code is not null

),

grids as (

    select grid_code, grid_name, community_code, street_code, centroid_lon, centroid_lat
    from {{ ref('dim_grids') }}

),

clock as (

    select * from {{ ref('int_data_clock_computed') }}

),

-- +1 / −1 at day boundaries: a case is open at the end of every day from the day it was reported
-- up to the day before it closed (or was cancelled); overdue from its deadline's day likewise.
case_steps as (

    select grid_code, cast(reported_at as date) as step_day, 1 as new_cases, 1 as open_delta, 0 as overdue_delta
    from cases
    union all
    select grid_code, cast(coalesce(closed_at, cancelled_at) as date), 0, -1, 0
    from cases
    where coalesce(closed_at, cancelled_at) is not null
    union all
    select grid_code, cast(deadline_at as date), 0, 0, 1
    from cases
    where deadline_at is not null
        and coalesce(closed_at, cancelled_at, timestamp '9999-12-31') > deadline_at
        and cast(deadline_at as date) < cast(coalesce(closed_at, cancelled_at, timestamp '9999-12-31') as date)
    union all
    select grid_code, cast(coalesce(closed_at, cancelled_at) as date), 0, 0, -1
    from cases
    where deadline_at is not null
        and coalesce(closed_at, cancelled_at) is not null
        and cast(deadline_at as date) < cast(coalesce(closed_at, cancelled_at) as date)

),

event_steps as (

    select grid_code, cast(reported_at as date) as step_day, 1 as new_events, 1 as open_delta
    from events
    union all
    select grid_code, cast(coalesce(closed_at, reported_at) as date), 0, -1
    from events
    where not is_open

),

days as (

    select cast(d as date) as map_date
    from clock
    {{ join_series('first_data_date::timestamp', 'as_of_date::timestamp', 'interval 1 day', 't', 'd') }}

),

case_daily as (

    select
        grid_code, step_day, sum(new_cases) as new_cases, sum(open_delta) as open_delta,
        sum(overdue_delta) as overdue_delta
    from case_steps
    group by all

),

event_daily as (

    select grid_code, step_day, sum(new_events) as new_events, sum(open_delta) as open_delta
    from event_steps
    group by all

),

dense as (

    select
        g.grid_code,
        d.map_date,
        coalesce(c.new_cases, 0) as new_cases,
        coalesce(e.new_events, 0) as new_events,
        sum(coalesce(c.open_delta, 0)) over w as open_cases,
        sum(coalesce(c.overdue_delta, 0)) over w as overdue_cases,
        sum(coalesce(e.open_delta, 0)) over w as open_events

    from grids as g
    cross join days as d
    left join case_daily as c on c.grid_code = g.grid_code and c.step_day = d.map_date
    left join event_daily as e on e.grid_code = g.grid_code and e.step_day = d.map_date
    window w as (partition by g.grid_code order by d.map_date rows between unbounded preceding and current row)

),

final as (

    select
        d.map_date,
        d.grid_code,
        g.grid_name,
        g.community_code,
        g.street_code,
        g.centroid_lon,
        g.centroid_lat,
        d.new_cases::bigint as new_cases,
        d.new_events::bigint as new_events,
        d.open_cases::bigint as open_cases,
        d.overdue_cases::bigint as overdue_cases,
        d.open_events::bigint as open_events

    from dense as d
    inner join grids as g on d.grid_code = g.grid_code
    where d.new_cases > 0 or d.new_events > 0 or d.open_cases > 0 or d.overdue_cases > 0 or d.open_events > 0

)

select * from final
