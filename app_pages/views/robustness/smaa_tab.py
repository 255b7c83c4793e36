"""The SMAA tab: how often each recommendation ranks first when weights and scores vary."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import charts_robustness
from app_pages.components import show_failure
from app_pages.render import md
from app_pages.state import View
from app_pages.views.robustness.shared import (
    PERSIST,
    SENTENCES_SHOWN,
    SMAA_MAX_SAMPLES,
    SMAA_SAMPLES_KEY,
    SMAA_SCORES,
    SMAA_SCORES_KEY,
    SMAA_SEED_KEY,
    SMAA_TOP_KEY,
    SMAA_WEIGHTS,
    SMAA_WEIGHTS_KEY,
    cached_smaa,
    catalog_key,
    show_notices,
    weights_of,
)
from scoring.errors import RecscoreError
from scoring.methods import (
    METHOD_NAMES,
)
from scoring.robustness import (
    constraints_from_profile,
)

__all__ = ["smaa_tab"]


@st.fragment
def smaa_tab(view: View, include: tuple[str, ...] | None) -> None:
    catalog = view.catalog
    samples, seed, scores, weights = st.columns([1, 1, 2, 2])
    samples.number_input(
        "Samples",
        min_value=100,
        max_value=SMAA_MAX_SAMPLES,
        step=1_000,
        key=SMAA_SAMPLES_KEY,
        persist_state=PERSIST,
        help=f"Weight vectors (each with its own score draw). Up to {SMAA_MAX_SAMPLES:,}.",
    )
    seed.number_input(
        "Seed",
        min_value=0,
        max_value=2**32 - 1,
        step=1,
        key=SMAA_SEED_KEY,
        persist_state=PERSIST,
        help="The same seed and inputs give the same figures.",
    )
    scores.radio(
        "Scores",
        list(SMAA_SCORES),
        format_func=SMAA_SCORES.__getitem__,
        key=SMAA_SCORES_KEY,
        persist_state=PERSIST,
    )
    weights.radio(
        "Weights",
        list(SMAA_WEIGHTS),
        format_func=SMAA_WEIGHTS.__getitem__,
        key=SMAA_WEIGHTS_KEY,
        persist_state=PERSIST,
    )
    try:
        constraints = constraints_from_profile(
            dict(weights_of(view)), catalog.criterion_ids, st.session_state[SMAA_WEIGHTS_KEY]
        )
        result = cached_smaa(
            catalog,
            catalog_key(catalog),
            constraints,
            st.session_state[SMAA_SCORES_KEY],
            int(st.session_state[SMAA_SAMPLES_KEY]),
            int(st.session_state[SMAA_SEED_KEY]),
            include,
            view.method_spec,
        )
    except RecscoreError as exc:
        show_failure(exc, "SMAA cannot run with these settings:")
        return
    count = len(result.ids)
    st.session_state[SMAA_TOP_KEY] = min(max(int(st.session_state[SMAA_TOP_KEY]), 1), count)
    st.caption(
        f"SMAA-2 by {METHOD_NAMES[result.method]}: {result.samples:,} samples, seed "
        f"{result.seed}; weights {md(result.constraints)}; scores "
        f"{SMAA_SCORES[result.score_model].lower()}."
    )
    show_notices(result.notices)
    st.markdown("**In plain words:**")
    st.markdown(
        "\n".join(f"- {md(sentence)}" for sentence in result.sentences(top=SENTENCES_SHOWN))
    )
    if count > 1:
        st.slider(
            "Recommendations shown",
            1,
            min(count, 30),
            key=SMAA_TOP_KEY,
            persist_state=PERSIST,
        )
    top = min(int(st.session_state[SMAA_TOP_KEY]), count)
    st.vega_lite_chart(
        spec=charts_robustness.acceptability_chart(result, top),
        width="stretch",
        key="rob_smaa_chart",
    )
    st.caption(
        "Rank acceptability: the share of sampled weightings and scores under which each "
        "recommendation takes rank 1, 2, … 5 or later. Ordered by how often they rank first, "
        "then in the top two, and so on."
    )
    frame = result.to_frame(top)
    names = {c.id: c.name for c in catalog.criteria}
    with st.expander("Figures: acceptability, mean rank, confidence and central weights"):
        table = pd.DataFrame(
            {
                "#": frame["order"],
                "Recommendation": frame["title"],
                "First": frame["first"] * 100,
                "Top 3": frame["top3"] * 100,
                "Mean rank": frame["expected_rank"],
                "Confidence": frame["confidence"] * 100,
            }
        )
        for cid in catalog.criterion_ids:
            table[names[cid]] = frame[f"w_{cid}"] * 100
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            key="rob_smaa_table",
            column_config={
                "#": st.column_config.NumberColumn(width=40),
                "Recommendation": st.column_config.TextColumn(width=300),
                "First": st.column_config.NumberColumn(format="%.1f%%", width=70),
                "Top 3": st.column_config.NumberColumn(format="%.1f%%", width=70),
                "Mean rank": st.column_config.NumberColumn(format="%.1f", width=80),
                "Confidence": st.column_config.NumberColumn(
                    format="%.0f%%",
                    width=90,
                    help="Share of score draws in which it is first under its central weights",
                ),
                **{
                    names[cid]: st.column_config.NumberColumn(
                        format="%.0f%%",
                        width=90,
                        help=f"Central weight of {names[cid]}: the mean weight among the "
                        "samples where this recommendation is first",
                    )
                    for cid in catalog.criterion_ids
                },
            },
        )
