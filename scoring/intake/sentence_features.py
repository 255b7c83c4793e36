"""The features of a sentence unit for the sentence model
(:mod:`scoring.intake.sentence_classifier`): the rules' own cues, word classes and position,
nothing that needs a download.
"""

from __future__ import annotations

import re

from scoring.intake.advice_forms import _LEAD_IN, _NOT_IMPERATIVE
from scoring.intake.advice_units import _Unit
from scoring.intake.lexicon import (
    _AGENT_PRONOUNS,
    _SUBORDINATORS,
    _WORD,
    _is_base_verb,
    _is_past,
    _is_verb_form,
)
from scoring.model import UNKNOWN

# Word classes the sentence model reads; each is a general cue, not a phrase of one document.
_FEATURE_PATTERNS = {
    "will": r"\b(will|shall)\b",
    "will_continue": r"\b(will|would) (continue|remain|keep)\b",
    "would": r"\bwould\b",
    "could_may": r"\b(could|might|may)\b",
    "should_have": r"\b(should|must|could|would) (not )?have \w+(ed|en)\b",
    "we_will": r"\b(we|i) (will|shall|are going to|plan to|intend to)\b",
    "past_action": r"\b(announced|launched|signed|welcomed|took|taken|imposed|issued|added"
    r"|released|adopted|held|met|discussed|exchanged|agreed|established|created|designated)\b",
    "perfect": r"\b(has|have|had) (been |already |also )?\w+(ed|en)\b",
    "said": r"\b(said|says|told|according to|stated)\b",
    "quote": r"[“\"]",
    "digits": r"\d{2,}",
    "first_person": r"\b(we|our|us|i)\b",
    "second_person": r"\b(you|your)\b",
    "recommend_word": r"\b(recommend\w*|urge[sd]?|call(s|ed)? (on|for)|propos\w+)\b",
    "need_word": r"\b(need|needs|necessary|essential|important|priority|imperative)\b",
    "negation": r"\b(not|no|never|nor)\b",
    "question": r"\?\s*$",
    "colon_end": r":\s*$",
    "semicolon_end": r";\s*(and|or)?\s*$",
    "conditional_word": r"\b(if|unless|until|when|as long as)\b",
    "purpose": r"\b(in order to|so that|to ensure|to prevent|to protect)\b",
}
_COMPILED_FEATURES = {
    name: re.compile(pattern, re.IGNORECASE) for name, pattern in _FEATURE_PATTERNS.items()
}
_CUE_CLASSES = (
    ("should", r"^should"),
    ("must", r"^must"),
    ("need", r"^(needs? to|has to|have to)"),
    ("ought", r"^ought"),
    ("hedge", r"^(could|might)"),
    ("impersonal", r"^(it|the time|what)"),
    ("directive", r"^(urg|call|request|demand|appeal|recommend|advis|encourag|press|push)"),
    ("emphasis", r"^(affirm|reaffirm|stress|emphas|underscor|highlight|reiterat|recogni|agree)"),
    ("expect", r"^expect"),
)


def unit_features(normalized: str, unit: _Unit) -> dict[str, float]:
    """The sentence model's input for one sentence: the rules' verdict, layout and word cues."""
    text = normalized[unit.start : unit.end]
    features: dict[str, float] = {f"block:{unit.block_kind}": 1.0}
    finding = unit.finding
    if finding is None:
        features["rule:none"] = 1.0
    else:
        features["rule:any"] = 1.0
        features["rule:confidence"] = finding.confidence
        features[f"rule:{finding.kind}"] = 1.0
        for form in finding.forms:
            features[f"form:{form}"] = 1.0
        cue = finding.cue.lower()
        for name, pattern in _CUE_CLASSES:
            if re.match(pattern, cue):
                features[f"cue:{name}"] = 1.0
                break
        if finding.actor != UNKNOWN:
            features["rule:actor_named"] = 1.0
        basis = finding.actor_basis
        if basis in ("agentless passive", "subject is not an agent", "no subject"):
            features[f"basis:{basis.replace(' ', '_')}"] = 1.0
    if unit.position == 0:
        features["first_in_block"] = 1.0
    if unit.ordinal:
        features["ordinal"] = 1.0
    if unit.lead_in:
        features["lead_in"] = 1.0
    if unit.under_advice:
        features["under_advice"] = 1.0
    if unit.lead_actor != UNKNOWN:
        features["lead_actor"] = 1.0
    words = _WORD.findall(_LEAD_IN.sub("", text[:300]))
    if words:
        first = words[0]
        lower = first.lower()
        if first[:1].islower():
            features["open:lower_case"] = 1.0
        if _is_base_verb(first) and lower not in _NOT_IMPERATIVE:
            features["open:base_verb"] = 1.0
        elif lower.endswith("ing") and _is_verb_form(lower):
            features["open:gerund"] = 1.0
        elif lower in _SUBORDINATORS:
            features["open:subordinator"] = 1.0
        elif lower in ("the", "a", "an", "this", "these", "that", "those"):
            features["open:determiner"] = 1.0
        elif lower in _AGENT_PRONOUNS:
            features["open:pronoun"] = 1.0
    count = len(words)
    features["length:short" if count < 6 else "length:long" if count > 45 else "length:mid"] = 1.0
    for name, compiled in _COMPILED_FEATURES.items():
        if compiled.search(text):
            features[f"word:{name}"] = 1.0
    past = sum(1 for w in words[:60] if w.islower() and _is_past(w))
    features["past_share"] = min(1.0, 4 * past / max(1, min(count, 60)))
    return features
