"""`make bench`: generation and load of the one-year demo, against DuckDB's plain CSV scan.

Each stage runs as its own process (`gridpulse …`) so its wall time and peak
memory are its own. Figures are printed and written to bench-results/load.json.
Set BENCH_SCALE / BENCH_DAYS to measure another size.

Targets (issue 2): generate + load of the one-year demo at scale 1 under 120 s;
load of the CSV files within 3x of DuckDB's plain read_csv of the same files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from warehouse.readers import decode_text

ROOT = Path(__file__).resolve().parents[2]
GRIDPULSE = str(Path(sys.executable).with_name("gridpulse"))


def run_stage(args: list[str], home: Path) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one `gridpulse` process."""
    env = {**os.environ, "GRIDPULSE_HOME": str(home)}
    started = time.perf_counter()
    proc = subprocess.Popen([GRIDPULSE, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0,):
        raise SystemExit(f"gridpulse {' '.join(args)} failed ({proc.returncode}):\n{err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def plain_scan_seconds(csv_files: list[Path], scratch: Path) -> float:
    """DuckDB's own read_csv of the same files (GB18030 ones transcoded to UTF-8 first, untimed)."""
    readable = []
    for path in csv_files:
        text, encoding = decode_text(path.read_bytes())
        if encoding in ("utf-8", "utf-8-sig"):
            readable.append(path)
        else:
            copy = scratch / f"{len(readable)}.csv"
            copy.write_text(text, encoding="utf-8")
            readable.append(copy)
    con = duckdb.connect()
    started = time.perf_counter()
    for path in readable:
        con.execute("create or replace table t as select * from read_csv(?, all_varchar=true)", [str(path)])
    return time.perf_counter() - started


def main() -> None:
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    days = int(os.environ.get("BENCH_DAYS", "365"))
    work = Path(tempfile.mkdtemp(prefix="gridpulse-bench-"))
    try:
        home = work / "home"
        gen_s, gen_mb = run_stage(["generate", "--scale", str(scale), "--days", str(days)], home)
        manifest = json.loads((home / "landing" / "_manifest.json").read_text(encoding="utf-8"))
        rows = sum(f["rows"] for f in manifest["files"])
        load_s, load_mb = run_stage(["load"], home)

        # The CSV files alone, loaded into a fresh home, against the plain scan of the same files.
        csv_home = work / "csv_home"
        csv_files = sorted(p for p in (home / "landing").rglob("*.csv"))
        for p in csv_files:
            target = csv_home / "landing" / p.relative_to(home / "landing")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, target)
        csv_rows = sum(f["rows"] for f in manifest["files"] if f["format"] == "csv")
        csv_load_s, _ = run_stage(["load"], csv_home)
        scratch = work / "scratch"
        scratch.mkdir()
        scan_s = plain_scan_seconds(csv_files, scratch)
        results = {
            "scale": scale,
            "days": days,
            "files": len(manifest["files"]),
            "rows": rows,
            "landing_mb": round(sum(p.stat().st_size for p in (home / "landing").rglob("*") if p.is_file()) / 2**20, 1),
            "generate_s": round(gen_s, 1),
            "generate_peak_mb": round(gen_mb),
            "load_s": round(load_s, 1),
            "load_peak_mb": round(load_mb),
            "load_rows_per_s": round(rows / load_s),
            "generate_plus_load_s": round(gen_s + load_s, 1),
            "csv_files": len(csv_files),
            "csv_rows": csv_rows,
            "csv_load_s": round(csv_load_s, 2),
            "csv_plain_read_csv_s": round(scan_s, 2),
            "csv_load_over_plain_scan": round(csv_load_s / scan_s, 2),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(json.dumps(results, indent=1) + "\n")
    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    print(f"target: generate + load < 120 s: {'met' if results['generate_plus_load_s'] < 120 else 'MISSED'}; "
          f"CSV load within 3x of plain scan: {'met' if results['csv_load_over_plain_scan'] <= 3 else 'MISSED'}")


if __name__ == "__main__":
    main()
