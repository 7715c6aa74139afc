{{ config(
    materialized=daily_materialization(), unique_key='case_id',
    incremental_strategy='delete+insert', on_schema_change='fail',
    pre_hook="{{ delete_recomputed_cases(due_by_period_clock_bound_cases(ref('fct_platform_cases'))) }}"
) }}

-- 应结案 per period, case grain, with the dimensions pages group by: one row per (case, period) in which
-- the case is due for closure (deadline in the period, or earlier and still open at its start: carry-over),
-- flagged for 结案 / 按期结案 / 按期处置 by the period end. Pages filter and count these; the rule is
-- int_platform_cases_due_by_period's. Each published rate has a base flag (in_*_base: the rows it is
-- divided by) and a hit flag (is_*_hit: the rows counted over it), so a page's rate over any filtered set
-- is count(hit) / count(base) and no page chooses a denominator.

with

due as (

    select * from {{ ref('int_platform_cases_due_by_period') }}
    -- an increment: the changed cases and those the clock moves (open, or due after the base's as-of)
    where {{ only_changed_or_clock_bound_cases(due_by_period_clock_bound_cases(ref('fct_platform_cases'))) }}

),

cases as (

    select
        case_id, street_name, handling_department_name, source_channel, category_major, is_closed_on_time,
        is_disposed_on_time, reported_at
    from {{ ref('fct_platform_cases') }}

),

final as (

    select
        d.period_type,
        d.period_start,
        d.case_id,
        d.street_code,
        c.street_name,
        d.community_code,
        d.handling_department_code,
        c.handling_department_name,
        c.source_channel,
        c.category_major,
        c.reported_at,
        d.due_at,
        d.is_carry_over,
        d.is_closed_by_period_end,
        d.is_closed_on_time_by_period_end,
        d.is_disposal_due,
        d.is_disposal_due and d.is_disposed_on_time_by_period_end as is_disposed_on_time_by_period_end,
        d.is_ontime_known,
        d.is_disposal_due and d.is_disposal_ontime_known as is_disposal_ontime_known,
        d.has_rework,
        d.has_extension,
        -- rate flags: a page's rate counts the rows of one hit flag over the rows of one base flag
        true as in_due_base,
        coalesce(d.is_closed_by_period_end, false) as is_closure_hit,
        coalesce(d.is_ontime_known, false) as in_ontime_closure_base,
        coalesce(d.is_closed_on_time_by_period_end, false) as is_ontime_closure_hit,
        coalesce(d.is_disposal_due and d.is_disposal_ontime_known, false) as in_ontime_disposal_base,
        coalesce(d.is_disposal_due and d.is_disposed_on_time_by_period_end, false) as is_ontime_disposal_hit,
        coalesce(d.has_rework, false) as is_rework_hit,
        coalesce(d.has_extension, false) as is_extension_hit

    from due as d
    inner join cases as c using (case_id)

)

select * from final
