"""SQL expressions that clean and type raw export text, one column at a time.

Everything runs inside DuckDB so a whole column is normalised at once. Each
builder takes a SQL expression of the raw text and returns a SQL expression.
"""

from __future__ import annotations

import hashlib

from .masking import scrub_sql
from .profile import Column, normalize_value

# Full-width ASCII (U+FF01–U+FF5E) and the ideographic space map to their half-width forms.
_FULLWIDTH = "".join(chr(0xFF01 + i) for i in range(94)) + "\u3000"
_HALFWIDTH = "".join(chr(0x21 + i) for i in range(94)) + " "
_BLANKS = " \t\r\n\u3000\u00a0\ufeff"
_PAD = f"[\\s{_BLANKS[4:]}]"  # regex class of that padding (RE2's \s covers the ASCII blanks)

EXCEL_EPOCH = "timestamp '1899-12-30'"
QUARTER_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def trimmed(expr: str) -> str:
    """Leading/trailing blanks (incl. U+3000, NBSP, BOM) removed; blank → NULL.

    trim() with a character list is slow, so it only runs where a regex finds padding.
    """
    return (
        f"case when regexp_matches({expr}, '^{_PAD}|{_PAD}$') then nullif(trim({expr}, {lit(_BLANKS)}), '') "
        f"when {expr} = '' then null else {expr} end"
    )


def halfwidth(expr: str) -> str:
    """Full-width digits, letters and ASCII punctuation → half-width, then trimmed.

    translate() and trim() with a character list are slow per character, so they only run on
    values in which one regex finds a full-width character or padding (on any other value
    both would change nothing).
    """
    folded = f"translate({expr}, {lit(_FULLWIDTH)}, {lit(_HALFWIDTH)})"
    return (
        f"case when regexp_matches({expr}, '^{_PAD}|{_PAD}$|[\uff01-\uff5e\u3000]') "
        f"then nullif(trim({folded}, {lit(_BLANKS)}), '') when {expr} = '' then null else {expr} end"
    )


def cleaned(expr: str, ctype: str) -> str:
    """The cleaning a column of ``ctype`` gets before parsing.

    Free text keeps its full-width punctuation (it is correct Chinese typography);
    every other type is folded to half-width.
    """
    return trimmed(expr) if ctype == "text" else halfwidth(expr)


def rewritten(expr: str, rules: tuple[tuple[str, str], ...]) -> str:
    """A profile's ``normalize`` rules on an already cleaned value: runs of blanks become one space, then the
    first pattern that matches the whole value rewrites it to its ``to`` (``\\1`` … name the pattern's groups);
    a value no pattern matches is kept. A rewrite to an empty text is NULL (a blank division)."""
    if not rules:
        return expr
    spaced = f"regexp_replace({expr}, '\\s+', ' ', 'g')"
    whens = " ".join(
        f"when regexp_full_match({spaced}, {lit(p)}) then nullif(regexp_replace({spaced}, {lit('^(?:' + p + ')$')}, {lit(to)}), '')"
        for p, to in rules
    )
    return f"case {whens} else {spaced} end"


# ISO 8601 with a UTC offset or Z, as Open311 GeoReport v2 and many APIs write it: 2010-04-14T06:37:38-08:00
_OFFSET_TIMESTAMP = (
    "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})"
)
_OFFSET_FORMATS = (
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M%z",
)


def parse_timestamp(expr: str, formats: tuple[str, ...], timezone: str | None = None) -> str:
    """Text → TIMESTAMP (wall-clock time in the export's zone).

    The first of ``formats`` that parses, or an Excel serial day number (rounded to the second).
    With ``timezone``, a value that carries its own UTC offset (``…T06:37:38-08:00``, ``…Z``) is
    converted to that zone's wall-clock time, so every timestamp of a profile is in one zone.
    """
    plain = (
        f"case when regexp_full_match({expr}, '[0-9]{{5}}(\\.[0-9]+)?') "
        f"then {EXCEL_EPOCH} + to_seconds(round(cast({expr} as double) * 86400)::bigint) "
        f"else coalesce({', '.join(_try_format(expr, f) for f in formats)}) end"
    )
    if not timezone:
        return plain
    zulu = f"regexp_replace({expr}, 'Z$', '+00:00')"
    aware = ", ".join(f"try_strptime({zulu}, {lit(f)})" for f in _OFFSET_FORMATS)
    return (
        # cheap length and suffix tests spare the regex on the zone-less values most exports hold
        f"case when (strlen({expr}) >= 20 or contains({expr}, 'T')) "
        f"and (suffix({expr}, 'Z') or substr({expr}, -6, 1) in ('+', '-') or substr({expr}, -5, 1) in ('+', '-')) "
        f"and regexp_full_match({expr}, {lit(_OFFSET_TIMESTAMP)}) "
        f"then timezone({lit(timezone)}, coalesce({aware})) else {plain} end"
    )


