"""The dashboard as an ASGI app, through Streamlit's public ``st.App``:

    streamlit run dashboard/serve.py [streamlit options]      (what `gridpulse serve` runs)

It is dashboard/app.py with one middleware, :class:`~dashboard.static_cache.ImmutableStaticCache`
(Streamlit's content-hashed JavaScript from memory, not from disk through worker threads). Privacy and
server settings are in dashboard/.streamlit/config.toml, so `streamlit run dashboard/app.py` is as
private, only without the cache. A production deployment puts nginx in front: docs/deploy-nginx.md.

``st.App`` is public from Streamlit 1.67 (the floor in pyproject.toml); an older Streamlit has no
``st.App`` and this module stops with an AttributeError instead of serving without the middleware.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard.static_cache import ImmutableStaticCache

APP = Path(__file__).resolve().with_name("app.py")

app = st.App(APP, middleware=[Middleware(ImmutableStaticCache)])
