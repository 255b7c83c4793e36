"""Benchmark: ranking a synthetic 10,000 x 12 catalog against a bare numpy floor.

Run: ``uv run python benchmarks/bench_rank.py [--recommendations N] [--criteria M]``

The floor, measured in the same run on the same matrix, is one matrix-vector product plus
an argsort: the least work any weighted-sum ranking can do. ``rank()`` adds weight
validation, the score intervals (two more products), float-noise rounding and a stable sort
for the documented tie-break. Target: within 3x of the floor.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from scoring.methods import rank, rank_normalized
from scoring.model import Catalog
from scoring.synthetic import catalog_from_matrix
from scoring.weights import normalized_weights


def synthetic_catalog(n: int, m: int, seed: int = 7) -> Catalog:
    """A catalog of ``n`` recommendations scored at random on ``m`` criteria (every 4th a cost)."""
    values = np.random.default_rng(seed).integers(1, 6, size=(n, m))
    return catalog_from_matrix(values, cost=[j % 4 == 3 for j in range(m)], spread=1)


def best_time(function: Callable[[], object], repeats: int = 7, number: int = 20) -> float:
    """Median over ``repeats`` of the mean time of ``number`` calls, in seconds."""
    function()  # warm caches (the catalog's normalised matrices are computed once)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            function()
        samples.append((time.perf_counter() - start) / number)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=10_000)
    parser.add_argument("--criteria", type=int, default=12)
    args = parser.parse_args()

    started = time.perf_counter()
    catalog = synthetic_catalog(args.recommendations, args.criteria)
    build_seconds = time.perf_counter() - started
    weights = {
        cid: float(w)
        for cid, w in zip(
            catalog.criterion_ids, np.random.default_rng(1).random(args.criteria), strict=True
        )
    }
    vector = normalized_weights(weights, catalog.criterion_ids)
    matrix = np.ascontiguousarray(catalog.normalized)

    def floor() -> np.ndarray:
        return np.argsort(-(matrix @ vector))

    timings = {
        "floor: matrix @ w + argsort": best_time(floor),
        "rank_normalized (kernel)": best_time(lambda: rank_normalized(catalog, vector)),
        "rank (validates weights)": best_time(lambda: rank(catalog, weights)),
    }
    floor_seconds = timings["floor: matrix @ w + argsort"]
    print(f"catalog: {args.recommendations} x {args.criteria} (built in {build_seconds:.2f} s)")
    for name, seconds in timings.items():
        print(f"{name:32s} {seconds * 1e6:10.1f} us   {seconds / floor_seconds:5.2f}x floor")
    ratio = timings["rank (validates weights)"] / floor_seconds
    print(
        f"target: rank within 3x of the floor -> {'met' if ratio <= 3 else 'NOT met'} "
        f"({ratio:.2f}x)"
    )


if __name__ == "__main__":
    main()
