"""Benchmark: the extractor on the seeds and on ``../shared/corpus``, separately.

Run: ``uv run python benchmarks/bench_extraction.py [--min-confidence X] [--quiet] [--rules-only]``

Every document goes through the upload path (``scoring.intake.ingest`` then
``scoring.intake.extraction``); gold items are located as ``benchmarks/devset.py`` describes.
Two figures sets are printed:

* **shipped model**: the extractor as installed, its sentence model trained on the whole
  development set (so these figures are in-sample for the learned part);
* **leave-one-document-out**: for each document, the sentence model is retrained without it
  (``scoring.intake.sentence_classifier.train``) and the document is extracted with that model: the
  honest figure for text the model has not seen. ``--rules-only`` shows the rules alone.

Matching, by character spans in the normalised text:

* **seeds** (curated quotes, often whole paragraphs): a quote is recalled if one candidate covers
  at least half of it; a candidate is a true positive if it shares at least half of the shorter
  of the two spans with a quote;
* **corpus** (short anchors, as its README states): a candidate finds a gold item when their
  spans overlap.

Recall is over explicit gold items. Precision counts a candidate as correct when it matches any
gold item (explicit or implicit: an implicit recommendation found is not a false alarm);
"explicit precision" counts only matches to explicit items. Targets: corpus explicit recall
>= 0.9 at precision >= 0.8 leave-one-document-out; seeds explicit recall >= 0.95.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from devset import ROOT, DevDocument, development_set

from scoring.intake.addressees import addressee_of
from scoring.intake.extraction import (
    DEFAULT_MIN_CONFIDENCE,
    Candidate,
    extract_candidates,
    training_examples,
)
from scoring.intake.sentence_classifier import SentenceModel, load_model, train
from scoring.loading import load_catalog

THRESHOLDS = (0.25, 0.4, 0.5, 0.6, 0.7, 0.8)
MATCH = {"seeds": "half", "corpus": "overlap"}
Extractor = Callable[[DevDocument], tuple[Candidate, ...]]


@dataclass(frozen=True)
class DocumentResult:
    document: DevDocument
    candidates: tuple[Candidate, ...]
    seconds: float


@dataclass(frozen=True)
class Scores:
    recalled: int
    explicit: int
    recalled_all: int
    gold: int
    correct: int
    correct_explicit: int
    candidates: int

    @property
    def recall(self) -> float:
        return self.recalled / self.explicit if self.explicit else 1.0

    @property
    def recall_all(self) -> float:
        return self.recalled_all / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.candidates if self.candidates else 1.0

    @property
    def explicit_precision(self) -> float:
        return self.correct_explicit / self.candidates if self.candidates else 1.0


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def finds(candidate: tuple[int, int], gold: tuple[int, int], mode: str) -> tuple[bool, bool]:
    """(the candidate recalls the gold item, the candidate is a true positive for it)."""
    shared = overlap(candidate, gold)
    if mode == "overlap":
        return shared > 0, shared > 0
    shorter = min(candidate[1] - candidate[0], gold[1] - gold[0])
    return shared >= (gold[1] - gold[0]) / 2, shared >= shorter / 2


def evaluate(results: Sequence[DocumentResult], min_confidence: float) -> Scores:
    """Counts over ``results`` with candidates below ``min_confidence`` left out."""
    counts = dict.fromkeys(
        ("recalled", "explicit", "recalled_all", "gold", "correct", "correct_explicit"), 0
    )
    total = 0
    for result in results:
        mode = MATCH[result.document.collection]
        kept = [c.span for c in result.candidates if c.confidence >= min_confidence]
        total += len(kept)
        for item in result.document.gold:
            hit = item.span is not None and any(finds(c, item.span, mode)[0] for c in kept)
            counts["gold"] += 1
            counts["recalled_all"] += hit
            if item.kind == "explicit":
                counts["explicit"] += 1
                counts["recalled"] += hit
        for c in kept:
            matched = [
                item
                for item in result.document.gold
                if item.span is not None and finds(c, item.span, mode)[1]
            ]
            counts["correct"] += bool(matched)
            counts["correct_explicit"] += any(item.kind == "explicit" for item in matched)
    return Scores(candidates=total, **counts)


def run(documents: Sequence[DevDocument], extractor: Extractor) -> list[DocumentResult]:
    """Extract every document with every candidate kept (thresholds apply later)."""
    results = []
    for document in documents:
        started = time.perf_counter()
        candidates = extractor(document)
        results.append(DocumentResult(document, candidates, time.perf_counter() - started))
    return results


def shipped(
    instruments: Sequence[str], model: SentenceModel | Literal["default"] | None
) -> Extractor:
    """The extractor as installed (``model`` None: the rules alone)."""

    def extract(document: DevDocument) -> tuple[Candidate, ...]:
        return extract_candidates(
            document.text, instruments, min_confidence=0.0, model=model
        ).candidates

    return extract


def leave_one_out(documents: Sequence[DevDocument], instruments: Sequence[str]) -> Extractor:
    """Each document extracted by a model trained on all the other documents."""
    examples = {
        doc.name: training_examples(doc.text, [(g.kind, g.span) for g in doc.gold])
        for doc in documents
    }

    def extract(document: DevDocument) -> tuple[Candidate, ...]:
        rest = [e for name, exs in examples.items() if name != document.name for e in exs]
        model = train(rest, data_sha256="leave-one-out")
        return extract_candidates(
            document.text, instruments, min_confidence=0.0, model=model
        ).candidates

    return extract


def _line(label: str, s: Scores) -> str:
    return (
        f"{label:<34} explicit recall {s.recall:.2f} ({s.recalled}/{s.explicit})  "
        f"precision {s.precision:.2f} ({s.correct}/{s.candidates})  "
        f"[explicit precision {s.explicit_precision:.2f}; all-kinds recall "
        f"{s.recall_all:.2f} ({s.recalled_all}/{s.gold})]"
    )


def report(
    title: str, results: Sequence[DocumentResult], min_confidence: float, *, quiet: bool
) -> str:
    """Figures per collection and per document, a threshold sweep, and (unless quiet) lists."""
    lines = [f"== {title} (min confidence {min_confidence:.2f})"]
    for collection in ("seeds", "corpus"):
        chosen = [r for r in results if r.document.collection == collection]
        if not chosen:
            lines.append(f"{collection}: not available")
            continue
        lines.append(_line(f"{collection} overall", evaluate(chosen, min_confidence)))
        for result in chosen:
            lines.append(
                _line(f"  {result.document.name[:32]}", evaluate([result], min_confidence))
            )
        learned = sum(
            "learned" in c.forms and c.confidence >= min_confidence
            for r in chosen
            for c in r.candidates
        )
        lines.append(f"  candidates only the sentence model found: {learned}")
        sweep = "  ".join(
            f"{t:.2f}: {s.recall:.2f}/{s.precision:.2f}"
            for t in THRESHOLDS
            for s in [evaluate(chosen, t)]
        )
        lines.append(f"  sweep (threshold: recall/precision) {sweep}")
        lines.append(_addressee_agreement(chosen, min_confidence))
        lost = [i.id for r in chosen for i in r.document.gold if i.span is None]
        if lost:
            lines.append(f"  GOLD NOT LOCATED: {', '.join(lost)}")
    if not quiet:
        lines += _lists(results, min_confidence)
    return "\n".join(lines)


def _addressee_agreement(results: Sequence[DocumentResult], min_confidence: float) -> str:
    """For each recalled explicit item, whether the best-overlapping candidate's addressee
    equals the class of the gold actor (both by ``addressee_of``; unknown gold is skipped)."""
    agree = named = total = 0
    for result in results:
        kept = [c for c in result.candidates if c.confidence >= min_confidence]
        for item in result.document.gold:
            expected = addressee_of(item.actor)
            if item.kind != "explicit" or item.span is None or expected == "unknown":
                continue
            span = item.span
            best = max(kept, key=lambda c: overlap(c.span, span), default=None)
            if best is None or not overlap(best.span, span):
                continue
            total += 1
            named += best.addressee != "unknown"
            agree += best.addressee == expected
    return (
        f"  addressee: classified on {named}/{total} recalled explicit items with a known "
        f"gold class, equal to the gold actor's class on {agree}/{total}"
    )


def _lists(results: Sequence[DocumentResult], min_confidence: float) -> list[str]:
    misses = ["MISSES (explicit gold items no candidate finds):"]
    alarms = ["FALSE ALARMS (candidates matching no gold item):"]
    for result in results:
        mode = MATCH[result.document.collection]
        kept = [c for c in result.candidates if c.confidence >= min_confidence]
        tag = result.document.name[:12]
        for item in result.document.gold:
            if item.kind != "explicit":
                continue
            if item.span is None or not any(finds(c.span, item.span, mode)[0] for c in kept):
                text = result.document.document.normalized[slice(*(item.span or (0, 0)))]
                misses.append(f"  {tag} {item.id}: {_excerpt(text)}")
        for c in kept:
            if not any(
                item.span is not None and finds(c.span, item.span, mode)[1]
                for item in result.document.gold
            ):
                alarms.append(f"  {tag} {c.confidence:.2f} {'+'.join(c.forms)}: {_excerpt(c.text)}")
    return ["", *misses, "", *alarms]


def _excerpt(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE)
    parser.add_argument("--quiet", action="store_true", help="figures only, no lists")
    parser.add_argument("--rules-only", action="store_true", help="the rules without the model")
    parser.add_argument("--no-loo", action="store_true", help="skip leave-one-document-out")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    documents = development_set()
    instruments = load_catalog(ROOT).instruments
    if args.rules_only:
        results = run(documents, shipped(instruments, None))
        print(report("rules only", results, args.min_confidence, quiet=args.quiet))
    else:
        model = load_model()
        results = run(documents, shipped(instruments, model))
        print(report("shipped model (in-sample)", results, args.min_confidence, quiet=True))
        if not args.no_loo:
            print()
            loo = run(documents, leave_one_out(documents, instruments))
            print(report("leave-one-document-out", loo, args.min_confidence, quiet=args.quiet))
    print(f"\n{time.perf_counter() - started:.1f}s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
