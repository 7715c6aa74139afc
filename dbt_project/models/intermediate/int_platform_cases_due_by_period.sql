{{ config(
    materialized=daily_materialization(), unique_key='case_id',
    incremental_strategy='delete+insert', on_schema_change='fail',
    pre_hook="{{ delete_recomputed_cases(due_by_period_clock_bound_cases(ref('int_platform_cases_scheduled'))) }}"
) }}

-- 应结案: one row per (case, period) in which the case is due for closure — its deadline falls in the
-- period, or fell earlier and the case was still open when the period began (carry-over, 结转).
-- Cancelled (作废) cases are never due; a case without a deadline falls due when it closes (a request
-- from an export without a log: when it was made). On-time is known unless a profile says a city does
-- not judge requests without a deadline (no_deadline: unknown).
-- Only deadlines up to the as-of time count (a later deadline has not fallen due yet).

with

cases as (

    select * from {{ ref('int_platform_cases_scheduled') }}
    where due_at is not null
        -- an increment: the changed cases and those the clock moves (open, or due after the base's as-of)
        and {{ only_changed_or_clock_bound_cases(
            due_by_period_clock_bound_cases(ref('int_platform_cases_scheduled'))
        ) }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

clock as (

    select * from {{ ref('int_data_clock_computed') }}

),

expanded as (

    select
        p.period_type,
        p.period_start,
        p.period_end,
        c.case_id,
        c.street_code,
        c.community_code,
        c.handling_department_code,
        c.case_class,
        c.due_at,
        c.deadline_at,
        c.closed_at,
        -- without a workflow log (311) there is no disposal stage: disposal is the close
        coalesce(c.disposed_at, case when not c.has_workflow then c.closed_at end) as disposed_at,
        c.is_closed_on_time,
        c.is_disposed_on_time,
        c.has_rework,
        c.rework_count,
        c.has_extension,
        c.due_at < p.period_start as is_carry_over

    from cases as c
    cross join clock as k
    inner join periods as p
        on p.period_end > c.due_at
            and p.period_start <= greatest(c.due_at, coalesce(c.closed_at, k.as_of_at))
    where c.due_at <= k.as_of_at

),

final as (

    select
        period_type,
        period_start,
        case_id,
        street_code,
        community_code,
        handling_department_code,
        case_class,
        due_at,
        is_carry_over,
        -- closed by the end of the period
        coalesce(closed_at < period_end, false) as is_closed_by_period_end,
        coalesce(closed_at < period_end, false) and is_closed_on_time as is_closed_on_time_by_period_end,
        -- 应处置: a carried-over case already disposed before the period is no longer due for disposal
        not is_carry_over or disposed_at is null or disposed_at >= period_start as is_disposal_due,
        coalesce(disposed_at < period_end, false) and is_disposed_on_time as is_disposed_on_time_by_period_end,
        -- false for a request without a deadline from an export without a log: left out of 按期 rates
        is_closed_on_time is not null as is_ontime_known,
        is_disposed_on_time is not null as is_disposal_ontime_known,
        has_rework,
        rework_count,
        has_extension

    from expanded

)

select * from final
