"""Documents: bring your own document, review its candidate recommendations, score and save.

Three steps on one page: read a file or pasted text; review every candidate the extractor
found (accept, edit, merge with the next, split, reject) with the text around it; check the
suggested scores of the accepted ones and save. Saved documents live in the workspace and join
every other page through ``state.load_data``; each can be removed after a confirmation.

Every step is an engine call (:mod:`scoring.intake.ingest`, :mod:`scoring.intake`); the review in
progress is an immutable :class:`~scoring.intake.Review` kept in the session, so a rerun
never re-reads or re-extracts the document.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from app_pages.render import MARK_COLOR, md, show_problems, truncate
from app_pages.state import View, current_view
from scoring.errors import RecscoreError, ValidationError
from scoring.intake import (
    MAX_BYTES_VARIABLE,
    SUGGESTION_MARK,
    DocumentInfo,
    DraftContext,
    Review,
    SuggestionRules,
    accept_all,
    draft_context,
    edit_draft,
    is_suggested,
    max_document_bytes,
    merge_with_next,
    plan_removal,
    remove_document,
    review_scores,
    set_scores,
    set_status,
    split_draft,
    split_points,
    start_review,
    store_document,
    stored_copy,
    user_documents,
)
from scoring.intake.ingest import ingest_bytes, ingest_text
from scoring.model import UNKNOWN, Catalog, SourceDocument
from scoring.workspace import SCORE_PARTS

REVIEW_KEY = "docs_review"
ERRORS_KEY = "docs_errors"  # (heading, problems) of the last failed action
SOURCE_KEY = "docs_source"
FILE_KEY = "docs_file"
PASTE_KEY = "docs_paste"
SHOW_KEY = "docs_show"
NONCE_KEY = "docs_scores_nonce"
ROWS_KEY = "docs_score_rows"
SCORE_REC_KEY = "docs_score_rec"
CONFIRM_KEY = "docs_confirm"
QUEUE_KEY = "docs_queue"  # reviews of the other uploaded documents, next first
UPLOAD = "Upload a file"
PASTE = "Paste text"
SHOW = ("All", "Pending", "Accepted", "Rejected")
STATUS_MARK = {"pending": "○ pending", "accepted": "✓ accepted", "rejected": "✗ rejected"}
ACCEPTED_TYPES = ".txt, .md, .pdf or .docx"
# Where a failure is shown: beside the action that failed.
TOP, CARDS, SCORES, SAVE = "top", "cards", "scores", "save"


# --- state helpers ---------------------------------------------------------------------------


def _review() -> Review | None:
    return st.session_state.get(REVIEW_KEY)


def _fail(heading: str, exc: RecscoreError, place: str = TOP) -> None:
    problems = list(exc.problems) if isinstance(exc, ValidationError) else []
    st.session_state[ERRORS_KEY] = (heading, problems, "" if problems else str(exc), place)


def _clear_errors() -> None:
    st.session_state[ERRORS_KEY] = None


def _show_errors(place: str = TOP) -> None:
    """The last failure, drawn where its action is (top, candidates or scores)."""
    failure = st.session_state.get(ERRORS_KEY)
    if not failure or failure[3] != place:
        return
    heading, problems, text, _ = failure
    if problems:
        show_problems(problems, heading)
    else:  # pragma: no cover - every RecscoreError the engine raises carries problems
        st.error(f"{heading} {text}")


def _change(action: Callable[[Review], Review], failure: str, place: str = CARDS) -> None:
    """Callback: apply one engine change to the review; keep the old one if it fails."""
    review = _review()
    if review is None:
        return
    _clear_errors()
    try:
        st.session_state[REVIEW_KEY] = action(review)
    except RecscoreError as exc:
        _fail(failure, exc, place)


# --- step 1: read ----------------------------------------------------------------------------


def _read(catalog: Catalog) -> None:
    """Callback of "Find recommendations": ingest, extract, start the review."""
    _clear_errors()
    info = DocumentInfo.of(
        st.session_state.get("docs_title"),
        st.session_state.get("docs_author"),
        st.session_state.get("docs_date"),
    )
    limit = max_document_bytes()
    try:
        if st.session_state.get(SOURCE_KEY, UPLOAD) == UPLOAD:
            uploaded = st.session_state.get(FILE_KEY) or []
            if not isinstance(uploaded, list):
                uploaded = [uploaded]
            if not uploaded:
                st.session_state[ERRORS_KEY] = (
                    "Choose a file first, or paste the text.",
                    [],
                    "",
                    TOP,
                )
                return
            documents = [
                ingest_bytes(file.getvalue(), file.name, max_bytes=limit) for file in uploaded
            ]
        else:
            documents = [ingest_text(st.session_state.get(PASTE_KEY, ""), max_bytes=limit)]
        # Title, author and date describe one document; several uploads keep them unknown.
        infos = [info] if len(documents) == 1 else [DocumentInfo()] * len(documents)
        reviews = [start_review(d, catalog, i) for d, i in zip(documents, infos, strict=True)]
        st.session_state[REVIEW_KEY] = reviews[0]
        st.session_state[QUEUE_KEY] = reviews[1:]
    except RecscoreError as exc:
        _fail("This document cannot be used; nothing in the workspace changed:", exc)
        return
    st.session_state[SHOW_KEY] = SHOW[0]


def _source_form(view: View) -> None:
    st.subheader("Add a document")
    limit_mb = max_document_bytes() / 2**20
    source = st.radio("Source", (UPLOAD, PASTE), key=SOURCE_KEY, horizontal=True)
    if source == UPLOAD:
        st.file_uploader(
            f"A {ACCEPTED_TYPES} file, at most {limit_mb:g} MB",
            key=FILE_KEY,
            accept_multiple_files=True,  # reviewed one after another
            # The widget refuses larger files in the browser (the app's config allows 1 MB);
            # ingest checks the same limit again on the bytes received.
            max_upload_size=max(1, math.ceil(limit_mb)),
            help=f"The limit is set by ${MAX_BYTES_VARIABLE}. A scanned PDF needs OCR first.",
        )
    else:
        st.text_area("The document's text", key=PASTE_KEY, height=200)
    title, author, date = st.columns([3, 2, 1])
    title.text_input("Title", key="docs_title", placeholder="unknown")
    author.text_input("Author", key="docs_author", placeholder="unknown")
    date.text_input("Date", key="docs_date", placeholder="unknown")
    st.button(
        "Find recommendations",
        type="primary",
        key="docs_read",
        on_click=_read,
        args=(view.data.bundled,),
    )
    st.caption(
        "Page furniture (navigation, donation appeals, caption credits) is removed; nothing is "
        "saved until you accept candidates and press Save."
    )


# --- step 2: review --------------------------------------------------------------------------


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
        )
        st.html(_context_html(draft_context(review, key)))
        buttons = st.columns([1, 1, 1.3, 1, 1, 2.2])
        buttons[0].button(
            "Accept",
            key=f"docs_accept_{key}",
            disabled=draft.status == "accepted",
            on_click=_change,
            args=(lambda r: set_status(r, key, "accepted"), "Cannot accept:", here),
        )
        buttons[1].button(
            "Reject",
            key=f"docs_reject_{key}",
            disabled=draft.status == "rejected",
            on_click=_change,
            args=(lambda r: set_status(r, key, "rejected"), "Cannot reject:", here),
        )
        buttons[2].button(
            "Merge with next",
            key=f"docs_merge_{key}",
            disabled=is_last,
            help="Join this candidate and the next one into one passage",
            on_click=_change,
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
                on_click=_change,
                args=(
                    lambda r: split_draft(r, catalog, key, int(at or 0)),
                    "Cannot split:",
                    here,
                ),
            )
        with buttons[4].popover("Edit"):
            _edit_form(view, draft.key)
        _show_errors(here)


def _edit_form(view: View, key: str) -> None:
    catalog = view.data.bundled
    review = _review()
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
    _change(
        lambda r: edit_draft(r, catalog, key, **fields),
        "The edit was not applied:",
        _card_place(key),
    )


def _next_review() -> None:
    """The next uploaded document's review, or none."""
    queue = list(st.session_state.get(QUEUE_KEY) or [])
    st.session_state[REVIEW_KEY] = queue.pop(0) if queue else None
    st.session_state[QUEUE_KEY] = queue


