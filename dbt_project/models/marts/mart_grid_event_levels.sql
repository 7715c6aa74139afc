-- The grid events reported in each month and quarter by resolution level (网格自办 … 部门报到; null: not
-- yet resolved), per street and for the city: how many closed, how long they took, and the return visits'
-- 解决率 (resolved of the valid visits). The funnel page's level table only reads these rows.

with

events as (

    select * from {{ ref('fct_grid_events') }}

),

periods as (

    select period_type, period_start, period_end from {{ ref('int_periods_enumerated') }}

),

counted as (

    select
        p.period_type,
        p.period_start,
        -- every event counts twice: for its street, and for the city (street_code and street_name null)
        case when scopes.is_by_street then e.street_code end as street_code,
        {{ any_non_null("case when scopes.is_by_street then e.street_name end") }} as street_name,
        e.resolution_level,
        min(e.resolution_rank) as resolution_rank,
        count(*) as reported_events,
        count(*) filter (where e.is_closed) as closed_events,
        count(*) filter (where e.is_valid_visit) as visited_events,
        count(*) filter (where e.is_valid_visit and e.is_resolved) as resolved_visit_events,
        median(e.minutes_report_to_close) / 60.0 as median_hours_to_close,
        {{ quantile_continuous('e.minutes_report_to_close', 0.9) }} / 60.0 as p90_hours_to_close

    from periods as p
    inner join events as e
        on e.reported_at >= p.period_start and e.reported_at < p.period_end
    cross join (values (true), (false)) as scopes (is_by_street)
    group by
        p.period_type,
        p.period_start,
        scopes.is_by_street,
        case when scopes.is_by_street then e.street_code end,
        e.resolution_level

),

final as (

    select
        *,
        {{ safe_ratio('resolved_visit_events', 'visited_events') }} as resolution_rate

    from counted

)

select * from final
