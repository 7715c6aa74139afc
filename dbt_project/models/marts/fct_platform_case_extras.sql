with

extras as (

    select * from {{ ref('stg_platform__case_extras') }}

),

final as (

    select
        case_id,
        extra

    from extras

)

select * from final
