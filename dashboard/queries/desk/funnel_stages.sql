-- The funnel's stages for the case set, with the step and cumulative conversion: sums of
-- mart_case_funnel_stages (dbt owns which stage a case reached and what each step is divided by).
select stage_no, stage_code, sum(cases)::bigint as cases,
       sum(cases) / nullif(sum(previous_stage_cases), 0) as conversion,
       sum(cases) / nullif(sum(reported_cases), 0) as of_first
from mart_case_funnel_stages
where period_type = $period_type and period_start = $start
  and {{ case_set }}
group by stage_no, stage_code
order by stage_no
