"""The method and its settings (shared by every page), and the Methods tab."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app_pages.render import md
from app_pages.state import View, method_from_session
from app_pages.views.robustness.shared import (
    PERSIST,
    all_methods,
    cached_compare,
    catalog_key,
    show_error,
    weights_of,
)
from scoring.errors import RecscoreError
from scoring.methods import (
    METHOD_NAMES,
    Setting,
    check_method,
    get,
    names,
)

__all__ = ["method_controls", "methods_tab"]


def method_controls(view: View) -> None:
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown(
        f"Aggregation method: **{view.method_spec.display_name}** (chosen in the sidebar; its "
        "settings here apply on every page)."
    )
    for name in names():
        spec = method_from_session(name)
        try:
            check_method(spec, view.catalog.criterion_ids)
        except RecscoreError as exc:
            show_error(
                exc,
                f"These {spec.display_name} settings are not valid; every page ranks with "
                "its default settings until they are fixed:",
            )
    with right.popover("Method settings", width="stretch"):
        for name in names():
            method = get(name)
            if method.settings_schema():
                st.markdown(method.explanation)
                _setting_widgets(method.settings_schema())


def _setting_widgets(schema: Sequence[Setting]) -> None:
    """One widget per setting, keyed by its shared session key; numbers side by side."""
    numbers = [setting for setting in schema if not setting.choices]
    for setting in schema:
        if setting.choices:
            picker = st.radio if setting.widget == "radio" else st.selectbox
            picker(
                setting.label,
                list(setting.choices),
                format_func=setting.labels.__getitem__,
                key=setting.state_key,
                persist_state=PERSIST,
            )
    for column, setting in zip(st.columns(len(numbers)) if numbers else (), numbers, strict=True):
        column.number_input(
            setting.label,
            min_value=setting.low,
            max_value=setting.high,
            step=setting.step,
            key=setting.state_key,
            persist_state=PERSIST,
            help=setting.widget_help,
        )


def methods_tab(view: View, include: tuple[str, ...] | None) -> None:
    catalog = view.catalog
    specs = all_methods(view)
    try:
        comparison, tau = cached_compare(
            catalog, catalog_key(catalog), weights_of(view), specs, include
        )
    except RecscoreError as exc:
        show_error(exc, "The methods cannot be compared with these settings:")
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
