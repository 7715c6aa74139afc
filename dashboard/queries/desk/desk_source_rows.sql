-- scope: none — whether each source was loaded at all (a page says so in words when not)
select (select count(*) from fct_platform_cases) as platform_cases,
       (select count(*) from fct_grid_events) as grid_events,
       (select count(*) from mart_report_in_by_unit_month) as report_in_units,
       (select count(*) from fct_property_assessments) as property_assessments
