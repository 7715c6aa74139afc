"""Reading export files into a raw DuckDB table of text columns.

The format is told from the bytes (zip / OLE2 magic for Excel, JSON for
GeoJSON, otherwise text), and a text file's encoding likewise: a byte-order
mark, else valid UTF-8, else GB18030 or Big5 (told apart by charset-normalizer);
a text file's delimiter and quote come from DuckDB's CSV sniffer. Every reader ends with the same raw
table: one VARCHAR column per header position (``c0`` …) and ``_source_row``,
the row number as a spreadsheet shows it (header row = 1). Structurally broken
CSV lines come back as :class:`BadLine` records instead of stopping the load.
"""

from __future__ import annotations

import codecs
import csv
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import duckdb
import pyarrow as pa

MAX_HEADER_SEARCH = 6  # a title line or two above the header row is common in real exports
HEAD_CHARS = 64 * 1024  # decoded text searched for the header row
CHUNK = 1 << 20  # bytes decoded at a time
BLANK_BYTES = b" \t\r\n\xef\xbb\xbf"
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TEXT_ENCODINGS = ("utf-8", "gb18030", "big5")
# Python codec of an encoding name GridPulse records: Big5 as Windows writes it (cp950 extends Big5).
_CODECS = {"big5": "cp950"}


class ReadError(Exception):
    """The file cannot be read at all; the message says why in plain words."""


@dataclass
class BadLine:
    source_row: int
    error: str
    text: str


@dataclass
class RawFile:
    path: Path
    format: str  # csv | xlsx | xls | geojson
    encoding: str | None = None
    header_candidates: list[list[str]] = field(default_factory=list)
    header_row: int = 0  # 0-based index of the header row among candidates
    _text_path: Path | None = None  # UTF-8 copy when the original is not UTF-8
    _features: list[dict] | None = None

    @property
    def headers(self) -> list[str]:
        return self.header_candidates[self.header_row] if self.header_candidates else []

    def discard(self) -> None:
        """Remove the temporary UTF-8 copy, if any (once read, or when the file will not be read)."""
        if self._text_path:
            self._text_path.unlink(missing_ok=True)


def sniff(path: Path) -> RawFile:
    """Detect format and encoding and read the candidate header rows."""
    if path.suffix.lower() not in (".geojson", ".json", ""):
        raw = _sniff_text_csv(path)
        if raw is not None:
            return raw
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot open file: {exc.strerror or exc}") from exc
    if not data.strip(BLANK_BYTES):
        raise ReadError("empty file")
    if data[:4] == XLSX_MAGIC:
        return _sniff_excel(path, "xlsx")
    if data[:8] == XLS_MAGIC:
        return _sniff_excel(path, "xls")
    text, encoding = decode_text(data)
    stripped = text.lstrip()
    if stripped.startswith("{") and path.suffix.lower() in (".geojson", ".json", ""):
        return _sniff_geojson(path, text, encoding)
    if path.suffix.lower() in (".geojson", ".json"):
        raise ReadError("not a GeoJSON document (does not start with '{')")
    return _sniff_csv(
        path, text[:HEAD_CHARS], encoding, None if encoding in ("utf-8", "utf-8-sig") else _utf8_copy(text)
    )


