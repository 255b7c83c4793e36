"""The reviewer's accept/split decisions on proposed merges, kept in the workspace, undoable.

A proposed merge (:mod:`scoring.intake.duplicates_across`) is named by what it holds, not by
its position: :func:`merge_identity` hashes its members' document names and quotes, so a
decision made on one reading of a folder applies again when the same documents are read
again, and a decision on another batch's merge is left alone.

Decisions are a log (``merge_decisions.json`` in the workspace): each accept, split or undo
appends to or removes from it under the workspace lock, and the file is replaced atomically,
so a reader sees the old log or the new one. The current decision on a merge is its last
entry; :func:`undo` removes the batch's last entry, restoring the one before it (or pending).
The file is JSON rather than YAML because it is machine-written only and never edited by hand.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, get_args

from scoring.errors import Code, InputError
from scoring.intake.batch import Batch, Decision, decide
from scoring.intake.duplicates_across import ProposedMerge
from scoring.io import write_bytes_atomically
from scoring.workspace import Workspace

__all__ = [
    "DECISIONS_FILE",
    "DecisionEntry",
    "DecisionLog",
    "load_decisions",
    "merge_identity",
    "record_decision",
    "restore_decisions",
    "undo_decision",
]

DECISIONS_FILE = "merge_decisions.json"
SCHEMA_VERSION = 1
# The log keeps the newest entries only: a decision older than this many later ones is
# still in force only if re-made; 2,000 entries are about 1 MB of JSON.
MAX_ENTRIES = 2000
_MAX_BYTES = 8 * 2**20  # a larger file is not ours: refused before json.loads


@dataclass(frozen=True)
class DecisionEntry:
    """One decision: the merge's identity, the decision, and its members (document, quote)
    so that a reader of the file sees what was merged."""

    merge: str
    decision: Decision
    members: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class DecisionLog:
    entries: tuple[DecisionEntry, ...] = ()

    def current(self) -> dict[str, Decision]:
        """The last decision on each merge."""
        return {entry.merge: entry.decision for entry in self.entries}


def _members(merge: ProposedMerge) -> tuple[tuple[str, str], ...]:
    # A batch's passages name their document "<index>:<name>"; the index is the batch's
    # business, the name and the quote are what the merge is.
    return tuple(sorted((p.document.split(":", 1)[-1], p.text) for p in merge.members))


def merge_identity(merge: ProposedMerge) -> str:
    """16 hex digits of the SHA-256 of the members' (document name, quote), order-free."""
    digest = hashlib.sha256(json.dumps(_members(merge), ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:16]


def _path(workspace: Workspace) -> str:
    return str(workspace.root / DECISIONS_FILE)


def _bad_file(workspace: Workspace, found: str) -> InputError:
    return InputError(
        Code.BAD_VALUE,
        _path(workspace),
        "entries",
        f"the merge decisions this program writes (schema {SCHEMA_VERSION})",
        found,
        f"move {DECISIONS_FILE} out of the workspace: it holds only accept/split decisions "
        "on proposed merges, which are then asked again",
        in_file=True,
    )


def load_decisions(workspace: Workspace) -> DecisionLog:
    """The workspace's decision log (empty if there is none). A read never changes the file;
    a file that is not a log raises InputError naming it."""
    path = workspace.root / DECISIONS_FILE
    try:
        if not path.is_file():
            return DecisionLog()
        if path.stat().st_size > _MAX_BYTES:
            raise _bad_file(workspace, f"{path.stat().st_size:,} bytes")
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad_file(workspace, type(exc).__name__) from None
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        raise _bad_file(workspace, "another schema")
    entries = []
    decisions = set(get_args(Decision))
    for item in data.get("entries", []):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("merge"), str)
            or item.get("decision") not in decisions
        ):
            raise _bad_file(workspace, "an entry without merge and decision")
        members = tuple(
            (str(m[0]), str(m[1]))
            for m in item.get("members", [])
            if isinstance(m, list) and len(m) == 2
        )
        entries.append(DecisionEntry(item["merge"], item["decision"], members))
    return DecisionLog(tuple(entries))


def _write(workspace: Workspace, log: DecisionLog) -> None:
    """Under the lock: replace the log file atomically."""
    data = {
        "schema_version": SCHEMA_VERSION,
        "entries": [
            {"merge": e.merge, "decision": e.decision, "members": [list(m) for m in e.members]}
            for e in log.entries[-MAX_ENTRIES:]
        ],
    }
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    try:
        write_bytes_atomically(workspace.root / DECISIONS_FILE, text.encode("utf-8"))
    except OSError as exc:
        raise InputError(
            Code.OUTPUT_UNWRITABLE,
            _path(workspace),
            "",
            "a writable workspace",
            type(exc).__name__,
            "check the workspace folder's permissions and free space, then decide again",
            in_file=True,
        ) from None


def restore_decisions(batch: Batch, log: DecisionLog) -> Batch:
    """``batch`` with the logged decision of each of its merges that was decided before."""
    current = log.current()
    for index, merge in enumerate(batch.merges):
        decision = current.get(merge_identity(merge))
        if decision is not None:
            batch = decide(batch, index, decision)
    return batch


def record_decision(workspace: Workspace, batch: Batch, index: int, decision: Decision) -> Batch:
    """Accept or split merge ``index`` of ``batch`` and log it in the workspace."""
    batch = decide(batch, index, decision)  # refuses a bad index before anything is written
    merge = batch.merges[index]
    with workspace.locked():
        log = load_decisions(workspace)
        entry = DecisionEntry(merge_identity(merge), decision, _members(merge))
        _write(workspace, DecisionLog((*log.entries, entry)))
    return batch


def undo_decision(workspace: Workspace, batch: Batch) -> tuple[Batch, int | None]:
    """Undo the last logged decision on one of ``batch``'s merges: the merge goes back to its
    decision before (or pending). Returns the batch and the merge's index (None: nothing to
    undo)."""
    identities = {merge_identity(m): i for i, m in enumerate(batch.merges)}
    with workspace.locked():
        log = load_decisions(workspace)
        last = next(
            (n for n in range(len(log.entries) - 1, -1, -1) if log.entries[n].merge in identities),
            None,
        )
        if last is None:
            return batch, None
        kept = DecisionLog(log.entries[:last] + log.entries[last + 1 :])
        _write(workspace, kept)
    identity = log.entries[last].merge
    index = identities[identity]
    return decide(batch, index, kept.current().get(identity, "pending")), index
