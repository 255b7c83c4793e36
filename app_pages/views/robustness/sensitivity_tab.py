"""The Sensitivity tab: one weight swept at a time, and where first place holds."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import charts_robustness
from app_pages.components import show_failure
from app_pages.render import md, percent
from app_pages.state import View
from app_pages.views.robustness.shared import (
    PERSIST,
    SENS_CRITERION_KEY,
    SENS_TOP_KEY,
    cached_sensitivity,
    catalog_key,
    show_notices,
    weights_of,
)
from scoring.errors import RecscoreError
from scoring.methods import (
    METHOD_NAMES,
    method_spec,
)

__all__ = ["sensitivity_tab"]


@st.fragment
def sensitivity_tab(view: View, include: tuple[str, ...] | None) -> None:
    catalog = view.catalog
    method = view.method_spec
    try:
        result = cached_sensitivity(
            catalog, catalog_key(catalog), weights_of(view), method, include
        )
    except RecscoreError as exc:
        show_failure(exc, "The sensitivity analysis cannot run with these settings:")
        return
    ids = list(catalog.criterion_ids)
    names = dict(zip(ids, result.criterion_names, strict=True))
    if st.session_state.get(SENS_CRITERION_KEY) not in ids:
        st.session_state[SENS_CRITERION_KEY] = max(ids, key=lambda cid: view.shares[cid])
    count = len(result.ids)
    st.session_state[SENS_TOP_KEY] = min(max(int(st.session_state[SENS_TOP_KEY]), 1), count)
    left, right = st.columns([2, 3])
    left.selectbox(
        "Weight to sweep",
        ids,
        format_func=names.__getitem__,
        key=SENS_CRITERION_KEY,
        persist_state=PERSIST,
    )
    if count > 1:
        right.slider(
            "Lines for the top (the first ten in colour)",
            1,
            count,
            key=SENS_TOP_KEY,
            persist_state=PERSIST,
        )
    criterion = st.session_state[SENS_CRITERION_KEY]
    k = ids.index(criterion)
    interval = result.intervals[k]
    first_title = result.titles[0]
    titles = dict(zip(result.ids, result.titles, strict=True))
    st.markdown(f"**{md(interval.sentence(first_title))}**")
    st.vega_lite_chart(
        spec=charts_robustness.sensitivity_chart(
            result,
            criterion,
            int(st.session_state[SENS_TOP_KEY]),
            method_spec(result.method).axis_title,
        ),
        width="stretch",
        key="rob_sens_chart",
    )
    st.caption(
        f"{METHOD_NAMES[result.method]}. Each line is one recommendation's score as this weight "
        "goes from 0 to 100% of the total, the other weights keeping their proportions; the "
        "dashed line is the current weight, the green band where the current first place holds."
    )
    st.markdown("**How far a single weight can move before first place changes**, top five:")
    st.markdown("\n".join(f"- {md(sentence)}" for sentence in result.sentences()))
    st.markdown("**Where the current first place holds, weight by weight:**")

    def who(rec_id: str | None) -> str:
        return "—" if rec_id is None else titles.get(rec_id, rec_id)

    st.dataframe(
        pd.DataFrame(
            {
                "Criterion": [i.name for i in result.intervals],
                "Weight now": [percent(i.weight) for i in result.intervals],
                "First holds": [f"{percent(i.low)} – {percent(i.high)}" for i in result.intervals],
                "Below that, first is": [who(i.below) for i in result.intervals],
                "Above that, first is": [who(i.above) for i in result.intervals],
            }
        ),
        hide_index=True,
        width="stretch",
        key="rob_intervals",
        column_config={
            "Criterion": st.column_config.TextColumn(width=170),
            "Weight now": st.column_config.TextColumn(width=75),
            "First holds": st.column_config.TextColumn(width=95),
            "Below that, first is": st.column_config.TextColumn(
                width=170, help="Who takes first place just below the range"
            ),
            "Above that, first is": st.column_config.TextColumn(
                width=170, help="Who takes first place just above the range"
            ),
        },
    )
    show_notices(result.notices)
