"""The Documents page, between reading several documents and reviewing them: proposed merges.

Near-duplicate candidates of different documents are proposed as one option with several
sources (:mod:`scoring.intake.duplicates_across`). The reviewer accepts or splits each one;
every decision is logged in the workspace (:mod:`scoring.intake.merge_decisions`), so it is
undoable and applies again when the same documents are read again. Continuing applies the
accepted merges (:func:`scoring.intake.batch.apply_merges`): the merged option is reviewed in
the last of its documents and keeps every member's document and quote as a source.
"""

from __future__ import annotations

import streamlit as st

from app_pages.render import md
from app_pages.state import View
from app_pages.views.documents_state import (
    BATCH_KEY,
    MERGES_DONE_KEY,
    QUEUE_KEY,
    REVIEW_KEY,
    SHOW,
    SHOW_KEY,
    clear_errors,
    current_batch,
    fail,
    show_errors,
)
from scoring.errors import RecscoreError
from scoring.intake.batch import Batch, Decision, apply_merges
from scoring.intake.duplicates_across import MERGE_THRESHOLD, ProposedMerge
from scoring.intake.merge_decisions import record_decision, undo_decision
from scoring.workspace import Workspace

MERGES = "merges"
DECISION_MARK = {"pending": "○ pending", "accepted": "✓ merged", "split": "↔ kept apart"}


def _decide(workspace: Workspace, index: int, decision: Decision) -> None:
    batch = current_batch()
    if batch is None:
        return
    clear_errors()
    try:
        st.session_state[BATCH_KEY] = record_decision(workspace, batch, index, decision)
    except RecscoreError as exc:
        fail("The decision was not saved:", exc, MERGES)


def _undo(workspace: Workspace) -> None:
    batch = current_batch()
    if batch is None:
        return
    clear_errors()
    try:
        st.session_state[BATCH_KEY], _ = undo_decision(workspace, batch)
    except RecscoreError as exc:
        fail("Nothing was undone:", exc, MERGES)


def _continue() -> None:
    """Apply the accepted merges and start reviewing the documents, first one first."""
    batch = current_batch()
    if batch is None:
        return
    reviews = apply_merges(batch)
    st.session_state[REVIEW_KEY] = reviews[0]
    st.session_state[QUEUE_KEY] = list(reviews[1:])
    st.session_state[MERGES_DONE_KEY] = True
    st.session_state[SHOW_KEY] = SHOW[0]


def _discard() -> None:
    st.session_state[BATCH_KEY] = None
    clear_errors()


def _document(passage_document: str) -> str:
    return passage_document.split(":", 1)[-1]  # "<batch index>:<name>"


def _merge_card(workspace: Workspace, batch: Batch, index: int, merge: ProposedMerge) -> None:
    decision = batch.decision(index)
    with st.container(border=True):
        head, status = st.columns([5, 1])
        head.markdown(
            f"**Proposed merge {index + 1}**: one option from {len(merge.members)} sources "
            f"(similarity at least {merge.similarity:.2f})"
        )
        status.markdown(DECISION_MARK[decision])
        for passage in merge.members:
            st.markdown(f"- *{md(_document(passage.document))}*: “{md(passage.text)}”")
        accept, split, _ = st.columns([1.2, 1.2, 4])
        accept.button(
            "Accept merge",
            key=f"docs_merge_accept_{index}",
            disabled=decision == "accepted",
            help="One option, every document's quote kept as a source",
            on_click=_decide,
            args=(workspace, index, "accepted"),
        )
        split.button(
            "Keep apart",
            key=f"docs_merge_split_{index}",
            disabled=decision == "split",
            help="Separate options, one per document",
            on_click=_decide,
            args=(workspace, index, "split"),
        )


def merges_step(view: View) -> None:
    batch = current_batch()
    if batch is None:
        return
    workspace = view.data.workspace.workspace
    decided = sum(batch.decision(i) != "pending" for i in range(len(batch.merges)))
    st.subheader(f"Proposed merges across {len(batch.reviews)} documents")
    st.caption(
        f"{len(batch.merges)} group(s) of candidates from different documents restate one "
        f"proposal (TF-IDF cosine of their content words at least {MERGE_THRESHOLD:g} for "
        f"every pair). {decided} decided. Accept to make one option with several sources "
        "(every quote kept), or keep them apart; decisions are saved in the workspace and "
        "undoable. Undecided ones stay apart."
    )
    show_errors(MERGES)
    bar = st.columns([1.3, 1.7, 1.3, 2])
    bar[0].button(
        "Undo last decision",
        key="docs_merge_undo",
        disabled=not decided,
        on_click=_undo,
        args=(workspace,),
    )
    bar[1].button(
        "Continue to the review", type="primary", key="docs_merge_continue", on_click=_continue
    )
    bar[2].button("Start over", key="docs_merge_discard", on_click=_discard)
    for index, merge in enumerate(batch.merges):
        _merge_card(workspace, batch, index, merge)
    if batch.known:
        with st.expander(f"{len(batch.known)} candidate(s) restate a bundled recommendation"):
            st.caption(
                "The bundled documents are read-only: reject such a candidate in its review, "
                "or keep it as a separate option."
            )
            for merge in batch.known:
                st.markdown(" · ".join(f"“{md(p.text)}”" for p in merge.members))
