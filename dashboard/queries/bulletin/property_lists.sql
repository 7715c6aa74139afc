-- The projects on either list in quarter $quarter (of $street, or of every street the user may see), as the
-- mart compares them.
select project_name, company_name, street_name, total_score, computed_list, computed_list_reason,
       published_list, agreement, is_list_disagreement
from mart_property_lists
where quarter_label = $quarter and (street_code = $street or $street is null) and {{ scope }}
order by coalesce(computed_list, published_list) desc, total_score desc, project_name
