-- Median, quartiles and P10/P90 of each stage duration (hours) of the cohort.
with d as (
    unpivot (
        select minutes_report_to_accept, minutes_accept_to_file, minutes_file_to_dispatch,
               minutes_dispatch_to_dispose, minutes_dispose_to_verify, minutes_verify_to_close,
               minutes_report_to_close
        from fct_platform_cases
        where {{ cohort }}
    ) on columns(*) into name stage value minutes
)
select replace(stage, 'minutes_', '') as stage,
       count(*) as cases,
       quantile_cont(minutes, 0.1) / 60.0 as p10_hours,
       quantile_cont(minutes, 0.25) / 60.0 as p25_hours,
       quantile_cont(minutes, 0.5) / 60.0 as median_hours,
       quantile_cont(minutes, 0.75) / 60.0 as p75_hours,
       quantile_cont(minutes, 0.9) / 60.0 as p90_hours,
       avg(minutes) / 60.0 as mean_hours
from d
group by stage
