"""Sensitivity sentences agree with their own tables and with a direct re-rank.

For every tipping point the sentence states (which weight, which way, who takes over), the
weight is moved just past the threshold in the stated direction (``past_threshold``: 1% of
the threshold, at least 0.0001) and the catalog is ranked again from scratch with
``rank_by``; the leader there must be the one the sentence and the table name.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scoring.methods import rank_by
from scoring.model import Catalog
from scoring.robustness import one_way_sensitivity
from scoring.robustness.sensitivity import SAME_WEIGHT, Sensitivity, past_threshold
from scoring.synthetic import catalog_from_matrix
from tests.conftest import front_catalog

RISE_WORDS = ("rises above", "rose above", "rose to", "slightest rise")
FALL_WORDS = ("falls below", "fell below", "fell to", "slightest fall")


def swept(catalog: Catalog, weights: np.ndarray, k: int, t: float) -> dict[str, float]:
    """Weight k at t, the others sharing 1 - t in their current proportions (equally if 0)."""
    rest = np.array(weights, dtype=float)
    rest[k] = 0.0
    if rest.sum() > 0:
        rest = rest / rest.sum()
    else:
        rest = np.where(np.arange(len(rest)) == k, 0.0, 1.0 / max(len(rest) - 1, 1))
    vector = (1 - t) * rest
    vector[k] = t
    return dict(zip(catalog.criterion_ids, vector.tolist(), strict=True))


def leader(catalog: Catalog, weights: dict[str, float], method: str, ids: tuple[str, ...]) -> str:
    return str(rank_by(catalog, weights, method, list(ids)).ids[0])


def check_sentences(catalog: Catalog, result: Sensitivity, method: str) -> None:
    """Every sentence and interval row agrees with a re-rank just past its threshold."""
    w = result.weights
    index = {cid: k for k, cid in enumerate(result.criterion_ids)}
    titles = dict(zip(result.ids, result.titles, strict=True))
    for change in result.changes:
        if change.criterion is None:
            continue
        assert change.threshold is not None
        assert change.weight is not None
        k = index[change.criterion]
        direction = change.direction
        assert direction in ("rise", "fall")
        if abs(change.threshold - change.weight) > SAME_WEIGHT:  # the side of the threshold
            assert (direction == "rise") == (change.threshold > change.weight), change
        words = RISE_WORDS if direction == "rise" else FALL_WORDS
        wrong = FALL_WORDS if direction == "rise" else RISE_WORDS
        either = "narrow range" in change.sentence or "either way" in change.sentence
        if not either:
            assert any(word in change.sentence for word in words), change.sentence
        assert not any(word in change.sentence for word in wrong), change.sentence
        past = past_threshold(change.threshold, direction)
        first = leader(catalog, swept(catalog, w, k, past), method, result.ids)
        assert first == change.other, (change.sentence, first)
        if change.rank == 1:
            assert first != change.id, change.sentence
            assert titles[first] in change.sentence
        elif either:
            assert first != change.id
            assert titles[first] in change.sentence
        else:
            assert first == change.id, change.sentence
    for row in result.intervals:
        k = index[row.criterion]
        if row.below is not None:
            t = past_threshold(row.low, "fall")
            assert leader(catalog, swept(catalog, w, k, t), method, result.ids) == row.below
        if row.above is not None:
            t = past_threshold(row.high, "rise")
            assert leader(catalog, swept(catalog, w, k, t), method, result.ids) == row.above


@settings(max_examples=60, deadline=None)
@given(
    values=arrays(
        np.int64, st.tuples(st.integers(2, 9), st.integers(2, 5)), elements=st.integers(1, 5)
    ),
    raw=st.lists(st.integers(0, 8), min_size=5, max_size=5),
)
def test_sentences_agree_with_a_rerank_on_random_catalogs(
    values: np.ndarray, raw: list[int]
) -> None:
    m = values.shape[1]
    weights = np.array(raw[:m], dtype=float)
    if weights.sum() == 0:
        weights[0] = 1.0
    catalog = catalog_from_matrix(values, cost=[j % 3 == 1 for j in range(m)])
    given_weights = dict(zip(catalog.criterion_ids, weights.tolist(), strict=True))
    result = one_way_sensitivity(catalog, given_weights, top=len(values))
    check_sentences(catalog, result, "weighted_sum")


@pytest.mark.parametrize("method", ["weighted_sum", "promethee_ii"])
def test_every_bundled_profile_gives_sentences_a_rerank_confirms(method: str) -> None:
    catalog = front_catalog()
    for profile in catalog.profiles.values():
        result = one_way_sensitivity(catalog, dict(profile.weights), method)
        check_sentences(catalog, result, method)


def test_threshold_equal_to_the_weight_after_rounding_noise_is_worded_by_a_rerank() -> None:
    """Two items tied at the current weights: the direction comes from re-ranking."""
    # r000 and r001 tie at equal weights; raising c0 puts r001 ahead, lowering it r000.
    values = np.array([[2, 4], [4, 2], [1, 1]])
    catalog = catalog_from_matrix(values)
    result = one_way_sensitivity(catalog, {"c0": 0.5, "c1": 0.5}, top=2)
    check_sentences(catalog, result, "weighted_sum")
    first = result.changes[0]
    assert first.direction == "rise"
    assert first.other == "r001"
    assert "slightest rise" in first.sentence
