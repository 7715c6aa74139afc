{{ config(
    materialized=daily_materialization(), unique_key='case_id',
    incremental_strategy='delete+insert', on_schema_change='fail'
) }}

-- The platform case lifecycle: one row per case with where it is, the time of each stage, its
-- deadline (from 立案, per 小类 and 紧急程度, in clock hours or working days on the work calendar,
-- extended by one more time limit per approved 延期), on-time flags for 处置 and 结案, rework / extension / cancellation,
-- the current status, and the timeline problems found in the log (flagged, never silently used).
-- A foreign service request (311 / Open311) has no workflow log: its status, close time and deadline
-- are the export's own (Due Date / expected_datetime). Without a deadline it is on time once closed and
-- never overdue while open (BRIEF §4) unless its profile says `no_deadline: unknown` (on-time null).
-- When the export's status says open (待受理 / 处置中) but a close time is present, the status wins: the
-- case is open, its close time is kept apart (export_closed_at) and flagged, and it counts in no closure
-- or on-time rate. A case whose division is blank or unknown lies in the '未划分' street / community
-- (code UNASSIGNED); a grid code the divisions do not know is kept as reported_grid_code, grid_code null.

with

cases as (

    select * from {{ ref('stg_platform__cases') }}
    -- an increment: the changed cases and the open ones, whose overdue state moves with the clock
    where {{ only_changed_or_clock_bound_cases(open_cases_in_base()) }}

),

pivoted as (

    select * from {{ ref('int_platform_cases_pivoted') }}
    where {{ only_changed_or_clock_bound_cases(open_cases_in_base()) }}

),

areas as (

    select * from {{ ref('int_divisions_flattened') }}

),

categories as (

    select * from {{ ref('case_categories') }}

),

deadlines as (

    select * from {{ ref('case_category_deadlines') }}

),

departments as (

    select * from {{ ref('departments') }}

),

clock as (

    select * from {{ ref('int_data_clock_computed') }}

),

located as (

    select
        c.*,
        {{ resolved_division_columns('c') }}

    from cases as c
    {{ division_joins('c') }}

),

categorized as (

    select
        l.*,
        k.category_code,
        k.default_department_code,
        dl.deadline_value,
        dl.deadline_unit

    from located as l
    left join categories as k
        on l.category_major = k.category_major
            and l.category_minor = k.category_minor
            and (l.problem_type is null or l.problem_type = k.problem_type)
    left join deadlines as dl
        on k.category_code = dl.category_code
            and l.urgency = dl.urgency

),

joined as (

    select
        c.*,
        p.case_id is not null as has_workflow,
        p.logged_reported_at,
        p.accepted_at,
        p.filed_at,
        p.dispatched_at,
        p.first_disposed_at,
        p.disposed_at,
        p.verified_at,
        -- the log's 结案, else the export's close time — unless the export's own status says the request is
        -- still open (the status wins); Open311 has none, so a closed request's last update
        coalesce(
            p.closed_at,
            case when c.export_status is distinct from '待受理' and c.export_status is distinct from '处置中'
                    then c.export_closed_at
            end,
            case when c.export_status = '已结案' then c.export_updated_at end
        ) as closed_at,
        coalesce(c.export_closed_at is not null and c.export_status in ('待受理', '处置中'), false)
            as has_close_time_while_open,
        coalesce(
            p.cancelled_at,
            case when c.export_status = '已作废' then coalesce(c.export_updated_at, c.export_closed_at, c.reported_at) end
        ) as cancelled_at,
        coalesce(p.action_count, 0) as action_count,
        coalesce(p.disposal_count, 0) as disposal_count,
        coalesce(p.rework_count, 0) as rework_count,
        coalesce(p.extension_request_count, 0) as extension_request_count,
        coalesce(p.extension_count, 0) as extension_count,
        coalesce(p.rollback_count, 0) as rollback_count,
        p.last_action,
        p.last_action_at,
        p.last_stage_action,
        coalesce(p.actions_before_reported, 0) as actions_before_reported,
        coalesce(p.has_stage_out_of_order, false) as has_stage_out_of_order,
        coalesce(
            hd.department_code, ad.department_code, xd.department_code, c.default_department_code,
            c.department_name  -- an agency the reference table does not know keeps its own name as code
        ) as handling_department_code,
        k.as_of_at

    from categorized as c
    left join pivoted as p on c.case_id = p.case_id
    left join departments as hd on p.disposal_department_name = hd.department_name
    left join departments as ad on p.assigned_department_name = ad.department_name
    left join departments as xd on c.department_name = xd.department_name
    cross join clock as k

),

