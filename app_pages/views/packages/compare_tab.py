"""The Compare tab: two to five sets side by side, and how often each wins under SMAA."""

from __future__ import annotations

from collections import Counter

import streamlit as st

from app_pages import charts_packages
from app_pages.components import show_problems
from app_pages.render import md, truncate
from app_pages.state import current_view
from app_pages.views.packages.context import (
    COMPARE_KEY,
    FORMULA,
    METRIC_KEY,
    METRIC_LABELS,
    PERSIST,
    cached_set_acceptability,
    context_of,
    plural,
)
from scoring.errors import ValidationError
from scoring.option_sets import (
    MAX_COMPARED,
    METRICS,
    MIN_COMPARED,
    SetComparison,
    compare_sets,
    winners_by_profile,
)

__all__ = ["compare_tab"]


@st.fragment
def compare_tab() -> None:
    ctx = context_of(current_view())
    catalog, view = ctx.catalog, ctx.view
    ids = list(ctx.sets)
    default = [set_id for set_id in ids if set_id.startswith("document-")][:MAX_COMPARED]
    chosen = [set_id for set_id in st.session_state.get(COMPARE_KEY, default) if set_id in ids]
    st.session_state[COMPARE_KEY] = chosen
    st.session_state.setdefault(METRIC_KEY, METRICS[0])
    st.multiselect(
        f"Sets to compare ({MIN_COMPARED} to {MAX_COMPARED})",
        ids,
        format_func=lambda set_id: truncate(ctx.set_labels[set_id], 52),
        max_selections=MAX_COMPARED,
        key=COMPARE_KEY,
        wrap=True,
        persist_state=PERSIST,
    )
    st.segmented_control(
        "Winner by",
        list(METRICS),
        format_func=lambda metric: METRIC_LABELS[metric].capitalize(),
        key=METRIC_KEY,
        required=True,
        persist_state=PERSIST,
        help="Per member by default: totals grow with a set's size, so comparing totals "
        "rewards length, not quality.",
    )
    chosen = st.session_state[COMPARE_KEY]
    metric = st.session_state[METRIC_KEY]
    if len(chosen) < MIN_COMPARED:
        st.info(f"Choose at least {MIN_COMPARED} sets.")
        return
    sets = [ctx.sets[set_id] for set_id in chosen]
    try:
        comparison = compare_sets(catalog, ctx.interactions, sets, view.weights)
        winners = winners_by_profile(catalog, ctx.interactions, sets, view.profiles, metric)
    except ValidationError as exc:  # pragma: no cover - the picker allows only valid choices
        show_problems(exc.problems, "These sets cannot be compared:")
        return
    names = {option_set.id: option_set.name for option_set in sets}
    ranked = sorted(comparison.evaluations, key=lambda e: -e.metric(metric))
    winner = comparison.winner(metric)
    margin = winner.metric(metric) - ranked[1].metric(metric)
    st.success(
        f"Under the current weights, **{md(winner.option_set.name)}** wins on "
        f"{METRIC_LABELS[metric]} ({winner.metric(metric):.3f}), {margin:.3f} ahead of "
        f"{md(ranked[1].option_set.name)}."
    )
    _comparison_table(comparison)
    st.markdown("**Coverage per criterion**")
    st.vega_lite_chart(
        spec=charts_packages.coverage_chart(catalog, comparison, names, view.shares),
        width="stretch",
    )
    st.caption(
        "Bars: the members' mean normalised score on each criterion (cost criteria reversed, "
        "so higher is always better); black tick: the best member's. A set can hold one "
        "excellent member and many weak ones."
    )
    radar, table = st.columns([1, 1])
    with radar:
        st.markdown("**Mean coverage at a glance**")
        st.vega_lite_chart(
            spec=charts_packages.radar_chart(catalog, comparison, names), width="content"
        )
    with table:
        st.markdown(f"**Which set wins under each profile** (by {METRIC_LABELS[metric]})")
        lines = [
            f"- {md(result.profile_name)}"
            + (" *(current)*" if result.profile_id == view.profile.id else "")
            + f": **{md(names[result.winner])}** {result.ranking[0][1]:.3f} "
            f"(+{result.margin:.3f} over the next)"
            for result in winners
        ]
        st.markdown("\n".join(lines))
        counts = Counter(result.winner for result in winners)
        if len(counts) == 1:
            st.caption(f"The same set wins under all {len(winners)} profiles.")
        else:
            st.caption(
                "Wins: "
                + "; ".join(
                    f"{md(names[s])} {plural(n, 'profile')}" for s, n in counts.most_common()
                )
                + "."
            )
    acceptability = cached_set_acceptability(
        ctx.key,
        tuple((s.id, s.members) for s in sets),
        metric,
        catalog,
        ctx.interactions,
        tuple(sets),
    )
    st.markdown(
        f"**How often each set wins when weights and scores are uncertain** "
        f"(SMAA, {acceptability.samples:,} samples, seed {acceptability.seed})"
    )
    st.markdown("\n".join(f"- {md(line)}" for line in acceptability.sentences()))
    st.caption(
        "Weights drawn uniformly from every possible weighting, each score uniformly within "
        "its range; a set wins a sample when it scores best on the measure chosen above."
    )


def _comparison_table(comparison: SetComparison) -> None:
    frame = comparison.frame()
    frame["conflicts"] = [f"{n} ✕" if n else "0" for n in frame["conflicts"]]
    st.dataframe(
        frame,
        key="packages_compare_table",
        hide_index=True,
        width="stretch",
        column_order=[
            "name",
            "size",
            "total",
            "mean",
            "conflicts",
            "synergies",
            "penalty",
            "bonus",
            "adjusted",
            "adjusted_mean",
        ],
        column_config={
            "name": st.column_config.TextColumn("Set", width=215),
            "size": st.column_config.NumberColumn("Members", width=62),
            "total": st.column_config.NumberColumn("Total", format="%.3f", width=56),
            "mean": st.column_config.NumberColumn("Mean", format="%.3f", width=52),
            "conflicts": st.column_config.TextColumn(
                "Conflicts",
                width=62,
                help="Conflicting pairs inside; ✕ flags an incoherent set (allowed)",
            ),
            "synergies": st.column_config.NumberColumn("Synergies", width=66),
            "penalty": st.column_config.NumberColumn("Penalty", format="%.2f", width=58),
            "bonus": st.column_config.NumberColumn("Bonus", format="%.2f", width=50),
            "adjusted": st.column_config.NumberColumn("Adjusted", format="%.3f", width=64),
            "adjusted_mean": st.column_config.NumberColumn(
                "Per member", format="%.3f", width=74, help=FORMULA + ", ÷ members"
            ),
        },
    )
