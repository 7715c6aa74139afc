"""Named SQL of the desk pages: closure funnel, street / community / department rankings, 双报到, 红黑榜.

Parameters are DuckDB's numbered ``$n`` placeholders so one value can be used several times. The
case-set filters repeat in several queries; their parameters are always, in order:

    $1 period start (date), $2 period end (date, exclusive), $3 street code or null,
    $4 sources (varchar[]; empty = all), $5 major categories (varchar[]; empty = all)
"""

# ── periods ──────────────────────────────────────────────────────────────────
# Every month and quarter of the release (the same enumeration the marts use), newest first.
DESK_PERIODS = """
select distinct period_type, period_start, period_label, is_complete_period,
       cast(period_start + case when period_type = 'month' then interval 1 month else interval 3 month end as date)
           as period_end
from mart_case_flow_by_street
order by period_type, period_start desc
"""

DESK_DATA_CLOCK = "select max(as_of_at) as as_of_at from mart_command_center_kpis"

DESK_SOURCES = (
    "select distinct source_channel from fct_platform_cases where source_channel is not null order by 1"
)
DESK_CATEGORIES = (
    "select distinct category_major from fct_platform_cases where category_major is not null order by 1"
)

_CASE_SET = """
(street_code = $3 or $3 is null)
and (len($4::varchar[]) = 0 or list_contains($4::varchar[], source_channel))
and (len($5::varchar[]) = 0 or list_contains($5::varchar[], category_major))
"""

# The stage a case reached, as mart_case_funnel counts it: 1 上报 … 7 结案.
_FURTHEST_STAGE = """
greatest(1, case when is_accepted then 2 else 0 end, case when is_filed then 3 else 0 end,
         case when is_dispatched then 4 else 0 end, case when is_disposed then 5 else 0 end,
         case when is_verified then 6 else 0 end, case when is_closed then 7 else 0 end)
"""

# ── closure funnel: platform cases ───────────────────────────────────────────
# The intake cohort (cases reported in the period) at every stage, and the side flows.
FUNNEL_COUNTS = f"""
with c as (
    select *, {_FURTHEST_STAGE} as furthest_stage
    from fct_platform_cases
    where reported_at >= $1 and reported_at < $2 and {_CASE_SET}
)
select count(*) as reported,
       count(*) filter (where furthest_stage >= 2) as accepted,
       count(*) filter (where furthest_stage >= 3) as filed,
       count(*) filter (where furthest_stage >= 4) as dispatched,
       count(*) filter (where furthest_stage >= 5) as disposed,
       count(*) filter (where furthest_stage >= 6) as verified,
       count(*) filter (where furthest_stage >= 7) as closed,
       count(*) filter (where is_cancelled) as cancelled,
       count(*) filter (where has_rework) as reworked,
       coalesce(sum(rework_count), 0) as rework_loops,
       count(*) filter (where has_extension) as extended,
       coalesce(sum(extension_count), 0) as extensions,
       count(*) filter (where rollback_count > 0) as rolled_back,
       count(*) filter (where is_open) as still_open,
       count(*) filter (where is_overdue) as overdue,
       count(*) filter (where timeline_issue is not null) as timeline_issues
from c
"""

# Not a query before issue 16: the funnel page divided FUNNEL_COUNTS' stage counts in Python (step: a
# stage over the one before it; cumulative: over 上报). This is that arithmetic, for the parity probe.
FUNNEL_STAGES = f"""
with c as (
    select {_FURTHEST_STAGE} as furthest_stage
    from fct_platform_cases
    where reported_at >= $1 and reported_at < $2 and {_CASE_SET}
),
s (stage_no, stage_code) as (
    values (1, 'reported'), (2, 'accepted'), (3, 'filed'), (4, 'dispatched'), (5, 'disposed'),
           (6, 'verified'), (7, 'closed')
)
select stage_no, stage_code, count(*) filter (where furthest_stage >= stage_no) as cases,
       count(*) filter (where furthest_stage >= stage_no)
           / nullif(count(*) filter (where furthest_stage >= greatest(stage_no - 1, 1)), 0) as conversion,
       count(*) filter (where furthest_stage >= stage_no) / nullif(count(*), 0) as of_first
from c cross join s
group by stage_no, stage_code
"""

