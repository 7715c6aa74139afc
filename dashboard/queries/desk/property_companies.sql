-- Property companies ranked by their average 总分 in quarter $quarter (ties share a rank).
with q as (
    select company_credit_code, any_value(company_name) as company_name, count(*) as projects,
           avg(total_score) as average_score, min(total_score) as lowest_score,
           count(*) filter (where is_vetoed) as vetoed,
           count(*) filter (where computed_list = '红榜') as computed_red,
           count(*) filter (where computed_list = '黑榜') as computed_black,
           count(*) filter (where published_list = '红榜') as published_red,
           count(*) filter (where published_list = '黑榜') as published_black
    from fct_property_assessments
    where quarter_label = $quarter and (street_code = $street or $street is null) and {{ scope }}
    group by 1
)
select rank() over (order by round(average_score, 9) desc) as company_rank, *
from q
order by company_rank, company_name
