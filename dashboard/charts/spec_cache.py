"""Chart builders whose finished Vega-Lite spec is kept, by the builder's inputs.

Building an Altair chart and turning it into a spec (Altair validates every channel against the
Vega-Lite schema) costs 30–150 ms per chart, every script run, for every session — most of a desk
page's server time. The inputs are the page's (per-release, cached) query results and a few
parameters, so the same chart is built again and again. ``@cached_spec`` builds it once per distinct
input, with Altair's public ``Chart.to_dict()``, and the page draws the spec with ``st.vega_lite_chart``.

The key is the builder's name and its arguments, polars frames by their content (Arrow IPC bytes), so a
new release (other data) or another language (other labels in the data) is another entry: nothing
goes stale. At most ``MAX_SPECS`` specs are kept (least recently used dropped).
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import altair as alt
import polars as pl
import pyarrow as pa

from .fields import labelled, language

MAX_SPECS = 512

# Altair's default theme sizes every view 300×300; Streamlit sizes charts itself (st.altair_chart turns the
# theme off for each chart it converts). Off for the whole app, so every spec is made the same way.
alt.theme.enable("none")

_specs: OrderedDict[bytes, dict] = OrderedDict()
_lock = threading.Lock()


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
    h.update(language().encode())  # the spec carries the UI language's field names
    _feed(h, args)
    _feed(h, sorted(kwargs.items()))
    return h.digest()


def cached_spec(builder: Callable[..., alt.TopLevelMixin]) -> Callable[..., dict]:
    """Decorate a chart builder (data in, Altair chart out) so it returns the chart's Vega-Lite spec (a dict
    for ``st.vega_lite_chart``) with every field it shows named in the UI's language (:func:`labelled`),
    built once per distinct input and language.

    Each call hands out a new top-level dict over the kept one: Streamlit takes ``datasets`` out of the
    dict it is given (it sends them as Arrow), so the kept spec must not be that dict."""

    @functools.wraps(builder)
    def build(*args: Any, **kwargs: Any) -> dict:
        key = _key(builder.__qualname__, args, kwargs)
        with _lock:
            spec = _specs.get(key)
            if spec is not None:
                _specs.move_to_end(key)
        if spec is None:
            spec = labelled(builder(*args, **kwargs).to_dict())
            with _lock:
                _specs[key] = spec
                while len(_specs) > MAX_SPECS:
                    _specs.popitem(last=False)
        return dict(spec)

    return build
