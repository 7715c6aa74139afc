"""Every GRIDPULSE_* environment variable the code reads is documented in the README, and only those."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"GRIDPULSE_[A-Z0-9_]*[A-Z0-9]")


def tracked(*patterns: str) -> list[Path]:
    out = subprocess.run(["git", "ls-files", *patterns], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / p for p in out.stdout.split()]


def variables_in_code() -> dict[str, str]:
    """name → one file that names it: every string constant in the Python code (tests aside) that is exactly a
    GRIDPULSE_* name (os.environ.get, a constant, an environment handed to a child), and every env_var() the
    dbt project reads."""
    found: dict[str, str] = {}
    for path in tracked("*.py"):
        if path.relative_to(ROOT).parts[0] == "tests":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and NAME.fullmatch(node.value):
                found.setdefault(node.value, str(path.relative_to(ROOT)))
    for path in tracked("dbt_project/*.yml", "dbt_project/*.sql"):
        for name in re.findall(
            r"env_var\(\s*[\"'](GRIDPULSE_[A-Z0-9_]+)[\"']", path.read_text(encoding="utf-8")
        ):
            found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def documented() -> dict[str, str]:
    """name → its row in the README's table of environment variables."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.partition("\n## Environment variables\n")[2].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `GRIDPULSE_")]
    return {name: row for row in rows for name in NAME.findall(row.split("|")[1])}


def test_the_scan_finds_variables_read_in_each_way():
    found = variables_in_code()
    # os.environ.get("…"), a module constant, the sandbox's field factory, dbt's env_var()
    assert {"GRIDPULSE_TIMING", "GRIDPULSE_HOME", "GRIDPULSE_SQL_MEMORY", "GRIDPULSE_BUILD_MEMORY"} <= set(
        found
    )


def test_every_variable_the_code_reads_is_in_the_readme():
    missing = {name: where for name, where in variables_in_code().items() if name not in documented()}
    assert not missing, f"document these in the README's 'Environment variables' table: {missing}"


def test_the_readme_documents_no_variable_the_code_does_not_read():
    assert not set(documented()) - set(variables_in_code())


def test_each_documented_variable_says_what_it_does_and_its_default():
    for name, row in documented().items():
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 3 and all(cells), f"{name}: | variable | default | what it does |"
