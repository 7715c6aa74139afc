"""Declarative export profiles: how one export format maps onto a lake table.

A profile is a YAML file (see ``docs/profiles.md``). It names the lake table
(``source``/``entity``), the record key, how to tell a later state of the same
record, and for every canonical column the header names it may appear under,
its type, whether it is required, its value wording and whether it is personal
data. The loader picks a profile by the headers a file actually has, never by
the file's name.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jsonschema
import yaml

from warehouse.resources import profile_schema

BUILTIN_DIR = Path(__file__).parent / "profiles"

# what a case without a deadline is once closed: on time (BRIEF §4, the default) or not judged at all
NO_DEADLINE_RULES = {"on_time", "unknown"}
DEFAULT_TIMESTAMP_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y年%m月%d日",
]


class ProfileError(ValueError):
    """A profile file that does not describe an export correctly."""


def normalize_header(text: str) -> str:
    """Header comparison key: NFKC (full-width → half-width), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).lower()


def normalize_value(text: str) -> str:
    """Value-wording comparison key, mirroring the loader's SQL cleaning."""
    return normalize_header(text)


@dataclass(frozen=True)
class Column:
    name: str
    headers: tuple[str, ...]
    type: str = "string"
    required: bool = False
    pii: str | None = None
    values: dict[str, tuple[str, ...]] | None = None
    formats: tuple[str, ...] | None = None
    normalize: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Check:
    reason: str
    when: str
    detail: str | None = None


@dataclass(frozen=True)
class Geo:
    lon: str
    lat: str
    datum: str = "wgs84"
    datum_column: str | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class Profile:
    name: str
    source: str
    entity: str
    key: tuple[str, ...]
    columns: dict[str, Column]
    description: str = ""
    timezone: str = "Asia/Shanghai"
    version: tuple[dict[str, Any], ...] = ()
    geo: Geo | None = None
    checks: tuple[Check, ...] = ()
    no_deadline: str = "on_time"
    timestamp_formats: tuple[str, ...] = tuple(DEFAULT_TIMESTAMP_FORMATS)
    path: Path | None = field(default=None, compare=False)

    @property
    def table(self) -> str:
        return f"{self.source}/{self.entity}"

    def required_columns(self) -> list[str]:
        names = [c.name for c in self.columns.values() if c.required]
        return [*self.key, *(n for n in names if n not in self.key)]

    def first_headers(self, n: int) -> list[str]:
        """The headers of the first ``n`` required columns, as an export names them."""
        return [(self.columns[c].headers or (c,))[0] for c in self.required_columns()[:n]]

    def match(self, headers: list[str]) -> HeaderMatch:
        """Map a file's headers onto this profile's columns."""
        index: dict[str, int] = {}
        for pos, header in enumerate(headers):
            index.setdefault(normalize_header(header), pos)
        positions: dict[str, int] = {}
        for col in self.columns.values():
            for alias in (col.name, *col.headers):
                pos = index.get(normalize_header(alias))
                if pos is not None:
                    positions[col.name] = pos
                    break
        missing = [c for c in self.required_columns() if c not in positions]
        return HeaderMatch(self, positions, missing)


@dataclass(frozen=True)
class HeaderMatch:
    profile: Profile
    positions: dict[str, int]
    missing: list[str]

    @property
    def ok(self) -> bool:
        return not self.missing

    def describe_missing(self) -> str:
        cols = self.profile.columns
        return "、".join(cols[m].headers[0] if cols[m].headers else m for m in self.missing)


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int | float):
        return (str(value),)
    return tuple(str(v) for v in value)


