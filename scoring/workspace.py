"""The user's workspace: its folder, lock, reading, set-aside rule and atomic writes.

Score edits (:mod:`scoring.score_edits`) and saved profiles (:mod:`scoring.saved_profiles`)
are written through this module's lock and merge-on-write; :func:`load_workspace` reads both
back. About 620 lines: reading and writing share the lock and the set-aside rule for corrupt
files, which read best together.

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

import copy
import dataclasses
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pydantic

from scoring.errors import Code, InputError, Problem
from scoring.io import (
    locked,
    problems_from_pydantic,
    read_yaml,
    short_repr,
    short_text,
    unknown_criterion,
    write_failure,
    write_yaml_atomically,
)
from scoring.loading import load_profile_file
from scoring.model import ID_PATTERN, SCHEMA_VERSION, Catalog, Score, WeightProfile

__all__ = [
    "DEFAULT_WORKSPACE",
    "EDITOR_SOURCE",
    "ENV_VARIABLE",
    "LOCK_TIMEOUT_SECONDS",
    "OverrideKey",
    "Workspace",
    "WorkspaceState",
    "apply_overrides",
    "display_path",
    "drop_overrides",
    "load_workspace",
    "move_aside",
    "plain_number",
    "read_overrides",
    "require_usable_id",
    "set_aside_problem",
    "slug",
    "update_overrides",
    "write_named_yaml",
    "write_overrides",
    "writing",
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
        """The file of a saved profile; an id that is not a plain id is refused."""
        return self.named_path(self.profiles_dir, profile_id, "profile")

    def named_path(self, folder: Path, item_id: str, kind: str) -> Path:
        """``folder/<item_id>.yaml``, only for an id of ``ID_PATTERN`` (no ``/``, no ``..``).

        The engine's own guard, whatever the front checked: an id can never name a file
        outside ``folder``.
        """
        if not isinstance(item_id, str) or not re.fullmatch(ID_PATTERN, item_id):
            raise InputError(
                Code.BAD_VALUE,
                display_path(folder),
                "id",
                f"a saved {kind}'s id: lower-case letters, digits, '-' and '_'",
                short_repr(item_id),
                f"use the id shown in the list of saved {kind}s",
                in_file=True,
            )
        path = folder / f"{item_id}.yaml"
        if path.resolve().parent != folder.resolve():  # a symlinked folder still confines
            raise InputError(
                Code.BAD_VALUE,
                display_path(folder),
                "id",
                f"a file inside {display_path(folder)}",
                display_path(path.resolve()),
                "remove the link that points outside the workspace",
                in_file=True,
            )
        return path

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
            display=display_path(self.root),
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

    Read-only: never moves, locks or rewrites anything, so a colleague's read of a shared
    workspace cannot disturb it. Never raises for bad content: a bad override cell is
    reported and skipped (the others apply), a corrupt file is reported and left out until
    the next save sets it aside.
    """
    problems: list[Problem] = []
    raw = _read_overrides_reporting(workspace, problems)
    overrides = _applicable_overrides(raw, catalog, workspace, problems)
    profiles = _read_profiles(workspace, catalog, problems)
    problems += _set_aside_reports(workspace)
    return WorkspaceState(workspace, overrides, profiles, tuple(problems))


def display_path(path: Path) -> str:
    """A path as problems name it (forward slashes on every system)."""
    return path.as_posix()


def read_overrides(workspace: Workspace, *, under_lock: bool = False) -> RawOverrides:
    """The overrides file as plain data, cell by cell as written (bad cells included).

    A missing file is empty. A file that is corrupt as a whole reads as empty; only a caller
    about to write (``under_lock=True``, holding the lock) moves it aside, once, so the write
    starts a fresh file and the corrupt one is kept, never deleted.
    """
    path = workspace.overrides_path
    if not path.exists():
        return {}
    parsed = _parse_overrides(path, [])
    if parsed is None and under_lock:
        move_aside(path)
    return parsed or {}


def _read_overrides_reporting(workspace: Workspace, problems: list[Problem]) -> RawOverrides:
    path = workspace.overrides_path
    if not path.exists():
        return {}
    faults: list[Problem] = []
    parsed = _parse_overrides(path, faults)
    problems += [
        dataclasses.replace(
            fault,
            hint=f"{fault.hint + '; ' if fault.hint else ''}until then none of its overrides "
            f"apply, and the next save sets it aside as {path.name}{SET_ASIDE_MARK}<time>",
        )
        for fault in faults
    ]
    return parsed or {}


# Parsed overrides files by (path, size, modification time): a file is parsed once per change,
# however often a front reloads the workspace. Results are never mutated by callers (copied).
_PARSED: dict[tuple[str, int, int], tuple[RawOverrides | None, tuple[Problem, ...]]] = {}
_PARSED_KEEP = 16


