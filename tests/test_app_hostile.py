"""Hostile text in the app (issue 15): a document's title and quotes reach every page inert.

A stored workspace document carries Markdown links, a remote image, raw HTML and a bare address
in its title and in the recommendation it makes. Every Markdown element a page sends is then
rendered with a CommonMark parser: none may produce a link, an image or an HTML tag, and the
``st.html`` bodies (the marked quotes) must hold the text only as escaped characters.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from scoring.intake import DocumentInfo, accept_all, start_review, store_document
from scoring.intake.ingest import ingest_text
from scoring.workspace import ENV_VARIABLE, Workspace

from conftest import REPO_ROOT, front_catalog

TIMEOUT = 120
EVIL = "http://evil.example"
TITLE = f"Trust [me]({EVIL}/a) ![pixel]({EVIL}/p.png) <img src=x onerror=alert(1)> {EVIL}/b"
TEXT = (
    "Rebuilding trust\n\n"
    f"The United States must restore [academic dialogue]({EVIL}/c) ![x]({EVIL}/q.png) "
    "with <b>Chinese</b> universities.\n"
)
PAGES = ("rankings", "sources", "documents")


@pytest.fixture
def stored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The hostile document saved in a fresh workspace: its file name and its one item's id."""
    monkeypatch.setenv(ENV_VARIABLE, str(tmp_path / "ws"))
    catalog = front_catalog()
    review = start_review(ingest_text(TEXT), catalog, DocumentInfo.of(TITLE, None, None))
    document = store_document(Workspace(tmp_path / "ws"), catalog, accept_all(review)).document
    [item] = document.meta.recommendations
    return document.meta.document, item.id


def page(name: str, stored: tuple[str, str]) -> AppTest:
    """``name`` open on the hostile document (Sources) or its recommendation (Rankings)."""
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.session_state["sources_doc"], at.session_state["rankings_pick"] = stored
    at.run()
    if name != "rankings":
        at.switch_page(f"app_pages/{name}.py").run()
    assert [e.value for e in at.exception] == []
    return at


def rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


@pytest.mark.parametrize("name", PAGES)
def test_markdown_from_a_document_renders_no_link_image_or_html(
    name: str, stored: tuple[str, str]
) -> None:
    at = page(name, stored)
    texts = [m.value for m in (*at.markdown, *at.caption, *at.info, *at.warning)]
    shown = [text for text in texts if "evil" in text]
    assert shown, f"the hostile document should be visible on the {name} page"
    for text in shown:
        html = rendered(text)
        for tag in ("<a ", "<img", "<b>"):
            assert tag not in html, text
        # Streamlit links bare addresses itself; the word joiner breaks the pattern.
        assert EVIL not in text, text


@pytest.mark.parametrize("name", ["rankings", "sources"])
def test_marked_quotes_hold_the_text_escaped(name: str, stored: tuple[str, str]) -> None:
    at = page(name, stored)
    bodies = [element.proto.body for element in at.get("html")]
    assert any("academic dialogue" in body for body in bodies)
    for body in bodies:
        assert "<img" not in body
        assert "<b>Chinese" not in body
