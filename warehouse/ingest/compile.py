"""A profile compiled to SQL: the SELECTs that clean, type, check, mask and project an export's rows to lake rows.

Everything here builds SQL text; nothing is run. The group of a load (group.py, merge.py) runs it over the
raw rows of its files, and the lake's table contract (warehouse/lake/contract.py) over no rows for the schema.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

import duckdb

from . import normalize as N
from .masking import scrub_sql
from .profile import Column, HeaderMatch, Profile, builtin_profiles

GCJ_ROUNDS = 3


# Columns of ``f_rows`` that are not a record's content: its key and version, where it was read, why it failed.
NOT_CONTENT = {"_key", "_version", "_ord", "_source_row", "_reason", "_column", "_detail", "_record"}


def columns(con: duckdb.DuckDBPyConnection, select: str) -> dict[str, str]:
    """Column name → SQL type of a SELECT's result (nothing is read)."""
    return {name: ctype for name, ctype, *_ in con.execute(f"describe {select}").fetchall()}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def rows_sql(profile: Profile, secret: str) -> str:
    """Every row of ``group_raw`` cleaned, typed, checked and projected to its lake columns, in one SELECT.

    Columns: the lake columns (typed values, personal data masked + pseudonymised, geo),
    ``_key``, ``_version``, then ``_ord``, ``_source_row`` and, for a row
    that fails a check, ``_reason``/``_column``/``_detail`` and its masked ``_record``.
    """
    cols = profile.columns
    clean_parts, typed_parts, reason_cases = [], [], []
    for name, col in cols.items():
        q = quote(name)
        rq = quote(name + "__raw")
        clean_parts.append(
            f"{N.rewritten(N.cleaned(quote(name + '__src'), col.type), col.normalize)} as {rq}"
        )
        typed, failure = N.parse(col, rq, profile.timestamp_formats, profile.timezone)
        typed_parts.append(f"cast({typed} as {N.sql_type(col)}) as {q}")
        label = N.lit(col.headers[0] if col.headers else name)
        if name in profile.key:
            reason_cases.append((f"{rq} is null", "missing_key", name, label))
        elif col.required:
            reason_cases.append((f"{rq} is null", "missing_required", name, label))
        if failure:
            reason_cases += _date_order_cases(col, rq, q, label)
            reason_cases.append(
                (f"{rq} is not null and {q} is null", failure, name, f"{label} || ' = ' || {rq}")
            )
    for check in profile.checks:
        reason_cases.append(
            (f"coalesce({check.when}, false)", check.reason, None, check.detail or N.lit(check.when))
        )
    reason = "case " + " ".join(f"when {c} then {N.lit(r)}" for c, r, _, _ in reason_cases) + " end"
    column = (
        "case "
        + " ".join(f"when {c} then {N.lit(n) if n else 'null'}" for c, _, n, _ in reason_cases)
        + " end"
    )
    detail = "case " + " ".join(f"when {c} then {d}" for c, _, _, d in reason_cases) + " end"
    clean_stage = f"select {', '.join(clean_parts)}, _source_row, _ord from group_raw"
    typed_stage = f"select *, {', '.join(typed_parts)} from ({clean_stage})"
    rows = f"select *, {reason} as _reason, {column} as _column, {detail} as _detail from ({typed_stage})"
    if profile.geo:
        rows = _geo_stage(profile, rows)
    names = _name_values(profile)
    record = (
        "to_json(struct_pack("
        + ", ".join(
            f"{quote(n)} := {N.mask(quote(n + '__raw'), c.pii) if c.pii else scrub_sql(quote(n + '__raw'), names)}"
            for n, c in cols.items()
        )
        + "))"
    )
    checked = (
        f"_reason, _column, {scrub_sql('_detail', names)} as _detail, "
        f"case when _reason is not null then cast({record} as varchar) end as _record"
    )
    return f"select {_lake_columns(profile, secret)}, _ord, _source_row, {checked} from ({rows})"


