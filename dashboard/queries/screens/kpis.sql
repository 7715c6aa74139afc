-- scope: none — the city-wide KPI rows of the big screen
select kpi_code, kpi_name, kpi_unit, display_order, today_date, as_of_at,
       value_today, value_yesterday, value_month_to_date, value_same_period_last_year
from mart_command_center_kpis
order by display_order
