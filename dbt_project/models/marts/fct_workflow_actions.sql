{{ config(
    materialized=daily_materialization(), unique_key='case_id',
    incremental_strategy='delete+insert', on_schema_change='fail'
) }}

with

actions as (

    select * from {{ ref('int_workflow_actions_sequenced') }}
    where {{ only_changed_cases() }}

),

cases as (

    select case_id, street_code, street_name, community_code, grid_code, category_code, urgency
    from {{ ref('int_platform_cases_scheduled') }}

),

final as (

    select
        a.action_id,
        a.case_id,
        a.action_seq,
        a.action,
        a.stage,
        a.action_at,
        cast(a.action_at as date) as action_date,
        a.department_code,
        a.department_name,
        a.department_type,
        a.is_dispatcher_action,
        a.rework_round,
        a.previous_action,
        a.minutes_since_previous,
        a.minutes_since_reported,
        a.is_before_reported,
        a.has_case,
        c.street_code,
        c.street_name,
        c.community_code,
        c.grid_code,
        c.category_code,
        c.urgency,
        a.note

    from actions as a
    left join cases as c on a.case_id = c.case_id

)

select * from final
