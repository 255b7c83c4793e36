"""Sentence units in context: a sentence (or its advising semicolon clauses) with its finding,
then the context rules (an imperative heading joined to what follows, "Recommendations to
<actor>:" lead-ins naming the actor of the items below, enumerated points, elaborations) and
the merging of adjacent units into one candidate.

Part of the extractor (:mod:`scoring.intake.extraction`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from scoring.intake.advice_forms import _LEAD_IN, _analyse
from scoring.intake.advice_modal import FORMS, _Finding
from scoring.intake.lexicon import _WORD, _is_gerund_or_participle, _lemmas
from scoring.intake.segmentation import BlockKind
from scoring.model import UNKNOWN


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    finding: _Finding | None
    block: int
    position: int  # the sentence's index in its block
    block_kind: BlockKind
    ordinal: bool  # opens with "First," "Second," ... "Finally,"
    elaborates: bool  # opens with "This means", "That would", ...
    words: int
    lead_in: bool = False  # ends with ":" and bullet items follow: it announces a list
    under_advice: bool = False  # a bullet under a lead-in that gives advice ("should be:")
    lead_actor: str = UNKNOWN  # who that lead-in names ("Recommendations to Congress:")


_ORDINAL = re.compile(
    r"^(first(ly)?|second(ly)?|third(ly)?|fourth(ly)?|fifth(ly)?|finally|lastly|last|next)\b,?",
    re.IGNORECASE,
)
_ELABORATION = re.compile(
    r"^(this|that|these|those|doing so|in practice,? this)\b(\W+\w+){0,2}?\W+"
    r"(means?|would|will|could|can|should|includes?|involves?|requires?|entails?)\b",
    re.IGNORECASE,
)


def _units(
    normalized: str,
    start: int,
    end: int,
    block: int,
    position: int,
    block_kind: BlockKind,
    proper: frozenset[str],
) -> list[_Unit]:
    """The sentence as one unit, or its semicolon clauses when two or more give advice."""
    sentence = normalized[start:end]
    clauses = _semicolon_clauses(sentence)
    if len(clauses) > 1:
        findings = [
            (a, b, _analyse(sentence[a:b], proper, position, block_kind)) for a, b in clauses
        ]
        advice = [(a, b, f) for a, b, f in findings if f is not None]
        if len(advice) >= 2:
            return [
                _unit(normalized, start + a, start + b, f, block, position, block_kind)
                for a, b, f in advice
            ]
    finding = _analyse(sentence, proper, position, block_kind)
    return [_unit(normalized, start, end, finding, block, position, block_kind)]


def _unit(
    normalized: str,
    start: int,
    end: int,
    finding: _Finding | None,
    block: int,
    position: int,
    block_kind: BlockKind,
) -> _Unit:
    text = normalized[start:end]
    return _Unit(
        start,
        end,
        finding,
        block,
        position,
        block_kind,
        ordinal=bool(_ORDINAL.match(text)),
        elaborates=bool(_ELABORATION.match(text)),
        words=len(text.split()),
    )


def _semicolon_clauses(sentence: str) -> list[tuple[int, int]]:
    clauses = []
    depth = 0
    cursor = 0
    for index, char in enumerate(sentence):
        depth += (char == "(") - (char == ")")
        if char == ";" and depth == 0:
            clauses.append((cursor, index))
            cursor = index + 1
    clauses.append((cursor, len(sentence)))
    stripped = []
    for a, b in clauses:
        piece = sentence[a:b]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            stripped.append((a + lead, a + len(piece.rstrip())))
    return stripped


# "Recommendations to the Department of Justice:", "Specific recommendations to the President
# include:", "Our recommendations for Congress are:": the heading names who is to act.
_RECOMMENDATIONS_TO = re.compile(
    r"^\W*(?:(?:our|specific|key|further|additional|other|policy|\w+’s|\w+'s)\s+)*"
    r"recommendations?\s+(?:to|for)\s+(?P<actor>[^:]{2,90}?)"
    r"(?:\s+(?:include|includes|are|is|would be))?\s*:\s*$",
    re.IGNORECASE,
)
# Lead-ins that announce advice, not a description: "should be:", "we recommend:", "steps:".
# Not "include:" or "the following:", which as often announce a list of events.
_ADVICE_LEAD = re.compile(
    r"\b(should|must|ought|needs? to|recommend\w*|priorit\w+|proposals?|propose[sd]?|steps"
    r"|measures|actions|urge[sd]?|call(?:s|ed)? (?:on|for))\b",
    re.IGNORECASE,
)


def _in_context(normalized: str, units: list[_Unit], proper: frozenset[str]) -> list[_Unit]:
    """Read each bullet with the lead-in above it.

    A lead-in that ends with a colon only announces the list: it is no candidate itself. If it
    gives advice ("Key priorities ... should be:", "Recommendations to Congress:"), each bullet
    that opens with a gerund ("Eliminating the loophole;") is an item of advice, as is a
    gerund paragraph that still ends like a list item (";"); an actor the lead-in names
    ("Recommendations to <actor>:", "Congress should:") is the actor of its bullets.
    """
    out: list[_Unit] = []
    advice = False
    actor = UNKNOWN
    for index, unit in enumerate(units):
        text = normalized[unit.start : unit.end]
        following = units[index + 1] if index + 1 < len(units) else None
        list_follows = (
            following is not None
            and following.block_kind == "bullet"
            and following.block != unit.block
        )
        if unit.block_kind != "bullet":
            if text.rstrip(" \ufeff\u200b").endswith(":") and list_follows:
                named = _RECOMMENDATIONS_TO.match(text)
                advice = bool(named or _ADVICE_LEAD.search(text))
                actor = named.group("actor").strip() if named else UNKNOWN
                finding = unit.finding
                if actor == UNKNOWN and finding is not None and finding.actor_basis == "subject":
                    actor = finding.actor  # "Congress should:"
                out.append(replace(unit, finding=None, lead_in=True))
                continue
            ending = text.rstrip(" \ufeff\u200b")  # a byte-order mark left mid-text by a copy
            # A gerund paragraph whose first clause still ends like a list item (";").
            first_clause = re.match(r"[^.!?;]*;", ending)
            continues_list = advice and _opens_with_gerund(text) and first_clause is not None
            if not continues_list:
                advice, actor = False, UNKNOWN
                out.append(unit)
                continue
            cut = text.find(";") + 1
            if cut < len(ending):
                # The item runs on into the next paragraph (a wrapped layout): split it off.
                rest_start = unit.start + cut + len(text[cut:]) - len(text[cut:].lstrip())
                rest = normalized[rest_start : unit.end]
                tail = _unit(
                    normalized,
                    rest_start,
                    unit.end,
                    _analyse(rest, proper, unit.position + 1, unit.block_kind),
                    unit.block,
                    unit.position + 1,
                    unit.block_kind,
                )
                head = _unit(
                    normalized,
                    unit.start,
                    unit.start + cut,
                    None,
                    unit.block,
                    unit.position,
                    unit.block_kind,
                )
                finding = _Finding(
                    ("list_item",),
                    "gerund item after an advice lead-in",
                    actor,
                    "named by the lead-in" if actor != UNKNOWN else "no subject",
                    0.75,
                )
                out += [replace(head, finding=finding, under_advice=True, lead_actor=actor), tail]
                advice, actor = False, UNKNOWN
                continue
        if not advice and actor == UNKNOWN:
            out.append(unit)
            continue
        finding = unit.finding
        if finding is None and advice and _opens_with_gerund(text):
            finding = _Finding(
                ("list_item",), "gerund item after an advice lead-in", UNKNOWN, "no subject", 0.75
            )
        if finding is not None and finding.actor == UNKNOWN and actor != UNKNOWN:
            finding = replace(finding, actor=actor, actor_basis="named by the lead-in")
        out.append(replace(unit, finding=finding, under_advice=advice, lead_actor=actor))
    return out


def _opens_with_gerund(text: str) -> bool:
    words = _WORD.findall(_LEAD_IN.sub("", text[:200]))
    if not words or not words[0][:1].isupper():
        return False
    lower = words[0].lower()
    # An -ing word the lexicon does not know ("Redesignating") is a gerund all the same.
    return (
        len(lower) > 5
        and lower.endswith("ing")
        and (_is_gerund_or_participle(lower) or not _lemmas(lower))
    )


def _merge(units: list[_Unit]) -> Iterable[tuple[int, int, _Finding]]:
    """Join an imperative heading, a paragraph's opening imperative or an enumerated point to
    the sentence that follows it, and an advice sentence to a "This means ..." elaboration.

    A heading that introduces bullet items is dropped: the items are the recommendations.
    """
    index = 0
    while index < len(units):
        unit = units[index]
        finding = unit.finding
        if finding is None:
            index += 1
            continue
        following = units[index + 1] if index + 1 < len(units) else None
        same_block = following is not None and following.block == unit.block
        leads = "imperative" in finding.forms and (
            unit.block_kind == "heading" or unit.position == 0
        )
        join = following is not None and (
            (leads and unit.block_kind == "heading" and following.block_kind == "para")
            or (same_block and leads and (following.finding is None or unit.words <= 12))
            or (same_block and unit.ordinal and following.finding is None)
            or (same_block and following.elaborates and following.finding is None)
        )
        if unit.block_kind == "heading" and following and following.block_kind == "bullet":
            index += 1
            continue
        if join and following is not None:
            if following.finding is not None:
                finding = _combine(finding, following.finding)
            yield unit.start, following.end, finding
            index += 2
        else:
            yield unit.start, unit.end, finding
            index += 1


def _combine(lead: _Finding, other: _Finding) -> _Finding:
    forms = tuple(form for form in FORMS if form in lead.forms or form in other.forms)
    actor, basis = (lead.actor, lead.actor_basis)
    if actor == UNKNOWN and other.actor != UNKNOWN:
        actor, basis = other.actor, other.actor_basis
    return replace(
        lead,
        forms=forms,
        actor=actor,
        actor_basis=basis,
        confidence=max(lead.confidence, other.confidence),
    )
