-- Reporting periods: every month and every quarter from the first data day to the as-of day.
-- period_end is exclusive. A period is complete once the data reaches its last day.

with

clock as (

    select * from {{ ref('int_data_clock_computed') }}

),

months as (

    select
        'month' as period_type,
        cast(m as date) as period_start,
        cast(m + interval 1 month as date) as period_end,
        {{ format_datetime('m', '%Y-%m') }} as period_label

    from clock
        {{ join_series(
            "date_trunc('month', first_data_date)::timestamp",
            "date_trunc('month', as_of_date)::timestamp",
            'interval 1 month', 't', 'm'
        ) }}

),

quarters as (

    select
        'quarter' as period_type,
        cast(q as date) as period_start,
        cast(q + interval 3 month as date) as period_end,
        year(q) || 'Q' || quarter(q) as period_label

    from clock
        {{ join_series(
            "date_trunc('quarter', first_data_date)::timestamp",
            "date_trunc('quarter', as_of_date)::timestamp",
            'interval 3 month', 't', 'q'
        ) }}

),

unioned as (

    select * from months
    union all
    select * from quarters

),

final as (

    select
        u.period_type,
        u.period_start,
        u.period_end,
        u.period_label,
        lag(u.period_start) over (partition by u.period_type order by u.period_start) as previous_period_start,
        c.as_of_date >= u.period_end - 1 as is_complete_period,
        -- deadlines and events after the as-of time have not happened yet
        least(cast(u.period_end as timestamp), c.as_of_at + interval 1 minute) as effective_end_at

    from unioned as u
    cross join clock as c

)

select * from final
