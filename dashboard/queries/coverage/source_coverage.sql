-- scope: none — how many rows each source system put into the release (a foreign 311 city has only cases)
select
    (select count(*) from fct_platform_cases) as platform_cases,
    (select count(*) from fct_workflow_actions) as workflow,
    (select count(*) from fct_grid_events) as grid_events,
    (select count(*) from dim_party_units) as report_in,
    (select count(*) from fct_property_assessments) as property,
    (select count(*) from dim_streets where boundary_geojson is not null) as boundaries,
    (select count(*) from dim_devices) as devices
