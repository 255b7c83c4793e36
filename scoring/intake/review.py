"""Reviewing extracted candidates: accept, edit, merge, split or reject, then score them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

import pydantic

from scoring.errors import Code, InputError, Notice, Problem, ValidationError
from scoring.intake.addressees import addressee_of
from scoring.intake.extraction import (
    DEFAULT_MIN_CONFIDENCE,
    Candidate,
    extract_candidates,
    no_advice_notice,
    text_blocks,
)
from scoring.intake.ingest import IngestedDocument
from scoring.intake.suggestions import SUGGESTION_MARK, Suggestion, SuggestionRules
from scoring.io import problems_from_pydantic
from scoring.model import (
    UNKNOWN,
    Catalog,
    Score,
)
from scoring.text import normalize_text, normalize_with_offsets
from scoring.workspace import (
    SCORE_PARTS,
    plain_number,
)

__all__ = [
    "EDITS_SOURCE",
    "KINDS",
    "STATUSES",
    "DocumentInfo",
    "Draft",
    "DraftContext",
    "Review",
    "Status",
    "accept_all",
    "draft_context",
    "edit_draft",
    "instrument_problem",
    "merge_with_next",
    "review_scores",
    "set_scores",
    "set_status",
    "short_text",
    "shortened",
    "split_draft",
    "split_points",
    "start_review",
    "title_for",
]

EDITS_SOURCE = "suggested scores"

Status = Literal["pending", "accepted", "rejected"]

STATUSES: tuple[Status, ...] = ("pending", "accepted", "rejected")

KINDS = ("explicit", "implicit")


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
    # Merged near-duplicates of other documents (scoring.intake.batch): (document file, quote) each.
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
    extraction = extract_candidates(
        text, catalog.instruments, min_confidence=min_confidence, where=document.name
    )
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
        problems.append(instrument_problem(where, update["instrument"], catalog))
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
                    found=short_text(update["quote"]),
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


def shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def short_text(text: str, limit: int = 80) -> str:
    return repr(shortened(text, limit))


def instrument_problem(where: str, instrument: str, catalog: Catalog) -> Problem:
    return Problem(
        code=Code.UNKNOWN_INSTRUMENT,
        where=where,
        key_path="instrument",
        expected=f"one of {sorted(catalog.instruments)}",
        found=repr(instrument),
        hint="edit the candidate and pick its instrument",
    )
