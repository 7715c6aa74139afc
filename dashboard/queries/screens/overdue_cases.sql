-- The open overdue cases behind the overdue card, longest overdue first, at most $limit; total = all of them.
select case_id, street_name, community_name, category_minor, handling_department_name, deadline_at,
       date_diff('day', deadline_at, k.as_of_at) as days_overdue, count(*) over () as total
from fct_platform_cases
cross join (select max(as_of_at) as as_of_at from mart_screen_kpis) as k
where is_overdue and ($street is null or street_code = $street) and {{ scope }}
order by deadline_at
limit $limit
