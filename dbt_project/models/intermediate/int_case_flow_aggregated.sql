-- Additive case-flow counts per period and (street, community, handling department, 案件类别): the intake
-- cohort (cases reported in the period and how far they got) and the 应结案 / 应处置 counts of
-- cases due in the period (carry-over included). Marts roll these up and divide.

with

cases as (

    select * from {{ ref('int_platform_cases_scheduled') }}

),

due as (

    select * from {{ ref('int_platform_cases_due_by_period') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

cohort as (

    select
        p.period_type,
        p.period_start,
        c.street_code,
        c.community_code,
        c.handling_department_code,
        c.case_class,
        count(*) as reported_cases,
        count(*) filter (where c.is_accepted or c.is_filed) as accepted_cases,
        count(*) filter (where c.is_filed) as filed_cases,
        count(*) filter (where c.is_filed and c.is_dispatched) as dispatched_cases,
        count(*) filter (where c.is_cancelled) as cancelled_cases,
        0 as due_cases,
        0 as carried_over_cases,
        0 as closed_cases,
        0 as closed_on_time_cases,
        0 as reworked_cases,
        0 as rework_loops,
        0 as extended_cases,
        0 as disposal_due_cases,
        0 as disposed_on_time_cases,
        0 as ontime_due_cases,
        0 as ontime_disposal_due_cases

    from cases as c
    inner join periods as p
        on c.reported_at >= p.period_start and c.reported_at < p.period_end
    group by all

),

due_counts as (

    select
        period_type,
        period_start,
        street_code,
        community_code,
        handling_department_code,
        case_class,
        0 as reported_cases,
        0 as accepted_cases,
        0 as filed_cases,
        0 as dispatched_cases,
        0 as cancelled_cases,
        count(*) as due_cases,
        count(*) filter (where is_carry_over) as carried_over_cases,
        count(*) filter (where is_closed_by_period_end) as closed_cases,
        count(*) filter (where is_closed_on_time_by_period_end) as closed_on_time_cases,
        count(*) filter (where has_rework) as reworked_cases,
        sum(rework_count) as rework_loops,
        count(*) filter (where has_extension) as extended_cases,
        count(*) filter (where is_disposal_due) as disposal_due_cases,
        count(*) filter (where is_disposal_due and is_disposed_on_time_by_period_end) as disposed_on_time_cases,
        count(*) filter (where is_ontime_known) as ontime_due_cases,
        count(*) filter (where is_disposal_due and is_disposal_ontime_known) as ontime_disposal_due_cases

    from due
    group by all

),

unioned as (

    select * from cohort
    union all
    select * from due_counts

),

final as (

    select
        period_type,
        period_start,
        street_code,
        community_code,
        handling_department_code,
        case_class,
        sum(reported_cases)::bigint as reported_cases,
        sum(accepted_cases)::bigint as accepted_cases,
        sum(filed_cases)::bigint as filed_cases,
        sum(dispatched_cases)::bigint as dispatched_cases,
        sum(cancelled_cases)::bigint as cancelled_cases,
        sum(due_cases)::bigint as due_cases,
        sum(carried_over_cases)::bigint as carried_over_cases,
        sum(closed_cases)::bigint as closed_cases,
        sum(closed_on_time_cases)::bigint as closed_on_time_cases,
        sum(reworked_cases)::bigint as reworked_cases,
        sum(rework_loops)::bigint as rework_loops,
        sum(extended_cases)::bigint as extended_cases,
        sum(disposal_due_cases)::bigint as disposal_due_cases,
        sum(disposed_on_time_cases)::bigint as disposed_on_time_cases,
        sum(ontime_due_cases)::bigint as ontime_due_cases,
        sum(ontime_disposal_due_cases)::bigint as ontime_disposal_due_cases

    from unioned
    group by all

)

select * from final
