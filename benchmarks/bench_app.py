"""Benchmark: how fast the dashboard answers a slider, against a one-slider, one-table app.

Run: ``uv run python benchmarks/bench_app.py [--reruns N] [--no-cold-start] [--only TEXT]``

With ``streamlit.testing.v1.AppTest``, each page is run once to warm the caches, then one
weight slider is moved back and forth and the rerun that follows is timed. The reference,
timed in the same run, is the least a Streamlit app with a weight slider can do: one slider
and one ``st.dataframe`` of a 90-row table. Target: each page within 3x of the reference.
Every tab of a page with tabs is timed too (only the open tab is drawn on a rerun).

Cold start is the time from launching ``streamlit run app.py`` to the first full render of
the Rankings page in Chromium (Debian's, via Playwright), when Chromium is on PATH; without
it, the time until the server answers its health check is printed instead, and said so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120
REFERENCE = "Reference (1 slider, 1 table)"


def reference_app() -> None:
    """One slider, one table: the floor for "change a weight, see a ranking"."""
    import numpy as np
    import pandas as pd
    import streamlit as st

    weight = st.slider("Weight", 0.0, 100.0, 12.5, step=0.5, key="w")
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "title": [f"Recommendation {i}" for i in range(90)],
            "score": rng.random(90) * weight,
        }
    ).sort_values("score", ascending=False)
    st.dataframe(frame, hide_index=True)


def time_rerun(at: AppTest, move: Callable[[AppTest, int], None], index: int) -> float:
    """Seconds taken by the rerun after ``move`` changed a widget."""
    move(at, index)
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed


def move_leverage(at: AppTest, index: int) -> None:
    at.sidebar.slider(key="w_leverage").set_value(40.0 if index % 2 else 20.0)


def move_reference(at: AppTest, index: int) -> None:
    at.slider(key="w").set_value(40.0 if index % 2 else 20.0)


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.9 * (len(ordered) - 1))]


def app_at(page: str, tab: tuple[str, str] | None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    if page != "rankings":
        at.switch_page(f"app_pages/{page}.py").run()
    if tab is not None:
        at.session_state[tab[0]] = tab[1]
    for _ in range(2):  # warm: caches, imports, first-render work
        at.run()
    return at


def cold_start() -> tuple[float, str]:
    """Seconds from ``streamlit run`` to the first full render, and what was measured."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "RECSCORE_WORKSPACE": tempfile.mkdtemp(prefix="bench-ws-")}
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    chromium = shutil.which("chromium")
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
                    break
            except OSError:
                if time.perf_counter() - start > 300:
                    raise RuntimeError("streamlit did not start within 300 s") from None
                time.sleep(0.05)
        if chromium is None:
            return time.perf_counter() - start, "server healthy (no chromium on PATH)"
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            # Launching the browser is not the app's start-up: take it out of the figure.
            launch_start = time.perf_counter()
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            launch = time.perf_counter() - launch_start
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, timeout=300_000)
            page.get_by_text("Top of the ranking").wait_for(timeout=300_000)
            page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=300_000)
            page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=300_000)
            elapsed = time.perf_counter() - start - launch
            browser.close()
        return elapsed, "first full render of Rankings in Chromium"
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--no-cold-start", action="store_true")
    parser.add_argument(
        "--only", default="", metavar="TEXT", help="time only the cases whose name contains TEXT"
    )
    args = parser.parse_args()
    os.environ["RECSCORE_WORKSPACE"] = tempfile.mkdtemp(prefix="bench-ws-")

    reference = AppTest.from_function(reference_app, default_timeout=TIMEOUT)
    reference.run()
    reference.run()
    cases: list[tuple[str, str, tuple[str, str] | None]] = [
        ("Rankings (table)", "rankings", None),
        ("Rankings (chart tab)", "rankings", ("rankings_tab", "Contributions chart")),
        ("Trade-offs (two criteria)", "tradeoffs", None),
        ("Trade-offs (all scores)", "tradeoffs", ("tradeoffs_tab", "All scores")),
        ("Trade-offs (side by side)", "tradeoffs", ("tradeoffs_tab", "Side by side")),
        ("Trade-offs (correlation)", "tradeoffs", ("tradeoffs_tab", "Criteria correlation")),
    ]
    apps = {name: app_at(page, tab) for name, page, tab in cases if args.only in name}
    # Interleave the measurements, so that load on the machine hits every case alike.
    samples: dict[str, list[float]] = {REFERENCE: []}
    samples |= {name: [] for name in apps}
    for index in range(args.reruns):
        samples[REFERENCE].append(time_rerun(reference, move_reference, index))
        for name, at in apps.items():
            samples[name].append(time_rerun(at, move_leverage, index))

    floor = summary(samples[REFERENCE])[0]
    print(f"Rerun after a slider change, {args.reruns} reruns each (AppTest, median / p90):")
    for name, values in samples.items():
        median, p90 = summary(values)
        ratio = median / floor
        flag = "" if ratio <= 3 or name == REFERENCE else "  (over 3x)"
        print(f"  {name:32s} {median * 1000:7.1f} ms / {p90 * 1000:7.1f} ms   {ratio:4.1f}x{flag}")
    if not args.no_cold_start:
        seconds, what = cold_start()
        print(f"Cold start of `streamlit run app.py`: {seconds:.1f} s ({what})")


if __name__ == "__main__":
    main()
