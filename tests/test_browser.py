"""The whole app in a real browser: ``streamlit run`` on a free port, driven by Playwright.

Uses Debian's Chromium found on PATH (never a browser downloaded by Playwright) and skips,
saying why, where it is missing. Screenshots of every page at laptop width (1280 px) go to
``test-output/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from scoring.methods import rank
from scoring.tables import display_ids

from conftest import REPO_ROOT, front_catalog

CHROMIUM = shutil.which("chromium")
playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no `chromium` on PATH (install Debian's: apt-get install -y chromium)",
)

OUTPUT = REPO_ROOT / "test-output"
WIDTH = 1280
START_TIMEOUT_S = 180


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app served by ``streamlit run`` with an empty workspace; yields its URL."""
    port = _free_port()
    env = {
        **os.environ,
        "RECSCORE_WORKSPACE": str(tmp_path_factory.mktemp("browser") / "ws"),
    }
    log = tmp_path_factory.mktemp("browser-log") / "streamlit.log"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(REPO_ROOT / "app.py"),
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def _top_titles(page: object, count: int = 3) -> list[str]:
    """The titles in the "Top of the ranking" lines, in order."""
    block = page.locator("[data-testid='stMarkdown']", has_text="Top of the ranking").first
    block.wait_for(timeout=60_000)
    return [strong.inner_text() for strong in block.locator("li strong").all()][:count]


def _wait_until_idle(page: object) -> None:
    """Until the app has finished its rerun (no running-man, no stale elements)."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=60_000)
    page.wait_for_timeout(500)


def test_slider_reorders_and_every_page_renders(server: str, browser: object) -> None:
    OUTPUT.mkdir(exist_ok=True)
    for stale in OUTPUT.glob("*.png"):  # only this run's screenshots are to be looked at
        stale.unlink()
    catalog = front_catalog()
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    page.goto(server, timeout=120_000)
    page.get_by_role("heading", name="Rankings").wait_for(timeout=120_000)
    _wait_until_idle(page)
    balanced = catalog.profiles["balanced"].weights
    before = _top_titles(page)
    expected_before = [
        catalog.recommendation(i).title for i in display_ids(catalog, rank(catalog, balanced))[:3]
    ]
    assert before == expected_before

    # Drag the feasibility slider to its maximum with the keyboard, as a user could.
    slider = page.locator(".st-key-w_feasibility").get_by_role("slider")
    slider.focus()
    slider.press("End")
    page.wait_for_function(
        "() => new URL(window.location.href).searchParams.get('feasibility') === '100'",
        timeout=60_000,
    )
    _wait_until_idle(page)
    after = _top_titles(page)
    weights = {**dict.fromkeys(catalog.criterion_ids, 12.5), "feasibility": 100.0}
    expected_after = [
        catalog.recommendation(i).title for i in display_ids(catalog, rank(catalog, weights))[:3]
    ]
    assert after == expected_after
    assert after != before, "moving the slider must change the order"

    links = page.get_by_test_id("stSidebarNav").locator("a")
    # A link's text is its icon's ligature name, then its title.
    pages = {
        link.inner_text().strip().splitlines()[-1].strip(): link.get_attribute("href")
        for link in links.all()
    }
    assert {"Rankings", "Trade-offs", "Sources", "Perspectives", "Score editing"} <= set(pages)
    for title, href in pages.items():
        slug = urllib.parse.urlparse(href or "").path.strip("/") or "rankings"
        links.filter(has_text=title).first.click()
        page.wait_for_url(lambda url, slug=slug: slug == "rankings" or f"/{slug}" in url)
        page.locator("h1").first.wait_for(timeout=60_000)
        _wait_until_idle(page)
        assert page.locator("[data-testid='stException']").count() == 0, title
        # The weights travel with the page in the URL.
        assert "feasibility=100" in page.url, page.url
        page.set_viewport_size({"width": WIDTH, "height": 1800})
        page.screenshot(path=str(OUTPUT / f"{slug}.png"))
        assert (OUTPUT / f"{slug}.png").stat().st_size > 10_000
        page.set_viewport_size({"width": WIDTH, "height": 1000})
    page.close()


def test_shared_link_opens_the_same_view(server: str, browser: object) -> None:
    catalog = front_catalog()
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    page.goto(f"{server}/?profile=pressure", timeout=120_000)
    page.get_by_role("heading", name="Rankings").wait_for(timeout=120_000)
    _wait_until_idle(page)
    weights = catalog.profiles["pressure"].weights
    expected = [
        catalog.recommendation(i).title for i in display_ids(catalog, rank(catalog, weights))[:3]
    ]
    assert _top_titles(page) == expected
    page.close()


def test_unknown_profile_in_the_link_gives_a_notice(server: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
    page.goto(f"{server}/?profile=nobody", timeout=120_000)
    page.get_by_role("heading", name="Rankings").wait_for(timeout=120_000)
    notice = page.get_by_text("“nobody”, which does not exist", exact=False)
    notice.wait_for(timeout=60_000)
    page.close()
