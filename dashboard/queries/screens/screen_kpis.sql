-- The big screen's KPI cards for the city ($street null) or one street, each with its basis.
select kpi_code, kpi_name, kpi_unit, display_order, basis, today_date, as_of_at, kpi_value, previous_value,
       denominator
from mart_screen_kpis
where street_code is not distinct from $street
  and ($scope::varchar[] is null or list_contains($scope::varchar[], street_code))
order by display_order
