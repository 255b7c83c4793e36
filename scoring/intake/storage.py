"""Added documents in the workspace (documents/<name>.txt and .yaml): writing and reading."""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.intake.ingest import DEFAULT_MAX_BYTES
from scoring.intake.review import Draft, Review, instrument_problem, review_scores, shortened
from scoring.intake.suggestions import SUGGESTION_MARK, Suggestion, SuggestionRules, is_suggested
from scoring.io import read_yaml, write_yaml_atomically
from scoring.loading import load_document_files
from scoring.model import (
    ADDRESSEES,
    SCHEMA_VERSION,
    UNKNOWN,
    Catalog,
    CriteriaFile,
    Recommendation,
    Score,
    SourceDocument,
)
from scoring.option_sets import drop_members
from scoring.text import find_span
from scoring.workspace import (
    SET_ASIDE_MARK,
    Workspace,
    WorkspaceState,
    drop_overrides,
    load_workspace,
    move_aside,
    set_aside_problem,
)

__all__ = [
    "MAX_BYTES_VARIABLE",
    "USER_PREFIX",
    "StoredDocument",
    "UserDocuments",
    "criteria_file_of",
    "document_stem",
    "drop_everywhere",
    "load_documents",
    "load_with_documents",
    "max_document_bytes",
    "merge_documents",
    "raw_recommendation_ids",
    "store_document",
    "stored_copy",
    "user_documents",
]

USER_PREFIX = "user-"

MAX_BYTES_VARIABLE = "RECSCORE_MAX_DOCUMENT_MB"


def max_document_bytes() -> int:
    """The upload size limit: ``$RECSCORE_MAX_DOCUMENT_MB`` megabytes, else 20 MB."""
    configured = os.environ.get(MAX_BYTES_VARIABLE, "").strip()
    try:
        megabytes = float(configured) if configured else 0.0
    except ValueError:
        megabytes = 0.0
    usable = math.isfinite(megabytes) and 0 < megabytes <= 100_000  # nan, inf, -1: default
    return int(megabytes * 2**20) if usable else DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class StoredDocument:
    """What :func:`store_document` wrote: the document as the loader reads it back."""

    document: SourceDocument
    recommendations: tuple[Recommendation, ...]
    suggested_cells: int  # scores still marked as suggestions
    replaced: bool


def store_document(
    workspace: Workspace, catalog: Catalog, review: Review, *, replace_existing: bool = False
) -> StoredDocument:
    """Write the accepted drafts and their scores into the workspace; return what was stored.

    ``catalog`` is the catalog the document joins (bundled plus the workspace's documents).
    Everything is validated before a byte reaches the documents folder: the drafts (an
    instrument must be chosen), recommendation ids against the catalog's, and then both files
    by the loader, exactly as a seed. Raises ValidationError listing every fault, InputError if
    nothing is accepted or the document is already stored (unless ``replace_existing``).
    """
    accepted = review.accepted
    if not accepted:
        raise InputError(
            Code.EMPTY_SELECTION,
            review.document.name,
            "recommendations",
            "at least one accepted candidate",
            "none accepted",
            "accept the candidates that are recommendations, then save",
            in_file=True,
        )
    name = document_stem(review)
    problems = [
        instrument_problem(review.label(d), d.instrument, catalog)
        for d in accepted
        if d.instrument not in catalog.instruments
    ]
    if problems:
        raise ValidationError(problems)
    rules = SuggestionRules.from_catalog(catalog)
    scored = review_scores(review, rules)
    ids = _recommendation_ids(name, accepted)
    same_text = f"-{_digest(review)}.txt"  # a stored copy of this text is being replaced
    other = {
        rec.id: rec.document
        for rec in catalog.recommendations
        if not rec.document.endswith(same_text)
    }
    clashes = [
        Problem(
            code=Code.DUPLICATE_ID,
            where=review.label(draft),
            key_path="id",
            expected="an id no other recommendation uses",
            found=f"{rec_id!r}, already used in {other[rec_id]}",
            hint="change the title of this candidate",
        )
        for draft, rec_id in zip(accepted, ids, strict=True)
        if rec_id in other
    ]
    if clashes:
        raise ValidationError(clashes)
    data = _document_data(review, name, accepted, ids, scored)
    folder = workspace.documents_dir
    with workspace.locked():
        # A write is where a corrupt document is set aside (once); reads only report it.
        _set_aside_corrupt(folder, criteria_file_of(catalog))
        yaml_path, text_path = folder / f"{name}.yaml", folder / f"{name}.txt"
        copies = _stored_copies(folder, review)
        if copies and not replace_existing:
            raise InputError(
                Code.DUPLICATE_ID,
                review.document.name,
                "document",
                "a document not yet in the workspace",
                f"the same text, already stored as {copies[0].stem}",
                "remove the stored document first, or replace it",
                in_file=True,
            )
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=folder, prefix=".staging-"))
        try:
            (staging / text_path.name).write_text(review.text, encoding="utf-8")
            write_yaml_atomically(staging / yaml_path.name, data)
            found: list[Problem] = []
            loaded = load_document_files(
                staging / yaml_path.name,
                criteria_file_of(catalog),
                found,
                display=yaml_path.as_posix(),
                text_dirs=(folder,),  # merged sources quote documents already stored
            )
            if found or loaded is None:
                raise ValidationError(found)
            for copy in copies:  # replaced: its recommendations that are gone go everywhere
                drop_everywhere(workspace, raw_recommendation_ids(copy) - set(ids))
                if copy != yaml_path:
                    copy.unlink()
                    copy.with_suffix(".txt").unlink(missing_ok=True)
            # The text first: a reader finds a document by its YAML, which comes last.
            os.replace(staging / text_path.name, text_path)
            os.replace(staging / yaml_path.name, yaml_path)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    document, recommendations = loaded
    stored = replace(document, origin="workspace")
    cells = sum(is_suggested(s) for rec in recommendations for s in rec.scores.values())
    return StoredDocument(stored, tuple(recommendations), cells, bool(copies))


