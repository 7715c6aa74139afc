"""`gridpulse build --engine spark`: the same dbt project built on Spark, served from DuckDB.

dbt builds every seed, model, data test and unit test on Spark (dbt-spark's session mode: pyspark and a
local JVM in the dbt child; the `spark` output of dbt_project/profiles.yml) over the pinned lake
generation. Only when all of it passed are the tables Spark wrote (Parquet under its warehouse folder)
packaged into the release's DuckDB file — the marts with their contract's column types and every
description as a comment — and `dbt source freshness` and the docs run on that file as after a DuckDB
build. The release then switches like any other: pages, workbench and bulletin read it unchanged.

Spark's scratch (warehouse, temp, the lake seen without leading underscores) is a folder of the data
home removed after the build; nothing is downloaded (no --packages).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from warehouse.home.paths import DataHome
from warehouse.home.private_files import private_dir

from .releases import DB_NAME

Progress = Callable[[str], None]
RunDbt = Callable[..., list[str]]
SCRATCH = "spark-scratch"


def unavailable() -> str | None:
    """Why a Spark build cannot run here (None when it can)."""
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError:
        return "dbt-spark and pyspark are not installed: run `make setup` (they are in the `spark` extra)"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Spark needs Java 17: install a JRE (`apt-get install openjdk-17-jre-headless`)"
    return None


def remove_abandoned_scratch(home: DataHome) -> list[str]:
    """Delete the Spark scratch a killed Spark build left (its tables: gigabytes at province scale).
    Call holding the build lock, before this build's scratch exists: no other Spark build runs."""
    folder = home.root / SCRATCH
    left = sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    for path in left:
        shutil.rmtree(path, ignore_errors=True)
    return [p.name for p in left]


def build_on_spark(
    home: DataHome, lake: Path, release_dir: Path, project_dir: Path, say: Progress, run_dbt: RunDbt
) -> list[str]:
    """dbt build on Spark, then package into ``release_dir``; what failed, in words (empty: all passed)."""
    reason = unavailable()
    if reason:
        return [reason]
    scratch = private_dir(home.root / SCRATCH) / release_dir.name
    try:
        scratch.mkdir(parents=True)
        (scratch / "tmp").mkdir()
        env = {
            "GRIDPULSE_SPARK_DIR": str(scratch),
            "GRIDPULSE_SPARK_LAKE": str(_lake_links(lake, scratch / "lake")),
            "GRIDPULSE_LAKE_FILES": "\n".join(_lake_files(lake)),
            "GRIDPULSE_DBT_STEPS": "build",
            "SPARK_LOCAL_IP": os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"),
        }
        say("dbt build on Spark (session mode: a local JVM starts first)")
        failures = run_dbt(home, lake, release_dir, project_dir, say, ("--target", "spark"), env)
        if failures:
            return failures
        say("packaging Spark's tables into the release's DuckDB file")
        failures = package(
            release_dir / "target" / "manifest.json", scratch / "warehouse", release_dir / DB_NAME
        )
        if failures:
            return failures
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    # freshness and the docs as after a DuckDB build, read from the packaged release
    run_dbt(home, lake, release_dir, project_dir, say, (), {"GRIDPULSE_DBT_STEPS": "freshness,docs"})
    return []


def _lake_files(lake: Path) -> list[str]:
    """Every file of the lake generation, relative to it (spark__lake_files_exist matches these)."""
    return sorted(str(p.relative_to(lake)) for p in lake.rglob("*") if p.is_file())


def _lake_links(lake: Path, links: Path) -> Path:
    """Spark skips files and folders named _* (the manifest, the quarantine): link each entry of the
    lake under its name without the underscore (spark__register_lake_sources reads them so)."""
    links.mkdir()
    for entry in lake.iterdir():
        (links / entry.name.lstrip("_")).symlink_to(entry.resolve())
    return links


def package(manifest_path: Path, warehouse: Path, db: Path) -> list[str]:
    """Copy every table dbt built on Spark into the DuckDB file ``db`` (same schemas and names); a mart's
    columns are cast to its contract's types, in the contract's order, under its constraints. What
    failed, in words (a row that breaks a constraint: DuckDB's "Constraint Error: …")."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    failures: list[str] = []
    con = duckdb.connect(
        str(db), config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    try:
        for node in manifest["nodes"].values():
            if (
                node["resource_type"] not in ("model", "seed")
                or node["config"].get("materialized") != "table"
            ):
                continue
            files = warehouse / f"{node['schema']}.db" / node["alias"]
            try:
                _copy_table(con, node, files)
            except (duckdb.Error, ValueError) as exc:
                failures.append(f"{node['resource_type']} {node['name']} could not be packaged: {exc}")
        con.execute("checkpoint")
    finally:
        con.close()
    return failures


def _copy_table(con: duckdb.DuckDBPyConnection, node: dict[str, Any], files: Path) -> None:
    schema, name = node["schema"], node["alias"]
    target = f'"{schema}"."{name}"'
    typed = {c: v.get("data_type") for c, v in node.get("columns", {}).items()}
    con.execute(f'create schema if not exists "{schema}"')
    parquet = sorted(str(f) for f in files.glob("*.parquet")) if files.is_dir() else []
    if not parquet:  # Spark writes no file for an empty table: the contract says its columns
        if not typed or not all(typed.values()):
            raise ValueError(f"Spark wrote no files for {schema}.{name} and its columns are not declared")
        con.execute(f"create table {target} ({_contract_columns(node)})")
    else:
        source = f"read_parquet({parquet!r})"
        found = [r[0] for r in con.execute(f"describe select * from {source}").fetchall()]
        if _is_mart(node) and all(typed.values()) and typed:
            if sorted(found) != sorted(typed):
                missing, extra = sorted(set(typed) - set(found)), sorted(set(found) - set(typed))
                raise ValueError(f"columns differ from the contract (missing {missing}, extra {extra})")
            con.execute(f"create table {target} ({_contract_columns(node)})")
            cols = ", ".join(f'"{c}"::{t}' for c, t in typed.items())
            con.execute(f"insert into {target} select {cols} from {source}")
        else:
            con.execute(f"create table {target} as select * from {source}")
    _comment(con, target, node)


def _contract_columns(node: dict[str, Any]) -> str:
    """A mart's columns as its contract declares them, with their constraints (not null, check): dbt has
    DuckDB enforce them as it writes a DuckDB build's marts; Spark does not, so they hold from here on."""
    columns = []
    for column, spec in node.get("columns", {}).items():
        ddl = f'"{column}" {spec["data_type"]}'
        for constraint in spec.get("constraints") or []:
            if constraint.get("type") == "not_null":
                ddl += " not null"
            elif constraint.get("type") == "check":
                ddl += f" check ({constraint['expression']})"
        columns.append(ddl)
    return ", ".join(columns)


def _is_mart(node: dict[str, Any]) -> bool:
    return node["resource_type"] == "model" and node["alias"].startswith(("dim_", "fct_", "mart_"))


def _comment(con: duckdb.DuckDBPyConnection, target: str, node: dict[str, Any]) -> None:
    """The YAML's descriptions as DuckDB comments (dbt's persist_docs does so on a DuckDB build)."""
    if node.get("description"):
        con.execute(f"comment on table {target} is {_literal(node['description'])}")
    present = {r[0] for r in con.execute(f"describe {target}").fetchall()}
    for column, spec in node.get("columns", {}).items():
        if spec.get("description") and column in present:
            con.execute(f'comment on column {target}."{column}" is {_literal(spec["description"])}')


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
