-- The same compound over the quarters (by project and company).
select f.quarter_start, f.quarter_label, f.total_score, f.computed_list, f.published_list
from fct_property_assessments as f
inner join fct_property_assessments as a
    on a.assessment_id = $assessment_id and f.project_name = a.project_name
    and f.company_credit_code = a.company_credit_code
where ($scope::varchar[] is null or list_contains($scope::varchar[], f.street_code))
order by f.quarter_start
