"""The user's workspace: score overrides and saved weight profiles, kept apart from the catalog.

Longer than most modules (about 670 lines): overrides and profiles share the workspace's
lock, its set-aside rule for corrupt files and its merge-on-write, which read best together.

The bundled ``criteria/`` and ``seeds/`` are never written. What users change lives in a
workspace folder (default ``./workspace``, else ``$RECSCORE_WORKSPACE`` or an explicit path)::

    overrides.yaml          schema_version: 1, then overrides: {recommendation: {criterion: score}}
    profiles/<id>.yaml      one saved weight profile per file, the schema of criteria/profiles
    documents/<name>.txt    a user's document and, beside it, <name>.yaml in the seeds' schema
                            (written and read by scoring.intake)
    .lock                   held by whoever writes

Several app sessions may write at once. Every write takes the lock, re-reads the file, applies
only its own change (so two sessions editing different scores both keep their edits), writes
a temporary file and moves it into place with ``os.replace``; a reader never sees half a file.

A file that is corrupt or hand-edited into nonsense is moved aside as ``<name>.corrupt-<time>``,
never deleted, and reported on every load (with the faults the loader finds in it) until the
user repairs or removes it. Edits are validated with the loader's rules (the pydantic
:class:`~scoring.model.Score` and :class:`~scoring.model.WeightProfile` models), so a score
the loader would reject can never be saved.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pydantic
from pydantic import ConfigDict

from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.io import (
    check_schema_version,
    locked,
    not_a_mapping,
    problems_from_pydantic,
    read_yaml,
    unknown_criterion,
    write_yaml_atomically,
)
from scoring.loading import load_profile_file
from scoring.model import ID_PATTERN, SCHEMA_VERSION, Catalog, Score, WeightProfile
from scoring.weights import normalized_weights

__all__ = [
    "DEFAULT_WORKSPACE",
    "EDITOR_SOURCE",
    "ENV_VARIABLE",
    "LOCK_TIMEOUT_SECONDS",
    "OverrideKey",
    "Workspace",
    "WorkspaceState",
    "apply_overrides",
    "delete_profile",
    "drop_overrides",
    "load_workspace",
    "move_aside",
    "plain_number",
    "profile_id_for",
    "read_overrides",
    "rename_profile",
    "require_usable_id",
    "revert_overrides",
    "save_profile",
    "save_score_edits",
    "set_aside_problem",
    "validate_score_edits",
    "write_named_yaml",
    "write_overrides",
]

ENV_VARIABLE = "RECSCORE_WORKSPACE"
DEFAULT_WORKSPACE = Path("workspace")
OVERRIDES_FILE = "overrides.yaml"
PROFILES_DIR = "profiles"
DOCUMENTS_DIR = "documents"
LOCK_FILE = ".lock"
SET_ASIDE_MARK = ".corrupt-"
LOCK_TIMEOUT_SECONDS = 10.0
EDITOR_SOURCE = "score editor"
SCORE_PARTS = ("value", "low", "high", "rationale")

OverrideKey = tuple[str, str]
"""(recommendation id, criterion id): the cell of the score matrix an override replaces."""

RawOverrides = dict[str, dict[str, dict[str, Any]]]


class OverridesFile(pydantic.BaseModel):
    """Schema of ``overrides.yaml``; every score obeys the loader's rules for scores."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int
    overrides: dict[str, dict[str, Score]]

    _version = pydantic.field_validator("schema_version")(check_schema_version)


