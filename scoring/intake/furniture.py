"""Page furniture: the lines of a saved web page or PDF that are not the document.

Navigation bars and breadcrumbs, donation appeals, photo credits, legal and taxonomy footers,
page numbers and short lines repeated on every page are removed line by line
(:func:`strip_furniture`), each with its reason, so the reviewer sees what went. The patterns
are read and tuned together; :mod:`scoring.intake.ingest` calls them on every input.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line taken out as page furniture: where it was, what it said and why it went."""

    line: int  # 1-based, in the text as extracted from the file
    text: str
    reason: str


_NAVIGATION = {
    "skip to main content",
    "skip to content",
    "skip to navigation",
    "skip navigation",
    "main menu",
    "menu",
    "toggle navigation",
    "search",
    "home",
    "back to top",
    "share",
    "share this",
    "share this page",
    "print",
    "print this page",
    "email",
    "tweet",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "sign in",
    "log in",
    "login",
    "subscribe",
    "sign up",
    "newsletter",
    "connect with us",
    "follow us",
    "contact us",
    "related",
    "related content",
    "related articles",
    "read more",
    "see more",
    "previous",
    "next",
}
_NAV_PREFIX = re.compile(r"^(skip to|jump to|go to)\b", re.IGNORECASE)
_NAV_SEPARATORS = re.compile(r"\s+[|·•»›]\s+")
_DONATION_CUE = re.compile(
    r"\b(donat(e|es|ed|ing|ion|ions)|tax[- ]deductible|support us|support our work|give (now|today)"
    r"|make a (gift|donation)|in-kind contributions|become a (member|supporter))\b",
    re.IGNORECASE,
)
_APPEAL_VOICE = re.compile(
    r"\b(you|your|us|our|tax[- ]deductible|501\(c\)|welcomes)\b", re.IGNORECASE
)
_CREDIT_AGENCIES = (
    r"AFP|Getty(?: Images)?|Reuters|AP|Associated Press|Xinhua|EPA|Bloomberg|Shutterstock"
    r"|Imaginechina|Corbis|Alamy|NurPhoto|Sipa|Kyodo|Yonhap|VCG|Zuma|Anadolu|Pool"
)
_CAPTION_CREDIT = re.compile(
    rf"^(?:(?:photo|image|picture|photograph)(?: credit)?\s*(?::|by)\s*.{{1,80}}"
    rf"|.{{0,60}}[—–/-]\s*(?:{_CREDIT_AGENCIES})\b.{{0,40}}"
    rf"|\(?(?:{_CREDIT_AGENCIES})(?:\s*/\s*[\w .]+)?\)?)$",
    re.IGNORECASE,
)
_LEGAL_FOOTER = re.compile(
    r"^(©|copyright\b|all rights reserved|privacy policy|terms of (use|service)"
    r"|cookie (policy|settings)|we use cookies)",
    re.IGNORECASE,
)
_TAXONOMY_FOOTER = re.compile(
    r"^(tags|topics?|filed under|categories|keywords|related topics?)\s*:?(\s|$)", re.IGNORECASE
)
_PAGE_NUMBER = re.compile(
    r"^(page\s+)?\d{1,4}(\s+(of|/)\s+\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$", re.I
)
_TERMINAL = re.compile(r"[.!?:;,][\"'”’)\]]*\d*$")


def strip_furniture(
    text: str, *, repeated_lines: bool = False
) -> tuple[str, tuple[RemovedLine, ...]]:
    """Remove whole lines that are page furniture; return the kept text and what went.

    Only whole, short lines are removed, so body text is never cut: navigation links ("Skip to
    main content"), donation appeals, photo credits ("Name—AFP/Getty Images"), breadcrumb and
    taxonomy footers ("Region / Country"), copyright lines and bare page numbers. With
    ``repeated_lines`` (PDFs), a short line repeated on three or more pages is a running head.
    """
    lines = text.split("\n")
    repeated = _repeated_short_lines(lines) if repeated_lines else set()
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        reason = _furniture_reason(stripped) if stripped else None
        if reason is None and stripped in repeated:
            reason = "running header or footer"
        if reason is None:
            kept.append(line)
        else:
            removed.append(RemovedLine(number, stripped, reason))
            kept.append("")
    return "\n".join(kept), tuple(removed)


def _furniture_reason(line: str) -> str | None:
    words = len(line.split())
    bare = line.strip(" \t»›>|").rstrip(".").lower()
    rules: tuple[tuple[int, Callable[[], bool], str], ...] = (
        (6, lambda: bare in _NAVIGATION or bool(_NAV_PREFIX.match(bare)), "navigation"),
        (40, lambda: _is_nav_bar(line), "navigation"),
        (
            80,
            lambda: bool(_DONATION_CUE.search(line) and _APPEAL_VOICE.search(line)),
            "donation appeal",
        ),
        (14, lambda: bool(_CAPTION_CREDIT.match(line)), "caption credit"),
        (30, lambda: bool(_LEGAL_FOOTER.match(line)), "footer"),
        (12, lambda: bool(_TAXONOMY_FOOTER.match(line)), "footer"),
        (8, lambda: _is_breadcrumb(line), "footer"),
        (4, lambda: bool(_PAGE_NUMBER.match(line)), "page number"),
    )
    for max_words, test, reason in rules:
        if words <= max_words and test():
            return reason
    return None


def _is_nav_bar(line: str) -> bool:
    """ "Home | About | Contact": three or more short links in a row."""
    parts = _NAV_SEPARATORS.split(line)
    return len(parts) >= 3 and all(0 < len(part.split()) <= 3 for part in parts)


def _is_breadcrumb(line: str) -> bool:
    """ "Region / Country", "News > Asia": short capitalised labels joined by / or >."""
    parts = re.split(r"\s+[/>]\s+", line)
    return (
        len(parts) >= 2
        and not _TERMINAL.search(line)
        and all(part[:1].isupper() and len(part.split()) <= 3 for part in parts)
    )


def _repeated_short_lines(lines: list[str]) -> set[str]:
    counts = Counter(line.strip() for line in lines if 0 < len(line.split()) <= 12)
    return {
        line
        for line, count in counts.items()
        if count >= 3 and any(c.isalpha() for c in line) and not line.isupper()
    }
