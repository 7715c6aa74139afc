"""``generate()``: write the demo city's exports and ``_manifest.json`` (see docs/demo-exports.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from . import grid_events, party, platform, property
from .calendar import as_datetime
from .city import COMPOUNDS
from .manifest import Ledger
from .mess import Mess
from .names import CITY, COUNTY_CODE
from .rng import stream
from .schema import DIVISIONS, ENTITIES, ExportFile, value_variants
from .world import World
from .writers import write_csv, write_geojson, write_manifest, write_xlsx


def _divisions(world: World) -> Iterator[ExportFile]:
    features = world.city.features()
    rows = [[f["properties"][h] for h in DIVISIONS.headers] for f in features]
    yield ExportFile(
        f"网格系统/{CITY}_区划边界.geojson",
        DIVISIONS,
        "geojson",
        "utf-8",
        rows,
        world.period.export_min,
        features,
    )


def generate(
    out: Path,
    seed: int = 20250101,
    start: date = date(2025, 1, 1),
    days: int = 365,
    scale: float = 1.0,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Write every export of the demo city under ``out`` and return the manifest (also in ``out/_manifest.json``)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    if scale <= 0:
        raise ValueError("scale must be positive")
    say = progress or (lambda _msg: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    world = World.create(seed, start, days, scale)
    truth: dict = {}
    ledgers = {e.table: Ledger(e) for e in ENTITIES}
    files: list[dict] = []
    last_path: dict[str, str] = {}
    sources = [
        ("网格系统", _divisions(world)),
        ("城运平台", platform.exports(world, truth)),
        ("网格事件", grid_events.exports(world, truth)),
        ("双报到", party.exports(world, truth)),
        ("物业考评", property.exports(world, truth)),
    ]
    for title, exports in sources:
        n_files = n_rows = 0
        for f in exports:
            # the ledger replays a table's files in load order: sorted paths
            if f.path <= last_path.get(f.entity.table, ""):
                raise RuntimeError(f"{f.path} generated out of load order")
            last_path[f.entity.table] = f.path
            files.append(_write(out, f, ledgers[f.entity.table], seed))
            n_files += 1
            n_rows += len(f.rows)
        say(f"{title}: {n_files} files, {n_rows:,} rows")
    city = world.city
    truth["hot_spot_grids"] = city.hot_codes()
    truth["snow_days"] = [
        date.fromordinal(int(o)).isoformat() for o in world.rhythm.ordinals[world.rhythm.snow]
    ]
    truth["spring_festival_days"] = [
        date.fromordinal(int(o)).isoformat() for o in world.rhythm.ordinals[world.rhythm.spring_festival]
    ]
    manifest = {
        "generator": {
            "seed": seed,
            "start": start.isoformat(),
            "days": days,
            "scale": scale,
            "export_time": as_datetime(world.period.export_min).isoformat(sep=" "),
        },
        "city": {
            "name": CITY,
            "county_code": COUNTY_CODE,
            "streets": len(city.streets),
            "communities": len(city.communities),
            "grids": len(city.grids),
            "compounds": COMPOUNDS,
        },
        "files": sorted(files, key=lambda f: f["path"]),
        "expected": {table: ledger.expected() for table, ledger in ledgers.items()},
        "value_variants": value_variants(),
        "truth": truth,
    }
    write_manifest(out / "_manifest.json", manifest)
    return manifest


def _write(out: Path, f: ExportFile, ledger: Ledger, seed: int) -> dict:
    injected: Counter = ledger.add(f.rows)
    path = out / f.path
    if f.format == "geojson":
        write_geojson(path, f.features or [])
    else:
        rows, mess = Mess(f.entity, excel=f.format == "xlsx").apply(f.rows, stream(seed, "mess:" + f.path))
        injected.update(mess)
        if f.format == "xlsx":
            write_xlsx(path, f.entity.headers, f.entity.kinds, rows, as_datetime(f.exported_at))
        else:
            write_csv(path, f.entity.headers, rows, f.encoding or "utf-8")
            if f.encoding == "gb18030":
                injected["encoding_gb18030"] = len(rows)
            elif f.encoding == "utf-8-sig":
                injected["encoding_utf8_bom"] = len(rows)
    return {
        "path": f.path,
        "source": f.entity.source,
        "entity": f.entity.entity,
        "format": f.format,
        "encoding": f.encoding,
        "rows": len(f.rows),
        "injected": dict(sorted(injected.items())),
    }
