"""scoring.wording: one rule for shares, likelihood words and weight shares."""

from __future__ import annotations

import pytest

from scoring.wording import likelihood_words, share_text, weight_text


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (0.0, "0%"),
        (0.004, "under 1%"),
        (0.009, "under 1%"),
        (0.01, "1%"),
        (0.375, "38%"),
        (0.99, "99%"),
        (0.996, "over 99%"),
        (1.0, "100%"),
    ],
)
def test_share_text_never_claims_never_or_always(share: float, text: str) -> None:
    assert share_text(share) == text


def test_likelihood_words_follow_the_bands() -> None:
    assert [likelihood_words(p) for p in (0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99)] == [
        "almost no chance",
        "very unlikely",
        "unlikely",
        "roughly even",
        "likely",
        "very likely",
        "almost certain",
    ]


def test_weight_text_drops_a_zero_decimal() -> None:
    assert (weight_text(0.3), weight_text(0.125)) == ("30%", "12.5%")
