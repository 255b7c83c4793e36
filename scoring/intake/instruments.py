"""Which instrument (a key of ``criteria/criteria.yaml``) a candidate uses, by keyword rules."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from scoring.intake.advice_modal import Form
from scoring.model import UNKNOWN

# Keyword rules onto the instrument keys of criteria/criteria.yaml. Each pattern counts once per
# candidate; the instrument with the most weight wins, ties going to the earlier key.
INSTRUMENT_KEYWORDS: dict[str, tuple[tuple[str, float], ...]] = {
    "conditionality": (
        (r"\bcondition(s|al|ality|ing|ed)?\b", 2),
        (r"\buntil\b(?!\s+(\d|now|recently))", 2),
        (r"\bunless\b", 2),
        (r"\b(in exchange|in return) for\b", 2),
        (r"\b(benchmarks?|contingent)\b", 1),
        (r"\b(decline|refuse|withhold|suspend)\b", 1),
    ),
    "targeted_measures": (
        (r"\bsanction(s|ed|ing)?\b", 2),
        (r"\bvisas?\b", 2),
        (r"\b(freez(e|ing)|frozen|assets?|bank accounts?)\b", 2),
        (r"\b(magnitsky|export controls?|entity list|travel bans?|blacklist)\b", 2),
        (r"\b(blocked|penalt(y|ies)|accountab(le|ility) for abuses)\b", 1),
    ),
    "public_diplomacy": (
        (r"\bpublic(ly)?\b", 1),
        (r"\b(statements?|speak out|condemn\w*|messag(e|es|ing)|rhetoric|vocal)\b", 2),
        (r"\b(call(ed)? in|summon\w*|remind\w*|raise[sd]? (its |their )?concerns)\b", 2),
        (r"\b(pomp|state dinners?|high-level visits?|name and shame|free and fair elections)\b", 2),
        (r"\b(diplomacy|diplomatic)\b", 1),
    ),
    "multilateral": (
        (r"\b(multilateral\w*|allies|like-minded|coalitions?)\b", 2),
        (r"\bother (countries|states|governments|nations)\b", 2),
        (r"\binternational (norms|institutions|processes)\b", 2),
        (r"\b(united nations|u\.n\.|human rights council|g7|g20|european union|e\.u\.)\b", 1),
        (r"\b(partnerships?|coordinat\w*|jointly|together with)\b", 1),
        (r"\b(global challenges|climate change|treaty|accession)\b", 1),
    ),
    "domestic_example": (
        (r"\b(at home|by example|set(ting)? (the|an) example|lead by example|model)\b", 2),
        (r"\b(domestic(ally)?|its own (laws?|practices|record))\b", 1),
        (r"\b(abide by|due process|impunity|its domestic policies)\b", 1),
    ),
    "trade_investment": (
        (r"\b(trade|investments?|investors?|market access|tariffs?|wto)\b", 2),
        (r"\b(business(es)?|compan(y|ies)|corporat\w+|supply chains?|exports?|imports?)\b", 1),
        (r"\b(bilateral investment treaty|bit|cptpp|level playing field|due diligence)\b", 2),
        (r"\b(commerc(e|ial)|economic|internet companies|workers|factories)\b", 1),
    ),
    "civil_society": (
        (r"\b(civil society|ngos?|non-governmental|people-to-people)\b", 2),
        (r"\b(activists?|human rights defenders|lawyers|journalists|students|scholars)\b", 1),
        (r"\b(citizens?|grassroots|think tanks|academics|exchanges|independent)\b", 1),
        (r"\b(fund(ing)?|support) (for )?(private|independent|local)\b", 1),
    ),
    "law_enforcement": (
        (r"\blaw[- ]enforcement\b", 3),
        (r"\b(police|extradit\w+|fugitives?|repatriat\w+|deport\w*|returns?)\b", 2),
        (r"\b(counter-?terror\w*|terroris[mt]s?|counter-?narcotics|drugs?|fentanyl)\b", 2),
        (r"\b(money laundering|transnational crime|organized crime|cybercrime)\b", 2),
        (r"\banti-corruption\b", 2),
        (r"\b(security (cooperation|threats)|mutual legal assistance|interagency)\b", 2),
        (r"\b(diplomatic and consular personnel|safety of)\b", 1),
    ),
    "expertise": (
        (r"\b(expertise|capacity[- ]building|technical assistance|training)\b", 2),
        (r"\b(understand(ing)?|learn\w*|experts?|research|knowledge|study)\b", 1),
        (r"\b(legal modernization|legal reform|judicial reform|rule of law programs?)\b", 1),
    ),
    "dialogue": (
        (r"\b(dialogues?|engag(e|ement|ing)|talks|consultations?|negotiat\w+)\b", 2),
        (r"\b(cooperat(e|ion)|exchanges?|meetings?|discussions?|working groups?)\b", 1),
        (r"\b(listen\w*|critiques|constructive|buy-in|counterparts?)\b", 1),
    ),
}
_COMPILED_KEYWORDS = {
    key: tuple((re.compile(pattern, re.IGNORECASE), weight) for pattern, weight in rules)
    for key, rules in INSTRUMENT_KEYWORDS.items()
}


def _instrument(
    text: str, forms: Sequence[Form], allowed: Collection[str]
) -> tuple[str, tuple[str, ...]]:
    scores: dict[str, float] = {}
    basis: dict[str, list[str]] = {}
    for key, rules in _COMPILED_KEYWORDS.items():
        if key not in allowed:
            continue
        for pattern, weight in rules:
            found = pattern.search(text)
            if found:
                scores[key] = scores.get(key, 0.0) + weight
                basis.setdefault(key, []).append(found.group(0).lower())
    if "conditional" in forms and "conditionality" in allowed:
        scores["conditionality"] = scores.get("conditionality", 0.0) + 2
        basis.setdefault("conditionality", []).append("conditional form")
    if not scores:
        return UNKNOWN, ()
    order = list(_COMPILED_KEYWORDS)
    best = max(scores, key=lambda key: (scores[key], -order.index(key)))
    return best, tuple(basis[best])
