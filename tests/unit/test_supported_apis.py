"""Only Streamlit's and Altair's public APIs: no import of an underscore-prefixed name from either, no use of
a private attribute of one of their modules, and no monkeypatching of Streamlit — in the product and in the
tests. A Streamlit upgrade then breaks loudly in its changelog, not silently in a patched internal."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("streamlit", "altair")
# a module path in a string: importlib, mock.patch or a helper that patches what it names
MODULE_PATH = re.compile(r"(streamlit|altair)(\.[A-Za-z_]\w*)+(:\w+)?")
PATCHERS = {
    "setattr",
    "delattr",
    "patch",
    "object",
    "import_module",
}  # setattr, monkeypatch.*, mock.patch*, importlib


def _library(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in LIBRARIES


def _private(dotted: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in dotted.split("."))


def tracked_python_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return [ROOT / line for line in out.splitlines() if (ROOT / line).exists()]


def offences(source: str) -> list[str]:
    """What in ``source`` reaches past Streamlit's or Altair's public API (one line each)."""
    tree = ast.parse(source)
    bound: set[str] = set()  # local names of streamlit/altair modules and objects
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _library(alias.name):
                    bound.add((alias.asname or alias.name).split(".")[0])
                    if _private(alias.name):
                        found.append(f"{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and _library(node.module):
            for alias in node.names:
                bound.add(alias.asname or alias.name)
                if _private(f"{node.module}.{alias.name}"):
                    found.append(f"{node.lineno}: from {node.module} import {alias.name}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and _private(node.attr)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
        ):
            found.append(f"{node.lineno}: {node.value.id}.{node.attr}")
        elif isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            target = node.args[0]
            patched_module = isinstance(target, ast.Name) and target.id in bound
            patched_path = (
                isinstance(target, ast.Constant)
                and isinstance(target.value, str)
                and _library(target.value.split(":")[0])
                and name != "import_module"
            )
            imported_private = (
                name == "import_module"
                and isinstance(target, ast.Constant)
                and isinstance(target.value, str)
                and _library(target.value)
            )
            if name in PATCHERS and (patched_module or patched_path or imported_private):
                found.append(f"{node.lineno}: {ast.unparse(node)[:80]}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and MODULE_PATH.fullmatch(node.value)
        ):
            found.append(f"{node.lineno}: {node.value!r} (a Streamlit/Altair module reached by name)")
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in bound:
                    found.append(f"{node.lineno}: {ast.unparse(t)} = …")
    return found


def test_the_checker_catches_what_it_is_for():
    assert offences("from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec")
    assert offences(
        "from streamlit.web.server.starlette import starlette_server\n"
        "monkeypatch.setattr(starlette_server, 'x', 1)"
    )
    assert offences("import importlib\nowner = importlib.import_module('streamlit.web.server.starlette')")
    assert offences("from streamlit import config\nconfig._config_options_template")
    assert offences("import streamlit as st\nst.altair_chart = print")
    assert offences("mock.patch('streamlit.runtime.Runtime.start')")
    assert offences("import altair.utils._transformed_data")
    assert offences("_patch('streamlit.web.server.starlette.starlette_server', '_bind_socket', wrap)")
    assert not offences(
        "import streamlit as st\nst.vega_lite_chart({})\nst.session_state.x = 1\n"
        "from altair import Chart\nmonkeypatch.setattr(page, 'x', 1)"
    )


def test_no_private_streamlit_or_altair_and_no_monkeypatched_streamlit_anywhere():
    found = {
        str(p.relative_to(ROOT)): o
        for p in tracked_python_files()
        if (o := offences(p.read_text(encoding="utf-8")))
    }
    assert found == {}
