with

activities as (

    select * from {{ ref('int_party_activities_approved') }}

),

units as (

    select unit_id, party_org_name, unit_type, paired_community_code
    from {{ ref('dim_party_units') }}

),

final as (

    select
        a.activity_id,
        a.member_id,
        a.unit_id,
        a.unit_name,
        u.party_org_name,
        u.unit_type,
        u.paired_community_code,
        a.community_code,
        a.community_name,
        a.street_code,
        a.street_name,
        a.activity_date,
        a.activity_month,
        a.activity_type,
        a.review_status,
        a.is_approved,
        a.service_hours,
        a.approved_hours,
        a.is_member_known

    from activities as a
    left join units as u on a.unit_id = u.unit_id

)

select * from final