# Median, quartiles and P10/P90 of each stage duration (hours) of the cohort.
STAGE_DURATIONS = f"""
with d as (
    unpivot (
        select minutes_report_to_accept, minutes_accept_to_file, minutes_file_to_dispatch,
               minutes_dispatch_to_dispose, minutes_dispose_to_verify, minutes_verify_to_close,
               minutes_report_to_close
        from fct_platform_cases
        where reported_at >= $1 and reported_at < $2 and {_CASE_SET}
    ) on columns(*) into name stage value minutes
)
select replace(stage, 'minutes_', '') as stage,
       count(*) as cases,
       quantile_cont(minutes, 0.1) / 60.0 as p10_hours,
       quantile_cont(minutes, 0.25) / 60.0 as p25_hours,
       quantile_cont(minutes, 0.5) / 60.0 as median_hours,
       quantile_cont(minutes, 0.75) / 60.0 as p75_hours,
       quantile_cont(minutes, 0.9) / 60.0 as p90_hours,
       avg(minutes) / 60.0 as mean_hours
from d
group by stage
"""

# Histogram of one stage duration (log-spaced hour bins) — the shape behind the median and P90.
STAGE_HISTOGRAM = f"""
with d as (
    select case $6
               when 'report_to_accept' then minutes_report_to_accept
               when 'accept_to_file' then minutes_accept_to_file
               when 'file_to_dispatch' then minutes_file_to_dispatch
               when 'dispatch_to_dispose' then minutes_dispatch_to_dispose
               when 'dispose_to_verify' then minutes_dispose_to_verify
               when 'verify_to_close' then minutes_verify_to_close
               else minutes_report_to_close end / 60.0 as hours
    from fct_platform_cases
    where reported_at >= $1 and reported_at < $2 and {_CASE_SET}
)
select b.bin, b.lower_hours, b.upper_hours, count(d.hours) as cases
from (
    select i as bin, case when i = 0 then 0 else pow(2, i - 3) end as lower_hours, pow(2, i - 2) as upper_hours
    from range(0, 14) t(i)
) b
left join d on d.hours >= b.lower_hours and (d.hours < b.upper_hours or (b.bin = 13 and d.hours >= b.lower_hours))
group by all
order by b.bin
"""

# The cases behind a funnel bar: those that stopped at a stage, or that took a side flow.
# $6 stage number (1-7) or null, $7 side flow ('cancelled' / 'rework' / 'extension' / 'rollback' / 'overdue') or null.
FUNNEL_CASES = f"""
with c as (
    select *, {_FURTHEST_STAGE} as furthest_stage
    from fct_platform_cases
    where reported_at >= $1 and reported_at < $2 and {_CASE_SET}
)
select case_id, reported_at, street_name, community_name, source_channel, category_major, category_minor,
       urgency, handling_department_name, current_status, deadline_at, closed_at,
       is_closed_on_time, rework_count, extension_count, timeline_issue
from c
where ($6 is null or (furthest_stage = $6 and not is_cancelled))
  and ($7 is null
       or ($7 = 'cancelled' and is_cancelled)
       or ($7 = 'rework' and has_rework)
       or ($7 = 'extension' and has_extension)
       or ($7 = 'rollback' and rollback_count > 0)
       or ($7 = 'overdue' and is_overdue))
order by reported_at desc
limit 500
"""

# A case-set dimension as a column: $6 = street / department / source / category.
_GROUP = """
case $6 when 'street' then street_name
        when 'department' then handling_department_name
        when 'source' then source_channel
        when 'category' then category_major
        else '全部' end
"""

# 应结案 cases of a period (deadline in the period, carry-over included, up to the data clock), as
# int_platform_cases_due_by_period: flags per case for 按期结案 / 按期处置 by the period end.
_DUE = f"""
due as (
    select c.*, {_GROUP} as group_name,
           c.due_at < $1 as is_carry_over,
           coalesce(c.closed_at < $2, false) as is_closed_by_end,
           coalesce(c.closed_at < $2, false) and c.is_closed_on_time as is_closed_on_time_by_end,
           not (c.due_at < $1) or c.disposed_at is null or c.disposed_at >= $1 as is_disposal_due,
           coalesce(c.disposed_at < $2, false) and c.is_disposed_on_time as is_disposed_on_time_by_end
    from fct_platform_cases as c
    cross join (select max(as_of_at) as as_of_at from mart_command_center_kpis) as k
    where c.due_at is not null and c.due_at <= k.as_of_at and c.due_at < $2
      and greatest(c.due_at, coalesce(c.closed_at, k.as_of_at)) >= $1
      and {_CASE_SET}
)
"""

