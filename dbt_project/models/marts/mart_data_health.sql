-- Data health per lake table (source/entity): rows in the lake, the latest business time of a
-- record and its lag behind the data clock and the build, files loaded or rejected (manifest), and
-- rows quarantined by reason, and rows kept but flagged (timeline contradictions, missing or impossible
-- coordinates: never silently used). Tables known only from the manifest (a user's own profile) and files
-- no profile recognised ('(unrecognised)') get a row too.

with

manifest as (

    select * from {{ ref('stg_lake__manifest') }}

),

quarantine as (

    select * from {{ ref('stg_lake__quarantine') }}

),

clock as (

    select * from {{ ref('int_data_clock_computed') }}

),

{# (lake table, label, staging model, business-time expression or none for registers, what it measures) #}
{% set tables = [
    ('divisions/areas', '网格系统区划边界', 'stg_divisions__areas', none, none),
    ('grid/events', '网格事件', 'stg_grid__events', 'reported_at', '上报时间'),
    ('platform/cases', '城运平台案卷', 'stg_platform__cases', 'reported_at', '上报时间'),
    ('platform/workflow', '城运平台流转日志', 'stg_platform__workflow_actions', 'action_at', '操作时间'),
    ('platform/devices', '城运平台设备台账', 'stg_platform__devices', none, none),
    ('party/units', '双报到单位名册', 'stg_party__units', none, none),
    ('party/members', '双报到党员名单', 'stg_party__members', 'reported_on', '报到日期'),
    ('party/activities', '双报到服务活动', 'stg_party__activities', 'activity_date', '活动日期'),
    ('property/assessments', '物业服务考评', 'stg_property__assessments',
        "quarter_start + interval 3 month - interval 1 day", '考评期次末日'),
] %}

lake_tables as (

    {% for table, label, model, latest, basis in tables %}
    select
        '{{ table }}' as lake_table,
        '{{ label }}' as table_label,
        count(*) as lake_rows,
        {% if latest %}max({{ latest }})::timestamp{% else %}null::timestamp{% endif %} as latest_record_at,
        {% if basis %}'{{ basis }}'{% else %}null::string{% endif %} as record_time_basis,
        max(loaded_at) as latest_loaded_at
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

files as (

    select
        coalesce(lake_table, '(unrecognised)') as lake_table,
        count(*) filter (where load_status = 'loaded') as files_loaded,
        count(*) filter (where load_status = 'rejected') as files_rejected,
        coalesce(sum(rows_read), 0) as rows_read,
        coalesce(sum(rows_accepted), 0) as rows_accepted,
        coalesce(sum(rows_quarantined), 0) as rows_quarantined,
        coalesce(sum(rows_duplicate), 0) as rows_duplicate,
        coalesce(sum(rows_updated), 0) as rows_updated,
        max(loaded_at) as last_load_at,
        {{ arg_max('file_path', 'loaded_at') }} filter (where load_status = 'rejected') as last_rejected_file,
        {{ arg_max('reject_reason', 'loaded_at') }} filter (where load_status = 'rejected') as last_reject_reason

    from manifest
    group by 1

),

row_flags as (

    -- what is wrong with each kept platform case / service request and grid event, by rule (a row may break
    -- several rules)
    select
        'platform/cases' as lake_table,
        {{ list_without_nulls(list_of([
            "case when is_closed_before_reported then '结案早于上报' end",
            "case when has_action_before_reported then '环节早于上报' end",
            "case when has_stage_out_of_order then '环节时间倒序' end",
            "case when export_status = '已结案' and closed_at is null then '结案状态缺结案时间' end",
            "case when has_close_time_while_open then '有结案时间但状态未结案' end",
            "case geo_quality when 'missing' then '缺坐标' when 'invalid' then '坐标无效' end",
        ])) }} as flags
    from {{ ref('int_platform_cases_scheduled') }}

    union all

    select
        'grid/events',
        {{ list_without_nulls(list_of(["case geo_quality when 'missing' then '缺坐标' when 'invalid' then '坐标无效' end"])) }}
    from {{ ref('stg_grid__events') }}

),

flag_counts as (

    select lake_table, flag, count(*) as flag_count
    from (select lake_table, {{ unnest_list('flags') }} as flag from row_flags) as f
    group by all

),

flag_summaries as (

    select
        c.lake_table,
        {{ ordered_string_agg("c.flag || ' ' || c.flag_count", "'; '", 'c.flag_count desc, c.flag') }} as flag_summary
    from flag_counts as c
    group by 1

),

flagged as (

    select
        r.lake_table,
        count(*) filter (where {{ list_length('r.flags') }} > 0) as flagged_rows,
        coalesce(sum({{ list_length('r.flags') }}), 0) as flags,
        -- one summary per lake table (Spark allows no correlated subquery beside a group by)
        max(s.flag_summary) as flag_summary
    from row_flags as r
    left join flag_summaries as s on r.lake_table = s.lake_table
    group by 1
    having count(*) filter (where {{ list_length('r.flags') }} > 0) > 0

),

reasons as (

    select lake_table, quarantine_reason, count(*) as quarantined_rows
    from quarantine
    group by all

),

quarantined as (

    select
        lake_table,
        sum(quarantined_rows) as quarantined_rows,
        {{ ordered_map_agg('quarantine_reason', 'quarantined_rows', 'quarantined_rows desc, quarantine_reason') }}
            as quarantine_by_reason,
        {{ ordered_string_agg(
            "quarantine_reason || ' ' || quarantined_rows", "'; '", 'quarantined_rows desc, quarantine_reason'
        ) }} as quarantine_summary,
        {{ arg_max('quarantine_reason', 'quarantined_rows') }} as top_quarantine_reason

    from reasons
    group by 1

),

all_tables as (

    select lake_table from lake_tables
    union
    select lake_table from files
    union
    select lake_table from quarantined

),

final as (

    select
        a.lake_table,
        split_part(a.lake_table, '/', 1) as source_name,
        split_part(a.lake_table, '/', 2) as entity_name,
        coalesce(t.table_label, a.lake_table) as table_label,
        coalesce(t.lake_rows, 0) as lake_rows,
        t.latest_record_at,
        t.record_time_basis,
        t.latest_loaded_at,
        k.as_of_at as data_clock_at,
        {{ round_shown(minutes_between('t.latest_record_at', 'k.as_of_at') ~ ' / 60.0', 1) }}
            as lag_hours_to_data_clock,
        {{ days_between('t.latest_record_at', now_in_zone('Asia/Shanghai')) }}
            as lag_days_to_build,
        coalesce(f.files_loaded, 0) as files_loaded,
        coalesce(f.files_rejected, 0) as files_rejected,
        coalesce(f.rows_read, 0) as rows_read,
        coalesce(f.rows_accepted, 0) as rows_accepted,
        coalesce(f.rows_quarantined, 0) as rows_quarantined_in_manifest,
        coalesce(f.rows_duplicate, 0) as rows_duplicate,
        coalesce(f.rows_updated, 0) as rows_updated,
        f.last_load_at,
        f.last_rejected_file,
        f.last_reject_reason,
        coalesce(q.quarantined_rows, 0) as quarantined_rows,
        q.quarantine_by_reason,
        q.quarantine_summary,
        q.top_quarantine_reason,
        coalesce(fl.flagged_rows, 0) as flagged_rows,
        coalesce(fl.flags, 0) as flags,
        fl.flag_summary

    from all_tables as a
    cross join clock as k
    left join lake_tables as t on a.lake_table = t.lake_table
    left join files as f on a.lake_table = f.lake_table
    left join quarantined as q on a.lake_table = q.lake_table
    left join flagged as fl on a.lake_table = fl.lake_table

)

select * from final
