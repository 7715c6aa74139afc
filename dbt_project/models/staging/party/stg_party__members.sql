with

source as (

    select * from {{ source('party', 'members') }}

),

renamed as (

    select
        ----------  ids
        member_id,
        md5(unit_name) as unit_id,
        member_name_hash,

        ---------- text
        unit_name,
        community_name,

        ---------- dates
        reported_on,

        ---------- lineage
        _file as source_file,
        _loaded_at as loaded_at

    from source

)

select * from renamed
