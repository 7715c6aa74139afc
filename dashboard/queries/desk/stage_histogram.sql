-- Histogram of one stage duration ($stage; log-spaced hour bins): the shape behind the median and P90.
with d as (
    select case $stage
               when 'report_to_accept' then minutes_report_to_accept
               when 'accept_to_file' then minutes_accept_to_file
               when 'file_to_dispatch' then minutes_file_to_dispatch
               when 'dispatch_to_dispose' then minutes_dispatch_to_dispose
               when 'dispose_to_verify' then minutes_dispose_to_verify
               when 'verify_to_close' then minutes_verify_to_close
               else minutes_report_to_close end / 60.0 as hours
    from fct_platform_cases
    where {{ cohort }}
)
select b.bin, b.lower_hours, b.upper_hours, count(d.hours) as cases
from (
    select i as bin, case when i = 0 then 0 else pow(2, i - 3) end as lower_hours, pow(2, i - 2) as upper_hours
    from range(0, 14) t(i)
) b
left join d on d.hours >= b.lower_hours and (d.hours < b.upper_hours or (b.bin = 13 and d.hours >= b.lower_hours))
group by all
order by b.bin
