"""The `gridpulse` command line."""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from warehouse.home.diskspace import DiskFull
from warehouse.home.locks import Busy
from warehouse.home.paths import DataHome

from . import logs

if TYPE_CHECKING:
    from warehouse.ingest.records import LoadReport


log = logging.getLogger("warehouse.cli")  # also when run as `python -m warehouse.cli` (__main__)


def _say(msg: str) -> None:
    """A line for the user on stderr: progress and summaries at INFO (hidden by --quiet), errors at ERROR."""
    log.log(logging.ERROR if msg.startswith("error") else logging.INFO, msg)


def cmd_generate(args: argparse.Namespace, home: DataHome) -> int:
    from gridpulse_demo import generate

    out = Path(args.out) if args.out else home.landing
    started = time.perf_counter()
    manifest = generate(
        out, seed=args.seed, start=args.start, days=args.days, scale=args.scale, progress=_say
    )
    if not args.out:  # the demo city's exports went into this data home: name the city there too
        from gridpulse_demo.names import CITY
        from warehouse.home.settings import set_defaults

        set_defaults(home, city_name=CITY)
    rows = sum(f["rows"] for f in manifest["files"])
    _say(
        f"wrote {len(manifest['files'])} files, {rows:,} rows to {out} in {time.perf_counter() - started:.1f} s"
    )
    return 0


def cmd_load(args: argparse.Namespace, home: DataHome) -> int:
    from warehouse.ingest.load import load

    landing = Path(args.landing) if args.landing else home.landing
    if not landing.exists():
        _say(f"landing folder {landing} does not exist: put exports there or run `gridpulse generate`")
        return 2
    started = time.perf_counter()
    progress = logs.Progress(log, "loading")
    try:
        report = load(home, landing, _profile_paths(args.profile), progress=progress, step=progress.step)
    finally:
        progress.close()
    return _summed_up(args, home, landing, report, started)


def _summed_up(
    args: argparse.Namespace, home: DataHome, landing: Path, report: LoadReport, started: float
) -> int:
    """Say what a load did and put its files away; the exit status: 1 when a file was rejected or had
    every row quarantined."""
    failed = report.rejected or report.all_quarantined
    log.log(
        logging.WARNING if failed else logging.INFO,
        report.summary() + f"\n({time.perf_counter() - started:.1f} s)",
    )
    _put_away_loaded(args, home, landing, report)
    return 1 if failed else 0


def _profile_paths(names: list[str] | None) -> list[Path]:
    """``--profile`` arguments (paths or built-in names) as profile files; ProfileError for a wrong one."""
    from warehouse.ingest.profile import find_profile

    return [find_profile(name) for name in names or []]


def cmd_reload(args: argparse.Namespace, home: DataHome) -> int:
    """Read again the files whose rows were quarantined (or the files named), after a profile was fixed."""
    from warehouse.ingest.load import load
    from warehouse.ingest.sources import reread_files

    landing = Path(args.landing) if args.landing else home.landing
    files = reread_files(home, landing, args.files)
    if not files:
        _say("no loaded file has quarantined rows: nothing to read again")
        return 0
    _say(f"reading again: {', '.join(files)}")
    started = time.perf_counter()
    progress = logs.Progress(log, "reading again")
    try:
        report = load(
            home, landing, _profile_paths(args.profile), progress=progress, reread=files, step=progress.step
        )
    finally:
        progress.close()
    return _summed_up(args, home, landing, report, started)


def _put_away_loaded(args: argparse.Namespace, home: DataHome, landing: Path, report: LoadReport) -> None:
    """--archive / --delete-loaded (or settings.yml's after_load): the raw exports leave landing once loaded."""
    from warehouse.ingest.landing import after_load_choice, put_away

    how = after_load_choice(home, getattr(args, "archive", False), getattr(args, "delete_loaded", False))
    loaded = [f.file for f in report.files if f.status == "loaded"] + report.skipped
    moved = put_away(home, landing, loaded, how)
    if moved:
        where = (
            f"moved to {home.root / 'archive'} (owner-only)" if how == "archive" else "deleted from landing"
        )
        _say(f"{len(moved)} loaded file(s) {where}")


