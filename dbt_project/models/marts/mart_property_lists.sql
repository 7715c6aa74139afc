-- 物业红黑榜 per quarter: every project on the computed list (by the active rule) or on the list as
-- published, side by side, and where the two disagree.

with

assessments as (

    select * from {{ ref('fct_property_assessments') }}

),

final as (

    select
        quarter_label,
        quarter_start,
        assessment_id,
        project_name,
        compound_code,
        company_credit_code,
        company_name,
        street_code,
        street_name,
        community_code,
        community_name,
        total_score,
        street_score_rank,
        city_score_rank,
        is_vetoed,
        veto_reason,
        rule_id,
        computed_list,
        computed_list_reason,
        published_list,
        case
            when (computed_list is not distinct from published_list) then '一致'
            when published_list is null then '应上榜未发布'
            when computed_list is null then '发布但不应上榜'
            else '榜单相反'
        end as agreement,
        is_list_disagreement

    from assessments
    where computed_list is not null or published_list is not null

)

select * from final
