"""Many documents at once: one review per document, near-duplicates across them proposed as
one option with several sources, the reviewer's decision on each, then storing in order.

:func:`start_batch` reads every document's candidates (:func:`scoring.intake.start_review`)
and asks :func:`scoring.intake.duplicates_across.propose_merges` for groups of drafts from different
documents that restate one proposal, and for drafts that restate a recommendation already in
the catalog. Each proposed merge waits for a decision (:func:`decide`): ``accepted`` makes the
group one option, kept in the last of its documents (in batch order) with every other member's
document and quote as a ``source``, the other members' drafts leaving their reviews; ``split``
keeps them apart. :func:`store_batch` stores the documents in batch order, so the texts a merged
option quotes are in the workspace before it is written, and the loader checks every quote.

A match with a catalog recommendation is reported (``known``), not merged: the bundled seeds are
not edited from the app, so the reviewer rejects the draft or keeps it as a separate option.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from scoring.errors import Code, InputError
from scoring.intake.duplicates_across import MERGE_THRESHOLD, Passage, ProposedMerge, propose_merges
from scoring.intake.extraction import DEFAULT_MIN_CONFIDENCE
from scoring.intake.ingest import IngestedDocument
from scoring.intake.review import DocumentInfo, Review, start_review
from scoring.intake.storage import StoredDocument, document_stem, store_document
from scoring.io import write_bytes_atomically
from scoring.model import Catalog
from scoring.workspace import Workspace

__all__ = [
    "Batch",
    "Decision",
    "apply_merges",
    "decide",
    "decisions_of",
    "merge_summary",
    "proposed",
    "start_batch",
    "store_batch",
    "store_reviewed",
]

Decision = Literal["pending", "accepted", "split"]
Progress = Callable[[int, int, str], None]  # (1-based number, total, document name)


@dataclass(frozen=True)
class Batch:
    """The reviews of a batch in order, the merges proposed among their drafts (passage keys
    are ``"<review index>:<draft key>"``), a decision per merge, and catalog matches."""

    reviews: tuple[Review, ...]
    merges: tuple[ProposedMerge, ...]
    decisions: Mapping[int, Decision] = field(default_factory=dict)
    known: tuple[ProposedMerge, ...] = ()  # drafts that restate a catalog recommendation

    def decision(self, index: int) -> Decision:
        return self.decisions.get(index, "pending")


def _key(review_index: int, draft_key: str) -> str:
    return f"{review_index}:{draft_key}"


def _parse(key: str) -> tuple[int, str]:
    index, draft_key = key.split(":", 1)
    return int(index), draft_key


def start_batch(
    documents: Sequence[IngestedDocument],
    catalog: Catalog,
    infos: Sequence[DocumentInfo] | None = None,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    threshold: float = MERGE_THRESHOLD,
    progress: Progress | None = None,
) -> Batch:
    """Extract every document (``progress`` is called before each) and propose merges."""
    reviews = []
    for number, document in enumerate(documents, start=1):
        if progress is not None:
            progress(number, len(documents), document.name)
        info = infos[number - 1] if infos is not None else None
        reviews.append(start_review(document, catalog, info, min_confidence=min_confidence))
    return proposed(tuple(reviews), catalog, threshold=threshold)


def proposed(
    reviews: tuple[Review, ...], catalog: Catalog, *, threshold: float = MERGE_THRESHOLD
) -> Batch:
    """The merges among ``reviews``' drafts, and their matches in ``catalog``."""
    passages = [
        Passage(_key(index, draft.key), f"{index}:{review.document.name}", draft.quote)
        for index, review in enumerate(reviews)
        for draft in review.drafts
    ]
    known_recs = [
        Passage(rec.id, rec.document, rec.quote)
        for rec in (*catalog.recommendations, *catalog.context)
        if not rec.baseline
    ]
    found = propose_merges(passages, known_recs, threshold=threshold)
    catalog_ids = {p.key for p in known_recs}
    merges = tuple(m for m in found if not any(p.key in catalog_ids for p in m.members))
    known = tuple(m for m in found if any(p.key in catalog_ids for p in m.members))
    return Batch(reviews, merges, {}, known)