def document_stem(review: Review) -> str:
    """``user-<slug>-<hash>``: the slug of the title (else the file name), the text's hash."""
    title = review.info.title if review.info.title != UNKNOWN else Path(review.document.name).stem
    slug = _slug(title, 40) or "document"
    return f"{USER_PREFIX}{slug}-{_digest(review)}"


def _digest(review: Review) -> str:
    """The document's identity: 8 hex digits of its normalised text's SHA-256."""
    return hashlib.sha256(review.normalized.encode("utf-8")).hexdigest()[:8]


def _stored_copies(folder: Path, review: Review) -> list[Path]:
    """The YAML files of documents with this text, whatever their title."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{USER_PREFIX}*-{_digest(review)}.yaml"))


def stored_copy(catalog: Catalog, review: Review) -> str | None:
    """The name of a user document in ``catalog`` with the same text as ``review``, if any."""
    suffix = f"-{_digest(review)}.txt"
    return next((d.name for d in user_documents(catalog) if d.name.endswith(suffix)), None)


def _slug(text: str, limit: int) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "")


def _recommendation_ids(stem: str, drafts: Sequence[Draft]) -> list[str]:
    prefix = "u" + stem.rsplit("-", 1)[-1]
    ids: list[str] = []
    for number, draft in enumerate(drafts, start=1):
        base = f"{prefix}-{_slug(draft.title, 48) or f'r{number}'}"
        rec_id, counter = base, 1
        while rec_id in ids:
            counter += 1
            rec_id = f"{base}-{counter}"
        ids.append(rec_id)
    return ids


def _document_data(
    review: Review,
    stem: str,
    accepted: Sequence[Draft],
    ids: Sequence[str],
    scored: Mapping[str, tuple[Suggestion, dict[str, Score]]],
) -> dict[str, Any]:
    info, source = review.info, review.document
    title = info.title if info.title != UNKNOWN else Path(source.name).stem
    pages = f", {source.pages} pages" if source.pages else ""
    removed = f" {len(source.removed)} page-furniture lines were removed." if source.removed else ""
    notes = (
        f"Added to the workspace from {source.name} ({source.source_format}{pages}) on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.{removed} Scores whose rationale begins "
        f"'{SUGGESTION_MARK}' come from the rule table in scoring.intake, not from a "
        "reading of this text."
    )
    recommendations = []
    for draft, rec_id in zip(accepted, ids, strict=True):
        span = find_span(review.normalized, draft.quote)
        recommendations.append(
            {
                "id": rec_id,
                "title": draft.title,
                "summary": draft.summary,
                "quote": draft.quote,
                **({"span": list(span)} if span else {}),
                "actor": draft.actor,
                **({"addressees": [draft.addressee]} if draft.addressee in ADDRESSEES else {}),
                "instrument": draft.instrument,
                "kind": draft.kind,
                **(
                    {"sources": [{"document": d, "quote": q} for d, q in draft.sources]}
                    if draft.sources
                    else {}
                ),
                "scores": {cid: s.model_dump() for cid, s in scored[draft.key][1].items()},
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "document": f"{stem}.txt",
        "label": f"{title} (user-added: {shortened(title, 30)})",
        "title": info.title,
        "author": info.author,
        "outlet": UNKNOWN,
        "date": info.date,
        "notes": notes,
        "doc_type": "user-added document",
        "stance": "Not assessed: a document added by a user; see its recommendations.",
        "recommendations": recommendations,
    }


def criteria_file_of(catalog: Catalog) -> CriteriaFile:
    """The criteria file a catalog was loaded from, for validating documents against it."""
    return CriteriaFile(
        schema_version=SCHEMA_VERSION,
        default_profile=catalog.default_profile,
        instruments=dict(catalog.instruments),
        criteria=catalog.criteria,
    )


@dataclass(frozen=True)
class UserDocuments:
    """The workspace's valid documents and recommendations, and warnings about the rest."""

    documents: tuple[SourceDocument, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    problems: tuple[Problem, ...] = ()


def load_documents(workspace: Workspace, catalog: Catalog) -> UserDocuments:
    """Read and validate every workspace document against ``catalog`` (the bundled one).

    Never raises for bad content and never writes: a document the loader rejects is left out
    and reported (the next save of a document sets it aside), one whose name or recommendation
    ids clash with the catalog's is left out and reported; either way the rest is used.
    """
    folder = workspace.documents_dir
    if not folder.is_dir():
        return UserDocuments()
    criteria = criteria_file_of(catalog)
    documents: list[SourceDocument] = []
    recommendations: list[Recommendation] = []
    problems: list[Problem] = []
    taken_names = {doc.name for doc in catalog.documents}
    taken_ids = {rec.id: rec.document for rec in catalog.recommendations}
    for yaml_path in sorted(folder.glob("*.yaml")):
        loaded, faults = _load_or_report(yaml_path, criteria)
        if loaded is None:
            problems.append(left_out_problem(yaml_path, faults))
            continue
        document, recs = loaded
        display = yaml_path.as_posix()
        clash = [rec for rec in recs if rec.id in taken_ids]
        if document.name in taken_names or clash:
            found = (
                f"the name {document.name!r}, already a document's"
                if document.name in taken_names
                else f"id {clash[0].id!r}, already used in {taken_ids[clash[0].id]}"
            )
            problems.append(
                Problem(
                    code=Code.DUPLICATE_ID,
                    file=display,
                    key_path="document" if document.name in taken_names else "recommendations",
                    expected="a document and recommendation ids no other document uses",
                    found=f"{found}; this document is left out",
                    hint="remove this document in the app (Documents) and add it again",
                )
            )
            continue
        taken_names.add(document.name)
        taken_ids |= {rec.id: document.name for rec in recs}
        documents.append(replace(document, origin="workspace"))
        recommendations += recs
    problems += _set_aside_reports(folder, criteria)
    return UserDocuments(tuple(documents), tuple(recommendations), tuple(problems))


def _load_or_report(
    yaml_path: Path, criteria: CriteriaFile
) -> tuple[tuple[SourceDocument, list[Recommendation]] | None, list[Problem]]:
    """The document and its recommendations, or None and what the loader finds wrong."""
    found: list[Problem] = []
    loaded = load_document_files(yaml_path, criteria, found, display=yaml_path.as_posix())
    if not found and loaded is not None:
        return loaded, []
    return None, found


def left_out_problem(yaml_path: Path, faults: Sequence[Problem]) -> Problem:
    """A corrupt document a read skipped and left where it is, with its first faults."""
    summary = "; ".join(
        f"{p.key_path + ': ' if p.key_path else ''}expected {p.expected}, found {p.found}"
        for p in faults[:3]
    )
    more = f"; and {len(faults) - 3} more" if len(faults) > 3 else ""
    return Problem(
        code=Code.LEFT_OUT,
        file=yaml_path.as_posix(),
        expected="a valid workspace document",
        found=f"a corrupt document, left out and left as it is: {summary}{more}",
        hint="fix the file by hand, or save any document in the app or with recscore ingest: "
        "that sets this one aside as <name>.corrupt-<time>, never deleted",
    )


def _set_aside_corrupt(folder: Path, criteria: CriteriaFile) -> None:
    """Move every document the loader rejects aside (both files); call under the lock."""
    if not folder.is_dir():
        return
    for yaml_path in sorted(folder.glob("*.yaml")):
        loaded, _ = _load_or_report(yaml_path, criteria)
        if loaded is not None:
            continue
        stamp_path = move_aside(yaml_path)
        text_path = yaml_path.with_suffix(".txt")
        if text_path.exists():
            suffix = stamp_path.name.removeprefix(yaml_path.name)
            os.replace(text_path, text_path.with_name(text_path.name + suffix))


def _set_aside_reports(folder: Path, criteria: CriteriaFile) -> list[Problem]:
    """One report per set-aside document, with what the loader finds wrong with it now."""
    reports = []
    for moved in sorted(folder.glob(f"*.yaml{SET_ASIDE_MARK}*")):
        original_name, suffix = moved.name.split(SET_ASIDE_MARK, 1)
        original = folder / original_name
        text = folder / (Path(original_name).with_suffix(".txt").name + SET_ASIDE_MARK + suffix)
        found: list[Problem] = []
        with tempfile.TemporaryDirectory() as scratch:
            shutil.copyfile(moved, Path(scratch) / original.name)
            if text.exists():
                shutil.copyfile(text, Path(scratch) / Path(original_name).with_suffix(".txt").name)
            load_document_files(
                Path(scratch) / original.name, criteria, found, display=original.as_posix()
            )
        reports.append(set_aside_problem(original, moved, found))
    return reports


def raw_recommendation_ids(yaml_path: Path) -> set[str]:
    """The ids a document file lists, read leniently (the file may be invalid)."""
    data = read_yaml(yaml_path, yaml_path.as_posix(), [])
    entries = data.get("recommendations") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return set()
    return {e["id"] for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)}


