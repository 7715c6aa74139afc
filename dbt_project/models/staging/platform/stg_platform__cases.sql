with

source as (

    select * from {{ source('platform', 'cases') }}

),

renamed as (

    select
        ----------  ids
        case_id,
        nullif(device_id, '') as device_id,
        grid_code,
        caller_phone_hash,

        ---------- text
        source_channel,
        problem_type,
        category_major,
        category_minor,
        street_name,
        community_name,
        coalesce(urgency, '一般') as urgency,

        ---------- timestamps (local wall-clock, Asia/Shanghai)
        reported_at,

        ---------- coordinates (WGS-84; null unless geo_quality = 'ok')
        lon,
        lat,
        datum_raw,
        geo_quality,

        ---------- lineage
        _file as source_file,
        _loaded_at as loaded_at

    from source

)

select * from renamed
