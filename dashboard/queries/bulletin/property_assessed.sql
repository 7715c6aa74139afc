-- How many projects were assessed in quarter $quarter (of $street, or of every street the user may see).
select count(*) as projects
from fct_property_assessments
where quarter_label = $quarter and (street_code = $street or $street is null) and {{ scope }}
