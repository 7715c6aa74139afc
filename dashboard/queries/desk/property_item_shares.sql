-- The item scores of assessment $assessment_id against each item's maximum: rows of fct_property_item_scores
-- (the scoring table is the seed property_assessment_items).
select i.item_no, i.item_name, i.score, i.max_score, i.score_share
from fct_property_item_scores as i
inner join fct_property_assessments as a using (assessment_id)
where i.assessment_id = $assessment_id and {{ scope }}
order by i.item_no
