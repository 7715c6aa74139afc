with

assessments as (

    select * from {{ ref('int_property_assessments_listed') }}

),

final as (

    select
        company_credit_code,
        {{ arg_max('company_name', 'quarter_start') }} as company_name,
        count(distinct project_name) as project_count,
        count(distinct street_code) as street_count,
        min(quarter_label) as first_assessed_quarter,
        max(quarter_label) as latest_assessed_quarter,
        count(*) as assessment_count,
        count(*) filter (where published_list = '红榜') as published_red_count,
        count(*) filter (where published_list = '黑榜') as published_black_count,
        count(*) filter (where computed_list = '红榜') as computed_red_count,
        count(*) filter (where computed_list = '黑榜') as computed_black_count,
        {{ round_shown('avg(total_score)', 2) }} as average_total_score

    from assessments
    group by 1

)

select * from final
