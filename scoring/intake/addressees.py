"""The addressee class of an actor named in text, onto the catalog's closed list.

``addressee_of("the Department of Justice")`` is ``us_executive``; ``"the two leaders"`` is
``joint_us_prc``; a bare pronoun or nothing is ``unknown``. Keyword rules, first match wins,
in an order that puts the more specific class first (a joint U.S.-PRC actor names both
governments; "the UN Human Rights Council" is multilateral before it is a council of states).
"""

from __future__ import annotations

import re

from scoring.model import UNKNOWN

__all__ = ["ADDRESSEE_RULES", "addressee_of"]

_US = r"(u\.\s?s\.|us|united states|america|american|washington)"
_PRC = r"(china|chinese|beijing|prc|people[’']s republic|ccp|cpc|xi jinping|xi)"

ADDRESSEE_RULES: tuple[tuple[str, str], ...] = (
    (
        "joint_us_prc",
        rf"\b({_US}\b.*\band\b.*\b{_PRC}|{_PRC}\b.*\band\b.*\b{_US}|the two (leaders|sides|"
        r"countries|governments|presidents)|both (sides|leaders|countries|governments)"
        r"|bilateral)\b",
    ),
    (
        "us_congress",
        r"\b(congress|congressional|senate|senators?|house of representatives|lawmakers"
        r"|legislators|legislation)\b",
    ),
    (
        "multilateral",
        r"\b(united nations|u\.\s?n\.|un|human rights council|g7|g20|wto|nato|european union"
        r"|e\.\s?u\.|eu|world bank|imf|special rapporteur"
        r"|international (bodies|organi[sz]ations))\b",
    ),
    ("prc_government", rf"\b{_PRC}\b"),
    (
        "us_executive",
        rf"\b({_US}|president|white house|administration|department|secretary|commerce"
        r"|treasury|state department|bis|bureau|doj|fbi|dhs|odni|justice|homeland security"
        r"|federal|executive|agenc(y|ies)|policymakers|policy makers|u\.\s?s\. government"
        r"|national security advis[eo]r|ambassadors?|embassy|diplomats?)\b",
    ),
    (
        "allied_governments",
        r"\b(allies|allied|the west|western|democracies|britain|british|uk|united kingdom"
        r"|japan|australia|canada|germany|france|taiwan|india|south korea|like-minded"
        r"|governments?|parliaments?|other (countries|nations|states)|all (countries|nations)"
        r"|the world|international community)\b",
    ),
    (
        "non_state",
        r"\b(compan(y|ies)|business(es)?|firms?|corporations?|industry|investors?|ngos?"
        r"|civil society|universit(y|ies)|scholars|academics|journalists|media|activists"
        r"|advocates|foundations?|donors?|think tanks?|retailers|brands|citizens)\b",
    ),
)
_COMPILED = tuple((key, re.compile(pattern, re.IGNORECASE)) for key, pattern in ADDRESSEE_RULES)


def addressee_of(actor: str) -> str:
    """The addressee class (a key of :data:`scoring.model.ADDRESSEES`) of ``actor``, else
    ``unknown``."""
    text = actor.strip()
    if not text or text.lower() == UNKNOWN:
        return UNKNOWN
    return next((key for key, pattern in _COMPILED if pattern.search(text)), UNKNOWN)
