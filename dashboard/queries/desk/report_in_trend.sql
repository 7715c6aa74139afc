select month_start, month_label,
       sum(reported_members) / nullif(sum(roster_members), 0) as report_in_rate,
       sum(approved_hours) as approved_hours,
       sum(approved_hours) / nullif(sum(reported_members), 0) as approved_hours_per_member,
       count(*) filter (where is_zero_activity) as zero_activity_units,
       count(*) as units
from mart_report_in_by_unit_month
where (paired_street_code = $street or $street is null)
  and ($scope::varchar[] is null or list_contains($scope::varchar[], paired_street_code))
group by all
order by month_start
