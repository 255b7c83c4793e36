"""Benchmark: SMAA-2 with 10,000 samples against a plain-numpy floor and a pymcdm loop.

Run: ``uv run python benchmarks/bench_smaa.py [--samples N] [--pymcdm-samples N]``

Two catalogs: the bundled one (90 x 8) and a synthetic 1,000 x 10 (every score's range its
value +- 1). For each, in the same run and on the same inputs:

* **engine**: :func:`scoring.robustness.smaa` without confidence factors (rank acceptability
  and central weights), then with them (a second pass of score draws);
* **floor**: the least work SMAA-2 can do, written here in plain numpy: the same weight and
  score draws, one batched matrix product, an argsort and rank counting with ``bincount``,
  in the same chunks. It uses the same random stream as the engine, so its acceptability
  must equal the engine's (printed as a check);
* **pymcdm loop**: pymcdm's weighted sum (``WSM`` with our fixed-end normalisation) called
  once per sample, ranks counted per sample: what SMAA costs without vectorising. Twice:
  with ``validation=False`` (pymcdm's fastest call) and as pymcdm's default call, which
  validates each problem (timed on a subset of about ten seconds, then scaled).

Then the bundled catalog ranked by each aggregation method (``smaa(..., method=...)``),
scores drawn uniformly: weighted sum, TOPSIS and PROMETHEE II (whose unicriterion flows are
recomputed for every score draw by sorting, ``promethee_flows_batched``; linear and level
preference functions), and PROMETHEE II with fixed scores (flows computed once). Figures
only, no target. A check runs PROMETHEE II on fewer samples once more with every draw's
flows from all pairs (``promethee_flows``): the acceptability must be the same.

Targets (issue 4): engine within 2x of the floor; at least 100x faster than the pymcdm loop.
Times are the median of three runs (the pymcdm loop runs once); peak memory is the largest
block of Python-tracked allocations (tracemalloc, which numpy reports to) during one call.
Nothing here is asserted: timings belong in a benchmark, not in tests.
"""

from __future__ import annotations

import argparse
import functools
import resource
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import numpy as np
from pymcdm.methods import WSM

from scoring import robustness
from scoring.errors import InputError
from scoring.loading import load_catalog
from scoring.methods import PrometheeII, promethee_flows
from scoring.model import Catalog
from scoring.robustness import CHUNK_ELEMENTS, smaa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_rank import synthetic_catalog

ROOT = Path(__file__).resolve().parent.parent
SEED = 1
VALIDATED_SECONDS = 10.0


