"""The user's own documents: review extracted candidates, score them, keep them in the workspace.

A document a user brings goes through three steps, each a pure function on immutable values:

1. :func:`start_review` runs the extractor on an ingested document (:mod:`scoring.ingest`)
   and returns a :class:`Review`: one :class:`Draft` per candidate, all pending.
2. The analyst accepts, rejects, edits (:func:`edit_draft`: a quote must stay verbatim),
   merges two neighbouring candidates (:func:`merge_with_next`) or splits one
   (:func:`split_draft`). Accepted drafts get **suggested scores** (:class:`SuggestionRules`,
   below) that the analyst edits (:func:`set_scores`).
3. :func:`store_document` writes ``documents/<name>.txt`` and ``documents/<name>.yaml`` into
   the workspace, in the seeds' schema, after the loader has validated both files exactly as
   it validates a seed. :func:`load_with_documents` reads them back and returns the catalog
   with bundled and user documents together (each :class:`~scoring.model.SourceDocument`
   carries its ``origin``) and the workspace state: rankings, trade-offs, option sets and
   briefs then treat them like bundled ones. :func:`remove_document` takes a document out
   with its recommendations, their score overrides and their places in saved option sets.

Suggested scores
----------------
A suggestion is the typical curated score of recommendations like this one, never a copy of a
curated rationale. For each criterion, the value, low and high are the **medians** of the
bundled catalog's values, lows and highs over a peer group, chosen by backing off:

============================  ==============================================================
peer group                    used when
============================  ==============================================================
same instrument, same actor   at least :data:`MIN_PEERS` bundled recommendations share both
same instrument               at least :data:`MIN_PEERS` share the instrument
every bundled recommendation  otherwise (e.g. the instrument is not identified)
============================  ==============================================================

Actors are put in classes by the keyword rules of :data:`ACTOR_CLASSES` (first match wins).
A passage that names no actor (an imperative, an agentless passive, a bare pronoun) gets its
range widened by one scale step on each side, since who acts moves feasibility and buy-in
most. Each suggested rationale starts with :data:`SUGGESTION_MARK` and states its peer group
and medians, so a suggestion stays recognisable (:func:`is_suggested`) in the stored file, in
the score editor and in briefs until the analyst replaces it. Only bundled documents' scores
feed the table.

Workspace layout (beside ``overrides.yaml``, ``profiles/`` and ``sets/``)::

    documents/<name>.txt    the document's text as ingested (page furniture removed)
    documents/<name>.yaml   its metadata and recommendations, the schema of seeds/<name>.yaml

``<name>`` is ``user-<slug of the title>-<8 hex digits of the text's hash>``. A document whose
files fail validation when read is set aside (both files renamed ``*.corrupt-<time>``, never
deleted) and reported on every load; the rest of the workspace is used.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import statistics
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pydantic

from scoring.addressees import addressee_of
from scoring.errors import Code, InputError, Notice, Problem, ValidationError
from scoring.extraction import (
    DEFAULT_MIN_CONFIDENCE,
    Candidate,
    extract_candidates,
    no_advice_notice,
    text_blocks,
)
from scoring.ingest import DEFAULT_MAX_BYTES, IngestedDocument
from scoring.io import problems_from_pydantic, read_yaml, write_yaml_atomically
from scoring.loading import load_document_files
from scoring.model import (
    ADDRESSEES,
    SCALE_MAX,
    SCALE_MIN,
    SCHEMA_VERSION,
    UNKNOWN,
    Catalog,
    CriteriaFile,
    Recommendation,
    Score,
    SourceDocument,
)
from scoring.option_sets import drop_members, user_sets_holding
from scoring.text import find_span, normalize_text, normalize_with_offsets
from scoring.workspace import (
    SCORE_PARTS,
    SET_ASIDE_MARK,
    OverrideKey,
    Workspace,
    WorkspaceState,
    drop_overrides,
    load_workspace,
    move_aside,
    plain_number,
    read_overrides,
    set_aside_problem,
)

__all__ = [
    "ACTOR_CLASSES",
    "MAX_BYTES_VARIABLE",
    "MIN_PEERS",
    "SUGGESTION_MARK",
    "USER_PREFIX",
    "DocumentInfo",
    "Draft",
    "DraftContext",
    "Removal",
    "Review",
    "StoredDocument",
    "Suggestion",
    "SuggestionRules",
    "UserDocuments",
    "accept_all",
    "actor_class",
    "draft_context",
    "edit_draft",
    "is_suggested",
    "load_documents",
    "load_with_documents",
    "max_document_bytes",
    "merge_documents",
    "merge_with_next",
    "plan_removal",
    "remove_document",
    "review_scores",
    "set_scores",
    "set_status",
    "split_draft",
    "split_points",
    "start_review",
    "store_document",
    "stored_copy",
    "user_documents",
]

USER_PREFIX = "user-"
SUGGESTION_MARK = "Suggested score, not yet reviewed"
MIN_PEERS = 3
MAX_BYTES_VARIABLE = "RECSCORE_MAX_DOCUMENT_MB"
EDITS_SOURCE = "suggested scores"

Status = Literal["pending", "accepted", "rejected"]
STATUSES: tuple[Status, ...] = ("pending", "accepted", "rejected")
KINDS = ("explicit", "implicit")

# (class, label, pattern); the first whose pattern matches the actor (lower case) wins.
# Words are delimited by lookarounds, not \b, since "u.s." ends in a non-word character.
_US = r"(?<!\w)(?:u\.s\.|us|usg|united states|american|washington|congress|white house)(?!\w)"
_CHINA = r"(?<!\w)(?:china|chinese|beijing|prc|ccp)(?!\w)"
ACTOR_CLASSES: tuple[tuple[str, str, str], ...] = (
    ("joint", "the U.S. and Chinese governments together", rf"{_US}.*{_CHINA}|{_CHINA}.*{_US}"),
    (
        "us_government",
        "the U.S. government",
        rf"{_US}|(?<!\w)(?:administration|state department|department of)(?!\w)",
    ),
    ("chinese_government", "the Chinese government", _CHINA),
    (
        "other_governments",
        "other or several governments",
        r"(?<!\w)(?:governments?|states|countries|democracies|allies|ambassadors?|e\.u\.|eu"
        r"|european|united nations|un|g7|g20|heads of government|officials)(?!\w)",
    ),
    ("non_government", "non-governmental actors", r"."),
)
_PRONOUNS = {"it", "they", "we", "you", "he", "she", "this", "that", "these", "those", "one"}
_ACTOR_LABELS = {key: label for key, label, _ in ACTOR_CLASSES} | {UNKNOWN: "no named actor"}


def max_document_bytes() -> int:
    """The upload size limit: ``$RECSCORE_MAX_DOCUMENT_MB`` megabytes, else 20 MB."""
    configured = os.environ.get(MAX_BYTES_VARIABLE, "").strip()
    try:
        megabytes = float(configured) if configured else 0.0
    except ValueError:
        megabytes = 0.0
    usable = math.isfinite(megabytes) and 0 < megabytes <= 100_000  # nan, inf, -1: default
    return int(megabytes * 2**20) if usable else DEFAULT_MAX_BYTES


# --- suggested scores ------------------------------------------------------------------------


def actor_class(actor: str) -> str:
    """The class of an actor by :data:`ACTOR_CLASSES`; ``unknown`` if none is named."""
    text = actor.strip().lower()
    if not text or text == UNKNOWN or text in _PRONOUNS:
        return UNKNOWN
    return next(key for key, _, pattern in ACTOR_CLASSES if re.search(pattern, text))


def is_suggested(score: Score) -> bool:
    """True while a score is still a suggestion the analyst has not replaced."""
    return score.rationale.startswith(SUGGESTION_MARK)


@dataclass(frozen=True)
class Suggestion:
    """Suggested scores for one (instrument, actor), with the peer group they come from."""

    scores: Mapping[str, Score]
    basis: str
    peers: int
    widened: bool


@dataclass(frozen=True)
class SuggestionRules:
    """The rule table: curated scores of the bundled recommendations, grouped for look-up."""

    criteria: tuple[tuple[str, str], ...]  # (id, name)
    instruments: Mapping[str, str]
    peers: tuple[tuple[str, str, tuple[Score, ...]], ...]  # (instrument, actor class, scores)

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> SuggestionRules:
        """Read the table from ``catalog``'s bundled documents (user documents never feed it)."""
        bundled = {doc.name for doc in catalog.documents if doc.origin == "bundled"}
        peers = tuple(
            (
                rec.instrument,
                actor_class(rec.actor),
                tuple(rec.scores[cid] for cid in catalog.criterion_ids),
            )
            for rec in catalog.recommendations
            if rec.document in bundled and not any(map(is_suggested, rec.scores.values()))
        )
        return cls(
            criteria=tuple((c.id, c.name) for c in catalog.criteria),
            instruments=dict(catalog.instruments),
            peers=peers,
        )

    def suggest(self, instrument: str, actor: str) -> Suggestion:
        """The suggestion for a recommendation with this instrument and actor."""
        group = actor_class(actor)
        label = self.instruments.get(instrument)
        same_both = [s for i, a, s in self.peers if i == instrument and a == group]
        same_instrument = [s for i, _, s in self.peers if i == instrument]
        if label and group != UNKNOWN and len(same_both) >= MIN_PEERS:
            rows = same_both
            basis = f"{label.lower()} by {_ACTOR_LABELS[group]}"
        elif label and len(same_instrument) >= MIN_PEERS:
            rows = same_instrument
            basis = f"{label.lower()}"
        else:
            rows = [s for _, _, s in self.peers]
            basis = (
                "every instrument (this one has too few curated peers)"
                if label
                else "every instrument (the instrument is not identified)"
            )
        widened = group == UNKNOWN
        scores = {}
        for index, (criterion_id, name) in enumerate(self.criteria):
            value = _median(row[index].value for row in rows)
            low = _median(row[index].low for row in rows)
            high = _median(row[index].high for row in rows)
            if widened:
                low, high = max(SCALE_MIN, low - 1), min(SCALE_MAX, high + 1)
            rationale = (
                f"{SUGGESTION_MARK}: {name} is {value:g} (range {low:g}–{high:g}), the median "
                f"of {len(rows)} curated recommendations using {basis}"
                + ("; range widened one step as the passage names no actor" if widened else "")
                + ". Replace it with a judgement of this passage."
            )
            scores[criterion_id] = Score(value=value, low=low, high=high, rationale=rationale)
        peer_text = f"{len(rows)} curated recommendations using {basis}"
        return Suggestion(scores, peer_text, len(rows), widened)

    def table(self) -> list[dict[str, Any]]:
        """One row per (instrument, actor class) group: how many peers and which rule applies."""
        rows = []
        for instrument, label in self.instruments.items():
            counts = {
                group: sum(1 for i, a, _ in self.peers if i == instrument and a == group)
                for group in (*(key for key, _, _ in ACTOR_CLASSES), UNKNOWN)
            }
            total = sum(counts.values())
            for group, count in counts.items():
                if group == UNKNOWN:
                    rule = "instrument (range widened)" if total >= MIN_PEERS else "catalog"
                elif count >= MIN_PEERS:
                    rule = "instrument and actor"
                else:
                    rule = "instrument" if total >= MIN_PEERS else "catalog"
                rows.append(
                    {
                        "instrument": label,
                        "actor": _ACTOR_LABELS[group],
                        "curated peers": count,
                        "suggestion from": rule,
                    }
                )
        return rows


