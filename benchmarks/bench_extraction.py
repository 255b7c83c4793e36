"""Benchmark: the extractor against the curated catalog of the five seed documents.

Run: ``uv run python benchmarks/bench_extraction.py [--min-confidence X] [--quiet]``

Each seed goes through the same path as an uploaded file (``scoring.intake.ingest`` then
``scoring.intake.extraction``); each curated quote is located in the ingested text with
``find_span`` (a quote lost by furniture stripping is reported and counts as a miss).

Matching, by character overlap of spans in the normalised text:

* a curated recommendation is **recalled** if one candidate covers at least half of its quote;
* a candidate is a **true positive** if it shares at least half of the shorter of the two spans
  with some curated quote (so a long candidate that only touches a quote's edge does not count,
  nor does a fragment of a long quote); the looser "any overlap" precision is printed beside it.

Figures are given overall and for explicit recommendations only (explicit precision counts a
candidate as a true positive only against explicit quotes). Target: explicit recall >= 0.9 at
precision >= 0.7. The catalog is curated, not exhaustive: a "false alarm" can be real advice the
curators left out, so every one is listed for a reader to judge.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scoring.intake.extraction import DEFAULT_MIN_CONFIDENCE, Candidate, extract_candidates
from scoring.intake.ingest import ingest_file
from scoring.loading import load_catalog
from scoring.model import Recommendation
from scoring.text import find_span

ROOT = Path(__file__).resolve().parent.parent
THRESHOLDS = (0.25, 0.4, 0.5, 0.6, 0.7, 0.8)


@dataclass(frozen=True)
class Reference:
    recommendation: Recommendation
    span: tuple[int, int] | None  # None: the quote was lost in ingestion


@dataclass(frozen=True)
class DocumentResult:
    name: str
    references: tuple[Reference, ...]
    candidates: tuple[Candidate, ...]
    seconds: float


@dataclass(frozen=True)
class Scores:
    recall: float
    precision: float
    loose_precision: float
    recalled: int
    references: int
    true_positives: int
    candidates: int


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def recalled(reference: tuple[int, int], candidates: Sequence[Candidate]) -> bool:
    """One candidate covers at least half of the reference quote."""
    need = (reference[1] - reference[0]) / 2
    return any(overlap(reference, c.span) >= need for c in candidates)


def true_positive(candidate: Candidate, references: Sequence[tuple[int, int]]) -> bool:
    """The candidate shares at least half of the shorter span with some reference quote."""
    size = candidate.end - candidate.start
    return any(overlap(candidate.span, ref) >= min(size, ref[1] - ref[0]) / 2 for ref in references)


def evaluate(
    results: Sequence[DocumentResult], *, explicit_only: bool, min_confidence: float
) -> Scores:
    recalled_count = references_count = tp = loose = total = 0
    for result in results:
        refs = [
            r for r in result.references if not explicit_only or r.recommendation.kind == "explicit"
        ]
        spans = [r.span for r in refs if r.span is not None]
        kept = [c for c in result.candidates if c.confidence >= min_confidence]
        references_count += len(refs)
        recalled_count += sum(1 for span in spans if recalled(span, kept))
        tp += sum(1 for c in kept if true_positive(c, spans))
        loose += sum(1 for c in kept if any(overlap(c.span, s) for s in spans))
        total += len(kept)
    return Scores(
        recall=recalled_count / references_count if references_count else 0.0,
        precision=tp / total if total else 0.0,
        loose_precision=loose / total if total else 0.0,
        recalled=recalled_count,
        references=references_count,
        true_positives=tp,
        candidates=total,
    )


def run(root: Path = ROOT) -> list[DocumentResult]:
    """Ingest and extract every seed with every candidate kept (thresholds apply later)."""
    catalog = load_catalog(root)
    results = []
    for document in catalog.documents:
        started = time.perf_counter()
        ingested = ingest_file(root / "seeds" / document.name)
        extraction = extract_candidates(ingested.text, catalog.instruments, min_confidence=0.0)
        seconds = time.perf_counter() - started
        references = tuple(
            Reference(rec, find_span(extraction.normalized, rec.quote))
            for rec in catalog.recommendations
            if rec.document == document.name
        )
        results.append(DocumentResult(document.name, references, extraction.candidates, seconds))
    return results


def _line(label: str, scores: Scores) -> str:
    return (
        f"{label:<10} recall {scores.recall:.2f} ({scores.recalled}/{scores.references})   "
        f"precision {scores.precision:.2f} ({scores.true_positives}/{scores.candidates})   "
        f"[any-overlap precision {scores.loose_precision:.2f}]"
    )


def report(results: Sequence[DocumentResult], min_confidence: float, *, quiet: bool) -> str:
    overall = evaluate(results, explicit_only=False, min_confidence=min_confidence)
    explicit = evaluate(results, explicit_only=True, min_confidence=min_confidence)
    met = explicit.recall >= 0.9 and explicit.precision >= 0.7
    lines = [
        f"Extraction on the five seeds (min confidence {min_confidence:.2f})",
        _line("overall", overall),
        _line("explicit", explicit),
        f"target (explicit recall >= 0.90, precision >= 0.70): {'met' if met else 'NOT met'}",
        "",
        "per document: curated (explicit) / candidates / recalled explicit / true positives",
    ]
    for result in results:
        one = [result]
        exp = evaluate(one, explicit_only=True, min_confidence=min_confidence)
        allk = evaluate(one, explicit_only=False, min_confidence=min_confidence)
        lines.append(
            f"  {result.name}: {len(result.references)} ({exp.references}) / {allk.candidates}"
            f" / {exp.recalled}/{exp.references} / {allk.true_positives}/{allk.candidates}"
            f"   {result.seconds:.2f}s"
        )
    kept = [c for r in results for c in r.candidates if c.confidence >= min_confidence]
    quotes = [r.span for res in results for r in res.references if r.span is not None]
    lines += [
        "",
        f"median length: candidate {statistics.median(c.end - c.start for c in kept):.0f} chars, "
        f"curated quote {statistics.median(b - a for a, b in quotes):.0f} chars",
        _instrument_agreement(results, min_confidence),
        "",
        "threshold sweep: min confidence -> explicit recall / precision (overall precision)",
    ]
    for threshold in THRESHOLDS:
        exp = evaluate(results, explicit_only=True, min_confidence=threshold)
        allk = evaluate(results, explicit_only=False, min_confidence=threshold)
        lines.append(
            f"  {threshold:.2f} -> {exp.recall:.2f} / {exp.precision:.2f} ({allk.precision:.2f})"
        )
    lost = [r for res in results for r in res.references if r.span is None]
    if lost:
        lines += ["", "QUOTES LOST IN INGESTION:"] + [f"  {r.recommendation.id}" for r in lost]
    if not quiet:
        lines += [
            "",
            *_misses(results, min_confidence),
            "",
            *_false_alarms(results, min_confidence),
        ]
    return "\n".join(lines)


def _instrument_agreement(results: Sequence[DocumentResult], min_confidence: float) -> str:
    """For each recalled explicit quote, whether the best-overlapping candidate's instrument
    equals the curated one (instruments are suggestions for the analyst, not part of the target)."""
    agree = total = 0
    for result in results:
        kept = [c for c in result.candidates if c.confidence >= min_confidence]
        for ref in result.references:
            if ref.span is None or ref.recommendation.kind != "explicit":
                continue
            span = ref.span
            best = max(kept, key=lambda c: overlap(c.span, span), default=None)
            if best is None or not recalled(span, [best]):
                continue
            total += 1
            agree += best.instrument == ref.recommendation.instrument
    share = agree / total if total else 0.0
    return (
        f"instrument agrees with the curated one on {agree}/{total} recalled explicit ({share:.2f})"
    )


def _misses(results: Sequence[DocumentResult], min_confidence: float) -> list[str]:
    lines = ["MISSES (curated quotes no candidate covers by half):"]
    for result in results:
        kept = [c for c in result.candidates if c.confidence >= min_confidence]
        for ref in result.references:
            if ref.span is None or not recalled(ref.span, kept):
                rec = ref.recommendation
                lines.append(f"  [{rec.kind}] {rec.id}: {_excerpt(rec.quote)}")
    return lines


def _false_alarms(results: Sequence[DocumentResult], min_confidence: float) -> list[str]:
    lines = ["FALSE ALARMS (candidates matching no curated quote):"]
    for result in results:
        spans = [r.span for r in result.references if r.span is not None]
        for c in result.candidates:
            if c.confidence >= min_confidence and not true_positive(c, spans):
                lines.append(
                    f"  {result.name[:3]} {c.start}-{c.end} {c.confidence:.2f} "
                    f"{'+'.join(c.forms)}: {_excerpt(c.text)}"
                )
    return lines


def _excerpt(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-confidence", type=float, default=DEFAULT_MIN_CONFIDENCE)
    parser.add_argument("--quiet", action="store_true", help="figures only, no lists")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = run()
    print(report(results, args.min_confidence, quiet=args.quiet))
    print(f"\n{time.perf_counter() - started:.1f}s in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
