-- The cases behind a funnel bar: those that stopped at stage $stage_no (1-7), or that took side flow
-- $flow ('cancelled' / 'rework' / 'extension' / 'rollback' / 'overdue'); the other one is null.
with c as (
    select *, {{ furthest_stage }} as furthest_stage
    from fct_platform_cases
    where {{ cohort }}
)
select case_id, reported_at, street_name, community_name, source_channel, category_major, category_minor,
       urgency, handling_department_name, current_status, deadline_at, closed_at,
       is_closed_on_time, rework_count, extension_count, timeline_issue
from c
where ($stage_no is null or (furthest_stage = $stage_no and not is_cancelled))
  and ($flow is null
       or ($flow = 'cancelled' and is_cancelled)
       or ($flow = 'rework' and has_rework)
       or ($flow = 'extension' and has_extension)
       or ($flow = 'rollback' and rollback_count > 0)
       or ($flow = 'overdue' and is_overdue))
order by reported_at desc
limit 500
