"""GridPulse dashboard entrypoint: it only routes — and only to the pages the session's role may open.

Before any page (and so before any data is read) the session's user is resolved (dashboard.access).
Nobody signed in: every URL shows the sign-in form. Signed in: the navigation holds only the role's
pages; any other page's URL shows a refusal (a hidden stub at that path), never the page.
GRIDPULSE_TIMING=1 logs each script run's wall time per page to stderr (where the server's time goes).
"""

import os
import sys
import time
from pathlib import Path

import streamlit as st

from dashboard import access, login
from dashboard.i18n import language_switch, t

# A local favicon: Material icon names as page_icon make the browser fetch an SVG from the internet.
ICON = str(Path(__file__).parent / "assets" / "icon.png")

st.set_page_config(
    page_title=t("app_title"),
    page_icon=ICON,
    layout="wide",
    initial_sidebar_state="collapsed" if st.query_params.get("kiosk") == "1" else "auto",
)

# section label → [(url path, view file, title label, icon)]
ROUTES = {
    "section_screen": [
        ("command", "views/command_center.py", "page_command_center", ":material/monitor_heart:"),
        ("map", "views/map.py", "page_map", ":material/map:"),
    ],
    "section_desk": [  # desk pages (issue 5)
        ("funnel", "views/funnel.py", "page_funnel", ":material/filter_alt:"),
        ("street-ranking", "views/street_ranking.py", "page_street_ranking", ":material/leaderboard:"),
        ("departments", "views/department_ranking.py", "page_departments", ":material/campaign:"),
        ("report-in", "views/report_in.py", "page_report_in", ":material/volunteer_activism:"),
        ("property", "views/property_lists.py", "page_property", ":material/apartment:"),
    ],
    "section_admin": [  # analyst pages (issue 6)
        ("workbench", "views/workbench.py", "page_workbench", ":material/terminal:"),
        ("health", "views/data_health.py", "page_health", ":material/health_and_safety:"),
    ],
    "section_manage": [  # accounts, screens and the audit log (issue 18)
        ("users", "views/users.py", "page_users", ":material/manage_accounts:"),
        ("audit", "views/audit_log.py", "page_audit", ":material/policy:"),
        ("data", "views/data_desk.py", "page_data", ":material/upload_file:"),  # issue 19
    ],
}
ALL_PATHS = [path for routes in ROUTES.values() for path, *_ in routes]


def stubs(render, exclude: set[str] = frozenset()) -> list[st.Page]:
    """Hidden pages at every other page's URL, each showing ``render`` instead of that page."""
    return [
        st.Page(render, title=path, url_path=path, visibility="hidden")
        for path in ALL_PATHS
        if path not in exclude
    ]


try:
    user = access.current_user()
except access.Refused:  # a wrong or revoked kiosk token: nothing at all
    st.navigation(
        [st.Page(login.screen_invalid, title=t("app_title"), default=True), *stubs(login.screen_invalid)],
        position="hidden",
    ).run()
    st.stop()
if user is None:
    st.navigation(
        [
            st.Page(login.login_page, title=t("login_title"), url_path="login", default=True),
            *stubs(login.login_page),
        ],
        position="hidden",
    ).run()
    st.stop()

kiosk = user.via == "screen" or st.query_params.get("kiosk") == "1"
if user.via == "screen" and st.query_params.get("kiosk") != "1":
    st.query_params["kiosk"] = "1"  # a wall screen is read-only: no controls
pages: dict[str, list[st.Page]] = {}
allowed: set[str] = set()
for section, routes in ROUTES.items():
    for path, script, title, icon in routes:
        if user.may_open(path):
            pages.setdefault(t(section), []).append(
                st.Page(script, title=t(title), icon=icon, url_path=path, default=not allowed)
            )
            allowed.add(path)


def refused() -> None:
    login.refusal(user.role)


pages.setdefault(t("section_manage"), []).extend(stubs(refused, exclude=allowed))
navigation = st.navigation(pages, position="hidden" if kiosk else "sidebar")
if not kiosk:
    language_switch()
    login.user_box(user)
started = time.perf_counter()
navigation.run()
if os.environ.get("GRIDPULSE_TIMING"):
    print(
        f"gridpulse timing: /{navigation.url_path} script run {(time.perf_counter() - started) * 1000:.0f} ms",
        file=sys.stderr,
        flush=True,
    )
