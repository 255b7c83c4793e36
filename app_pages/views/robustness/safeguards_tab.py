"""The Safeguards tab: minimum levels and vetoes, and the ranking under them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app_pages.components import show_failure
from app_pages.render import md
from app_pages.state import View
from app_pages.views.robustness.shared import (
    LEVELS,
    NO_LEVEL,
    PERSIST,
    cached_rank,
    catalog_key,
    min_key,
    veto_key,
    weights_of,
)
from scoring.errors import RecscoreError
from scoring.methods import (
    METHOD_NAMES,
)
from scoring.model import Catalog
from scoring.robustness import (
    Screening,
)

__all__ = ["safeguards_tab"]


def _level_text(level: float, is_cost: bool) -> str:
    if level == NO_LEVEL:
        return "none"
    return f"{'at most' if is_cost else 'at least'} {level:g}"


def _safeguard_controls(catalog: Catalog) -> None:
    st.markdown(
        "A weighted sum lets a strong score buy off a very weak one. Safeguards stop that: "
        "a recommendation below a **minimum** (on its score) or a **veto** (on the bad end of "
        "its score's range — *even at worst*) is set apart with the reason, not ranked."
    )
    head = st.columns([3, 2, 2])
    head[0].markdown("**Criterion**")
    head[1].markdown("**Minimum level**")
    head[2].markdown("**Veto, even at worst**")
    for criterion in catalog.criteria:
        row = st.columns([3, 2, 2], vertical_alignment="center")
        row[0].markdown(md(criterion.name) + (" *(cost)*" if criterion.is_cost else ""))
        for column, key, what in (
            (row[1], min_key(criterion.id), "minimum"),
            (row[2], veto_key(criterion.id), "veto"),
        ):
            column.selectbox(
                f"{criterion.name}: {what}",
                LEVELS,
                format_func=lambda level, cost=criterion.is_cost: _level_text(level, cost),
                key=key,
                label_visibility="collapsed",
                persist_state=PERSIST,
            )


def _clear_safeguards(criterion_ids: Sequence[str]) -> None:
    for cid in criterion_ids:
        st.session_state[min_key(cid)] = NO_LEVEL
        st.session_state[veto_key(cid)] = NO_LEVEL


def safeguards_tab(view: View, screening: Screening, include: tuple[str, ...] | None) -> None:
    catalog = view.catalog
    _safeguard_controls(catalog)
    st.button(
        "Clear every safeguard",
        on_click=_clear_safeguards,
        args=(catalog.criterion_ids,),
        disabled=not screening.safeguards,
    )
    if not screening.safeguards:
        st.caption("No safeguard is set: every recommendation is ranked.")
        return
    shown = set(catalog.recommendation_ids if view.include is None else view.include)
    failed = [f for f in screening.failed if f.id in shown]
    st.markdown(f"**Set apart ({len(failed)}), not ranked:**")
    if failed:
        st.dataframe(
            pd.DataFrame(
                {
                    "Recommendation": [f.title for f in failed],
                    "Why": ["; ".join(f.reasons) for f in failed],
                }
            ),
            hide_index=True,
            width="stretch",
            key="rob_set_apart",
            column_config={
                "Recommendation": st.column_config.TextColumn(width=330),
                "Why": st.column_config.TextColumn(width=560),
            },
        )
    else:
        st.caption("Every recommendation shown meets the safeguards.")
    if include is not None and not include:
        st.warning("No recommendation is left to rank: relax a minimum level or a veto.")
        return
    method = view.method_spec
    unguarded = view.comparison.ranking  # the same weights, method and filters, unguarded
    try:
        ranking = cached_rank(catalog, catalog_key(catalog), weights_of(view), method, include)
    except RecscoreError as exc:
        show_failure(exc, "The ranking cannot be made with these settings:")
        return
    st.markdown(f"**Ranked under the safeguards** ({METHOD_NAMES[method.name]}):")
    ids = ranking.ids.tolist()
    st.dataframe(
        pd.DataFrame(
            {
                "#": range(1, len(ids) + 1),
                "Recommendation": [catalog.recommendation(i).title for i in ids],
                "Score": ranking.totals.round(3),
                "Without safeguards": [unguarded.positions[i] for i in ids],
            }
        ),
        hide_index=True,
        width="stretch",
        height=388,
        key="rob_guarded_ranking",
        column_config={
            "#": st.column_config.NumberColumn(width=40),
            "Recommendation": st.column_config.TextColumn(width=480),
            "Score": st.column_config.NumberColumn(width=80, format="%.3f"),
            "Without safeguards": st.column_config.NumberColumn(
                width=140, help="Its rank when nothing is set apart"
            ),
        },
    )
