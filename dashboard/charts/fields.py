"""Chart fields named in the UI's language: a spec's tooltips, axes and legends never show a column name.

Vega-Lite titles an axis, a legend or a tooltip line with its field's name unless the encoding says
otherwise; :func:`labelled` gives every titled encoding that has no title the field's label
(``chart_<field>`` in dashboard/labels/charts.py). A title set to None (no title) stays as it is.
"""

from __future__ import annotations

from typing import Any

from ..i18n import LABELS, lang

# Channels Vega-Lite titles (an axis or a legend); text, order, detail, x2/y2 show no title.
TITLED = frozenset(
    {"x", "y", "color", "fill", "stroke", "shape", "size", "opacity", "strokeDash", "strokeWidth", "theta"}
)


def language() -> str:
    """The session's language; outside a Streamlit run (scripts, tests) Chinese, the default."""
    try:
        return lang()
    except Exception:  # noqa: BLE001 — no session: the default language
        return "zh"


def title(field: str) -> str:
    """The field's name in the UI's language; a field without a label is a KeyError (add it to the table)."""
    zh, en = LABELS[f"chart_{field}"]
    return en if language() == "en" else zh


def _label(channel: dict[str, Any]) -> None:
    if "field" in channel and "title" not in channel:
        channel["title"] = title(channel["field"])


def _share_layer_titles(layers: list[Any]) -> None:
    """Layers drawing on one axis share its title: where one layer sets it (None included), the others take
    that title too, so the axis reads as the builder meant (Vega-Lite lets an explicit title win)."""
    encodings = [
        la["encoding"] for la in layers if isinstance(la, dict) and isinstance(la.get("encoding"), dict)
    ]
    for name in ("x", "y"):
        channels = [e[name] for e in encodings if isinstance(e.get(name), dict)]
        explicit = [c["title"] for c in channels if "title" in c]
        if explicit:
            for c in channels:
                c.setdefault("title", explicit[0])


def labelled(spec: Any) -> Any:
    """``spec`` (a Vega-Lite dict, changed in place) with a label on every untitled field it shows."""
    if isinstance(spec, dict):
        if isinstance(spec.get("layer"), list):
            _share_layer_titles(spec["layer"])
        encoding = spec.get("encoding")
        if isinstance(encoding, dict):
            for name, channel in encoding.items():
                if name == "tooltip":
                    for item in channel if isinstance(channel, list) else [channel]:
                        if isinstance(item, dict):
                            _label(item)
                elif name in TITLED and isinstance(channel, dict):
                    _label(channel)
        for key, value in spec.items():
            if key not in ("encoding", "datasets", "data"):
                labelled(value)
    elif isinstance(spec, list):
        for item in spec:
            labelled(item)
    return spec
