"""Labels in Chinese (default) and English. Every label a page shows goes through ``t``."""

from __future__ import annotations

import importlib
import pkgutil

import polars as pl
import streamlit as st

from . import labels

LANGUAGES = {"zh": "中文", "en": "English"}


def _collect() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for info in pkgutil.iter_modules(labels.__path__):
        table = importlib.import_module(f"{labels.__name__}.{info.name}").LABELS
        clash = merged.keys() & table.keys()
        if clash:
            raise KeyError(f"label keys defined twice: {sorted(clash)}")
        merged.update(table)
    return merged


LABELS = _collect()


def lang() -> str:
    if "lang" not in st.session_state:
        st.session_state.lang = "en" if st.query_params.get("lang") == "en" else "zh"
    return st.session_state.lang


def t(key: str, **fmt: object) -> str:
    zh, en = LABELS[key]
    text = en if lang() == "en" else zh
    return text.format(**fmt) if fmt else text


UNASSIGNED = "未划分"  # dbt var unassigned_name: the division of a case whose street / community is unknown


def localized_divisions(frame: pl.DataFrame) -> pl.DataFrame:
    """In the English UI, the unassigned division's name (未划分, the warehouse's word) in English."""
    try:
        english = lang() == "en"
    except Exception:  # noqa: BLE001 — outside a Streamlit run (scripts, the CLI): the warehouse's words
        return frame
    names = [c for c, dtype in frame.schema.items() if c.endswith("_name") and dtype == pl.String]
    if not english or not names or frame.is_empty():
        return frame
    return frame.with_columns(pl.col(names).replace(UNASSIGNED, LABELS["unassigned"][1]))


def language_switch() -> None:
    choice = st.sidebar.radio(
        t("language"),
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        horizontal=True,
        index=list(LANGUAGES).index(lang()),
        key="lang_choice",
    )
    if choice != st.session_state.lang:
        st.session_state.lang = choice
        st.rerun()


def configured_city() -> str | None:
    """The city the data describes ($GRIDPULSE_HOME/settings.yml ``city_name``), if the data home names one."""
    from warehouse.home.paths import DataHome
    from warehouse.home.settings import city_name

    return city_name(DataHome.from_env())


def city() -> str:
    """The city's name for sentences and bulletins: the configured one, else 本市 / the city."""
    return configured_city() or t("desk_city")
