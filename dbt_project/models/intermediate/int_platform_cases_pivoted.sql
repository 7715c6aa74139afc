{{ config(
    materialized=daily_materialization(), unique_key='case_id',
    incremental_strategy='delete+insert', on_schema_change='fail'
) }}

-- One row per case that has workflow actions: the time of each stage, how often a case looped
-- (核查不通过 → 处置 again), was extended, rolled back or cancelled, who handled it, and where the
-- log contradicts itself (an action before the case was reported; stages out of order).

with

actions as (

    select * from {{ ref('int_workflow_actions_sequenced') }}
    where {{ only_changed_cases() }}

),

verification as (

    -- the first passing 核查 closes the disposal loop
    select case_id, min(action_at) as verified_at
    from actions
    where action = '核查通过'
    group by 1

),

handlers as (

    -- the department that handled the case: the one that sent the last disposal feedback, else the
    -- one the last 派遣 sent it to (备注 "派遣至<部门>", or the 操作部门 when it is not the dispatcher),
    -- else the last one that asked for an extension
    select
        case_id,
        {{ arg_max('department_name', 'action_seq') }} filter (where action = '处置反馈') as disposal_department_name,
        {% set dispatched_to -%}
            coalesce(
                nullif(regexp_extract(note, {{ regex_literal('派遣至\s*(\S+)') }}, 1), ''),
                case when not is_dispatcher_action then department_name end
            )
        {%- endset %}
        {{ arg_max(dispatched_to, 'action_seq') }} filter (where action = '派遣') as dispatched_department_name,
        {{ arg_max('department_name', 'action_seq') }} filter (
            where action = '延期申请' and not is_dispatcher_action
        ) as extension_department_name
    from actions
    group by 1

),

pivoted as (

    select
        a.case_id,

        ---------- stage times (first occurrence unless said otherwise)
        min(a.action_at) filter (where a.action = '上报') as logged_reported_at,
        min(a.action_at) filter (where a.action = '受理') as accepted_at,
        min(a.action_at) filter (where a.action = '立案') as filed_at,
        min(a.action_at) filter (where a.action = '派遣') as dispatched_at,
        max(a.action_at) filter (where a.action = '派遣') as last_dispatched_at,
        min(a.action_at) filter (where a.action = '处置反馈') as first_disposed_at,
        -- the disposal that passed 核查 (or the latest one while not yet verified)
        max(a.action_at) filter (
            where a.action = '处置反馈' and (v.verified_at is null or a.action_at <= v.verified_at)
        ) as disposed_at,
        min(v.verified_at) as verified_at,
        min(a.action_at) filter (where a.action = '结案') as closed_at,
        min(a.action_at) filter (where a.action = '作废') as cancelled_at,

        ---------- counts
        count(*) as action_count,
        count(*) filter (where a.action = '处置反馈') as disposal_count,
        count(*) filter (where a.action = '核查不通过') as rework_count,
        count(*) filter (where a.action = '延期申请') as extension_request_count,
        count(*) filter (where a.action = '延期批准') as extension_count,
        count(*) filter (where a.action = '回退') as rollback_count,
        count(*) filter (where a.action = '派遣') as dispatch_count,

        ---------- last action
        {{ arg_max('a.action', 'a.action_seq') }} as last_action,
        max(a.action_at) as last_action_at,
        {{ arg_max('a.action', 'a.action_seq') }} filter (where a.stage not in ('延期')) as last_stage_action,

        ---------- anomalies
        count(*) filter (where a.is_before_reported) as actions_before_reported

    from actions as a
    left join verification as v on a.case_id = v.case_id
    group by 1

),

final as (

    select
        p.*,
        h.disposal_department_name,
        coalesce(h.dispatched_department_name, h.extension_department_name) as assigned_department_name,
        -- stages logged out of order: a later stage earlier than the one before it
        coalesce(p.filed_at < p.accepted_at, false)
        or coalesce(p.dispatched_at < p.filed_at, false)
        or coalesce(p.first_disposed_at < p.dispatched_at, false)
        or coalesce(p.verified_at < p.disposed_at, false)
        or coalesce(p.closed_at < p.verified_at, false)
        or coalesce(p.closed_at < p.filed_at, false) as has_stage_out_of_order

    from pivoted as p
    left join handlers as h on p.case_id = h.case_id

)

select * from final
