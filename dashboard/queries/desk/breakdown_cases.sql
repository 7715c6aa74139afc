-- The cases behind a breakdown bar: group $group of dimension $dim, $case_set 'reported' (the
-- intake cohort) or 'due' (the 应结案 cases, not-on-time first).
with {{ due }},
cohort as (
    select *, {{ group }} as group_name
    from fct_platform_cases
    where {{ cohort }}
),
picked as (
    select case_id, false as on_time_first from cohort where $case_set = 'reported' and group_name = $group
    union all
    select case_id, is_closed_on_time_by_period_end from due where $case_set = 'due' and group_name = $group
)
select f.case_id, f.reported_at, f.street_name, f.community_name, f.source_channel, f.category_major,
       f.category_minor, f.urgency, f.handling_department_name, f.current_status, f.deadline_at, f.closed_at,
       f.is_closed_on_time, f.rework_count, f.extension_count, f.timeline_issue,
       count(*) over () as total  -- every case of the set, the list shows at most 500
from picked as p
inner join fct_platform_cases as f using (case_id)
order by p.on_time_first, f.reported_at desc
limit 500