def _median(values: Iterable[float]) -> float:
    return float(statistics.median(values))


# --- review ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentInfo:
    """What the analyst says about the document; ``unknown`` where nothing is given."""

    title: str = UNKNOWN
    author: str = UNKNOWN
    date: str = UNKNOWN

    @classmethod
    def of(cls, title: str | None, author: str | None, date: str | None) -> DocumentInfo:
        def clean(text: str | None) -> str:
            text = " ".join((text or "").split())
            return text or UNKNOWN

        return cls(clean(title), clean(author), clean(date))


@dataclass(frozen=True)
class Draft:
    """A candidate under review; ``start``/``end`` locate ``quote`` in the normalised text."""

    key: str
    start: int
    end: int
    quote: str
    title: str
    summary: str
    actor: str
    instrument: str
    kind: str
    confidence: float
    form: str
    status: Status = "pending"
    addressee: str = UNKNOWN  # the actor's class (a key of scoring.model.ADDRESSEES) or unknown
    # Merged near-duplicates of other documents (scoring.batch): (document file, quote) each.
    sources: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Review:
    """An ingested document, its drafts in text order and the analyst's score edits.

    ``text`` is exactly what will be stored; ``normalized`` is its normalised form, which
    every span points into. ``scores`` holds only the cells the analyst changed, by draft key;
    every other cell shows the current suggestion. ``notices`` qualify the extraction (no
    advice found is a notice and an empty ``drafts``, not an error).
    """

    document: IngestedDocument
    info: DocumentInfo
    text: str
    normalized: str
    drafts: tuple[Draft, ...]
    scores: Mapping[str, Mapping[str, Score]] = field(default_factory=dict)
    notices: tuple[Notice, ...] = ()

    def draft(self, key: str) -> Draft:
        for draft in self.drafts:
            if draft.key == key:
                return draft
        raise InputError(
            Code.BAD_VALUE,
            "review",
            key,
            "a candidate of this document",
            repr(key),
            "it may have been merged or split; reload the page",
        )

    @property
    def accepted(self) -> tuple[Draft, ...]:
        return tuple(d for d in self.drafts if d.status == "accepted")

    def label(self, draft: Draft) -> str:
        """``candidate 3`` (its place in the list), for messages."""
        return f"candidate {self.drafts.index(draft) + 1}"


