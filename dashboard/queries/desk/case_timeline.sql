select action_seq, action, stage, action_at, department_name, rework_round,
       round(minutes_since_previous / 60.0, 2) as hours_since_previous,
       round(minutes_since_reported / 60.0, 2) as hours_since_reported,
       is_before_reported, note
from fct_workflow_actions
where case_id = $case_id
  and case_id in (select case_id from fct_platform_cases where case_id = $case_id and {{ scope }})
order by action_seq