# Per group: the cohort (reported in the period) and the official 应结案-based rates (BRIEF §4).
FLOW_BREAKDOWN = f"""
with cohort as (
    select {_GROUP} as group_name,
           count(*) as reported,
           count(*) filter (where is_closed) as closed_of_reported,
           count(*) filter (where is_cancelled) as cancelled,
           count(*) filter (where is_overdue) as overdue,
           median(minutes_report_to_close) / 60.0 as median_hours_to_close,
           quantile_cont(minutes_report_to_close, 0.9) / 60.0 as p90_hours_to_close
    from fct_platform_cases
    where reported_at >= $1 and reported_at < $2 and {_CASE_SET}
    group by 1
),
{_DUE},
rates as (
    select group_name,
           count(*) as due_cases,
           count(*) filter (where is_carry_over) as carried_over_cases,
           count(*) filter (where is_closed_by_end) as closed_cases,
           count(*) filter (where is_closed_on_time_by_end) as closed_on_time_cases,
           count(*) filter (where has_rework) as reworked_cases,
           count(*) filter (where has_extension) as extended_cases,
           count(*) filter (where is_disposal_due) as disposal_due_cases,
           count(*) filter (where is_disposal_due and is_disposed_on_time_by_end) as disposed_on_time_cases,
           -- 按期 rates judge only cases whose timeliness is known (a 311 request without Due Date is not)
           count(*) filter (where is_closed_on_time is not null) as ontime_due_cases,
           count(*) filter (where is_disposal_due and is_disposed_on_time is not null) as ontime_disposal_due_cases
    from due
    group by 1
)
select coalesce(c.group_name, r.group_name) as group_name,
       coalesce(c.reported, 0) as reported, coalesce(c.closed_of_reported, 0) as closed_of_reported,
       coalesce(c.cancelled, 0) as cancelled, coalesce(c.overdue, 0) as overdue,
       c.median_hours_to_close, c.p90_hours_to_close,
       coalesce(r.due_cases, 0) as due_cases, coalesce(r.carried_over_cases, 0) as carried_over_cases,
       coalesce(r.closed_cases, 0) as closed_cases, coalesce(r.closed_on_time_cases, 0) as closed_on_time_cases,
       coalesce(r.reworked_cases, 0) as reworked_cases, coalesce(r.extended_cases, 0) as extended_cases,
       coalesce(r.disposal_due_cases, 0) as disposal_due_cases,
       coalesce(r.disposed_on_time_cases, 0) as disposed_on_time_cases,
       r.closed_cases / nullif(r.due_cases, 0) as closure_rate,
       r.closed_on_time_cases / nullif(r.ontime_due_cases, 0) as ontime_closure_rate,
       r.disposed_on_time_cases / nullif(r.ontime_disposal_due_cases, 0) as ontime_disposal_rate,
       r.reworked_cases / nullif(r.due_cases, 0) as rework_rate,
       r.extended_cases / nullif(r.due_cases, 0) as extension_rate
from cohort as c
full join rates as r using (group_name)
where coalesce(c.group_name, r.group_name) is not null
order by reported desc, due_cases desc
"""

# The cases behind a breakdown bar. $6 dimension, $7 group value, $8 'reported' (the intake cohort) or
# 'due' (the 应结案 cases, not-on-time first).
BREAKDOWN_CASES = f"""
with {_DUE.strip()},
cohort as (
    select *, {_GROUP} as group_name
    from fct_platform_cases
    where reported_at >= $1 and reported_at < $2 and {_CASE_SET}
),
picked as (
    select case_id, false as on_time_first from cohort where $8 = 'reported' and group_name = $7
    union all
    select case_id, is_closed_on_time_by_end from due where $8 = 'due' and group_name = $7
)
select f.case_id, f.reported_at, f.street_name, f.community_name, f.source_channel, f.category_major,
       f.category_minor, f.urgency, f.handling_department_name, f.current_status, f.deadline_at, f.closed_at,
       f.is_closed_on_time, f.rework_count, f.extension_count, f.timeline_issue
from picked as p
inner join fct_platform_cases as f using (case_id)
order by p.on_time_first, f.reported_at desc
limit 500
"""

