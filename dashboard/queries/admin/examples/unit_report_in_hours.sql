-- 某单位各月双报到服务时长（只计已审核）：默认取服务时长最多的单位
-- A unit's approved report-in service hours by month (the busiest unit unless you name another)
with pick as (
    select unit_id
    from mart_report_in_by_unit_month
    group by unit_id
    order by sum(approved_hours) desc, unit_id
    limit 1
)
select
    u.month_label,
    u.unit_name,
    u.paired_community_name,
    u.roster_members,
    u.reported_members,
    u.active_members,
    u.approved_activities,
    u.approved_hours,
    u.pending_hours,
    u.approved_hours_per_member
from mart_report_in_by_unit_month as u
join pick using (unit_id)
order by u.month_start
