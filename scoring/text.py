"""Text normalisation shared by the catalog, the quote checks and extraction.

The rule is fixed by the catalog contract: a line that ends in a hyphen is joined to the
next line without a space (the hyphen is kept, because in these documents it is almost
always a real compound such as ``U.S.-China`` or ``rules-based``); every other run of
whitespace becomes one space. Spans are character offsets into the normalised text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence

import numpy as np

__all__ = [
    "find_span",
    "normalize_text",
    "normalize_with_offsets",
    "tfidf_cosine",
    "tfidf_pairs",
]

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


def tfidf_pairs(
    bags: Sequence[Sequence[str]],
    threshold: float,
    *,
    sublinear: bool = False,
    keys: Sequence[Hashable] | None = None,
    keep: Callable[[Hashable, Hashable], bool] | None = None,
) -> list[tuple[int, int, float]]:
    """Every pair ``(i, j, cosine)``, ``i < j``, whose TF-IDF cosine (as :func:`tfidf_cosine`
    computes it) is at least ``threshold`` > 0, without the n x n matrix.

    ``keys`` (one per bag) and ``keep`` restrict the pairs to those whose keys ``keep``
    accepts (e.g. levels far enough apart); bags with the same words and the same key are
    compared once, as one. Sorted by ``(i, j)``.

    Why it scales: two unit vectors whose dot product reaches ``threshold`` must share a word
    among each one's rarest words up to the point where the rest of its weight falls below
    ``threshold`` (all-pairs prefix filtering; Bayardo et al. 2007). Only those prefixes are
    indexed, their posting lists are short, and only the candidates they pair are scored.
    """
    count = len(bags)
    keys = [None] * count if keys is None else keys
    bag_counts = [Counter(bag) for bag in bags]
    frequency: Counter[str] = Counter()
    for counted in bag_counts:
        frequency.update(counted.keys())
    idf = {word: math.log((1.0 + count) / (1.0 + df)) + 1.0 for word, df in frequency.items()}
    # Rarest first (ties by first appearance, a fixed order): the order prefixes follow.
    order = {word: place for place, (word, _) in enumerate(
        sorted(frequency.items(), key=lambda item: item[1]))}  # fmt: skip
    groups: dict[tuple[object, Hashable], list[int]] = {}
    for index, counted in enumerate(bag_counts):
        groups.setdefault((frozenset(counted.items()), keys[index]), []).append(index)
    members = list(groups.values())
    vectors: list[dict[str, float]] = []
    for group in members:
        counted = bag_counts[group[0]]
        tf = {w: 1.0 + math.log(c) if sublinear else float(c) for w, c in counted.items()}
        weights = {w: value * idf[w] for w, value in tf.items()}
        norm = math.sqrt(sum(value * value for value in weights.values()))
        vectors.append({w: value / norm for w, value in weights.items()} if norm else {})
    floor = threshold * threshold - 1e-9  # a hair under: rounding must not drop a candidate
    postings: dict[str, list[int]] = {}
    for rep, vector in enumerate(vectors):
        rest = sum(value * value for value in vector.values())
        for word in sorted(vector, key=order.__getitem__):
            if rest < floor:
                break
            postings.setdefault(word, []).append(rep)
            rest -= vector[word] ** 2
    candidates: set[tuple[int, int]] = set()
    for reps in postings.values():
        for place, first in enumerate(reps):
            for second in reps[place + 1 :]:
                candidates.add((first, second))
    found: list[tuple[int, int, float]] = []
    for rep, vector in enumerate(vectors):  # identical words, one key: cosine 1 among them
        group = members[rep]
        if len(group) > 1 and vector and (keep is None or keep(keys[group[0]], keys[group[0]])):
            found += [(i, j, 1.0) for place, i in enumerate(group) for j in group[place + 1 :]]
    for first, second in candidates:
        a, b = members[first], members[second]
        if keep is not None and not keep(keys[a[0]], keys[b[0]]):
            continue
        small, large = sorted((vectors[first], vectors[second]), key=len)
        cosine = sum(value * large.get(word, 0.0) for word, value in small.items())
        if cosine >= threshold:
            found += [(min(i, j), max(i, j), cosine) for i in a for j in b]
    return sorted(found)
