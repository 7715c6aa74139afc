"""Chart builders whose finished Vega-Lite spec is kept, by the builder's inputs.

Building an Altair chart and turning it into a spec (Altair validates every channel against the
Vega-Lite schema) costs 30–150 ms per chart, every script run, for every session — most of a desk
page's server time. The inputs are the page's (per-release, cached) query results and a few
parameters, so the same chart is built again and again. ``@cached_spec`` builds it once per distinct
input and hands ``st.altair_chart`` the finished spec.

The key is the builder's name and its arguments, polars frames by their content (Arrow IPC bytes), so a
new release (other data) or another language (other labels in the data) is another entry: nothing
goes stale. At most ``MAX_SPECS`` specs are kept (least recently used dropped).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import polars as pl
import pyarrow as pa

MAX_SPECS = 512

_specs: OrderedDict[bytes, dict] = OrderedDict()
_lock = threading.Lock()


class FinishedChart:
    """A Vega-Lite spec (data already Arrow-serialised) that ``st.altair_chart`` accepts like a chart:
    it only calls ``to_dict()``. Each call returns a copy, since Streamlit edits the spec it gets."""

    def __init__(self, spec: dict) -> None:
        self._spec = spec

    def to_dict(self, *args: Any, **kwargs: Any) -> dict:
        return copy.deepcopy(self._spec)


def _feed(h: Any, value: Any) -> None:
    if isinstance(value, pl.DataFrame):
        # Arrow IPC of the frame (zero-copy to Arrow, single-threaded write: no polars engine run)
        table = value.to_arrow()
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        h.update(b"frame:")
        h.update(sink.getvalue())
    elif isinstance(value, pl.Series):
        _feed(h, value.to_frame())
    elif isinstance(value, dict):
        h.update(b"dict:")
        for k, v in value.items():
            _feed(h, k)
            _feed(h, v)
    elif isinstance(value, list | tuple):
        h.update(b"seq:")
        for v in value:
            _feed(h, v)
    else:
        h.update(f"{type(value).__name__}:{value!r};".encode())


def _key(name: str, args: tuple, kwargs: dict) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    h.update(name.encode())
    _feed(h, args)
    _feed(h, sorted(kwargs.items()))
    return h.digest()


def _to_spec(chart: Any) -> dict | None:
    """The spec Streamlit would make of ``chart`` (its own conversion: Arrow datasets, theme), or None
    when this Streamlit has no such function (then the chart is passed on as it is)."""
    try:
        from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec
    except ImportError:  # pragma: no cover - another Streamlit version
        return None
    return _convert_altair_to_vega_lite_spec(chart)


def cached_spec(builder: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a chart builder (data in, Altair chart out) so it returns a :class:`FinishedChart`,
    built once per distinct input."""

    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> Any:
        key = _key(builder.__qualname__, args, kwargs)
        with _lock:
            spec = _specs.get(key)
            if spec is not None:
                _specs.move_to_end(key)
        if spec is None:
            chart = builder(*args, **kwargs)
            spec = _to_spec(chart)
            if spec is None:
                return chart
            with _lock:
                _specs[key] = spec
                while len(_specs) > MAX_SPECS:
                    _specs.popitem(last=False)
        return FinishedChart(spec)

    return build
