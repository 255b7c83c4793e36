"""Candidate recommendations in a document, found by general rules, with exact spans.

Longer than most modules (about 1,300 lines): the advice rules (modals, imperatives,
passives, their exceptions and confidences) interact and are tuned together against
``benchmarks/bench_extraction.py``; splitting them was left for a change that re-runs it.

The extractor reads a document's text (with its line structure: headings, bullets and
paragraphs) and returns the passages that give advice, each as a :class:`Candidate` whose
``start``/``end`` are offsets into the text's normalised form (:func:`scoring.text.normalize_text`),
the same coordinates as a catalog quote's span.

How a passage is found, in order of the rules below:

* **Sentences.** Blocks come from the layout (a heading, a bullet item, a paragraph; hard-wrapped
  PDF text is re-joined into paragraphs), sentences from pysbd's rule-based segmenter, which
  knows abbreviations such as "U.S." and footnote numbers glued to a full stop.
* **Advice forms**, each a general pattern, not a phrase from any one document:
  modal advice (*should, must, ought to, need to, have to, it is time to, it is important to*;
  hedged *could, might* only when an agent is the subject, or for a passive action);
  imperatives (a clause that opens with a verb in its base form, judged with lemminflect's
  part-of-speech lexicon, at the start of a sentence, heading, bullet or after a colon);
  directives aimed at others (*urge X to, call on X to, request that X ...*), reported when
  someone else speaks; advice in conditional form (*until, unless, as a condition of,
  conditioning X on, in exchange for*); and suggestions by consequence (*doing X would ...*).
* **Whole recommendations.** A sentence is the unit. An imperative heading (or a paragraph's
  opening imperative) is joined to the sentence that follows it, as is an enumerated point
  ("First, ...") or an advice sentence to a following "This means ..." elaboration. Clauses
  split by semicolons become separate candidates only when two or more of them give advice.
* **Actor** is the grammatical subject of the modal (or the object of a directive: "urged the
  U.S. to"), else ``unknown``: imperatives and agentless passives name nobody. **Instrument**
  comes from keyword rules onto the keys of ``criteria/criteria.yaml``. **Confidence** starts
  from the strength of the form and drops for hedges, relative clauses and subjects that are not
  agents.

Questions, embedded questions ("whether X should"), discourse formulas ("it should be noted"),
counterfactuals and illustrations ("look at X, for example") are not advice.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

import pysbd
from lemminflect import getAllLemmas, getInflection

from scoring.errors import Code, InputError, Notice
from scoring.intake.addressees import addressee_of
from scoring.intake.sentence_classifier import SentenceModel, load_model
from scoring.intake.time_limit import Deadline, ExtractionTimeout, time_limit_error
from scoring.model import UNKNOWN
from scoring.text import normalize_with_offsets

__all__ = [
    "DEFAULT_MIN_CONFIDENCE",
    "FORMS",
    "INSTRUMENT_KEYWORDS",
    "Candidate",
    "Extraction",
    "extract_candidates",
    "no_advice_notice",
    "require_candidates",
    "text_blocks",
    "training_examples",
    "unit_features",
]

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

# Candidates below this are dropped by default: a hedged passive inside a relative clause
# ("accounts that could be frozen") sits at about 0.3, a plain "should" sentence at 0.9.
DEFAULT_MIN_CONFIDENCE = 0.25


@dataclass(frozen=True)
class Candidate:
    """One passage that gives advice, located in the normalised text."""

    start: int
    end: int
    text: str
    kind: Kind
    forms: tuple[Form, ...]
    cue: str
    actor: str
    actor_basis: str  # subject, object of a directive, by-phrase, or why it is unknown
    instrument: str
    instrument_basis: tuple[str, ...]
    confidence: float
    addressee: str = UNKNOWN  # the actor's class, a key of scoring.model.ADDRESSEES

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end

    @property
    def form(self) -> Form:
        """The strongest form, for one-word displays."""
        return self.forms[0]

    def record(self) -> dict[str, object]:
        """Plain data for JSON: every field, the span as [start, end]."""
        return {
            "span": [self.start, self.end],
            "text": self.text,
            "kind": self.kind,
            "forms": list(self.forms),
            "cue": self.cue,
            "actor": self.actor,
            "actor_basis": self.actor_basis,
            "instrument": self.instrument,
            "instrument_basis": list(self.instrument_basis),
            "confidence": self.confidence,
            "addressee": self.addressee,
        }


@dataclass(frozen=True)
class Extraction:
    """The candidates of one text, with the normalised text their spans point into."""

    normalized: str
    candidates: tuple[Candidate, ...]
    min_confidence: float = DEFAULT_MIN_CONFIDENCE


def extract_candidates(
    text: str,
    instruments: Collection[str] | None = None,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    model: SentenceModel | Literal["default"] | None = "default",
    where: str = "text",
    seconds: float | None = None,
) -> Extraction:
    """Find the advice in ``text``; spans are offsets into ``normalize_text(text)``.

    ``instruments`` are the allowed instrument keys (the catalog's); keyword rules for other
    keys are ignored, and a candidate no rule matches gets ``unknown``. ``model`` is the
    sentence model that sets each candidate's confidence (``"default"``: the shipped one;
    None: the rules' own confidence). Returns an Extraction whose candidates may be empty.

    The work is time-boxed (``seconds``, else ``$RECSCORE_EXTRACT_SECONDS``, see
    :mod:`scoring.intake.time_limit`): past it, InputError names ``where`` (the document) and
    the fixes.
    """
    allowed = set(INSTRUMENT_KEYWORDS if instruments is None else instruments)
    try:
        normalized, units = _analysed_units(text, Deadline.start(seconds))
    except ExtractionTimeout as timeout:
        raise time_limit_error(where, timeout, len(text)) from None
    chosen = _default_model() if model == "default" else model
    if chosen is not None:
        units = _rescored(normalized, units, chosen)
    candidates = [
        _candidate(normalized, start, end, finding, allowed)
        for start, end, finding in _merge(units)
        if finding.confidence >= min_confidence
    ]
    return Extraction(normalized, tuple(_with_main_addressee(candidates)), min_confidence)


def _with_main_addressee(candidates: list[Candidate]) -> list[Candidate]:
    """Give candidates that name no actor the document's main addressee, if it has one.

    An imperative or an agentless passive names nobody, but a paper written for one reader
    ("the next administration should ...", then "Restart ...") addresses it throughout: the
    class named by at least half of the candidates that name one, and by two or more.
    """
    named = Counter(c.addressee for c in candidates if c.addressee != UNKNOWN)
    if not named:
        return candidates
    main, count = named.most_common(1)[0]
    if count < 2 or count < sum(named.values()) / 2:
        return candidates
    return [replace(c, addressee=main) if c.addressee == UNKNOWN else c for c in candidates]


def training_examples(
    text: str, gold: Iterable[tuple[str, tuple[int, int] | None]]
) -> list[tuple[dict[str, float], int]]:
    """Labelled sentence features of ``text`` for the sentence model.

    ``gold`` holds (kind, span) pairs in the normalised text. A sentence is positive when it
    shares at least half of the shorter span with an explicit item; of several such sentences
    for one item only the one the rules rate highest is kept (the others are context, neither
    advice nor not). Sentences touching an implicit item are left out: they are neither.
    """
    normalized, units = _analysed_units(text)
    explicit = [span for kind, span in gold if span is not None and kind == "explicit"]
    implicit = [span for kind, span in gold if span is not None and kind != "explicit"]

    def matches(unit: _Unit, span: tuple[int, int]) -> bool:
        shared = min(unit.end, span[1]) - max(unit.start, span[0])
        return shared > 0 and shared >= min(unit.end - unit.start, span[1] - span[0]) / 2

    best: set[int] = set()
    covered: set[int] = set()
    for span in explicit:
        hits = [i for i, unit in enumerate(units) if matches(unit, span)]
        covered.update(hits)
        if hits:
            best.add(max(hits, key=lambda i: (_rule_confidence(units[i]), -i)))
    examples = []
    for index, unit in enumerate(units):
        if index in covered and index not in best:
            continue
        if index not in best and any(
            min(unit.end, span[1]) > max(unit.start, span[0]) for span in implicit
        ):
            continue
        examples.append((unit_features(normalized, unit), int(index in best)))
    return examples


def _rule_confidence(unit: _Unit) -> float:
    return unit.finding.confidence if unit.finding is not None else 0.0


def _analysed_units(text: str, deadline: Deadline | None = None) -> tuple[str, list[_Unit]]:
    """The normalised text and its sentence units, analysed by the rules in context; the
    deadline is checked before each block is split and each sentence analysed."""
    normalized, offsets = normalize_with_offsets(text)
    sentences = []
    for block_index, (raw_start, raw_end, block_kind) in enumerate(text_blocks(text)):
        if deadline is not None:
            deadline.check(offsets[raw_start])
        sentences += [
            (block_index, block_kind, position, s_start, s_end)
            for position, (s_start, s_end) in enumerate(
                _sentences(normalized, offsets[raw_start], offsets[raw_end])
            )
        ]
    proper = _proper_nouns(normalized[start:end] for _, _, _, start, end in sentences)
    units: list[_Unit] = []
    for block_index, block_kind, position, s_start, s_end in sentences:
        if deadline is not None:
            deadline.check(s_start)
        units += _units(normalized, s_start, s_end, block_index, position, block_kind, proper)
    return normalized, _in_context(normalized, units, proper)


def no_advice_notice(extraction: Extraction, where: str) -> Notice | None:
    """A notice when ``extraction`` found nothing: a valid outcome (news, fact sheets), not an
    error; None when it found candidates."""
    if extraction.candidates:
        return None
    return Notice(
        Code.NO_CANDIDATES,
        f"{where}: no explicit advice found in {len(extraction.normalized):,} characters "
        f"(confidence >= {extraction.min_confidence:.2f}); implicit recommendations in "
        "descriptive text must be added by hand",
    )


def require_candidates(extraction: Extraction, where: str) -> Extraction:
    """Return ``extraction`` if it found anything, else raise NO_CANDIDATES naming ``where``."""
    if extraction.candidates:
        return extraction
    raise InputError(
        Code.NO_CANDIDATES,
        where,
        "recommendations",
        "at least one passage that gives advice (should, must, need to, an imperative, ...)",
        f"none in {len(extraction.normalized):,} characters of text",
        "check that this is the document you meant; implicit recommendations in descriptive "
        "text must be added by hand",
        in_file=True,
    )


# --- blocks: headings, bullets, paragraphs ----------------------------------------------------

_BULLET = re.compile(
    r"^\s*(?:[•·▪◦‣●○■□➢►✓*–—-]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)])\s+"
)
_ENDS_SENTENCE = re.compile(r"[.!?:][\"'”’»›)\]]*\d{0,3}\s*$")
_ENDS_PUNCT = re.compile(r"[.!?:;,][\"'”’»›)\]]*\d{0,3}\s*$")
BlockKind = Literal["heading", "bullet", "para"]


def text_blocks(text: str) -> list[tuple[int, int, BlockKind]]:
    """Raw (start, end, kind) of each heading, bullet item and paragraph.

    Text whose lines are hard-wrapped (as extracted from PDFs) is re-joined: a line break, or a
    blank line left by a column or page break, continues the paragraph unless the text before
    it ends a sentence; a line that ends a sentence well short of the column width ends its
    paragraph. Elsewhere every line is its own paragraph.
    """
    lines: list[tuple[int, int, str]] = []
    position = 0
    for line in text.split("\n"):
        lines.append((position, position + len(line), line.strip()))
        position += len(line) + 1
    width = _wrap_width([content for _, _, content in lines])
    wrapped = width > 0
    blocks: list[tuple[int, int, BlockKind]] = []
    current: list = []  # [start, end, kind] of the open block

    def close() -> None:
        if current:
            blocks.append((current[0], current[1], current[2]))
            current.clear()

    for index, (start, end, content) in enumerate(lines):
        if not content:
            if current and (not wrapped or _ENDS_SENTENCE.search(text[current[0] : current[1]])):
                close()
            continue
        previous_blank = index == 0 or not lines[index - 1][2]
        next_blank = index + 1 == len(lines) or not lines[index + 1][2]
        runs_on = not next_blank and lines[index + 1][2][:1].islower()
        if not runs_on and _is_heading(content, wrapped, previous_blank and next_blank):
            close()
            blocks.append((start, end, "heading"))
        elif _BULLET.match(content):
            close()
            current.extend([start, end, "bullet"])
        elif current and (
            wrapped
            or (
                not previous_blank
                and content[:1].islower()
                and not _ENDS_SENTENCE.search(text[current[0] : current[1]])
            )
        ):
            current[1] = end  # a continuation line (in unwrapped text: it starts lower-case)
        else:
            close()
            current.extend([start, end, "para"])
        if wrapped and len(content) < 0.7 * width and _ENDS_SENTENCE.search(content):
            close()  # a short last line: the paragraph ends here
    close()
    return blocks


def _wrap_width(lines: Sequence[str]) -> float:
    """The median line length if lines are hard-wrapped (most run on into the next line
    without ending a sentence, as in text taken from a PDF), else 0."""
    runs_on = sum(
        1
        for line, following in itertools.pairwise(lines)
        if line and following and not _ENDS_PUNCT.search(line)
    )
    filled = [line for line in lines if line]
    if len(filled) < 8 or runs_on < 0.4 * len(filled):
        return 0.0
    width = statistics.median(len(line) for line in filled)
    return float(width) if width <= 100 else 0.0


def _is_heading(line: str, wrapped: bool, alone: bool) -> bool:
    words = line.split()
    if line.startswith("#"):
        return True
    letters = [c for c in line if c.isalpha()]
    if len(letters) >= 3 and all(c.isupper() for c in letters) and len(words) <= 10:
        return True
    if (
        _BULLET.match(line)
        or line.endswith("-")
        or (_ENDS_PUNCT.search(line) and not line.endswith(":"))
    ):
        return False
    if wrapped:
        return alone and len(words) <= 10
    return len(words) <= 12


# --- sentences and their analysis -------------------------------------------------------------


# pysbd's time grows with the square of a block's length; blocks are cut into segments of at
# most this many characters (at a line break, else a sentence end, else a space) first, so
# splitting stays linear in the text however long a single line is.
MAX_SEGMENT = 3_000
_SEGMENT_CUTS = (re.compile(r"\n"), re.compile(r"[.!?;][\"')\]]*\s"), re.compile(r"\s"))


def _segments(block: str) -> list[tuple[int, int]]:
    """(start, end) of pieces of ``block`` of at most :data:`MAX_SEGMENT` characters."""
    pieces = []
    at = 0
    while len(block) - at > MAX_SEGMENT:
        window = block[at : at + MAX_SEGMENT]
        cut = MAX_SEGMENT
        for pattern in _SEGMENT_CUTS:
            ends = [m.end() for m in pattern.finditer(window, MAX_SEGMENT // 2)]
            if ends:
                cut = ends[-1]
                break
        pieces.append((at, at + cut))
        at += cut
    pieces.append((at, len(block)))
    return pieces


def _sentences(normalized: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence of normalized[start:end], leading bullet marks excluded."""
    spans: list[tuple[int, int]] = []
    pieces = _segments(normalized[start:end])
    for number, (piece_start, piece_end) in enumerate(pieces):
        found = _segment_sentences(normalized, start + piece_start, start + piece_end)
        if number < len(pieces) - 1 and len(found) > 1:
            # At a cut, pysbd may take a sentence's closing "36." for a list number: join it.
            (a_start, _), (b_start, b_end) = found[-2], found[-1]
            if not any(ch.isalpha() for ch in normalized[b_start:b_end]):
                found[-2:] = [(a_start, b_end)]
        spans += found
    return _without_bullets(normalized, spans)


def _segment_sentences(normalized: str, start: int, end: int) -> list[tuple[int, int]]:
    block = normalized[start:end]
    spans = []
    cursor = 0
    # A new segmenter per block: it keeps the text it is given, so one must not be shared
    # between threads (the dashboard serves sessions on threads); building one is cheap.
    for sentence in pysbd.Segmenter(language="en", clean=False).segment(block):
        piece = sentence.strip()
        if not piece:
            continue
        found = block.find(piece, cursor)
        if found < 0:  # the segmenter altered the text: keep the rest of the block whole
            rest = block[cursor:].strip()
            if rest:
                at = block.index(rest, cursor)
                spans.append((start + at, start + at + len(rest)))
            break
        spans.append((start + found, start + found + len(piece)))
        cursor = found + len(piece)
    return spans


def _without_bullets(normalized: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    trimmed = []
    for s_start, s_end in spans:
        marker = _BULLET.match(normalized[s_start:s_end])
        if marker:
            s_start += marker.end()
        if s_end - s_start > 1:
            trimmed.append((s_start, s_end))
    return trimmed


@dataclass(frozen=True)
class _Finding:
    forms: tuple[Form, ...]
    cue: str
    actor: str
    actor_basis: str
    confidence: float
    kind: Kind = "explicit"


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


def _default_model() -> SentenceModel | None:
    return load_model()


def _rescored(normalized: str, units: list[_Unit], model: SentenceModel) -> list[_Unit]:
    """Sentences no rule found that the model rates at or above its threshold become
    candidates of form ``learned``; the rules' own findings keep their confidence.

    The model's probability is not used to rescore rule findings: leave-one-document-out, that
    lowered precision at every threshold (the rules' confidence ranks their hits better than
    the model does), so the model only adds what the rules miss.
    """
    out = []
    for unit in units:
        if unit.finding is None and not unit.lead_in:
            probability = round(model.probability(unit_features(normalized, unit)), 2)
            if probability >= model.threshold:
                basis = "named by the lead-in" if unit.lead_actor != UNKNOWN else "no subject"
                finding = _Finding(
                    ("learned",), "sentence model", unit.lead_actor, basis, probability
                )
                unit = replace(unit, finding=finding)
        out.append(unit)
    return out


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


@cache
def _is_past(word: str) -> bool:
    """A simple past form ("welcomed", "took"), by the lexicon's inflections."""
    verbs = _lemmas(word).get("VERB", ())
    if not verbs or word in verbs:
        return False  # a base form ("put", "set") is not read as past
    return any(word in getInflection(lemma, "VBD") for lemma in verbs)


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


# --- the rules --------------------------------------------------------------------------------

_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z][A-Za-z’'\-]*[A-Za-z]|[A-Za-z]")


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


def _wordset(words: str) -> frozenset[str]:
    """A closed class of words, written as one string to keep long lists readable."""
    return frozenset(words.split())


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


# --- lexicon ----------------------------------------------------------------------------------


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


# --- instruments ------------------------------------------------------------------------------

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


def _candidate(
    normalized: str, start: int, end: int, finding: _Finding, allowed: Collection[str]
) -> Candidate:
    text = normalized[start:end]
    instrument, instrument_basis = _instrument(text, finding.forms, allowed)
    return Candidate(
        start=start,
        end=end,
        text=text,
        kind=finding.kind,
        forms=finding.forms,
        cue=finding.cue,
        actor=finding.actor,
        actor_basis=finding.actor_basis,
        instrument=instrument,
        instrument_basis=instrument_basis,
        confidence=finding.confidence,
        addressee=addressee_of(finding.actor),
    )
