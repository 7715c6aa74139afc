-- The 应结案-based rates (结案率, 按期结案率, 按期处置率, 返工率) of every month and quarter, per street and
-- for the city (street_code null): the desk's on-time trend only reads these rows. The counts and rates
-- are those of mart_case_flow_by_street (macros case_flow_counts / case_flow_rates), the city's summed
-- over the same streets.

with

flow as (

    select * from {{ ref('int_case_flow_aggregated') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

streets as (

    select street_code from {{ ref('dim_streets') }}

),

summed as (

    select
        p.period_type,
        p.period_start,
        p.period_label,
        p.is_complete_period,
        -- every street counts twice: on its own row, and in the city's (street_code null)
        case when scopes.is_by_street then s.street_code end as street_code,
        {{ case_flow_counts('f') }}

    from periods as p
    cross join streets as s
    cross join (values (true), (false)) as scopes (is_by_street)
    left join flow as f
        on f.period_type = p.period_type
            and f.period_start = p.period_start
            and f.street_code = s.street_code
    group by
        p.period_type,
        p.period_start,
        p.period_label,
        p.is_complete_period,
        scopes.is_by_street,
        case when scopes.is_by_street then s.street_code end

),

rated as (

    select
        *,
        {{ case_flow_rates() }}

    from summed

),

final as (

    select
        period_type,
        period_start,
        period_label,
        is_complete_period,
        street_code,
        due_cases,
        closed_cases,
        closed_on_time_cases,
        ontime_due_cases,
        disposed_on_time_cases,
        ontime_disposal_due_cases,
        reworked_cases,
        closure_rate,
        ontime_closure_rate,
        ontime_disposal_rate,
        rework_rate

    from rated

)

select * from final