def _normalize_rules(rules: Any, where: str) -> tuple[tuple[str, str], ...]:
    """``normalize: [{pattern: REGEX, to: TEXT}, ...]`` → ((pattern, to), ...), each pattern checked."""
    out = []
    for rule in rules or ():
        if not isinstance(rule, dict) or "pattern" not in rule or "to" not in rule:
            raise ProfileError(f"{where}: each normalize rule needs 'pattern' and 'to'")
        pattern, to = str(rule["pattern"]), "" if rule["to"] is None else str(rule["to"])
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ProfileError(
                f"{where}: normalize pattern '{pattern}' is not a regular expression ({exc})"
            ) from exc
        out.append((pattern, to))
    return tuple(out)


def parse_profile(data: dict[str, Any], path: Path | None = None, node: yaml.Node | None = None) -> Profile:
    """A Profile from a profile's YAML data, validated against the schema (``node``: its YAML node, for line numbers)."""
    where = f"profile {path}" if path else "profile"
    validate(data, where, node)
    columns: dict[str, Column] = {}
    for name, spec in (data["columns"] or {}).items():
        spec = spec or {}
        ctype = spec.get("type", "string")
        pii = spec.get("pii")
        values = spec.get("values")
        if values is not None:
            values = {str(k): _as_tuple(v) or (str(k),) for k, v in values.items()}
        columns[str(name)] = Column(
            name=str(name),
            headers=_as_tuple(spec.get("headers")),
            type=ctype,
            required=bool(spec.get("required", False)),
            pii=pii,
            values=values,
            formats=_as_tuple(spec.get("formats")) or None,
            normalize=_normalize_rules(spec.get("normalize"), f"{where}: column {name}"),
        )
    key = _as_tuple(data["key"])
    for k in key:
        if k not in columns:
            raise ProfileError(f"{where}: key column '{k}' is not among the columns")
    geo = None
    if data.get("geo"):
        g = data["geo"]
        for part in ("lon", "lat"):
            if g.get(part) not in columns:
                raise ProfileError(f"{where}: geo.{part} must name a column")
        datum = str(g.get("datum", "wgs84")).lower()
        bbox = tuple(float(v) for v in g["bbox"]) if g.get("bbox") else None
        geo = Geo(g["lon"], g["lat"], datum, g.get("datum_column"), bbox)  # type: ignore[arg-type]
    version = tuple(data.get("version") or ())
    for item in version:
        cols = item.get("greatest") or [item.get("column")]
        for c in cols:
            if c not in columns:
                raise ProfileError(f"{where}: version refers to unknown column '{c}'")
    checks = tuple(Check(c["reason"], c["when"], c.get("detail")) for c in data.get("checks") or ())
    no_deadline = str(data.get("no_deadline", "on_time"))
    if no_deadline not in NO_DEADLINE_RULES:
        raise ProfileError(
            f"{where}: no_deadline must be one of {sorted(NO_DEADLINE_RULES)}, not '{no_deadline}'"
        )
    timezone = str(data.get("timezone", "Asia/Shanghai"))
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ProfileError(
            f"{where}: unknown timezone '{timezone}' (an IANA name such as America/New_York)"
        ) from exc
    return Profile(
        name=str(data["name"]),
        source=str(data["source"]),
        entity=str(data["entity"]),
        key=key,
        columns=columns,
        description=str(data.get("description", "")),
        timezone=timezone,
        version=version,
        geo=geo,
        checks=checks,
        no_deadline=no_deadline,
        timestamp_formats=_as_tuple(data.get("timestamp_formats")) or tuple(DEFAULT_TIMESTAMP_FORMATS),
        path=path,
    )


