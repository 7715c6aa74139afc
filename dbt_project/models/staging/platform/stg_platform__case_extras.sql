with

source as (

    select * from {{ source('platform', 'cases') }}

),

renamed as (

    select
        case_id,
        -- the profile's own columns outside the canonical set (loader: `_extra`), e.g. a city's on-time verdict
        cast(_extra as {{ type_json() }}) as extra

    from source
    where _extra is not null

)

select * from renamed