def _sniff_text_csv(path: Path) -> RawFile | None:
    """The common case, decoded in chunks without holding the whole text: a CSV in UTF-8 (with or
    without BOM) or GB18030. None for anything else (empty, a workbook, UTF-16, not text, unreadable),
    which sniff() then reads whole to tell exactly."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(CHUNK)
    except OSError:
        return None
    if not start.strip(BLANK_BYTES) or start.startswith((XLSX_MAGIC, XLS_MAGIC, b"\xff\xfe", b"\xfe\xff")):
        return None
    encoding = "utf-8-sig" if start.startswith(b"\xef\xbb\xbf") else "utf-8"
    head = _decode_file(path, encoding)
    if head is not None:
        return _sniff_csv(path, head, encoding, None)
    if encoding == "utf-8-sig":
        return None
    encoding = legacy_encoding(start)
    tmp = tempfile.NamedTemporaryFile(prefix="gridpulse-", suffix=".csv", delete=False)
    with tmp:
        head = _decode_file(path, encoding, tmp)
    if head is None:
        Path(tmp.name).unlink()
        return None
    return _sniff_csv(path, head, encoding, Path(tmp.name))


def legacy_encoding(sample: bytes) -> str:
    """'big5' or 'gb18030' for text that is not UTF-8: the two share byte ranges, so Big5 bytes often
    decode as GB18030 without an error, into nonsense. charset-normalizer weighs which reading makes
    sense; GB18030 when it cannot tell."""
    from charset_normalizer import from_bytes

    cut = sample.rfind(b"\n")  # never a trail byte in either encoding: a clean place to cut
    best = from_bytes(sample[: cut if cut > 0 else len(sample)], cp_isolation=["gb18030", "big5"]).best()
    return "big5" if best is not None and best.encoding == "big5" else "gb18030"


def _decode_file(path: Path, encoding: str, sink: IO[bytes] | None = None) -> str | None:
    """The file's first HEAD_CHARS characters, decoded in chunks (the whole text written to ``sink``
    as UTF-8), or None if it is not ``encoding`` (or cannot be read)."""
    decoder = codecs.getincrementaldecoder(_CODECS.get(encoding, encoding))()
    head = ""
    try:
        with open(path, "rb") as handle:
            while True:
                chunk = handle.read(CHUNK)
                text = decoder.decode(chunk, final=not chunk)
                head += text[: HEAD_CHARS - len(head)]
                if sink is not None:
                    sink.write(text.encode("utf-8"))
                if not chunk:
                    return head
    except (UnicodeDecodeError, OSError):
        return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes by evidence: BOM, else strict UTF-8, else GB18030 or Big5."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ReadError(
                f"file starts with a UTF-8 byte-order mark but is not UTF-8 "
                f"(invalid byte 0x{data[3 + exc.start]:02x} at offset {3 + exc.start}); re-export it as UTF-8 or GB18030"
            ) from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError("file starts with a UTF-16 byte-order mark but is not UTF-16") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = legacy_encoding(data[:CHUNK])
    try:
        return data.decode(_CODECS.get(encoding, encoding)), encoding
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"not text in UTF-8, GB18030 or Big5 (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from exc


def _sniff_csv(path: Path, head: str, encoding: str, text_path: Path | None) -> RawFile:
    """``head``: the file's first characters; ``text_path``: a UTF-8 copy when the file is not UTF-8."""
    head_lines = head.splitlines()[:MAX_HEADER_SEARCH]
    delimiter, quote = sniff_dialect(text_path or path, head_lines)
    candidates = [next(csv.reader([line], delimiter=delimiter, quotechar=quote), []) for line in head_lines]
    raw = RawFile(path, "csv", encoding, [[h.strip() for h in c] for c in candidates], _text_path=text_path)
    raw._delimiter = delimiter  # type: ignore[attr-defined]
    raw._quote = quote  # type: ignore[attr-defined]
    return raw


def sniff_dialect(path: Path, head_lines: list[str]) -> tuple[str, str]:
    """(delimiter, quote) of a UTF-8 text file, by DuckDB's CSV sniffer.

    The strict sniffer can be misled by a broken line (a file cut off mid-row: it then finds one
    column), the lenient one by a title line above the header; the lenient one is asked only when
    the strict answer splits no head line into columns, and the answer that splits them into the
    most columns is kept.
    """
    con = duckdb.connect()
    try:
        best, width = (",", '"'), 0
        for lenient in ("false", "true"):
            try:
                delimiter, quote = con.execute(
                    f"select Delimiter, Quote from sniff_csv(?, all_varchar=true, ignore_errors={lenient})",
                    [str(path)],
                ).fetchone()
            except duckdb.Error:
                continue
            dialect = (delimiter, quote if len(quote) == 1 else '"')
            if len(delimiter) == 1 and _widest(head_lines, *dialect) > width:
                best, width = dialect, _widest(head_lines, *dialect)
            if width > 1:
                break
        return best
    finally:
        con.close()


def _widest(lines: list[str], delimiter: str, quote: str) -> int:
    """The most columns any of ``lines`` splits into."""
    return max(
        (len(next(csv.reader([line], delimiter=delimiter, quotechar=quote), [])) for line in lines), default=0
    )


def _utf8_copy(text: str) -> Path:
    """A temporary UTF-8 copy: DuckDB reads UTF-8 only (other encodings need an extension, which we never install)."""
    tmp = tempfile.NamedTemporaryFile(prefix="gridpulse-", suffix=".csv", delete=False)
    with tmp:
        tmp.write(text.encode("utf-8"))
    return Path(tmp.name)


