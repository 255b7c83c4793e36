"""Widgets every page draws the same way: a failure, and the aggregation method's settings.

A failure is shown as the engine's :class:`~scoring.errors.Problem` records — where (file or
place, key path), what was expected, what was found, how to fix it — in one box under a
heading; never a traceback. An error that carries no problems says itself in one line.

The method settings are one widget per setting of each registered method's schema, keyed by
the setting's shared session key, so a setting changed on one page holds on every page.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

# The failure display is written once, in render.py (beside md, which it needs); pages import
# it from here. render.py is being split: its three failure functions belong in this module.
from app_pages.render import problem_text, show_failure, show_problems
from app_pages.state import View, method_from_session
from scoring.errors import RecscoreError
from scoring.methods import Setting, check_method, get, names

__all__ = ["method_settings_panel", "problem_text", "show_failure", "show_problems"]

PERSIST = "session"  # the settings survive page switches, like every shared widget


def method_settings_panel(view: View) -> None:
    """The chosen method, a popover with every method's settings, and any invalid ones."""
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
            show_failure(
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
