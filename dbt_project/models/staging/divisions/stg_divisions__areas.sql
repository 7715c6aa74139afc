with

source as (

    select * from {{ source('divisions', 'areas') }}

),

renamed as (

    select
        ----------  ids
        code as area_code,
        parent_code,

        ---------- text
        level as area_level,
        name as area_name,
        compound_type,
        nullif(hotspot, '') as hotspot,

        ---------- geometry (WGS-84)
        geometry as geometry_geojson,
        geometry_type,
        centroid_lon,
        centroid_lat,

        ---------- lineage
        _file as source_file,
        _loaded_at as loaded_at

    from source

)

select * from renamed
