"""The Packages page: its tabs, only the open one drawn."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages.render import md
from app_pages.state import current_view
from app_pages.views.packages.compare_tab import compare_tab
from app_pages.views.packages.context import FORMULA, TAB_KEY, TABS, context_of
from app_pages.views.packages.matrix_tab import matrix_tab
from app_pages.views.packages.package_tab import package_tab
from app_pages.views.packages.sets_tab import sets_tab
from scoring.methods import DEFAULT_METHOD

__all__ = ["page"]

_TABS: tuple[Callable[[], None], ...] = (sets_tab, compare_tab, package_tab, matrix_tab)


def page() -> None:
    view = current_view()
    st.title("Packages")
    context_of(view)  # stops with the interactions file's problems, if any
    weights = "its own weights" if view.at_profile else "adjusted weights"
    filters = (
        " The sidebar's filters do not apply here: packages draw on every recommendation."
        if view.include is not None
        else ""
    )
    # A package's value adds its members' values; only the weighted sum has additive values.
    method = (
        f" Packages add up weighted-sum values, whatever the sidebar's method "
        f"({view.method_spec.display_name})."
        if view.method != DEFAULT_METHOD
        else ""
    )
    st.caption(
        f"Packages of recommendations under **{md(view.profile.name)}** with {weights}. "
        f"A set's {FORMULA}; strengths run 1–3.{filters}{method}"
    )
    tabs = st.tabs(list(TABS), key=TAB_KEY, on_change="rerun")
    for tab, draw in zip(tabs, _TABS, strict=True):
        if tab.open:
            with tab:
                draw()
