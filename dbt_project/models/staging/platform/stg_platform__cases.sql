{{ config(
    materialized=daily_materialization(), unique_key='case_id',
    incremental_strategy='delete+insert', on_schema_change='fail'
) }}

with

source as (

    select * from {{ source('platform', 'cases') }}
    where {{ only_new_rows() }}

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
        case_class,
        street_name,
        community_name,
        coalesce(urgency, '一般') as urgency,
        department_name,
        address,
        resolution,

        ---------- state as the export itself states it (311 / Open311; the Chinese platform's
        ---------- case export has none, its state comes from the workflow log)
        status as export_status,

        ---------- timestamps: wall-clock time in the export's own zone (`timezone`)
        reported_at,
        closed_at as export_closed_at,
        deadline_at as export_deadline_at,
        updated_at as export_updated_at,
        -- rows loaded before zones were recorded came from the built-in Chinese profiles
        coalesce(_timezone, 'Asia/Shanghai') as timezone,
        -- the profile's rule for a request without a deadline: on time once closed (BRIEF §4) or unknown
        coalesce(_no_deadline, 'on_time') as no_deadline_rule,

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
