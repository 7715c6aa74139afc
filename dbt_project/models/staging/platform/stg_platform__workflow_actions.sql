{{ config(
    materialized=daily_materialization(), unique_key='action_id',
    incremental_strategy='delete+insert', on_schema_change='fail'
) }}

with

source as (

    select * from {{ source('platform', 'workflow') }}
    where {{ only_new_rows() }}

),

renamed as (

    select
        ----------  ids
        md5(case_id || '|' || action || '|' || {{ format_datetime('action_at', '%Y-%m-%d %H:%M:%S') }}) as action_id,
        case_id,

        ---------- text
        action,
        nullif(department_name, '') as department_name,
        note,

        ---------- timestamps (local wall-clock, Asia/Shanghai)
        action_at,

        ---------- lineage
        _file as source_file,
        _loaded_at as loaded_at

    from source

)

select * from renamed
