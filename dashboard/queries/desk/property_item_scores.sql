select assessment_id, quarter_label, project_name, company_name, street_name, community_name,
       score_management, score_housing, score_facilities, score_order, score_sanitation, score_greening,
       score_satisfaction, total_score, item_score_sum, is_total_inconsistent, deduction_notes,
       is_vetoed, veto_reason, street_score_rank, city_score_rank, computed_list, computed_list_reason,
       published_list
from fct_property_assessments
where assessment_id = $assessment_id and {{ scope }}