def _sniff_excel(path: Path, fmt: str) -> RawFile:
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        sheet = reader.load_sheet(0, header_row=None, n_rows=MAX_HEADER_SEARCH, dtypes="string", eager=True)
    except Exception as exc:  # fastexcel raises its own error hierarchy for corrupt workbooks
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ReadError(f"corrupt or unreadable Excel workbook: {first}") from exc
    rows = sheet.to_pylist()
    candidates = [[(v or "").strip() for v in row.values()] for row in rows]
    return RawFile(path, fmt, None, candidates)


def _sniff_geojson(path: Path, text: str, encoding: str) -> RawFile:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise ReadError("JSON is not a GeoJSON FeatureCollection")
    features = [f for f in doc.get("features") or [] if isinstance(f, dict)]
    keys: list[str] = []
    for feat in features:
        for k in feat.get("properties") or {}:
            if k not in keys:
                keys.append(k)
    headers = [*keys, "geometry", "geometry_type", "centroid_lon", "centroid_lat"]
    return RawFile(path, "geojson", encoding, [headers], _features=features)


def read_raw(con: duckdb.DuckDBPyConnection, raw: RawFile, table: str) -> list[BadLine]:
    """Create temp table ``table`` (c0…cN VARCHAR, _source_row BIGINT); return broken lines."""
    columns = "".join(f"c{i} varchar, " for i in range(len(raw.headers)))
    con.execute(f"create or replace temp table {table} ({columns}_source_row bigint)")
    return append_raw(con, raw, table, "*")[1]


def append_raw(
    con: duckdb.DuckDBPyConnection, raw: RawFile, table: str, select: str
) -> tuple[int, list[BadLine]]:
    """Append the file's rows to temp table ``table`` as ``select {select}`` over c0…cN and _source_row.

    Returns the number of rows appended and the broken lines (which are not).
    """
    if raw.format == "csv":
        return _append_csv(con, raw, table, select)
    arrow = _excel_arrow(raw, len(raw.headers)) if raw.format in ("xlsx", "xls") else _geojson_arrow(raw)
    con.register("_raw_arrow", arrow)
    try:
        rows = con.execute(f"insert into {table} select {select} from _raw_arrow").fetchall()[0][0]
    finally:
        con.unregister("_raw_arrow")
    return rows, []


def _append_csv(
    con: duckdb.DuckDBPyConnection, raw: RawFile, table: str, select: str
) -> tuple[int, list[BadLine]]:
    """One read in a transaction; a file with broken lines is read again, numbering its rows past them."""
    try:
        con.begin()
        try:
            rows, bad = _insert_csv(con, raw, table, select, [])
        except duckdb.Error:
            con.rollback()
            raise
        if bad:
            con.rollback()
            rows, bad = _insert_csv(con, raw, table, select, [line for line, _, _ in bad])
        else:
            con.commit()
    finally:
        raw.discard()
    return rows, [BadLine(int(line), str(msg), str(text).rstrip("\r\n")) for line, msg, text in bad]


def _insert_csv(
    con: duckdb.DuckDBPyConnection, raw: RawFile, table: str, select: str, bad_lines: list[int]
) -> tuple[int, list[tuple]]:
    """Insert the parsed records; return (rows, broken lines as (line, error, text)).

    Record k (in file order) sits on data line k plus the broken lines (``bad_lines``,
    sorted) before it.
    """
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(raw.headers))) + "}"
    skip = raw.header_row + 1
    con.execute("drop table if exists reject_errors; drop table if exists reject_scans")
    # Keep the parallel reader: with parallel=false DuckDB drops a truncated quoted last line silently.
    records = f"""select *, row_number() over () as _rn from read_csv(?, header=false, skip={skip}, columns={columns},
        auto_detect=false, delim=?, quote=?, escape=?, store_rejects=true,
        rejects_table='reject_errors', rejects_scan='reject_scans')"""
    quote = getattr(raw, "_quote", '"')
    params = [str(raw._text_path or raw.path), getattr(raw, "_delimiter", ","), quote, quote]
    if bad_lines:
        rows = _insert_renumbered(con, records, params, table, select, skip, bad_lines)
    else:
        numbered = f"select * exclude (_rn), _rn + {skip} as _source_row from ({records})"
        rows = con.execute(f"insert into {table} select {select} from ({numbered})", params).fetchall()[0][0]
    bad = con.execute(
        "select line, any_value(error_message), any_value(csv_line) from reject_errors group by line order by line"
    ).fetchall()
    return rows, bad


