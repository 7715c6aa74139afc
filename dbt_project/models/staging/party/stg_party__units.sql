with

source as (

    select * from {{ source('party', 'units') }}

),

renamed as (

    select
        ----------  ids
        md5(unit_name) as unit_id,

        ---------- text
        unit_name,
        party_org_name,
        unit_type,
        paired_community_name,

        ---------- numerics
        member_count as roster_members,

        ---------- lineage
        _file as source_file,
        _loaded_at as loaded_at

    from source

)

select * from renamed