def _discard_review() -> None:
    _next_review()
    _clear_errors()


@st.fragment
def _review_step(view: View) -> None:
    review = _review()
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
        on_click=_change,
        args=(accept_all, "Cannot accept:"),
    )
    bar[1].button(
        "Start over",
        key="docs_discard",
        on_click=_discard_review,
        help="Drop this review and read another document",
    )
    if not review.drafts:  # no advice: a valid outcome, nothing to review or save
        return
    show = bar[2].radio("Show", SHOW, key=SHOW_KEY, horizontal=True, label_visibility="collapsed")
    _show_errors(CARDS)
    last = review.drafts[-1].key
    shown = 0
    for number, draft in enumerate(review.drafts, start=1):
        if show != SHOW[0] and draft.status != (show or "").lower():
            continue
        _draft_card(view, review, draft.key, number, draft.key == last)
        shown += 1
    if not shown:
        st.caption(f"No {(show or '').lower()} candidate.")
    _scores_step(view, review)


# --- step 3: scores and save -----------------------------------------------------------------


def _score_frame(view: View, review: Review, rules: SuggestionRules, key: str) -> pd.DataFrame:
    """One accepted draft's scores, one row per criterion."""
    _, scores = review_scores(review, rules)[key]
    return pd.DataFrame(
        [
            {
                "key": key,
                "criterion_id": criterion.id,
                "criterion": criterion.name + (" (cost)" if criterion.is_cost else ""),
                "status": "suggested" if is_suggested(scores[criterion.id]) else "edited",
                "value": scores[criterion.id].value,
                "low": scores[criterion.id].low,
                "high": scores[criterion.id].high,
                "rationale": scores[criterion.id].rationale,
            }
            for criterion in view.data.bundled.criteria
        ]
    )


