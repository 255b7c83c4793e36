"""Robustness page, one module per tab.

Robustness: elicit weights, compare methods, set safeguards, and see how much the ranking
depends on the weights (one-way sensitivity) and on everything uncertain at once (SMAA-2).

Weight elicitation lives in :mod:`app_pages.views.elicitation`. Only the open tab is
drawn. Every engine call is cached by its inputs (the catalog's scores, the weights, the
method's settings, the recommendations in play), so a weight change reruns only what the
weights feed. SMAA's inputs are the weight *constraints*, not the weights: with uniform
weights or an order of criteria, moving a slider that keeps the order costs nothing.

Page-local widgets carry the ``rob_`` prefix and keep their values for the session
(``persist_state``): a safeguard set on one tab applies on every other.
"""

from __future__ import annotations

from app_pages.views.robustness.layout import page
from app_pages.views.robustness.shared import (
    LEVELS,
    NO_LEVEL,
    PERSIST,
    SENS_CRITERION_KEY,
    SENS_TOP_KEY,
    SENTENCES_SHOWN,
    SMAA_MAX_SAMPLES,
    SMAA_SAMPLES_KEY,
    SMAA_SCORES,
    SMAA_SCORES_KEY,
    SMAA_SEED_KEY,
    SMAA_TOP_KEY,
    SMAA_WEIGHTS,
    SMAA_WEIGHTS_KEY,
    TAB_KEY,
    TABS,
)

__all__ = [
    "LEVELS",
    "NO_LEVEL",
    "PERSIST",
    "SENS_CRITERION_KEY",
    "SENS_TOP_KEY",
    "SENTENCES_SHOWN",
    "SMAA_MAX_SAMPLES",
    "SMAA_SAMPLES_KEY",
    "SMAA_SCORES",
    "SMAA_SCORES_KEY",
    "SMAA_SEED_KEY",
    "SMAA_TOP_KEY",
    "SMAA_WEIGHTS",
    "SMAA_WEIGHTS_KEY",
    "TABS",
    "TAB_KEY",
    "page",
]
