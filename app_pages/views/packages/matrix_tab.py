"""The Interactions tab: the conflict and synergy matrix of a set (pairs chosen by the engine)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import streamlit as st

from app_pages import charts_packages
from app_pages.state import current_view
from app_pages.views.packages.context import (
    PERSIST,
    SCOPE_KEY,
    SCOPES,
    TYPES,
    TYPES_KEY,
    Context,
    context_of,
    pair_line,
    plural,
    set_picker,
)
from scoring.option_sets import (
    Interaction,
    pairs_in_scope,
)

__all__ = ["matrix_tab"]


@st.fragment
def matrix_tab() -> None:
    ctx = context_of(current_view())
    option_set = set_picker(ctx)
    st.session_state.setdefault(SCOPE_KEY, "partners")
    st.session_state.setdefault(TYPES_KEY, list(TYPES))
    left, right = st.columns([3, 1])
    left.radio(
        "Show",
        list(SCOPES),
        format_func=SCOPES.__getitem__,
        key=SCOPE_KEY,
        horizontal=True,
        persist_state=PERSIST,
    )
    right.segmented_control(
        "Interactions",
        list(TYPES),
        selection_mode="multi",
        format_func=TYPES.__getitem__,
        key=TYPES_KEY,
        persist_state=PERSIST,
    )
    scope, types = st.session_state[SCOPE_KEY], set(st.session_state[TYPES_KEY] or ())
    if not types:
        st.info("Choose conflicts, synergies or both.")
        return
    members = list(option_set.members)
    pairs, rec_ids = pairs_in_scope(ctx.interactions, members, scope, types, ctx.rec_order)
    if not pairs:
        st.info("No pair of these recommendations conflicts or reinforces another.")
        if not rec_ids:
            return
    spec = charts_packages.interaction_matrix(ctx.catalog, rec_ids, pairs, ctx.prefixes)
    # A small matrix keeps square cells; a large one fills the width.
    st.vega_lite_chart(spec=spec, width="stretch" if spec["width"] == "container" else "content")
    counts = Counter(pair.type for pair in pairs)
    note = (
        f" Rows 1–{len(members)} are the set's members; the rest interact with them from outside."
        if scope == "partners" and len(rec_ids) > len(members)
        else ""
    )
    st.caption(
        f"{plural(counts['conflict'], 'conflict')} (red) and "
        f"{plural(counts['synergy'], 'synergy', 'synergies')} (blue) among "
        f"{plural(len(rec_ids), 'recommendation')}; darker is stronger (1–3). Each pair fills "
        "both its cells, so a row reads as one recommendation's interactions; hover a cell for "
        f"the rationale. Rows are numbered, the columns carry the same numbers.{note}"
    )
    _pairs_list(ctx, pairs)


def _pairs_list(ctx: Context, pairs: Sequence[Interaction]) -> None:
    """Every pair shown, conflicts first, strongest first, with its rationale."""
    if not pairs:
        return
    ordered = sorted(pairs, key=lambda pair: (pair.type != "conflict", -pair.strength))
    with st.expander(f"The {len(pairs)} pairs, with their rationale", expanded=len(pairs) <= 8):
        st.markdown("\n".join(pair_line(ctx, pair) for pair in ordered))