def floor_smaa(catalog: Catalog, samples: int, seed: int) -> np.ndarray:
    """Plain-numpy SMAA-2: draws, one batched product, argsort, rank counting.

    Draws exactly as the engine does (same generator calls in the same order), so the
    resulting rank-acceptability counts are the engine's.
    """
    rng = np.random.default_rng(seed)
    count, criteria = catalog.values.shape
    draws = rng.exponential(size=(samples, criteria))
    weights = draws / draws.sum(axis=1, keepdims=True)
    low = catalog.worst_normalized
    span = catalog.best_normalized - low
    chunk = max(1, CHUNK_ELEMENTS // (count * criteria))
    counts = np.zeros(count * count, dtype=np.int64)
    slots = np.arange(count)
    for start in range(0, samples, chunk):
        w = weights[start : start + chunk]
        scores = low + span * rng.random((len(w), count, criteria))
        totals = np.matmul(scores, w[:, :, None])[:, :, 0]
        order = np.argsort(-totals, axis=1)
        counts += np.bincount((order * count + slots).ravel(), minlength=count * count)
    return counts.reshape(count, count)


def pymcdm_loop(catalog: Catalog, samples: int, seed: int, validation: bool = False) -> np.ndarray:
    """One pymcdm weighted-sum call per sample on a freshly drawn score matrix (1-5 scale).

    ``validation=True`` is pymcdm's default call, which checks the decision problem (weights,
    types, dominated alternatives) on every call; ``False`` is the fastest call pymcdm offers.
    """

    def fixed_ends(x: np.ndarray, cost: bool) -> np.ndarray:
        return (5.0 - x) / 4.0 if cost else (x - 1.0) / 4.0

    method = WSM(fixed_ends)
    types = np.where(catalog.cost_mask, -1, 1)
    rng = np.random.default_rng(seed)
    count, criteria = catalog.values.shape
    low, span = catalog.low, catalog.high - catalog.low
    counts = np.zeros((count, count), dtype=np.int64)
    slots = np.arange(count)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(samples):
            draws = rng.exponential(size=criteria)
            scores = low + span * rng.random((count, criteria))
            preference = method(scores, draws / draws.sum(), types, validation=validation)
            counts[np.argsort(-preference), slots] += 1
    return counts


def timed(function: Callable[[], object], repeats: int = 3) -> tuple[float, object]:
    """Median wall time of ``repeats`` calls and the last result."""
    seconds, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def peak_mb(function: Callable[[], object]) -> float:
    """Peak traced allocation during one call, in MB."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def bench(name: str, catalog: Catalog, samples: int, pymcdm_samples: int) -> dict[str, float]:
    count, criteria = catalog.values.shape
    print(f"\n{name}: {count:,} recommendations x {criteria} criteria, {samples:,} samples")
    engine = lambda: smaa(catalog, samples=samples, seed=SEED, confidence=False)  # noqa: E731
    full = lambda: smaa(catalog, samples=samples, seed=SEED)  # noqa: E731
    floor = lambda: floor_smaa(catalog, samples, SEED)  # noqa: E731
    engine(), floor(), pymcdm_loop(catalog, 10, SEED)  # warm up: caches, first-call costs
    t_engine, result = timed(engine)
    t_full, _ = timed(full)
    t_floor, floor_counts = timed(floor)
    start = time.perf_counter()
    pymcdm_loop(catalog, pymcdm_samples, SEED)
    t_loop = (time.perf_counter() - start) * samples / pymcdm_samples
    # pymcdm's default call validates every problem: time a few calls to size a subset that
    # runs about VALIDATED_SECONDS, then scale to the full sample count.
    start = time.perf_counter()
    pymcdm_loop(catalog, 3, SEED, validation=True)
    per_call = (time.perf_counter() - start) / 3
    validated = int(min(samples, max(3, VALIDATED_SECONDS / per_call)))
    start = time.perf_counter()
    pymcdm_loop(catalog, validated, SEED, validation=True)
    t_validated = (time.perf_counter() - start) * samples / validated
    ids = list(catalog.recommendation_ids)
    engine_counts = np.array(
        [result.acceptability[result.ids.index(rec_id)] for rec_id in ids]  # type: ignore[union-attr]
    )
    difference = np.abs(engine_counts - floor_counts / samples).max()
    m_engine, m_floor = peak_mb(engine), peak_mb(floor)
    scaled = "" if pymcdm_samples == samples else f" (timed on {pymcdm_samples:,}, scaled)"
    rows = [
        ("engine smaa (acceptability, central weights)", t_engine, f"{m_engine:7.1f} MB"),
        ("engine smaa + confidence factors", t_full, ""),
        ("floor: plain numpy, same draws", t_floor, f"{m_floor:7.1f} MB"),
        (f"pymcdm WSM loop, validation off{scaled}", t_loop, ""),
        (f"pymcdm WSM loop, default call (timed on {validated:,}, scaled)", t_validated, ""),
    ]
    for label, seconds, memory in rows:
        print(f"  {label:52s} {seconds * 1e3:10.1f} ms  {memory}")
    ratio_floor = t_engine / t_floor
    verdict = "met" if ratio_floor <= 2 else "NOT met"
    print(f"  {'engine / floor':40s} {ratio_floor:8.2f}x (target <= 2x: {verdict})")
    for label, seconds in (("validation off", t_loop), ("default call", t_validated)):
        ratio = seconds / t_engine
        prefix = f"pymcdm loop ({label}) / engine"
        verdict = "met" if ratio >= 100 else "NOT met"
        print(f"  {prefix:40s} {ratio:8.0f}x (target >= 100x: {verdict})")
    print(f"  check: largest acceptability difference engine vs floor {difference:.2e}")
    return {"engine": t_engine, "floor": t_floor, "loop": t_loop}


def bench_methods(catalog: Catalog, samples: int) -> dict[str, float]:
    """SMAA-2 of ``catalog`` ranked by each method; times with and without confidence."""
    count, criteria = catalog.values.shape
    print(
        f"\nbundled catalog by method: {count:,} x {criteria}, {samples:,} samples, "
        "scores drawn uniformly unless fixed"
    )
    cases = [
        ("weighted sum", "weighted_sum", "uniform"),
        ("TOPSIS (scale anchors)", "topsis", "uniform"),
        ("PROMETHEE II (linear, q 0, p 2)", "promethee_ii", "uniform"),
        ("PROMETHEE II (level, q 0.5, p 1.5)", PrometheeII("level", 0.5, 1.5), "uniform"),
        ("PROMETHEE II, fixed scores", "promethee_ii", "fixed"),
    ]
    figures = {}
    for label, method, scores in cases:
        for confidence in (False, True):
            run = functools.partial(
                smaa, catalog, scores=scores, samples=samples, seed=SEED,
                confidence=confidence, method=method,
            )  # fmt: skip
            name = f"{label}{' + confidence factors' if confidence else ''}"
            try:
                seconds, _ = timed(run)
            except InputError as error:  # beyond PROMETHEE II's budget
                print(f"  {name:52s} refused: {error.problems[0].found}")
                continue
            figures[name] = seconds
            print(f"  {name:52s} {seconds * 1e3:10.1f} ms")
    checked = min(samples, 1_000)
    fast = smaa(catalog, samples=checked, seed=SEED, method="promethee_ii")
    with mock.patch.object(robustness, "promethee_flows_batched", pairwise_flows):
        slow = smaa(catalog, samples=checked, seed=SEED, method="promethee_ii")
    same = fast.ids == slow.ids and all(
        np.array_equal(getattr(fast, name), getattr(slow, name), equal_nan=True)
        for name in ("acceptability", "central_weights", "confidence")
    )
    verdict = "the same" if same else "DIFFERENT"
    print(
        f"  check: PROMETHEE II, {checked:,} samples, every draw's flows from all pairs: "
        f"acceptability, central weights and confidence {verdict}"
    )
    return figures


def pairwise_flows(signed: np.ndarray, preference: str, q: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Every draw's flows from all pairs (``promethee_flows``), for the check."""
    return np.stack([promethee_flows(matrix, preference, q, p) for matrix in signed])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument(
        "--pymcdm-samples",
        type=int,
        default=None,
        help="samples for the slow pymcdm loop (default: all); its time is scaled to --samples",
    )
    args = parser.parse_args()
    pymcdm_samples = args.pymcdm_samples or args.samples
    bench("bundled catalog", load_catalog(ROOT), args.samples, pymcdm_samples)
    synthetic = synthetic_catalog(1_000, 10)
    bench("synthetic catalog", synthetic, args.samples, pymcdm_samples)
    bench_methods(load_catalog(ROOT), args.samples)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    print(f"\npeak resident memory of the whole run: {peak_rss:.0f} MB")


if __name__ == "__main__":
    main()
