-- 双报到 per month, for the city ($street null) or one paired street: rows of mart_report_in_by_street_month.
select month_start, month_label, report_in_rate, approved_hours, approved_hours_per_member, zero_activity_units,
       units
from mart_report_in_by_street_month
where paired_street_code is not distinct from $street
  and ($scope::varchar[] is null or list_contains($scope::varchar[], paired_street_code))
order by month_start
