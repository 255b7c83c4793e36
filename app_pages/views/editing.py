"""Score editing: change any score, range or rationale; see and revert every override.

Edits are validated with the loader's rules and saved to the workspace only when all of them
pass; the bundled seeds are never written. Overrides apply everywhere (rankings, charts, the
CLI's ``rank``) until reverted.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages.components import show_failure, show_problems
from app_pages.render import range_text, stop_if_none_shown
from app_pages.state import View, current_view
from scoring.errors import RecscoreError, ValidationError
from scoring.score_edits import revert_overrides, save_score_edits
from scoring.workspace import SCORE_PARTS

NONCE_KEY = "editing_nonce"
ERRORS_KEY = "editing_errors"
REC_KEY = "editing_rec"
ALL = "(all)"


def editor_key() -> str:
    """The table editor's key; a new one discards pending edits."""
    return f"editing_table_{st.session_state.get(NONCE_KEY, 0)}"


def _discard() -> None:
    st.session_state[NONCE_KEY] = st.session_state.get(NONCE_KEY, 0) + 1
    st.session_state[ERRORS_KEY] = []


def _editor_frame(view: View, rec_ids: list[str]) -> pd.DataFrame:
    catalog, bundled = view.catalog, view.data.bundled
    overrides = view.data.workspace.overrides
    rows = []
    for rec_id in rec_ids:
        rec, original = catalog.recommendation(rec_id), bundled.recommendation(rec_id)
        for criterion in catalog.criteria:
            score, first = rec.scores[criterion.id], original.scores[criterion.id]
            rows.append(
                {
                    "id": rec_id,
                    "criterion_id": criterion.id,
                    "edited": "✎" if (rec_id, criterion.id) in overrides else "",
                    "recommendation": rec.title,
                    "criterion": criterion.name,
                    "bundled": range_text(first),
                    "value": score.value,
                    "low": score.low,
                    "high": score.high,
                    "rationale": score.rationale,
                }
            )
    return pd.DataFrame(rows)


