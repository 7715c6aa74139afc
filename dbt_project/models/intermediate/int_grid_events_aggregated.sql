-- Additive grid-event counts per period and (street, community, department): intake (by report
-- time), resolution level of the events closed in the period (by close time) and return visits
-- (三率, by visit time).

with

events as (

    select * from {{ ref('int_grid_events_resolved') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

reported as (

    select
        p.period_type, p.period_start, e.street_code, e.community_code, e.department_code,
        count(*) as reported_events,
        count(*) filter (where e.is_cancelled) as cancelled_events,
        0 as closed_events, 0 as grid_level_events, 0 as community_level_events,
        0 as street_whistle_events, 0 as department_level_events, 0 as whistled_events,
        0 as valid_visits, 0 as contacted_visits, 0 as resolved_visits,
        0 as satisfied_visits, 0 as basically_satisfied_visits, 0 as dissatisfied_visits,
        0 as unrated_visits, 0.0 as satisfaction_points
    from events as e
    inner join periods as p on e.reported_at >= p.period_start and e.reported_at < p.period_end
    group by all

),

closed as (

    select
        p.period_type, p.period_start, e.street_code, e.community_code, e.department_code,
        0 as reported_events, 0 as cancelled_events,
        count(*) as closed_events,
        count(*) filter (where e.resolution_level = '网格自办') as grid_level_events,
        count(*) filter (where e.resolution_level = '社区办理') as community_level_events,
        count(*) filter (where e.resolution_level = '街道吹哨') as street_whistle_events,
        count(*) filter (where e.resolution_level = '部门报到') as department_level_events,
        count(*) filter (where e.is_whistled) as whistled_events,
        0 as valid_visits, 0 as contacted_visits, 0 as resolved_visits,
        0 as satisfied_visits, 0 as basically_satisfied_visits, 0 as dissatisfied_visits,
        0 as unrated_visits, 0.0 as satisfaction_points
    from events as e
    inner join periods as p on e.closed_at >= p.period_start and e.closed_at < p.period_end
    where e.is_closed
    group by all

),

visited as (

    select
        p.period_type, p.period_start, e.street_code, e.community_code, e.department_code,
        0 as reported_events, 0 as cancelled_events,
        0 as closed_events, 0 as grid_level_events, 0 as community_level_events,
        0 as street_whistle_events, 0 as department_level_events, 0 as whistled_events,
        count(*) as valid_visits,
        count(*) filter (where e.is_contacted) as contacted_visits,
        count(*) filter (where e.is_resolved) as resolved_visits,
        count(*) filter (where e.satisfaction = '满意') as satisfied_visits,
        count(*) filter (where e.satisfaction = '基本满意') as basically_satisfied_visits,
        count(*) filter (where e.satisfaction = '不满意') as dissatisfied_visits,
        count(*) filter (where coalesce(e.satisfaction, '未评价') = '未评价') as unrated_visits,
        sum(e.satisfaction_points) as satisfaction_points
    from events as e
    inner join periods as p on e.visited_at >= p.period_start and e.visited_at < p.period_end
    where e.is_valid_visit
    group by all

),

unioned as (

    select * from reported
    union all
    select * from closed
    union all
    select * from visited

),

final as (

    select
        period_type,
        period_start,
        street_code,
        community_code,
        department_code,
        sum(reported_events)::bigint as reported_events,
        sum(cancelled_events)::bigint as cancelled_events,
        sum(closed_events)::bigint as closed_events,
        sum(grid_level_events)::bigint as grid_level_events,
        sum(community_level_events)::bigint as community_level_events,
        sum(street_whistle_events)::bigint as street_whistle_events,
        sum(department_level_events)::bigint as department_level_events,
        sum(whistled_events)::bigint as whistled_events,
        sum(valid_visits)::bigint as valid_visits,
        sum(contacted_visits)::bigint as contacted_visits,
        sum(resolved_visits)::bigint as resolved_visits,
        sum(satisfied_visits)::bigint as satisfied_visits,
        sum(basically_satisfied_visits)::bigint as basically_satisfied_visits,
        sum(dissatisfied_visits)::bigint as dissatisfied_visits,
        sum(unrated_visits)::bigint as unrated_visits,
        sum(satisfaction_points)::double as satisfaction_points

    from unioned
    group by all

)

select * from final
