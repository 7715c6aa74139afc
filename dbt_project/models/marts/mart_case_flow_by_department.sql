with

flow as (

    select * from {{ ref('int_case_flow_aggregated') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

departments as (

    select department_code, department_name, department_type
    from {{ ref('dim_departments') }}
    where not is_dispatcher

),

summed as (

    select
        p.period_type,
        p.period_start,
        p.period_label,
        p.is_complete_period,
        d.department_code,
        d.department_name,
        d.department_type,
        {{ case_flow_counts('f') }}

    from periods as p
    cross join departments as d
    left join flow as f
        on f.period_type = p.period_type
            and f.period_start = p.period_start
            and f.handling_department_code = d.department_code
    group by all

),

final as (

    select
        *,
        {{ case_flow_rates() }}

    from summed

)

select * from final
