"""Documents: bring your own documents, review their candidate recommendations, score and save.

Three steps on one page: read files or pasted text; with several documents, decide the merges
proposed among them (:mod:`app_pages.views.documents_merges`); review every candidate the
extractor found (accept, edit, merge with the next, split, reject) with the text around it
(:mod:`app_pages.views.documents_review`); check the suggested scores of the accepted ones and
save (:mod:`app_pages.views.documents_scores`). Saved documents live in the workspace and join
every other page through ``state.load_data``; each can be removed after a confirmation.

Every step is an engine call (:mod:`scoring.intake.ingest`, :mod:`scoring.intake`,
:mod:`scoring.intake.batch`); the review in progress is an immutable
:class:`~scoring.intake.Review` kept in the session, so a rerun never re-reads or re-extracts.
"""

from __future__ import annotations

import math

import streamlit as st

from app_pages.render import md
from app_pages.state import View, current_view
from app_pages.views.documents_merges import merges_step
from app_pages.views.documents_review import review_step
from app_pages.views.documents_scores import document_title
from app_pages.views.documents_state import (
    ACCEPTED_TYPES,
    BATCH_KEY,
    CONFIRM_KEY,
    ERRORS_KEY,
    FILE_KEY,
    MERGES_DONE_KEY,
    PASTE,
    PASTE_KEY,
    QUEUE_KEY,
    REVIEW_KEY,
    SHOW,
    SHOW_KEY,
    SOURCE_KEY,
    TOP,
    UPLOAD,
    clear_errors,
    current_batch,
    current_review,
    fail,
    show_errors,
)
from scoring.errors import RecscoreError
from scoring.intake import (
    MAX_BYTES_VARIABLE,
    DocumentInfo,
    is_suggested,
    max_document_bytes,
    plan_removal,
    remove_document,
    user_documents,
)
from scoring.intake.batch import start_batch
from scoring.intake.ingest import ingest_bytes, ingest_text
from scoring.intake.merge_decisions import load_decisions, restore_decisions
from scoring.model import UNKNOWN

# --- step 1: read ----------------------------------------------------------------------------


def _read(view: View) -> None:
    """Callback of "Find recommendations": ingest, extract, start the review."""
    clear_errors()
    catalog = view.data.bundled
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
        batch = start_batch(documents, catalog, infos)
    except RecscoreError as exc:
        fail("This document cannot be used; nothing in the workspace changed:", exc)
        return
    st.session_state[SHOW_KEY] = SHOW[0]
    st.session_state[MERGES_DONE_KEY] = not batch.merges
    st.session_state[BATCH_KEY] = batch if len(documents) > 1 else None
    if batch.merges:  # decided first (merges_step), then reviewed with the merges applied
        try:
            st.session_state[BATCH_KEY] = restore_decisions(
                batch, load_decisions(view.data.workspace.workspace)
            )
        except RecscoreError as exc:  # the log is unreadable: ask every decision again
            fail("The saved merge decisions cannot be read; every merge is pending:", exc)
        return
    st.session_state[REVIEW_KEY] = batch.reviews[0]
    st.session_state[QUEUE_KEY] = list(batch.reviews[1:])


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
        args=(view,),
    )
    st.caption(
        "Page furniture (navigation, donation appeals, caption credits) is removed; nothing is "
        "saved until you accept candidates and press Save."
    )


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
        fail("The document was not removed:", exc)
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
            text.markdown(f"**{md(document_title(document))}**")
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
        fail("The document cannot be removed:", exc)
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
    show_errors()
    _stored_documents(view)
    st.divider()
    if current_batch() is not None and not st.session_state.get(MERGES_DONE_KEY):
        merges_step(view)
    elif current_review() is None:
        _source_form(view)
    else:
        review_step(view)
