"""Near-duplicate recommendations across documents: one option with several sources.

Teams read papers that repeat each other ("restart the legal dialogue" in three of them). After
extraction, :func:`propose_merges` compares every passage with every passage of the *other*
documents (and, if given, with the catalog's recommendations) and proposes groups to merge; the
reviewer accepts or splits each one (:mod:`scoring.intake` applies the decision). Nothing
is merged without a decision.

Similarity is the cosine of TF-IDF vectors over content words (numpy only): words are lower-
cased, stop words and the advice verbs every recommendation shares ("should", "must", "urge")
are dropped, and a light suffix rule folds plurals and verb endings ("sanctions", "sanctioning"
-> "sanction"). TF is sublinear (1 + log n), IDF is smoothed (log((1 + N) / (1 + df)) + 1) over
the passages compared, so a word every document uses ("China", "human rights") weighs little.

The threshold, :data:`MERGE_THRESHOLD` = 0.5, was read off the seven documents of the shared
corpus and the seeds: pairs at or above 0.5 restate one proposal in other words (the same
actor, verb and object), pairs between 0.3 and 0.5 share a topic but ask for different acts
("sanction officials" / "sanction companies"). A merge is proposed, never applied, so the
threshold errs towards proposing; the reviewer splits what should stay apart.

A group never holds two passages of one document (a document that repeats itself is one
document's business, handled by merge/split in the review), and it is formed greedily from the
most similar pair down, so a chain of weak links does not pull in unrelated passages: a
passage joins a group only if it is at or above the threshold with every member.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scoring.text import tfidf_cosine

__all__ = [
    "MERGE_THRESHOLD",
    "Passage",
    "ProposedMerge",
    "content_words",
    "propose_merges",
    "similarity_matrix",
]

MERGE_THRESHOLD = 0.5

_STOP = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves us per via
    should must shall may might need needs ought urge urges urged call calls called recommend
    recommends recommended encourage encourages encouraged ensure ensures continue continues
    make makes take takes use uses well new including include includes such whether
    """.split()  # noqa: SIM905 - a word list reads better as prose than as 160 literals
)
_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "es", "ed", "s")


@dataclass(frozen=True)
class Passage:
    """One recommendation to compare: ``key`` names it to the caller (a draft key, a catalog
    id), ``document`` is where it comes from; ``text`` is what is compared (its quote, or its
    title and summary)."""

    key: str
    document: str
    text: str


@dataclass(frozen=True)
class ProposedMerge:
    """Passages of different documents that restate one proposal; ``similarity`` is the
    lowest cosine between two members (every pair is at least this similar)."""

    members: tuple[Passage, ...]
    similarity: float

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(p.document for p in self.members)


def _stem(word: str) -> str:
    word = word.replace("’", "'").removesuffix("'s")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> list[str]:
    """The words that carry a proposal's content, folded: stop words and advice verbs out."""
    words = _WORD.findall(text.lower())
    return [_stem(w) for w in words if w not in _STOP and len(w) > 2]


def similarity_matrix(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarities of the texts' TF-IDF vectors (n x n, 1 on the diagonal unless a
    text has no content word, whose row is 0)."""
    return tfidf_cosine([content_words(text) for text in texts], sublinear=True)


def propose_merges(
    passages: Sequence[Passage],
    catalog: Sequence[Passage] = (),
    *,
    threshold: float = MERGE_THRESHOLD,
) -> tuple[ProposedMerge, ...]:
    """Groups of passages from different documents to merge into one option.

    ``catalog`` passages (already in the catalog) can join a group but never form one alone;
    each group holds at least one of ``passages``. Groups come in order of their first
    member's position; within a group, members keep their input order (catalog ones last).
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    items = [*passages, *catalog]
    if len(items) < 2:
        return ()
    sims = similarity_matrix([p.text for p in items])
    new = len(passages)
    upper = np.triu(sims, k=1)
    rows, cols = np.nonzero(upper >= threshold)
    pairs = sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda rc: -upper[rc])
    group_of: dict[int, int] = {}
    groups: list[list[int]] = []
    for i, j in pairs:
        if items[i].document == items[j].document or (i >= new and j >= new):
            continue
        gi, gj = group_of.get(i), group_of.get(j)
        if gi is None and gj is None:
            group_of[i] = group_of[j] = len(groups)
            groups.append([i, j])
        elif gi is not None and gj is not None:
            continue  # both placed: joining two groups would chain weak links
        else:
            group, newcomer = (gi, j) if gi is not None else (gj, i)
            assert group is not None
            members = groups[group]
            if all(
                items[m].document != items[newcomer].document and sims[m, newcomer] >= threshold
                for m in members
            ):
                group_of[newcomer] = group
                members.append(newcomer)
    merges = []
    for members in sorted(groups, key=min):
        members.sort()
        low = min(
            float(sims[a, b]) for index, a in enumerate(members) for b in members[index + 1 :]
        )
        merges.append(
            ProposedMerge(tuple(items[m] for m in members), math.floor(low * 1000) / 1000)
        )
    return tuple(merges)
