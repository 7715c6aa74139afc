{{ config(
    materialized=daily_materialization(), unique_key='event_id',
    incremental_strategy='delete+insert', on_schema_change='fail'
) }}

with

source as (

    select * from {{ source('grid', 'events') }}
    where {{ only_new_rows() }}

),

renamed as (

    select
        ----------  ids
        event_id,
        grid_code,
        reporter_phone_hash,

        ---------- text
        channel,
        category_major,
        category_minor,
        street_name,
        community_name,
        urgency,
        resolution_level,
        nullif(department_name, '') as department_name,
        status,
        satisfaction,

        ---------- booleans
        status = '已办结' as is_closed,
        status = '已作废' as is_cancelled,
        contacted as is_contacted,
        resolved as is_resolved,

        ---------- timestamps (local wall-clock, Asia/Shanghai)
        reported_at,
        accepted_at,
        dispatched_at,
        closed_at,
        visited_at,

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