def cmd_unload(args: argparse.Namespace, home: DataHome) -> int:
    from warehouse.lake.unload import UnloadError, unload

    landing = Path(args.landing) if args.landing else home.landing
    try:
        done = unload(home, args.file, landing, progress=_say)
    except UnloadError as exc:
        _say(f"error: {exc}")
        return 2
    _say(done.summary())
    return 0


def cmd_build(args: argparse.Namespace, home: DataHome) -> int:
    from warehouse.release.build import build

    if not home.lake.exists() or not any(home.lake.glob("*/*/*.parquet")):
        _say(
            f"the lake in {home.lake} is empty: run `gridpulse load` first (or `gridpulse generate` for the demo city)"
        )
        return 2
    engine = getattr(args, "engine", "duckdb")
    if engine == "spark":
        from warehouse.release.spark import unavailable

        reason = unavailable()
        if reason:
            _say(f"error: {reason}")
            return 2
    result = build(home, progress=_say, full=getattr(args, "full", False), engine=engine)
    _say(result.summary())
    return 0 if result.ok else 1


def streamlit_flags(config_toml: Path) -> list[str]:
    """Every setting of the app's Streamlit config.toml as a command-line flag (``--server.headless true``):
    a flag outranks a STREAMLIT_* environment variable, so the privacy settings hold whatever is set there."""
    import tomllib

    flags = []
    for section, options in tomllib.loads(config_toml.read_text(encoding="utf-8")).items():
        for name, value in options.items():
            flags += [f"--{section}.{name}", str(value).lower() if isinstance(value, bool) else str(value)]
    return flags


def cmd_refresh(args: argparse.Namespace, home: DataHome) -> int:
    """Load what is new in landing, build if the lake changed; the outcome on one line (the last one)."""
    from warehouse.release.refresh import refresh

    landing = Path(args.landing) if args.landing else home.landing
    result = refresh(
        home, landing, build_after=not args.no_build, force=args.force, run_id=args.run_id, progress=_say
    )
    log.log(logging.WARNING if result.exit_code else logging.INFO, result.message)  # --quiet keeps failures
    return result.exit_code


def cmd_serve(args: argparse.Namespace, home: DataHome) -> int:
    from warehouse.access.serving import prepare_serving
    from warehouse.ingest.intake import upload_limit_mb

    root = Path(__file__).resolve().parents[1]
    address = args.address or ("127.0.0.1" if args.no_auth else "0.0.0.0")
    if args.no_auth and address not in ("127.0.0.1", "localhost", "::1"):
        _say(f"error: --no-auth serves this machine only: it binds 127.0.0.1, not {address}")
        return 2
    # dashboard/serve.py is dashboard/app.py as a public st.App with its static-file middleware
    app = root / "dashboard" / "serve.py"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(args.port),
        "--server.address",
        address,
        *streamlit_flags(app.with_name(".streamlit") / "config.toml"),
        # the data page's upload limit, enforced by the browser too
        "--server.maxUploadSize",
        str(math.ceil(upload_limit_mb())),
    ]
    env = {**os.environ, "GRIDPULSE_HOME": str(home.root), "PYTHONPATH": str(root)}
    env.pop("GRIDPULSE_NO_AUTH", None)  # only --no-auth turns sign-in off, never an inherited variable
    serving = prepare_serving(home)
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = serving.cookie_secret  # in the environment: not in `ps` output
    if serving.secrets_file:
        cmd += ["--secrets.files", str(serving.secrets_file)]
    if args.no_auth:
        env["GRIDPULSE_NO_AUTH"] = "1"
        _say("sign-in is OFF (--no-auth): this machine only, every page for whoever uses it")
    else:
        for line in serving.notes:
            _say(line)
    _say(f"serving GridPulse on http://{address}:{args.port} (data home {home.root}); Ctrl-C stops")
    # Become Streamlit (exec), so stopping this process stops the server: no orphaned child.
    os.execve(sys.executable, cmd, env)


