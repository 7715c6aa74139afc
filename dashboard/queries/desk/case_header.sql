select case_id, reported_at, street_name, community_name, grid_code, source_channel, problem_type,
       category_major, category_minor, urgency, handling_department_name, current_status,
       filed_at, base_deadline_at, deadline_at, closed_at, is_closed_on_time, is_overdue,
       rework_count, extension_count, rollback_count, timeline_issue
from fct_platform_cases where case_id = $case_id and {{ scope }}
