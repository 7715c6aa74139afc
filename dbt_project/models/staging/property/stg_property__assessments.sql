with

source as (

    select * from {{ source('property', 'assessments') }}

),

renamed as (

    select
        ----------  ids
        md5(period || '|' || company_credit_code || '|' || project_name) as assessment_id,
        company_credit_code,

        ---------- text
        period as quarter_label,
        company_name,
        project_name,
        street_name,
        community_name,
        deduction_notes,
        nullif(veto, '') as veto_reason,
        nullif(published_list, '') as published_list,

        ---------- booleans
        coalesce(veto, '') <> '' as is_vetoed,

        ---------- numerics
        score_management,
        score_housing,
        score_facilities,
        score_order,
        score_sanitation,
        score_greening,
        score_satisfaction,
        total_score,

        ---------- dates
        make_date(
            cast(left(period, 4) as integer),
            3 * cast(right(period, 1) as integer) - 2,
            1
        ) as quarter_start,

        ---------- lineage
        _file as source_file,
        _loaded_at as loaded_at

    from source

)

select * from renamed