def _apply_score_edits(rules: SuggestionRules) -> None:
    """Callback of the score table: validate the changed rows, keep them in the review."""
    review = _review()
    state = st.session_state.get(_editor_key(), {})
    rows: list[dict[str, Any]] = st.session_state.get(ROWS_KEY, [])
    edits = {}
    for index, changed in state.get("edited_rows", {}).items():
        row = rows[int(index)]
        fields = {part: changed.get(part, row[part]) for part in SCORE_PARTS}
        edits[(row["key"], row["criterion_id"])] = fields
    st.session_state[NONCE_KEY] = st.session_state.get(NONCE_KEY, 0) + 1
    if review is None or not edits:
        return
    _clear_errors()
    try:
        st.session_state[REVIEW_KEY] = set_scores(review, rules, edits)
    except ValidationError as exc:
        _fail("This score edit was not applied:", exc, SCORES)


def _editor_key() -> str:
    return f"docs_scores_{st.session_state.get(NONCE_KEY, 0)}"


def _scores_step(view: View, review: Review) -> None:
    st.subheader("Scores of the accepted recommendations")
    if not review.accepted:
        st.caption("Accept at least one candidate to score and save it.")
        return
    rules = SuggestionRules.from_catalog(view.data.bundled)
    scored = review_scores(review, rules)
    numbers = {d.key: i for i, d in enumerate(review.drafts, start=1)}
    pending = {key: sum(map(is_suggested, scores.values())) for key, (_, scores) in scored.items()}
    total = sum(len(scores) for _, scores in scored.values())
    st.caption(
        f"{sum(pending.values())} of {total} scores are suggestions: the median curated score "
        "of bundled recommendations with the same instrument (and actor, where enough share "
        f"it). Their rationale starts “{SUGGESTION_MARK}” and stays so marked in the workspace "
        "until you change it. Edit a cell to replace a suggestion."
    )
    with st.expander("How scores are suggested"):
        st.dataframe(pd.DataFrame(rules.table()), hide_index=True, width="stretch")
    keys = list(scored)
    if st.session_state.get(SCORE_REC_KEY) not in keys:
        st.session_state[SCORE_REC_KEY] = keys[0]
    key = st.selectbox(
        "Recommendation",
        keys,
        key=SCORE_REC_KEY,
        format_func=lambda k: f"{numbers[k]}. {review.draft(k).title}",
    )
    key = key or keys[0]
    st.caption(
        f"{pending[key]} of {len(scored[key][1])} scores still suggested, from "
        f"{scored[key][0].basis}."
    )
    frame = _score_frame(view, review, rules, key)
    st.session_state[ROWS_KEY] = frame.to_dict("records")
    _show_errors(SCORES)
    st.data_editor(
        frame,
        key=_editor_key(),
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        on_change=_apply_score_edits,
        args=(rules,),
        disabled=["criterion", "status"],
        column_order=["criterion", "status", "value", "low", "high", "rationale"],
        column_config={
            "criterion": st.column_config.TextColumn("Criterion", width=200),
            "status": st.column_config.TextColumn(
                "Status", width=85, help="suggested: from the rule table; edited: yours"
            ),
            "value": st.column_config.NumberColumn(
                "Score", width=64, format="%g", min_value=1, max_value=5
            ),
            "low": st.column_config.NumberColumn(
                "Low", width=56, format="%g", min_value=1, max_value=5
            ),
            "high": st.column_config.NumberColumn(
                "High", width=56, format="%g", min_value=1, max_value=5
            ),
            "rationale": st.column_config.TextColumn("Rationale", width="large"),
        },
    )
    _show_errors(SAVE)
    replacing = stored_copy(view.data.bundled, review) is not None
    if replacing:
        st.warning("This text is already in the workspace; saving replaces the stored copy.")
    count = len(review.accepted)
    if st.button(
        f"{'Replace' if replacing else 'Save'} the document with {count} recommendation(s)",
        type="primary",
        key="docs_save",
    ):
        _save(view, review, replacing)


