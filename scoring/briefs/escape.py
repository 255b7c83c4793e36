"""Making document text inert in every output format.

Titles, quotes and rationales come from documents and users; in a brief they are text,
never markup, links or formulas. Each renderer passes every such string through the
function for its format; our own wording goes through the same functions, so nothing
slips past by being "ours".
"""

from __future__ import annotations

import html
import re

__all__ = [
    "html_text",
    "md_code_fence",
    "md_line_start",
    "md_text",
    "neutralize_formula",
    "one_line",
    "xml_safe",
]

_SPACES = re.compile(r"\s+")
# Not allowed in XML 1.0 (Word, Excel and PDF text all go through XML or refuse them).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Characters that can start Markdown (CommonMark and GitHub) inline markup or raw HTML.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# At the start of a line these begin a heading, quote, list or thematic break.
_MD_ORDERED_START = re.compile(r"^(\d+)([.)])")
# Spreadsheet applications evaluate a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def xml_safe(text: str) -> str:
    """Drop control characters XML cannot hold (e.g. form feeds left by PDF extraction)."""
    return _XML_INVALID.sub("", text)


def one_line(text: str) -> str:
    """Collapse every run of whitespace (newlines included) into one space."""
    return _SPACES.sub(" ", text).strip()


def md_text(text: str) -> str:
    """Document text as literal inline Markdown: whitespace collapsed, markup escaped.

    Backslash escapes keep the raw file readable; ``://`` and ``www.`` are broken up so a
    GitHub-style renderer does not turn a quoted address into a link. Text that starts a
    line also needs :func:`md_line_start`.
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", _SPACES.sub(" ", xml_safe(text)))
    escaped = _MD_ENTITY.sub(r"\\&", escaped)
    return escaped.replace("://", r":\/\/").replace("www.", r"www\.")


def md_line_start(escaped: str) -> str:
    """Escape what would open a heading, list or setext underline at the start of a line.

    ``escaped`` is :func:`md_text` output (``>``, ``*`` and backticks are already escaped).
    """
    escaped = escaped.lstrip()
    if escaped[:1] in ("#", "+", "-", "="):
        return "\\" + escaped
    return _MD_ORDERED_START.sub(r"\1\\\2", escaped, count=1)


def md_code_fence(text: str) -> str:
    """A fence longer than any run of backticks inside ``text``."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def html_text(text: str) -> str:
    """Text escaped for HTML element content and attribute values."""
    return html.escape(xml_safe(text), quote=True)


# Bidirectional controls reorder what a reader sees ("evil\u202egnp.exe" shows as
# "evilexe.png"); in exports they are shown as their code point instead.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_bidi(text: str) -> str:
    """``text`` with each bidirectional control shown as ``[U+202E]`` rather than obeyed."""
    return _BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def neutralize_formula(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe;
    bidirectional controls in it are made visible (:func:`visible_bidi`)."""
    if isinstance(value, str):
        value = visible_bidi(value)
        if value.startswith(_FORMULA_START):
            return "'" + value
    return value
