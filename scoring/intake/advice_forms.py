"""The advice forms other than modals: imperatives (a clause opening with a base-form verb),
directives aimed at others (*urge X to, call on X to*), reported calls (*called for, urged*),
conditions (*until, unless, as a condition of*) and suggestions by consequence (*doing X
would ...*); :func:`_analyse` tries each on one sentence.

Part of the extractor (:mod:`scoring.intake.extraction`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from lemminflect import getInflection

from scoring.intake.advice_modal import _MODAL, FORMS, Form, _Finding, _is_agent, _modal, _subject
from scoring.intake.lexicon import (
    _ADVERBS,
    _AGENT_PRONOUNS,
    _AUXILIARIES,
    _PREPOSITIONS,
    _RELATIVES,
    _SUBORDINATORS,
    _WORD,
    _is_adverb,
    _is_base_verb,
    _is_gerund_or_participle,
    _is_noun,
    _lemmas,
    _wordset,
)
from scoring.intake.segmentation import BlockKind
from scoring.model import UNKNOWN


def _analyse(
    sentence: str, proper: frozenset[str], position: int, block_kind: BlockKind
) -> _Finding | None:
    """The advice a sentence gives, by the strongest rule that fires, or None."""
    if re.search(r"\?[\"'”’)]*\s*$", sentence) or len(_WORD.findall(sentence)) < 2:
        return None
    findings = [
        finding
        for finding in (
            _modal(sentence, proper),
            _imperative(sentence, proper, position, block_kind),
            _directive(sentence, proper),
            _reported_call(sentence, proper),
            _suggestion(sentence),
        )
        if finding is not None
    ]
    if any("suggestion" in f.forms for f in findings):
        # "Requiring X ... might illuminate": the hedge belongs to the gerund's suggestion.
        findings = [f for f in findings if f.cue.lower() not in ("could", "might")]
    conditional = _conditional(sentence)
    if not findings:
        if conditional is None or not conditional[1]:
            return None
        return _Finding(("conditional",), conditional[0], UNKNOWN, "no subject", 0.6)
    best = max(findings, key=lambda f: f.confidence)
    forms = tuple(form for form in FORMS if any(form in f.forms for f in findings))
    confidence = best.confidence
    cue = best.cue
    if conditional is not None and best.confidence >= 0.5:
        forms = ("conditional", *forms)
        confidence = min(0.99, confidence + 0.05)
        cue = f"{cue} ... {conditional[0]}"
    return replace(best, forms=forms, confidence=round(confidence, 2), cue=cue)


# Imperatives.
_LEAD_IN = re.compile(
    r"^(?:(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth(?:ly)?|fifth(?:ly)?|finally|lastly"
    r"|also|additionally|moreover|furthermore|similarly|likewise|conversely|instead|then|next"
    r"|in addition|at the same time|in particular|above all|in short|therefore|thus|hence"
    r"|meanwhile|again|specifically|in the meantime|over time|where possible|where appropriate"
    r"|if necessary|as a first step|in the short term|in the long term|please)\b,?\s+)+",
    re.IGNORECASE,
)
_NOT_IMPERATIVE = _wordset(
    """
    be have do need let's like even still further well better near round down up out back
    over past last next mean lack face present open free clear close right due and or but
    please see note compare cf recall
    """
)
_NOT_IMPERATIVE |= _RELATIVES | _SUBORDINATORS | _PREPOSITIONS
_RHETORICAL = {"imagine", "suppose", "picture", "consider"}
_ILLUSTRATION = re.compile(r"\b(for example|for instance|e\.g\.)", re.IGNORECASE)
_CLAUSE_END_WORDS = _RELATIVES | _SUBORDINATORS | {"to"}


def _imperative(
    sentence: str, proper: frozenset[str], position: int, block_kind: BlockKind
) -> _Finding | None:
    starts = [(0, position == 0 or block_kind in ("heading", "bullet"))]
    starts += [(m.end(), False) for m in re.finditer(r"[:;]\s+", sentence)]
    opening = _SUBORDINATE_OPENING.match(sentence)
    if opening:
        # "When meeting with senior officials, ask for ...": the imperative follows the clause.
        starts.append((opening.end(), False))
    label = re.match(r"^(?:\S+\s+){0,3}\S+?:\s", sentence)
    for offset, leading in starts:
        if offset == 0 and label:
            continue  # "Case in point: ...": a label before the colon, not an imperative
        clause = _LEAD_IN.sub("", sentence[offset:].lstrip(' •*-–—"“«‹'))
        negative = re.match(r"(do not|don[’']t|never)\s+", clause, re.IGNORECASE)
        if negative:
            clause = clause[negative.end() :]
        words = _WORD.findall(clause[:300])
        if len(words) < 2:
            continue
        while words and words[0].lower().endswith("ly") and _is_adverb(words[0]):
            words = words[1:]  # "Proactively use ..."
        if len(words) < 2:
            continue
        verb = words[0]
        lower = verb.lower()
        if (
            lower in _NOT_IMPERATIVE
            or not _is_base_verb(verb)
            or (verb in proper and lower not in proper)
            or _is_declarative(words)
        ):
            continue
        if lower in {"look", "take", "consider", "see"} and _ILLUSTRATION.search(clause):
            continue
        if lower in _RHETORICAL and lower != "consider":
            return _Finding(
                ("imperative",), verb, UNKNOWN, "imperative: addressee", 0.5, "implicit"
            )
        confidence = 0.85 if leading else 0.75 if offset else 0.65
        if offset == 0 and verb[:1].islower():
            confidence -= 0.3  # "- end user and destination country": a noun phrase item
        if negative:
            verb = f"{negative.group(1)} {verb}"
        return _Finding(("imperative",), verb, UNKNOWN, "imperative: addressee", confidence)
    return None


# A fronted subordinate or purpose clause, up to its comma (at most 25 words, no inner comma).
_SUBORDINATE_OPENING = re.compile(
    r"^(?:when|whenever|while|if|once|before|after|where|wherever|unless|until|as|since|given"
    r"|to|in order to|in (?:the )?(?:event|case) (?:of|that)|for|during|with)\b"
    r"[^,;:.!?]{3,200}?,\s+",
    re.IGNORECASE,
)


def _is_declarative(words: Sequence[str]) -> bool:
    """Whether a clause opening with a possible verb is a statement after all.

    "Border control personnel ... have been harassing", "Rule of law dialogues also provided",
    "Top priorities for U.S. companies continue": the opening word is a noun (or adjective)
    whose clause has its own finite verb. A word that can only be a verb ("Restart", "Seek")
    opens an imperative whatever follows; others must show no finite verb of their own
    outside relative clauses.
    """
    lemmas = _lemmas(words[0])
    ambiguous = bool(lemmas.get("NOUN") or lemmas.get("ADJ"))
    previous = words[0].lower()
    in_relative = False
    for index, word in enumerate(words[1:60], start=1):
        lower = word.lower()
        if lower in _RELATIVES:
            in_relative = True
        elif not ambiguous and (lower in _CLAUSE_END_WORDS or index > 12):
            return False
        if lower.endswith("ly") or lower in _ADVERBS:
            continue  # "dialogues also provided": look past the adverb
        if in_relative or previous == "to":
            previous = lower
            continue
        if lower in _AUXILIARIES:
            return True
        if lower == "including":
            return False  # "Offer protection to X, including by ...": the rest is an example
        following = words[index + 1].lower() if index + 1 < len(words) else ""
        if (
            ambiguous
            and index > 1
            and _is_noun(previous)
            and _is_finite_form(lower, previous, following)
        ):
            return True
        previous = lower
    return False


def _is_finite_form(word: str, previous: str, following: str = "") -> bool:
    """A past or present verb form after a noun: "dialogues provided", "companies continue".

    A past form followed by a preposition is a reduced relative ("visas issued to PRC
    applicants"), not the clause's verb.
    """
    verb_lemmas = _lemmas(word).get("VERB", ())
    if not verb_lemmas or word.endswith("ing") or "-" in word:
        return False
    past = any(word in getInflection(lemma, "VBD") for lemma in verb_lemmas)
    if past and following in _PREPOSITIONS | {"to", "by", "for", "of", "on"}:
        return False
    plural_subject = previous.endswith("s") and word in verb_lemmas and not _is_noun(word)
    return past or plural_subject


# Directives aimed at someone: "urge X to", "call on X to", "request that X ...".
_DIRECTIVE = re.compile(
    r"\b(?P<verb>urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+(?:up)?on|request(?:s|ed|ing)?"
    r"|demand(?:s|ed|ing)?|appeal(?:s|ed|ing)?\s+to|recommend(?:s|ed|ing)?|advis(?:e|es|ed|ing)"
    r"|encourag(?:e|es|ed|ing))\s+",
    re.IGNORECASE,
)


def _directive(sentence: str, proper: frozenset[str]) -> _Finding | None:
    for match in _DIRECTIVE.finditer(sentence):
        verb = match.group("verb").lower()
        target = _directive_target(
            sentence[match.end() :], that_only=verb.startswith(("recommend", "demand"))
        )
        if target is None or not _is_agent(target, "object", proper, strong=True):
            continue
        speaker = [w.lower() for w in _WORD.findall(sentence[: match.start()])[-3:]]
        # "We urge ...", a sentence that opens with the directive, or one governed by a modal
        # or "to" ("should ... call on X to") is the author's advice, not a report.
        first_person = (
            not speaker
            or "we" in speaker
            or "i" in speaker
            or any(w in ("to", "should", "must") or _MODAL.fullmatch(w) for w in speaker)
        )
        if verb.startswith("encourag") and not first_person:
            continue  # "encouraged X to" narrates more often than it advises
        forms: tuple[Form, ...] = ("third_party",) if first_person else ("reported", "third_party")
        confidence = 0.85 if first_person else 0.7
        return _Finding(forms, match.group("verb"), target, "object of a directive", confidence)
    return None


_OBJECT_STARTS = _wordset(
    """
    the a an its their his her our your my all any every each this these those that no more
    to on with for in from by into about them it him us
    """
)


def _directive_target(after: str, *, that_only: bool) -> str | None:
    """Who a directive is aimed at: X in "that X respect ..." or in "X to adopt ..."."""
    words = [m.group() for m in re.finditer(r"(?:[A-Za-z]\.){2,}|[\w’'\-]+", after[:160])]
    if words and words[0].lower() == "that":
        for index in range(2, min(len(words), 10)):
            word = words[index]
            following = words[index + 1].lower() if index + 1 < len(words) else ""
            if (
                word.lower() in ("should", "must")
                or (
                    word.islower()
                    and _is_base_verb(word)
                    # "that the State party submit its": a noun that can be a verb ("party") is
                    # the verb only if an object or a phrase follows it.
                    and (
                        not _is_noun(word)
                        or following in _OBJECT_STARTS
                        or words[index + 1][:1].isupper()
                    )
                )
            ):
                return " ".join(words[1:index])
        return None
    if that_only:
        return None
    for index in range(1, min(len(words) - 1, 9)):
        if words[index].lower() == "to" and _is_base_verb(words[index + 1]):
            target = words[:index]
            if any(
                w.lower() in _AUXILIARIES or (w.islower() and _is_gerund_or_participle(w))
                for w in target
            ):  # a capitalised participle is a name: "the United States"
                return None
            return " ".join(target)
    return None


# Calls made or reported without a named target: "He called for restraint", "The leaders
# affirmed the need to address ...", "HKDC and SFT strongly encourage greater efforts to ...".
_CALL = re.compile(
    r"\b(?P<verb>call(?:s|ed)?\s+for|press(?:es|ed)?\s+for|push(?:es|ed)?\s+for"
    r"|appeal(?:s|ed)?\s+for|demand(?:s|ed)?|advocat(?:e|es|ed)|encourag(?:e|es|ed)"
    r"|urg(?:e|es|ed)|recommend(?:s|ed)?)\s+(?P<object>(?:the\s+|a\s+|an\s+|greater\s+"
    r"|more\s+|further\s+|stronger\s+|increased\s+)?[a-z][\w\-]+)",
    re.IGNORECASE,
)
_EMPHASIS = re.compile(
    r"\b(?P<verb>(?:re)?affirm(?:s|ed)?|stress(?:es|ed)?|emphasi[sz](?:e|es|ed)"
    r"|underscor(?:e|es|ed)|highlight(?:s|ed)?|reiterat(?:e|es|ed)|recogni[sz](?:e|es|ed)"
    r"|agree(?:s|d)?\s+on|not(?:e|es|ed)|underlin(?:e|es|ed))\s+the\s+"
    r"(?P<object>need|importance|necessity|urgency|imperative)\s+(?:to|of|for)\b",
    re.IGNORECASE,
)
# Expectations aimed at others: "the world expects the United States and China to manage".
_EXPECT = re.compile(r"\b(?P<verb>expect(?:s|ed)?)\s+", re.IGNORECASE)
# Who expects as a demand rather than a forecast: "we expect", "the world expects".
_NORMATIVE_EXPECTERS = re.compile(
    r"(we|i|the world|the international community|the american people|everyone|all of us)"
)
# Speakers that describe rather than advise: "the law calls for", "the strategy recommended".
_NON_SPEAKERS = re.compile(
    r"\b(law|laws|bill|act|statute|rule|regulation|strategy|plan|framework|agreement|treaty"
    r"|report|document|text|article|section|provision|constitution|resolution|this|that|it"
    r"|which|situation|crisis|decision|order)$",
    re.IGNORECASE,
)


def _reported_call(sentence: str, proper: frozenset[str]) -> _Finding | None:
    """A call for something, or the affirmed need for it, by a speaker who can advise."""
    for pattern in (_EMPHASIS, _CALL, _EXPECT):
        for match in pattern.finditer(sentence):
            verb = match.group("verb").lower()
            before = sentence[: match.start()]
            if re.search(r"\b(to|not|never|will|would)\s+(?:\w+ly\s+)?$", before, re.IGNORECASE):
                continue  # "to encourage U.S. companies", "will recommend": not a call made
            if pattern is _EXPECT:
                target = _directive_target(sentence[match.end() :], that_only=False)
                passive = re.match(r"[^,;.]{3,80}?\bto be \w+(ed|en)\b", sentence[match.end() :])
                if target is None and passive is None:
                    continue
            elif pattern is _CALL:
                obj = match.group("object").lower().split()[-1]
                target = _directive_target(sentence[match.end("verb") :], that_only=False)
                if obj in ("that", "to", "on", "upon") or (
                    target is not None and _is_agent(target, "object", proper, strong=True)
                ):
                    continue  # handled as a directive ("urged X to"), or "call on"
                if verb.startswith(("urg", "encourag", "recommend", "demand", "advocat")) and (
                    obj in _OBJECT_STARTS or not _is_noun(obj)
                ):
                    continue  # "urged them", "recommended reading"
            speaker, basis, relative = _subject(before, proper)
            if pattern is _EXPECT and not _NORMATIVE_EXPECTERS.fullmatch(speaker.lower()):
                continue  # "Few observers expect the court to rule": a forecast, not a demand
            if (
                relative
                or _NON_SPEAKERS.search(speaker)
                or not _is_agent(speaker, basis, proper, strong=True)
            ):
                continue
            past = verb.endswith("ed") or verb.split()[0].endswith("ed")
            first_person = speaker.lower().split()[0] in ("we", "i")
            reported = past and not first_person
            forms: tuple[Form, ...] = ("reported",) if reported else ("third_party",)
            confidence = 0.65 if past or pattern is _EXPECT else 0.75
            named = speaker if speaker.lower() not in _AGENT_PRONOUNS | {"it"} else UNKNOWN
            return _Finding(forms, match.group("verb"), named, "speaker of the call", confidence)
    return None


# Suggestion by consequence: "Requiring greater transparency ... might illuminate ...".
_GERUND_OPENING = re.compile(r"(?:^|[,:;]\s+)(?P<gerund>[A-Za-z]+ing)\b")
_CONSEQUENCE = re.compile(r"\b(would|could|might|may|will|can)\s+(?:also\s+)?(?P<verb>[a-z]+)\b")


def _suggestion(sentence: str) -> _Finding | None:
    for opening in _GERUND_OPENING.finditer(sentence):
        gerund = opening.group("gerund")
        if not _is_gerund_or_participle(gerund) or not gerund.lower().endswith("ing"):
            continue
        rest = sentence[opening.end() :]
        consequence = _CONSEQUENCE.search(rest)
        if consequence is None or not _is_base_verb(consequence.group("verb")):
            continue
        between = rest[: consequence.start()].lower()
        if re.search(r"\b(that|which|who|is|are|was|were|has|have)\b", between):
            continue  # "Recognizing that X will ...": the modal belongs to another clause
        return _Finding(
            ("suggestion",),
            f"{gerund} ... {consequence.group(1)}",
            UNKNOWN,
            "gerund subject",
            0.5,
            "implicit",
        )
    return None


# Conditional advice. Strong markers give advice on their own; "until"/"unless" only qualify it.
_CONDITIONAL_STRONG = re.compile(
    r"\b(as a (?:pre)?condition (?:of|for)|on (?:the )?condition that|conditional (?:up)?on"
    r"|contingent (?:up)?on|condition(?:ing|ed)\s+(?:\S+\s+){1,6}?(?:up)?on|in exchange for"
    r"|in return for)\b",
    re.IGNORECASE,
)
_CONDITIONAL_WEAK = re.compile(
    r"\b(until|unless|provided that|so long as|as long as|only if|only when)\b(?P<after>\s+\S+)?",
    re.IGNORECASE,
)
_TIME_AFTER_UNTIL = re.compile(
    r"\s+(\d|now|then|recently|today|last|the end|january|february|march|april|may|june|july"
    r"|august|september|october|november|december)",
    re.IGNORECASE,
)


def _conditional(sentence: str) -> tuple[str, bool] | None:
    """(cue, strong) of the first conditional marker, or None."""
    strong = _CONDITIONAL_STRONG.search(sentence)
    if strong:
        return strong.group(1), True
    for weak in _CONDITIONAL_WEAK.finditer(sentence):
        if weak.group(1).lower() == "until" and _TIME_AFTER_UNTIL.match(weak.group("after") or ""):
            continue  # "until 2016": a date, not a condition
        return weak.group(1), False
    return None