@dataclass(frozen=True)
class Workspace:
    """Where the user's data lives. Nothing is created until the first write."""

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))  # accept a str as well

    @classmethod
    def locate(cls, explicit: Path | str | None = None) -> Workspace:
        """The workspace named explicitly, else ``$RECSCORE_WORKSPACE``, else ``./workspace``."""
        if explicit:
            return cls(Path(explicit))
        configured = os.environ.get(ENV_VARIABLE)
        return cls(Path(configured) if configured else DEFAULT_WORKSPACE)

    @property
    def overrides_path(self) -> Path:
        return self.root / OVERRIDES_FILE

    @property
    def profiles_dir(self) -> Path:
        return self.root / PROFILES_DIR

    def profile_path(self, profile_id: str) -> Path:
        return self.profiles_dir / f"{profile_id}.yaml"

    @property
    def documents_dir(self) -> Path:
        """The user's documents (``<name>.txt`` + ``<name>.yaml``), see scoring.intake."""
        return self.root / DOCUMENTS_DIR

    def locked(self) -> AbstractContextManager[None]:
        """Hold the workspace's lock for a write (the folder is created if needed).

        Not reentrant: a function documented "under the lock" is called inside it.
        """
        return locked(
            self.root,
            self.root / LOCK_FILE,
            LOCK_TIMEOUT_SECONDS,
            display=_display(self.root),
            unwritable_hint=f"set {ENV_VARIABLE} or --workspace to a writable folder",
        )

    def fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        """Name, size and modification time of every workspace file: a cache key for loads.

        Cheap (a few ``stat`` calls); any write by any session changes it.
        """
        paths = [self.overrides_path]
        for folder in (self.root, self.profiles_dir):
            if folder.is_dir():
                paths += sorted(folder.glob(f"*{SET_ASIDE_MARK}*"))
        if self.profiles_dir.is_dir():
            paths += sorted(self.profiles_dir.glob("*.yaml"))
        if self.documents_dir.is_dir():  # documents, their texts and any set aside
            paths += sorted(p for p in self.documents_dir.iterdir() if p.is_file())
        stamps = []
        for path in paths:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            stamps.append((path.name, stat.st_size, stat.st_mtime_ns))
        return tuple(stamps)


@dataclass(frozen=True)
class WorkspaceState:
    """What a workspace holds once validated against a catalog.

    ``overrides`` are the applicable ones; entries naming a recommendation or criterion the
    catalog does not have stay in the file (they may apply again after a seed is restored)
    but are left out here and reported in ``problems``, which are warnings: the workspace is
    usable whatever they say.
    """

    workspace: Workspace
    overrides: Mapping[OverrideKey, Score] = field(default_factory=dict)
    profiles: Mapping[str, WeightProfile] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def profiles_with(self, catalog: Catalog) -> dict[str, WeightProfile]:
        """The bundled profiles followed by the user's, as ``resolve_weights`` expects."""
        return {**catalog.profiles, **self.profiles}


# --- reading ---------------------------------------------------------------------------------


def load_workspace(workspace: Workspace, catalog: Catalog) -> WorkspaceState:
    """Read and validate the workspace against ``catalog`` (the bundled one, without overrides).

    Never raises for bad content: a corrupt file is moved aside and reported, and the rest of
    the workspace is used. Raises only if a corrupt file cannot be moved (lock timeout).
    """
    problems: list[Problem] = []
    overrides = _applicable_overrides(read_overrides(workspace), catalog, workspace, problems)
    profiles = _read_profiles(workspace, catalog, problems)
    problems += _set_aside_reports(workspace, catalog)
    return WorkspaceState(workspace, overrides, profiles, tuple(problems))


def _display(path: Path) -> str:
    return path.as_posix()


def read_overrides(workspace: Workspace, *, under_lock: bool = False) -> RawOverrides:
    """The overrides file as plain data; a missing file is empty, a corrupt one set aside.

    The set-aside file is reported by :func:`_set_aside_reports` on every load.
    """
    path = workspace.overrides_path
    if not path.exists():
        return {}
    parsed = _parse_overrides(path, [])
    if parsed is not None:
        return parsed
    if under_lock:
        move_aside(path)
        return {}
    with workspace.locked():
        # Another session may have replaced the file since we read it; judge it again.
        parsed = _parse_overrides(path, []) if path.exists() else {}
        if parsed is None:
            move_aside(path)
    return parsed or {}


