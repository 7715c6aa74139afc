-- Every 社区 (or a foreign city's second division), plus the '未划分' member (code UNASSIGNED, no street) when a
-- case or grid event lies in no known community.

with

areas as (

    select * from {{ ref('int_divisions_flattened') }}

),

children as (

    select
        community_code,
        count(*) filter (where area_level = '网格') as grid_count,
        count(*) filter (where area_level = '小区') as compound_count
    from areas
    where community_code is not null
    group by 1

),

{{ unassigned_member_cte('community_code') }},

final as (

    select
        a.community_code,
        a.community_name,
        a.street_code,
        a.street_name,
        coalesce(ch.grid_count, 0) as grid_count,
        coalesce(ch.compound_count, 0) as compound_count,
        a.geometry_geojson as boundary_geojson,
        a.centroid_lon,
        a.centroid_lat,
        false as is_unassigned

    from areas as a
    left join children as ch on a.community_code = ch.community_code
    where a.area_level = '社区'

    union all

    -- no street: its cases keep their own street where they have one
    select
        '{{ var("unassigned_code") }}', '{{ var("unassigned_name") }}', null, null, 0, 0, null, null, null, true
    from unassigned

)

select * from final
