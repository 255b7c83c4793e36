"""How numbers read in every format: two-decimal totals with ranges, ranks as ranges.

Shared by all renderers, so a brief's Markdown, Word and PDF say exactly the same thing.
"""

from __future__ import annotations

from datetime import datetime

__all__ = [
    "date_text",
    "level_text",
    "rank_range_text",
    "score_text",
    "weight_text",
]


def score_text(score: float, low: float, high: float) -> str:
    """``0.62 (0.47–0.72)``: the total and its range when scores move within their ranges."""
    return f"{score:.2f} ({low:.2f}–{high:.2f})"


def rank_range_text(best: int, worst: int) -> str:
    return f"{best}" if best == worst else f"{best}–{worst}"


def level_text(value: float, low: float, high: float) -> str:
    """A 1-5 judgement with its range: ``3 (2–4)``, or ``3`` when the range is one level."""
    if low == high == value:
        return f"{value:g}"
    return f"{value:g} ({low:g}–{high:g})"


def weight_text(weight: float) -> str:
    """A normalised weight as a share of the whole: ``12.5%``, ``0%``."""
    return f"{weight * 100:.1f}%".replace(".0%", "%")


def date_text(moment: datetime) -> str:
    return moment.strftime("%d %B %Y").lstrip("0")
