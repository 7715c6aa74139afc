with

units as (

    select * from {{ ref('stg_party__units') }}

),

members as (

    select unit_id, count(*) as reported_members, min(reported_on) as first_reported_on
    from {{ ref('stg_party__members') }}
    group by 1

),

communities as (

    select area_code as community_code, area_name as community_name, street_code, street_name
    from {{ ref('int_divisions_flattened') }}
    where area_level = '社区'

),

final as (

    select
        u.unit_id,
        u.unit_name,
        u.party_org_name,
        u.unit_type,
        u.roster_members,
        coalesce(m.reported_members, 0) as reported_members,
        m.first_reported_on,
        u.paired_community_name,
        c.community_code as paired_community_code,
        c.street_code as paired_street_code,
        c.street_name as paired_street_name

    from units as u
    left join members as m on u.unit_id = m.unit_id
    left join communities as c on u.paired_community_name = c.community_name

)

select * from final