def _parse_overrides(path: Path, problems: list[Problem]) -> RawOverrides | None:
    """Validated plain data of an overrides file, or None after recording its faults."""
    display = _display(path)
    before = len(problems)
    data = read_yaml(path, display, problems)
    if len(problems) > before:
        return None
    if not isinstance(data, dict):
        problems.append(
            not_a_mapping(
                display,
                data,
                "a mapping with schema_version and overrides",
                "start the file with 'schema_version: 1' and 'overrides:'",
            )
        )
        return None
    try:
        validated = OverridesFile.model_validate(data)
    except pydantic.ValidationError as exc:
        problems += problems_from_pydantic(exc, display, data)
        return None
    return {
        rec_id: {cid: score.model_dump() for cid, score in scores.items()}
        for rec_id, scores in validated.overrides.items()
    }


def _applicable_overrides(
    raw: RawOverrides, catalog: Catalog, workspace: Workspace, problems: list[Problem]
) -> dict[OverrideKey, Score]:
    display = _display(workspace.overrides_path)
    overrides: dict[OverrideKey, Score] = {}
    known_recs = set(catalog.recommendation_ids)
    for rec_id, scores in raw.items():
        if rec_id not in known_recs:
            problems.append(
                Problem(
                    code=Code.UNKNOWN_RECOMMENDATION,
                    file=display,
                    key_path=f"overrides.{rec_id}",
                    expected="the id of a recommendation in the catalog",
                    found=repr(rec_id),
                    hint=(
                        "kept in the file but not applied; revert it or restore the recommendation"
                    ),
                )
            )
            continue
        for cid, fields in scores.items():
            if cid not in catalog.criterion_ids:
                problems.append(
                    unknown_criterion(
                        cid,
                        catalog.criterion_ids,
                        file=display,
                        key_path=f"overrides.{rec_id}.{cid}",
                        hint="kept in the file but not applied; revert it or correct the "
                        "criterion id",
                    )
                )
                continue
            overrides[(rec_id, cid)] = Score.model_validate(fields)
    return overrides


def _read_profiles(
    workspace: Workspace, catalog: Catalog, problems: list[Problem]
) -> dict[str, WeightProfile]:
    profiles: dict[str, WeightProfile] = {}
    if not workspace.profiles_dir.is_dir():
        return profiles
    for path in sorted(workspace.profiles_dir.glob("*.yaml")):
        profile = load_profile_file(path, _display(path), catalog.criterion_ids, [])
        if profile is None:
            with workspace.locked():  # judge it again under the lock before moving it
                exists = path.exists()
                if exists:
                    profile = load_profile_file(path, _display(path), catalog.criterion_ids, [])
                if exists and profile is None:
                    move_aside(path)
            if profile is None:
                continue
        if profile.id in catalog.profiles:
            problems.append(
                Problem(
                    code=Code.DUPLICATE_ID,
                    file=_display(path),
                    key_path="id",
                    expected="an id no bundled profile uses",
                    found=repr(profile.id),
                    hint=f"rename the file and its id; the bundled {profile.id!r} is used instead",
                )
            )
            continue
        profiles[profile.id] = profile
    return profiles


def _set_aside_reports(workspace: Workspace, catalog: Catalog) -> list[Problem]:
    """One report per set-aside file still present, with what is wrong with it now."""
    reports = []
    candidates = []
    if workspace.root.is_dir():
        candidates += sorted(workspace.root.glob(f"{OVERRIDES_FILE}{SET_ASIDE_MARK}*"))
    if workspace.profiles_dir.is_dir():
        candidates += sorted(workspace.profiles_dir.glob(f"*.yaml{SET_ASIDE_MARK}*"))
    for path in candidates:
        original = path.with_name(path.name.split(SET_ASIDE_MARK)[0])
        found: list[Problem] = []
        if original.name == OVERRIDES_FILE:
            _parse_overrides(path, found)
        else:
            load_profile_file(path, _display(path), catalog.criterion_ids, found)
            # A profile's id must match its file's stem; the set-aside name never does.
            found = [p for p in found if not (p.key_path == "id" and p.code == Code.BAD_VALUE)]
        reports.append(set_aside_problem(original, path, found))
    return reports


