"""Perspectives: save, load, rename and delete weight profiles; compare two to five of them.

Saving, renaming and deleting run as widget callbacks, before the sidebar is drawn, so the
profile picker and the sliders can follow the change in the same rerun.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import charts, sidebar
from app_pages.components import show_problems
from app_pages.render import md, stop_if_none_shown
from app_pages.state import AppData, View, current_view
from scoring.analysis import compare_profiles
from scoring.errors import RecscoreError, ValidationError
from scoring.saved_profiles import delete_profile, rename_profile, save_profile

NAME_KEY = "perspectives_name"
DESCRIPTION_KEY = "perspectives_description"
REPLACE_KEY = "perspectives_replace"
ERRORS_KEY = "perspectives_errors"
COMPARE_KEY = "perspectives_compare"
TOP_KEY = "perspectives_top"
CURRENT = "(current)"  # the sliders, compared like a profile; not a valid profile id


def _fail(exc: RecscoreError) -> None:
    st.session_state[ERRORS_KEY] = list(exc.problems) if isinstance(exc, ValidationError) else []
    if not isinstance(exc, ValidationError):
        st.session_state["flash"].append(("error", str(exc)))


def _save(data: AppData) -> None:
    catalog = data.bundled
    name = st.session_state[NAME_KEY]
    try:
        profile = save_profile(
            data.workspace.workspace,
            catalog,
            name,
            sidebar.current_points(catalog.criterion_ids),
            st.session_state[DESCRIPTION_KEY],
            replace=st.session_state[REPLACE_KEY],
        )
    except RecscoreError as exc:
        _fail(exc)
        return
    st.session_state[ERRORS_KEY] = []
    st.session_state[NAME_KEY] = ""
    st.session_state[DESCRIPTION_KEY] = ""
    sidebar.select_profile(profile, catalog.criterion_ids)
    st.session_state["flash"].append(
        ("success", f"Saved the current weights as “{md(profile.name)}”.")
    )


def _rename(data: AppData, profile_id: str) -> None:
    key = f"perspectives_rename_{profile_id}"
    try:
        renamed = rename_profile(
            data.workspace.workspace, data.bundled, profile_id, st.session_state[key]
        )
    except RecscoreError as exc:
        _fail(exc)
        return
    st.session_state[ERRORS_KEY] = []
    st.session_state["flash"].append(("success", f"Renamed to “{md(renamed.name)}”."))


def _delete(data: AppData, profile_id: str) -> None:
    name = data.profiles[profile_id].name
    try:
        delete_profile(data.workspace.workspace, profile_id)
    except RecscoreError as exc:
        _fail(exc)
        return
    if st.session_state["profile"] == profile_id:
        default = data.profiles[data.bundled.default_profile]
        sidebar.select_profile(default, data.bundled.criterion_ids)
    st.session_state["flash"].append(("success", f"Deleted the profile “{md(name)}”."))


def _load(data: AppData, profile_id: str) -> None:
    sidebar.select_profile(data.profiles[profile_id], data.bundled.criterion_ids)


def _save_form(view: View) -> None:
    st.subheader("Save the current weights")
    st.session_state.setdefault(NAME_KEY, "")
    st.session_state.setdefault(DESCRIPTION_KEY, "")
    st.session_state.setdefault(REPLACE_KEY, False)
    with st.form("perspectives_save_form", border=True):
        st.text_input("Name", key=NAME_KEY, placeholder="e.g. Team B, first round")
        st.text_area("Whose view is it, and why these weights?", key=DESCRIPTION_KEY, height=80)
        st.checkbox("Replace a saved profile of the same name", key=REPLACE_KEY)
        st.form_submit_button("Save profile", on_click=_save, args=(view.data,), type="primary")
    if st.session_state.get(ERRORS_KEY):
        show_problems(st.session_state[ERRORS_KEY], "Nothing was saved:")


def _saved_profiles(view: View) -> None:
    data = view.data
    st.subheader("Saved profiles")
    saved = data.workspace.profiles
    if not saved:
        st.caption(
            f"None yet. Saved profiles live in {data.workspace.workspace.root}/profiles/ and "
            "appear in the sidebar's picker."
        )
        return
    for profile_id, profile in saved.items():
        with st.container(border=True):
            current = " · *current*" if profile_id == view.profile.id else ""
            st.markdown(f"**{md(profile.name)}** (`{profile_id}`){current}")
            st.caption(md(profile.description))
            load, rename, delete = st.columns(3)
            load.button(
                "Load",
                key=f"perspectives_load_{profile_id}",
                on_click=_load,
                args=(data, profile_id),
                width="stretch",
            )
            with rename.popover("Rename", width="stretch"):
                st.text_input(
                    "New name", value=profile.name, key=f"perspectives_rename_{profile_id}"
                )
                st.button(
                    "Rename",
                    key=f"perspectives_rename_button_{profile_id}",
                    on_click=_rename,
                    args=(data, profile_id),
                )
            with delete.popover("Delete", width="stretch"):
                st.markdown(f"Delete “{md(profile.name)}”? This cannot be undone.")
                st.button(
                    "Delete",
                    key=f"perspectives_delete_{profile_id}",
                    on_click=_delete,
                    args=(data, profile_id),
                    type="primary",
                )


@st.fragment
def _compare(view: View) -> None:
    st.subheader("Compare perspectives")
    catalog = view.catalog
    profiles = view.profiles
    names = {pid: p.name for pid, p in profiles.items()} | {CURRENT: "Current weights"}
    options = [CURRENT, *profiles]
    chosen = st.session_state.get(COMPARE_KEY, list(catalog.profiles)[:5])
    st.session_state[COMPARE_KEY] = [pid for pid in chosen if pid in options]
    st.multiselect(
        "Profiles to compare (2 to 5)",
        options,
        format_func=names.get,
        max_selections=5,
        key=COMPARE_KEY,
    )
    chosen = st.session_state[COMPARE_KEY]
    if len(chosen) < 2:
        st.info("Choose at least two profiles.")
        return
    weights = {pid: view.weights if pid == CURRENT else profiles[pid].weights for pid in chosen}
    comparison = compare_profiles(catalog, weights, view.include, view.method_spec)
    frame = comparison.frame()
    titles = [catalog.recommendation(rec_id).title for rec_id in frame["id"]]

    st.markdown(
        f"**Ranks under each profile** ({view.method_spec.display_name}), in consensus order "
        "(Borda count):"
    )
    table = pd.DataFrame({"Consensus": frame["consensus"], "Recommendation": titles})
    for pid in chosen:
        table[names[pid]] = frame[pid]
    table["Spread"] = frame["spread"]
    st.dataframe(
        table,
        hide_index=True,
        height=320,
        width="stretch",
        column_config={
            "Consensus": st.column_config.NumberColumn(
                width=80, help="Rank by Borda count: the sum, over profiles, of places behind"
            ),
            "Recommendation": st.column_config.TextColumn(width=250),
            **{
                names[pid]: st.column_config.NumberColumn(width=80, help=names[pid])
                for pid in chosen
            },
            "Spread": st.column_config.NumberColumn(
                width=60, help="Worst minus best rank across the profiles"
            ),
        },
    )

    count = len(frame)
    top = (
        st.slider(
            "Show how the top of the consensus moves",
            5,
            min(25, count),
            min(12, count),
            key=TOP_KEY,
        )
        if count > 5
        else count
    )
    st.vega_lite_chart(spec=charts.bump_chart(catalog, comparison, names, top), width="stretch")
    st.caption(
        "Each line follows one of the consensus's top recommendations across the profiles; "
        "ranks below the shown ones sit on the bottom line (hover for the exact rank)."
    )

    st.markdown("**Where the perspectives disagree most:**")
    disputed = comparison.most_disputed(8)
    st.dataframe(
        pd.DataFrame(
            {
                "Recommendation": [catalog.recommendation(i).title for i in disputed["id"]],
                "Best rank": [
                    f"#{rank} ({names[pid]})"
                    for rank, pid in zip(disputed["best"], disputed["best_profile"], strict=True)
                ],
                "Worst rank": [
                    f"#{rank} ({names[pid]})"
                    for rank, pid in zip(disputed["worst"], disputed["worst_profile"], strict=True)
                ],
                "Spread": disputed["spread"],
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Recommendation": st.column_config.TextColumn(width=300),
            "Best rank": st.column_config.TextColumn(width=210),
            "Worst rank": st.column_config.TextColumn(width=210),
            "Spread": st.column_config.NumberColumn(width=60),
        },
    )


def page() -> None:
    view = current_view()
    st.title("Perspectives")
    st.caption(
        "A profile is one stakeholder's weighting. Save the sliders as a profile, reload it "
        "later, and compare how the ranking looks from several perspectives: dissent is shown, "
        "not averaged away."
    )
    stop_if_none_shown(view)
    left, right = st.columns(2)
    with left:
        _save_form(view)
    with right:
        _saved_profiles(view)
    st.divider()
    _compare(view)