def _try_format(expr: str, fmt: str) -> str:
    """try_strptime with one format. A failed strptime is slow, so it is only tried on values
    holding the format's literal characters (strptime matches every literal but blanks exactly)."""
    attempt = f"try_strptime({expr}, {lit(fmt)})"
    guard = _literal_guard(expr, fmt)
    return f"case when {guard} then {attempt} end" if guard else attempt


def _literal_guard(expr: str, fmt: str) -> str:
    """SQL condition that ``expr`` contains every non-blank literal character of strptime format ``fmt``."""
    literals: dict[str, None] = {}
    i = 0
    while i < len(fmt):
        if fmt[i] == "%":  # a specifier: %X, %-X, or %% for a literal '%'
            if fmt[i + 1 : i + 2] == "%":
                literals["%"] = None
            i += 3 if fmt[i + 1 : i + 2] == "-" else 2
            continue
        if not fmt[i].isspace():
            literals[fmt[i]] = None
        i += 1
    return " and ".join(f"contains({expr}, {lit(c)})" for c in literals)


# A date with the day and month as numbers before the year (05/03/2025, 5.3.25 14:03, 03-05-2025 2:03:04 PM).
# Groups: 1 first number, 2 separator, 3 second number, 4 year, 5 time, 6 its seconds, 7 AM/PM.
_NUMERIC_DATE = (
    "([0-9]{1,2})([/.-])([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})"
    "(\\s+[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?(\\s*[AaPp][Mm])?)?"
)


def date_order(expr: str) -> tuple[str, str, str, str]:
    """For a day/month/year text: (looks day-first, is month-first, strftime format read day first, month first).

    Day first unless the second number cannot be a month (the first can only be a day above 12; the
    order of 05/03/2025 is the export's convention, and day first is the world's more common one).
    """

    def part(i: int) -> str:
        return f"regexp_extract({expr}, {lit('^' + _NUMERIC_DATE + '$')}, {i})"

    shaped = f"regexp_full_match({expr}, {lit(_NUMERIC_DATE)})"
    month_first = f"{shaped} and try_cast({part(3)} as integer) > 12 and try_cast({part(1)} as integer) <= 12"
    day_first = f"{shaped} and not ({month_first})"
    year = f"case when length({part(4)}) = 4 then '%Y' else '%y' end"
    hour = f"case when {part(7)} <> '' then ' %I' else ' %H' end"
    time = (
        f"case when {part(5)} = '' then '' else {hour} || ':%M' || case when {part(6)} <> '' then ':%S' else '' end "
        f"|| case when {part(7)} <> '' then ' %p' else '' end end"
    )
    sep = part(2)
    return (
        day_first,
        month_first,
        f"'%d' || {sep} || '%m' || {sep} || {year} || {time}",
        f"'%m' || {sep} || '%d' || {sep} || {year} || {time}",
    )


def parse_number(expr: str, ctype: str) -> str:
    num = f"try_cast(replace({expr}, ',', '') as double)"
    if ctype == "integer":
        return f"case when {num} = floor({num}) then {num}::bigint end"
    return num


def parse_boolean(expr: str) -> str:
    key = f"lower({expr})"
    yes = ", ".join(lit(v) for v in ("是", "y", "yes", "true", "1", "已联系", "已解决", "√"))
    no = ", ".join(lit(v) for v in ("否", "n", "no", "false", "0", "未联系", "未解决", "×"))
    return f"case when {key} in ({yes}) then true when {key} in ({no}) then false end"


