"""Suggested scores for a new document's candidates: the median of curated peers, marked."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scoring.model import (
    SCALE_MAX,
    SCALE_MIN,
    UNKNOWN,
    Catalog,
    Score,
)

__all__ = [
    "ACTOR_CLASSES",
    "MIN_PEERS",
    "SUGGESTION_MARK",
    "Suggestion",
    "SuggestionRules",
    "actor_class",
    "is_suggested",
    "median",
]

SUGGESTION_MARK = "Suggested score, not yet reviewed"

MIN_PEERS = 3

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
            value = median(row[index].value for row in rows)
            low = median(row[index].low for row in rows)
            high = median(row[index].high for row in rows)
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


def median(values: Iterable[float]) -> float:
    return float(statistics.median(values))
