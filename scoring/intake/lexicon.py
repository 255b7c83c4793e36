"""Word classes for the advice rules: lemmas by part of speech (lemminflect's lexicon, shipped
in its wheel), closed word lists, and the document's proper nouns.

Shared by the rule modules of :mod:`scoring.intake.extraction`; the underscored names are
package-internal, not API.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from lemminflect import getAllLemmas, getInflection


@cache
def _is_past(word: str) -> bool:
    """A simple past form ("welcomed", "took"), by the lexicon's inflections."""
    verbs = _lemmas(word).get("VERB", ())
    if not verbs or word in verbs:
        return False  # a base form ("put", "set") is not read as past
    return any(word in getInflection(lemma, "VBD") for lemma in verbs)


_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z][A-Za-z’'\-]*[A-Za-z]|[A-Za-z]")


def _wordset(words: str) -> frozenset[str]:
    """A closed class of words, written as one string to keep long lists readable."""
    return frozenset(words.split())


_COGNITION_PARTICIPLES = _wordset(
    """
    argued said seen considered viewed interpreted read noted expected thought assumed
    described called
    """
)
_ADVERBS = _wordset(
    """
    also not never still now then therefore thus instead rather first too all both each
    either no longer only at least perhaps probably certainly clearly simply equally
    immediately urgently again further even always soon
    """
)
_AUXILIARIES = _wordset(
    """
    is are was were am be been being has have had do does did will would shall should can
    could may might must cannot isn't aren't won't don't doesn't
    """
)
_RELATIVES = {"that", "which", "who", "whom", "whose", "where"}
_SUBORDINATORS = _wordset(
    """
    while although though because if when whenever since as unless until whether once after
    before given so how what why
    """
)
_COMPLEMENT_TAKERS = _wordset(
    """
    is are was were be means mean meant clear believe believes think thinks say says said
    argue argues argued agree agrees recommend recommends recommended suggest suggests
    insist insists ensure note noted true fact so evident obvious likely hope expect
    requires require demand demands urge urges stress stresses conclude concludes propose
    proposes reiterated reiterates stressed emphasized emphasised underscored noted affirmed
    reaffirmed added explained warned made
    """
)
_PREPOSITIONS = _wordset(
    """
    from around in at on with across between against under over after before during through
    about within without into toward towards outside inside beyond
    """
)
# Nouns that name someone who can act: the grammatical subject is an agent if it holds one.
_AGENT_NOUNS = re.compile(
    r"\b(governments?|administrations?|states?|countr(y|ies)|nations?|democracies|allies"
    r"|partners?|members?|parliaments?|congress|legislat(ors?|ures?)|lawmakers|policy ?makers"
    r"|officials?|leaders?|ministers?|ministr(y|ies)|departments?|agenc(y|ies)|diplomats?"
    r"|ambassadors?|embass(y|ies)|authorities|courts?|judges?|prosecutors|police|investors?"
    r"|compan(y|ies)|businesses|firms|corporations|banks|donors?|foundations?|ngos?"
    r"|organi[sz]ations?|activists|advocates|journalists|universities|scholars|academics"
    r"|experts|think tanks?|civil society|community|citizens|sides?|part(y|ies)|capitals|union"
    r"|council|commission|coalition|president|secretary|chancellor|regulators|users|people"
    r"|heads|representatives|delegations?|missions?|leadership|washington|beijing|brussels"
    r"|world|international community|we|they|you|i|he|she|it|us)\b",
    re.IGNORECASE,
)
_AGENT_PRONOUNS = {"we", "they", "you", "i", "he", "she"}


@cache
def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    lemmas = dict(getAllLemmas(word.lower()))
    if not lemmas and "-" in word:
        # A word hyphenated across a line break keeps its hyphen ("pub-lish"): try it joined.
        lemmas = dict(getAllLemmas(word.lower().replace("-", "")))
    return lemmas


def _is_base_verb(word: str) -> bool:
    lower = word.lower()
    verbs = _lemmas(lower).get("VERB", ())
    return lower in verbs or lower.replace("-", "") in verbs


def _is_verb_form(word: str) -> bool:
    return bool(_lemmas(word).get("VERB"))


def _is_noun(word: str) -> bool:
    return bool(_lemmas(word).get("NOUN"))


def _is_adverb(word: str) -> bool:
    lemmas = _lemmas(word)
    if lemmas.get("NOUN") or lemmas.get("VERB"):
        return False
    return bool(lemmas.get("ADV")) or (not lemmas and word.lower().endswith("ly"))


@cache
def _is_participle(word: str) -> bool:
    lower = word.lower()
    return any(lower in getInflection(lemma, "VBN") for lemma in _lemmas(lower).get("VERB", ()))


def _is_gerund_or_participle(word: str) -> bool:
    lower = word.lower()
    if "-" in lower or lower in _lemmas(lower).get("VERB", (lower,)):
        return False
    return (lower.endswith("ing") or lower.endswith("ed")) and _is_verb_form(lower)


def _proper_nouns(sentences: Iterable[str]) -> frozenset[str]:
    """Words the text capitalises in mid-sentence (names such as China, Beijing, Congress).

    Read sentence by sentence: headings run into the next sentence in the normalised text,
    and their words are capitalised without being names.
    """
    names: set[str] = set()
    for sentence in sentences:
        names.update(re.findall(r"(?<=[a-z,;]\s)([A-Z][a-z’'\-]+)", sentence))
    return frozenset(names)
