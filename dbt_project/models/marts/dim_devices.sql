with

devices as (

    select * from {{ ref('stg_platform__devices') }}

),

areas as (

    select * from {{ ref('int_divisions_flattened') }}

),

cases as (

    select device_id, count(*) as case_count, max(reported_at) as latest_case_at
    from {{ ref('stg_platform__cases') }}
    where device_id is not null
    group by 1

),

final as (

    select
        d.device_id,
        d.device_type,
        d.device_name,
        d.run_status,
        d.installed_on,
        coalesce(g.street_code, s.area_code) as street_code,
        coalesce(g.street_name, d.street_name) as street_name,
        g.community_code,
        coalesce(g.community_name, d.community_name) as community_name,
        d.grid_code,
        d.lon,
        d.lat,
        d.geo_quality,
        coalesce(c.case_count, 0) as case_count,
        c.latest_case_at

    from devices as d
    left join areas as g on g.area_level = '网格' and d.grid_code = g.area_code
    left join areas as s on s.area_level = '街道' and d.street_name = s.area_name
    left join cases as c on d.device_id = c.device_id

)

select * from final
