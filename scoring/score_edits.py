"""Score edits: validating a user's edited scores and merging them into the workspace's overrides.

Edits are validated with the loader's rules (the pydantic :class:`~scoring.model.Score`), so
a score the loader would reject can never be saved; the merge takes the workspace's lock and
keeps other sessions' overrides (:func:`scoring.workspace.update_overrides`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pydantic

from scoring.errors import Code, Problem, ValidationError
from scoring.io import problems_from_pydantic, unknown_criterion
from scoring.model import Catalog, Score
from scoring.workspace import (
    EDITOR_SOURCE,
    SCORE_PARTS,
    OverrideKey,
    RawOverrides,
    Workspace,
    plain_number,
    update_overrides,
)

__all__ = ["revert_overrides", "save_score_edits", "validate_score_edits"]


def validate_score_edits(
    catalog: Catalog,
    edits: Mapping[OverrideKey, Mapping[str, Any]],
    source: str = EDITOR_SOURCE,
) -> dict[OverrideKey, Score]:
    """Validate edited scores with the loader's rules; raise one ValidationError listing all.

    Each edit gives ``value``, ``low``, ``high`` and ``rationale`` for one (recommendation,
    criterion) cell. Key paths read ``<recommendation>.<criterion>.<part>``.
    """
    problems: list[Problem] = []
    scores: dict[OverrideKey, Score] = {}
    for (rec_id, criterion_id), fields in edits.items():
        if rec_id not in catalog.recommendation_ids:
            problems.append(
                Problem(
                    code=Code.UNKNOWN_RECOMMENDATION,
                    where=source,
                    key_path=rec_id,
                    expected="the id of a recommendation in the catalog",
                    found=repr(rec_id),
                    hint="pick a recommendation from the table",
                )
            )
            continue
        if criterion_id not in catalog.criterion_ids:
            problems.append(
                unknown_criterion(
                    criterion_id,
                    catalog.criterion_ids,
                    where=source,
                    key_path=f"{rec_id}.{criterion_id}",
                    hint="pick a criterion from the table",
                )
            )
            continue
        data = {part: plain_number(fields.get(part)) for part in SCORE_PARTS}
        try:
            scores[(rec_id, criterion_id)] = Score.model_validate(data)
        except pydantic.ValidationError as exc:
            problems += problems_from_pydantic(exc, source, data, (rec_id, criterion_id))
    if problems:
        raise ValidationError(problems)
    return scores


def save_score_edits(
    workspace: Workspace,
    catalog: Catalog,
    edits: Mapping[OverrideKey, Mapping[str, Any]],
) -> dict[OverrideKey, Score]:
    """Validate ``edits`` and merge them into the workspace; nothing is written if one fails.

    ``catalog`` is the bundled catalog: an edit equal to the bundled score removes the
    override instead of storing a copy. Other sessions' overrides are kept. Returns the
    validated scores.
    """
    scores = validate_score_edits(catalog, edits)
    bundled = {key: catalog.recommendation(key[0]).scores[key[1]] for key in scores}

    def merge(current: RawOverrides) -> None:
        for (rec_id, criterion_id), score in scores.items():
            cells = current.setdefault(rec_id, {})
            if score == bundled[(rec_id, criterion_id)]:
                cells.pop(criterion_id, None)
            else:
                cells[criterion_id] = score.model_dump()

    update_overrides(workspace, merge)
    return scores


def revert_overrides(workspace: Workspace, keys: Iterable[OverrideKey] | None = None) -> None:
    """Drop the overrides of ``keys`` (all of them if None); other overrides are kept."""
    chosen = None if keys is None else set(keys)
    if chosen is not None and not chosen:
        return
    if chosen is None and not workspace.overrides_path.exists():
        return

    def drop(current: RawOverrides) -> None:
        if chosen is None:
            current.clear()
            return
        for rec_id, criterion_id in chosen:
            current.get(rec_id, {}).pop(criterion_id, None)

    update_overrides(workspace, drop)
