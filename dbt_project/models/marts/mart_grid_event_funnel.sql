-- The grid-event funnel of a period (上报 → 受理 → 办结 → 回访) and where the closed events were resolved
-- (小事不出网格、难事不出社区): the events reported in each month and quarter, per street and for the city,
-- with every step conversion and level rate the desk shows. The page only reads a row.

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
        case when levels.is_by_street then e.street_code end as street_code,
        {{ any_non_null("case when levels.is_by_street then e.street_name end") }} as street_name,
        count(*) as reported_events,
        count(*) filter (where e.accepted_at is not null or e.is_closed) as accepted_events,
        count(*) filter (where e.is_closed) as closed_events,
        count(*) filter (where e.is_valid_visit) as visited_events,
        count(*) filter (where e.is_cancelled) as cancelled_events,
        count(*) filter (where e.is_open) as open_events,
        count(*) filter (where e.is_closed and e.resolution_rank = 1) as grid_level_events,
        count(*) filter (where e.is_closed and e.resolution_rank = 2) as community_level_events,
        count(*) filter (where e.is_closed and e.resolution_rank = 3) as street_whistle_events,
        count(*) filter (where e.is_closed and e.resolution_rank = 4) as department_level_events,
        count(*) filter (where e.is_closed and e.is_whistled) as whistled_events,
        median(e.minutes_report_to_close) / 60.0 as median_hours_to_close,
        {{ quantile_continuous('e.minutes_report_to_close', 0.9) }} / 60.0 as p90_hours_to_close

    from periods as p
    inner join events as e
        on e.reported_at >= p.period_start and e.reported_at < p.period_end
    cross join (values (true), (false)) as levels (is_by_street)
    group by
        p.period_type,
        p.period_start,
        levels.is_by_street,
        case when levels.is_by_street then e.street_code end

),

final as (

    select
        *,
        {{ safe_ratio('accepted_events', 'reported_events') }} as accepted_of_reported,
        {{ safe_ratio('closed_events', 'accepted_events') }} as closed_of_accepted,
        {{ safe_ratio('closed_events', 'reported_events') }} as closed_of_reported,
        {{ safe_ratio('visited_events', 'closed_events') }} as visited_of_closed,
        {{ safe_ratio('visited_events', 'reported_events') }} as visited_of_reported,
        {{ resolution_level_rates() }}

    from counted

)

select * from final
