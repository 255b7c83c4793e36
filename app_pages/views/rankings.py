"""Rankings: the ranked table, each criterion's contribution, and any recommendation's source."""

from __future__ import annotations

import hashlib
import itertools
from typing import Any

import pyarrow as pa
import streamlit as st

from app_pages import charts
from app_pages.render import (
    change_text,
    document_names,
    md,
    method_sentence,
    passage_html,
    rank_text,
    score_text,
    scores_html,
    stop_if_none_shown,
    tie_text,
)
from app_pages.state import View, current_view
from scoring.methods import TIE_DECIMALS, method_spec, score_range
from scoring.robustness import NEAR_TIE, RANK_PERCENTILES, first_place_tie, uncertainty_legend
from scoring.scope import (
    DECISION_MAKERS,
    ROLE_LABELS,
    addressee_text,
    date_text,
    provenance_text,
    role_of,
    voice_text,
)
from scoring.sources import quote_passage
from scoring.tables import TIE_ORDER, below_baseline, display_order

PICK_KEY = "rankings_pick"
SEEN_KEY = "rankings_table_seen"
TOP_KEY = "rankings_top"
TAB_KEY = "rankings_tab"
DISPLAYED = [
    "rank",
    "change",
    "title",
    "vs_status_quo",
    "document",
    "dated",
    "addressee",
    "voice",
    "score",
    "ranks",
    "p_next",
    "tie",
]


Columns = dict[str, list[Any]]
_P5, _P95 = RANK_PERCENTILES


def _table_columns(view: View) -> Columns:
    """One entry per ranked recommendation, best first, built straight from the engine's arrays.

    Plain lists, not a DataFrame: the headline and the detail read single rows, which pandas
    makes slow; only the table widget gets a DataFrame.
    """
    catalog, comparison = view.catalog, view.settled
    ranking = comparison.ranking
    documents = document_names(catalog)
    dates = {doc.name: doc.meta.date for doc in catalog.documents}
    recs = [catalog.recommendation(rec_id) for rec_id in ranking.ids.tolist()]
    p5, p95 = ranking.rank_p5.tolist(), ranking.rank_p95.tolist()
    signed = score_range(view.method)[0] < 0
    ranks, tied = ranking.competition_ranks.tolist(), ranking.tie_sizes.tolist()
    columns: Columns = {
        "id": ranking.ids.tolist(),
        "rank": [rank_text(r, t) for r, t in zip(ranks, tied, strict=True)],
        "tied": tied,
        "change": [change_text(c) for c in comparison.change.tolist()],
        "title": [
            f"◆ {rec.title}"
            if rec.baseline
            else rec.title + (f" ({rec.source_count} sources)" if rec.sources else "")
            for rec in recs
        ],
        "vs_status_quo": [
            "baseline" if rec.baseline else "below" if below else ""
            for rec, below in zip(recs, below_baseline(catalog, ranking), strict=True)
        ],
        "document": [documents[rec.document] for rec in recs],
        "dated": [dates.get(rec.document, catalog.assessed_as_of) for rec in recs],
        "addressee": [addressee_text(rec) for rec in recs],
        "voice": [voice_text(rec) for rec in recs],
        # Rounded here, so the table and the text round 0.625 the same way.
        "score": ranking.totals.round(TIE_DECIMALS).round(2).tolist(),
        "interval": [
            f"{score_text(lo, signed)}–{score_text(hi, signed)}"
            for lo, hi in zip(ranking.low.tolist(), ranking.high.tolist(), strict=True)
        ],
        "ranks": [str(a) if a == b else f"{a}–{b}" for a, b in zip(p5, p95, strict=True)],
        # The winning index over the next row as shown (display order, inside a tie too).
        "p_next": [
            "" if p != p else f"{p:.2f}"  # NaN (the last row): nothing to compare
            for p in ranking.p_above_next.tolist()
        ],
        "near": ranking.near_tie_with_next.tolist(),
        "rounded": ranking.totals.round(TIE_DECIMALS).tolist(),
    }
    if max(tied, default=1) > 1:  # inside a tie: alphabetical by title (TIE_ORDER)
        order = display_order(catalog, ranking)
        columns = {name: [values[i] for i in order] for name, values in columns.items()}
    # "=" compares each shown row with the one shown below it, so it is set in display order.
    rounded = columns.pop("rounded")
    exact = [a == b for a, b in itertools.pairwise(rounded)] + [False]
    columns["tie"] = [tie_text(e, n) for e, n in zip(exact, columns.pop("near"), strict=True)]
    return columns


