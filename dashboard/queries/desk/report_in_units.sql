-- The paired units in month $start.
select unit_id, unit_name, party_org_name, unit_type, paired_community_name, paired_street_name,
       roster_members, reported_members, newly_reported_members, report_in_rate, is_over_roster,
       active_members, approved_activities, approved_hours, pending_hours, rejected_hours,
       approved_hours_per_member, is_zero_activity
from mart_report_in_by_unit_month
where month_start = $start and (paired_street_code = $street or $street is null)
  and ($scope::varchar[] is null or list_contains($scope::varchar[], paired_street_code))
order by report_in_rate desc nulls last, approved_hours desc