def decide(batch: Batch, index: int, decision: Decision) -> Batch:
    """Accept or split proposed merge ``index`` (or set it back to pending)."""
    if not 0 <= index < len(batch.merges):
        raise InputError(
            Code.BAD_VALUE,
            "batch",
            "merge",
            f"a proposed merge, 1 to {len(batch.merges)}",
            str(index + 1),
            "reload the page",
        )
    return replace(batch, decisions={**batch.decisions, index: decision})


def apply_merges(batch: Batch) -> tuple[Review, ...]:
    """The reviews with every accepted merge applied: the group's last member (in batch
    order) keeps the option and the others' (document, quote) as sources; the others go."""
    reviews = list(batch.reviews)
    stems = [f"{document_stem(review)}.txt" for review in reviews]
    dropped: set[tuple[int, str]] = set()
    added: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for index, merge in enumerate(batch.merges):
        if batch.decision(index) != "accepted":
            continue
        members = sorted(_parse(p.key) for p in merge.members)
        keeper = members[-1]
        for member in members[:-1]:
            draft = reviews[member[0]].draft(member[1])
            added.setdefault(keeper, []).append((stems[member[0]], draft.quote))
            dropped.add(member)
    result = []
    for index, review in enumerate(reviews):
        drafts = tuple(
            replace(d, sources=(*d.sources, *added.get((index, d.key), ())))
            for d in review.drafts
            if (index, d.key) not in dropped
        )
        result.append(replace(review, drafts=drafts))
    return tuple(result)


def store_batch(
    workspace: Workspace,
    catalog: Catalog,
    batch: Batch,
    *,
    replace_existing: bool = False,
    progress: Progress | None = None,
) -> tuple[StoredDocument, ...]:
    """Store every review with an accepted draft, in batch order, merges applied.

    A document with no accepted draft is skipped (news, fact sheets), unless a merged option
    quotes it: then its text alone is kept (a text without a YAML file joins no ranking; it is
    there so the quote can be checked). A merged option's sources point at documents stored
    before it, so each store validates against files that are already there; a failure stops
    the batch with the documents before it stored.
    """
    stored = []
    reviews = apply_merges(batch)
    quoted = {name for review in reviews for d in review.accepted for name, _ in d.sources}
    for number, review in enumerate(reviews, start=1):
        if progress is not None:
            progress(number, len(reviews), review.document.name)
        if review.accepted:
            stored.append(
                store_document(workspace, catalog, review, replace_existing=replace_existing)
            )
        elif (name := f"{document_stem(review)}.txt") in quoted:
            with workspace.locked():
                workspace.documents_dir.mkdir(parents=True, exist_ok=True)
                write_bytes_atomically(workspace.documents_dir / name, review.text.encode())
    return tuple(stored)


def store_reviewed(
    workspace: Workspace,
    catalog: Catalog,
    review: Review,
    batch_reviews: Sequence[Review],
    *,
    replace_existing: bool = False,
) -> StoredDocument:
    """Store one review of a batch (the app saves documents one at a time), writing first the
    text of every other batch document its accepted drafts quote as a source and that is not
    in the workspace yet, so the loader can check each merged quote."""
    quoted = {name for d in review.accepted for name, _ in d.sources}
    if quoted:
        folder = workspace.documents_dir
        with workspace.locked():
            folder.mkdir(parents=True, exist_ok=True)
            for other in batch_reviews:
                name = f"{document_stem(other)}.txt"
                if name in quoted and not (folder / name).exists():
                    write_bytes_atomically(folder / name, other.text.encode())
    return store_document(workspace, catalog, review, replace_existing=replace_existing)


def merge_summary(batch: Batch) -> list[str]:
    """One line per proposed merge and per catalog match, for a CLI or a log."""
    lines = []
    for index, merge in enumerate(batch.merges, start=1):
        docs = ", ".join(sorted({p.document.split(":", 1)[1] for p in merge.members}))
        lines.append(
            f"merge {index} ({merge.similarity:.2f}, {batch.decision(index - 1)}): "
            f"{len(merge.members)} passages from {docs}: "
            + " | ".join(p.text[:70] for p in merge.members)
        )
    for merge in batch.known:
        lines.append(
            f"already in the catalog ({merge.similarity:.2f}): "
            + " | ".join(p.text[:70] for p in merge.members)
        )
    return lines


def decisions_of(batch: Batch, decision: Decision) -> Batch:
    """Every proposed merge given ``decision`` (the CLI's ``--merge-duplicates``)."""
    return replace(batch, decisions=dict.fromkeys(range(len(batch.merges)), decision))
