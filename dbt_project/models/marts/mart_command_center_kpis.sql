-- The big screen's headline numbers: one row per KPI, valued for today, yesterday, this month to
-- date and the same period last year. "Today" is the latest data day (int_data_clock_computed), not
-- the wall clock: a command center looking at an export from last night still sees a full day.

with

clock as (

    select * from {{ ref('int_data_clock_computed') }}

),

cases as (

    select * from {{ ref('int_platform_cases_scheduled') }}

),

events as (

    select * from {{ ref('int_grid_events_resolved') }}

),

activities as (

    select * from {{ ref('int_party_activities_approved') }}

),

window_bounds as (

    select 'today' as window_code, as_of_date::timestamp as window_start, (as_of_date + 1)::timestamp as window_end
    from clock
    union all
    select 'yesterday', (as_of_date - 1)::timestamp, as_of_date::timestamp
    from clock
    union all
    select 'month_to_date', date_trunc('month', as_of_date)::timestamp, (as_of_date + 1)::timestamp
    from clock
    union all
    select
        'same_period_last_year',
        date_trunc('month', as_of_date)::timestamp - interval 1 year,
        (as_of_date + 1)::timestamp - interval 1 year
    from clock

),

windows as (

    -- a window before the first data day has no value (not zero)
    select b.*, b.window_start >= cast(k.first_data_date as timestamp) as is_covered
    from window_bounds as b
    cross join clock as k

),

case_kpis as (

    select
        w.window_code,
        count(*) filter (where c.reported_at >= w.window_start and c.reported_at < w.window_end)
            as cases_reported,
        count(*) filter (where c.closed_at >= w.window_start and c.closed_at < w.window_end)
            as cases_closed,
        count(*) filter (where c.due_at >= w.window_start and c.due_at < w.window_end) as cases_due,
        count(*) filter (
            where c.due_at >= w.window_start and c.due_at < w.window_end and c.closed_at is not null
        ) as cases_due_closed,
        count(*) filter (
            where c.due_at >= w.window_start and c.due_at < w.window_end and c.is_closed_on_time
        ) as cases_closed_on_time,
        count(*) filter (
            where c.due_at >= w.window_start and c.due_at < w.window_end and c.is_closed_on_time is not null
        ) as cases_due_ontime_known,
        count(*) filter (
            where c.reported_at < w.window_end
            and coalesce(c.closed_at, c.cancelled_at, timestamp '9999-12-31') >= w.window_end
        ) as cases_open_at_end,
        count(*) filter (
            where c.reported_at < w.window_end
            and coalesce(c.closed_at, c.cancelled_at, timestamp '9999-12-31') >= w.window_end
            and c.deadline_at < least(w.window_end, k.as_of_at)
        ) as cases_overdue_at_end

    from windows as w
    cross join clock as k
    cross join cases as c
    group by 1

),

event_kpis as (

    select
        w.window_code,
        count(*) filter (where e.reported_at >= w.window_start and e.reported_at < w.window_end)
            as events_reported,
        count(*) filter (where e.is_closed and e.closed_at >= w.window_start and e.closed_at < w.window_end)
            as events_closed,
        count(*) filter (
            where e.is_closed and e.closed_at >= w.window_start and e.closed_at < w.window_end and e.is_grid_level
        ) as events_closed_in_grid,
        count(*) filter (where e.is_valid_visit and e.visited_at >= w.window_start and e.visited_at < w.window_end)
            as valid_visits,
        sum(e.satisfaction_points) filter (
            where e.is_valid_visit and e.visited_at >= w.window_start and e.visited_at < w.window_end
        ) as satisfaction_points

    from windows as w
    cross join events as e
    group by 1

),

activity_kpis as (

    select
        w.window_code,
        sum(a.approved_hours) filter (
            where a.activity_date >= cast(w.window_start as date) and a.activity_date < cast(w.window_end as date)
        ) as approved_hours

    from windows as w
    cross join activities as a
    group by 1

),

by_window as (

    select
        w.window_code,
        w.is_covered,
        coalesce(c.cases_reported, 0)::double as cases_reported,
        coalesce(c.cases_closed, 0)::double as cases_closed,
        {{ safe_ratio('c.cases_due_closed', 'c.cases_due') }} as closure_rate,
        {{ safe_ratio('c.cases_closed_on_time', 'c.cases_due_ontime_known') }} as ontime_closure_rate,
        coalesce(c.cases_open_at_end, 0)::double as cases_open,
        coalesce(c.cases_overdue_at_end, 0)::double as cases_overdue,
        coalesce(e.events_reported, 0)::double as events_reported,
        coalesce(e.events_closed, 0)::double as events_closed,
        {{ safe_ratio('e.events_closed_in_grid', 'e.events_closed') }} as grid_self_resolution_rate,
        {{ safe_ratio('e.satisfaction_points', 'e.valid_visits') }} as satisfaction_rate,
        coalesce(a.approved_hours, 0)::double as approved_service_hours

    from windows as w
    left join case_kpis as c on w.window_code = c.window_code
    left join event_kpis as e on w.window_code = e.window_code
    left join activity_kpis as a on w.window_code = a.window_code

),

{% set kpis = [
    ('cases_reported', '城运案件上报', '件', 1),
    ('cases_closed', '城运案件结案', '件', 2),
    ('closure_rate', '结案率', '%', 3),
    ('ontime_closure_rate', '按期结案率', '%', 4),
    ('cases_open', '在办案件', '件', 5),
    ('cases_overdue', '超期案件', '件', 6),
    ('events_reported', '网格事件上报', '件', 7),
    ('events_closed', '网格事件办结', '件', 8),
    ('grid_self_resolution_rate', '网格自办率', '%', 9),
    ('satisfaction_rate', '满意率', '%', 10),
    ('approved_service_hours', '党员服务时长(已审核)', '小时', 11),
] %}

long as (

    {% for code, name, unit, order in kpis %}
    select
        '{{ code }}' as kpi_code,
        '{{ name }}' as kpi_name,
        '{{ unit }}' as kpi_unit,
        {{ order }} as display_order,
        window_code,
        case when is_covered then {{ code }} end as kpi_value
    from by_window
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        l.kpi_code,
        l.kpi_name,
        l.kpi_unit,
        l.display_order,
        k.as_of_date as today_date,
        k.as_of_at,
        max(l.kpi_value) filter (where l.window_code = 'today') as value_today,
        max(l.kpi_value) filter (where l.window_code = 'yesterday') as value_yesterday,
        max(l.kpi_value) filter (where l.window_code = 'month_to_date') as value_month_to_date,
        max(l.kpi_value) filter (where l.window_code = 'same_period_last_year') as value_same_period_last_year,
        max(l.kpi_value) filter (where l.window_code = 'month_to_date')
        - max(l.kpi_value) filter (where l.window_code = 'same_period_last_year') as change_vs_last_year

    from long as l
    cross join clock as k
    group by all

)

select * from final
