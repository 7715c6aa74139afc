-- The grid-event lifecycle: one row per event with where it is, the level it was resolved at
-- (网格自办 / 社区办理 / 街道吹哨 / 部门报到 — 小事不出网格、难事不出社区、大事不出街道), stage
-- durations, the return visit (三率) and timeline problems. A blank or unknown street / community is the
-- '未划分' member; a grid code the divisions do not know is kept as reported_grid_code (grid_code null).

with

events as (

    select * from {{ ref('stg_grid__events') }}

),

areas as (

    select * from {{ ref('int_divisions_flattened') }}

),

departments as (

    select * from {{ ref('departments') }}

),

located as (

    select
        e.*,
        {{ resolved_division_columns('e') }}

    from events as e
    {{ division_joins('e') }}

),

final as (

    select
        ---------- ids
        l.event_id,
        l.street_code_resolved as street_code,
        l.community_code_resolved as community_code,
        l.grid_code_resolved as grid_code,
        l.grid_code as reported_grid_code,
        d.department_code,

        ---------- descriptors
        l.channel,
        l.category_major,
        l.category_minor,
        l.urgency,
        l.street_name_resolved as street_name,
        l.community_name_resolved as community_name,
        l.is_grid_known,
        l.department_name,
        l.status,
        l.lon,
        l.lat,
        l.geo_quality,
        l.datum_raw,

        ---------- resolution level
        l.resolution_level,
        case l.resolution_level
            when '网格自办' then 1 when '社区办理' then 2 when '街道吹哨' then 3 when '部门报到' then 4
        end as resolution_rank,
        l.resolution_level = '网格自办' as is_grid_level,
        l.resolution_level in ('街道吹哨', '部门报到') as is_whistled,

        ---------- stage times
        l.reported_at,
        l.accepted_at,
        l.dispatched_at,
        l.closed_at,
        l.visited_at,

        ---------- stage flags
        l.is_closed,
        l.is_cancelled,
        not l.is_closed and not l.is_cancelled as is_open,

        ---------- return visit (三率): every recorded return visit (回访时间) is a 有效回访
        l.visited_at is not null as is_valid_visit,
        l.is_contacted,
        l.is_resolved,
        l.satisfaction,
        case l.satisfaction when '满意' then 1.0 when '基本满意' then 0.9 else 0.0 end as satisfaction_points,

        ---------- durations in minutes (null where the times contradict each other)
        case when l.accepted_at >= l.reported_at then {{ minutes_between('l.reported_at', 'l.accepted_at') }} end
            as minutes_report_to_accept,
        case when l.closed_at >= l.reported_at then {{ minutes_between('l.reported_at', 'l.closed_at') }} end
            as minutes_report_to_close,

        ---------- timeline problems (closed-before-reported rows are quarantined by the loader)
        nullif(concat_ws(
            '; ',
            case when l.accepted_at < l.reported_at then '受理早于上报' end,
            case when l.dispatched_at < l.reported_at then '派遣早于上报' end,
            case when l.visited_at < l.closed_at then '回访早于办结' end,
            case when l.is_closed and l.closed_at is null then '已办结但无办结时间' end
        ), '') as timeline_issue

    from located as l
    left join departments as d on l.department_name = d.department_name

)

select * from final
