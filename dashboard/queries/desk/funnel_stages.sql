-- The funnel's stages for the case set (reported in [$start, $end)), with the step and cumulative
-- conversion: counts of fct_case_funnel_steps' flags (dbt owns which stage a case reached and what each
-- step is divided by).
select s.stage_no, s.stage_code, count(*) filter (where s.is_stage_reached_hit) as cases,
       count(*) filter (where s.is_stage_reached_hit)
           / nullif(count(*) filter (where s.in_step_conversion_base), 0) as conversion,
       count(*) filter (where s.is_stage_reached_hit)
           / nullif(count(*) filter (where s.in_share_of_reported_base), 0) as of_first
from fct_platform_cases
inner join fct_case_funnel_steps as s using (case_id)
where {{ cohort }}
group by s.stage_no, s.stage_code
order by s.stage_no
