"""`python -m dashboard.bulletin_doc`: write the 通报 of a period as Word or PDF (what `gridpulse bulletin` runs).

The CLI starts this by module name, as it starts the dashboard: the warehouse never imports the dashboard.
The data home is $GRIDPULSE_HOME; the arguments are `gridpulse bulletin`'s. No Streamlit is imported.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from warehouse.home.paths import DataHome

from . import BulletinError, generate


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gridpulse bulletin", description="the monthly / quarterly 通报 as a document"
    )
    p.add_argument(
        "--period", required=True, help="a month (2025-11) or a quarter (2025Q4), as the marts name it"
    )
    p.add_argument("--kind", choices=["streets", "departments", "property", "all"], default="streets")
    p.add_argument("--format", choices=["docx", "pdf"], default="docx")
    p.add_argument("--street", help="only this street (code or name): a street's own document")
    p.add_argument("--out", help="output file (default: the title, in the current folder)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    home = DataHome.from_env()
    started = time.perf_counter()
    _say(f"composing the {args.kind} bulletin of {args.period} ({args.format}) …")
    try:
        doc, data = generate(home, args.period, kind=args.kind, fmt=args.format, street=args.street)
    except BulletinError as exc:
        _say(f"error: {exc}")
        return 2
    out = Path(args.out) if args.out else Path(doc.file_name(args.format))
    if out.is_dir():
        out = out / doc.file_name(args.format)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        _say(f"error: cannot write {out}: {exc.strerror}")
        return 1
    _say(
        f"wrote {out} ({len(data) / 1024:,.0f} KB, release {doc.release_id}) in {time.perf_counter() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
