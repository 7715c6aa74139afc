-- 双报到 per unit and period: the roster, how many of its members had reported in by the end of the
-- period (报到率 = reported / roster), who reported in during it, and their approved service.

with

units as (

    select * from {{ ref('dim_party_units') }}

),

members as (

    select * from {{ ref('stg_party__members') }}

),

activities as (

    select * from {{ ref('int_party_activities_approved') }}

),

periods as (

    select * from {{ ref('int_periods_enumerated') }}

),

reported as (

    select
        p.period_type,
        p.period_start,
        m.unit_id,
        count(*) filter (where m.reported_on < p.period_end) as reported_members,
        count(*) filter (where m.reported_on >= p.period_start and m.reported_on < p.period_end)
            as newly_reported_members

    from members as m
    cross join periods as p
    group by all

),

served as (

    select
        p.period_type,
        p.period_start,
        a.unit_id,
        count(*) filter (where a.is_approved) as approved_activities,
        count(distinct a.member_id) filter (where a.is_approved) as active_members,
        coalesce(sum(a.service_hours) filter (where a.is_approved), 0) as approved_hours,
        coalesce(sum(a.service_hours) filter (where a.review_status = '待审核'), 0) as pending_hours,
        coalesce(sum(a.service_hours) filter (where a.review_status = '驳回'), 0) as rejected_hours

    from activities as a
    inner join periods as p
        on a.activity_date >= p.period_start and a.activity_date < p.period_end
    where a.unit_id is not null
    group by all

),

final as (

    select
        p.period_type,
        p.period_start,
        p.period_label,
        p.is_complete_period,
        u.unit_id,
        u.unit_name,
        u.party_org_name,
        u.unit_type,
        u.paired_community_code,
        u.paired_community_name,
        u.paired_street_code,
        u.paired_street_name,
        u.roster_members,
        coalesce(r.reported_members, 0) as reported_members,
        coalesce(r.newly_reported_members, 0) as newly_reported_members,
        coalesce(s.active_members, 0) as active_members,
        coalesce(s.approved_activities, 0) as approved_activities,
        coalesce(s.approved_hours, 0)::double as approved_hours,
        coalesce(s.pending_hours, 0)::double as pending_hours,
        coalesce(s.rejected_hours, 0)::double as rejected_hours

    from units as u
    cross join periods as p
    left join reported as r
        on r.unit_id = u.unit_id and r.period_type = p.period_type and r.period_start = p.period_start
    left join served as s
        on s.unit_id = u.unit_id and s.period_type = p.period_type and s.period_start = p.period_start

)

select * from final
