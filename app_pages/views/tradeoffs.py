"""Trade-offs: two criteria against each other, every score, a side-by-side comparison, and
how the criteria move together. Only the open tab is drawn."""

from __future__ import annotations

import pyarrow as pa
import streamlit as st

from app_pages import charts
from app_pages.render import md, range_text, stop_if_none_shown
from app_pages.state import View, current_view
from scoring.analysis import criteria_correlation, pareto_front
from scoring.model import Catalog

TAB_KEY = "tradeoffs_tab"
X_KEY = "tradeoffs_x"
Y_KEY = "tradeoffs_y"
SORT_KEY = "tradeoffs_sort"
PAGE_KEY = "tradeoffs_heatmap_page"
# The heatmap draws at most this many rows at once; beyond, a page of them.
HEATMAP_ROWS = 300
COMPARE_KEY = "tradeoffs_compare"
DEFAULT_AXES = ("leverage", "buy_in")
SORTS = ("Rank", "Document", "Title")


@st.fragment
def _two_criteria(view: View) -> None:
    catalog = view.catalog
    ids = list(catalog.criterion_ids)
    for position, (key, default) in enumerate(zip((X_KEY, Y_KEY), DEFAULT_AXES, strict=True)):
        if st.session_state.get(key) not in ids:
            st.session_state[key] = default if default in ids else ids[position % len(ids)]
    left, right = st.columns(2)
    names = {c.id: c.name for c in catalog.criteria}
    left.selectbox("Horizontal axis", ids, format_func=names.get, key=X_KEY)
    right.selectbox("Vertical axis", ids, format_func=names.get, key=Y_KEY)
    x, y = st.session_state[X_KEY], st.session_state[Y_KEY]
    if x == y:
        st.info("Pick two different criteria to see a trade-off.")
        return
    front = pareto_front(catalog, x, y, view.include)
    ranking = view.comparison.ranking
    totals = dict(zip(ranking.ids.tolist(), ranking.totals.tolist(), strict=True))
    st.vega_lite_chart(
        spec=charts.scatter_chart(catalog, front, totals, view.method), width="stretch"
    )
    st.caption(
        "Ringed and joined: the Pareto-efficient recommendations — no other is at least as good "
        "on both criteria and better on one. Points are spread a little around their scores so "
        f"that equal scores stay visible; size is the {view.method_spec.axis_short.lower()} "
        "under the current weights."
    )
    positions = ranking.positions
    lines = [
        f"- **{md(catalog.recommendation(rec_id).title)}** — {names[x]} "
        f"{catalog.recommendation(rec_id).scores[x].value:g}, {names[y]} "
        f"{catalog.recommendation(rec_id).scores[y].value:g}; rank #{positions[rec_id]}"
        for rec_id in front.front_ids
    ]
    st.markdown(
        f"**Pareto-efficient on these two criteria ({len(lines)}):**\n\n" + "\n".join(lines)
    )


