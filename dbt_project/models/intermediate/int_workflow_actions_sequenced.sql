{{ config(
    materialized=daily_materialization(), unique_key='case_id',
    incremental_strategy='delete+insert', on_schema_change='fail'
) }}

-- One row per workflow action, in the order it happened within its case, with the stage it belongs
-- to, the rework round it falls in, the time since the previous action and since the case was
-- reported, and flags for actions that cannot be right (before the case was reported).

with

actions as (

    select * from {{ ref('stg_platform__workflow_actions') }}
    where {{ only_changed_cases() }}

),

cases as (

    select case_id, reported_at from {{ ref('stg_platform__cases') }}

),

departments as (

    select * from {{ ref('departments') }}

),

staged as (

    select
        a.action_id,
        a.case_id,
        a.action,
        case a.action
            when '上报' then '上报'
            when '受理' then '受理'
            when '立案' then '立案'
            when '派遣' then '派遣'
            when '处置反馈' then '处置'
            when '核查通过' then '核查'
            when '核查不通过' then '核查'
            when '结案' then '结案'
            when '作废' then '作废'
            when '延期申请' then '延期'
            when '延期批准' then '延期'
            when '回退' then '回退'
        end as stage,
        -- order of actions logged in the same minute
        case a.action
            when '上报' then 1 when '受理' then 2 when '立案' then 3 when '派遣' then 4
            when '延期申请' then 5 when '延期批准' then 6 when '处置反馈' then 7
            when '核查不通过' then 8 when '回退' then 9 when '核查通过' then 10
            when '结案' then 11 when '作废' then 12 else 13
        end as action_rank,
        a.action_at,
        a.department_name,
        d.department_code,
        d.department_type,
        a.note,
        c.reported_at,
        c.case_id is not null as has_case

    from actions as a
    left join cases as c on a.case_id = c.case_id
    left join departments as d on a.department_name = d.department_name

),

sequenced as (

    select
        *,
        row_number() over case_order as action_seq,
        coalesce(
            sum(case when action = '核查不通过' then 1 else 0 end) over (
                partition by case_id order by action_at, action_rank
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as rework_round,
        lag(action) over case_order as previous_action,
        lag(action_at) over case_order as previous_action_at

    from staged
    window case_order as (partition by case_id order by action_at, action_rank)

),

final as (

    select
        action_id,
        case_id,
        action_seq,
        action,
        stage,
        action_at,
        department_code,
        department_name,
        department_type,
        coalesce(department_type = '指挥协调', false) as is_dispatcher_action,
        rework_round,
        previous_action,
        previous_action_at,
        {{ minutes_between('previous_action_at', 'action_at') }} as minutes_since_previous,
        reported_at as case_reported_at,
        {{ minutes_between('reported_at', 'action_at') }} as minutes_since_reported,
        coalesce(action_at < reported_at, false) as is_before_reported,
        has_case,
        note

    from sequenced

)

select * from final
