"""The Robustness page: its tabs, only the open one drawn."""

from __future__ import annotations

import streamlit as st

from app_pages.components import method_settings_panel, show_problems
from app_pages.render import md, stop_if_none_shown
from app_pages.state import current_view
from app_pages.views import elicitation
from app_pages.views.robustness.method_settings import methods_tab
from app_pages.views.robustness.safeguards_tab import safeguards_tab
from app_pages.views.robustness.sensitivity_tab import sensitivity_tab
from app_pages.views.robustness.shared import (
    TAB_KEY,
    TABS,
    cached_screen,
    catalog_key,
    in_play,
    init_page,
    safeguards_of,
)
from app_pages.views.robustness.smaa_tab import smaa_tab
from scoring.errors import ValidationError

__all__ = ["page"]


def page() -> None:
    view = current_view()
    catalog = view.catalog
    st.title("Robustness")
    profile_note = "its own weights" if view.at_profile else "adjusted weights"
    st.caption(
        f"Profile **{md(view.profile.name)}** with {profile_note}. How much does the ranking "
        "depend on contested weights, on the method, and on uncertain scores?"
    )
    stop_if_none_shown(view)
    init_page(view)
    method_settings_panel(view)
    try:
        screening = cached_screen(catalog, catalog_key(catalog), safeguards_of(catalog))
    except ValidationError as exc:  # pragma: no cover - the level pickers offer valid levels
        show_problems(exc.problems, "The safeguards cannot be applied:")
        st.stop()
    include = in_play(view, screening)
    if screening.safeguards:
        shown = len(catalog.recommendation_ids if view.include is None else view.include)
        left = shown if include is None else len(include)
        st.caption(
            f"Safeguards set {shown - left} of {shown} recommendations apart (see the "
            f"Safeguards tab); every section below ranks the other {left}."
        )
    tabs = st.tabs(list(TABS), key=TAB_KEY, on_change="rerun")
    eliciting, methods, safeguards, sensitivity, sampling = tabs
    if eliciting.open:
        with eliciting:
            elicitation.elicitation(view)
    if methods.open:
        with methods:
            if include is not None and not include:
                st.warning("No recommendation passes the safeguards: relax one to compare.")
            else:
                methods_tab(view, include)
    if safeguards.open:
        with safeguards:
            safeguards_tab(view, screening, include)
    if sensitivity.open:
        with sensitivity:
            if include is not None and not include:
                st.warning("No recommendation passes the safeguards: relax one to see this.")
            else:
                sensitivity_tab(view, include)
    if sampling.open:
        with sampling:
            if include is not None and not include:
                st.warning("No recommendation passes the safeguards: relax one to see this.")
            else:
                smaa_tab(view, include)