@st.fragment
def _all_scores(view: View) -> None:
    catalog = view.catalog
    ranking = view.comparison.ranking
    st.segmented_control("Sort rows by", SORTS, key=SORT_KEY, default=SORTS[0])
    sort = st.session_state.get(SORT_KEY) or SORTS[0]
    rows = ranking.ids.tolist()
    if sort == "Document":
        rows.sort(key=lambda rec_id: (catalog.recommendation(rec_id).document, rec_id))
    elif sort == "Title":
        rows.sort(key=lambda rec_id: catalog.recommendation(rec_id).title.lower())
    pages = -(-len(rows) // HEATMAP_ROWS)
    if pages > 1:  # a page of rows at a time: 5,000 rows would send the browser 7 MB
        page = st.number_input(
            f"Rows {HEATMAP_ROWS} at a time: page (of {pages})", 1, pages, 1, key=PAGE_KEY
        )
        start = (int(page) - 1) * HEATMAP_ROWS
        rows = rows[start : start + HEATMAP_ROWS]
    st.vega_lite_chart(
        spec=charts.heatmap_chart(
            catalog, rows, ranking.positions, set(view.data.workspace.overrides)
        ),
        width="stretch",
    )
    st.caption("Scores 1–5; darker is better (cost criteria reversed). ✎ marks an edited score.")


@st.fragment
def _side_by_side(view: View) -> None:
    catalog = view.catalog
    ranking = view.comparison.ranking
    order = ranking.ids.tolist()
    positions = ranking.positions
    chosen = [rec_id for rec_id in st.session_state.get(COMPARE_KEY, order[:3]) if rec_id in order]
    st.session_state[COMPARE_KEY] = chosen
    st.multiselect(
        "Recommendations to compare (2 to 5)",
        order,
        format_func=lambda rec_id: f"#{positions[rec_id]} {catalog.recommendation(rec_id).title}",
        max_selections=5,
        key=COMPARE_KEY,
    )
    chosen = st.session_state[COMPARE_KEY]
    if len(chosen) < 2:
        st.info("Choose at least two recommendations.")
        return
    st.vega_lite_chart(spec=charts.parallel_chart(catalog, chosen), width="stretch")
    st.caption(
        "Parallel coordinates: each vertical line is a criterion's 1–5 axis; each coloured line "
        "joins one recommendation's scores, with its ranges as pale bars."
    )
    recs = [catalog.recommendation(rec_id) for rec_id in chosen]
    # An Arrow table built column by column: pandas from records costs more than the chart.
    table = pa.table(
        {
            "Recommendation": [f"#{positions[rec.id]} {rec.title}" for rec in recs],
            **{c.name: [range_text(rec.scores[c.id]) for rec in recs] for c in catalog.criteria},
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "Recommendation": st.column_config.TextColumn(width=250),
            **{
                c.name: st.column_config.TextColumn(width=68, help=c.name) for c in catalog.criteria
            },
        },
    )


def _reversed_note(catalog: Catalog, criterion_ids: tuple[str, ...]) -> str:
    costs = [catalog.criterion(cid).name for cid in criterion_ids if catalog.criterion(cid).is_cost]
    if not costs:
        return ""
    return f" ({', '.join(costs)} is a cost criterion, read reversed: less of it counts as better.)"


def _correlation(view: View) -> None:
    catalog = view.catalog
    correlation = criteria_correlation(catalog, view.include)
    names = {c.id: c.name for c in catalog.criteria}
    for pair in correlation.double_counting:
        st.warning(
            f"**{names[pair.first]}** and **{names[pair.second]}** move together across these "
            f"{correlation.count} recommendations (Spearman's ρ = {pair.rho:.2f}, threshold "
            f"{correlation.threshold:.2f}). Weighting both may count one effect twice: check that "
            "they measure different things, or lower one of the two weights."
            + _reversed_note(catalog, (pair.first, pair.second))
        )
    if not correlation.double_counting:
        st.success(
            f"No two criteria move together above ρ = {correlation.threshold:.2f} "
            f"across these {correlation.count} recommendations."
        )
    st.vega_lite_chart(spec=charts.correlation_chart(correlation, catalog), width="stretch")
    st.caption(
        "Spearman's rank correlation of the scores across recommendations, cost criteria "
        "reversed (so a positive value means good on one tends to go with good on the other). "
        "Outlined: at or above the double-counting threshold. – : a criterion on which every "
        "recommendation scores the same."
    )


def page() -> None:
    view = current_view()
    st.title("Trade-offs")
    stop_if_none_shown(view)
    tabs = st.tabs(
        ["Two criteria", "All scores", "Side by side", "Criteria correlation"],
        key=TAB_KEY,
        on_change="rerun",
    )
    for tab, draw in zip(
        tabs, (_two_criteria, _all_scores, _side_by_side, _correlation), strict=True
    ):
        if tab.open:
            with tab:
                draw(view)