def load_profile(path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"cannot read profile {path}: {getattr(exc, 'strerror', None) or exc}") from exc
    except yaml.YAMLError as exc:
        raise ProfileError(f"profile {path} is not valid YAML: {' '.join(str(exc).split())}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"profile {path} is not a YAML mapping")
    return parse_profile(data, path, node)


def find_profile(name_or_path: str) -> Path:
    """The profile file ``--profile`` names: a path to a YAML file, or the name of a built-in profile."""
    path = Path(name_or_path)
    if path.exists():
        return path
    for builtin in sorted(BUILTIN_DIR.glob("*.yml")):
        if name_or_path in (builtin.stem, load_profile(builtin).name):
            return builtin
    names = ", ".join(p.stem for p in sorted(BUILTIN_DIR.glob("*.yml")))
    raise ProfileError(
        f"no profile '{name_or_path}': no such file, and no built-in profile of that name ({names})"
    )


@cache
def schema() -> dict[str, Any]:
    """The profile JSON Schema (docs/profile.schema.json)."""
    return json.loads(profile_schema().read_text(encoding="utf-8"))


def validate(data: dict[str, Any], where: str, node: yaml.Node | None = None) -> None:
    """ProfileError naming every schema violation (with its YAML line when ``node`` is given)."""
    validator = jsonschema.Draft202012Validator(schema())
    problems = []
    for error in validator.iter_errors(data):
        for key_path, text in _explain(error):
            line = _line_of(node, key_path)
            problems.append((line or 0, f"line {line}: {text}" if line else text))
    if problems:
        problems.sort(key=lambda p: p[0])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ProfileError(f"{where}: " + "; ".join(text for _, text in problems[:3]) + more)


def _explain(error: jsonschema.ValidationError) -> list[tuple[list[Any], str]]:
    """(path of the offending YAML node, plain words) for one schema error."""
    path = list(error.absolute_path)
    at = ".".join(str(p) for p in path)
    place = f" in {at}" if at else ""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = list(error.schema.get("properties", {}))
        out = []
        for key in error.instance:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(known)})"
                out.append(([*path, (key,)], f"unknown key '{key}'{place}{hint}"))
        return out
    if error.validator == "required":
        return [(path, f"missing '{error.message.split(chr(39))[1]}'{place}")]
    if error.validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return [
            (path, f"unknown {path[-1] if path else 'value'} '{error.instance}'{place} (one of {allowed})")
        ]
    if (
        error.validator == "oneOf" and error.context
    ):  # the alternatives' errors say more than "not valid under any"
        best = jsonschema.exceptions.best_match(error.context)
        return [(path, f"{at or 'profile'}: {best.message}")]
    return [(path, f"{at or 'profile'}: {error.message}")]


def _line_of(node: yaml.Node | None, path: list[Any]) -> int | None:
    """1-based line of the YAML node at ``path`` (a 1-tuple as the last part means the key itself)."""
    if node is None:
        return None
    for part in path:
        if isinstance(part, tuple):  # the key node of a mapping entry
            for key, _ in node.value if isinstance(node, yaml.MappingNode) else []:
                if key.value == str(part[0]):
                    return key.start_mark.line + 1
            return node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
    return node.start_mark.line + 1


def builtin_profiles() -> list[Profile]:
    return [load_profile(p) for p in sorted(BUILTIN_DIR.glob("*.yml"))]


def choose_profile(headers: list[str], profiles: list[Profile]) -> HeaderMatch | str:
    """The best-matching profile for ``headers``, or a plain-language reason why none fits.

    Profiles earlier in the list win ties, so user profiles placed first take precedence.
    """
    matches = [p.match(headers) for p in profiles]
    usable = [m for m in matches if m.ok]
    if usable:
        return max(usable, key=lambda m: len(m.positions))
    if not headers or not any(h.strip() for h in headers):
        return "no header row"
    closest = max(matches, key=lambda m: (len(m.positions), -len(m.missing)), default=None)
    if closest is None or len(closest.positions) < 2:
        # never the headers themselves: in a file without a header row they are a person's data
        expected = "; ".join(f"{p.name}: {'、'.join(p.first_headers(3))}" for p in profiles[:3])
        return (
            f"unknown headers: none of the {len(headers)} columns seen names a column a profile expects "
            f"(e.g. {expected}); write a profile for this export (docs/profiles.md)"
        )
    return (
        f"required column missing: {closest.describe_missing()} "
        f"(closest profile '{closest.profile.name}' matched {len(closest.positions)} columns)"
    )
