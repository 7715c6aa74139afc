with

assessments as (

    select * from {{ ref('int_property_assessments_listed') }}

),

final as (

    select
        assessment_id,
        quarter_label,
        quarter_start,
        company_credit_code,
        company_name,
        project_name,
        compound_code,
        street_code,
        street_name,
        community_code,
        community_name,
        score_management,
        score_housing,
        score_facilities,
        score_order,
        score_sanitation,
        score_greening,
        score_satisfaction,
        total_score,
        {{ round_shown(
            'coalesce(score_management, 0) + coalesce(score_housing, 0) + coalesce(score_facilities, 0)
            + coalesce(score_order, 0) + coalesce(score_sanitation, 0) + coalesce(score_greening, 0)
            + coalesce(score_satisfaction, 0)',
            2
        ) }} as item_score_sum,
        abs(
            total_score - (
                coalesce(score_management, 0) + coalesce(score_housing, 0) + coalesce(score_facilities, 0)
                + coalesce(score_order, 0) + coalesce(score_sanitation, 0) + coalesce(score_greening, 0)
                + coalesce(score_satisfaction, 0)
            )
        ) > 0.05 as is_total_inconsistent,
        deduction_notes,
        is_vetoed,
        veto_reason,
        street_score_rank,
        city_score_rank,
        rule_id,
        computed_list,
        computed_list_reason,
        published_list,
        coalesce(computed_list, '') <> coalesce(published_list, '') as is_list_disagreement

    from assessments

)

select * from final
