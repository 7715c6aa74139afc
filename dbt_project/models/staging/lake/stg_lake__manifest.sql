{% if lake_files_exist('_manifest.parquet') %}

with

source as (

    select * from {{ source('lake', 'manifest') }}

),

renamed as (

    select
        ----------  ids
        sha256 as file_sha256,

        ---------- text
        file as file_path,
        source as source_name,
        entity as entity_name,
        source || '/' || entity as lake_table,
        profile as profile_name,
        format as file_format,
        encoding as file_encoding,
        status as load_status,
        reason as reject_reason,

        ---------- numerics
        size_bytes,
        rows_read,
        rows_accepted,
        rows_quarantined,
        rows_duplicate,
        rows_updated,
        seconds as load_seconds,

        ---------- timestamps
        loaded_at

    from source

)

select * from renamed

{% else %}

select
    null::string as file_sha256,
    null::string as file_path,
    null::string as source_name,
    null::string as entity_name,
    null::string as lake_table,
    null::string as profile_name,
    null::string as file_format,
    null::string as file_encoding,
    null::string as load_status,
    null::string as reject_reason,
    null::bigint as size_bytes,
    null::bigint as rows_read,
    null::bigint as rows_accepted,
    null::bigint as rows_quarantined,
    null::bigint as rows_duplicate,
    null::bigint as rows_updated,
    null::double as load_seconds,
    null::timestamp as loaded_at
where false

{% endif %}