def _parse_overrides(path: Path, problems: list[Problem]) -> RawOverrides | None:
    """Plain data of an overrides file, or None after recording why the file is unusable.

    Only the frame is judged here (YAML, ``schema_version``, a mapping of recommendations to
    mappings of criteria); each cell is judged on its own by :func:`_valid_score`.
    """
    try:
        stat = path.stat()
    except OSError:
        stat = None
    key = (str(path), stat.st_size, stat.st_mtime_ns) if stat else None
    if key is not None and key in _PARSED:
        parsed, found = _PARSED[key]
    else:
        faults: list[Problem] = []
        parsed = _parse_overrides_frame(path, faults)
        found = tuple(faults)
        if key is not None:
            if len(_PARSED) >= _PARSED_KEEP:
                _PARSED.clear()
            _PARSED[key] = (parsed, found)
    problems += found
    return copy.deepcopy(parsed)


def _parse_overrides_frame(path: Path, problems: list[Problem]) -> RawOverrides | None:
    display = display_path(path)
    before = len(problems)
    data = read_yaml(path, display, problems)
    if len(problems) > before:
        return None
    hint = "start the file with 'schema_version: 1' and 'overrides:'"

    def fault(where: str, expected: str, value: Any, code: Code = Code.WRONG_TYPE) -> None:
        found = "nothing" if value is _ABSENT else f"{type(value).__name__} {short_repr(value)}"
        problems.append(
            Problem(
                code=code, file=display, key_path=where, expected=expected, found=found, hint=hint
            )
        )

    if not isinstance(data, dict):
        fault("", "a mapping with schema_version and overrides", data)
        return None
    for extra in sorted(set(map(str, data)) - {"schema_version", "overrides"}):
        fault(extra, "only schema_version and overrides", data[extra], Code.UNKNOWN_KEY)
    version = data.get("schema_version", _ABSENT)
    if version != SCHEMA_VERSION or isinstance(version, bool):
        code = Code.MISSING_KEY if version is _ABSENT else Code.SCHEMA_VERSION
        fault("schema_version", f"schema_version {SCHEMA_VERSION}", version, code)
    overrides = data.get("overrides", _ABSENT)
    if not isinstance(overrides, dict):
        code = Code.MISSING_KEY if overrides is _ABSENT else Code.WRONG_TYPE
        fault("overrides", "a mapping of recommendation ids to criteria", overrides, code)
    if len(problems) > before:
        return None
    assert isinstance(overrides, dict)
    raw: RawOverrides = {}
    for rec_id, cells in overrides.items():
        if not isinstance(rec_id, str) or not isinstance(cells, dict):
            fault(
                f"overrides.{short_text(str(rec_id), 60)}",
                "a recommendation id mapped to {criterion: score}",
                cells,
            )
            continue
        raw[rec_id] = {str(cid): cell for cid, cell in cells.items()}
    return None if len(problems) > before else raw


_ABSENT: Any = object()


def _valid_score(
    fields: Any, display: str, rec_id: str, cid: str, problems: list[Problem]
) -> Score | None:
    """One cell as a Score, or None after reporting why it is skipped."""
    try:
        return Score.model_validate(fields)
    except pydantic.ValidationError as exc:
        data = {"overrides": {rec_id: {cid: fields}}}
        for problem in problems_from_pydantic(exc, display, data, ("overrides", rec_id, cid)):
            problems.append(
                dataclasses.replace(
                    problem,
                    hint=f"{problem.hint}; this cell is skipped, the others apply (edit it in "
                    "the score editor, or revert it)",
                )
            )
        return None


def _applicable_overrides(
    raw: RawOverrides, catalog: Catalog, workspace: Workspace, problems: list[Problem]
) -> dict[OverrideKey, Score]:
    display = display_path(workspace.overrides_path)
    overrides: dict[OverrideKey, Score] = {}
    known_recs = set(catalog.recommendation_ids)
    for rec_id, scores in raw.items():
        if rec_id not in known_recs:
            problems.append(
                Problem(
                    code=Code.UNKNOWN_RECOMMENDATION,
                    file=display,
                    key_path=f"overrides.{short_text(rec_id, 60)}",
                    expected="the id of a recommendation in the catalog",
                    found=short_repr(rec_id),
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
                        short_text(cid, 60),
                        catalog.criterion_ids,
                        file=display,
                        key_path=f"overrides.{rec_id}.{short_text(cid, 60)}",
                        hint="kept in the file but not applied; revert it or correct the "
                        "criterion id",
                    )
                )
                continue
            score = _valid_score(fields, display, rec_id, cid, problems)
            if score is not None:
                overrides[(rec_id, cid)] = score
    return overrides


