"""Sources: each document's text with its recommendations marked, its metadata and counts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.render import document_html, md, passage_html, short_document_name
from app_pages.state import View, current_view
from scoring.model import Recommendation
from scoring.scope import ROLE_LABELS, date_text, provenance_text, role_of
from scoring.sources import document_segments, quote_passage

DOC_KEY = "sources_doc"
PICK_KEY = "sources_pick"


def _open_in_rankings(rec_id: str) -> None:
    st.session_state["rankings_pick"] = rec_id


def _metadata(view: View, name: str) -> None:
    document = view.catalog.document(name)
    meta = document.meta
    recs = _document_items(view, name)
    left, right = st.columns([3, 2])
    with left:
        fields = {
            "Title": meta.title,
            "Author": meta.author,
            "Outlet": meta.outlet,
            "Date": date_text(document),
            "Type": meta.doc_type,
            "File": meta.document,
        }
        lines = [f"**{key}:** {md(value)}" for key, value in fields.items()]
        st.markdown("  \n".join(lines) + f"\n\n**Stance:** {md(meta.stance)}")
        if meta.notes or meta.date_evidence:
            with st.expander("Notes on the metadata, and what dates the document"):
                if meta.date_evidence:
                    st.markdown(f"**Date evidence:** {md(meta.date_evidence)}")
                if meta.notes:
                    st.markdown(md(meta.notes))
    with right:
        st.markdown(f"**{len(recs)} recommendations** by instrument:")
        by_instrument: dict[str, list[str]] = {}
        for rec in recs:
            by_instrument.setdefault(view.catalog.instruments[rec.instrument], []).append(rec.kind)
        rows = sorted(by_instrument.items(), key=lambda item: (-len(item[1]), item[0]))
        counts = pd.DataFrame(
            {
                "Instrument": [name for name, _ in rows] + ["All instruments"],
                "Count": [_count_text(kinds) for _, kinds in rows]
                + [_count_text([rec.kind for rec in recs])],
            }
        )
        st.dataframe(
            counts,
            hide_index=True,
            width="stretch",
            column_config={
                "Instrument": st.column_config.TextColumn(width=200),
                "Count": st.column_config.TextColumn(
                    width=110,
                    help="Explicit: the document says it; implicit: it follows from the text",
                ),
            },
        )


def _document_items(view: View, name: str) -> list[Recommendation]:
    """Every item of document ``name``: ranked options and context alike, in text order."""
    catalog = view.catalog
    items = (rec for rec in catalog.recommendations + catalog.context if rec.document == name)
    return sorted(items, key=lambda rec: rec.start)


def _count_text(kinds: list[str]) -> str:
    implicit = kinds.count("implicit")
    return f"{len(kinds)}" + (f" · {implicit} implicit" if implicit else "")


@st.fragment
def _text_and_recommendations(view: View, name: str) -> None:
    catalog = view.catalog
    document = catalog.document(name)
    recs = _document_items(view, name)
    numbers = {rec.id: i + 1 for i, rec in enumerate(recs)}
    positions = view.comparison.ranking.positions
    titles = {rec.id: rec.title for rec in recs}
    text_column, side = st.columns([3, 2])
    with side:
        st.markdown("**Recommendations in this document** — pick one:")
        with st.container(height=330):
            chosen = st.radio(
                "Recommendation",
                [rec.id for rec in recs],
                index=None,
                format_func=lambda rec_id: f"{numbers[rec_id]}. {titles[rec_id]}",
                key=f"{PICK_KEY}_{name}",
                label_visibility="collapsed",
            )
        selected = catalog.recommendation(chosen) if chosen else None
        if selected is None:
            st.caption(
                "Marked passages are numbered as in this list; hover one for its title. "
                "Pick one to read it in place (in orange)."
            )
        else:
            st.markdown(
                f"**{numbers[selected.id]}. {md(selected.title)}**\n\n{md(selected.summary)}\n\n"
                f"{md(catalog.instruments[selected.instrument])} · "
                f"{md(provenance_text(selected))} · "
                + (
                    f"rank #{positions[selected.id]}"
                    if selected.id in positions
                    else f"context: {ROLE_LABELS[role_of(selected, catalog.scope)].lower()}"
                )
            )
            if selected.overtaken:
                st.warning(md(f"Overtaken by events: {selected.overtaken}"))
            st.html(passage_html(quote_passage(document, selected.start, selected.end)))
            st.page_link(
                "app_pages/rankings.py",
                label="Open in Rankings: scores, ranges and rationale",
                icon=":material/leaderboard:",
            )
            _open_in_rankings(selected.id)
    with text_column:
        st.markdown(f"**Full text** — {short_document_name(document)}")
        with st.container(height=620):
            st.html(
                document_html(
                    document_segments(document, recs),
                    numbers,
                    titles,
                    selected.id if selected else None,
                ),
                # Only the fixed scroll-to-quote script; the document text is escaped.
                unsafe_allow_javascript=selected is not None,
            )


def page() -> None:
    view = current_view()
    st.title("Sources")
    documents = {doc.name: doc for doc in view.catalog.documents}
    if st.session_state.get(DOC_KEY) not in documents:
        st.session_state[DOC_KEY] = next(iter(documents))
    st.selectbox(
        "Document", list(documents), format_func=lambda n: documents[n].meta.label, key=DOC_KEY
    )
    name = st.session_state[DOC_KEY]
    _metadata(view, name)
    _text_and_recommendations(view, name)
