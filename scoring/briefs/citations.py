"""Where a quote lies in its document, in words a reader can follow: title and paragraph.

Spans are offsets into the whitespace-normalised text (:mod:`scoring.text`), which no
reader has. :func:`passage_place` maps a span back to the raw file and counts paragraphs
there: blocks between blank lines or, in a text with no blank line, lines. Where the raw
text keeps page breaks (form feeds, as PDF extraction writes them) the page is given too.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from scoring.model import Recommendation, SourceDocument
from scoring.text import normalize_with_offsets

__all__ = ["Place", "citation_text", "passage_place", "place_text", "recommendation_citation"]

PAGE_BREAK = "\f"


@dataclass(frozen=True)
class Place:
    """Where a passage starts, counted from 1; ``page`` is None when the text has no pages."""

    paragraph: int
    paragraphs: int
    page: int | None


def _paragraph_starts(text: str) -> list[int]:
    """Raw offsets at which each paragraph starts (the first at 0)."""
    lines = text.split("\n")
    blank = [not line.strip() for line in lines]
    by_blank_lines = any(blank[1:-1])
    starts, offset, previous_blank = [], 0, True
    for line, is_blank in zip(lines, blank, strict=True):
        if not is_blank and (previous_blank or not by_blank_lines):
            starts.append(offset)
        previous_blank = is_blank
        offset += len(line) + 1
    return starts or [0]


def passage_place(document: SourceDocument, span: tuple[int, int] | None) -> Place | None:
    """The paragraph (and page, if the text has page breaks) where ``span`` starts."""
    if span is None:
        return None
    text = document.text
    offsets, starts, breaks = _layout(text)
    raw = bisect.bisect_left(offsets, span[0])  # the first raw character at or after it
    while raw < len(text) and text[raw].isspace():  # a collapsed run maps onto the quote
        raw += 1
    paragraph = bisect.bisect_right(starts, raw)
    page = bisect.bisect_left(breaks, raw) + 1 if breaks else None
    return Place(max(paragraph, 1), len(starts), page)


@functools.lru_cache(maxsize=256)
def _layout(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """A document's offset map, paragraph starts and page breaks, worked out once per text:
    a brief cites many passages of few documents, and each used to re-read its whole
    document (23 of 31 s of a brief at 1,000 recommendations)."""
    _, offsets = normalize_with_offsets(text)
    breaks = tuple(match.start() for match in re.finditer(PAGE_BREAK, text))
    return tuple(offsets), tuple(_paragraph_starts(text)), breaks


def place_text(document: SourceDocument, span: tuple[int, int] | None) -> str:
    """``p. 3, para. 12 of 40`` (the page only when the text has pages); "" when unknown."""
    place = passage_place(document, span)
    if place is None:
        return ""
    page = f"p. {place.page}, " if place.page is not None else ""
    return f"{page}para. {place.paragraph} of {place.paragraphs}"


def citation_text(document: SourceDocument | None, span: tuple[int, int] | None) -> str:
    """``Title (Author, Date), p. 3, para. 12 of 40``; the label alone when the place is not
    known; "" for no document (the status quo)."""
    if document is None:
        return ""
    meta = document.meta
    title = meta.title if meta.title and meta.title != "unknown" else meta.label
    who = [value for value in (meta.author, meta.date) if value and value != "unknown"]
    head = f"{title} ({', '.join(who)})" if who else title
    place = place_text(document, span)
    return f"{head}, {place}" if place else head


def recommendation_citation(documents: Mapping[str, SourceDocument], rec: Recommendation) -> str:
    """The citation of ``rec``'s quote and, for an option merged from several documents, of
    every other source's quote: ``A (…), para. 3; also B (…), para. 7``. A source whose text
    is stored without a YAML file (no document of the catalog) is cited by its file name."""
    main = citation_text(documents.get(rec.document), rec.span)
    others = [
        citation_text(documents.get(source.document), source.span) or source.document
        for source in rec.sources
    ]
    return "; also ".join(part for part in (main, *others) if part)