def _date_order_cases(col: Column, rq: str, q: str, label: str) -> list[tuple[str, str, str, str]]:
    """Quarantine cases for a date written day or month first that no format read (05/03/2025): the reason
    says which order it looks like and the detail the `formats` line that would read it."""
    if col.type not in ("timestamp", "date") or col.values:
        return []
    day_first, month_first, day_format, month_format = N.date_order(rq)
    failed = f"{rq} is not null and {q} is null"

    def detail(order: str, fmt: str) -> str:
        tail = N.lit(f'"] to columns.{col.name} in the profile (or to timestamp_formats)')
        return f"{label} || ' = ' || {rq} || {N.lit(f': {order}; add formats: [')} || '\"' || {fmt} || {tail}"

    return [
        (
            f"{failed} and {day_first}",
            "day_first_date",
            col.name,
            detail("looks written day first (DD/MM/YYYY)", day_format),
        ),
        (
            f"{failed} and {month_first}",
            "month_first_date",
            col.name,
            detail("written month first (MM/DD/YYYY)", month_format),
        ),
    ]


def _lake_columns(profile: Profile, secret: str) -> str:
    """The lake columns of a typed row: typed values, personal data masked + pseudonymised, geo, key and version."""
    cols = profile.columns
    out = []
    for name, col in cols.items():
        q, rq = quote(name), quote(name + "__raw")
        if col.pii:
            out.append(f"{_kept_value(profile, col)} as {q}")
            out.append(f"{N.pseudonym(rq, secret)} as {quote(name + '_hash')}")
        elif profile.geo and name in (profile.geo.lon, profile.geo.lat):
            continue
        else:
            out.append(f"{_kept_value(profile, col)} as {q}")
    if profile.geo:
        out += _geo_columns(profile)
    out.append(_extra_column(profile))
    key = "concat_ws(chr(31), " + ", ".join(f"cast({quote(k)} as varchar)" for k in profile.key) + ")"
    return f"{', '.join(out)}, {key} as _key, {_version_sql(profile)} as _version"


def _kept_value(profile: Profile, col: Column) -> str:
    """SQL of the value the lake keeps of a typed column: personal data masked, free text scrubbed."""
    if col.pii:
        return N.mask(quote(col.name + "__raw"), col.pii)
    if col.type == "text" and any(c.pii for c in profile.columns.values()):
        # free text of an export that holds personal data: a number or name may be quoted in it
        return scrub_sql(quote(col.name), _name_values(profile))
    return quote(col.name)


def _name_values(profile: Profile) -> list[str]:
    """SQL of the row's raw values of its name columns (masked wherever else they appear)."""
    return [quote(n + "__raw") for n, c in profile.columns.items() if c.pii == "name"]


@cache
def _canonical_columns() -> dict[str, frozenset[str]]:
    """Lake table → the columns its built-in profiles define: what the warehouse reads from it."""
    tables: dict[str, set[str]] = {}
    for builtin in builtin_profiles():
        tables.setdefault(builtin.table, set()).update(builtin.columns)
    return {table: frozenset(names) for table, names in tables.items()}


def _extra_column(profile: Profile) -> str:
    """``_extra``: a JSON object of the profile's columns that its (built-in) lake table does not define,
    such as a city's own on-time verdict, so the release can keep them next to the record; else NULL."""
    canonical = _canonical_columns().get(profile.table)
    extra = {n: c for n, c in profile.columns.items() if canonical is not None and n not in canonical}
    if not extra:
        return "null::json as _extra"
    values = {n: _kept_value(profile, c) for n, c in extra.items()}
    packed = ", ".join(f"{quote(n)} := {v}" for n, v in values.items())
    blank = " and ".join(f"{v} is null" for v in values.values())
    return f"case when not ({blank}) then to_json(struct_pack({packed})) end as _extra"


