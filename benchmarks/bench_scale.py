"""Benchmark: every user path at 1,000, 5,000 and 20,000 recommendations, beside a reference.

Run: ``uv run python benchmarks/bench_scale.py [--quick] [--only kernels|cli|app]``
(``--quick``: 1,000 and 5,000 only, a few minutes).

Three parts, each figure printed beside a reference timed in the same run, and for each path
the scaling exponent fitted (least squares, log time on log n) over the sizes run:

- **kernels**, in process, on a synthetic catalog (``scoring.synthetic``; 8 criteria, integer
  scores, ranges of one level): PROMETHEE II's ranking against the sorted numpy floor (per
  criterion an argsort, the four binary searches of the breakpoints and a prefix sum), the
  weighted sum against a matrix-vector product plus argsort, the rank intervals after a
  weight change against re-weighting the cached draws plus one argsort per draw, one-way
  sensitivity and SMAA
  (1,000 weight draws) against their products and argsorts, and the Best-package MILP
  against bare HiGHS (``scipy.optimize.milp`` on the same objective and cardinality bound).
- **cli**: a data root made by copying the bundled seeds (documents, quotes and all) until it
  holds about n recommendations; ``recscore validate``, ``rank --top 3``, ``sensitivity``,
  ``smaa``, ``optimize`` and ``brief`` through ``uv run``, each run paired with an empty
  ``uv run python -c pass`` (alternating, so machine load hits both alike), after one
  first read that parses the YAML and fills the parsed-catalog cache (printed apart).
- **app**: ``streamlit.testing.v1.AppTest`` on that root, every page warmed, then a weight
  slider moved and the rerun timed, against a one-slider, one-table app of the same size.

Targets (issue 17): no exponent above about 1.1 (N log N) except the MILP within 1.5x bare
HiGHS; every page under a second at 5,000 after a weight change; PROMETHEE II at 10,000
within 3x the sorted floor; ``rank --top 3`` within 3x the empty ``uv run``.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CRITERIA = 8
PAGES = ("rankings", "tradeoffs", "robustness", "perspectives", "packages", "sources", "brief")


def timed(function: Callable[[], object], repeats: int = 5) -> float:
    """Median seconds of ``repeats`` calls after one warm-up call."""
    function()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def exponent(sizes: Sequence[int], seconds: Sequence[float]) -> float:
    """Slope of log(seconds) on log(size): 1 is linear, 2 quadratic."""
    if len(sizes) < 2:
        return math.nan
    return float(np.polyfit(np.log(sizes), np.log(np.maximum(seconds, 1e-9)), 1)[0])


def report(title: str, rows: dict[str, dict[int, tuple[float, float]]], sizes: list[int]) -> None:
    """One line per path: time and reference at each size, the ratio, and both exponents."""
    print(f"\n## {title}")
    print(f"{'path':<34}" + "".join(f"{n:>26,}" for n in sizes) + f"{'exp':>7}{'ref exp':>8}")
    for name, figures in rows.items():
        cells = []
        for n in sizes:
            if n in figures:
                ours, ref = figures[n]
                cells.append(f"{ours * 1e3:9.1f} ms/{ref * 1e3:8.1f} ({ours / ref:4.1f}x)")
            else:
                cells.append(f"{'-':>26}")
        run = [n for n in sizes if n in figures]
        ours_exp = exponent(run, [figures[n][0] for n in run])
        ref_exp = exponent(run, [figures[n][1] for n in run])
        print(f"{name:<34}" + "".join(f"{c:>26}" for c in cells) + f"{ours_exp:7.2f}{ref_exp:8.2f}")


# --- kernels --------------------------------------------------------------------------------


def kernels(sizes: list[int]) -> None:
    from scipy.optimize import Bounds, LinearConstraint, milp

    from scoring.methods import promethee_flows, rank_by
    from scoring.option_sets.optimiser import solve_package
    from scoring.robustness import one_way_sensitivity, rank_draws, smaa, with_uncertainty
    from scoring.synthetic import catalog_from_matrix

    rows: dict[str, dict[int, tuple[float, float]]] = {}

    def add(name: str, n: int, ours: float, ref: float) -> None:
        rows.setdefault(name, {})[n] = (ours, ref)

    def measure(n: int) -> None:  # one size: closures below bind this call's arrays
        values = np.random.default_rng(n).integers(1, 6, size=(n, CRITERIA))
        catalog = catalog_from_matrix(values, cost=[j % 4 == 3 for j in range(CRITERIA)], spread=1)
        weights = dict(zip(catalog.criterion_ids, np.linspace(1, 2, CRITERIA), strict=True))
        signed = catalog.values * np.where(catalog.cost_mask, -1.0, 1.0)
        w = np.linspace(1, 2, CRITERIA) / np.linspace(1, 2, CRITERIA).sum()

        def sorted_floor() -> None:
            for c in range(CRITERIA):
                column = np.sort(signed[:, c])
                for shift in (-2.0, 0.0, 0.0, 2.0):
                    np.searchsorted(column, column + shift)
                np.cumsum(column)

        def sum_floor() -> None:
            np.argsort(-(catalog.normalized @ w), kind="stable")

        floor_pr, floor_ws = timed(sorted_floor), timed(sum_floor)
        flows = timed(lambda: promethee_flows(signed))
        add("PROMETHEE II flows (kernel)", n, flows, floor_pr)
        # Fresh flows each call: rank_by with new weights re-weights the kept flows, so the
        # first call is cleared out by changing the cache key's data (a new catalog each time).
        fresh = [
            catalog_from_matrix(values + 0, cost=[j % 4 == 3 for j in range(CRITERIA)], spread=1)
            for _ in range(6)
        ]
        iterator = iter(fresh)

        def rank_fresh() -> None:
            from scoring.methods import promethee

            promethee._flows_cache.clear()
            rank_by(next(iterator), weights, "promethee_ii")

        add("PROMETHEE II rank, flows computed", n, timed(rank_fresh), 3 * floor_pr)
        reweights = iter(np.random.default_rng(1).dirichlet(np.ones(CRITERIA), 20))

        def slider_move() -> None:
            rank_by(catalog, dict(zip(catalog.criterion_ids, next(reweights), strict=True)),
                    "promethee_ii")  # fmt: skip

        add("PROMETHEE II rank, weight change", n, timed(slider_move), floor_ws)
        add("weighted sum rank", n, timed(lambda: rank_by(catalog, weights)), floor_ws)
        # Rank intervals after a weight change: the cached draws (made once, outside the
        # timing) re-weighted and sorted, against that product and one argsort per draw.
        cached = rank_draws(catalog)
        moves = iter(np.random.default_rng(3).dirichlet(np.ones(CRITERIA), 20))

        def intervals() -> None:
            moved = dict(zip(catalog.criterion_ids, next(moves), strict=True))
            with_uncertainty(catalog, rank_by(catalog, moved))

        def intervals_floor() -> None:
            factored = w[None, :] * cached.weight_factors
            np.argsort(np.matmul(cached.scores, factored[:, :, None])[:, :, 0], axis=1)

        add(f"rank intervals ({cached.count} draws), weight change", n,
            timed(intervals, repeats=3), timed(intervals_floor, repeats=3))  # fmt: skip
        add("one-way sensitivity (weighted sum)", n,
            timed(lambda: one_way_sensitivity(catalog, weights), repeats=3),
            CRITERIA * floor_ws)  # fmt: skip
        draws = np.random.default_rng(2).dirichlet(np.ones(CRITERIA), 1_000)

        def smaa_floor() -> None:
            np.argsort(-(draws @ catalog.normalized.T), axis=1)

        add("SMAA 1,000 draws, fixed scores", n,
            timed(lambda: smaa(catalog, samples=1_000, seed=1, scores="fixed"),
                  repeats=3),
            timed(smaa_floor, repeats=3))  # fmt: skip
        scores = catalog.normalized @ w
        none = np.zeros((0, 2), dtype=int)
        mask = np.zeros(n, dtype=bool)

        def bare_highs() -> None:
            milp(-scores, integrality=np.ones(n), bounds=Bounds(0, 1),
                 constraints=LinearConstraint(np.ones((1, n)), 0, 5))  # fmt: skip

        add("Best package MILP (k = 5)", n,
            timed(lambda: solve_package(scores, none, none, np.zeros(0), 5, mask, mask),
                  repeats=3),
            timed(bare_highs, repeats=3))  # fmt: skip

    for n in sorted({*sizes, 10_000}):
        measure(n)
    report("kernels (ours / reference)", rows, sorted({n for r in rows.values() for n in r}))


# --- a data root of n recommendations --------------------------------------------------------


def scaled_root(n: int) -> Path:
    """A data root holding about ``n`` recommendations: the bundled seeds copied with fresh
    document names and ids (copy 0 is the original, so interactions still resolve)."""
    target = Path(tempfile.mkdtemp(prefix=f"bench-scale-{n}-"))
    shutil.copytree(ROOT / "criteria", target / "criteria")
    seeds = target / "seeds"
    seeds.mkdir()
    for name in ("interactions.yaml", "status_quo.yaml"):
        shutil.copy(ROOT / "seeds" / name, seeds / name)
    documents = sorted(p for p in (ROOT / "seeds").glob("*.yaml") if p.with_suffix(".txt").exists())
    texts = {p: p.read_text(encoding="utf-8") for p in documents}
    per_copy = sum(len(re.findall(r"^  - id: ", t, flags=re.M)) for t in texts.values())
    for copy in range(max(1, math.ceil(n / per_copy))):
        for path, text in texts.items():
            stem = path.stem if copy == 0 else f"{path.stem}_x{copy:04d}"
            if copy:
                text = text.replace(f"document: {path.stem}.txt", f"document: {stem}.txt")
                text = re.sub(r"^(  - id: )(\S+)", rf"\g<1>\g<2>-x{copy}", text, flags=re.M)
            (seeds / f"{stem}.yaml").write_text(text, encoding="utf-8")
            shutil.copy(path.with_suffix(".txt"), seeds / f"{stem}.txt")
    return target


# --- the CLI --------------------------------------------------------------------------------


def cli(sizes: list[int], roots: dict[int, Path]) -> None:
    commands = {
        "--version": ["--version"],
        "validate": ["validate"],
        "rank --top 3": ["rank", "--top", "3"],
        "sensitivity": ["sensitivity"],
        "smaa --samples 1000": ["smaa", "--samples", "1000", "--seed", "1"],
        "optimize --max-size 5": ["optimize", "--max-size", "5"],
        "brief (md, no robustness)": ["brief", "--no-robustness", "-o", "{out}/brief.md"],
    }
    empty = ["uv", "run", "--no-sync", "python", "-c", "pass"]
    rows: dict[str, dict[int, tuple[float, float]]] = {}
    for n in sizes:
        env = {**os.environ, "RECSCORE_ROOT": str(roots[n]),
               "RECSCORE_WORKSPACE": tempfile.mkdtemp(prefix="bench-ws-")}  # fmt: skip
        # As a user's Python runs: bytecode cached (some sandboxes set this, and every import
        # then compiles from source, adding seconds to both sides).
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        out = tempfile.mkdtemp(prefix="bench-out-")
        first = _run(["uv", "run", "--no-sync", "recscore", "validate"], env)
        print(f"first read of {n:,} recommendations (YAML parsed, then cached): {first:.1f} s")
        for name, argv in commands.items():
            command = ["uv", "run", "--no-sync", "recscore", *(a.format(out=out) for a in argv)]
            ours, ref = [], []
            for _ in range(3 if n <= 5_000 else 1):  # paired: empty start-up, then the command
                ref.append(_run(empty, env))
                ours.append(_run(command, env))
            rows.setdefault(name, {})[n] = (statistics.median(ours), statistics.median(ref))
    report("CLI (command / empty `uv run python -c pass`)", rows, sizes)
    bundled_start(env)


def bundled_start(env: dict[str, str], pairs: int = 9) -> None:
    """``rank --top 3``, ``validate`` and ``--version`` on the bundled catalog, each run
    paired with an empty ``uv run python -c pass`` (alternating), and what they import."""
    env = {key: value for key, value in env.items() if key != "RECSCORE_ROOT"}
    empty = ["uv", "run", "--no-sync", "python", "-c", "pass"]
    print("\n## start-up on the bundled catalog (median of paired runs, same run)")
    for argv in (["rank", "--top", "3"], ["validate"], ["--version"]):
        command = ["uv", "run", "--no-sync", "recscore", *argv]
        _run(command, env)  # fills the parsed-catalog cache and the bytecode cache
        ours, ref = [], []
        for _ in range(pairs):
            ref.append(_run(empty, env))
            ours.append(_run(command, env))
        done = subprocess.run(
            ["uv", "run", "--no-sync", "python", "-X", "importtime", "-m", "scoring.cli", *argv],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        heavy = sorted({
            name for name in re.findall(r"\|\s*([\w.]+)\s*$", done.stderr, flags=re.M)
            if name.split(".")[0] in ("pandas", "scipy", "sklearn", "pyarrow")
        } & {"pandas", "scipy", "sklearn", "pyarrow"})  # fmt: skip
        mine, base = statistics.median(ours), statistics.median(ref)
        imported = ", ".join(heavy) or "none"
        print(f"recscore {' '.join(argv):<14} {mine * 1e3:7.0f} ms / empty {base * 1e3:5.0f} ms "
              f"= {mine / base:4.1f}x   imports pandas/scipy: {imported}")  # fmt: skip


def _run(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr[-800:]}")
    return elapsed


def consistency(sizes: list[int], roots: dict[int, Path]) -> None:
    """``validate``'s consistency check in process, against its own linear floor: reading
    every rationale's words once (what any check of them must do)."""
    from scoring.consistency import _tokens, find_inconsistencies
    from scoring.loading import load_catalog

    rows: dict[str, dict[int, tuple[float, float]]] = {}
    for n in sizes:
        catalog = load_catalog(roots[n])
        items = catalog.recommendations + catalog.context

        def floor(items: list = items) -> None:  # type: ignore[type-arg]
            for rec in items:
                for score in rec.scores.values():
                    _tokens(score.rationale)

        ours = timed(lambda catalog=catalog: find_inconsistencies(catalog), repeats=3)
        rows.setdefault("consistency check (validate)", {})[n] = (ours, timed(floor, 3))
    report("consistency check (ours / reading every rationale's words)", rows, sizes)


