"""Sources: the paragraph around a quote, and a document cut into highlightable segments.

Spans are offsets into a document's normalised text (see :mod:`scoring.text`), where every
run of whitespace is one space, so paragraph breaks are gone. They are recovered from the
raw text: a document extracted with hard line wraps (short lines) separates paragraphs with
blank lines; one extracted from the web (long lines) has one paragraph per line. Each raw
paragraph, normalised, occurs verbatim in the normalised text, which gives its offsets.

Nothing here produces markup: fronts escape the text and add their own tags.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from scoring.model import Recommendation, SourceDocument
from scoring.text import normalize_text

__all__ = [
    "Passage",
    "Segment",
    "document_segments",
    "paragraph_spans",
    "quote_passage",
]

# A document whose typical line is shorter than this was hard-wrapped on extraction.
_WRAPPED_LINE_LENGTH = 120
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s")


@dataclass(frozen=True)
class Passage:
    """A quote inside its paragraph: ``before + quote + after`` is a slice of the text."""

    before: str
    quote: str
    after: str
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
    """A stretch of normalised text and the recommendations whose quotes cover it."""

    start: int
    end: int
    text: str
    recommendation_ids: tuple[str, ...]


def _raw_paragraphs(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return []
    if statistics.median(len(line) for line in lines) < _WRAPPED_LINE_LENGTH:
        return [block for block in _BLANK_LINES.split(text) if block.strip()]
    return lines


def paragraph_spans(document: SourceDocument) -> tuple[tuple[int, int], ...]:
    """(start, end) of each paragraph in the normalised text, in order, covering all of it.

    Gaps between found paragraphs (and any paragraph that cannot be placed) are absorbed
    into their neighbours, so every character belongs to exactly one paragraph. Memoised
    per text: a dashboard asks again on every rerun.
    """
    return _paragraph_spans(document.text, document.normalized)


@lru_cache(maxsize=64)
def _paragraph_spans(text: str, normalized: str) -> tuple[tuple[int, int], ...]:
    starts: list[int] = []
    cursor = 0
    for block in _raw_paragraphs(text):
        needle = normalize_text(block).strip()
        position = normalized.find(needle, cursor) if needle else -1
        if position < 0:
            continue
        starts.append(position)
        cursor = position + len(needle)
    if starts and not normalized[: starts[0]].strip():
        starts[0] = 0  # leading whitespace joins the first paragraph
    else:
        starts.insert(0, 0)
    bounds = [*starts, len(normalized)]
    return tuple((start, end) for start, end in pairwise(bounds) if end > start)


def quote_passage(
    document: SourceDocument, start: int, end: int, max_context: int = 700
) -> Passage:
    """The quote at [start, end) with the rest of its paragraph(s) around it.

    Context on each side is cut to about ``max_context`` characters, at a sentence end
    where one is near, so a quote in a page-long paragraph still reads in place.
    """
    normalized = document.normalized
    spans = paragraph_spans(document)
    first = next((s for s, e in spans if s <= start < e), 0)
    last = next((e for s, e in spans if s < end <= e), len(normalized))
    context_start = max(first, start - max_context)
    if context_start > first:
        match = _SENTENCE_END.search(normalized, context_start, start)
        context_start = match.end() if match else context_start
    context_end = min(last, end + max_context)
    if context_end < last:
        ends = list(_SENTENCE_END.finditer(normalized, end, context_end))
        context_end = ends[-1].end() if ends else context_end
    return Passage(
        before=normalized[context_start:start].lstrip(),
        quote=normalized[start:end],
        after=normalized[end:context_end].rstrip(),
        start=context_start,
        end=context_end,
    )


def document_segments(
    document: SourceDocument, recommendations: Iterable[Recommendation]
) -> tuple[tuple[Segment, ...], ...]:
    """The document as paragraphs of segments, cut wherever a quote starts or ends.

    Overlapping quotes give segments covered by several recommendations.
    """
    quoted = [rec for rec in recommendations if rec.document == document.name and rec.span]
    cuts = {cut for rec in quoted for cut in (rec.start, rec.end)}
    paragraphs = []
    for para_start, para_end in paragraph_spans(document):
        bounds = sorted({para_start, para_end, *(c for c in cuts if para_start < c < para_end)})
        segments = []
        for start, end in pairwise(bounds):
            covering = tuple(rec.id for rec in quoted if rec.start <= start and end <= rec.end)
            segments.append(Segment(start, end, document.normalized[start:end], covering))
        paragraphs.append(tuple(segments))
    return tuple(paragraphs)
