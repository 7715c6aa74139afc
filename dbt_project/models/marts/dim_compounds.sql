with

areas as (

    select * from {{ ref('int_divisions_flattened') }}

),

assessments as (

    select * from {{ ref('int_property_assessments_listed') }}

),

latest_assessment as (

    select
        compound_code,
        {{ arg_max('company_credit_code', 'quarter_start') }} as company_credit_code,
        {{ arg_max('company_name', 'quarter_start') }} as company_name,
        max(quarter_label) as latest_assessed_quarter,
        {{ arg_max('total_score', 'quarter_start') }} as latest_total_score,
        count(*) as assessment_count

    from assessments
    where compound_code is not null
    group by 1

),

final as (

    select
        a.area_code as compound_code,
        a.area_name as compound_name,
        a.compound_type,
        a.hotspot,
        a.grid_code,
        a.community_code,
        a.community_name,
        a.street_code,
        a.street_name,
        a.centroid_lon as lon,
        a.centroid_lat as lat,
        la.company_credit_code,
        la.company_name,
        la.latest_assessed_quarter,
        la.latest_total_score,
        coalesce(la.assessment_count, 0) as assessment_count

    from areas as a
    left join latest_assessment as la on a.area_code = la.compound_code
    where a.area_level = '小区'

)

select * from final
