"""Rankings: the ranked table, each criterion's contribution, and any recommendation's source."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from app_pages import charts
from app_pages.render import (
    change_text,
    passage_html,
    scores_html,
    short_document_name,
    tie_text,
)
from app_pages.state import View, current_view
from scoring.sources import quote_passage

PICK_KEY = "rankings_pick"
SEEN_KEY = "rankings_table_seen"
TOP_KEY = "rankings_top"
TAB_KEY = "rankings_tab"


def _table_frame(view: View) -> pd.DataFrame:
    catalog = view.catalog
    frame = view.comparison.frame()
    documents = {doc.name: short_document_name(doc) for doc in catalog.documents}
    recs = [catalog.recommendation(rec_id) for rec_id in frame["id"]]
    return pd.DataFrame(
        {
            "id": frame["id"],
            "rank": frame["rank"],
            "change": [change_text(int(c)) for c in frame["change"]],
            "title": [rec.title for rec in recs],
            "document": [documents[rec.document] for rec in recs],
            # Rounded here, so the table and the text round 0.625 the same way.
            "score": frame["score"].round(2),
            "interval": [
                f"{lo:.2f}–{hi:.2f}" for lo, hi in zip(frame["low"], frame["high"], strict=True)
            ],
            "tie": [
                tie_text(bool(e), bool(n))
                for e, n in zip(
                    frame["exact_tie_with_next"], frame["near_tie_with_next"], strict=True
                )
            ],
            "ranks": [
                f"{b}–{w}" for b, w in zip(frame["best_rank"], frame["worst_rank"], strict=True)
            ],
        }
    )


def _headline(view: View, table: pd.DataFrame) -> None:
    ranking = view.comparison.ranking
    near = int(ranking.near_tie_with_next[:-1].sum()) if len(ranking) > 1 else 0
    lines = [
        f"{row.rank}. **{row.title}** — {row.score:.2f} [{row.interval}] {row.tie}".rstrip()
        for row in table.head(3).itertuples()
    ]
    st.markdown("**Top of the ranking:**  \n" + "  \n".join(lines))
    st.caption(
        f"{near} of {max(len(ranking) - 1, 0)} neighbouring pairs are near-ties (≈: the score "
        "intervals overlap when every score moves within its range); = marks equal scores. "
        "Read ranks as ranges. ▲/▼: places gained or lost against the profile's own ranking."
    )


def _table(view: View, table: pd.DataFrame) -> None:
    """The ranked table; clicking a row picks that recommendation."""
    order = table["id"].tolist()
    # The key follows the order, so a reordered table starts with the pick selected.
    digest = hashlib.sha1("|".join(order).encode()).hexdigest()[:10]
    event = st.dataframe(
        table,
        key=f"rankings_table_{digest}",
        on_select="rerun",
        selection_mode="single-row",
        selection_default={"selection": {"rows": [order.index(st.session_state[PICK_KEY])]}},
        hide_index=True,
        height=388,
        column_order=["rank", "change", "title", "document", "score", "interval", "tie"],
        column_config={
            "rank": st.column_config.NumberColumn("#", width=40),
            "change": st.column_config.TextColumn(
                "±", width=50, help="Places gained (▲) or lost (▼) against the profile's weights"
            ),
            "title": st.column_config.TextColumn("Recommendation", width=310),
            "document": st.column_config.TextColumn("Document", width=150),
            "score": st.column_config.ProgressColumn(
                "Score", min_value=0.0, max_value=1.0, format="%.2f", width=90
            ),
            "interval": st.column_config.TextColumn(
                "Interval", width=80, help="Score when every score is at its worst / best"
            ),
            "tie": st.column_config.TextColumn(
                "Tie", width=60, help="≈ within the uncertainty of the next; = equal score"
            ),
        },
    )
    rows = event.selection.rows
    picked_in_table = order[rows[0]] if rows else None
    if picked_in_table is not None and picked_in_table != st.session_state.get(SEEN_KEY):
        st.session_state[PICK_KEY] = picked_in_table
    st.session_state[SEEN_KEY] = picked_in_table


@st.fragment
def _body(view: View, table: pd.DataFrame) -> None:
    """Table or chart, then the picked recommendation; picking reruns only this part."""
    order = table["id"].tolist()
    if st.session_state.get(PICK_KEY) not in order:
        st.session_state[PICK_KEY] = order[0]
    ranked, chart = st.tabs(["Ranked table", "Contributions chart"], key=TAB_KEY, on_change="rerun")
    if ranked.open:
        with ranked:
            _table(view, table)
    if chart.open:
        with chart:
            count = len(table)
            top = (
                st.slider("Show the top", 1, count, min(15, count), key=TOP_KEY) if count > 1 else 1
            )
            st.altair_chart(
                charts.contributions_chart(view.catalog, view.comparison, top), width="stretch"
            )
            st.caption(
                "Each bar is split by criterion: a segment's length is that criterion's "
                "weighted share of the score. The black line is the score's interval; ≈ marks "
                "a near-tie with the next rank, = an equal score."
            )
    titles = dict(zip(table["id"], table["title"], strict=True))
    ranks = dict(zip(table["id"], table["rank"], strict=True))
    st.selectbox(
        "Recommendation (or click a row in the table)",
        order,
        format_func=lambda rec_id: f"#{ranks[rec_id]} {titles[rec_id]}",
        key=PICK_KEY,
    )
    _detail(view, st.session_state[PICK_KEY], table)


def _detail(view: View, rec_id: str, table: pd.DataFrame) -> None:
    catalog = view.catalog
    rec = catalog.recommendation(rec_id)
    document = catalog.document(rec.document)
    row = table.set_index("id").loc[rec_id]
    st.subheader(rec.title)
    st.markdown(
        f"**#{row['rank']}** of {len(table)} · score **{row['score']:.2f}** "
        f"(interval {row['interval']}; possible ranks {row['ranks']}) · "
        f"{catalog.instruments[rec.instrument]} · {rec.kind} · actor: {rec.actor}"
        + (f" · voice: {rec.voice}" if rec.voice != "unknown" else "")
    )
    st.write(rec.summary)
    st.markdown(f"**Source:** {document.meta.label}")
    st.html(passage_html(quote_passage(document, rec.start, rec.end)))
    st.html(scores_html(rec, view.data.bundled.recommendation(rec_id), catalog, view.shares))


def page() -> None:
    view = current_view()
    st.title("Rankings")
    profile_note = "its own weights" if view.at_profile else "adjusted weights"
    st.caption(
        f"Profile **{view.profile.name}** with {profile_note}; weighted sum on the fixed 1–5 "
        "scale ends."
        + (
            f" {len(view.data.workspace.overrides)} edited score(s) from the workspace are in use."
            if view.data.workspace.overrides
            else ""
        )
    )
    ranking = view.comparison.ranking
    if len(ranking) == 0:
        st.info("No recommendation passes the filters in the sidebar.")
        st.stop()
    table = _table_frame(view)
    _headline(view, table)
    _body(view, table)


page()
