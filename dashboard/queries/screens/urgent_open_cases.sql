-- Open 紧急 cases, newest first, at most $limit.
select case_id, reported_at, street_name, community_name, category_minor, source_channel, current_status,
       is_overdue, lon, lat
from fct_platform_cases
where is_open and urgency = '紧急' and ($street is null or street_code = $street) and {{ scope }}
order by reported_at desc
limit $limit
