with

units as (

    select * from {{ ref('int_party_units_by_period') }}
    where period_type = 'month'

),

final as (

    select
        period_start as month_start,
        period_label as month_label,
        is_complete_period,
        unit_id,
        unit_name,
        party_org_name,
        unit_type,
        paired_community_code,
        paired_community_name,
        paired_street_code,
        paired_street_name,
        roster_members,
        reported_members,
        newly_reported_members,
        {{ safe_ratio('reported_members', 'roster_members') }} as report_in_rate,
        reported_members > roster_members as is_over_roster,
        active_members,
        approved_activities,
        approved_hours,
        pending_hours,
        rejected_hours,
        {{ safe_ratio('approved_hours', 'reported_members') }} as approved_hours_per_member,
        approved_activities = 0 as is_zero_activity

    from units

)

select * from final
