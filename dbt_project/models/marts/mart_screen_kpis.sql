-- The big screen's KPI cards for the whole city and for each street, each with the period and basis it
-- is valued on, so the screen follows its street and says what every figure means:
--   now          open / overdue cases at the data clock, overdue split by age, new overdue today
--   today        cases reported on the data day, vs the day before
--   month_to_date 结案率 / 按期结案率 on the 应结案 basis of the data clock's month (fct_case_due_by_period:
--                the desk's figures for the same month and street), vs the previous month; 满意率 of the
--                valid return visits of the month, vs the previous month
-- street_code is null on the city's rows.

with

clock as (

    select * from {{ ref('int_data_clock_computed') }}

),

cases as (

    select c.*, k.as_of_at, k.as_of_date
    from {{ ref('int_platform_cases_scheduled') }} as c
    cross join clock as k

),

due as (

    select d.*
    from {{ ref('fct_case_due_by_period') }} as d
    cross join clock as k
    where d.period_type = 'month'
        and d.period_start >= date_trunc('month', k.as_of_date) - interval 1 month

),

visits as (

    select e.street_code, e.visited_at, e.satisfaction_points
    from {{ ref('int_grid_events_resolved') }} as e
    cross join clock as k
    where e.is_valid_visit and e.visited_at >= date_trunc('month', k.as_of_date) - interval 1 month

),

streets as (

    select street_code from {{ ref('dim_streets') }}
    union all
    select null

),

case_counts as (

    select
        s.street_code,
        count(*) filter (where c.reported_at >= c.as_of_date and c.reported_at < c.as_of_date + 1)
            as cases_reported,
        count(*) filter (where c.reported_at >= c.as_of_date - 1 and c.reported_at < c.as_of_date)
            as cases_reported_before,
        count(*) filter (where c.is_open) as cases_open,
        count(*) filter (
            where c.reported_at < c.as_of_date
            and coalesce(c.closed_at, c.cancelled_at, timestamp '9999-12-31') >= c.as_of_date
        ) as cases_open_before,
        count(*) filter (where c.is_overdue) as cases_overdue,
        count(*) filter (
            where c.reported_at < c.as_of_date
            and coalesce(c.closed_at, c.cancelled_at, timestamp '9999-12-31') >= c.as_of_date
            and c.deadline_at < c.as_of_date
        ) as cases_overdue_before,
        count(*) filter (where c.is_overdue and {{ days_between('c.deadline_at', 'c.as_of_at') }} < 8)
            as overdue_up_to_7_days,
        count(*) filter (where c.is_overdue and {{ days_between('c.deadline_at', 'c.as_of_at') }} between 8 and 30)
            as overdue_8_to_30_days,
        count(*) filter (where c.is_overdue and {{ days_between('c.deadline_at', 'c.as_of_at') }} > 30)
            as overdue_over_30_days,
        count(*) filter (where c.is_overdue and c.deadline_at >= c.as_of_date) as overdue_new_today

    from streets as s
    left join cases as c on s.street_code is null or c.street_code = s.street_code
    group by 1

),

due_rates as (

    select
        s.street_code,
        d.period_start = date_trunc('month', k.as_of_date) as is_this_month,
        count(d.case_id) as due_cases,
        count(*) filter (where d.is_closed_by_period_end) as closed_cases,
        count(*) filter (where d.is_closed_on_time_by_period_end) as closed_on_time_cases,
        count(*) filter (where d.is_ontime_known) as ontime_due_cases

    from streets as s
    cross join clock as k
    inner join due as d on s.street_code is null or d.street_code = s.street_code
    group by all

),

satisfaction as (

    select
        s.street_code,
        v.visited_at >= date_trunc('month', k.as_of_date) as is_this_month,
        count(*) as valid_visits,
        sum(v.satisfaction_points) as satisfaction_points

    from streets as s
    cross join clock as k
    inner join visits as v on s.street_code is null or v.street_code = s.street_code
    where v.visited_at < k.as_of_date + 1
    group by all

),

by_street as (

    select
        c.*,
        {{ safe_ratio('now_due.closed_cases', 'now_due.due_cases') }} as closure_rate,
        {{ safe_ratio('before_due.closed_cases', 'before_due.due_cases') }} as closure_rate_before,
        {{ safe_ratio('now_due.closed_on_time_cases', 'now_due.ontime_due_cases') }} as ontime_closure_rate,
        {{ safe_ratio('before_due.closed_on_time_cases', 'before_due.ontime_due_cases') }}
            as ontime_closure_rate_before,
        now_due.due_cases,
        {{ safe_ratio('now_sat.satisfaction_points', 'now_sat.valid_visits') }} as satisfaction_rate,
        {{ safe_ratio('before_sat.satisfaction_points', 'before_sat.valid_visits') }} as satisfaction_rate_before,
        now_sat.valid_visits

    from case_counts as c
    left join due_rates as now_due
        on now_due.street_code is not distinct from c.street_code and now_due.is_this_month
    left join due_rates as before_due
        on before_due.street_code is not distinct from c.street_code and not before_due.is_this_month
    left join satisfaction as now_sat
        on now_sat.street_code is not distinct from c.street_code and now_sat.is_this_month
    left join satisfaction as before_sat
        on before_sat.street_code is not distinct from c.street_code and not before_sat.is_this_month

),

{% set kpis = [
    ('cases_reported', '今日受理', '件', 1, 'today', 'cases_reported_before', 'null'),
    ('cases_open', '在办案件', '件', 2, 'now', 'cases_open_before', 'null'),
    ('cases_overdue', '超期案件', '件', 3, 'now', 'cases_overdue_before', 'null'),
    ('closure_rate', '结案率', '%', 4, 'month_to_date_due', 'closure_rate_before', 'due_cases'),
    ('ontime_closure_rate', '按期结案率', '%', 5, 'month_to_date_due', 'ontime_closure_rate_before', 'due_cases'),
    ('satisfaction_rate', '满意率', '%', 6, 'month_to_date_visits', 'satisfaction_rate_before', 'valid_visits'),
    ('overdue_up_to_7_days', '超期≤7天', '件', 7, 'now', 'null', 'null'),
    ('overdue_8_to_30_days', '超期8–30天', '件', 8, 'now', 'null', 'null'),
    ('overdue_over_30_days', '超期>30天', '件', 9, 'now', 'null', 'null'),
    ('overdue_new_today', '今日新增超期', '件', 10, 'today', 'null', 'null'),
] %}

final as (

    {% for code, name, unit, order, basis, before, denominator in kpis %}
    select
        b.street_code,
        '{{ code }}' as kpi_code,
        '{{ name }}' as kpi_name,
        '{{ unit }}' as kpi_unit,
        {{ order }} as display_order,
        '{{ basis }}' as basis,
        k.as_of_date as today_date,
        k.as_of_at,
        b.{{ code }}::double as kpi_value,
        {{ 'null' if before == 'null' else 'b.' ~ before }}::double as previous_value,
        {{ 'null' if denominator == 'null' else 'b.' ~ denominator }}::bigint as denominator
    from by_street as b
    cross join clock as k
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
