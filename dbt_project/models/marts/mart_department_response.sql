-- How each handling department responded to the platform cases dispatched to it in a month or quarter,
-- per street and for the city: dispatched cases, hours from 派遣 to 处置, the 按期处置 share of the
-- disposed cases, the rework share and the cases still open past their deadline. The departments page
-- only reads a row.

with

cases as (

    select * from {{ ref('fct_platform_cases') }}
    where handling_department_code is not null

),

periods as (

    select period_type, period_start, period_end from {{ ref('int_periods_enumerated') }}

),

counted as (

    select
        p.period_type,
        p.period_start,
        -- every case counts twice: for its street, and for the city (street_code null)
        case when scopes.is_by_street then c.street_code end as street_code,
        c.handling_department_code as department_code,
        {{ any_non_null("c.handling_department_name") }} as department_name,
        count(*) as dispatched_cases,
        median(c.minutes_dispatch_to_dispose) / 60.0 as median_hours_to_dispose,
        {{ quantile_continuous('c.minutes_dispatch_to_dispose', 0.9) }} / 60.0 as p90_hours_to_dispose,
        count(*) filter (where c.is_disposed) as disposed_cases,
        count(*) filter (where c.is_disposed and c.is_disposed_on_time) as disposed_on_time_cases,
        count(*) filter (where c.has_rework) as reworked_cases,
        count(*) filter (where c.is_overdue) as overdue_open_cases

    from periods as p
    inner join cases as c
        on c.dispatched_at >= p.period_start and c.dispatched_at < p.period_end
    cross join (values (true), (false)) as scopes (is_by_street)
    group by
        p.period_type,
        p.period_start,
        scopes.is_by_street,
        case when scopes.is_by_street then c.street_code end,
        c.handling_department_code

),

final as (

    select
        *,
        {{ safe_ratio('disposed_on_time_cases', 'disposed_cases') }} as ontime_disposal_share,
        {{ safe_ratio('reworked_cases', 'dispatched_cases') }} as rework_share

    from counted

)

select * from final
