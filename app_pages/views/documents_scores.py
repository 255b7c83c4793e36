"""The Documents page, step 3: the suggested scores of the accepted candidates, then save.

A document read with others is saved with :func:`scoring.intake.batch.store_reviewed`, which
first writes the text of every other document a merged option quotes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages.state import View
from app_pages.views.documents_state import (
    NONCE_KEY,
    REVIEW_KEY,
    ROWS_KEY,
    SAVE,
    SCORE_REC_KEY,
    SCORES,
    clear_errors,
    current_batch,
    current_review,
    fail,
    next_review,
    show_errors,
)
from scoring.errors import RecscoreError, ValidationError
from scoring.intake import (
    SUGGESTION_MARK,
    Review,
    SuggestionRules,
    is_suggested,
    review_scores,
    set_scores,
    stored_copy,
)
from scoring.intake.batch import store_reviewed
from scoring.model import UNKNOWN, SourceDocument
from scoring.workspace import SCORE_PARTS


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
    review = current_review()
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
    clear_errors()
    try:
        st.session_state[REVIEW_KEY] = set_scores(review, rules, edits)
    except ValidationError as exc:
        fail("This score edit was not applied:", exc, SCORES)


def _editor_key() -> str:
    return f"docs_scores_{st.session_state.get(NONCE_KEY, 0)}"


def scores_step(view: View, review: Review) -> None:
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
    show_errors(SCORES)
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
    show_errors(SAVE)
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


def document_title(document: SourceDocument) -> str:
    return document.meta.title if document.meta.title != UNKNOWN else document.name


def _save(view: View, review: Review, replacing: bool) -> None:
    clear_errors()
    try:
        batch = current_batch()
        stored = store_reviewed(
            view.data.workspace.workspace,
            view.data.bundled,
            review,
            batch.reviews if batch is not None else (),
            replace_existing=replacing,
        )
    except RecscoreError as exc:
        fail("Nothing was saved:", exc, SAVE)
        st.rerun()  # the message is drawn above the button, where it was pressed
    next_review()
    st.session_state["flash"].append(
        (
            "success",
            f"Saved “{document_title(stored.document)}” with {len(stored.recommendations)} "
            f"recommendation(s) ({stored.suggested_cells} suggested score(s) to review). They "
            "now appear in Rankings, Trade-offs, Packages and briefs.",
        )
    )
    st.rerun(scope="app")
