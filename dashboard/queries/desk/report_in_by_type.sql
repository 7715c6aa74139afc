-- Approved hours by activity type in month $start.
select activity_type, sum(approved_hours) as approved_hours, count(*) filter (where is_approved) as activities
from fct_report_in_activities
where activity_month = $start and (street_code = $street or $street is null) and {{ scope }}
group by 1
order by 2 desc
