-- Every assessment's item scores (综合管理 … 群众满意度), one row per assessment and item of the scoring
-- table (seed property_assessment_items), with the item's maximum and the score's share of it: the
-- red/black list page's item chart only reads these rows.

with

assessments as (

    select * from {{ ref('fct_property_assessments') }}

),

items as (

    select * from {{ ref('property_assessment_items') }}

),

scored as (

    select
        a.assessment_id,
        i.item_no,
        i.item_code,
        i.item_name,
        i.max_score,
        case i.item_code
            when 'score_management' then a.score_management
            when 'score_housing' then a.score_housing
            when 'score_facilities' then a.score_facilities
            when 'score_order' then a.score_order
            when 'score_sanitation' then a.score_sanitation
            when 'score_greening' then a.score_greening
            when 'score_satisfaction' then a.score_satisfaction
        end::double as score

    from assessments as a
    cross join items as i

),

final as (

    select
        *,
        {{ safe_ratio('score', 'max_score') }} as score_share

    from scored

)

select * from final
