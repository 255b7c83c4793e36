"""Ranking invariants, checked on random catalogs built in code."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scoring.errors import ValidationError
from scoring.loading import load_catalog
from scoring.methods import rank, rank_order
from scoring.model import Catalog
from scoring.synthetic import catalog_from_matrix

from conftest import ProjectMaker

N_CRITERIA = 4
COST = (False, True, False, False)


def catalog_from(values: np.ndarray, spread: int = 0) -> Catalog:
    """A catalog with the given 1-5 score matrix (recommendations x criteria)."""
    return catalog_from_matrix(values, cost=COST[: values.shape[1]], spread=spread)


score_matrices = arrays(
    np.int64,
    st.tuples(st.integers(2, 12), st.just(N_CRITERIA)),
    elements=st.integers(1, 5),
)
weight_vectors = arrays(np.float64, N_CRITERIA, elements=st.floats(0.01, 10))


def weights_of(vector: np.ndarray) -> dict[str, float]:
    return {f"c{j}": float(w) for j, w in enumerate(vector)}


@settings(max_examples=60, deadline=None)
@given(score_matrices, weight_vectors, st.floats(0.01, 1000))
def test_scaling_all_weights_leaves_the_ranking_unchanged(
    values: np.ndarray, weights: np.ndarray, factor: float
) -> None:
    catalog = catalog_from(values)
    base = rank(catalog, weights_of(weights))
    scaled = rank(catalog, weights_of(weights * factor))
    assert list(base.ids) == list(scaled.ids)


@settings(max_examples=60, deadline=None)
@given(score_matrices, weight_vectors)
def test_a_dominating_recommendation_never_ranks_below(
    values: np.ndarray, weights: np.ndarray
) -> None:
    catalog = catalog_from(values)
    ranking = rank(catalog, weights_of(weights))
    signed = np.where(COST, -catalog.values, catalog.values)  # larger is better everywhere
    for a in range(len(values)):
        for b in range(len(values)):
            if a != b and np.all(signed[a] >= signed[b]):
                rec_a, rec_b = catalog.recommendation_ids[a], catalog.recommendation_ids[b]
                assert ranking.positions[rec_a] < ranking.positions[rec_b] or np.all(
                    signed[a] == signed[b]
                )


@settings(max_examples=60, deadline=None)
@given(score_matrices, st.integers(0, N_CRITERIA - 1))
def test_all_weight_on_one_criterion_ranks_by_that_criterion(values: np.ndarray, only: int) -> None:
    catalog = catalog_from(values)
    ranking = rank(catalog, {f"c{only}": 1.0})
    column = catalog.values[:, only]
    better = -column if COST[only] else column
    ranked = np.array([better[catalog.recommendation_ids.index(i)] for i in ranking.ids])
    assert np.all(np.diff(ranked) <= 0)


@settings(max_examples=40, deadline=None)
@given(score_matrices, weight_vectors, st.integers(0, 2))
def test_totals_stay_in_bounds_and_intervals_hold_them(
    values: np.ndarray, weights: np.ndarray, spread: int
) -> None:
    ranking = rank(catalog_from(values, spread), weights_of(weights))
    assert np.all((ranking.totals >= -1e-12) & (ranking.totals <= 1 + 1e-12))
    assert np.all(ranking.low <= ranking.totals + 1e-12)
    assert np.all(ranking.totals <= ranking.high + 1e-12)
    np.testing.assert_allclose(ranking.contributions.sum(axis=1), ranking.totals)


def test_scale_ends_map_to_zero_and_one_and_cost_is_reversed() -> None:
    catalog = catalog_from(np.array([[5, 1, 5, 5], [1, 5, 1, 1]]))
    ranking = rank(catalog, {"c0": 1, "c1": 1, "c2": 1, "c3": 1})
    assert list(ranking.ids) == ["r000", "r001"]
    np.testing.assert_allclose(ranking.totals, [1.0, 0.0])


def test_ties_are_broken_by_recommendation_id() -> None:
    catalog = catalog_from(np.array([[3, 3, 3, 3], [3, 3, 3, 3], [4, 3, 3, 3]]))
    ranking = rank(catalog, {"c0": 1, "c1": 1, "c2": 1, "c3": 1})
    assert list(ranking.ids) == ["r002", "r000", "r001"]


def test_float_noise_does_not_break_a_tie() -> None:
    totals = np.array([0.3, 0.1 + 0.2, 0.29])  # 0.1 + 0.2 != 0.3 in binary floating point
    assert list(rank_order(totals)) == [0, 1, 2]


def test_a_ranking_without_draws_claims_no_near_tie_and_no_rank_spread() -> None:
    # Uncertainty comes from draws (scoring.robustness.with_uncertainty); a bare ranking must
    # not pretend to know it.
    catalog = catalog_from(np.array([[4, 2, 4, 4], [4, 2, 4, 3], [1, 5, 1, 1]]), spread=1)
    ranking = rank(catalog, {"c0": 1, "c1": 1, "c2": 1, "c3": 1})
    assert not ranking.near_tie_with_next.any()
    assert ranking.rank_p5.tolist() == ranking.rank_p95.tolist() == [1, 2, 3]


def test_include_ranks_only_the_chosen_recommendations(make_project: ProjectMaker) -> None:
    catalog = load_catalog(make_project())
    ranking = rank(catalog, {"leverage": 1}, include=["t-restart"])
    assert list(ranking.ids) == ["t-restart"]
    assert ranking.normalized.shape == (1, 3)


def test_weights_pick_the_winner_on_the_fixture(make_project: ProjectMaker) -> None:
    catalog = load_catalog(make_project())
    assert rank(catalog, catalog.profiles["balanced"].weights).ids[0] == "t-restart"
    assert rank(catalog, {"leverage": 1}).ids[0] == "t-costs"


def test_ranking_frame_has_one_row_per_recommendation_best_first(
    make_project: ProjectMaker,
) -> None:
    frame = rank(load_catalog(make_project()), {"leverage": 1}).to_frame()
    assert list(frame["rank"]) == [1, 2]
    assert frame["score"].is_monotonic_decreasing


@pytest.mark.parametrize("weights", [{"leverage": 0}, {"leverage": -1}])
def test_rank_refuses_unusable_weights(make_project: ProjectMaker, weights: dict) -> None:
    with pytest.raises(ValidationError):
        rank(load_catalog(make_project()), weights)


@settings(max_examples=100, deadline=None)
@given(
    arrays(
        np.float64,
        st.integers(1, 60),
        elements=st.sampled_from([0.0, 0.25, 0.5, 1.0]) | st.floats(0, 1),
    )
)
def test_folded_key_sort_equals_a_stable_sort_of_rounded_totals(totals: np.ndarray) -> None:
    reference = np.argsort(-np.round(totals, 12), kind="stable")
    assert list(rank_order(totals)) == list(reference)


def test_competition_ranks_share_the_best_rank_of_a_tie() -> None:
    from scoring.synthetic import catalog_from_matrix
    from scoring.tables import display_ids, ranking_frame

    # r001 and r002 tie for first (one level traded for another), r000 and r003 tie below.
    values = np.array([[3, 3], [5, 2], [2, 5], [3, 3], [1, 1]])
    catalog = catalog_from_matrix(values)
    ranking = rank(catalog, {"c0": 1, "c1": 1})
    assert ranking.competition_ranks.tolist() == [1, 1, 3, 3, 5]
    assert ranking.tie_sizes.tolist() == [2, 2, 2, 2, 1]
    frame = ranking_frame(catalog, ranking)
    assert frame["rank"].tolist() == [1, 1, 3, 3, 5]
    titles = frame["title"].tolist()
    assert titles[:2] == sorted(titles[:2])
    assert display_ids(catalog, ranking) == frame["id"].tolist()
