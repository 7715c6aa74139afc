"""Masking personal data inside free text and inside lines that could not be parsed.

Columns marked ``pii`` are masked by normalize.mask(). Personal data also turns up where no
profile expects it: a description quoting the caller's number, a quarantined row whose fields
slid one place, a malformed line kept as raw text. Everything of that kind that reaches the lake
goes through :func:`scrub_sql` (in DuckDB) or :func:`mask_line` (for a malformed line, in Python):
mobile numbers keep 3 + 4 digits (138****5678), ID-card numbers 4 + 2 (1101************34), and
the row's own name values are replaced by their masked form wherever they appear.
"""

from __future__ import annotations

import csv
import io
import re

# The same patterns in RE2 (DuckDB) and Python's re: a boundary group on each side instead of
# look-arounds, which RE2 lacks. ID-card: 6-digit region, birth date 19xx/20xx, 3 digits, check digit.
_ID = r"(^|[^0-9])([0-9]{4})[0-9]{2}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])[0-3][0-9][0-9]{2}([0-9][0-9Xx])($|[^0-9Xx])"
_MOBILE = r"(^|[^0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})($|[^0-9])"
_ID_MASKED = "************"


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def mask_name(value: str) -> str:
    return value[:1] + "*" * max(len(value) - 1, 1)


def mask_phone(value: str) -> str:
    digits = re.sub(r"[^0-9]", "", value)
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 7 else "****"


def mask_id(value: str) -> str:
    return value[:4] + "*" * max(len(value) - 6, 1) + value[-2:]


MASKS = {"name": mask_name, "phone": mask_phone}


def scrub_text(text: str, names: list[str] | None = None) -> str:
    """``text`` with mobile and ID-card numbers masked and each of ``names`` (2+ characters) masked."""
    for name in names or []:
        if name and len(name) >= 2:
            text = text.replace(name, mask_name(name))
    # twice: a boundary character consumed by one match cannot start the next
    for _ in range(2):
        text = re.sub(_ID, rf"\1\2{_ID_MASKED}\3\4", text)
        text = re.sub(_MOBILE, r"\1\2****\3\4", text)
    return text


def scrub_sql(expr: str, names: list[str] | None = None) -> str:
    """SQL form of :func:`scrub_text`; ``names`` are SQL expressions of the row's raw name values."""
    for name in names or []:
        masked = f"left({name}, 1) || repeat('*', greatest(length({name}) - 1, 1))"
        expr = f"case when length({name}) >= 2 then replace({expr}, {name}, {masked}) else {expr} end"
    numbers = expr
    for _ in range(2):
        numbers = f"regexp_replace({numbers}, {_lit(_ID)}, '\\1\\2{_ID_MASKED}\\3\\4', 'g')"
        numbers = f"regexp_replace({numbers}, {_lit(_MOBILE)}, '\\1\\2****\\3\\4', 'g')"
    # the regexes only where a run of 11 digits is (most text has none)
    return f"case when regexp_matches({expr}, '[0-9]{{11}}') then {numbers} else {expr} end"


def mask_line(text: str, delimiter: str, pii: dict[int, str], width: int) -> str:
    """A malformed CSV line with personal data masked in every field.

    ``pii``: header position → kind (name, phone, …); ``width``: the header's column count. A line
    with too many or too few fields has usually slid by the difference after the break, so the
    fields at each personal-data position and at that position slid are both masked.
    """
    fields = next(csv.reader([text], delimiter=delimiter), [])
    slide = len(fields) - width
    names = []
    for pos, kind in pii.items():
        for at in {pos, pos + slide}:
            if 0 <= at < len(fields) and fields[at].strip():
                if kind == "name":
                    names.append(fields[at].strip())
                fields[at] = MASKS.get(kind, mask_id)(fields[at].strip())
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(scrub_text(f, names) for f in fields)
    return out.getvalue()
