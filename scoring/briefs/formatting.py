"""How numbers read in every format: two-decimal totals with ranges, ranks as ranges.

Shared by all renderers, so a brief's Markdown, Word and PDF say exactly the same thing.
Totals read on their method's scale: the weighted sum's score and TOPSIS's closeness run
from 0 to 1 and print as ``0.62``; PROMETHEE II's net flow runs from -1 to 1 and prints with
its sign (``+0.42``, ``−0.10``, with a true minus sign), its range written with "to" so a
dash is never read as a minus.
"""

from __future__ import annotations

from datetime import datetime

from scoring.methods import DEFAULT_METHOD, TIE_DECIMALS, registry
from scoring.wording import weight_text

__all__ = [
    "date_text",
    "level_text",
    "number_text",
    "range_text",
    "rank_interval_text",
    "score_name",
    "score_text",
    "signed",
    "signed_text",
    "span_text",
    "weight_text",
]

MINUS = "\u2212"


def score_name(method: str) -> str:
    """``Score``, ``Closeness`` or ``Net flow``: the word for a total under ``method``."""
    return registry.get(method).score_name


def signed(method: str) -> bool:
    """Whether totals under ``method`` can be negative (they then print with a sign)."""
    return registry.get(method).score_range[0] < 0


def number_text(value: float, method: str = DEFAULT_METHOD) -> str:
    """A total at two decimals; signed for methods whose totals can be negative.

    Rounded to the ranking's tie precision first, so two tied totals (0.72499999... and
    0.72500000...) never print as 0.72 and 0.73.
    """
    value = round(value, TIE_DECIMALS)
    return signed_text(value) if signed(method) else f"{value:.2f}"


def signed_text(value: float) -> str:
    """``+0.42``, ``−0.10`` (a true minus sign) at two decimals.

    A value that rounds to zero prints as ``0.00``: a sign there would claim a direction that
    two decimals cannot show.
    """
    text = f"{value:+.2f}"
    if text in ("+0.00", "-0.00"):
        return "0.00"
    return text.replace("-", MINUS)


def range_text(low: float, high: float, method: str = DEFAULT_METHOD) -> str:
    """``0.47–0.72``; ``−0.10 to +0.55`` for signed totals."""
    if signed(method):
        return f"{number_text(low, method)} to {number_text(high, method)}"
    return f"{low:.2f}–{high:.2f}"


def score_text(score: float, low: float, high: float, method: str = DEFAULT_METHOD) -> str:
    """``0.62 (0.47–0.72)``: the total and its range when scores move within their ranges.

    ``+0.42 (−0.10 to +0.55)`` for a PROMETHEE II net flow.
    """
    return f"{number_text(score, method)} ({range_text(low, high, method)})"


def rank_interval_text(p5: int, p95: int) -> str:
    """The 5th-95th percentile of a rank over the draws: ``3–9``, or ``3`` when both agree."""
    return f"{p5}" if p5 == p95 else f"{p5}–{p95}"


def level_text(value: float, low: float, high: float) -> str:
    """A 1-5 judgement with its range: ``3 (2–4)``, or ``3`` when the range is one level."""
    if low == high == value:
        return f"{value:g}"
    return f"{value:g} ({low:g}–{high:g})"


def span_text(span: tuple[int, int] | None) -> str:
    """``, characters 120–340``: where a quote lies in its document; "" when not known."""
    return f", characters {span[0]}–{span[1]}" if span else ""


def date_text(moment: datetime) -> str:
    return moment.strftime("%d %B %Y").lstrip("0")
