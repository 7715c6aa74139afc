with

source as (

    select * from {{ source('platform', 'devices') }}

),

renamed as (

    select
        ----------  ids
        device_id,
        grid_code,

        ---------- text
        device_type,
        device_name,
        street_name,
        community_name,
        run_status,

        ---------- dates
        installed_on,

        ---------- coordinates (WGS-84; null unless geo_quality = 'ok')
        lon,
        lat,
        geo_quality,

        ---------- lineage
        _file as source_file,
        _loaded_at as loaded_at

    from source

)

select * from renamed