def _title(document: SourceDocument) -> str:
    return document.meta.title if document.meta.title != UNKNOWN else document.name


def _save(view: View, review: Review, replacing: bool) -> None:
    _clear_errors()
    try:
        stored = store_document(
            view.data.workspace.workspace, view.data.bundled, review, replace_existing=replacing
        )
    except RecscoreError as exc:
        _fail("Nothing was saved:", exc, SAVE)
        st.rerun()  # the message is drawn above the button, where it was pressed
    _next_review()
    st.session_state["flash"].append(
        (
            "success",
            f"Saved “{_title(stored.document)}” with {len(stored.recommendations)} "
            f"recommendation(s) ({stored.suggested_cells} suggested score(s) to review). They "
            "now appear in Rankings, Trade-offs, Packages and briefs.",
        )
    )
    st.rerun(scope="app")


# --- stored documents ------------------------------------------------------------------------


def _ask_removal(name: str) -> None:
    st.session_state[CONFIRM_KEY] = name


def _cancel_removal() -> None:
    st.session_state[CONFIRM_KEY] = None


def _remove(view: View, name: str) -> None:
    st.session_state[CONFIRM_KEY] = None
    try:
        removal = remove_document(view.data.workspace.workspace, name)
    except RecscoreError as exc:
        _fail("The document was not removed:", exc)
        return
    st.session_state["flash"].append(
        ("success", f"Removed {removal.document} and {removal.summary()}.")
    )


def _stored_documents(view: View) -> None:
    catalog = view.catalog
    documents = user_documents(catalog)
    bundled = len(catalog.documents) - len(documents)
    st.subheader(f"Your documents ({len(documents)})")
    st.caption(
        f"Kept in {view.data.workspace.workspace.documents_dir}; the {bundled} bundled "
        "documents are read-only and listed on the Sources page."
    )
    if not documents:
        st.caption("None yet: add one below.")
    for document in documents:
        recs = [rec for rec in catalog.recommendations if rec.document == document.name]
        suggested = sum(is_suggested(s) for rec in recs for s in rec.scores.values())
        with st.container(border=True):
            text, action = st.columns([5, 1])
            meta = document.meta
            details = " · ".join(
                part
                for part in (
                    meta.author if meta.author != UNKNOWN else "",
                    meta.date if meta.date != UNKNOWN else "",
                    f"{len(recs)} recommendation(s)",
                    f"{suggested} suggested score(s) not yet reviewed" if suggested else "",
                )
                if part
            )
            text.markdown(f"**{md(_title(document))}**")
            text.caption(f"{md(details)} · {md(document.name)}")
            action.button(
                "Remove…",
                key=f"docs_remove_{document.name}",
                on_click=_ask_removal,
                args=(document.name,),
            )
            if st.session_state.get(CONFIRM_KEY) == document.name:
                _confirm_removal(view, document.name)


def _confirm_removal(view: View, name: str) -> None:
    try:
        plan = plan_removal(view.data.workspace.workspace, name)
    except RecscoreError as exc:
        _fail("The document cannot be removed:", exc)
        st.session_state[CONFIRM_KEY] = None
        return
    st.warning(
        md(
            f"Remove this document? This deletes it and {plan.summary()} from the workspace, "
            "on every page. It cannot be undone (you can add the document again)."
        )
    )
    yes, no, _ = st.columns([1, 1, 4])
    yes.button(
        "Yes, remove",
        type="primary",
        key="docs_remove_yes",
        on_click=_remove,
        args=(view, name),
    )
    no.button("Cancel", key="docs_remove_no", on_click=_cancel_removal)


# --- page ------------------------------------------------------------------------------------


def page() -> None:
    view = current_view()
    st.title("Documents")
    st.caption(
        "Bring your own documents: candidate recommendations are found in the text, you review "
        "and score them, and saved ones join the rankings, trade-offs, packages and briefs "
        "like the bundled ones (marked as user-added)."
    )
    st.session_state.setdefault(ERRORS_KEY, None)
    _show_errors()
    _stored_documents(view)
    st.divider()
    if _review() is None:
        _source_form(view)
    else:
        _review_step(view)
