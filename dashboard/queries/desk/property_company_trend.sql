-- Company average 总分 per quarter, for the trend.
select company_credit_code, any_value(company_name) as company_name, quarter_start, quarter_label,
       avg(total_score) as average_score, count(*) as projects
from fct_property_assessments
where (street_code = $street or $street is null) and {{ scope }}
group by company_credit_code, quarter_start, quarter_label
order by quarter_start
