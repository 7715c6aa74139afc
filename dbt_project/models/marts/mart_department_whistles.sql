-- The grid events the streets escalated to each department (街道吹哨 / 部门报到), reported in a month or
-- quarter, per street and for the city: how many, how many closed, the hours to 受理 and to 办结, and the
-- 响应率 of their valid return visits. The departments page only reads a row.

with

events as (

    select * from {{ ref('fct_grid_events') }}
    where department_code is not null

),

periods as (

    select period_type, period_start, period_end from {{ ref('int_periods_enumerated') }}

),

counted as (

    select
        p.period_type,
        p.period_start,
        -- every event counts twice: for its street, and for the city (street_code null)
        case when scopes.is_by_street then e.street_code end as street_code,
        e.department_code,
        {{ any_non_null("e.department_name") }} as department_name,
        count(*) as whistled_events,
        count(*) filter (where e.is_closed) as closed_events,
        median(e.minutes_report_to_accept) / 60.0 as median_hours_to_accept,
        median(e.minutes_report_to_close) / 60.0 as median_hours_to_close,
        count(*) filter (where e.is_valid_visit) as visited_events,
        count(*) filter (where e.is_valid_visit and e.is_contacted) as contacted_visit_events

    from periods as p
    inner join events as e
        on e.reported_at >= p.period_start and e.reported_at < p.period_end
    cross join (values (true), (false)) as scopes (is_by_street)
    group by
        p.period_type,
        p.period_start,
        scopes.is_by_street,
        case when scopes.is_by_street then e.street_code end,
        e.department_code

),

final as (

    select
        *,
        {{ safe_ratio('contacted_visit_events', 'visited_events') }} as response_rate

    from counted

)

select * from final
