"""The Documents page, step 2: review each candidate with the text around it.

Accept, reject, merge with the next, split or edit; every change is an engine call on the
immutable :class:`~scoring.intake.Review` kept in the session.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from app_pages.render import MARK_COLOR, md, truncate
from app_pages.state import View
from app_pages.views.documents_scores import scores_step
from app_pages.views.documents_state import (
    CARDS,
    QUEUE_KEY,
    SHOW,
    SHOW_KEY,
    STATUS_MARK,
    change,
    current_batch,
    current_review,
    discard_review,
    show_errors,
)
from scoring.intake import (
    DraftContext,
    Review,
    accept_all,
    draft_context,
    edit_draft,
    merge_with_next,
    set_status,
    split_draft,
    split_points,
)
from scoring.intake.storage import document_stem
from scoring.model import Catalog


def _card_place(key: str) -> str:
    return f"card:{key}"


def _instrument_name(catalog: Catalog, instrument: str) -> str:
    return catalog.instruments.get(instrument, "not identified — edit to choose")


_CONTEXT_STYLE = (
    "border-left:4px solid #d1d5db;padding:0.1rem 0 0.1rem 1rem;margin:0.25rem 0 0.5rem 0;"
    "line-height:1.55;color:#374151"
)


def _context_html(context: DraftContext) -> str:
    """The passage marked in its paragraph, the neighbouring blocks greyed; text escaped."""
    earlier = (
        f"<p style='color:#9ca3af;margin:0 0 0.4rem 0'>{html.escape(context.earlier)}</p>"
        if context.earlier
        else ""
    )
    later = (
        f"<p style='color:#9ca3af;margin:0.4rem 0 0 0'>{html.escape(context.later)}</p>"
        if context.later
        else ""
    )
    return (
        f"<div style='{_CONTEXT_STYLE}'>{earlier}<p style='margin:0'>"
        f"{html.escape(context.before)}<mark style='background:{MARK_COLOR};padding:0 2px'>"
        f"{html.escape(context.quote)}</mark>{html.escape(context.after)}</p>{later}</div>"
    )


def _split_label(quote: str, at: int) -> str:
    return f"after “…{truncate(quote[:at].strip()[-45:], 45)}”"


def _batch_names() -> dict[str, str]:
    """The stored text name (``user-…txt``) of each document read together -> its file name."""
    batch = current_batch()
    if batch is None:
        return {}
    return {f"{document_stem(r)}.txt": r.document.name for r in batch.reviews}


def _draft_card(view: View, review: Review, key: str, number: int, is_last: bool) -> None:
    catalog = view.data.bundled
    draft = review.draft(key)
    here = _card_place(key)
    with st.container(border=True):
        head, status = st.columns([5, 1])
        head.markdown(f"**{number}. {md(draft.title)}**")
        status.markdown(STATUS_MARK[draft.status])
        st.caption(
            f"{draft.kind} · {draft.form.replace('_', ' ')} · confidence {draft.confidence:.2f}"
            f" · actor: {md(draft.actor)} · instrument: "
            f"{md(_instrument_name(catalog, draft.instrument))}"
            + (f" · {1 + len(draft.sources)} sources (merged)" if draft.sources else "")
        )
        st.html(_context_html(draft_context(review, key)))
        names = _batch_names()
        for name, quote in draft.sources:
            st.caption(f"Also in {md(names.get(name, name))}: “{md(quote)}”")
        buttons = st.columns([1, 1, 1.3, 1, 1, 2.2])
        buttons[0].button(
            "Accept",
            key=f"docs_accept_{key}",
            disabled=draft.status == "accepted",
            on_click=change,
            args=(lambda r: set_status(r, key, "accepted"), "Cannot accept:", here),
        )
        buttons[1].button(
            "Reject",
            key=f"docs_reject_{key}",
            disabled=draft.status == "rejected",
            on_click=change,
            args=(lambda r: set_status(r, key, "rejected"), "Cannot reject:", here),
        )
        buttons[2].button(
            "Merge with next",
            key=f"docs_merge_{key}",
            disabled=is_last,
            help="Join this candidate and the next one into one passage",
            on_click=change,
            args=(lambda r: merge_with_next(r, catalog, key), "Cannot merge:", here),
        )
        points = split_points(review, key)
        with buttons[3].popover("Split", disabled=not points):
            at = st.selectbox(
                "Cut the passage",
                points,
                format_func=lambda p: _split_label(draft.quote, p),
                key=f"docs_split_at_{key}",
            )
            st.button(
                "Split here",
                key=f"docs_split_{key}",
                on_click=change,
                args=(
                    lambda r: split_draft(r, catalog, key, int(at or 0)),
                    "Cannot split:",
                    here,
                ),
            )
        with buttons[4].popover("Edit"):
            _edit_form(view, draft.key)
        show_errors(here)


def _edit_form(view: View, key: str) -> None:
    catalog = view.data.bundled
    review = current_review()
    assert review is not None
    draft = review.draft(key)
    instruments = list(catalog.instruments)
    prefix = f"docs_edit_{key}_"
    with st.form(key=f"docs_edit_{key}", border=False):
        st.text_input("Title", draft.title, key=prefix + "title")
        st.text_area("Summary", draft.summary, height=80, key=prefix + "summary")
        st.text_area(
            "Quote (verbatim: shorten or extend it, do not reword it)",
            draft.quote,
            height=100,
            key=prefix + "quote",
        )
        st.text_input("Actor", draft.actor, key=prefix + "actor")
        st.selectbox(
            "Instrument",
            instruments,
            index=instruments.index(draft.instrument) if draft.instrument in instruments else 0,
            format_func=lambda i: catalog.instruments[i],
            key=prefix + "instrument",
        )
        st.selectbox(
            "Kind",
            ("explicit", "implicit"),
            index=int(draft.kind == "implicit"),
            key=prefix + "kind",
        )
        st.form_submit_button("Apply", on_click=_apply_edit, args=(catalog, key))


def _apply_edit(catalog: Catalog, key: str) -> None:
    """Callback of an edit form: every field at once, validated by the engine."""
    prefix = f"docs_edit_{key}_"
    fields = {
        name: str(st.session_state.get(prefix + name) or "")
        for name in ("title", "summary", "quote", "actor", "instrument", "kind")
    }
    change(
        lambda r: edit_draft(r, catalog, key, **fields),
        "The edit was not applied:",
        _card_place(key),
    )


@st.fragment
def review_step(view: View) -> None:
    review = current_review()
    if review is None:
        return
    document = review.document
    counts = {s: sum(d.status == s for d in review.drafts) for s in STATUS_MARK}
    st.subheader(f"Review candidates: {document.name}")
    pages = f", {document.pages} pages" if document.pages else ""
    st.caption(
        f"{len(review.drafts)} candidate(s) in {len(review.normalized):,} characters "
        f"({document.source_format}{pages}): {counts['accepted']} accepted, "
        f"{counts['rejected']} rejected, {counts['pending']} pending. Each passage is shown "
        "with the text around it; only accepted ones are saved."
    )
    waiting = st.session_state.get(QUEUE_KEY) or []
    if waiting:
        st.caption(
            f"{len(waiting)} more uploaded document(s) wait: "
            + ", ".join(r.document.name for r in waiting)
        )
    for notice in (*document.notices, *review.notices):
        st.warning(md(str(notice)))
    if document.removed:
        with st.expander(f"{len(document.removed)} line(s) of page furniture removed"):
            st.dataframe(
                pd.DataFrame(
                    [{"line": r.line, "reason": r.reason, "text": r.text} for r in document.removed]
                ),
                hide_index=True,
                width="stretch",
            )
    bar = st.columns([1.4, 1.6, 3])
    bar[0].button(
        "Accept all pending",
        key="docs_accept_all",
        disabled=not counts["pending"],
        on_click=change,
        args=(accept_all, "Cannot accept:"),
    )
    bar[1].button(
        "Start over",
        key="docs_discard",
        on_click=discard_review,
        help="Drop this review and read another document",
    )
    if not review.drafts:  # no advice: a valid outcome, nothing to review or save
        return
    show = bar[2].radio("Show", SHOW, key=SHOW_KEY, horizontal=True, label_visibility="collapsed")
    show_errors(CARDS)
    last = review.drafts[-1].key
    shown = 0
    for number, draft in enumerate(review.drafts, start=1):
        if show != SHOW[0] and draft.status != (show or "").lower():
            continue
        _draft_card(view, review, draft.key, number, draft.key == last)
        shown += 1
    if not shown:
        st.caption(f"No {(show or '').lower()} candidate.")
    scores_step(view, review)
