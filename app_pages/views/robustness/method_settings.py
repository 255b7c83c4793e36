"""The Methods tab: the sidebar's weights under every registered method, side by side.

The method settings themselves are the shared :func:`app_pages.components.method_settings_panel`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.components import show_failure
from app_pages.render import md
from app_pages.state import View
from app_pages.views.robustness.shared import (
    all_methods,
    cached_compare,
    catalog_key,
    weights_of,
)
from scoring.errors import RecscoreError
from scoring.methods import (
    METHOD_NAMES,
)

__all__ = ["methods_tab"]


def methods_tab(view: View, include: tuple[str, ...] | None) -> None:
    catalog = view.catalog
    specs = all_methods(view)
    try:
        comparison, tau = cached_compare(
            catalog, catalog_key(catalog), weights_of(view), specs, include
        )
    except RecscoreError as exc:
        show_failure(exc, "The methods cannot be compared with these settings:")
        return
    chosen = view.method
    frame = comparison.to_frame().sort_values(chosen, kind="stable", ignore_index=True)
    titles = {rec.id: rec.title for rec in catalog.recommendations}
    firsts = "; ".join(
        f"{METHOD_NAMES[name]}: **{md(titles[ranking.ids[0]])}**"
        for name, ranking in comparison.rankings.items()
    )
    st.markdown(f"**First place** — {firsts}.")
    moved = int((frame["spread"] >= 5).sum())
    st.caption(
        f"Same weights, three aggregation rules. {moved} of {len(frame)} recommendations move "
        "five places or more between methods. Rows in the order of the sidebar's method "
        f"({METHOD_NAMES[chosen]}); spread = worst minus best rank."
    )
    table = pd.DataFrame({"Recommendation": frame["id"].map(titles)})
    for name in comparison.methods:
        table[METHOD_NAMES[name]] = frame[name]
    table["Spread"] = frame["spread"]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=388,
        key="rob_methods_table",
        column_config={
            "Recommendation": st.column_config.TextColumn(width=420),
            **{
                METHOD_NAMES[name]: st.column_config.NumberColumn(width=110)
                for name in comparison.methods
            },
            "Spread": st.column_config.NumberColumn(width=70),
        },
    )
    left, right = st.columns([1, 1])
    with left:
        st.markdown("**Kendall's tau between the methods' rankings** (1 = the same order):")
        named = tau.rename(index=METHOD_NAMES, columns=METHOD_NAMES)
        st.dataframe(named.style.format("{:.3f}"), width="stretch", key="rob_tau_table")
    with right:
        settings = comparison.rankings
        st.markdown("**Settings**")
        st.markdown(
            f"- TOPSIS: ideal points at the {settings['topsis'].settings['anchors']} "
            f"{'ends' if settings['topsis'].settings['anchors'] == 'scale' else 'extremes'}\n"
            f"- PROMETHEE II: {settings['promethee_ii'].settings['preference']} preference, "
            f"q = {settings['promethee_ii'].settings['q']:g}, "
            f"p = {settings['promethee_ii'].settings['p']:g} scale points\n"
            "- Change them under *Method settings* at the top."
        )
