"""The Documents page's session state: keys, the review in progress, failures beside their action.

Shared by :mod:`app_pages.views.documents` and its steps (review, merges, scores).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from app_pages.render import show_problems
from scoring.errors import RecscoreError, ValidationError
from scoring.intake import Review
from scoring.intake.batch import Batch

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
BATCH_KEY = "docs_batch"  # several documents read together: their proposed merges
MERGES_DONE_KEY = "docs_merges_done"  # the reviewer has moved on from the merges
UPLOAD = "Upload a file"
PASTE = "Paste text"
SHOW = ("All", "Pending", "Accepted", "Rejected")
STATUS_MARK = {"pending": "○ pending", "accepted": "✓ accepted", "rejected": "✗ rejected"}
ACCEPTED_TYPES = ".txt, .md, .pdf or .docx"
# Where a failure is shown: beside the action that failed.
TOP, CARDS, SCORES, SAVE = "top", "cards", "scores", "save"


# --- state helpers ---------------------------------------------------------------------------


def current_review() -> Review | None:
    return st.session_state.get(REVIEW_KEY)


def current_batch() -> Batch | None:
    """The batch of several documents read together, while its documents are reviewed."""
    return st.session_state.get(BATCH_KEY)


def fail(heading: str, exc: RecscoreError, place: str = TOP) -> None:
    problems = list(exc.problems) if isinstance(exc, ValidationError) else []
    st.session_state[ERRORS_KEY] = (heading, problems, "" if problems else str(exc), place)


def clear_errors() -> None:
    st.session_state[ERRORS_KEY] = None


def show_errors(place: str = TOP) -> None:
    """The last failure, drawn where its action is (top, candidates or scores)."""
    failure = st.session_state.get(ERRORS_KEY)
    if not failure or failure[3] != place:
        return
    heading, problems, text, _ = failure
    if problems:
        show_problems(problems, heading)
    else:  # pragma: no cover - every RecscoreError the engine raises carries problems
        st.error(f"{heading} {text}")


def change(action: Callable[[Review], Review], failure: str, place: str = CARDS) -> None:
    """Callback: apply one engine change to the review; keep the old one if it fails."""
    review = current_review()
    if review is None:
        return
    clear_errors()
    try:
        st.session_state[REVIEW_KEY] = action(review)
    except RecscoreError as exc:
        fail(failure, exc, place)


def next_review() -> None:
    """The next uploaded document's review, or none."""
    queue = list(st.session_state.get(QUEUE_KEY) or [])
    st.session_state[REVIEW_KEY] = queue.pop(0) if queue else None
    st.session_state[QUEUE_KEY] = queue
    if not queue and st.session_state[REVIEW_KEY] is None:
        st.session_state[BATCH_KEY] = None  # the batch is done: its merges were applied


def discard_review() -> None:
    next_review()
    clear_errors()
