"""GridPulse dashboard entrypoint: it only routes.

GRIDPULSE_TIMING=1 logs each script run's wall time per page to stderr (where the server's time goes).
"""

import os
import sys
import time
from pathlib import Path

import streamlit as st

from dashboard.i18n import language_switch, t

# A local favicon: Material icon names as page_icon make the browser fetch an SVG from the internet.
ICON = str(Path(__file__).parent / "assets" / "icon.png")

st.set_page_config(page_title=t("app_title"), page_icon=ICON, layout="wide",
                   initial_sidebar_state="collapsed" if st.query_params.get("kiosk") == "1" else "auto")

pages = {
    t("section_screen"): [
        st.Page("views/command_center.py", title=t("page_command_center"), icon=":material/monitor_heart:", url_path="command",
                default=True),
        st.Page("views/map.py", title=t("page_map"), icon=":material/map:", url_path="map"),
    ],
    t("section_desk"): [
        # desk pages (issue 5)
        st.Page("views/funnel.py", title=t("page_funnel"), icon=":material/filter_alt:", url_path="funnel"),
        st.Page("views/street_ranking.py", title=t("page_street_ranking"), icon=":material/leaderboard:",
                url_path="street-ranking"),
        st.Page("views/department_ranking.py", title=t("page_departments"), icon=":material/campaign:",
                url_path="departments"),
        st.Page("views/report_in.py", title=t("page_report_in"), icon=":material/volunteer_activism:",
                url_path="report-in"),
        st.Page("views/property_lists.py", title=t("page_property"), icon=":material/apartment:", url_path="property"),
    ],
    t("section_admin"): [
        # analyst pages (issue 6)
        st.Page("views/workbench.py", title=t("page_workbench"), icon=":material/terminal:", url_path="workbench"),
        st.Page("views/data_health.py", title=t("page_health"), icon=":material/health_and_safety:", url_path="health"),
    ],
}
pages = {section: entries for section, entries in pages.items() if entries}
navigation = st.navigation(pages, position="hidden" if st.query_params.get("kiosk") == "1" else "sidebar")
if st.query_params.get("kiosk") != "1":
    language_switch()
started = time.perf_counter()
navigation.run()
if os.environ.get("GRIDPULSE_TIMING"):
    print(f"gridpulse timing: /{navigation.url_path} script run {(time.perf_counter() - started) * 1000:.0f} ms",
          file=sys.stderr, flush=True)
