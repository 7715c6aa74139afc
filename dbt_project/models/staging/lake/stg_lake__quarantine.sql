{% if lake_files_exist('_quarantine/*/*/*.parquet') %}

with

source as (

    select * from {{ source('lake', 'quarantine') }}

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
        reason as quarantine_reason,
        "column" as column_name,
        detail,
        record as record_json,

        ---------- numerics
        source_row,

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
    null::string as quarantine_reason,
    null::string as column_name,
    null::string as detail,
    null::string as record_json,
    null::bigint as source_row,
    null::timestamp as loaded_at
where false

{% endif %}