def start_review(
    document: IngestedDocument,
    catalog: Catalog,
    info: DocumentInfo | None = None,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> Review:
    """Extract the candidates of ``document``; none is a valid outcome (a news story, a fact
    sheet): no drafts and a NO_CANDIDATES notice."""
    text = document.text.replace("\r\n", "\n").replace("\r", "\n")  # as a stored file reads back
    extraction = extract_candidates(text, catalog.instruments, min_confidence=min_confidence)
    drafts = tuple(
        _draft(f"c{number}", candidate)
        for number, candidate in enumerate(extraction.candidates, start=1)
    )
    notice = no_advice_notice(extraction, document.name)
    return Review(
        document,
        info or DocumentInfo(),
        text,
        extraction.normalized,
        drafts,
        notices=(notice,) if notice else (),
    )


def _draft(key: str, candidate: Candidate) -> Draft:
    return Draft(
        key=key,
        start=candidate.start,
        end=candidate.end,
        quote=candidate.text,
        title=title_for(candidate.text, candidate.cue),
        summary=candidate.text,
        actor=candidate.actor,
        instrument=candidate.instrument,
        kind=candidate.kind,
        confidence=candidate.confidence,
        form=candidate.form,
        addressee=candidate.addressee,
    )


_LEADING_MARK = re.compile(r"^\s*(?:[•·▪◦‣●○■□➢►✓*–—-]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+", re.I)
_TITLE_WORDS = 12


def title_for(text: str, cue: str = "") -> str:
    """A short title for a passage: the advice after its modal cue, else its opening words.

    "Governments must impose targeted sanctions on officials." -> "Impose targeted sanctions
    on officials". At most twelve words; the analyst edits it.
    """
    body = _LEADING_MARK.sub("", text).strip()
    first_cue = cue.split(" ... ")[0].strip()
    if first_cue and not body.lower().startswith(first_cue.lower()):
        match = re.search(rf"\b{re.escape(first_cue)}\b\s+", body, re.IGNORECASE)
        if match:
            rest = body[match.end() :]
            rest = re.sub(r"^(?:also|now|therefore|still|instead|then)\s+", "", rest, flags=re.I)
            if rest.lower().startswith("not "):
                rest = "do " + rest
            body = rest or body
    words = body.split()
    short = " ".join(words[:_TITLE_WORDS])
    clause = re.split(r"[;:]\s|,\s(?:and|but|so|which|while)\s", short)[0]
    short = clause if len(clause.split()) >= 4 else short
    short = short.rstrip(" .,;:!?\"'”’)")
    if len(words) > _TITLE_WORDS and short == " ".join(words[:_TITLE_WORDS]).rstrip(" .,;:"):
        short += "…"
    return (short[:1].upper() + short[1:]) if short else text.strip()[:80]


def set_status(review: Review, key: str, status: Status) -> Review:
    """Mark one draft accepted, rejected or pending again."""
    if status not in STATUSES:
        raise InputError(Code.BAD_VALUE, "review", "status", f"one of {STATUSES}", repr(status))
    draft = review.draft(key)
    return _replace_drafts(review, {key: (replace(draft, status=status),)})


def accept_all(review: Review, *, pending_only: bool = True) -> Review:
    """Accept every pending draft (or every draft)."""
    drafts = tuple(
        replace(d, status="accepted") if (d.status == "pending" or not pending_only) else d
        for d in review.drafts
    )
    return replace(review, drafts=drafts)


def edit_draft(review: Review, catalog: Catalog, key: str, **changes: str) -> Review:
    """Change a draft's title, summary, quote, actor, instrument or kind; validate all at once.

    The quote must be a verbatim passage of the document (whitespace aside); its span is
    found again, nearest the old one if the passage occurs more than once.
    """
    draft = review.draft(key)
    where = review.label(draft)
    allowed = ("title", "summary", "quote", "actor", "instrument", "kind")
    problems: list[Problem] = []
    update: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in allowed:
            problems.append(
                Problem(
                    code=Code.UNKNOWN_KEY,
                    where=where,
                    key_path=name,
                    expected=f"one of {allowed}",
                    found=name,
                )
            )
            continue
        value = " ".join(str(value).split()) if name != "quote" else str(value)
        if not value.strip():
            problems.append(
                Problem(
                    code=Code.BAD_VALUE,
                    where=where,
                    key_path=name,
                    expected="a non-empty text",
                    found="nothing",
                    hint="type it",
                )
            )
            continue
        update[name] = value
    if "instrument" in update and update["instrument"] not in catalog.instruments:
        problems.append(_instrument_problem(where, update["instrument"], catalog))
    if "kind" in update and update["kind"] not in KINDS:
        problems.append(
            Problem(
                code=Code.BAD_VALUE,
                where=where,
                key_path="kind",
                expected=f"one of {KINDS}",
                found=repr(update["kind"]),
            )
        )
    if "quote" in update:
        span = _locate(review.normalized, update["quote"], draft.start)
        if span is None:
            problems.append(
                Problem(
                    code=Code.QUOTE_NOT_FOUND,
                    where=where,
                    key_path="quote",
                    expected="a verbatim passage of the document (whitespace aside)",
                    found=_short(update["quote"]),
                    hint="shorten or extend the quote without changing its words; "
                    "use merge or split to join or cut candidates",
                )
            )
        else:
            update["start"], update["end"] = span
            update["quote"] = review.normalized[span[0] : span[1]]
    if problems:
        raise ValidationError(problems)
    if "actor" in update:  # a renamed actor is classified again
        update["addressee"] = addressee_of(update["actor"])
    return _replace_drafts(review, {key: (replace(draft, **update),)})


def _locate(normalized: str, quote: str, near: int) -> tuple[int, int] | None:
    needle = normalize_text(quote).strip()
    if not needle:
        return None
    starts = [m.start() for m in re.finditer(re.escape(needle), normalized)]
    if not starts:
        return None
    start = min(starts, key=lambda s: abs(s - near))
    return start, start + len(needle)


def merge_with_next(review: Review, catalog: Catalog, key: str) -> Review:
    """Join a draft with the one after it into one span (the text between them included)."""
    first = review.draft(key)
    index = review.drafts.index(first)
    if index + 1 >= len(review.drafts):
        raise InputError(
            Code.BAD_VALUE,
            review.label(first),
            "merge",
            "a candidate followed by another",
            "the last candidate",
            "merge the one before it with this one",
        )
    second = review.drafts[index + 1]
    start, end = min(first.start, second.start), max(first.end, second.end)
    quote = review.normalized[start:end]
    merged = replace(
        first,
        key=f"{first.key}+{second.key}",
        start=start,
        end=end,
        quote=quote,
        summary=quote,
        confidence=min(first.confidence, second.confidence),
        status="accepted" if "accepted" in (first.status, second.status) else "pending",
    )
    drafts = (*review.drafts[:index], merged, *review.drafts[index + 2 :])
    scores = {k: v for k, v in review.scores.items() if k not in (first.key, second.key)}
    return replace(review, drafts=drafts, scores=scores)


_SPLIT_AFTER = re.compile(r"[.;:!?][\"'”’)\]]*\d{0,3}\s+(?=\S)")
_SPLIT_COMMA = re.compile(r",\s+(?=\S)")


def split_points(review: Review, key: str) -> tuple[int, ...]:
    """Offsets in a draft's quote where it can be cut: after a sentence, semicolon or colon;
    after commas if it has none of those."""
    quote = review.draft(key).quote
    points = tuple(m.end() for m in _SPLIT_AFTER.finditer(quote))
    if not points:
        points = tuple(m.end() for m in _SPLIT_COMMA.finditer(quote))
    return tuple(p for p in points if 0 < p < len(quote))


def split_draft(review: Review, catalog: Catalog, key: str, at: int) -> Review:
    """Cut a draft in two at offset ``at`` of its quote; both halves keep its classification."""
    draft = review.draft(key)
    left, right = draft.quote[:at].rstrip(), draft.quote[at:].lstrip()
    if not (0 < at < len(draft.quote)) or not left.strip() or not right.strip():
        raise InputError(
            Code.BAD_VALUE,
            review.label(draft),
            "split",
            f"a cut inside the quote (1 to {len(draft.quote) - 1}) leaving text on both sides",
            str(at),
            "pick one of the offered split points",
        )
    right_start = draft.start + len(draft.quote) - len(right)
    halves = (
        replace(
            draft,
            key=f"{draft.key}.1",
            end=draft.start + len(left),
            quote=left,
            title=title_for(left),
            summary=left,
        ),
        replace(
            draft,
            key=f"{draft.key}.2",
            start=right_start,
            quote=right,
            title=title_for(right),
            summary=right,
        ),
    )
    return _replace_drafts(review, {key: halves})


def _replace_drafts(review: Review, by_key: Mapping[str, tuple[Draft, ...]]) -> Review:
    drafts: list[Draft] = []
    for draft in review.drafts:
        drafts += by_key.get(draft.key, (draft,))
    gone = {k for k, new in by_key.items() if k not in {d.key for d in new}}
    scores = {k: v for k, v in review.scores.items() if k not in gone}
    return replace(review, drafts=tuple(drafts), scores=scores)


@dataclass(frozen=True)
class DraftContext:
    """A draft's quote in its paragraph (``before + quote + after``), with the paragraph,
    heading or bullet just before and just after it (``earlier``, ``later``; shortened)."""

    earlier: str
    before: str
    quote: str
    after: str
    later: str


@lru_cache(maxsize=8)
def _block_spans(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) in the normalised text of each heading, bullet and paragraph the extractor
    reads in ``text``."""
    _, offsets = normalize_with_offsets(text)
    return tuple((offsets[start], offsets[end]) for start, end, _ in text_blocks(text))


def draft_context(review: Review, key: str, max_context: int = 400) -> DraftContext:
    """The text around a draft, as the layout has it: its own paragraph(s), and the block on
    each side; each part cut to about ``max_context`` characters."""
    draft = review.draft(key)
    text = review.normalized
    blocks = _block_spans(review.text)
    first = max((i for i, (s, _) in enumerate(blocks) if s <= draft.start), default=0)
    last = min((i for i, (_, e) in enumerate(blocks) if e >= draft.end), default=len(blocks) - 1)
    last = max(first, last)
    own_start = blocks[first][0] if blocks else 0
    own_end = blocks[last][1] if blocks else len(text)
    before = text[max(own_start, draft.start - max_context) : draft.start]
    after = text[draft.end : min(own_end, draft.end + max_context)]
    earlier = text[slice(*blocks[first - 1])] if blocks and first > 0 else ""
    later = text[slice(*blocks[last + 1])] if blocks and last + 1 < len(blocks) else ""
    half = max_context // 2
    return DraftContext(
        earlier=("…" + earlier[-half:].lstrip()) if len(earlier) > half else earlier.strip(),
        before=("…" if draft.start - len(before) > own_start else "") + before.lstrip(),
        quote=text[draft.start : draft.end],
        after=after.rstrip() + ("…" if draft.end + len(after) < own_end else ""),
        later=(later[:half].rstrip() + "…") if len(later) > half else later.strip(),
    )


# --- scores of accepted drafts ---------------------------------------------------------------


def review_scores(
    review: Review, rules: SuggestionRules
) -> dict[str, tuple[Suggestion, dict[str, Score]]]:
    """For each accepted draft: its suggestion and its current scores (edits over it)."""
    result = {}
    for draft in review.accepted:
        suggestion = rules.suggest(draft.instrument, draft.actor)
        edited = review.scores.get(draft.key, {})
        scores = {cid: edited.get(cid, score) for cid, score in suggestion.scores.items()}
        result[draft.key] = (suggestion, scores)
    return result


def set_scores(
    review: Review,
    rules: SuggestionRules,
    edits: Mapping[tuple[str, str], Mapping[str, Any]],
) -> Review:
    """Apply score edits, keyed by (draft key, criterion id); raise one ValidationError for all.

    Each edit gives ``value``, ``low``, ``high`` and ``rationale`` (the loader's rules apply).
    A cell equal to its suggestion stops being an edit. A cell whose numbers were changed
    while its rationale is still the suggestion's gets a rationale saying the analyst set it,
    so no stored rationale describes numbers it does not hold.
    """
    current = review_scores(review, rules)
    problems: list[Problem] = []
    scores = {key: dict(cells) for key, cells in review.scores.items()}
    for (key, criterion_id), fields in edits.items():
        if key not in current:
            problems.append(
                Problem(
                    code=Code.BAD_VALUE,
                    where=EDITS_SOURCE,
                    key_path=key,
                    expected="an accepted candidate",
                    found=repr(key),
                    hint="accept the candidate first",
                )
            )
            continue
        suggestion, _ = current[key]
        if criterion_id not in suggestion.scores:
            problems.append(
                Problem(
                    code=Code.UNKNOWN_CRITERION,
                    where=EDITS_SOURCE,
                    key_path=f"{key}.{criterion_id}",
                    expected=f"one of {sorted(suggestion.scores)}",
                    found=repr(criterion_id),
                )
            )
            continue
        suggested = suggestion.scores[criterion_id]
        data = {part: plain_number(fields.get(part)) for part in SCORE_PARTS}
        rationale = str(data["rationale"] or "")
        numbers_changed = any(
            data[part] != getattr(suggested, part) for part in ("value", "low", "high")
        )
        if numbers_changed and rationale.startswith(SUGGESTION_MARK):
            data["rationale"] = (
                f"Set by the analyst (the suggestion was {suggested.value:g}, range "
                f"{suggested.low:g}–{suggested.high:g}, from {suggestion.basis})."
            )
        for part in ("value", "low", "high"):
            if isinstance(data[part], int) and not isinstance(data[part], bool):
                data[part] = float(data[part])
        try:
            score = Score.model_validate(data)
        except pydantic.ValidationError as exc:
            label = review.label(review.draft(key))
            problems += problems_from_pydantic(
                exc, EDITS_SOURCE, data, (label, criterion_id), in_file=False
            )
            continue
        cells = scores.setdefault(key, {})
        if score == suggested:
            cells.pop(criterion_id, None)
        else:
            cells[criterion_id] = score
    if problems:
        raise ValidationError(problems)
    return replace(review, scores={k: v for k, v in scores.items() if v})


# --- storing ---------------------------------------------------------------------------------


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
        _instrument_problem(review.label(d), d.instrument, catalog)
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
                _drop_everywhere(workspace, _raw_recommendation_ids(copy) - set(ids))
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
        f"'{SUGGESTION_MARK}' come from the rule table in scoring.documents, not from a "
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
        "label": f"{title} (user-added: {_shorten(title, 30)})",
        "title": info.title,
        "author": info.author,
        "outlet": UNKNOWN,
        "date": info.date,
        "notes": notes,
        "doc_type": "user-added document",
        "stance": "Not assessed: a document added by a user; see its recommendations.",
        "recommendations": recommendations,
    }


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _short(text: str, limit: int = 80) -> str:
    return repr(_shorten(text, limit))


def _instrument_problem(where: str, instrument: str, catalog: Catalog) -> Problem:
    return Problem(
        code=Code.UNKNOWN_INSTRUMENT,
        where=where,
        key_path="instrument",
        expected=f"one of {sorted(catalog.instruments)}",
        found=repr(instrument),
        hint="edit the candidate and pick its instrument",
    )


def criteria_file_of(catalog: Catalog) -> CriteriaFile:
    """The criteria file a catalog was loaded from, for validating documents against it."""
    return CriteriaFile(
        schema_version=SCHEMA_VERSION,
        default_profile=catalog.default_profile,
        instruments=dict(catalog.instruments),
        criteria=catalog.criteria,
    )


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserDocuments:
    """The workspace's valid documents and recommendations, and warnings about the rest."""

    documents: tuple[SourceDocument, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    problems: tuple[Problem, ...] = ()


def load_documents(workspace: Workspace, catalog: Catalog) -> UserDocuments:
    """Read and validate every workspace document against ``catalog`` (the bundled one).

    Never raises for bad content: a document the loader rejects is set aside (both files),
    one whose name or recommendation ids clash with the catalog's is left out and reported;
    either way the rest is used.
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
        loaded = _load_or_set_aside(workspace, yaml_path, criteria)
        if loaded is None:
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


def _load_or_set_aside(
    workspace: Workspace, yaml_path: Path, criteria: CriteriaFile
) -> tuple[SourceDocument, list[Recommendation]] | None:
    found: list[Problem] = []
    loaded = load_document_files(yaml_path, criteria, found, display=yaml_path.as_posix())
    if not found and loaded is not None:
        return loaded
    with workspace.locked():  # judge it again under the lock: another session may be writing
        if not yaml_path.exists():
            return None
        found = []
        loaded = load_document_files(yaml_path, criteria, found, display=yaml_path.as_posix())
        if not found and loaded is not None:
            return loaded
        stamp_path = move_aside(yaml_path)
        text_path = yaml_path.with_suffix(".txt")
        if text_path.exists():
            suffix = stamp_path.name.removeprefix(yaml_path.name)
            os.replace(text_path, text_path.with_name(text_path.name + suffix))
    return None


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


def _raw_recommendation_ids(yaml_path: Path) -> set[str]:
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


# --- removing --------------------------------------------------------------------------------


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
        return _plan(workspace, stem, _raw_recommendation_ids(yaml_path), under_lock=False)
    with workspace.locked():
        if not yaml_path.exists():  # checked again under the lock
            raise missing("it was removed in another session")
        ids = _raw_recommendation_ids(yaml_path)
        plan = _plan(workspace, stem, ids, under_lock=True)
        yaml_path.unlink()  # the document disappears first; its text follows
        yaml_path.with_suffix(".txt").unlink(missing_ok=True)
        _drop_everywhere(workspace, ids)
    return plan


def _plan(workspace: Workspace, stem: str, ids: set[str], *, under_lock: bool) -> Removal:
    overrides = read_overrides(workspace, under_lock=under_lock) if ids else {}
    override_keys = tuple(
        (rec_id, cid) for rec_id in sorted(ids) for cid in sorted(overrides.get(rec_id, {}))
    )
    changed, deleted = user_sets_holding(workspace, ids)
    return Removal(f"{stem}.txt", tuple(sorted(ids)), override_keys, changed, deleted)


def _drop_everywhere(workspace: Workspace, ids: set[str]) -> None:
    """Under the lock: drop the overrides of ``ids`` and take them out of saved sets."""
    if not ids:
        return
    drop_overrides(workspace, ids)
    drop_members(workspace, ids)
