-- Every division with its ancestors: one row per area (街道, 社区, 网格, 小区) carrying the codes and
-- names of the street / community / grid it lies in. Facts resolve their location through this.
-- A data home without a boundary file (a foreign 311 city: boroughs and community boards) takes its
-- divisions from the case export instead: the names become the codes, the parent is the area the
-- most cases of a child name lie in, the centroid is the cases' mean position, and there is no polygon.

with

boundary_areas as (

    select *, 'boundary_file' as division_source from {{ ref('stg_divisions__areas') }}

),

cases as (

    select * from {{ ref('stg_platform__cases') }}
    -- only when the boundary file names no street at all
    where not exists (
            select 1 from boundary_areas
            where area_level = '街道'
        )

),

derived_areas as (

    {% for level, name_col, parent_col in [
        ('街道', 'street_name', none), ('社区', 'community_name', 'street_name'), ('网格', 'grid_code', 'community_name'),
    ] %}
    select
        {{ name_col }} as area_code,
        '{{ level }}' as area_level,
        {{ name_col }} as area_name,
        {% if parent_col %}mode({{ parent_col }}){% else %}null{% endif %} as parent_code,
        avg(lon) as centroid_lon,
        avg(lat) as centroid_lat
    from cases
    where {{ name_col }} is not null
    group by {{ name_col }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

areas as (

    select * from boundary_areas

    {{ union_all_by_name() }}

    select
        area_code, parent_code, area_level, area_name,
        null::string as compound_type, null::string as hotspot,
        null::string as geometry_geojson, null::string as geometry_type,
        centroid_lon, centroid_lat,
        null::string as source_file, null::timestamp as loaded_at,
        'export' as division_source
    from derived_areas

),

streets as (

    select area_code as street_code, area_name as street_name
    from areas
    where area_level = '街道'

),

communities as (

    select
        a.area_code as community_code,
        a.area_name as community_name,
        s.street_code,
        s.street_name
    from areas as a
    left join streets as s on a.parent_code = s.street_code
    where a.area_level = '社区'

),

grids as (

    select
        a.area_code as grid_code,
        a.area_name as grid_name,
        c.community_code,
        c.community_name,
        c.street_code,
        c.street_name
    from areas as a
    left join communities as c on a.parent_code = c.community_code
    where a.area_level = '网格'

),

flattened as (

    select
        a.area_code,
        a.area_level,
        a.area_name,
        a.parent_code,
        case a.area_level
            when '街道' then a.area_code
            when '社区' then c.street_code
            when '网格' then g.street_code
            when '小区' then kg.street_code
        end as street_code,
        case a.area_level
            when '街道' then a.area_name
            when '社区' then c.street_name
            when '网格' then g.street_name
            when '小区' then kg.street_name
        end as street_name,
        case a.area_level
            when '社区' then a.area_code
            when '网格' then g.community_code
            when '小区' then kg.community_code
        end as community_code,
        case a.area_level
            when '社区' then a.area_name
            when '网格' then g.community_name
            when '小区' then kg.community_name
        end as community_name,
        case a.area_level
            when '网格' then a.area_code
            when '小区' then kg.grid_code
        end as grid_code,
        case a.area_level
            when '网格' then a.area_name
            when '小区' then kg.grid_name
        end as grid_name,
        a.compound_type,
        a.hotspot,
        a.geometry_geojson,
        a.geometry_type,
        a.centroid_lon,
        a.centroid_lat,
        a.division_source

    from areas as a
    left join communities as c on a.area_level = '社区' and a.area_code = c.community_code
    left join grids as g on a.area_level = '网格' and a.area_code = g.grid_code
    left join grids as kg on a.area_level = '小区' and a.parent_code = kg.grid_code

)

select * from flattened
