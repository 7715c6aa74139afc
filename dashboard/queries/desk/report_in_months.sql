-- scope: none — the months of the release
select distinct month_start, month_label, is_complete_period
from mart_report_in_by_unit_month
order by month_start desc