def merge_documents(catalog: Catalog, documents: UserDocuments) -> Catalog:
    """A new catalog with ``catalog``'s documents followed by the user's, ``origin`` kept.

    ``documents`` must come from :func:`load_documents` against ``catalog``; clashing names or
    ids are refused with a ValidationError all the same.
    """
    if not documents.documents:
        return catalog
    problems = [
        Problem(
            code=Code.DUPLICATE_ID,
            file=rec.document,
            key_path=rec.id,
            expected="an id no other recommendation uses",
            found=repr(rec.id),
            hint="remove one of the two documents",
        )
        for rec in documents.recommendations
        if rec.id in catalog.recommendation_ids
    ]
    problems += [
        Problem(
            code=Code.DUPLICATE_ID,
            file=doc.name,
            key_path="document",
            expected="a new document name",
            found=repr(doc.name),
        )
        for doc in documents.documents
        if doc.name in {d.name for d in catalog.documents}
    ]
    if problems:
        raise ValidationError(problems)
    return catalog.with_recommendations(
        catalog.recommendations + documents.recommendations,
        catalog.documents + documents.documents,
    )


def load_with_documents(workspace: Workspace, bundled: Catalog) -> tuple[Catalog, WorkspaceState]:
    """The catalog with the workspace's documents (no overrides applied) and the workspace.

    The state's problems start with the documents' warnings. Apply the state's overrides
    with :func:`scoring.workspace.apply_overrides` to get what is ranked.
    """
    documents = load_documents(workspace, bundled)
    catalog = merge_documents(bundled, documents)
    state = load_workspace(workspace, catalog)
    return catalog, replace(state, problems=documents.problems + state.problems)


def user_documents(catalog: Catalog) -> tuple[SourceDocument, ...]:
    """The documents a user added (their provenance is ``workspace``)."""
    return tuple(doc for doc in catalog.documents if doc.origin == "workspace")


def drop_everywhere(workspace: Workspace, ids: set[str]) -> None:
    """Under the lock: drop the overrides of ``ids`` and take them out of saved sets."""
    if not ids:
        return
    drop_overrides(workspace, ids)
    drop_members(workspace, ids)
