{{ config(
    materialized=daily_materialization(), unique_key='case_id',
    incremental_strategy='delete+insert', on_schema_change='fail'
) }}

with

cases as (

    select * from {{ ref('int_platform_cases_scheduled') }}
    -- an increment: the changed cases and the open ones, whose overdue state moves with the clock
    where {{ only_changed_or_clock_bound_cases(open_cases_in_base()) }}

),

final as (

    select
        case_id,
        cast(reported_at as date) as reported_date,
        date_trunc('month', reported_at)::date as reported_month,
        source_channel,
        problem_type,
        category_code,
        category_major,
        category_minor,
        case_class,
        urgency,
        device_id,
        street_code,
        street_name,
        community_code,
        community_name,
        grid_code,
        reported_grid_code,
        lon,
        lat,
        geo_quality,
        address,
        resolution,
        handling_department_code,
        handling_department_name,
        current_status,
        export_status,
        has_workflow,
        no_deadline_rule,
        timezone,
        reported_at,
        {{ local_to_utc('reported_at', 'timezone') }} as reported_at_utc,
        accepted_at,
        filed_at,
        dispatched_at,
        disposed_at,
        verified_at,
        closed_at,
        export_closed_at,
        has_close_time_while_open,
        cancelled_at,
        deadline_value,
        deadline_unit,
        base_deadline_at,
        deadline_at,
        deadline_source,
        due_at,
        is_accepted,
        is_filed,
        is_dispatched,
        is_disposed,
        is_verified,
        is_closed,
        is_cancelled,
        is_open,
        is_overdue,
        is_disposed_on_time,
        is_closed_on_time,
        -- rate flags, so a page's rate over any filtered set is count(hit) / count(base): the closed
        -- cases' 按期结案 share, and every case as the base of a share of the cases reported
        coalesce(is_closed and is_closed_on_time is not null, false) as in_ontime_closure_base,
        coalesce(is_closed and is_closed_on_time, false) as is_ontime_closure_hit,
        true as in_reported_base,
        rework_count,
        has_rework,
        extension_count,
        has_extension,
        rollback_count,
        coalesce(rollback_count > 0, false) as has_rollback,
        action_count,
        minutes_report_to_accept,
        minutes_accept_to_file,
        minutes_file_to_dispatch,
        minutes_dispatch_to_dispose,
        minutes_dispose_to_verify,
        minutes_verify_to_close,
        minutes_report_to_close,
        is_closed_before_reported,
        has_action_before_reported,
        has_stage_out_of_order,
        timeline_issue

    from cases

)

select * from final
