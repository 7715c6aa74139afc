"""Named SQL of the analyst and data-admin pages (workbench, data health).

Release queries run through ``db.query``; the ``LAKE_*`` queries run on the Parquet lake through
:func:`lake_frame` (a throwaway in-memory DuckDB, never the release connection). The
``WORKBENCH_EXAMPLES`` are what an analyst starts from: each runs in the sandbox on the demo marts.
"""

from pathlib import Path as _Path
from typing import Any as _Any

import duckdb as _duckdb
import polars as _pl

# ── workbench ────────────────────────────────────────────────────────────────
MART_COLUMNS = """
select table_name, column_name, data_type
from information_schema.columns
where table_schema = 'main'
  and (table_name like 'dim\\_%' escape '\\' or table_name like 'fct\\_%' escape '\\'
       or table_name like 'mart\\_%' escape '\\')
order by table_name, ordinal_position
"""

# label key → SQL. The label keys live in dashboard/labels/admin.py.
WORKBENCH_EXAMPLES: dict[str, str] = {
    "example_overdue_by_street": """-- 本月超期案件（按街道）：期限落在数据时钟所在月、至今未结案的城运案件
-- This month's overdue cases by street: due in the data clock's month and still open past the deadline
with clock as (
    select max(today_date) as today, max(as_of_at) as as_of from mart_command_center_kpis
)
select
    c.street_name,
    count(*) as overdue_cases,
    count(*) filter (where c.urgency = '紧急') as urgent_overdue,
    round(avg(date_diff('minute', c.deadline_at, k.as_of)) / 60.0, 1) as avg_hours_overdue,
    min(c.deadline_at) as oldest_deadline
from fct_platform_cases as c
cross join clock as k
where c.is_overdue
  and date_trunc('month', c.due_at) = date_trunc('month', k.today)
group by c.street_name
order by overdue_cases desc
""",
    "example_department_rework": """-- 某部门各月返工（核查不通过）：默认取返工最多的部门；
-- 要看别的部门，把 pick 换成 select '部门名称' as department_name
-- A department's rework by month (the one with most rework unless you name another)
with pick as (
    select department_name
    from mart_case_flow_by_department
    where period_type = 'month'
    group by department_name
    order by sum(reworked_cases) desc, department_name
    limit 1
)
select
    d.period_label,
    d.department_name,
    d.due_cases,
    d.closed_cases,
    d.reworked_cases,
    d.rework_loops,
    round(d.rework_rate * 100, 1) as rework_rate_pct
from mart_case_flow_by_department as d
join pick using (department_name)
where d.period_type = 'month'
order by d.period_start
""",
    "example_unit_report_in_hours": """-- 某单位各月双报到服务时长（只计已审核）：默认取服务时长最多的单位
-- A unit's approved report-in service hours by month (the busiest unit unless you name another)
with pick as (
    select unit_id
    from mart_report_in_by_unit_month
    group by unit_id
    order by sum(approved_hours) desc, unit_id
    limit 1
)
select
    u.month_label,
    u.unit_name,
    u.paired_community_name,
    u.roster_members,
    u.reported_members,
    u.active_members,
    u.approved_activities,
    u.approved_hours,
    u.pending_hours,
    u.approved_hours_per_member
from mart_report_in_by_unit_month as u
join pick using (unit_id)
order by u.month_start
""",
    "example_street_ranking": """-- 最近一个月的街道综合排名及名次变化
-- Street ranking for the latest month, with the change in rank
select distinct
    period_label,
    composite_rank,
    street_name,
    round(composite_score, 3) as composite_score,
    rank_change,
    has_small_denominator
from mart_street_ranking
where period_type = 'month'
  and period_start = (select max(period_start) from mart_street_ranking where period_type = 'month')
order by composite_rank
""",
    "example_three_rates": """-- 各街道每月“三率”（响应率、解决率、满意率）
-- The three rates (response, resolution, satisfaction) by street and month
select
    month_label,
    street_name,
    valid_visits,
    round(response_rate * 100, 1) as response_rate_pct,
    round(resolution_rate * 100, 1) as resolution_rate_pct,
    round(satisfaction_rate * 100, 1) as satisfaction_rate_pct
from mart_three_rates_by_street_month
order by month_start, street_name
""",
    "example_cases_by_source": """-- 各来源渠道每月案件量与按期结案情况
-- Cases per source channel and month, with on-time closure
select
    reported_month,
    source_channel,
    count(*) as cases,
    count(*) filter (where is_closed) as closed,
    count(*) filter (where is_closed_on_time) as closed_on_time
from fct_platform_cases
group by all
order by reported_month, cases desc
""",
}

# ── data health: the current release ─────────────────────────────────────────
SOURCE_HEALTH = """
select
    lake_table, source_name, entity_name, table_label, lake_rows,
    latest_record_at, record_time_basis,
    date_diff('day', cast(latest_record_at as date),
              cast(current_timestamp at time zone 'Asia/Shanghai' as date)) as lag_days_to_today,
    lag_hours_to_data_clock, data_clock_at,
    files_loaded, files_rejected, rows_read, rows_accepted, rows_quarantined_in_manifest, rows_duplicate,
    rows_updated, last_load_at, last_rejected_file, last_reject_reason, quarantined_rows, quarantine_summary,
    flagged_rows, flag_summary
from mart_data_health
order by source_name, entity_name
"""

# ── data health: the lake, read directly (parameter: a list of Parquet files) ─
LAKE_MANIFEST = """
select
    coalesce(source || '/' || entity, '(unrecognised)') as lake_table,
    file, status, reason, format, encoding, profile,
    rows_read, rows_accepted, rows_quarantined, rows_duplicate, rows_updated,
    rows_read = rows_accepted + rows_quarantined + rows_duplicate as rows_add_up,
    size_bytes, loaded_at, seconds, sha256
from read_parquet(?)
order by lake_table, loaded_at desc, file
"""

LAKE_QUARANTINE_BY_REASON = """
select source || '/' || entity as lake_table, reason, count(*) as quarantined_rows,
       count(distinct file) as files, max(loaded_at) as last_loaded_at
from read_parquet(?, union_by_name = true)
group by all
order by lake_table, quarantined_rows desc, reason
"""

# Sample rows of one table and reason: only the masked record, never the lake's own columns. The
# detail quotes the raw value of a column that failed to parse, so it is shown only for row checks
# (no column) and for columns known not to be personal data (parameter 2: '<table>.<column>' list).
LAKE_QUARANTINE_SAMPLE = """
select file, source_row, "column",
       case when "column" is null or list_contains(?, source || '/' || entity || '.' || "column")
            then detail else '***' end as detail,
       record, loaded_at
from read_parquet(?, union_by_name = true)
where source || '/' || entity = ? and reason = ?
order by loaded_at desc, file, source_row
limit ?
"""

LAKE_TABLE_ROWS = """
select count(*) as rows from read_parquet(?)
"""


def lake_frame(sql: str, *params: _Any) -> _pl.DataFrame:
    """Run one of the ``LAKE_*`` queries on the Parquet lake in a throwaway in-memory DuckDB."""
    con = _duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        return _pl.from_arrow(con.sql(sql, params=list(params) or None).to_arrow_table())
    finally:
        con.close()


def lake_files(folder: _Path, pattern: str) -> list[str]:
    """Parquet files under ``folder`` matching ``pattern`` (temporary files of a running load excluded)."""
    if not folder.exists():
        return []
    return sorted(str(p) for p in folder.glob(pattern) if not p.name.startswith("."))
