"""Named SQL of the big-screen pages (command center, map) and the shared filters."""

# ── shared ────────────────────────────────────────────────────────────────────
STREETS = "select street_code, street_name from dim_streets order by street_code"

DATA_CLOCK = """
select max(today_date) as today, max(as_of_at) as as_of
from mart_command_center_kpis
"""

# ── command center ───────────────────────────────────────────────────────────
KPIS = """
select kpi_code, kpi_name, kpi_unit, display_order, today_date, as_of_at,
       value_today, value_yesterday, value_month_to_date, value_same_period_last_year
from mart_command_center_kpis
order by display_order
"""

GRID_TODAY = """
select g.grid_code, g.grid_name, g.community_name, g.street_code, g.street_name, g.boundary_geojson,
       g.centroid_lon, g.centroid_lat,
       coalesce(m.new_cases, 0) + coalesce(m.new_events, 0) as intake,
       coalesce(m.open_cases, 0) as backlog,
       coalesce(m.overdue_cases, 0) as overdue
from dim_grids g
left join mart_map_grid_daily m on m.grid_code = g.grid_code and m.map_date = ?
where (? is null or g.street_code = ?)
"""

STREET_BOUNDARIES = "select street_code, street_name, boundary_geojson from dim_streets"

URGENT_OPEN_CASES = """
select case_id, reported_at, street_name, community_name, category_minor, source_channel, current_status,
       is_overdue, lon, lat
from fct_platform_cases
where is_open and urgency = '紧急' and (? is null or street_code = ?)
order by reported_at desc
limit ?
"""

TREND_30_DAYS = """
select map_date as day, sum(new_cases) as cases, sum(new_events) as events
from mart_map_grid_daily
where map_date > cast(? as date) - interval 30 day and map_date <= ? and (? is null or street_code = ?)
group by 1 order by 1
"""

INTAKE_BY_SOURCE = """
select source_channel as source, count(*) as cases
from fct_platform_cases
where reported_date > cast(? as date) - interval 30 day and reported_date <= ? and (? is null or street_code = ?)
group by 1 order by 2 desc
"""

INTAKE_BY_CATEGORY = """
select category_major as category, count(*) as cases
from fct_platform_cases
where reported_date > cast(? as date) - interval 30 day and reported_date <= ? and (? is null or street_code = ?)
group by 1 order by 2 desc limit 8
"""

STREET_BOARD = """
select street_name, any_value(composite_score) as score, any_value(composite_rank) as rank,
       any_value(rank_change) as rank_change, any_value(period_label) as period
from mart_street_ranking
where period_type = 'month'
  and period_start = (select max(period_start) from mart_street_ranking where period_type = 'month')
group by street_name
order by rank
"""

# ── map ──────────────────────────────────────────────────────────────────────
CASE_DATE_RANGE = "select min(reported_date) as first, max(reported_date) as last from fct_platform_cases"
SOURCES = "select distinct source_channel from fct_platform_cases order by 1"
CATEGORIES = "select distinct category_major from fct_platform_cases order by 1"
STATUSES = "select distinct current_status from fct_platform_cases order by 1"

# Filters shared by the map queries: date from/to, sources, categories, statuses (lists; empty = all), street.
_CASE_FILTER = """
reported_date between ? and ?
and (len(?::varchar[]) = 0 or list_contains(?::varchar[], source_channel))
and (len(?::varchar[]) = 0 or list_contains(?::varchar[], category_major))
and (len(?::varchar[]) = 0 or list_contains(?::varchar[], current_status))
and (? is null or street_code = ?)
"""

GRID_METRICS = f"""
with c as (
    select grid_code,
           count(*) as new_cases,
           count(*) filter (where is_open) as backlog,
           count(*) filter (where is_overdue) as overdue,
           count(*) filter (where is_closed_on_time)
               / nullif(count(*) filter (where is_closed and is_closed_on_time is not null), 0) as ontime_rate
    from fct_platform_cases
    where {_CASE_FILTER}
    group by 1
)
select g.grid_code, g.grid_name, g.community_name, g.street_name, g.boundary_geojson, g.centroid_lon, g.centroid_lat,
       coalesce(c.new_cases, 0) as new_cases, coalesce(c.backlog, 0) as backlog,
       coalesce(c.overdue, 0) as overdue, c.ontime_rate
from dim_grids g left join c using (grid_code)
where (? is null or g.street_code = ?)
"""

# Case density, binned in SQL (≈ 100 m cells) so the browser never receives raw points.
CASE_DENSITY = f"""
select round(lon, 3) as lon, round(lat, 3) as lat, count(*) as cases
from fct_platform_cases
where lon is not null and {_CASE_FILTER}
group by 1, 2
limit 50000
"""

# Cases per cell of 0.005° (about 500 m) for a city without grid boundaries (a 311 export): what its
# map draws instead of grids. Case filter as above; at most 5,000 cells.
BIN_DEGREES = 0.005
CASE_BINS = f"""
select round(lon / {BIN_DEGREES}) * {BIN_DEGREES} as lon, round(lat / {BIN_DEGREES}) * {BIN_DEGREES} as lat,
       count(*) as cases, count(*) filter (where is_open) as backlog, count(*) filter (where is_overdue) as overdue
from fct_platform_cases
where lon is not null and {_CASE_FILTER}
group by 1, 2
order by cases desc
limit 5000
"""

DEVICE_COUNT = (
    "select count(*) as n from dim_devices where lon is not null and (? is null or street_code = ?)"
)

DEVICES = """
select device_id, device_type, device_name, grid_code, lon, lat
from dim_devices
where lon is not null and (? is null or street_code = ?)
limit 50000
"""

DEVICES_BINNED = """
select device_type, round(lon, 3) as lon, round(lat, 3) as lat, count(*) as devices
from dim_devices
where lon is not null and (? is null or street_code = ?)
group by all
limit 50000
"""

GRID_RECENT_CASES = """
select case_id, reported_at, source_channel, category_minor, urgency, current_status, is_overdue,
       handling_department_name
from fct_platform_cases
where grid_code = ?
order by reported_at desc
limit 50
"""
