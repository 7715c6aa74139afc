-- 应结案 per period, case grain, with the dimensions pages group by: one row per (case, period) in which
-- the case is due for closure (deadline in the period, or earlier and still open at its start: carry-over),
-- flagged for 结案 / 按期结案 / 按期处置 by the period end. Pages filter and count these; the rule is
-- int_platform_cases_due_by_period's.

with

due as (

    select * from {{ ref('int_platform_cases_due_by_period') }}

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
        d.has_extension

    from due as d
    inner join cases as c using (case_id)

)

select * from final