def set_aside_problem(original: Path, moved: Path, faults: Iterable[Problem]) -> Problem:
    faults = list(faults)
    summary = "; ".join(
        f"{p.key_path + ': ' if p.key_path else ''}expected {p.expected}, found {p.found}"
        for p in faults[:3]
    )
    if len(faults) > 3:
        summary += f"; and {len(faults) - 3} more"
    if not faults:
        summary = "no fault any more"
    return Problem(
        code=Code.SET_ASIDE,
        file=_display(original),
        key_path="",
        expected="a valid workspace file",
        found=f"{summary} (moved to {moved.name}, not deleted)",
        hint=f"repair {moved.name} and rename it back to {original.name}, or delete it",
    )


# --- writing ---------------------------------------------------------------------------------


def move_aside(path: Path) -> Path:
    """Rename ``path`` to an unused ``<name>.corrupt-<UTC time>``; never delete it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}{SET_ASIDE_MARK}{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}{SET_ASIDE_MARK}{stamp}-{counter}")
    os.replace(path, target)
    return target


def require_usable_id(item_id: str, name: str, source: str, *, example: str) -> None:
    """Raise InputError if the id derived from a user's ``name`` is empty or not a valid id."""
    if not item_id or not re.match(ID_PATTERN, item_id):
        raise InputError(
            Code.BAD_VALUE,
            source,
            "name",
            "a name with at least one letter or digit",
            repr(name),
            f"type a short name, e.g. {example}",
        )


def write_named_yaml(
    workspace: Workspace,
    path: Path,
    data: Mapping[str, Any],
    source: str,
    name: str,
    *,
    kind: str,
    replace: bool,
) -> None:
    """Under the lock, write a saved ``kind`` unless one exists and ``replace`` is False."""
    with workspace.locked():
        if path.exists() and not replace:
            raise InputError(
                Code.DUPLICATE_ID,
                source,
                "name",
                f"a name no saved {kind} uses",
                repr(name),
                f"choose another name or replace the saved {kind}",
            )
        write_yaml_atomically(path, data)


def _update_overrides(workspace: Workspace, change: Callable[[RawOverrides], None]) -> None:
    """Lock, re-read, apply ``change`` to the current content, write atomically."""
    with workspace.locked():
        current = read_overrides(workspace, under_lock=True)
        change(current)
        write_overrides(workspace, current)


def write_overrides(workspace: Workspace, overrides: RawOverrides) -> None:
    """Under the lock: write ``overrides`` by recommendation id, leaving out those with none."""
    ordered = {rec_id: overrides[rec_id] for rec_id in sorted(overrides) if overrides[rec_id]}
    write_yaml_atomically(
        workspace.overrides_path, {"schema_version": SCHEMA_VERSION, "overrides": ordered}
    )


def drop_overrides(workspace: Workspace, rec_ids: Iterable[str]) -> None:
    """Under the lock: remove every override of the recommendations ``rec_ids``."""
    gone = set(rec_ids)
    overrides = read_overrides(workspace, under_lock=True)
    if gone & set(overrides):
        write_overrides(workspace, {k: v for k, v in overrides.items() if k not in gone})


def plain_number(value: Any) -> Any:
    """numpy scalars from a table editor become Python numbers; NaN (an empty cell) None."""
    if hasattr(value, "item") and callable(value.item):
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN
        return None
    return value


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

    _update_overrides(workspace, merge)
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

    _update_overrides(workspace, drop)


