-- Every 街道 (or a foreign city's top division), plus the '未划分' member (code UNASSIGNED) when a case or
-- grid event lies in no known street, so street totals add up to the city total.

with

areas as (

    select * from {{ ref('int_divisions_flattened') }}

),

children as (

    select
        street_code,
        count(*) filter (where area_level = '社区') as community_count,
        count(*) filter (where area_level = '网格') as grid_count,
        count(*) filter (where area_level = '小区') as compound_count
    from areas
    group by 1

),

{{ unassigned_member_cte('street_code') }},

final as (

    select
        a.street_code,
        a.street_name,
        coalesce(ch.community_count, 0) as community_count,
        coalesce(ch.grid_count, 0) as grid_count,
        coalesce(ch.compound_count, 0) as compound_count,
        a.geometry_geojson as boundary_geojson,
        a.centroid_lon,
        a.centroid_lat,
        a.division_source,
        false as is_unassigned

    from areas as a
    left join children as ch on a.street_code = ch.street_code
    where a.area_level = '街道'

    union all

    select
        '{{ var("unassigned_code") }}', '{{ var("unassigned_name") }}', 0, 0, 0,
        null, null, null, 'unassigned', true
    from unassigned

)

select * from final