def _geo_stage(profile: Profile, rows_sql: str) -> str:
    """Wrap ``rows_sql`` with the GCJ-02 → WGS-84 iterations, one projection per round."""
    g = profile.geo
    assert g is not None
    lon, lat = quote(g.lon), quote(g.lat)
    datum = f"coalesce({quote(g.datum_column)}, {N.lit(g.datum)})" if g.datum_column else N.lit(g.datum)
    sql = f"select *, case when {datum} = 'gcj02' then {lon} end as _w0lon, {lat} as _w0lat from ({rows_sql})"
    for i in range(1, GCJ_ROUNDS + 1):
        prev = f"_w{i - 1}lon, _w{i - 1}lat"
        sql = (
            f"select *, case when _w0lon is not null then {lon} - _gcj_dlon({prev}) end as _w{i}lon,"
            f" case when _w0lon is not null then {lat} - _gcj_dlat({prev}) end as _w{i}lat from ({sql})"
        )
    return sql


def _geo_columns(profile: Profile) -> list[str]:
    g = profile.geo
    assert g is not None
    lon, lat = quote(g.lon), quote(g.lat)
    datum = f"coalesce({quote(g.datum_column)}, {N.lit(g.datum)})" if g.datum_column else N.lit(g.datum)
    valid = f"{lon} between -180 and 180 and {lat} between -90 and 90 and not ({lon} = 0 and {lat} = 0)"
    if g.bbox:
        x0, y0, x1, y1 = g.bbox
        valid += f" and {lon} between {x0} and {x1} and {lat} between {y0} and {y1}"
    quality = (
        f"case when {lon} is null or {lat} is null then 'missing' when {valid} then 'ok' else 'invalid' end"
    )
    is_gcj = f"{datum} = 'gcj02'"
    ok = f"({quality}) = 'ok'"
    last = GCJ_ROUNDS
    return [
        f"case when {ok} then case when {is_gcj} then _w{last}lon else {lon} end end as lon",
        f"case when {ok} then case when {is_gcj} then _w{last}lat else {lat} end end as lat",
        f"{lon} as lon_raw",
        f"{lat} as lat_raw",
        f"{datum} as datum_raw",
        f"{quality} as geo_quality",
    ]


def _version_sql(profile: Profile) -> str:
    parts = []
    for item in profile.version:
        if "greatest" in item:
            cols = ", ".join(f"epoch({quote(c)})" for c in item["greatest"])
            parts.append(f"coalesce(greatest({cols}), -1)::bigint")
        else:
            order = "[" + ", ".join(N.lit(str(v)) for v in item.get("order", [])) + "]"
            parts.append(f"coalesce(list_position({order}, {quote(item['column'])}), 0)::bigint")
    return "[" + ", ".join(parts) + "]::bigint[]"


def lake_rows(now: datetime, profile: Profile) -> str:
    """SELECT of the good rows of ``f_rows`` as lake rows (lineage last), plus ``_ord``.

    ``_timezone`` records the zone the row's timestamps are wall-clock times in (the profile's), ``_no_deadline``
    the profile's rule for a case without a deadline (``on_time`` once closed, or ``unknown``).
    """
    helpers = "_ord, _source_row, _reason, _column, _detail, _record"
    lineage = (
        f"f._file, f._sha256, r._source_row, timestamp '{now}' as _loaded_at, "
        f"{N.lit(profile.timezone)} as _timezone, {N.lit(profile.no_deadline)} as _no_deadline, r._ord"
    )
    return f"select r.* exclude ({helpers}), {lineage} from f_rows r join group_files f using (_ord) where r._reason is null"


def raw_columns(profile: Profile, match: HeaderMatch | None) -> str:
    """Rename a file's positional columns to the profile's canonical names (NULL where absent)."""
    parts = []
    for name in profile.columns:
        pos = match.positions.get(name) if match else None
        parts.append(f"{f'c{pos}' if pos is not None else 'null::varchar'} as {quote(name + '__src')}")
    return ", ".join(parts)
