"""How shares and probabilities read, everywhere: the CLI, the dashboard and the briefs.

One rule each, so a share never reads "over 99%" in one place and "100%" in another:

- :func:`share_text` for a share of samples or draws: whole percent, with "under 1%" and
  "over 99%" where rounding would claim never or always;
- :func:`likelihood_words` for the words analysts share for such a share (ICD 203 bands);
- :func:`weight_text` for a weight's share of the total: one decimal, dropped when zero.
"""

from __future__ import annotations

__all__ = ["likelihood_words", "share_text", "weight_text"]


def share_text(share: float) -> str:
    """``37%``; ``under 1%`` above 0 and below 1%, ``over 99%`` above 99% and below 100%."""
    if 0 < share < 0.01:
        return "under 1%"
    if 0.99 < share < 1:
        return "over 99%"
    return f"{share * 100:.0f}%"


def likelihood_words(probability: float) -> str:
    """The probability words analysts share (ICD 203 bands) for a share of samples."""
    if probability < 0.05:
        return "almost no chance"
    if probability < 0.20:
        return "very unlikely"
    if probability < 0.45:
        return "unlikely"
    if probability <= 0.55:
        return "roughly even"
    if probability <= 0.80:
        return "likely"
    if probability <= 0.95:
        return "very likely"
    return "almost certain"


def weight_text(share: float) -> str:
    """A weight share as ``12.5%`` or ``30%``."""
    return f"{share * 100:.1f}".removesuffix(".0") + "%"