scheduled as (

    select
        *,
        -- the clock starts when the case is filed (立案); a case never filed has no deadline
        -- the export's own deadline wins (311 Due Date, Open311 expected_datetime)
        coalesce(
            export_deadline_at, {{ add_work_time('filed_at', 'deadline_value', 'deadline_unit') }}
        ) as base_deadline_at,
        coalesce(
            export_deadline_at,
            {{ add_work_time('filed_at', 'deadline_value * (1 + extension_count)', 'deadline_unit') }}
        ) as deadline_at,
        case
            when export_deadline_at is not null then 'export'
            when filed_at is not null and deadline_value is not null then 'category_table'
        end as deadline_source,
        -- closed by its status even when the export gives no close time
        closed_at is not null or coalesce(export_status = '已结案', false) as is_closed_any

    from joined

),

final as (

    select
        ---------- ids
        s.case_id,
        s.category_code,
        s.device_id,
        s.street_code_resolved as street_code,
        s.community_code_resolved as community_code,
        s.grid_code_resolved as grid_code,
        s.grid_code as reported_grid_code,
        s.handling_department_code,
        coalesce(d.department_name, s.department_name) as handling_department_name,

        ---------- descriptors
        s.source_channel,
        s.problem_type,
        s.category_major,
        s.category_minor,
        s.case_class,
        s.urgency,
        s.street_name_resolved as street_name,
        s.community_name_resolved as community_name,
        s.is_grid_known,
        s.lon,
        s.lat,
        s.geo_quality,
        s.address,
        s.resolution,
        s.has_workflow,
        s.export_status,
        s.export_closed_at,
        s.has_close_time_while_open,
        s.no_deadline_rule,
        s.timezone,

        ---------- stage times
        s.reported_at,
        s.accepted_at,
        s.filed_at,
        s.dispatched_at,
        s.first_disposed_at,
        s.disposed_at,
        s.verified_at,
        s.closed_at,
        s.cancelled_at,
        s.last_action,
        s.last_action_at,

        ---------- deadline
        s.deadline_value,
        s.deadline_unit,
        s.base_deadline_at,
        s.deadline_at,
        s.deadline_source,
        -- when the case falls due for 应结案 / 应处置: its deadline; a case without one when it closes
        -- (a request from an export without a log or deadline falls due when it is made: 结案率 is then
        -- closed / requests made, carry-over included)
        case when s.cancelled_at is null then
                coalesce(s.deadline_at, case when s.has_workflow then s.closed_at else s.reported_at end)
        end as due_at,

        ---------- stage flags
        s.accepted_at is not null as is_accepted,
        s.filed_at is not null as is_filed,
        s.dispatched_at is not null as is_dispatched,
        s.disposed_at is not null as is_disposed,
        s.verified_at is not null as is_verified,
        s.is_closed_any as is_closed,
        s.cancelled_at is not null as is_cancelled,
        s.cancelled_at is null and not s.is_closed_any as is_open,
        -- a request from an export without a workflow log and without a deadline: on time once closed
        -- (BRIEF §4), unless its profile says the city does not judge such requests
        case
            when not s.has_workflow and s.deadline_at is null and s.no_deadline_rule = 'unknown' then null
            when s.cancelled_at is not null then false
            -- no disposal stage outside the workflow log: disposal is the close
            when coalesce(s.disposed_at, case when not s.has_workflow then s.closed_at end) is null then false
            when s.deadline_at is null then true
            else coalesce(s.disposed_at, s.closed_at) <= s.deadline_at
        end as is_disposed_on_time,
        case
            when not s.has_workflow and s.deadline_at is null and s.no_deadline_rule = 'unknown' then null
            when s.cancelled_at is not null then false
            when not s.is_closed_any then false
            -- closed without a deadline: on time, even when the export gives no close time
            when s.deadline_at is null then true
            else coalesce(s.closed_at <= s.deadline_at, false)
        end as is_closed_on_time,
        -- never overdue without a deadline
        coalesce(s.cancelled_at is null and not s.is_closed_any and s.deadline_at < s.as_of_at, false) as is_overdue,

        ---------- loops
        s.rework_count,
        s.rework_count > 0 as has_rework,
        s.extension_request_count,
        s.extension_count,
        s.extension_count > 0 as has_extension,
        s.rollback_count,
        s.disposal_count,
        s.action_count,

        ---------- current status
        case
            when s.cancelled_at is not null then '已作废'
            when s.is_closed_any then '已结案'
            when not s.has_workflow and s.export_status is not null then s.export_status
            when s.last_stage_action = '核查通过' then '待结案'
            when s.last_stage_action = '处置反馈' then '待核查'
            when s.last_stage_action = '核查不通过' then '返工处置中'
            when s.last_stage_action = '派遣' then '处置中'
            when s.last_stage_action = '立案' then '待派遣'
            when s.last_stage_action = '受理' then '待立案'
            when s.last_stage_action = '回退' then '已回退'
            else '待受理'
        end as current_status,

        ---------- stage durations in minutes (null where the log contradicts itself)
        case when s.accepted_at >= s.reported_at then {{ minutes_between('s.reported_at', 's.accepted_at') }} end
            as minutes_report_to_accept,
        case when s.filed_at >= s.accepted_at then {{ minutes_between('s.accepted_at', 's.filed_at') }} end
            as minutes_accept_to_file,
        case when s.dispatched_at >= s.filed_at then {{ minutes_between('s.filed_at', 's.dispatched_at') }} end
            as minutes_file_to_dispatch,
        case when s.disposed_at >= s.dispatched_at then {{ minutes_between('s.dispatched_at', 's.disposed_at') }} end
            as minutes_dispatch_to_dispose,
        case when s.verified_at >= s.disposed_at then {{ minutes_between('s.disposed_at', 's.verified_at') }} end
            as minutes_dispose_to_verify,
        case when s.closed_at >= s.verified_at then {{ minutes_between('s.verified_at', 's.closed_at') }} end
            as minutes_verify_to_close,
        case when s.closed_at >= s.reported_at then {{ minutes_between('s.reported_at', 's.closed_at') }} end
            as minutes_report_to_close,

        ---------- timeline problems
        coalesce(s.closed_at < s.reported_at, false) as is_closed_before_reported,
        s.actions_before_reported > 0 as has_action_before_reported,
        s.has_stage_out_of_order,
        nullif(concat_ws(
            '; ',
            case when s.closed_at < s.reported_at then '结案早于上报' end,
            case when s.actions_before_reported > 0 then s.actions_before_reported || ' 个环节早于上报' end,
            case when s.has_stage_out_of_order then '环节时间倒序' end,
            case when s.export_status = '已结案' and s.closed_at is null then '结案状态缺结案时间' end,
            case when s.has_close_time_while_open then '有结案时间但状态未结案' end,
            -- the Chinese case export relies on the log and the category table; a 311 export does not
            case when s.action_count = 0 and s.export_status is null then '无流转记录' end,
            case when s.category_code is null and s.export_status is null then '未知小类' end
        ), '') as timeline_issue

    from scheduled as s
    left join departments as d on s.handling_department_code = d.department_code

)

select * from final
