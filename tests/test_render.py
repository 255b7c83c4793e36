"""Document text shown through the app's Markdown stays inert: it reads as written."""

from __future__ import annotations

from app_pages.render import WORD_JOINER, inert_markdown, md


def test_md_escapes_markdown_and_breaks_streamlit_extensions() -> None:
    shown = md("**Act** [now](http://evil.example) :smile: :red[alarm] www.example.org a@b.org")
    assert "\\*\\*Act\\*\\*" in shown
    assert "\\[now\\]" in shown
    for pattern in ("http://", ":smile:", ":red", "www.", "a@b"):
        assert pattern not in shown, pattern
    assert shown.replace(WORD_JOINER, "").count("smile") == 1


def test_inert_markdown_leaves_code_alone_and_is_idempotent() -> None:
    text = "see :smile:\n```\nurl: http://x.org\n```\n`:keep:` and :drop:"
    once = inert_markdown(text)
    assert "url: http://x.org" in once
    assert "`:keep:`" in once
    assert ":drop:" not in once
    assert inert_markdown(once) == once
