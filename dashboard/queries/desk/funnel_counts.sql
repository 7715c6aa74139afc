-- The intake cohort (cases reported in the period) at every stage, and the side flows with their share of
-- the cases reported (fct_platform_cases' flags over its in_reported_base).
with c as (
    select * from fct_platform_cases inner join fct_case_stages using (case_id)
    where {{ cohort }}
)
select count(*) as reported,
       count(*) filter (where has_reached_accepted) as accepted,
       count(*) filter (where has_reached_filed) as filed,
       count(*) filter (where has_reached_dispatched) as dispatched,
       count(*) filter (where has_reached_disposed) as disposed,
       count(*) filter (where has_reached_verified) as verified,
       count(*) filter (where has_reached_closed) as closed,
       count(*) filter (where is_cancelled) as cancelled,
       count(*) filter (where has_rework) as reworked,
       coalesce(sum(rework_count), 0) as rework_loops,
       count(*) filter (where has_extension) as extended,
       coalesce(sum(extension_count), 0) as extensions,
       count(*) filter (where has_rollback) as rolled_back,
       count(*) filter (where is_open) as still_open,
       count(*) filter (where is_overdue) as overdue,
       count(*) filter (where timeline_issue is not null) as timeline_issues,
       count(*) filter (where has_reached_closed) / nullif(count(*) filter (where in_reported_base), 0)
           as closed_share,
       count(*) filter (where is_cancelled) / nullif(count(*) filter (where in_reported_base), 0) as cancelled_share,
       count(*) filter (where has_rework) / nullif(count(*) filter (where in_reported_base), 0) as reworked_share,
       count(*) filter (where has_extension) / nullif(count(*) filter (where in_reported_base), 0) as extended_share,
       count(*) filter (where has_rollback) / nullif(count(*) filter (where in_reported_base), 0)
           as rolled_back_share,
       count(*) filter (where is_overdue) / nullif(count(*) filter (where in_reported_base), 0) as overdue_share
from c