def _row(columns: Columns, index: int) -> dict[str, Any]:
    return {name: values[index] for name, values in columns.items()}


def _headline(view: View, table: Columns) -> None:
    ranking = view.settled.ranking
    near = sum(mark == "≈" for mark in table["tie"])
    marks = {"=": "; = same score as the next", "≈": "; ≈ near-tie with the next"}
    top = [_row(table, i) for i in range(min(3, len(table["id"])))]
    signed = score_range(view.method)[0] < 0
    tie = first_place_tie(view.catalog, ranking)
    if tie is not None:  # no recommendation on a tie: who ties, who leads most often, lever
        st.markdown(f"**{md(tie.sentence())}**")
    lines = [
        f"- {row['rank']} · **{md(row['title'])}** — {score_text(row['score'], signed)}; "
        f"ranks {row['ranks']} in 90% of draws"
        + (f"; above the next in {float(row['p_next']):.0%} of draws" if row["p_next"] else "")
        + marks.get(row["tie"], "")
        for row in top
    ]
    st.markdown("**Top of the ranking:**\n\n" + "\n".join(lines))
    low, high = NEAR_TIE
    st.caption(
        f"{near} of {max(len(ranking) - 1, 0)} neighbouring pairs are near-ties (≈, "
        f"P(>next) {low} to {high}); = marks equal scores. "
        f"{uncertainty_legend(ranking.uncertainty)} n= is a tie at rank n (its size in "
        f"brackets), listed {TIE_ORDER}. ▲/▼: places gained or lost against the profile's own "
        "ranking, only where the score order changed."
    )


def _table(view: View, table: Columns) -> None:
    """The ranked table; clicking a row picks that recommendation."""
    order = table["id"]
    # The key follows the order, so a reordered table starts with the pick selected.
    digest = hashlib.sha1("|".join(order).encode()).hexdigest()[:10]
    shown = ["id", *DISPLAYED]
    low, high = score_range(view.method)
    event = st.dataframe(
        # An Arrow table straight from the lists: no pandas round trip on every rerun.
        pa.table({name: table[name] for name in shown}),
        key=f"rankings_table_{digest}",
        on_select="rerun",
        selection_mode="single-row",
        selection_default={"selection": {"rows": [order.index(st.session_state[PICK_KEY])]}},
        hide_index=True,
        height=388,
        column_order=DISPLAYED,
        column_config={
            "rank": st.column_config.TextColumn(
                "#", width=60, help=f"Competition rank: n= a tie (its size), listed {TIE_ORDER}"
            ),
            "change": st.column_config.TextColumn(
                "±", width=50, help="Places gained (▲) or lost (▼) against the profile's weights"
            ),
            "title": st.column_config.TextColumn("Recommendation", width=315 if low < 0 else 335),
            "vs_status_quo": st.column_config.TextColumn(
                "vs SQ",
                width=60,
                help="below: scores lower than the status quo (◆), the do-nothing baseline",
            ),
            "document": st.column_config.TextColumn("Document", width=150),
            "dated": st.column_config.TextColumn(
                "Dated",
                width=70,
                help="The document's date as its text shows it (unknown: see Sources); the "
                "status quo is dated by the assessment",
            ),
            "addressee": st.column_config.TextColumn(
                "Addressed to", width=110, help="Who the recommendation asks to act"
            ),
            "voice": st.column_config.TextColumn(
                "Voiced by",
                width=110,
                help="The document's author, or a party the document reports",
            ),
            "score": st.column_config.ProgressColumn(
                "Score",
                min_value=low,
                max_value=high,
                format="%+.2f" if low < 0 else "%.2f",
                width=90,
                help=view.method_spec.axis_short,
            ),
            "ranks": st.column_config.TextColumn(
                "Ranks 5–95%",
                width=80,
                help=f"{_P5}th to {_P95}th percentile of the rank over the draws: in 90% of "
                "plausible score and weight draws it ranks within this interval",
            ),
            "p_next": st.column_config.TextColumn(
                "P(>next)",
                width=65,
                help="Share of draws ranking it above the next row (ties count half)",
            ),
            "tie": st.column_config.TextColumn(
                "Tie",
                width=36,
                help=f"≈ a near-tie: P(>next) between {NEAR_TIE[0]} and {NEAR_TIE[1]}; = the "
                "same score as the next",
            ),
        },
    )
    rows = event.selection.rows
    picked_in_table = order[rows[0]] if rows else None
    if picked_in_table is not None and picked_in_table != st.session_state.get(SEEN_KEY):
        st.session_state[PICK_KEY] = picked_in_table
    st.session_state[SEEN_KEY] = picked_in_table


