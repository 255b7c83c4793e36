"""The Documents page in a real browser: several uploads, a proposed merge accepted, saved.

Same setup as ``test_browser.py`` (``streamlit run`` on a free port with its own empty
workspace, Debian's Chromium through Playwright, skipped where either is missing). The two
documents are written by the test: the shared corpus proposes no merge at the stated threshold,
so it cannot show the panel. A screenshot of the panel goes to ``test-output/``.
"""

from __future__ import annotations

from pathlib import Path

from test_browser import OUTPUT, WIDTH, _wait_until_idle, browser, server

__all__ = ["browser", "server"]  # module-scoped fixtures: this module gets its own server

FIRST = (
    "Rebuilding trust\n\n"
    "Over the past decade, official legal exchanges have withered.\n\n"
    "Donors should fund independent legal aid clinics for lawyers.\n\n"
    "The United States must restore academic dialogue with Chinese universities.\n"
)
SECOND = (
    "A second paper\n\n"
    "Legal aid is scarce in much of the country.\n\n"
    "Congress should fund independent legal aid clinics for lawyers.\n"
)


def test_several_uploads_propose_a_merge_that_is_accepted(
    server: str, browser: object, tmp_path: Path
) -> None:
    OUTPUT.mkdir(exist_ok=True)
    files = [tmp_path / "first.txt", tmp_path / "second.txt"]
    for path, text in zip(files, (FIRST, SECOND), strict=True):
        path.write_text(text, encoding="utf-8")
    page = browser.new_page(viewport={"width": WIDTH, "height": 1400})  # type: ignore[attr-defined]
    page.goto(f"{server}/documents", timeout=120_000)
    page.get_by_role("heading", name="Documents").first.wait_for(timeout=120_000)
    _wait_until_idle(page)
    page.locator(".st-key-docs_file input[type='file']").set_input_files([str(f) for f in files])
    page.get_by_text("second.txt").first.wait_for(timeout=60_000)
    _wait_until_idle(page)
    page.get_by_role("button", name="Find recommendations").click()
    page.get_by_text("Proposed merges across 2 documents").wait_for(timeout=60_000)
    _wait_until_idle(page)
    assert page.get_by_text("○ pending").count() == 1
    page.get_by_role("button", name="Accept merge").click()
    page.get_by_text("✓ merged").wait_for(timeout=60_000)
    _wait_until_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(OUTPUT / "documents-merge.png"), full_page=True)

    page.get_by_role("button", name="Continue to the review").click()
    page.get_by_text("Review candidates: first.txt").wait_for(timeout=60_000)
    _wait_until_idle(page)
    page.get_by_role("button", name="Start over").click()  # nothing left to keep in the first
    page.get_by_text("Review candidates: second.txt").wait_for(timeout=60_000)
    _wait_until_idle(page)
    assert page.get_by_text("2 sources (merged)").count() == 1
    page.screenshot(path=str(OUTPUT / "documents-merged-review.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()
