"""Candidate recommendations in a document, found by general rules, with exact spans.

The rules live in modules of their own, layered (each imports only those before it):
:mod:`~scoring.intake.segmentation` (blocks and sentences), :mod:`~scoring.intake.lexicon`
(word classes), :mod:`~scoring.intake.advice_modal` (modal advice, subjects, agents),
:mod:`~scoring.intake.advice_forms` (imperatives, directives, reported calls, conditions,
suggestions), :mod:`~scoring.intake.advice_units` (sentences in context, merging),
:mod:`~scoring.intake.sentence_features` (the sentence model's features) and
:mod:`~scoring.intake.instruments`; this module is the entry point. The rules interact and are
tuned together against ``benchmarks/bench_extraction.py``.

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

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Literal

from scoring.errors import Code, InputError, Notice
from scoring.intake.addressees import addressee_of
from scoring.intake.advice_modal import FORMS, Form, Kind, _Finding
from scoring.intake.advice_units import _in_context, _merge, _Unit, _units
from scoring.intake.instruments import INSTRUMENT_KEYWORDS, _instrument
from scoring.intake.lexicon import _proper_nouns
from scoring.intake.segmentation import _sentences, text_blocks
from scoring.intake.sentence_classifier import SentenceModel, load_model
from scoring.intake.sentence_features import unit_features
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
