"""Text normalisation shared by the catalog, the quote checks and extraction.

The rule is fixed by the catalog contract: a line that ends in a hyphen is joined to the
next line without a space (the hyphen is kept, because in these documents it is almost
always a real compound such as ``U.S.-China`` or ``rules-based``); every other run of
whitespace becomes one space. Spans are character offsets into the normalised text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

__all__ = ["find_span", "normalize_text", "normalize_with_offsets", "tfidf_cosine"]

_HYPHEN_LINE_BREAK = re.compile(r"-[ \t]*\r?\n\s*")
_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Return ``text`` with hyphenated line breaks joined and whitespace collapsed."""
    joined = _HYPHEN_LINE_BREAK.sub("-", text)
    return _WHITESPACE.sub(" ", joined)


def find_span(normalized_document: str, quote: str) -> tuple[int, int] | None:
    """Return the (start, end) of the first occurrence of ``quote`` once normalised, or None.

    ``normalized_document`` must already be normalised; the quote is normalised here and
    stripped, since a quote copied from a wrapped line may carry a stray leading space.
    """
    needle = normalize_text(quote).strip()
    if not needle:
        return None
    start = normalized_document.find(needle)
    if start < 0:
        return None
    return start, start + len(needle)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalize_text(text)`` and, for every offset 0..len(text) of ``text``, its offset in it.

    The two substitutions of :func:`normalize_text` are replayed while recording where each
    raw character lands, so layout read from the raw text (blank lines, bullets, headings)
    maps onto spans. A replaced run maps its first character to the replacement and the rest
    to just after it.
    """
    joined, first = _sub_with_offsets(_HYPHEN_LINE_BREAK, "-", text)
    normalized, second = _sub_with_offsets(_WHITESPACE, " ", joined)
    return normalized, [second[index] for index in first]


def _sub_with_offsets(
    pattern: re.Pattern[str], replacement: str, text: str
) -> tuple[str, list[int]]:
    pieces: list[str] = []
    offsets: list[int] = []
    cursor = 0
    out = 0
    for match in pattern.finditer(text):
        kept = match.start() - cursor
        pieces.append(text[cursor : match.start()])
        offsets.extend(range(out, out + kept))
        out += kept
        offsets.append(out)
        offsets.extend([out + len(replacement)] * (match.end() - match.start() - 1))
        pieces.append(replacement)
        out += len(replacement)
        cursor = match.end()
    pieces.append(text[cursor:])
    offsets.extend(range(out, out + len(text) - cursor))
    out += len(text) - cursor
    offsets.append(out)
    return "".join(pieces), offsets


def tfidf_cosine(bags: Sequence[Sequence[str]], *, sublinear: bool = False) -> np.ndarray:
    """Cosine similarities of TF-IDF vectors of word bags (n x n), smoothed IDF.

    ``sublinear`` weighs a term seen k times as 1 + log k instead of k. A bag with no word
    has a zero row. Callers choose the words (stop words, stemming) for their purpose.
    """
    vocabulary: dict[str, int] = {}
    for bag in bags:
        for word in bag:
            vocabulary.setdefault(word, len(vocabulary))
    counts = np.zeros((len(bags), max(1, len(vocabulary))))
    for row, bag in enumerate(bags):
        for word in bag:
            counts[row, vocabulary[word]] += 1.0
    present = counts > 0
    tf = (
        np.where(present, 1.0 + np.log(np.where(present, counts, 1.0)), 0.0)
        if sublinear
        else counts
    )
    idf = np.log((1.0 + len(bags)) / (1.0 + present.sum(axis=0))) + 1.0
    vectors = tf * idf
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    result: np.ndarray = vectors @ vectors.T
    return result
