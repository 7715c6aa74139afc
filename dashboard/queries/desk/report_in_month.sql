-- 双报到 of month $start, for the city ($street null) or one paired street: the row of
-- mart_report_in_by_street_month the page's KPI cards show (dbt owns 报到率 and hours per member).
select units, roster_members, reported_members, report_in_rate, approved_hours, approved_hours_per_member,
       zero_activity_units
from mart_report_in_by_street_month
where month_start = $start and paired_street_code is not distinct from $street
  and ($scope::varchar[] is null or list_contains($scope::varchar[], paired_street_code))
