"""Removing an added document and its recommendations everywhere (overrides, saved sets)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scoring.errors import Code, InputError
from scoring.intake.storage import USER_PREFIX, drop_everywhere, raw_recommendation_ids
from scoring.option_sets import user_sets_holding
from scoring.workspace import (
    OverrideKey,
    Workspace,
    read_overrides,
)

__all__ = ["Removal", "plan_removal", "remove_document"]


@dataclass(frozen=True)
class Removal:
    """What removing a document takes away (or took away)."""

    document: str
    recommendation_ids: tuple[str, ...]
    overrides: tuple[OverrideKey, ...]
    sets_changed: tuple[str, ...]  # saved option sets that lose members
    sets_deleted: tuple[str, ...]  # saved option sets left with no member

    def summary(self) -> str:
        parts = [f"{len(self.recommendation_ids)} recommendation(s)"]
        if self.overrides:
            parts.append(f"{len(self.overrides)} score override(s)")
        if self.sets_changed:
            parts.append(f"their places in saved set(s) {', '.join(self.sets_changed)}")
        if self.sets_deleted:
            parts.append(f"saved set(s) {', '.join(self.sets_deleted)}, which hold nothing else")
        return ", ".join(parts)


def plan_removal(workspace: Workspace, name: str) -> Removal:
    """What :func:`remove_document` would take away; nothing is changed."""
    return _removal(workspace, name, apply=False)


def remove_document(workspace: Workspace, name: str) -> Removal:
    """Delete a user document (``<name>.txt`` or its stem) with everything about its
    recommendations: score overrides and memberships of saved option sets (a set left empty
    is deleted). Bundled documents are never touched. Returns what was removed."""
    return _removal(workspace, name, apply=True)


def _removal(workspace: Workspace, name: str, *, apply: bool) -> Removal:
    stem = Path(name).stem if name.endswith(".txt") else name
    yaml_path = workspace.documents_dir / f"{stem}.yaml"

    def missing(hint: str) -> InputError:
        where = workspace.documents_dir.as_posix()
        return InputError(
            Code.FILE_MISSING,
            where,
            stem,
            "a document added to the workspace",
            repr(name),
            hint,
            in_file=True,
        )

    if not stem.startswith(USER_PREFIX) or "/" in stem or not yaml_path.exists():
        raise missing("it may have been removed in another session; reload the page")
    if not apply:
        return _plan(workspace, stem, raw_recommendation_ids(yaml_path), under_lock=False)
    with workspace.locked():
        if not yaml_path.exists():  # checked again under the lock
            raise missing("it was removed in another session")
        ids = raw_recommendation_ids(yaml_path)
        plan = _plan(workspace, stem, ids, under_lock=True)
        yaml_path.unlink()  # the document disappears first; its text follows
        yaml_path.with_suffix(".txt").unlink(missing_ok=True)
        drop_everywhere(workspace, ids)
    return plan


def _plan(workspace: Workspace, stem: str, ids: set[str], *, under_lock: bool) -> Removal:
    overrides = read_overrides(workspace, under_lock=under_lock) if ids else {}
    override_keys = tuple(
        (rec_id, cid) for rec_id in sorted(ids) for cid in sorted(overrides.get(rec_id, {}))
    )
    changed, deleted = user_sets_holding(workspace, ids)
    return Removal(f"{stem}.txt", tuple(sorted(ids)), override_keys, changed, deleted)