# On-time rates over the periods of one type (trend), for the case set.
ONTIME_TREND = """
select period_start, period_label,
       sum(closed_on_time_cases) / nullif(sum(ontime_due_cases), 0) as ontime_closure_rate,
       sum(disposed_on_time_cases) / nullif(sum(ontime_disposal_due_cases), 0) as ontime_disposal_rate,
       sum(closed_cases) / nullif(sum(due_cases), 0) as closure_rate,
       sum(reworked_cases) / nullif(sum(due_cases), 0) as rework_rate
from mart_case_flow_by_street
where period_type = $1 and ($2 is null or street_code = $2)
group by all
order by period_start
"""

CASE_HEADER = """
select case_id, reported_at, street_name, community_name, grid_code, source_channel, problem_type,
       category_major, category_minor, urgency, handling_department_name, current_status,
       filed_at, base_deadline_at, deadline_at, closed_at, is_closed_on_time, is_overdue,
       rework_count, extension_count, rollback_count, timeline_issue
from fct_platform_cases where case_id = $1
"""

CASE_TIMELINE = """
select action_seq, action, stage, action_at, department_name, rework_round,
       round(minutes_since_previous / 60.0, 2) as hours_since_previous,
       round(minutes_since_reported / 60.0, 2) as hours_since_reported,
       is_before_reported, note
from fct_workflow_actions
where case_id = $1
order by action_seq
"""

# ── closure funnel: grid events ──────────────────────────────────────────────
# $1 start, $2 end, $3 street.
EVENT_FUNNEL = """
select count(*) as reported,
       count(*) filter (where accepted_at is not null or is_closed) as accepted,
       count(*) filter (where is_closed) as closed,
       count(*) filter (where is_valid_visit) as visited,
       count(*) filter (where is_cancelled) as cancelled,
       count(*) filter (where is_open) as still_open,
       count(*) filter (where is_closed and resolution_level = '网格自办') as grid_level,
       count(*) filter (where is_closed and resolution_level = '社区办理') as community_level,
       count(*) filter (where is_closed and resolution_level = '街道吹哨') as street_whistle,
       count(*) filter (where is_closed and resolution_level = '部门报到') as department_level,
       median(minutes_report_to_close) / 60.0 as median_hours_to_close,
       quantile_cont(minutes_report_to_close, 0.9) / 60.0 as p90_hours_to_close
from fct_grid_events
where reported_at >= $1 and reported_at < $2 and (street_code = $3 or $3 is null)
"""

# Resolution levels of the events closed in the period, per street (mart_grid_resolution, by closed month).
EVENT_LEVELS_BY_STREET = """
select street_name,
       sum(closed_events) as closed_events,
       sum(grid_level_events) as grid_level,
       sum(community_level_events) as community_level,
       sum(street_whistle_events) as street_whistle,
       sum(department_level_events) as department_level,
       sum(grid_level_events) / nullif(sum(closed_events), 0) as grid_self_resolution_rate,
       (sum(grid_level_events) + sum(community_level_events)) / nullif(sum(closed_events), 0) as within_community_rate,
       sum(whistled_events) / nullif(sum(closed_events), 0) as whistle_rate
from mart_grid_resolution
where month_start >= $1 and month_start < $2 and (street_code = $3 or $3 is null)
group by street_name
order by grid_self_resolution_rate desc nulls last
"""

EVENT_LEVEL_DURATIONS = """
select resolution_level, count(*) filter (where is_closed) as closed,
       median(minutes_report_to_close) / 60.0 as median_hours_to_close,
       quantile_cont(minutes_report_to_close, 0.9) / 60.0 as p90_hours_to_close,
       count(*) filter (where is_valid_visit and is_resolved) / nullif(count(*) filter (where is_valid_visit), 0)
           as resolution_rate
from fct_grid_events
where reported_at >= $1 and reported_at < $2 and (street_code = $3 or $3 is null)
group by 1
order by min(resolution_rank)
"""

