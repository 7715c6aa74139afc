-- Service activities of reported-in party members, with the member's unit and the community served;
-- only 已审核 hours count as approved hours.

with

activities as (

    select * from {{ ref('stg_party__activities') }}

),

members as (

    select * from {{ ref('stg_party__members') }}

),

communities as (

    select area_code as community_code, area_name as community_name, street_code, street_name
    from {{ ref('int_divisions_flattened') }}
    where area_level = '社区'

),

final as (

    select
        ---------- ids
        a.activity_id,
        a.member_id,
        m.unit_id,
        c.community_code,
        c.street_code,

        ---------- descriptors
        m.unit_name,
        a.community_name,
        c.street_name,
        a.activity_type,
        a.review_status,
        m.member_id is not null as is_member_known,

        ---------- dates
        a.activity_date,
        date_trunc('month', a.activity_date)::date as activity_month,

        ---------- hours
        a.is_approved,
        a.service_hours,
        case when a.is_approved then a.service_hours else 0 end as approved_hours

    from activities as a
    left join members as m on a.member_id = m.member_id
    left join communities as c on a.community_name = c.community_name

)

select * from final