def parse_quarter(expr: str) -> str:
    """'2025年第1季度', '2025年一季度', '2025Q1', '2025-Q1' → '2025Q1'."""
    q = f"regexp_extract({expr}, '(?:[Qq]|第|年|-)\\s*([1-4一二三四])\\s*(?:季|$)', 1)"
    qn = f"translate({q}, '一二三四', '1234')"
    year = f"regexp_extract({expr}, '^\\s*([0-9]{{4}})', 1)"
    return f"case when {year} <> '' and {qn} <> '' then {year} || 'Q' || {qn} end"


def map_values(expr: str, values: dict[str, tuple[str, ...]]) -> str:
    """Wording variants → canonical value; NULL for wording the profile does not know."""
    key = f"lower(regexp_replace({expr}, '\\s', '', 'g'))"
    whens = []
    seen: set[str] = set()
    for canonical, variants in values.items():
        for variant in (canonical, *variants):
            norm = normalize_value(variant)
            if norm not in seen:
                seen.add(norm)
                whens.append(f"when {lit(norm)} then {lit(canonical)}")
    return f"case {key} {' '.join(whens)} end"


def parse(
    column: Column, expr: str, timestamp_formats: tuple[str, ...], timezone: str | None = None
) -> tuple[str, str | None]:
    """(typed SQL expression, failure reason code or None) for an already cleaned expression.

    ``timezone`` is the profile's zone: timestamps that carry an offset are converted to it.
    """
    formats = column.formats or timestamp_formats
    if column.values:
        return map_values(expr, column.values), "unknown_value"
    match column.type:
        case "timestamp":
            return parse_timestamp(expr, formats, timezone), "bad_timestamp"
        case "date":
            return f"cast({parse_timestamp(expr, formats, timezone)} as date)", "bad_date"
        case "integer" | "double":
            return parse_number(expr, column.type), "bad_number"
        case "boolean":
            return parse_boolean(expr), "bad_boolean"
        case "quarter":
            return parse_quarter(expr), "bad_quarter"
    return expr, None


def sql_type(column: Column) -> str:
    return {
        "timestamp": "TIMESTAMP",
        "date": "DATE",
        "integer": "BIGINT",
        "double": "DOUBLE",
        "boolean": "BOOLEAN",
    }.get(column.type, "VARCHAR")


def mask(expr: str, kind: str) -> str:
    """Masked display form of personal data: 张*, 138****5678, 1101**********1234; NULL stays NULL."""
    if kind == "name":
        masked = f"left({expr}, 1) || repeat('*', greatest(length({expr}) - 1, 1))"
    elif kind == "phone":
        digits = f"regexp_replace({expr}, '[^0-9]', '', 'g')"
        masked = f"case when length({digits}) >= 7 then left({digits}, 3) || '****' || right({digits}, 4) else '****' end"
    else:
        masked = f"left({expr}, 4) || repeat('*', greatest(length({expr}) - 6, 1)) || right({expr}, 2)"
    return f"case when {expr} is not null then {masked} end"


def pseudonym(expr: str, key: str) -> str:
    """HMAC-SHA256 of personal data under ``key`` (hex, see warehouse/ingest/pseudonyms.py), 16 hex digits.

    Records stay countable without clear text, and without the key the value cannot be found by
    trying every candidate. Written in SQL (RFC 2104), as DuckDB has no HMAC function.
    """
    try:
        secret = bytes.fromhex(key)
    except ValueError:
        secret = key.encode()
    secret = (hashlib.sha256(secret).digest() if len(secret) > 64 else secret).ljust(64, b"\0")
    inner = bytes(b ^ 0x36 for b in secret).hex()
    outer = bytes(b ^ 0x5C for b in secret).hex()
    return f"left(sha256(unhex('{outer}') || unhex(sha256(unhex('{inner}') || encode({expr})))), 16)"


def mask_free_text(expr: str) -> str:
    """Mask mobile and ID-card numbers inside free text (see warehouse/ingest/masking.py)."""
    return scrub_sql(expr)