# ── rankings ─────────────────────────────────────────────────────────────────
# Long rows (entity × metric × period) of a ranking mart under generic names, for every period of one
# type: the what-if module re-ranks these. $1 period type.
_RANKING_COLUMNS = """
period_type, period_start, period_label, is_complete_period,
composite_score, composite_rank, ranked_entities, previous_rank, rank_change, scored_metrics,
has_small_denominator, metric_code, metric_name, direction, weight, target, is_rate, numerator, denominator,
value, ci_lower, ci_upper, min_denominator, is_small_denominator, score, weight_share, contribution
"""

STREET_RANKING_ROWS = f"""
select street_code as entity_code, street_name as entity_name, {_RANKING_COLUMNS}
from mart_street_ranking
where period_type = $1
order by period_start, composite_rank, street_code, metric_code
"""

# The communities of one street ($2), ranked city-wide in the mart.
COMMUNITY_RANKING_ROWS = f"""
select r.community_code as entity_code, r.community_name as entity_name, {_RANKING_COLUMNS}
from mart_community_ranking as r
inner join dim_communities as d using (community_code)
where r.period_type = $1 and d.street_code = $2
order by period_start, composite_rank, entity_code, metric_code
"""

DEPARTMENT_RANKING_ROWS = f"""
select department_code as entity_code, department_name as entity_name, {_RANKING_COLUMNS}
from mart_department_ranking
where period_type = $1
order by period_start, composite_rank, department_code, metric_code
"""

# ── departments (街道吹哨、部门报到) ─────────────────────────────────────────────
# Response and disposal times of the platform cases each department handled, dispatched in the period.
# $1 start, $2 end, $3 street or null.
DEPARTMENT_RESPONSE = """
select handling_department_code as department_code, any_value(handling_department_name) as department_name,
       count(*) as dispatched_cases,
       median(minutes_dispatch_to_dispose) / 60.0 as median_hours_to_dispose,
       quantile_cont(minutes_dispatch_to_dispose, 0.9) / 60.0 as p90_hours_to_dispose,
       count(*) filter (where is_disposed and is_disposed_on_time) / nullif(count(*) filter (where is_disposed), 0)
           as ontime_disposal_share,
       count(*) filter (where has_rework) / nullif(count(*), 0) as rework_share,
       count(*) filter (where is_overdue) as overdue_open
from fct_platform_cases
where dispatched_at >= $1 and dispatched_at < $2 and (street_code = $3 or $3 is null)
  and handling_department_code is not null
group by 1
"""

# Grid events the streets escalated (街道吹哨 / 部门报到) per department, reported in the period.
DEPARTMENT_WHISTLES = """
select department_code, any_value(department_name) as department_name,
       count(*) as whistled_events,
       count(*) filter (where is_closed) as closed_events,
       median(minutes_report_to_accept) / 60.0 as median_hours_to_accept,
       median(minutes_report_to_close) / 60.0 as median_hours_to_close,
       count(*) filter (where is_valid_visit and is_contacted) / nullif(count(*) filter (where is_valid_visit), 0)
           as response_rate
from fct_grid_events
where reported_at >= $1 and reported_at < $2 and (street_code = $3 or $3 is null)
  and department_code is not null
group by 1
"""

# ── 双报到 ───────────────────────────────────────────────────────────────────
REPORT_IN_MONTHS = """
select distinct month_start, month_label, is_complete_period
from mart_report_in_by_unit_month
order by month_start desc
"""

# $1 month start, $2 street or null.
REPORT_IN_UNITS = """
select unit_id, unit_name, party_org_name, unit_type, paired_community_name, paired_street_name,
       roster_members, reported_members, newly_reported_members, report_in_rate, is_over_roster,
       active_members, approved_activities, approved_hours, pending_hours, rejected_hours,
       approved_hours_per_member, is_zero_activity
from mart_report_in_by_unit_month
where month_start = $1 and (paired_street_code = $2 or $2 is null)
order by report_in_rate desc nulls last, approved_hours desc
"""

REPORT_IN_COMMUNITIES = """
select community_code, community_name, street_name, paired_units, roster_members, reported_members,
       report_in_rate, active_members, approved_hours, approved_hours_per_member, zero_activity_units,
       members_reported_to_community, approved_activities_in_community, approved_hours_in_community
from mart_report_in_by_community_month
where month_start = $1 and (street_code = $2 or $2 is null)
order by approved_hours_in_community desc
"""

