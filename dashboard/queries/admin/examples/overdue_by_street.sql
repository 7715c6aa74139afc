-- 本月超期案件（按街道）：期限落在数据时钟所在月、至今未结案的城运案件
-- This month's overdue cases by street: due in the data clock's month and still open past the deadline
with clock as (
    select max(today_date) as today, max(as_of_at) as as_of from mart_command_center_kpis
)
select
    c.street_name,
    count(*) as overdue_cases,
    count(*) filter (where c.urgency = '紧急') as urgent_overdue,
    round(avg(date_diff('minute', c.deadline_at, k.as_of)) / 60.0, 1) as avg_hours_overdue,
    min(c.deadline_at) as oldest_deadline
from fct_platform_cases as c
cross join clock as k
where c.is_overdue
  and date_trunc('month', c.due_at) = date_trunc('month', k.today)
group by c.street_name
order by overdue_cases desc
