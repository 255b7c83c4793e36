"""Text normalisation shared by the catalog, the quote checks and extraction.

The rule is fixed by the catalog contract: a line that ends in a hyphen is joined to the
next line without a space (the hyphen is kept, because in these documents it is almost
always a real compound such as ``U.S.-China`` or ``rules-based``); every other run of
whitespace becomes one space. Spans are character offsets into the normalised text.
"""

from __future__ import annotations

import re

__all__ = ["find_span", "normalize_text"]

_HYPHEN_LINE_BREAK = re.compile(r"-[ \t]*\r?\n\s*")
_WHITESPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Return ``text`` with hyphenated line breaks joined and whitespace collapsed."""
    joined = _HYPHEN_LINE_BREAK.sub("-", text)
    return _WHITESPACE.sub(" ", joined)


def find_span(normalized_document: str, quote: str) -> tuple[int, int] | None:
    """Return the (start, end) of the first occurrence of ``quote`` once normalised, or None.

    ``normalized_document`` must already be normalised; the quote is normalised here and
    stripped, since a quote copied from a wrapped line may carry a stray leading space.
    """
    needle = normalize_text(quote).strip()
    if not needle:
        return None
    start = normalized_document.find(needle)
    if start < 0:
        return None
    return start, start + len(needle)