# $1 street or null.
REPORT_IN_TREND = """
select month_start, month_label,
       sum(reported_members) / nullif(sum(roster_members), 0) as report_in_rate,
       sum(approved_hours) as approved_hours,
       sum(approved_hours) / nullif(sum(reported_members), 0) as approved_hours_per_member,
       count(*) filter (where is_zero_activity) as zero_activity_units,
       count(*) as units
from mart_report_in_by_unit_month
where paired_street_code = $1 or $1 is null
group by all
order by month_start
"""

# Approved hours by activity type in the month ($1), street ($2).
REPORT_IN_BY_TYPE = """
select activity_type, sum(approved_hours) as approved_hours, count(*) filter (where is_approved) as activities
from fct_report_in_activities
where activity_month = $1 and (street_code = $2 or $2 is null)
group by 1
order by 2 desc
"""

# ── 物业红黑榜 ────────────────────────────────────────────────────────────────
PROPERTY_QUARTERS = """
select distinct quarter_label, quarter_start from fct_property_assessments order by quarter_start desc
"""

PROPERTY_RULE = "select * from property_list_rule where is_active"

# The projects on either list in the quarter ($1), street ($2).
PROPERTY_LISTS = """
select project_name, company_name, street_name, community_name, total_score, street_score_rank,
       city_score_rank, is_vetoed, veto_reason, computed_list, computed_list_reason, published_list,
       agreement, is_list_disagreement, assessment_id, compound_code
from mart_property_lists
where quarter_label = $1 and (street_code = $2 or $2 is null)
order by coalesce(computed_list, published_list) desc, total_score desc
"""

# Property companies ranked by their average 总分 in the quarter (ties share a rank).
PROPERTY_COMPANIES = """
with q as (
    select company_credit_code, any_value(company_name) as company_name, count(*) as projects,
           avg(total_score) as average_score, min(total_score) as lowest_score,
           count(*) filter (where is_vetoed) as vetoed,
           count(*) filter (where computed_list = '红榜') as computed_red,
           count(*) filter (where computed_list = '黑榜') as computed_black,
           count(*) filter (where published_list = '红榜') as published_red,
           count(*) filter (where published_list = '黑榜') as published_black
    from fct_property_assessments
    where quarter_label = $1 and (street_code = $2 or $2 is null)
    group by 1
)
select rank() over (order by round(average_score, 9) desc) as company_rank, *
from q
order by company_rank, company_name
"""

# Company average 总分 per quarter, for the trend. $1 street or null.
PROPERTY_COMPANY_TREND = """
select company_credit_code, any_value(company_name) as company_name, quarter_start, quarter_label,
       avg(total_score) as average_score, count(*) as projects
from fct_property_assessments
where street_code = $1 or $1 is null
group by company_credit_code, quarter_start, quarter_label
order by quarter_start
"""

# The compounds (projects) assessed in the quarter, for the item-score picker. $1 quarter, $2 street.
PROPERTY_PROJECTS = """
select assessment_id, project_name, company_name, street_name, total_score
from fct_property_assessments
where quarter_label = $1 and (street_code = $2 or $2 is null)
order by total_score, project_name
"""

PROPERTY_ITEM_SCORES = """
select assessment_id, quarter_label, project_name, company_name, street_name, community_name,
       score_management, score_housing, score_facilities, score_order, score_sanitation, score_greening,
       score_satisfaction, total_score, item_score_sum, is_total_inconsistent, deduction_notes,
       is_vetoed, veto_reason, street_score_rank, city_score_rank, computed_list, computed_list_reason,
       published_list
from fct_property_assessments
where assessment_id = $1
"""

# The same compound over the quarters (by project and company). $1 assessment id.
PROPERTY_PROJECT_HISTORY = """
select f.quarter_start, f.quarter_label, f.total_score, f.computed_list, f.published_list
from fct_property_assessments as f
inner join fct_property_assessments as a
    on a.assessment_id = $1 and f.project_name = a.project_name and f.company_credit_code = a.company_credit_code
order by f.quarter_start
"""

# Whether a source was loaded (rows in its fact); a page says so in words when not.
DESK_SOURCE_ROWS = """
select (select count(*) from fct_platform_cases) as platform_cases,
       (select count(*) from fct_grid_events) as grid_events,
       (select count(*) from mart_report_in_by_unit_month) as report_in_units,
       (select count(*) from fct_property_assessments) as property_assessments
"""
