-- On-time rates over the periods of type $period_type (trend).
select period_start, period_label,
       sum(closed_on_time_cases) / nullif(sum(ontime_due_cases), 0) as ontime_closure_rate,
       sum(disposed_on_time_cases) / nullif(sum(ontime_disposal_due_cases), 0) as ontime_disposal_rate,
       sum(closed_cases) / nullif(sum(due_cases), 0) as closure_rate,
       sum(reworked_cases) / nullif(sum(due_cases), 0) as rework_rate
from mart_case_flow_by_street
where period_type = $period_type and ($street is null or street_code = $street) and {{ scope }}
group by all
order by period_start