def cmd_demo(args: argparse.Namespace, home: DataHome) -> int:
    """generate (if the landing folder is empty) → load → build → serve."""
    if not home.landing.exists() or not any(home.landing.iterdir()):
        gen = argparse.Namespace(
            out=None, seed=args.seed, start=date(2025, 1, 1), days=args.days, scale=args.scale
        )
        if cmd_generate(gen, home):
            return 1
    if cmd_load(argparse.Namespace(landing=None, profile=None), home) == 2:
        return 2
    if cmd_build(args, home):
        return 1
    if not args.no_auth:
        from warehouse.access.serving import demo_accounts

        demo_accounts(home, _say)
    return 0 if args.no_serve else cmd_serve(args, home)


def cmd_sql(args: argparse.Namespace, home: DataHome) -> int:
    """The workbench's path: the query in the sandbox's child, the result capped, printing within the time limit."""
    from warehouse.release.releases import current_release_db
    from warehouse.sandbox.query import Limits, SandboxError, run_isolated
    from warehouse.sandbox.sql_output import OutputTimeout, time_limit, truncation_note, write_result

    db = current_release_db(home)
    if db is None:
        _say("error: no warehouse release yet: run `gridpulse build` first")
        return 2
    try:
        limits = Limits()
    except ValueError as exc:
        _say(f"error: {exc}")
        return 2
    export = args.format != "table"
    max_rows, max_bytes = limits.caps(export)
    try:
        result = run_isolated(args.query, db, limits, max_rows=max_rows, max_bytes=max_bytes)
        # Printing counts against the time limit too: it gets what the query left (at least a second).
        with time_limit(max(1.0, limits.timeout_s - result.seconds)):
            write_result(result.table, args.format, sys.stdout.fileno())
    except SandboxError as exc:
        _say(f"error: {exc}")
        return 1
    except OutputTimeout:
        _say(
            f"error: 查询及输出超过 {limits.timeout_s:g} 秒的时限，输出已中止 — the query and its output took "
            f"longer than the {limits.timeout_s:g} s limit; the output was cut short"
        )
        return 1
    except BrokenPipeError:  # the reader of the output went away (e.g. `| head`)
        return 0
    _say(f"{result.rows:,} row(s){truncation_note(result, limits, export)} in {result.seconds:.2f} s")
    return 0


def cmd_status(args: argparse.Namespace, home: DataHome) -> int:
    from warehouse.lake.status import format_status, lake_status

    status = lake_status(home)
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=1, default=str))
    else:
        print(format_status(status))
    return 0


def cmd_bulletin(args: argparse.Namespace, home: DataHome) -> int:
    """The 通报 of a period as Word or PDF, from the current release: the dashboard's document generator,
    started by module name (as `serve` starts the dashboard), so the warehouse never imports the dashboard."""
    root = Path(__file__).resolve().parents[1]
    cmd = [sys.executable, "-m", "dashboard.bulletin_doc", *args.bulletin_args]
    path = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH")) if p)
    return subprocess.run(
        cmd, env={**os.environ, "GRIDPULSE_HOME": str(home.root), "PYTHONPATH": path}
    ).returncode


def _password_from_stdin() -> str:
    if sys.stdin is None or sys.stdin.isatty():
        raise SystemExit("error: --password-stdin reads the password from standard input (pipe it in)")
    return sys.stdin.readline().rstrip("\r\n")


def cmd_users(args: argparse.Namespace, home: DataHome) -> int:
    from warehouse.access import audit
    from warehouse.access.accounts import ROLES, AccountError, AccountStore
    from warehouse.sandbox.sql_output import text_table

    store = AccountStore(home)
    try:
        if args.action == "list":
            rows = [a.public() for a in store.list()]
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, indent=1))
            else:
                print(
                    text_table(
                        ["name", "role", "street", "disabled", "locked_until", "created_at"],
                        [
                            [
                                r["name"],
                                f"{r['role']} {ROLES[r['role']]}",
                                r["street"] or "",
                                "yes" if r["disabled"] else "",
                                r["locked_until"] or "",
                                r["created_at"],
                            ]
                            for r in rows
                        ],
                    )
                )
            return 0
        if args.action in ("add", "passwd") and not args.password_stdin:
            _say(
                "error: give the password on standard input with --password-stdin (never on the command line)"
            )
            return 2
        if args.action == "add":
            account = store.add(args.name, args.role, _password_from_stdin(), args.street)
            audit.record(
                home,
                "user_change",
                _operator(),
                action="add",
                target=args.name,
                role=account.role,
                street=account.street,
                via="cli",
            )
        elif args.action == "passwd":
            store.set_password(args.name, _password_from_stdin())
            audit.record(home, "user_change", _operator(), action="passwd", target=args.name, via="cli")
        else:  # disable | enable
            getattr(store, args.action)(args.name)
            audit.record(home, "user_change", _operator(), action=args.action, target=args.name, via="cli")
    except AccountError as exc:
        _say(f"error: {exc}")
        return 2
    _say(f"{args.action}: {args.name} done")
    return 0


