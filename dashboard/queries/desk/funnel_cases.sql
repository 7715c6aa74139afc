-- The cases behind a funnel bar: those that stopped at stage $stage_no (1-7), or that took side flow
-- $flow ('cancelled' / 'rework' / 'extension' / 'rollback' / 'overdue'); the other one is null.
with c as (
    select * from fct_platform_cases inner join fct_case_stages using (case_id)
    where {{ cohort }}
)
select case_id, reported_at, street_name, community_name, source_channel, category_major, category_minor,
       urgency, handling_department_name, current_status, deadline_at, closed_at,
       is_closed_on_time, rework_count, extension_count, timeline_issue,
       count(*) over () as total  -- every case of the set, the list shows at most 500
from c
where ($stage_no is null or (furthest_stage_no = $stage_no and is_stopped_at_furthest_stage))
  and ($flow is null
       or ($flow = 'cancelled' and is_cancelled)
       or ($flow = 'rework' and has_rework)
       or ($flow = 'extension' and has_extension)
       or ($flow = 'rollback' and has_rollback)
       or ($flow = 'overdue' and is_overdue))
order by reported_at desc
limit 500
