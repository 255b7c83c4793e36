"""Consistency of the scores with their own reasons: same reasoning, same level.

Two checks a reviewer would otherwise make by hand, run by ``recscore validate`` and by a test
over the bundled catalog:

- **Same reasoning, different level.** For each criterion, rationales are compared by TF-IDF
  cosine similarity of their content words; a pair at or above :data:`SIMILAR_REASONING`
  whose levels differ by :data:`LEVEL_GAP` or more is flagged: either the reasons differ and
  the words should say how, or one level is wrong.
- **Words that contradict the anchor.** Where a rationale uses the very words that define a
  level (``nothing asked in return`` is leverage 1; ``needs no PRC action`` is buy-in 5; ``no
  plausible effect on rights`` is human-rights 2), its level must be that one. Only phrases
  whose meaning does not depend on context are listed, so a flag is a real contradiction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scoring.model import Catalog, Recommendation
from scoring.text import tfidf_pairs

__all__ = [
    "ANCHOR_RULES",
    "LEVEL_GAP",
    "SIMILAR_REASONING",
    "AnchorRule",
    "Inconsistency",
    "anchor_contradictions",
    "find_inconsistencies",
    "similar_reasoning_gaps",
]

# Cosine similarity of two rationales' TF-IDF vectors at or above which they count as the same
# reasoning; checked on the bundled catalog, where unrelated rationales stay below 0.35.
SIMILAR_REASONING = 0.6
# Levels apart on the 1-5 scale that the same reasoning must not be.
LEVEL_GAP = 2.0

Check = Literal["same_reasoning_different_level", "rationale_contradicts_anchor"]


@dataclass(frozen=True)
class AnchorRule:
    """A phrase that, in a rationale for ``criterion``, means the level is one of ``levels``."""

    criterion: str
    pattern: str
    levels: frozenset[float]
    why: str

    def matches(self, rationale: str) -> bool:
        return re.search(self.pattern, rationale, flags=re.IGNORECASE) is not None


ANCHOR_RULES: tuple[AnchorRule, ...] = (
    AnchorRule(
        "leverage",
        r"nothing (is )?(asked|demanded|required) in return|with no (condition|conditions|"
        r"strings) attached|forfeits? (any |its |the )?leverage",
        frozenset({1.0}),
        "a concession with nothing asked in return forfeits leverage (level 1)",
    ),
    AnchorRule(
        "buy_in",
        r"needs? no (PRC|Chinese|Beijing's) (action|consent|participation|permission|"
        r"cooperation)|beijing cannot block",
        frozenset({5.0}),
        "a measure that needs nothing from Beijing is level 5",
    ),
    AnchorRule(
        "human_rights",
        r"no plausible effect on (anyone's |anybody's )?rights|no (plausible |direct or indirect )"
        r"?effect on anyone's rights",
        frozenset({2.0}),
        "no plausible effect on rights is level 2 (level 1 is harm)",
    ),
    AnchorRule(
        "human_rights",
        r"\blends? (the |those |these )?abuses legitimacy|\blegitimi[sz]es (the |those )?abuses",
        frozenset({1.0}),
        "a measure that lends abuses legitimacy is level 1",
    ),
    AnchorRule(
        "allied_support",
        r"allies (would|will) (not|neither) (join|take part)|no ally (would|will) (join|take part)",
        frozenset({1.0, 2.0, 3.0}),
        "allies not taking part is at most level 3",
    ),
    AnchorRule(
        "relationship_risk",
        r"no foreseeable spill-?over",
        frozenset({1.0}),
        "no foreseeable spill-over is level 1",
    ),
)


@dataclass(frozen=True)
class Inconsistency:
    """One flag: which check, which criterion, which items at which levels, and why."""

    check: Check
    criterion: str
    ids: tuple[str, ...]
    levels: tuple[float, ...]
    detail: str

    def __str__(self) -> str:
        levels = ", ".join(
            f"{rec_id} {level:g}" for rec_id, level in zip(self.ids, self.levels, strict=True)
        )
        return f"{self.criterion}: {levels}: {self.detail}"


def find_inconsistencies(catalog: Catalog) -> tuple[Inconsistency, ...]:
    """Every flag of both checks over the catalog's items, ranked and context alike."""
    items = catalog.recommendations + catalog.context
    return anchor_contradictions(items) + similar_reasoning_gaps(items, catalog.criterion_ids)


def anchor_contradictions(
    items: Sequence[Recommendation], rules: Sequence[AnchorRule] = ANCHOR_RULES
) -> tuple[Inconsistency, ...]:
    """Rationales whose words name a level other than the one they were given."""
    found = []
    for rec in items:
        for rule in rules:
            score = rec.scores.get(rule.criterion)
            if (
                score is not None
                and rule.matches(score.rationale)
                and score.value not in rule.levels
            ):
                found.append(
                    Inconsistency(
                        "rationale_contradicts_anchor",
                        rule.criterion,
                        (rec.id,),
                        (score.value,),
                        f"the rationale says so, but {rule.why}",
                    )
                )
    return tuple(found)


def similar_reasoning_gaps(
    items: Sequence[Recommendation],
    criterion_ids: Sequence[str],
    threshold: float = SIMILAR_REASONING,
    gap: float = LEVEL_GAP,
) -> tuple[Inconsistency, ...]:
    """Pairs whose rationales for one criterion say the same thing but differ by ``gap``+.

    Only pairs far enough apart are scored, through an index of rare words
    (:func:`~scoring.text.tfidf_pairs`): comparing every pair took 29 s at 5,000 items.
    """
    found = []
    for criterion_id in criterion_ids:
        scored = [rec for rec in items if criterion_id in rec.scores]
        if len(scored) < 2:
            continue
        levels = [float(rec.scores[criterion_id].value) for rec in scored]
        pairs = tfidf_pairs(
            [_tokens(rec.scores[criterion_id].rationale) for rec in scored],
            threshold,
            keys=levels,
            keep=lambda a, b: abs(float(a) - float(b)) >= gap,  # type: ignore[arg-type]
        )
        found += [
            Inconsistency(
                "same_reasoning_different_level",
                criterion_id,
                (scored[i].id, scored[j].id),
                (levels[i], levels[j]),
                f"rationales {similarity:.2f} alike (threshold {threshold}) but "
                f"{abs(levels[i] - levels[j]):g} levels apart",
            )
            for i, j, similarity in pairs
        ]
    return tuple(found)


_WORD = re.compile(r"[a-z][a-z'-]+")
# Words that carry no reasoning; kept short on purpose, since domain words must count.
_STOPWORDS = frozenset(
    re.split(
        r"\s+",
        """a an and are as at be by can could for from has have in into is it its it's of on or so
    that the their them they this to was were which while who will with would not no but than
    then there these those only also more most any some such""",
    )
)


def _tokens(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 2]
