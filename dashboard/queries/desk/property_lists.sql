-- The projects on either list in quarter $quarter.
select project_name, company_name, street_name, community_name, total_score, street_score_rank,
       city_score_rank, is_vetoed, veto_reason, computed_list, computed_list_reason, published_list,
       agreement, is_list_disagreement, assessment_id, compound_code
from mart_property_lists
where quarter_label = $quarter and (street_code = $street or $street is null) and {{ scope }}
order by coalesce(computed_list, published_list) desc, total_score desc
