with

flow as (

    select * from {{ ref('int_case_flow_aggregated') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

streets as (

    select street_code, street_name from {{ ref('dim_streets') }}

),

summed as (

    select
        p.period_type,
        p.period_start,
        p.period_label,
        p.is_complete_period,
        s.street_code,
        s.street_name,
        {{ case_flow_counts('f') }}

    from periods as p
    cross join streets as s
    left join flow as f
        on f.period_type = p.period_type
            and f.period_start = p.period_start
            and f.street_code = s.street_code
    group by all

),

final as (

    select
        *,
        {{ case_flow_rates() }}

    from summed

)

select * from final
