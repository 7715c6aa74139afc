-- scope: none — the data clock is the release's, not a street's
select max(today_date) as today, max(as_of_at) as as_of
from mart_command_center_kpis