def _edits(frame: pd.DataFrame, edited: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """The rows the user changed, each with all four parts of its score."""
    changed = st.session_state.get(editor_key(), {}).get("edited_rows", {})
    edits = {}
    for row in sorted(int(index) for index in changed):
        fields = {part: edited.iloc[row][part] for part in SCORE_PARTS}
        original = {part: frame.iloc[row][part] for part in SCORE_PARTS}
        if fields != original:
            edits[(frame.iloc[row]["id"], frame.iloc[row]["criterion_id"])] = fields
    return edits


@st.fragment
def _editor(view: View) -> None:
    catalog = view.catalog
    ranking = view.comparison.ranking
    order = ranking.ids.tolist()
    positions = ranking.positions
    if st.session_state.get(REC_KEY) not in [ALL, *order]:
        st.session_state[REC_KEY] = ALL
    st.selectbox(
        "Recommendation",
        [ALL, *order],
        format_func=lambda rec_id: (
            f"All shown in the sidebar ({len(order)})"
            if rec_id == ALL
            else f"#{positions[rec_id]} {catalog.recommendation(rec_id).title}"
        ),
        key=REC_KEY,
    )
    rec_ids = order if st.session_state[REC_KEY] == ALL else [st.session_state[REC_KEY]]
    frame = _editor_frame(view, rec_ids)
    edited = st.data_editor(
        frame,
        key=editor_key(),
        hide_index=True,
        num_rows="fixed",
        height=420,
        width="stretch",
        disabled=["edited", "recommendation", "criterion", "bundled"],
        column_order=[
            "edited",
            *(["recommendation"] if len(rec_ids) > 1 else []),
            "criterion",
            "bundled",
            "value",
            "low",
            "high",
            "rationale",
        ],
        column_config={
            "edited": st.column_config.TextColumn("✎", width=30, help="✎: an edited score"),
            "recommendation": st.column_config.TextColumn("Recommendation", width=190),
            "criterion": st.column_config.TextColumn("Criterion", width=170),
            "bundled": st.column_config.TextColumn(
                "Bundled", width=75, help="The seed's score [low–high], never changed"
            ),
            "value": st.column_config.NumberColumn("Score", width=72, format="%g"),
            "low": st.column_config.NumberColumn("Low", width=62, format="%g"),
            "high": st.column_config.NumberColumn("High", width=64, format="%g"),
            "rationale": st.column_config.TextColumn("Rationale", width="large"),
        },
    )
    edits = _edits(frame, edited)
    save, discard, note = st.columns([1, 1, 3])
    clicked = save.button(
        f"Save {len(edits)} edit(s)", type="primary", disabled=not edits, key="editing_save"
    )
    discard.button("Discard edits", on_click=_discard, disabled=not edits, key="editing_discard")
    note.caption("Scores and ranges are on the 1–5 scale, low ≤ score ≤ high, with a rationale.")
    if clicked:
        try:
            saved = save_score_edits(view.data.workspace.workspace, view.data.bundled, edits)
        except ValidationError as exc:
            st.session_state[ERRORS_KEY] = list(exc.problems)
        except RecscoreError as exc:  # pragma: no cover - every RecscoreError carries problems
            st.session_state[ERRORS_KEY] = []
            show_failure(exc, "Nothing was saved:")
        else:
            _discard()
            st.session_state["flash"].append(("success", f"Saved {len(saved)} edited score(s)."))
            st.rerun()
    if st.session_state.get(ERRORS_KEY):
        show_problems(
            st.session_state[ERRORS_KEY],
            "Nothing was saved. Fix these and save again (key paths read "
            "recommendation.criterion.part):",
        )


@st.fragment
def _overrides(view: View) -> None:
    catalog, bundled = view.catalog, view.data.bundled
    overrides = view.data.workspace.overrides
    st.subheader(f"Edited scores ({len(overrides)})")
    if not overrides:
        st.caption("No score is edited: every ranking uses the bundled scores.")
        return
    keys = sorted(overrides)
    table = pd.DataFrame(
        [
            {
                "Recommendation": catalog.recommendation(rec_id).title,
                "Criterion": catalog.criterion(cid).name,
                "Bundled": range_text(bundled.recommendation(rec_id).scores[cid]),
                "Edited": range_text(overrides[(rec_id, cid)]),
                "Rationale (edited)": overrides[(rec_id, cid)].rationale,
            }
            for rec_id, cid in keys
        ]
    )
    event = st.dataframe(
        table,
        key="editing_overrides",
        on_select="rerun",
        selection_mode="multi-row",
        hide_index=True,
        width="stretch",
        column_config={
            "Recommendation": st.column_config.TextColumn(width="medium"),
            "Rationale (edited)": st.column_config.TextColumn(width="large"),
        },
    )
    chosen = [keys[row] for row in event.selection.rows]
    revert, revert_all = st.columns([1, 3])
    if revert.button(
        f"Revert {len(chosen)} selected", disabled=not chosen, key="editing_revert_selected"
    ):
        _revert(view, chosen)
    with revert_all.popover("Revert all"):
        st.write(f"Revert all {len(overrides)} edited scores to the bundled ones?")
        if st.button("Revert all", type="primary", key="editing_revert_all"):
            _revert(view, None)


def _revert(view: View, keys: list[tuple[str, str]] | None) -> None:
    try:
        revert_overrides(view.data.workspace.workspace, keys)
    except RecscoreError as exc:
        show_failure(exc, "The edits could not be reverted:")
        return
    count = len(view.data.workspace.overrides) if keys is None else len(keys)
    st.session_state["flash"].append(("success", f"Reverted {count} edited score(s)."))
    st.rerun()


def page() -> None:
    view = current_view()
    st.title("Score editing")
    st.caption(
        f"Edits are saved to {view.data.workspace.workspace.root}/overrides.yaml (the bundled "
        "seeds are never changed), kept across refreshes and restarts, used by every page "
        "and by `recscore rank` (unless `--ignore-overrides`)."
    )
    stop_if_none_shown(view)
    _editor(view)
    st.divider()
    _overrides(view)
