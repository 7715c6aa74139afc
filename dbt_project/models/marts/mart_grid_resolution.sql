-- 小事不出网格、难事不出社区、大事不出街道: the level at which the grid events closed in a month were
-- resolved, per community.

with

events as (

    select * from {{ ref('int_grid_events_aggregated') }}
    where period_type = 'month'

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}
    where period_type = 'month'

),

communities as (

    select community_code, community_name, street_code, street_name from {{ ref('dim_communities') }}

),

summed as (

    select
        p.period_start as month_start,
        p.period_label as month_label,
        p.is_complete_period,
        c.street_code,
        c.street_name,
        c.community_code,
        c.community_name,
        coalesce(sum(e.reported_events), 0)::bigint as reported_events,
        coalesce(sum(e.closed_events), 0)::bigint as closed_events,
        coalesce(sum(e.grid_level_events), 0)::bigint as grid_level_events,
        coalesce(sum(e.community_level_events), 0)::bigint as community_level_events,
        coalesce(sum(e.street_whistle_events), 0)::bigint as street_whistle_events,
        coalesce(sum(e.department_level_events), 0)::bigint as department_level_events,
        coalesce(sum(e.whistled_events), 0)::bigint as whistled_events

    from periods as p
    cross join communities as c
    left join events as e on e.period_start = p.period_start and e.community_code = c.community_code
    group by all

),

final as (

    select
        *,
        {{ resolution_level_rates() }}

    from summed

)

select * from final