def _read_profiles(
    workspace: Workspace, catalog: Catalog, problems: list[Problem]
) -> dict[str, WeightProfile]:
    """Every valid saved profile; a bad one is reported and skipped, never moved (read-only)."""
    profiles: dict[str, WeightProfile] = {}
    if not workspace.profiles_dir.is_dir():
        return profiles
    for path in sorted(workspace.profiles_dir.glob("*.yaml")):
        faults: list[Problem] = []
        profile = load_profile_file(path, display_path(path), catalog.criterion_ids, faults)
        if profile is None:
            problems += [
                dataclasses.replace(
                    fault,
                    hint=f"{fault.hint + '; ' if fault.hint else ''}the profile is left out "
                    f"until {path.name} is repaired or deleted",
                )
                for fault in faults
            ]
            continue
        if profile.id in catalog.profiles:
            problems.append(
                Problem(
                    code=Code.DUPLICATE_ID,
                    file=display_path(path),
                    key_path="id",
                    expected="an id no bundled profile uses",
                    found=repr(profile.id),
                    hint=f"rename the file and its id; the bundled {profile.id!r} is used instead",
                )
            )
            continue
        profiles[profile.id] = profile
    return profiles


def _set_aside_reports(workspace: Workspace) -> list[Problem]:
    """One report per set-aside file still present; the file is not parsed again."""
    candidates = []
    if workspace.root.is_dir():
        candidates += sorted(workspace.root.glob(f"{OVERRIDES_FILE}{SET_ASIDE_MARK}*"))
    if workspace.profiles_dir.is_dir():
        candidates += sorted(workspace.profiles_dir.glob(f"*.yaml{SET_ASIDE_MARK}*"))
    return [
        set_aside_problem(path.with_name(path.name.split(SET_ASIDE_MARK)[0]), path, ())
        for path in candidates
    ]


def set_aside_problem(original: Path, moved: Path, faults: Iterable[Problem]) -> Problem:
    faults = list(faults)
    summary = "; ".join(
        f"{p.key_path + ': ' if p.key_path else ''}expected {p.expected}, found {p.found}"
        for p in faults[:3]
    )
    if len(faults) > 3:
        summary += f"; and {len(faults) - 3} more"
    found = (
        f"{summary} (moved to {moved.name}, not deleted)"
        if faults
        else (f"a file set aside as corrupt (moved to {moved.name}, not deleted)")
    )
    return Problem(
        code=Code.SET_ASIDE,
        file=display_path(original),
        key_path="",
        expected="a valid workspace file",
        found=found,
        hint=f"copy what you still need from {moved.name} by hand (renaming it back would "
        f"replace the newer {original.name}), then delete {moved.name}",
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
    with writing(path):
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
        with writing(path):
            write_yaml_atomically(path, data)


def update_overrides(workspace: Workspace, change: Callable[[RawOverrides], None]) -> None:
    """Lock, re-read, apply ``change`` to the current content, write atomically."""
    with workspace.locked():
        current = read_overrides(workspace, under_lock=True)
        change(current)
        write_overrides(workspace, current)


def write_overrides(workspace: Workspace, overrides: RawOverrides) -> None:
    """Under the lock: write ``overrides`` by recommendation id, leaving out those with none."""
    ordered = {rec_id: overrides[rec_id] for rec_id in sorted(overrides) if overrides[rec_id]}
    with writing(workspace.overrides_path):
        write_yaml_atomically(
            workspace.overrides_path, {"schema_version": SCHEMA_VERSION, "overrides": ordered}
        )


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Report an OSError while writing ``path`` as a typed error with the path and a fix.

    The writes are atomic (:func:`~scoring.io.write_bytes_atomically`), so a failed one
    leaves the old file whole.
    """
    try:
        yield
    except OSError as exc:
        raise write_failure(path, exc) from None


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


# --- ids -------------------------------------------------------------------------------------

_NOT_ID_CHARACTERS = re.compile(r"[^a-z0-9]+")


def slug(name: str, separator: str, prefix: str) -> str:
    """An id of ``ID_PATTERN`` for a display name in any script (see
    :func:`scoring.saved_profiles.profile_id_for`)."""
    folded = unicodedata.normalize("NFKD", name.strip().lower())
    ascii_only = folded.encode("ascii", "ignore").decode("ascii")
    found = _NOT_ID_CHARACTERS.sub(separator, ascii_only).strip(separator)
    if found or not any(ch.isalnum() for ch in name):  # punctuation alone names nothing
        return found
    digest = hashlib.blake2s(name.strip().encode("utf-8"), digest_size=4).hexdigest()
    return f"{prefix}{separator}{digest}"