@st.fragment
def _body(view: View, table: Columns) -> None:
    """Table or chart, then the picked recommendation; picking reruns only this part."""
    order = table["id"]
    if st.session_state.get(PICK_KEY) not in view.settled.ranking.positions:  # a dict
        st.session_state[PICK_KEY] = order[0]
    ranked, chart = st.tabs(["Ranked table", "Contributions chart"], key=TAB_KEY, on_change="rerun")
    if ranked.open:
        with ranked:
            _table(view, table)
    if chart.open:
        with chart:
            count = len(order)
            top = (
                st.slider("Show the top", 1, count, min(15, count), key=TOP_KEY) if count > 1 else 1
            )
            st.vega_lite_chart(
                spec=charts.contributions_chart(view.catalog, view.settled, top), width="stretch"
            )
            st.caption(_chart_caption(view.method))
    titles = dict(zip(table["id"], table["title"], strict=True))
    # Titles only: a rank in the label would go stale in the browser when the order changes.
    st.selectbox(
        "Recommendation, in rank order (or click a row in the table)",
        order,
        format_func=titles.__getitem__,
        key=PICK_KEY,
    )
    _detail(view, st.session_state[PICK_KEY], table)


def _chart_caption(method: str) -> str:
    ends = (
        "The black line is the score's reach when every score is at its worst or best; ≈ marks "
        f"a near-tie with the next rank (ranked above it in {NEAR_TIE[0]:.0%} to "
        f"{NEAR_TIE[1]:.0%} of the draws), = an equal score."
    )
    return method_spec(method).chart_caption + ends


def _detail(view: View, rec_id: str, table: Columns) -> None:
    catalog = view.catalog
    rec = catalog.recommendation(rec_id)
    row = _row(table, table["id"].index(rec_id))
    st.subheader(md(rec.title))
    st.markdown(
        f"**#{row['rank']}** of {len(table['id'])} · "
        f"score **{score_text(row['score'], view.method == 'promethee_ii')}** "
        f"(reach {row['interval']}; ranks {row['ranks']} in 90% of draws) · "
        f"{md(catalog.instruments[rec.instrument])} · {rec.kind} · "
        f"{md(provenance_text(rec))}\n\n{md(rec.summary)}"
    )
    if rec.overtaken:
        st.warning(md(f"Overtaken by events (as of {catalog.assessed_as_of}): {rec.overtaken}"))
    bundled = view.data.bundled.recommendation(rec_id)
    if rec.baseline:
        st.caption(
            "The status quo has no source passage: it is the yardstick every option is "
            "compared with, scored on the same scales."
        )
        st.html(scores_html(rec, bundled, catalog, view.shares))
        return
    document = catalog.document(rec.document)
    st.markdown(f"**Source:** {md(document.meta.label)} ({md(date_text(document))})")
    st.html(
        passage_html(quote_passage(document, rec.start, rec.end))
        + scores_html(rec, bundled, catalog, view.shares)
    )


def _context(view: View) -> None:
    """What the catalog asks of others and what Beijing asks for: shown, never ranked."""
    catalog = view.catalog
    if not catalog.context:
        return
    st.subheader("Context: not options for " + DECISION_MAKERS[catalog.scope])
    for role in ("beijing_asks", "others_asked"):
        items = [rec for rec in catalog.context if role_of(rec, catalog.scope) == role]
        if not items:
            continue
        with st.expander(f"{ROLE_LABELS[role]} ({len(items)})"):
            for rec in items:
                st.markdown(
                    f"- **{md(rec.title)}** · {md(provenance_text(rec))}  \n  “{md(rec.quote)}”"
                )


def page() -> None:
    view = current_view()
    st.title("Rankings")
    profile_note = "its own weights" if view.at_profile else "adjusted weights"
    st.caption(
        f"Profile **{md(view.profile.name)}** with {profile_note}; "
        f"{method_sentence(view.method_spec)}"
        + (
            f" {len(view.data.workspace.overrides)} edited score(s) from the workspace are in use."
            if view.data.workspace.overrides
            else ""
        )
    )
    stop_if_none_shown(view)
    table = _table_columns(view)
    _headline(view, table)
    _body(view, table)
    _context(view)