def _operator() -> str:
    """Who ran a CLI command, for the audit log: the operating-system user."""
    from warehouse.home.locks import actor

    return actor()


def cmd_screens(args: argparse.Namespace, home: DataHome) -> int:
    from warehouse.access import audit
    from warehouse.access.accounts import AccountError
    from warehouse.access.screens import ScreenStore, kiosk_path
    from warehouse.sandbox.sql_output import text_table

    store = ScreenStore(home)
    try:
        if args.action == "add":
            token = store.add(args.name, args.street)
            audit.record(
                home,
                "screen_change",
                _operator(),
                action="add",
                target=args.name,
                street=args.street,
                via="cli",
            )
            print(f"{args.base_url.rstrip('/')}{kiosk_path(token)}")
            _say(
                f"screen {args.name}: the link above opens the big screen only; it is shown once "
                "(only its hash is kept). `gridpulse screens revoke " + args.name + "` switches it off."
            )
        elif args.action == "revoke":
            store.revoke(args.name)
            audit.record(home, "screen_change", _operator(), action="revoke", target=args.name, via="cli")
            _say(f"screen {args.name} revoked: its link opens nothing from the next refresh on")
        else:
            rows = [s.public() for s in store.list()]
            print(
                text_table(
                    ["name", "street", "created_at", "revoked_at"],
                    [[r["name"], r["street"] or "", r["created_at"], r["revoked_at"] or ""] for r in rows],
                )
            )
    except AccountError as exc:
        _say(f"error: {exc}")
        return 2
    return 0


def cmd_audit(args: argparse.Namespace, home: DataHome) -> int:
    from warehouse.access import audit

    entries = audit.read(home, since=args.since, events=args.event, user=args.user)
    for entry in entries:
        print(json.dumps(entry, ensure_ascii=False) if args.json else audit.format_entry(entry))
    return 0


def _since(text: str) -> datetime:
    """YYYY-MM-DD, an ISO time, or a span back from now: 30m, 12h, 7d."""
    from datetime import UTC, timedelta

    units = {"m": "minutes", "h": "hours", "d": "days"}
    if text[-1:] in units and text[:-1].isdigit():
        return datetime.now(UTC) - timedelta(**{units[text[-1]]: int(text[:-1])})
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"not a time: {text} (YYYY-MM-DD, an ISO time, or 30m / 12h / 7d)"
        ) from exc


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


