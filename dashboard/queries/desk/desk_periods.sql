-- scope: none — the months and quarters of the release (the marts' enumeration), newest first
select distinct period_type, period_start, period_label, is_complete_period,
       cast(period_start + case when period_type = 'month' then interval 1 month else interval 3 month end as date)
           as period_end
from mart_case_flow_by_street
order by period_type, period_start desc