def _insert_renumbered(
    con: duckdb.DuckDBPyConnection,
    records: str,
    params: list[str],
    table: str,
    select: str,
    skip: int,
    bad_lines: list[int],
) -> int:
    """Insert ``records`` numbered past the broken lines, by an ASOF join on the records before each."""
    accepted_before = [line - skip - i for i, line in enumerate(bad_lines, 1)]
    # Materialised first: joined to the reader directly, the join is planned for a handful of rows.
    con.execute(f"create or replace temp table _records as {records}", params)
    rows = con.execute(
        f"""insert into {table} select {select} from (
            with b as (select n, count(*) over (order by n) as k from unnest(?::bigint[]) as u(n))
            select r.* exclude (_rn), _rn + {skip} + coalesce(k, 0) as _source_row
            from _records r asof left join b on r._rn > b.n order by _rn)""",
        [accepted_before],
    ).fetchall()[0][0]
    con.execute("drop table _records")
    return rows


def _excel_arrow(raw: RawFile, width: int) -> pa.Table:
    import fastexcel

    try:
        sheet = fastexcel.read_excel(str(raw.path)).load_sheet(
            0,
            header_row=None,
            skip_rows=raw.header_row + 1,
            dtypes="string",
            skip_whitespace_tail_rows=True,
            eager=True,
        )
    except Exception as exc:
        raise ReadError(f"corrupt or unreadable Excel workbook: {str(exc).splitlines()[0]}") from exc
    batch = sheet if isinstance(sheet, pa.RecordBatch) else sheet.to_arrow()
    cols = [
        batch.column(i) if i < batch.num_columns else pa.nulls(batch.num_rows, pa.string())
        for i in range(width)
    ]
    first_data_row = raw.header_row + 2  # spreadsheet rows are 1-based and the header takes one
    rows = pa.array(range(first_data_row, first_data_row + batch.num_rows), pa.int64())
    table = pa.table(
        [*(c.cast(pa.string()) for c in cols), rows], names=[*(f"c{i}" for i in range(width)), "_source_row"]
    )
    # Rows that are blank in every cell are not records.
    return table.filter(_any_non_blank(table, width)) if width else table


def _any_non_blank(table: pa.Table, width: int) -> pa.Array:
    import pyarrow.compute as pc

    mask = None
    for i in range(width):
        col = pc.utf8_trim_whitespace(table.column(i).fill_null(""))
        filled = pc.not_equal(col, "")
        mask = filled if mask is None else pc.or_(mask, filled)
    return mask


def _geojson_arrow(raw: RawFile) -> pa.Table:
    keys = raw.headers[:-4]
    columns: list[list[str | None]] = [[] for _ in raw.headers]
    for feat in raw._features or []:
        props = feat.get("properties") or {}
        geom = feat.get("geometry")
        for i, k in enumerate(keys):
            v = props.get(k)
            columns[i].append(None if v is None else str(v))
        gtype = geom.get("type") if isinstance(geom, dict) else None
        lon, lat = centroid(geom) if gtype else (None, None)
        columns[-4].append(json.dumps(geom, ensure_ascii=False, separators=(",", ":")) if geom else None)
        columns[-3].append(gtype)
        columns[-2].append(None if lon is None else repr(lon))
        columns[-1].append(None if lat is None else repr(lat))
    n = len(raw._features or [])
    arrays = [pa.array(c, pa.string()) for c in columns] + [pa.array(range(1, n + 1), pa.int64())]
    return pa.table(arrays, names=[*(f"c{i}" for i in range(len(raw.headers))), "_source_row"])


def centroid(geom: dict) -> tuple[float | None, float | None]:
    """Area centroid of a (Multi)Polygon's largest outer ring, or the point itself."""
    gtype = geom.get("type")
    coords = geom.get("coordinates")
    try:
        if gtype == "Point":
            return float(coords[0]), float(coords[1])
        rings = (
            [coords[0]] if gtype == "Polygon" else [p[0] for p in coords] if gtype == "MultiPolygon" else []
        )
    except (TypeError, IndexError, ValueError):
        return None, None
    best: tuple[float, float, float] | None = None
    for ring in rings:
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            a += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if a and (best is None or abs(a) > abs(best[0])):
            best = (a, cx / (3 * a), cy / (3 * a))
    return (best[1], best[2]) if best else (None, None)
