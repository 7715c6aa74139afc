-- Per group of $dim (street / department / source / category / all): the cohort (reported in the
-- period) and the official 应结案-based rates (BRIEF §4) of period $period_type / $start, counted from
-- fct_case_due_by_period (the rule is dbt's).
with cohort as (
    select {{ group }} as group_name,
           count(*) as reported,
           count(*) filter (where is_closed) as closed_of_reported,
           count(*) filter (where is_cancelled) as cancelled,
           count(*) filter (where is_overdue) as overdue,
           median(minutes_report_to_close) / 60.0 as median_hours_to_close,
           quantile_cont(minutes_report_to_close, 0.9) / 60.0 as p90_hours_to_close
    from fct_platform_cases
    where {{ cohort }}
    group by 1
),
{{ due }},
rates as (
    select group_name,
           count(*) as due_cases,
           count(*) filter (where is_carry_over) as carried_over_cases,
           count(*) filter (where is_closed_by_period_end) as closed_cases,
           count(*) filter (where is_closed_on_time_by_period_end) as closed_on_time_cases,
           count(*) filter (where has_rework) as reworked_cases,
           count(*) filter (where has_extension) as extended_cases,
           count(*) filter (where is_disposal_due) as disposal_due_cases,
           count(*) filter (where is_disposed_on_time_by_period_end) as disposed_on_time_cases,
           count(*) filter (where is_ontime_known) as ontime_due_cases,
           count(*) filter (where is_disposal_ontime_known) as ontime_disposal_due_cases
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
