"""The frame around every page: it loads the catalog and the workspace (cached), sets the
session's shared keys once, draws the sidebar and runs the chosen page.

``app.py`` only calls :func:`run`: Streamlit compiles the main script again on every rerun,
while this module is imported once.
"""

from __future__ import annotations

import streamlit as st

from app_pages import sidebar
from app_pages.components import show_failure, show_problems
from app_pages.render import md, show_flash
from app_pages.state import VIEW_KEY, init_session, load_data
from scoring.errors import RecscoreError

PAGES_KEY = "pages"


def pages() -> list[st.Page]:
    """The pages, built once per session: building nine pages resolves and checks nine files,
    a tenth of a rerun. Never shared between sessions, since navigation marks the page it
    returns as the one to run."""
    if PAGES_KEY not in st.session_state:
        st.session_state[PAGES_KEY] = [
            st.Page(
                "app_pages/rankings.py",
                title="Rankings",
                icon=":material/leaderboard:",
                default=True,
            ),
            st.Page("app_pages/tradeoffs.py", title="Trade-offs", icon=":material/scatter_plot:"),
            st.Page("app_pages/sources.py", title="Sources", icon=":material/article:"),
            st.Page("app_pages/perspectives.py", title="Perspectives", icon=":material/groups:"),
            st.Page("app_pages/editing.py", title="Score editing", icon=":material/edit_note:"),
            st.Page("app_pages/documents.py", title="Documents", icon=":material/upload_file:"),
            st.Page("app_pages/packages.py", title="Packages", icon=":material/inventory_2:"),
            st.Page("app_pages/brief.py", title="Brief", icon=":material/description:"),
            st.Page("app_pages/robustness.py", title="Robustness", icon=":material/shield:"),
        ]
    return st.session_state[PAGES_KEY]


def run() -> None:
    """One run of the app: frame, sidebar, then the chosen page."""
    st.set_page_config(page_title="recscore", page_icon=":material/balance:", layout="wide")

    navigation = st.navigation(pages())

    try:
        data = load_data()
    except RecscoreError as exc:
        show_failure(exc, "The catalog or the workspace cannot be used:")
        st.stop()

    init_session(data)
    st.session_state[VIEW_KEY] = sidebar.render(data)
    if data.workspace.problems:
        show_problems(
            data.workspace.problems,
            f"Something in the workspace ({data.workspace.workspace.root}) needs attention; "
            "everything else works:",
            kind="warning",
        )
    if st.session_state["url_notices"]:
        with st.container(border=True):
            for notice in st.session_state["url_notices"]:
                st.warning(md(notice))
            st.button(
                "Dismiss",
                key="dismiss_url_notices",
                on_click=lambda: st.session_state.update(url_notices=[]),
            )
    show_flash()
    navigation.run()
