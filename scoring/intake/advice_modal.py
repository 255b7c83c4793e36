"""Modal advice (*should, must, ought to, need to, have to, it is time to, it is important
to*; hedged *could, might* only for an agent or a passive action), its passives, its subject and
whether that subject is an agent; and :class:`_Finding`, what every advice rule returns.

Part of the extractor (:mod:`scoring.intake.extraction`); the rules here and in
:mod:`scoring.intake.advice_forms` are tuned together against ``benchmarks/bench_extraction.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from scoring.intake.lexicon import (
    _ADVERBS,
    _AGENT_NOUNS,
    _AGENT_PRONOUNS,
    _AUXILIARIES,
    _COGNITION_PARTICIPLES,
    _COMPLEMENT_TAKERS,
    _PREPOSITIONS,
    _RELATIVES,
    _SUBORDINATORS,
    _WORD,
    _is_adverb,
    _is_base_verb,
    _is_gerund_or_participle,
    _is_noun,
    _is_participle,
    _is_verb_form,
    _lemmas,
    _wordset,
)
from scoring.model import UNKNOWN

Form = Literal[
    "conditional",
    "imperative",
    "reported",
    "third_party",
    "modal",
    "list_item",
    "suggestion",
    "learned",
]
FORMS: tuple[Form, ...] = (
    "conditional",
    "imperative",
    "reported",
    "third_party",
    "modal",
    "list_item",
    "suggestion",
    "learned",
)
Kind = Literal["explicit", "implicit"]


@dataclass(frozen=True)
class _Finding:
    forms: tuple[Form, ...]
    cue: str
    actor: str
    actor_basis: str
    confidence: float
    kind: Kind = "explicit"


# Modal advice. Strong: obligation or necessity. Weak: a hedge that is advice only with an agent.
_MODAL = re.compile(
    r"\b(?P<strong>should|must|ought to|needs? to|has to|have to|had better"
    r"|would do well to|would be wise to|cannot afford to|can no longer afford to"
    r"|can ill afford to|cannot ignore|cannot avoid|cannot continue to"
    r"|(?:is|are) (?:strongly |also |further |therefore )?(?:requested|urged|encouraged|invited"
    r"|called upon|called on|advised|required|obliged) to)\b"
    r"|\b(?P<need_np>needs)\s+(?=(?:a|an|more|new|better|stronger|greater|clearer|clear"
    r"|tougher|broader|additional|further|real|urgent)\b)"
    r"|\b(?P<weak>could|might)\b"
    r"|\b(?P<time>(?:it is|it's|it was) (?:high |now )?time (?:for (?P<time_for>[^,.;]{1,60}?) )?to"
    r"|the time has come (?:for (?P<came_for>[^,.;]{1,60}?) )?to)\b"
    r"|\b(?P<important>(?:it is|it's|it will be|it would be|it remains|what is(?: most| more)?)"
    r" (?:most |more |very |especially |therefore |also )?"
    r"(?:important|essential|crucial|vital|imperative|necessary|critical|urgent|key|advisable)"
    r"(?: is)?(?: for (?P<important_for>[^,.;]{1,60}?))? to)\b",
    re.IGNORECASE,
)
_DISCOURSE_PASSIVE = re.compile(
    r"\b(it|this) (should|must|could|might) (also )?be (noted|stressed|emphasi[sz]ed|pointed out"
    r"|remembered|said|added|mentioned|recalled|acknowledged|admitted|recogni[sz]ed|argued"
    r"|seen|considered|viewed|observed|understood)\b",
    re.IGNORECASE,
)


def _modal(sentence: str, proper: frozenset[str]) -> _Finding | None:
    best: _Finding | None = None
    for match in _MODAL.finditer(sentence):
        finding = _modal_occurrence(sentence, match, proper)
        if finding is not None and (best is None or finding.confidence > best.confidence):
            best = finding
    return best


def _modal_occurrence(
    sentence: str, match: re.Match[str], proper: frozenset[str]
) -> _Finding | None:
    cue = match.group(0)
    lower = cue.lower()
    before = sentence[: match.start()]
    after = sentence[match.end() :]
    clause = re.split(r"[,;:—–(]", before)[-1]
    clause_words = [w.lower() for w in _WORD.findall(clause)]
    if any(w in ("whether", "if") for w in clause_words):
        return None  # "whether the U.S. should stand by ...": a question, not advice
    if _DISCOURSE_PASSIVE.search(sentence[max(0, match.start() - 8) : match.end() + 30]):
        return None
    if re.search(r"\bas\s+(it|they|he|she|we|you|one)\s*$", before, re.IGNORECASE):
        return None  # "as it should"
    if lower in ("need to", "needs to") and re.search(
        r"\b(the|a|an|no|this|their|its|our|his|her)\s*$", before, re.IGNORECASE
    ):
        return None  # "the need to ...": a noun
    if lower in ("has to", "have to") and re.match(r"\s+do with\b", after):
        return None
    if (
        (match.group("strong") or match.group("weak"))
        and re.match(r"(why|how|what|when|where|whether)\b", sentence, re.IGNORECASE)
        and "," not in before
    ):
        return None  # a title or an embedded question: "How the West should respond"
    following = _next_words(after, 4)
    if lower.endswith(("avoid", "ignore")) or match.group("need_np"):
        pass  # "cannot avoid addressing ...", "needs stronger rules": a gerund or a noun follows
    elif match.group("strong") or match.group("weak"):
        verb = next((w for w in following if w.lower() not in _ADVERBS and not _is_adverb(w)), None)
        if verb is None or not (_is_base_verb(verb) or verb.lower() in ("be", "have")):
            return None  # "should blame ...", "must" as a noun, an inverted conditional
        if verb.lower() == "have" and match.group("weak"):
            return None  # "could have done": a counterfactual
    else:
        verb = following[0] if following else None
        if verb is None or not _is_base_verb(verb):
            return None

    if match.group("time") or match.group("important"):
        named = match.group("time_for") or match.group("came_for") or match.group("important_for")
        actor = named.strip() if named else UNKNOWN
        basis = "named after 'for'" if named else "impersonal ('it is ... to')"
        # "It is important to note/recognize ...": a hedged assertion, not an action.
        confidence = 0.45 if verb is not None and verb.lower() in _COGNITION_VERBS else 0.85
        return _Finding(("modal",), cue, actor, basis, confidence)

    actor, basis, relative = _subject(before, proper)
    if basis == "unclear subject":
        return None
    passive = _passive(after)
    if passive is not None:
        participle, agent = passive
        actor, basis = (
            (agent, "by-phrase of a passive") if agent else (UNKNOWN, "agentless passive")
        )
    else:
        participle = None
    agentive = _is_agent(actor, basis, proper, strong=bool(match.group("strong")))
    forms: tuple[Form, ...] = (
        ("third_party", "modal") if agentive and basis == "subject" else ("modal",)
    )

    if match.group("strong"):
        confidence = 0.9
        if basis == "subject" and not agentive and passive is None:
            confidence -= 0.2  # "The goal of these programs should be ...": no one to act
        if re.match(r"\s+(not\s+)?have\s+\w+(ed|en)\b", after):
            confidence -= 0.3  # "should have acted": criticism of the past
        if lower in ("has to", "have to"):
            confidence -= 0.2  # also says what is unavoidable, not only what is advised
            if re.search(r"\b(will|would)\s*$", before):
                confidence -= 0.3  # "will have to respond": a prediction
        if basis == "no subject" and passive is None:
            confidence -= 0.3  # the parse found no subject: less sure this is advice
    else:
        if passive is not None:
            if participle is None or participle.lower() in _COGNITION_PARTICIPLES:
                return None
            confidence = 0.45  # "abusers could be blocked from ...": an action, actor unnamed
        elif agentive:
            confidence = 0.6
        else:
            return None  # "Deeper understanding could help ...": a prediction
    if relative:
        # "... accounts that could be frozen" still proposes an action (freeze them);
        # "experience that should be of interest" only describes.
        action = participle is not None and participle.lower() not in _COGNITION_PARTICIPLES
        confidence -= 0.1 if action else 0.3
    reporter = _REPORTED_THAT.search(before)
    if reporter and reporter.group("who").lower() in ("nobody", "none", "few"):
        return None  # "nobody argues that they should ...": the advice is denied
    if reporter and reporter.group("who").lower() not in ("i", "we"):
        confidence -= 0.3  # "China acknowledged that ... must be strengthened": reported
        forms = ("reported", *forms)
    if not agentive or basis != "subject":
        actor = actor if basis != "subject" else UNKNOWN
        if basis == "subject":
            basis = "subject is not an agent"
    return _Finding(forms, cue, actor, basis, round(confidence, 2))


_COGNITION_VERBS = _wordset(
    """
    note recognize recognise remember recall understand acknowledge realize realise stress
    emphasize emphasise bear keep appreciate
    """
)
_REPORTED_THAT = re.compile(
    r"\b(?P<who>[A-Za-z.]+)\s+(?:also\s+|still\s+)?(?:acknowledg\w*|admit\w*|sa(?:y|ys|id)"
    r"|argu\w*|claim\w*|stat(?:e|es|ed)|not(?:e|es|ed)|believ\w*|think|thinks|thought"
    r"|agree\w*|insist\w*|warn\w*|worr\w*|hop(?:e|es|ed)|writ(?:e|es)|wrote|conced\w*"
    r"|report\w*|assert\w*|maintain\w*)\s+(?:that\s+)",
    re.IGNORECASE,
)


def _next_words(text: str, count: int) -> list[str]:
    return _WORD.findall(text[:120])[:count]


def _passive(after: str) -> tuple[str, str | None] | None:
    """After a modal: "be" (with adverbs) and a past participle. Returns it and any by-agent."""
    words = list(re.finditer(r"[A-Za-z][A-Za-z’'\-]*", after[:200]))
    index = 0
    while index < len(words) and (
        words[index].group().lower() in _ADVERBS or _is_adverb(words[index].group())
    ):
        index += 1
    if index >= len(words) or words[index].group().lower() != "be":
        return None
    index += 1
    while index < len(words) and (
        words[index].group().lower() in _ADVERBS | {"more", "better"}
        or _is_adverb(words[index].group())
    ):
        index += 1
    if index >= len(words) or not _is_participle(words[index].group()):
        return None
    participle = words[index].group()
    rest = after[words[index].end() :]
    agent = re.match(
        r"[^.;:]{0,40}?\bby\s+((?:the\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,4})", rest
    )
    return participle, agent.group(1) if agent else None


def _subject(before: str, proper: frozenset[str]) -> tuple[str, str, bool]:
    """The subject of a modal from the text before it: (actor, basis, inside a relative clause)."""
    text = re.sub(r"\([^()]*\)", " ", before)
    text = re.sub(
        r",\s*(including|such as|like|especially|notably|in particular|for example|for instance"
        r"|e\.g\.|however|too|in turn)\b[^,]*,",
        " ",
        text,
    )
    text = re.sub(r"\s*[—–]\s*", ", ", text)
    words = list(re.finditer(r"(?:[A-Za-z]\.){2,}|[\w’'\-.]+|[,;:]", text))
    # Drop trailing adverbs ("the U.S. also should").
    while words and (_is_adverb(words[-1].group()) or words[-1].group().lower() in _ADVERBS):
        words.pop()
    if not words:
        return UNKNOWN, "no subject", False
    relative = words[-1].group().lower() in {"that", "which", "who"} and len(words) > 1
    if relative:
        words.pop()
    # The clause holding the subject: after the last comma, colon or semicolon that leaves words.
    chunk: list[re.Match[str]] = []
    for word in reversed(words):
        if word.group() in {",", ";", ":"}:
            if chunk and not all(w.group().lower() in _ADVERBS for w in chunk):
                break
            chunk = []
            continue
        chunk.insert(0, word)
    # A complementiser "that" after a verb starts the clause: "The bottom line is that X should".
    for index in range(len(chunk) - 1, 0, -1):
        if chunk[index].group().lower() == "that" and (
            chunk[index - 1].group().lower() in _COMPLEMENT_TAKERS
        ):
            chunk = chunk[index + 1 :]
            break
    # "I believe we must", "we think the state should": the complement clause holds the subject.
    for index in range(len(chunk) - 2, 0, -1):
        if (
            chunk[index].group().lower() in _COMPLEMENT_TAKERS
            and chunk[index - 1].group().lower() in _AGENT_PRONOUNS
        ):
            chunk = chunk[index + 1 :]
            break
    while chunk and chunk[0].group().lower() in {"and", "but", "or", "yet", "so", "then", "that"}:
        chunk = chunk[1:]
    if relative:
        # The antecedent: the noun phrase just before "that", back to a preposition or verb.
        tail: list[str] = []
        for word in reversed(chunk):
            lower = word.group().lower()
            if (
                lower in _PREPOSITIONS
                or lower in _AUXILIARIES
                or lower in _RELATIVES
                or (tail and _is_verb_form(word.group()))
            ):
                break
            tail.insert(0, word.group())
        return (" ".join(tail[-6:]) or UNKNOWN), "subject", True
    subject: list[str] = []
    for position, word in enumerate(chunk):
        token = word.group()
        lower = token.lower()
        if lower in _RELATIVES or lower in _AUXILIARIES or (lower in _SUBORDINATORS and position):
            break
        if position and lower in _PREPOSITIONS:
            break
        if (
            position
            and token.islower()
            and _is_gerund_or_participle(token)
            and _is_noun(subject[-1])
        ):
            break  # "Heads of government considering ...", "ambassadors serving in ..."
        subject.append(token)
    if not subject or subject[0].lower() in {"there", "here"}:
        return UNKNOWN, "no subject", False
    if (
        len(subject) > 1
        and subject[0].lower() in _AGENT_PRONOUNS | {"it"}
        and subject[1].lower() not in {"all", "both", "each", "themselves", "too", "also"}
    ):
        return UNKNOWN, "unclear subject", False  # "they need passports should blame ..."
    if subject[0].lower() in _SUBORDINATORS:
        return UNKNOWN, "no subject", False
    return " ".join(subject[:10]), "subject", False


def _is_agent(actor: str, basis: str, proper: frozenset[str], *, strong: bool) -> bool:
    """Whether a noun phrase names someone who can act, judged by its head noun(s).

    The head is the last word before any "of"/"for"/"by" phrase, in each conjunct: "Heads of
    government" -> Heads, "Deeper understanding of Chinese law" -> understanding (not an agent),
    "the U.S. and China" -> U.S., China.
    """
    if actor == UNKNOWN:
        return False
    conjuncts = re.split(r",|\band\b|\bor\b", actor)
    for conjunct in conjuncts:
        words = re.split(r"\s+(?:of|for|by|from)\s+", conjunct.strip())[0].split()
        if not words:
            continue
        head = re.sub(r"[’']s?$|[“”\"]", "", words[-1])
        lower = head.lower()
        if lower == "it":
            if strong and len(words) == 1:
                return True  # "It must respect ..." names the actor; "It could ..." may not
            continue
        if (
            lower in _AGENT_PRONOUNS
            or _AGENT_NOUNS.fullmatch(lower)
            or head in proper
            or re.fullmatch(r"(?:[A-Z]\.){2,}|[A-Z]{2,}s?", head)
            or _is_agent_noun_by_form(lower)
        ):
            return True
    return False


# -er nouns whose stem happens to be an unrelated verb (numb, lay, err, corn).
_NOT_AGENT_NOUNS = _wordset("number numbers layer layers error errors corner corners")


def _is_agent_noun_by_form(word: str) -> bool:
    """A noun made from a verb with an agent suffix (funders, regulators, scientists): a doer."""
    stem = re.match(r"(.{3,}?)(?:ers?|ors?|ists?|ians?|ants?)$", word)
    if stem is None or word in _NOT_AGENT_NOUNS or (_lemmas(word) and not _is_noun(word)):
        return False  # unknown words pass: "funders" is not in the lexicon
    base = stem.group(1)
    return word.endswith(("ist", "ists", "ian", "ians")) or any(
        _is_base_verb(candidate) for candidate in (base, base + "e")
    )