# --- the app --------------------------------------------------------------------------------


def reference_app() -> None:
    """One slider, one table of n rows: the floor for "change a weight, see a ranking"."""
    import os

    import numpy as np
    import pandas as pd
    import streamlit as st

    count = int(os.environ["BENCH_ROWS"])
    weight = st.slider("Weight", 0.0, 100.0, 12.5, step=0.5, key="w")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "title": [f"Recommendation {i}" for i in range(count)],
            "score": rng.random(count) * weight,
        }
    ).sort_values("score", ascending=False)
    st.dataframe(frame, hide_index=True)


def app(sizes: list[int], roots: dict[int, Path]) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    rows: dict[str, dict[int, tuple[float, float]]] = {}
    for n in sizes:
        os.environ["RECSCORE_ROOT"] = str(roots[n])
        os.environ["RECSCORE_WORKSPACE"] = tempfile.mkdtemp(prefix="bench-ws-")
        os.environ["BENCH_ROWS"] = str(n)
        st.cache_resource.clear()  # a cold start: nothing kept from an earlier size
        ref_at = AppTest.from_function(reference_app, default_timeout=600)
        start = time.perf_counter()
        ref_at.run()
        ref_cold = time.perf_counter() - start
        cold_at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        start = time.perf_counter()
        cold_at.run()  # the parsed catalog comes from the disk cache the CLI part filled
        rows.setdefault("cold start (first run, Rankings)", {})[n] = (
            time.perf_counter() - start, ref_cold)  # fmt: skip
        ref = _reruns(ref_at, lambda at, i: at.slider(key="w").set_value(20.0 + i % 2 * 20))
        for page in PAGES:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            at.run()
            if page != "rankings":
                at.switch_page(f"app_pages/{page}.py").run()
            at.run()
            key = next(s.key for s in at.sidebar.slider if str(s.key).startswith("w_"))

            def move(at: AppTest, index: int, key: str = key) -> None:
                at.sidebar.slider(key=key).set_value(0.4 if index % 2 else 0.2)

            rows.setdefault(f"page {page}", {})[n] = (_reruns(at, move), ref)
    report("app: rerun after a weight change (page / one-slider app)", rows, sizes)


