-- 小事不出网格、难事不出社区: the level at which the grid events closed in a month or quarter were resolved,
-- per street, with the 网格自办率 / 难事不出社区率 / 吹哨率 of the closed events. The same counts as
-- mart_grid_resolution (by community and month), summed per street over months and quarters.

with

events as (

    select * from {{ ref('int_grid_events_aggregated') }}

),

periods as (

    select period_type, period_start from {{ ref('int_periods_enumerated') }}

),

communities as (

    -- the '未划分' community has no street: its events are counted under the '未划分' street, as in the city
    select
        community_code,
        coalesce(street_code, '{{ var("unassigned_code") }}') as street_code,
        coalesce(street_name, '{{ var("unassigned_name") }}') as street_name
    from {{ ref('dim_communities') }}

),

summed as (

    select
        p.period_type,
        p.period_start,
        c.street_code,
        {{ any_non_null("c.street_name") }} as street_name,
        coalesce(sum(e.closed_events), 0)::bigint as closed_events,
        coalesce(sum(e.grid_level_events), 0)::bigint as grid_level_events,
        coalesce(sum(e.community_level_events), 0)::bigint as community_level_events,
        coalesce(sum(e.street_whistle_events), 0)::bigint as street_whistle_events,
        coalesce(sum(e.department_level_events), 0)::bigint as department_level_events,
        coalesce(sum(e.whistled_events), 0)::bigint as whistled_events

    from periods as p
    cross join communities as c
    left join events as e
        on e.period_type = p.period_type
            and e.period_start = p.period_start
            and e.community_code = c.community_code
    group by p.period_type, p.period_start, c.street_code

),

final as (

    select
        *,
        {{ resolution_level_rates() }}

    from summed

)

select * from final
