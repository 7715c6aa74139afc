-- The 应结案-based rates over the periods of type $period_type (trend), for the city ($street null) or one
-- street: rows of mart_case_flow_trend.
select period_start, period_label, ontime_closure_rate, ontime_disposal_rate, closure_rate, rework_rate
from mart_case_flow_trend
where period_type = $period_type and street_code is not distinct from $street and {{ scope }}
order by period_start