def _reruns(at: object, move: Callable[[object, int], None], count: int = 3) -> float:
    samples = []
    for index in range(count):
        move(at, index)
        start = time.perf_counter()
        at.run()  # type: ignore[attr-defined]
        samples.append(time.perf_counter() - start)
        if at.exception:  # type: ignore[attr-defined]
            raise RuntimeError(at.exception[0].value)  # type: ignore[attr-defined]
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 5,000 only")
    parser.add_argument("--only", choices=["kernels", "cli", "consistency", "app"], action="append")
    parser.add_argument(
        "--sizes", type=lambda text: [int(n) for n in text.split(",")],
        help="comma-separated sizes instead of 1,000, 5,000 and 20,000",
    )  # fmt: skip
    args = parser.parse_args()
    sizes = args.sizes or ([1_000, 5_000] if args.quick else [1_000, 5_000, 20_000])
    parts = args.only or ["kernels", "cli", "consistency", "app"]
    if "kernels" in parts:
        kernels(sizes)
    if {"cli", "consistency", "app"} & set(parts):
        roots = {n: scaled_root(n) for n in sizes}
        try:
            if "cli" in parts:
                cli(sizes, roots)
            if "consistency" in parts:
                consistency(sizes, roots)
            if "app" in parts:
                app(sizes, roots)
        finally:
            for root in roots.values():
                shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
