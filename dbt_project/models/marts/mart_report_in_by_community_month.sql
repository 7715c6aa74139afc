-- 双报到 per community and month, through the units paired with the community (联系社区): their
-- roster, reported-in members, approved service hours and the units with no approved activity;
-- plus the service actually delivered in the community (by the activity's community).

with

units as (

    select * from {{ ref('int_party_units_by_period') }}
    where period_type = 'month'

),

activities as (

    select * from {{ ref('int_party_activities_approved') }}

),

members as (

    select community_name, reported_on from {{ ref('stg_party__members') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}
    where period_type = 'month'

),

communities as (

    select community_code, community_name, street_code, street_name from {{ ref('dim_communities') }}

),

paired as (

    select
        period_start,
        paired_community_code as community_code,
        count(*) as paired_units,
        sum(roster_members) as roster_members,
        sum(reported_members) as reported_members,
        sum(active_members) as active_members,
        sum(approved_hours) as approved_hours,
        count(*) filter (where approved_activities = 0) as zero_activity_units

    from units
    group by all

),

served_here as (

    select
        p.period_start,
        a.community_code,
        count(*) filter (where a.is_approved) as approved_activities_in_community,
        coalesce(sum(a.service_hours) filter (where a.is_approved), 0) as approved_hours_in_community

    from activities as a
    inner join periods as p
        on a.activity_date >= p.period_start and a.activity_date < p.period_end
    group by all

),

reported_here as (

    select
        p.period_start,
        c.community_code,
        count(*) filter (where m.reported_on < p.period_end) as members_reported_to_community

    from members as m
    inner join communities as c on m.community_name = c.community_name
    cross join periods as p
    group by all

),

final as (

    select
        p.period_start as month_start,
        p.period_label as month_label,
        p.is_complete_period,
        c.street_code,
        c.street_name,
        c.community_code,
        c.community_name,
        coalesce(pr.paired_units, 0) as paired_units,
        coalesce(pr.roster_members, 0) as roster_members,
        coalesce(pr.reported_members, 0) as reported_members,
        {{ safe_ratio('pr.reported_members', 'pr.roster_members') }} as report_in_rate,
        coalesce(pr.active_members, 0) as active_members,
        coalesce(pr.approved_hours, 0)::double as approved_hours,
        {{ safe_ratio('pr.approved_hours', 'pr.reported_members') }} as approved_hours_per_member,
        coalesce(pr.zero_activity_units, 0) as zero_activity_units,
        coalesce(rh.members_reported_to_community, 0) as members_reported_to_community,
        coalesce(sh.approved_activities_in_community, 0) as approved_activities_in_community,
        coalesce(sh.approved_hours_in_community, 0)::double as approved_hours_in_community

    from periods as p
    cross join communities as c
    left join paired as pr on pr.period_start = p.period_start and pr.community_code = c.community_code
    left join served_here as sh on sh.period_start = p.period_start and sh.community_code = c.community_code
    left join reported_here as rh on rh.period_start = p.period_start and rh.community_code = c.community_code

)

select * from final
