-- Per group of $dim (street / department / source / category / all): the cohort (reported in the
-- period) and the official 应结案-based rates (BRIEF §4) of period $period_type / $start, counted from
-- fct_case_due_by_period's rate flags (each rate: its hit flag over its base flag; the rule is dbt's).
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
           count(*) filter (where in_due_base) as due_cases,
           count(*) filter (where is_carry_over) as carried_over_cases,
           count(*) filter (where is_closure_hit) as closed_cases,
           count(*) filter (where is_ontime_closure_hit) as closed_on_time_cases,
           count(*) filter (where is_rework_hit) as reworked_cases,
           count(*) filter (where is_extension_hit) as extended_cases,
           count(*) filter (where is_disposal_due) as disposal_due_cases,
           count(*) filter (where is_ontime_disposal_hit) as disposed_on_time_cases,
           -- each rate's base, as the page says "n = …" beside it
           count(*) filter (where in_due_base) as closure_rate_base,
           count(*) filter (where in_ontime_closure_base) as ontime_closure_rate_base,
           count(*) filter (where in_ontime_disposal_base) as ontime_disposal_rate_base,
           count(*) filter (where is_closure_hit) / nullif(count(*) filter (where in_due_base), 0) as closure_rate,
           count(*) filter (where is_ontime_closure_hit)
               / nullif(count(*) filter (where in_ontime_closure_base), 0) as ontime_closure_rate,
           count(*) filter (where is_ontime_disposal_hit)
               / nullif(count(*) filter (where in_ontime_disposal_base), 0) as ontime_disposal_rate,
           count(*) filter (where is_rework_hit) / nullif(count(*) filter (where in_due_base), 0) as rework_rate,
           count(*) filter (where is_extension_hit) / nullif(count(*) filter (where in_due_base), 0)
               as extension_rate
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
       r.closure_rate, r.ontime_closure_rate, r.ontime_disposal_rate, r.rework_rate, r.extension_rate,
       coalesce(r.closure_rate_base, 0) as closure_rate_base,
       coalesce(r.ontime_closure_rate_base, 0) as ontime_closure_rate_base,
       coalesce(r.ontime_disposal_rate_base, 0) as ontime_disposal_rate_base,
       coalesce(r.closure_rate_base, 0) as rework_rate_base,
       coalesce(r.closure_rate_base, 0) as extension_rate_base
from cohort as c
full join rates as r using (group_name)
where coalesce(c.group_name, r.group_name) is not null
order by reported desc, due_cases desc
