with

source as (

    select * from {{ source('party', 'activities') }}

),

renamed as (

    select
        ----------  ids
        activity_id,
        member_id,

        ---------- text
        community_name,
        activity_type,
        review_status,

        ---------- booleans
        review_status = '已审核' as is_approved,

        ---------- numerics
        service_hours,

        ---------- dates
        activity_date,

        ---------- lineage
        _file as source_file,
        _loaded_at as loaded_at

    from source

)

select * from renamed
