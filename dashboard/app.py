"""GridPulse dashboard entrypoint: it only routes."""

import streamlit as st

from dashboard.i18n import language_switch, t

st.set_page_config(page_title=t("app_title"), page_icon="🧭", layout="wide")

pages = {
    t("section_admin"): [st.Page("pages/data_health.py", title=t("page_health"), icon="🩺", url_path="health")],
}
navigation = st.navigation(pages)
language_switch()
navigation.run()
