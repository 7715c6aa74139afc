-- The compounds (projects) assessed in quarter $quarter, for the item-score picker.
select assessment_id, project_name, company_name, street_name, total_score
from fct_property_assessments
where quarter_label = $quarter and (street_code = $street or $street is null) and {{ scope }}
order by total_score, project_name
