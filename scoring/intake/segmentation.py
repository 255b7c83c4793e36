"""Blocks and sentences of a document's text, for the extractor (:mod:`scoring.intake.extraction`).

Blocks come from the layout: a heading, a bullet item, a paragraph (hard-wrapped PDF text is
re-joined into paragraphs). Sentences come from pysbd's rule-based segmenter, which knows
abbreviations such as "U.S." and footnote numbers glued to a full stop; a block is first cut
into segments of at most :data:`MAX_SEGMENT` characters so the work stays linear in the text.
The underscored names are shared within :mod:`scoring.intake` only.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence
from typing import Literal

import pysbd

_BULLET = re.compile(
    r"^\s*(?:[•·▪◦‣●○■□➢►✓*–—-]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)])\s+"
)
_ENDS_SENTENCE = re.compile(r"[.!?:][\"'”’»›)\]]*\d{0,3}\s*$")
_ENDS_PUNCT = re.compile(r"[.!?:;,][\"'”’»›)\]]*\d{0,3}\s*$")
BlockKind = Literal["heading", "bullet", "para"]


def text_blocks(text: str) -> list[tuple[int, int, BlockKind]]:
    """Raw (start, end, kind) of each heading, bullet item and paragraph.

    Text whose lines are hard-wrapped (as extracted from PDFs) is re-joined: a line break, or a
    blank line left by a column or page break, continues the paragraph unless the text before
    it ends a sentence; a line that ends a sentence well short of the column width ends its
    paragraph. Elsewhere every line is its own paragraph.
    """
    lines: list[tuple[int, int, str]] = []
    position = 0
    for line in text.split("\n"):
        lines.append((position, position + len(line), line.strip()))
        position += len(line) + 1
    width = _wrap_width([content for _, _, content in lines])
    wrapped = width > 0
    blocks: list[tuple[int, int, BlockKind]] = []
    current: list = []  # [start, end, kind] of the open block

    def close() -> None:
        if current:
            blocks.append((current[0], current[1], current[2]))
            current.clear()

    for index, (start, end, content) in enumerate(lines):
        if not content:
            if current and (not wrapped or _ENDS_SENTENCE.search(text[current[0] : current[1]])):
                close()
            continue
        previous_blank = index == 0 or not lines[index - 1][2]
        next_blank = index + 1 == len(lines) or not lines[index + 1][2]
        runs_on = not next_blank and lines[index + 1][2][:1].islower()
        if not runs_on and _is_heading(content, wrapped, previous_blank and next_blank):
            close()
            blocks.append((start, end, "heading"))
        elif _BULLET.match(content):
            close()
            current.extend([start, end, "bullet"])
        elif current and (
            wrapped
            or (
                not previous_blank
                and content[:1].islower()
                and not _ENDS_SENTENCE.search(text[current[0] : current[1]])
            )
        ):
            current[1] = end  # a continuation line (in unwrapped text: it starts lower-case)
        else:
            close()
            current.extend([start, end, "para"])
        if wrapped and len(content) < 0.7 * width and _ENDS_SENTENCE.search(content):
            close()  # a short last line: the paragraph ends here
    close()
    return blocks


def _wrap_width(lines: Sequence[str]) -> float:
    """The median line length if lines are hard-wrapped (most run on into the next line
    without ending a sentence, as in text taken from a PDF), else 0."""
    runs_on = sum(
        1
        for line, following in itertools.pairwise(lines)
        if line and following and not _ENDS_PUNCT.search(line)
    )
    filled = [line for line in lines if line]
    if len(filled) < 8 or runs_on < 0.4 * len(filled):
        return 0.0
    width = statistics.median(len(line) for line in filled)
    return float(width) if width <= 100 else 0.0


def _is_heading(line: str, wrapped: bool, alone: bool) -> bool:
    words = line.split()
    if line.startswith("#"):
        return True
    letters = [c for c in line if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters) and len(words) <= 10:
        return True
    if (
        _BULLET.match(line)
        or line.endswith("-")
        or (_ENDS_PUNCT.search(line) and not line.endswith(":"))
    ):
        return False
    if wrapped:
        return alone and len(words) <= 10
    return len(words) <= 12


# pysbd's time grows with the square of a block's length; blocks are cut into segments of at
# most this many characters (at a line break, else a sentence end, else a space) first, so
# splitting stays linear in the text however long a single line is.
MAX_SEGMENT = 3_000
_SEGMENT_CUTS = (re.compile(r"\n"), re.compile(r"[.!?;][\"')\]]*\s"), re.compile(r"\s"))


def _segments(block: str) -> list[tuple[int, int]]:
    """(start, end) of pieces of ``block`` of at most :data:`MAX_SEGMENT` characters."""
    pieces = []
    at = 0
    while len(block) - at > MAX_SEGMENT:
        window = block[at : at + MAX_SEGMENT]
        cut = MAX_SEGMENT
        for pattern in _SEGMENT_CUTS:
            ends = [m.end() for m in pattern.finditer(window, MAX_SEGMENT // 2)]
            if ends:
                cut = ends[-1]
                break
        pieces.append((at, at + cut))
        at += cut
    pieces.append((at, len(block)))
    return pieces


def _sentences(normalized: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence of normalized[start:end], leading bullet marks excluded."""
    spans: list[tuple[int, int]] = []
    pieces = _segments(normalized[start:end])
    for number, (piece_start, piece_end) in enumerate(pieces):
        found = _segment_sentences(normalized, start + piece_start, start + piece_end)
        if number < len(pieces) - 1 and len(found) > 1:
            # At a cut, pysbd may take a sentence's closing "36." for a list number: join it.
            (a_start, _), (b_start, b_end) = found[-2], found[-1]
            if not any(ch.isalpha() for ch in normalized[b_start:b_end]):
                found[-2:] = [(a_start, b_end)]
        spans += found
    return _without_bullets(normalized, spans)


def _segment_sentences(normalized: str, start: int, end: int) -> list[tuple[int, int]]:
    block = normalized[start:end]
    spans = []
    cursor = 0
    # A new segmenter per block: it keeps the text it is given, so one must not be shared
    # between threads (the dashboard serves sessions on threads); building one is cheap.
    for sentence in pysbd.Segmenter(language="en", clean=False).segment(block):
        piece = sentence.strip()
        if not piece:
            continue
        found = block.find(piece, cursor)
        if found < 0:  # the segmenter altered the text: keep the rest of the block whole
            rest = block[cursor:].strip()
            if rest:
                at = block.index(rest, cursor)
                spans.append((start + at, start + at + len(rest)))
            break
        spans.append((start + found, start + found + len(piece)))
        cursor = found + len(piece)
    return spans


def _without_bullets(normalized: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    trimmed = []
    for s_start, s_end in spans:
        marker = _BULLET.match(normalized[s_start:s_end])
        if marker:
            s_start += marker.end()
        if s_end - s_start > 1:
            trimmed.append((s_start, s_end))
    return trimmed
