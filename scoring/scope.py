"""Who acts and who speaks: the options open to one decision-maker, and the rest as context.

A catalog mixes advice to the U.S. executive with advice to other governments, to Beijing, to
both governments together and to non-state actors, and with demands a document reports from
PRC officials. Summing feasibility or buy-in across unlike actors in one ranking compares
things no one can choose between, so every front ranks only the options open to one
decision-maker (the U.S. executive by default) and shows the rest beside them as context:

- ``option``: addressed to the decision-maker (or not yet classified, so that a user's own
  document never silently drops out), voiced by the author or a reported non-PRC party;
- ``baseline``: the status quo, always ranked;
- ``beijing_asks``: a demand voiced by a PRC party, whoever it addresses;
- ``others_asked``: advice to someone other than the decision-maker.

``all`` as the decision-maker ranks everything but the PRC's demands' voice stays on show.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from scoring.errors import Code, InputError
from scoring.model import ADDRESSEES, UNKNOWN, Catalog, Recommendation, SourceDocument

__all__ = [
    "ALL",
    "DECISION_MAKERS",
    "DEFAULT_DECISION_MAKER",
    "ROLE_LABELS",
    "Role",
    "addressee_text",
    "check_decision_maker",
    "context_text",
    "date_text",
    "provenance_text",
    "role_counts",
    "role_of",
    "role_phrase",
    "scoped",
    "voice_text",
]

ALL = "all"
DEFAULT_DECISION_MAKER = "us_executive"
DECISION_MAKERS: dict[str, str] = {**ADDRESSEES, ALL: "Everyone (rank every item)"}

Role = Literal["option", "baseline", "beijing_asks", "others_asked"]
ROLE_LABELS: dict[str, str] = {
    "option": "Option",
    "baseline": "Status quo",
    "beijing_asks": "What Beijing asks for",
    "others_asked": "What others are asked to do",
}


def role_phrase(role: str) -> str:
    """A role's label inside a sentence: "what Beijing asks for" (the name keeps its capital)."""
    label = ROLE_LABELS[role]
    return label[0].lower() + label[1:]


def check_decision_maker(decision_maker: str, where: str = "--decision-maker") -> str:
    """``decision_maker`` if it is one of :data:`DECISION_MAKERS`; else an InputError."""
    if decision_maker not in DECISION_MAKERS:
        raise InputError(
            Code.BAD_VALUE,
            where,
            "",
            f"one of {', '.join(DECISION_MAKERS)}",
            repr(decision_maker),
            f"use {DEFAULT_DECISION_MAKER} for the U.S. executive, or {ALL} to rank every item",
        )
    return decision_maker


def role_of(rec: Recommendation, decision_maker: str) -> Role:
    """What ``rec`` is for ``decision_maker``: an option, the baseline, or context."""
    if rec.baseline:
        return "baseline"
    if decision_maker == ALL:
        return "option"
    if rec.reported_prc:
        return "beijing_asks"
    if not rec.addressees or decision_maker in rec.addressees:
        return "option"
    return "others_asked"


def scoped(catalog: Catalog, decision_maker: str) -> Catalog:
    """``catalog`` ranking only what ``decision_maker`` can choose; the rest moves to context.

    Idempotent on the union: a scoped catalog can be scoped again for another decision-maker.
    """
    check_decision_maker(decision_maker)
    ranked: list[Recommendation] = []
    context: list[Recommendation] = []
    for rec in catalog.recommendations + catalog.context:
        (ranked if role_of(rec, decision_maker) in _RANKED else context).append(rec)
    return Catalog.build(
        criteria=catalog.criteria,
        instruments=catalog.instruments,
        documents=catalog.documents,
        recommendations=tuple(ranked),
        profiles=catalog.profiles,
        default_profile=catalog.default_profile,
        assessed_as_of=catalog.assessed_as_of,
        context=tuple(context),
        scope=decision_maker,
    )


def role_counts(catalog: Catalog) -> Counter[str]:
    """How many items of the catalog (ranked and context) hold each role under its scope."""
    return Counter(role_of(rec, catalog.scope) for rec in catalog.recommendations + catalog.context)


def context_text(catalog: Catalog) -> str:
    """What the scope keeps out of the ranking, in words ("21 what others are asked to do, 6
    what Beijing asks for"); empty when nothing is kept out."""
    counts = role_counts(catalog)
    return ", ".join(
        f"{counts[role]} {role_phrase(role)}"
        for role in ("others_asked", "beijing_asks")
        if counts[role]
    )


_RANKED = frozenset({"option", "baseline"})


def voice_text(rec: Recommendation) -> str:
    """Who voices ``rec``, in a few words: "author", or a reported party and its side."""
    if rec.baseline:
        return "baseline"
    who = rec.voice if rec.voice != UNKNOWN else ""
    if rec.voice_kind == "author":
        return f"author ({who})" if who else "author"
    side = "PRC party, reported" if rec.reported_prc else "reported"
    return f"{who or 'unnamed party'} ({side})"


def addressee_text(rec: Recommendation) -> str:
    """The classes of actor ``rec`` asks to act, by label ("not classified" if none)."""
    if not rec.addressees:
        return "(addressee not classified)"
    return " and ".join(ADDRESSEES[a] for a in rec.addressees)


def provenance_text(rec: Recommendation) -> str:
    """One line on who is asked to act and who speaks, for cards, tables and briefs."""
    if rec.baseline:
        return "the do-nothing baseline: current policy continues, nothing new is started"
    return (
        f"addressed to {addressee_text(rec)} (text: {rec.actor}); voiced by {voice_text(rec)}; "
        f"{rec.kind}"
    )


def date_text(document: SourceDocument) -> str:
    """A document's date as the text shows it, or ``date unknown`` with the evidence note."""
    meta = document.meta
    if meta.date != UNKNOWN:
        return meta.date
    return "date unknown" + (f": {meta.date_evidence}" if meta.date_evidence else "")
