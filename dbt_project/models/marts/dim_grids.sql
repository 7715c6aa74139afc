with

areas as (

    select * from {{ ref('int_divisions_flattened') }}

),

compounds as (

    select grid_code, count(*) as compound_count
    from areas
    where area_level = '小区'
    group by 1

),

final as (

    select
        a.grid_code,
        a.grid_name,
        a.community_code,
        a.community_name,
        a.street_code,
        a.street_name,
        a.hotspot,
        coalesce(k.compound_count, 0) as compound_count,
        a.geometry_geojson as boundary_geojson,
        a.centroid_lon,
        a.centroid_lat

    from areas as a
    left join compounds as k on a.grid_code = k.grid_code
    where a.area_level = '网格'

)

select * from final