def _verbosity_options(parser: argparse.ArgumentParser, default: object) -> None:
    how = parser.add_mutually_exclusive_group()
    how.add_argument("-q", "--quiet", action="store_true", default=default, help="only warnings and errors")
    how.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=default,
        help="also the diagnostics (DEBUG), with time and module",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gridpulse",
        description="GridPulse 网格脉搏 — exports → lake → warehouse → dashboard. "
        "Data lives under $GRIDPULSE_HOME (default ./data).",
    )
    parser.add_argument("--version", action="version", version=f"gridpulse {_version()}")
    _verbosity_options(parser, False)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write the demo city's raw exports")
    gen.add_argument("--out", help="output folder (default $GRIDPULSE_HOME/landing)")
    gen.add_argument("--seed", type=int, default=20250101)
    gen.add_argument("--start", type=_date, default=date(2025, 1, 1), help="first day (default 2025-01-01)")
    gen.add_argument("--days", type=int, default=365)
    gen.add_argument("--scale", type=float, default=1.0, help="volume multiplier (1 = the XX市 calibration)")
    gen.set_defaults(func=cmd_generate)

    ld = sub.add_parser("load", help="load export files into the Parquet lake")
    ld.add_argument("--landing", help="folder of export files (default $GRIDPULSE_HOME/landing)")
    ld.add_argument(
        "--profile",
        action="append",
        help="an extra profile: a YAML file or a built-in profile's name (repeatable); takes precedence",
    )
    away = ld.add_mutually_exclusive_group()
    away.add_argument(
        "--archive", action="store_true", help="move loaded files to the owner-only archive folder"
    )
    away.add_argument("--delete-loaded", action="store_true", help="delete loaded files from landing")
    ld.set_defaults(func=cmd_load)

    ul = sub.add_parser(
        "unload", help="take a loaded file's rows back out of the lake (its table is rebuilt without it)"
    )
    ul.add_argument("file", help="the file as `gridpulse status` lists it (path in landing) or its sha256")
    ul.add_argument(
        "--landing", help="folder the table's files were loaded from (default $GRIDPULSE_HOME/landing)"
    )
    ul.set_defaults(func=cmd_unload)

    rl = sub.add_parser(
        "reload",
        help="read again the files whose rows were quarantined (or the files named), "
        "after fixing a profile; their earlier rows and quarantine are replaced",
    )
    rl.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="landing files to read again (default: every loaded file with quarantined rows)",
    )
    rl.add_argument("--landing", help="folder of export files (default $GRIDPULSE_HOME/landing)")
    rl.add_argument("--profile", action="append", help="as for load")
    rl.set_defaults(func=cmd_reload)

    bd = sub.add_parser(
        "build", help="dbt build into a new release; it becomes current only if every test passed"
    )
    bd.add_argument(
        "--full",
        action="store_true",
        help="rebuild every model from the lake (default: start from the current release when the lake only grew)",
    )
    bd.add_argument(
        "--engine",
        choices=["duckdb", "spark"],
        default="duckdb",
        help="where dbt builds: duckdb (default) or spark (local session; its marts are packaged into the "
        "release, served by DuckDB as always)",
    )
    bd.set_defaults(func=cmd_build)

    rf = sub.add_parser(
        "refresh",
        help="load what is new in landing and build if the lake changed "
        "(exit 0 when nothing new; what a nightly timer runs)",
    )
    rf.add_argument("--landing", help="folder of export files (default $GRIDPULSE_HOME/landing)")
    rf.add_argument("--no-build", action="store_true", help="only load (the data page's upload step)")
    rf.add_argument("--force", action="store_true", help="build even when the lake did not change")
    rf.add_argument("--run-id", help=argparse.SUPPRESS)  # the data page names its run to find its result
    rf.set_defaults(func=cmd_refresh)

    sv = sub.add_parser(
        "serve", help="serve the dashboard (headless, no usage statistics, no outside requests)"
    )
    sv.add_argument("--port", type=int, default=8501)
    sv.add_argument("--address", help="interface to bind (default 0.0.0.0; 127.0.0.1 with --no-auth)")
    sv.add_argument(
        "--no-auth", action="store_true", help="no sign-in, for one person on this machine (binds 127.0.0.1)"
    )
    sv.set_defaults(func=cmd_serve)

    dm = sub.add_parser("demo", help="generate the demo city if landing is empty, load, build, serve")
    dm.add_argument("--scale", type=float, default=1.0)
    dm.add_argument("--days", type=int, default=365)
    dm.add_argument("--seed", type=int, default=20250101)
    dm.add_argument("--port", type=int, default=8501)
    dm.add_argument("--address", help="interface to bind (default 0.0.0.0; 127.0.0.1 with --no-auth)")
    dm.add_argument(
        "--no-auth", action="store_true", help="no sign-in, for one person on this machine (binds 127.0.0.1)"
    )
    dm.add_argument("--no-serve", action="store_true", help="stop after the build")
    dm.set_defaults(func=cmd_demo)

    sq = sub.add_parser("sql", help="run one read-only SELECT on the current release, in the sandbox")
    sq.add_argument("query")
    sq.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sq.set_defaults(func=cmd_sql)

    # The generator's module defines the options (dashboard/bulletin_doc/__main__.py, --help included): every
    # argument goes to it as typed. "+" as this parser's prefix makes none of them an option of its own.
    bl = sub.add_parser(
        "bulletin",
        help="the monthly / quarterly 通报 as a Word or PDF document (gridpulse bulletin --help)",
        add_help=False,
        prefix_chars="+",
    )
    bl.add_argument("bulletin_args", nargs=argparse.REMAINDER)
    bl.set_defaults(func=cmd_bulletin)

    st = sub.add_parser("status", help="lake tables, loaded files and quarantine counts")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)

    us = sub.add_parser("users", help="local accounts: add, list, disable, enable, passwd")
    us_sub = us.add_subparsers(dest="action", required=True)
    us_add = us_sub.add_parser("add", help="add an account (password from standard input)")
    us_add.add_argument("name")
    us_add.add_argument("--role", required=True, help="leader | organization | street | analyst | admin")
    us_add.add_argument("--street", help="the street code a street account sees")
    us_add.add_argument("--password-stdin", action="store_true")
    us_list = us_sub.add_parser("list", help="every account (never a password or its hash)")
    us_list.add_argument("--json", action="store_true")
    for action in ("disable", "enable"):
        us_sub.add_parser(action, help=f"{action} an account").add_argument("name")
    us_pw = us_sub.add_parser("passwd", help="set a new password (from standard input); unlocks the account")
    us_pw.add_argument("name")
    us_pw.add_argument("--password-stdin", action="store_true")
    us.set_defaults(func=cmd_users)

    sc = sub.add_parser("screens", help="kiosk links for wall screens: add, revoke, list")
    sc_sub = sc.add_subparsers(dest="action", required=True)
    sc_add = sc_sub.add_parser("add", help="print a new kiosk link (shown once)")
    sc_add.add_argument("name")
    sc_add.add_argument("--street", help="the street code the screen shows")
    sc_add.add_argument(
        "--base-url", default="http://localhost:8501", help="the dashboard's address as the screen reaches it"
    )
    sc_sub.add_parser("revoke", help="switch a screen's link off").add_argument("name")
    sc_sub.add_parser("list", help="every screen (never its token)")
    sc.set_defaults(func=cmd_screens)

    au = sub.add_parser("audit", help="print the audit log (sign-ins, SQL, downloads, account changes)")
    au.add_argument("--since", type=_since, help="YYYY-MM-DD, an ISO time, or 30m / 12h / 7d back from now")
    au.add_argument(
        "--event", action="append", help="only this event (repeatable): login_success, sql, export, …"
    )
    au.add_argument("--user", help="only this user")
    au.add_argument("--json", action="store_true", help="one JSON object per line")
    au.set_defaults(func=cmd_audit)
    for command in sub.choices.values():  # also after the command: `gridpulse load --quiet`
        if command is not bl:
            _verbosity_options(command, argparse.SUPPRESS)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gridpulse")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logs.setup(logs.level_for(args.quiet, args.verbose))
    if getattr(args, "days", 1) is not None and getattr(args, "days", 1) < 1:
        _say("--days must be at least 1")
        return 2
    if getattr(args, "scale", 1) is not None and getattr(args, "scale", 1) <= 0:
        _say("--scale must be positive")
        return 2
    return _run(args)


def _run(args: argparse.Namespace) -> int:
    """Run a sub-command; a user's mistake ends in one line on stderr, never a traceback."""
    from warehouse.ingest.profile import ProfileError
    from warehouse.ingest.records import LoadError

    try:
        return args.func(args, DataHome.from_env())
    except Busy as exc:  # another load or build holds the data home: one line, try again later
        log.error(str(exc))
        return 75
    except DiskFull as exc:  # nothing half-written was kept; one line says what is intact
        log.error(str(exc))
        return 74
    except (ProfileError, LoadError) as exc:
        _say(f"error: {exc}")
        return 2
    except BrokenPipeError:
        # The reader went away (`gridpulse sql … | head`): stop quietly. Point stdout at /dev/null so
        # the interpreter's final flush does not fail a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        log.error("interrupted")
        return 130
    except OSError as exc:  # a folder that cannot be written, a file that cannot be read
        where = f": {exc.filename}" if exc.filename else ""
        _say(f"error: {exc.strerror or exc}{where}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
