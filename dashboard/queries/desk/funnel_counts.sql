-- The intake cohort (cases reported in the period) at every stage, and the side flows.
with c as (
    select *, {{ furthest_stage }} as furthest_stage
    from fct_platform_cases
    where {{ cohort }}
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
