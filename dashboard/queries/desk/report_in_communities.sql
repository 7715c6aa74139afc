select community_code, community_name, street_name, paired_units, roster_members, reported_members,
       report_in_rate, active_members, approved_hours, approved_hours_per_member, zero_activity_units,
       members_reported_to_community, approved_activities_in_community, approved_hours_in_community
from mart_report_in_by_community_month
where month_start = $start and (street_code = $street or $street is null) and {{ scope }}
order by approved_hours_in_community desc