def apply_overrides(catalog: Catalog, overrides: Mapping[OverrideKey, Score]) -> Catalog:
    """A new catalog whose scores are the bundled ones with ``overrides`` put in their place.

    ``overrides`` must name known recommendations and criteria (as ``load_workspace`` gives).
    """
    if not overrides:
        return catalog
    by_rec: dict[str, dict[str, Score]] = {}
    for (rec_id, criterion_id), score in overrides.items():
        by_rec.setdefault(rec_id, {})[criterion_id] = score
    recommendations = tuple(
        rec.model_copy(update={"scores": {**rec.scores, **by_rec[rec.id]}})
        if rec.id in by_rec
        else rec
        for rec in catalog.recommendations
    )
    return catalog.with_recommendations(recommendations)


# --- profiles --------------------------------------------------------------------------------

_NOT_ID_CHARACTERS = re.compile(r"[^a-z0-9]+")


def profile_id_for(name: str) -> str:
    """The file-safe id of a profile name: ``"Alice's view"`` -> ``"alice_s_view"``."""
    return _NOT_ID_CHARACTERS.sub("_", name.strip().lower()).strip("_")


def save_profile(
    workspace: Workspace,
    catalog: Catalog,
    name: str,
    weights: Mapping[str, float],
    description: str = "",
    *,
    replace: bool = False,
) -> WeightProfile:
    """Save ``weights`` as a user profile named ``name``; return it.

    The id is derived from the name. Raises InputError if the name gives no usable id, the
    id is a bundled profile's, or a user profile has it and ``replace`` is False; raises
    ValidationError for unusable weights. Criteria missing from ``weights`` get weight 0.
    """
    source = "profile name"
    profile_id = profile_id_for(name)
    require_usable_id(profile_id, name, source, example="Alice's view")
    if profile_id in catalog.profiles:
        raise InputError(
            Code.DUPLICATE_ID,
            source,
            "name",
            "a name no bundled profile uses",
            repr(name),
            "choose another name; bundled profiles cannot be replaced",
        )
    normalized_weights(weights, catalog.criterion_ids, source="weights")
    full = {cid: float(weights.get(cid, 0.0)) for cid in catalog.criterion_ids}
    profile = WeightProfile(
        id=profile_id,
        name=name.strip(),
        description=description.strip() or _default_description(),
        weights=full,
    )
    path = workspace.profile_path(profile_id)
    write_named_yaml(
        workspace, path, profile.model_dump(), source, name, kind="profile", replace=replace
    )
    return profile


def _default_description() -> str:
    return f"Saved from the dashboard on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC."


def rename_profile(
    workspace: Workspace, catalog: Catalog, profile_id: str, new_name: str
) -> WeightProfile:
    """Give a saved profile a new display name; its id (and so shared links) stays the same."""
    if not new_name.strip():
        raise InputError(
            Code.BAD_VALUE, "profile name", "name", "a non-empty name", repr(new_name), ""
        )
    path = workspace.profile_path(profile_id)
    with workspace.locked():
        problems: list[Problem] = []
        if not path.exists():
            raise _unknown_profile(workspace, profile_id)
        profile = load_profile_file(path, _display(path), catalog.criterion_ids, problems)
        if profile is None:
            raise ValidationError(problems)
        renamed = profile.model_copy(update={"name": new_name.strip()})
        write_yaml_atomically(path, renamed.model_dump())
    return renamed


def delete_profile(workspace: Workspace, profile_id: str) -> None:
    """Delete a saved profile at the user's request (bundled profiles are not in the workspace)."""
    path = workspace.profile_path(profile_id)
    with workspace.locked():
        if not path.exists():
            raise _unknown_profile(workspace, profile_id)
        path.unlink()


def _unknown_profile(workspace: Workspace, profile_id: str) -> InputError:
    return InputError(
        Code.UNKNOWN_PROFILE,
        _display(workspace.profiles_dir),
        profile_id,
        "a saved profile",
        repr(profile_id),
        "it may have been deleted in another session; reload the page",
        in_file=True,
    )
