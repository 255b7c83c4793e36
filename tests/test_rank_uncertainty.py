"""Rank intervals, winning indices and the tie-for-first verdict: invariants on random catalogs."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import rankdata

from scoring.errors import InputError
from scoring.methods import PrometheeII, Topsis, rank, rank_by
from scoring.methods.base import RANK_RANGE_WORDS
from scoring.model import Catalog
from scoring.robustness import (
    NEAR_TIE,
    RANK_DRAWS,
    RANK_PERCENTILES,
    SCORE_MODELS,
    WEIGHT_SPREAD,
    first_place_tie,
    rank_draws,
    rank_uncertainty,
    uncertainty_legend,
    with_uncertainty,
)
from scoring.robustness.first_tie import raised_weights
from scoring.robustness.rank_uncertainty import (
    competition_ranks_batched,
    draw_totals,
    rank_percentiles,
    ranking_method,
    winning_index,
)
from scoring.synthetic import catalog_from_matrix

N_CRITERIA = 4
DRAWS = 400  # enough for the properties; the default (1,000) is tested separately

score_matrices = arrays(
    np.int64, st.tuples(st.integers(2, 10), st.just(N_CRITERIA)), elements=st.integers(1, 5)
)
weight_vectors = arrays(np.float64, N_CRITERIA, elements=st.floats(0.05, 10))


def weights_of(vector: np.ndarray) -> dict[str, float]:
    return {f"c{j}": float(w) for j, w in enumerate(vector)}


def uncertain(catalog: Catalog, weights: dict[str, float], model: str = "triangular"):
    ranking = rank(catalog, weights)
    return ranking, rank_uncertainty(catalog, ranking, rank_draws(catalog, model, 1, DRAWS))


@settings(max_examples=40, deadline=None)
@given(score_matrices, weight_vectors, st.integers(0, 2), st.sampled_from(SCORE_MODELS))
def test_rank_interval_is_ordered_and_within_the_ranking(
    values: np.ndarray, weights: np.ndarray, spread: int, model: str
) -> None:
    catalog = catalog_from_matrix(values, spread=spread)
    ranking, u = uncertain(catalog, weights_of(weights), model)
    assert (u.rank_p5 >= 1).all()
    assert (u.rank_p5 <= u.rank_p95).all()
    assert (u.rank_p95 <= len(ranking)).all()
    assert np.isnan(u.p_above_next[-1])
    assert ((u.p_above_next[:-1] >= 0) & (u.p_above_next[:-1] <= 1)).all()
    assert u.first_share.sum() >= 1 - 1e-12  # every draw has a first (ties: several)


@settings(max_examples=40, deadline=None)
@given(score_matrices, weight_vectors, st.integers(0, 2))
def test_winning_indices_of_a_pair_never_sum_above_one(
    values: np.ndarray, weights: np.ndarray, spread: int
) -> None:
    catalog = catalog_from_matrix(values, spread=spread)
    ranking = rank(catalog, weights_of(weights))
    draws = rank_draws(catalog, "triangular", 3, DRAWS)
    totals = draw_totals(catalog, ranking.weights, ranking.rows, draws, ranking_method(ranking))
    n = len(ranking)
    a, b = np.repeat(np.arange(n), n), np.tile(np.arange(n), n)
    ab, tie_ab = winning_index(totals, a, b)
    ba, tie_ba = winning_index(totals, b, a)
    assert (ab + ba <= 1 + 1e-12).all()  # strict wins: P(A>B) + P(B>A) <= 1
    assert np.allclose(ab + ba + tie_ab, 1)
    assert np.allclose(tie_ab, tie_ba)


@settings(max_examples=30, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 30), st.integers(1, 12)),
        elements=st.sampled_from([0.0, 0.25, 0.5, 1.0]) | st.floats(0, 1),
    )
)
def test_batched_competition_ranks_match_min_ranks_of_rounded_totals(totals: np.ndarray) -> None:
    expected = np.array([rankdata(-np.round(row, 12), method="min") for row in totals])
    assert (competition_ranks_batched(totals) == expected).all()


def test_identical_items_are_a_near_tie_at_about_one_half() -> None:
    catalog = catalog_from_matrix(np.array([[3, 3, 3, 3], [3, 3, 3, 3], [1, 1, 1, 1]]), spread=1)
    ranking = with_uncertainty(catalog, rank(catalog, weights_of(np.ones(N_CRITERIA))))
    assert ranking.uncertainty is not None
    assert ranking.p_above_next[0] == pytest.approx(0.5, abs=0.06)
    assert ranking.near_tie_with_next[0]
    assert not ranking.near_tie_with_next[1]  # the third is far below


def test_a_dominating_item_wins_every_draw() -> None:
    # Range 4-5 against 1-2 on every criterion: no draw of scores or weights reverses them.
    catalog = catalog_from_matrix(np.array([[5, 5, 5, 5], [1, 1, 1, 1]]), spread=1)
    for model in SCORE_MODELS:
        _, u = uncertain(catalog, weights_of(np.ones(N_CRITERIA)), model)
        assert u.p_above_next[0] == 1.0
        assert u.rank_p5.tolist() == u.rank_p95.tolist() == [1, 2]
        assert not u.near_tie_with_next.any()


def test_intervals_discriminate_on_the_bundled_catalog(catalog: Catalog) -> None:
    # The complaint: the old mark was on 89 of 89 pairs and ranges ran 1-87. Draws must not
    # call every pair a near-tie nor give every row the whole ranking as its interval.
    ranking = with_uncertainty(catalog, rank(catalog, catalog.profiles["balanced"].weights))
    pairs = len(ranking) - 1
    assert ranking.near_tie_with_next[:-1].sum() < pairs / 2
    widths = ranking.rank_p95 - ranking.rank_p5
    assert np.median(widths) < len(ranking) / 2


def test_draws_are_cached_and_a_weight_change_only_reweights(catalog: Catalog) -> None:
    first = rank_draws(catalog)
    assert rank_draws(catalog) is first
    assert first.count == RANK_DRAWS
    assert first.weight_spread == WEIGHT_SPREAD
    balanced = catalog.profiles["balanced"].weights
    one = with_uncertainty(catalog, rank(catalog, balanced))
    other = with_uncertainty(catalog, rank(catalog, {**balanced, "leverage": 3}))
    assert rank_draws(catalog) is first  # no new draws for new weights
    assert one.uncertainty is not None
    assert other.uncertainty is not None
    again = with_uncertainty(catalog, rank(catalog, balanced))
    assert again.uncertainty is not None
    assert np.array_equal(again.uncertainty.p_above_next, one.uncertainty.p_above_next, True)


@pytest.mark.parametrize("method", [Topsis(), PrometheeII()])
def test_other_methods_rank_their_draws_with_their_own_kernel(catalog: Catalog, method) -> None:
    ranking = with_uncertainty(
        catalog, rank_by(catalog, catalog.profiles["balanced"].weights, method)
    )
    assert ranking.uncertainty is not None
    assert (ranking.rank_p5 <= ranking.rank_p95).all()


def test_an_unknown_score_model_is_an_input_error(catalog: Catalog) -> None:
    with pytest.raises(InputError) as caught:
        rank_draws(catalog, "beta-ish")
    assert caught.value.problems[0].key_path == "score_model"


def test_the_method_note_and_the_legend_state_the_named_thresholds() -> None:
    low, high = NEAR_TIE
    p5, p95 = RANK_PERCENTILES
    for text in (RANK_RANGE_WORDS, uncertainty_legend()):
        assert f"{low:.0%}" in text
        assert f"{high:.0%}" in text
        assert f"{p5}th" in text
        assert f"{p95}th" in text
        assert f"{WEIGHT_SPREAD:.0%}" in text
    assert f"{RANK_DRAWS:,} draws" in RANK_RANGE_WORDS


# --- a tie for first ----------------------------------------------------------------------


def tied_catalog() -> Catalog:
    # r000 and r001 tie under equal weights; more weight on c0 favours r000, on c1 r001.
    return catalog_from_matrix(np.array([[5, 1, 3, 3], [1, 5, 3, 3], [2, 2, 2, 2]]), spread=1)


def test_a_tie_for_first_names_no_winner_and_a_verified_lever() -> None:
    catalog = tied_catalog()
    ranking = rank(catalog, weights_of(np.ones(N_CRITERIA)))
    tie = first_place_tie(catalog, ranking)
    assert tie is not None
    assert tie.size == 2
    assert set(tie.ids) == {"r000", "r001"}
    text = tie.sentence()
    assert text.startswith("No single option stands out: these 2 tie")
    assert not re.search(r"\bRecommend\b", text)
    assert re.search(r"is first most often \(\d+% of 500 draws\)", text)
    assert tie.lever_id is not None
    assert tie.leader_id is not None
    # The clause is a fact: re-rank with that weight raised and the leader is first, alone.
    index = catalog.criterion_ids.index(tie.lever_id)
    raised = raised_weights(ranking.weights, index, 0.05)
    rerank = rank(catalog, dict(zip(catalog.criterion_ids, raised.tolist(), strict=True)))
    assert rerank.ids[0] == tie.leader_id
    assert rerank.tie_sizes[0] == 1
    assert f"if you weigh {tie.lever_name} more" in text
    assert f"{tie.leader_title} leads" in text


def test_no_tie_means_no_tie_verdict() -> None:
    catalog = catalog_from_matrix(np.array([[5, 5, 5, 5], [1, 1, 1, 1]]), spread=1)
    assert first_place_tie(catalog, rank(catalog, weights_of(np.ones(N_CRITERIA)))) is None


@settings(max_examples=30, deadline=None)
@given(score_matrices, st.integers(0, 1))
def test_every_named_lever_is_confirmed_by_a_re_rank(values: np.ndarray, spread: int) -> None:
    catalog = catalog_from_matrix(values, spread=spread)
    ranking = rank(catalog, weights_of(np.ones(N_CRITERIA)))
    tie = first_place_tie(catalog, ranking, first_shares={}, draws_text="no draws")
    if tie is None:
        assert ranking.tie_sizes[0] == 1
        return
    assert tie.size == ranking.tie_sizes[0]
    if tie.lever_id is None:
        return
    index = catalog.criterion_ids.index(tie.lever_id)
    raised = raised_weights(ranking.weights, index, 0.05)
    assert raised.sum() == pytest.approx(1.0)
    rerank = rank(catalog, dict(zip(catalog.criterion_ids, raised.tolist(), strict=True)))
    assert rerank.ids[0] == tie.leader_id
    assert rerank.tie_sizes[0] == 1


@settings(max_examples=40, deadline=None)
@given(
    arrays(np.int64, st.tuples(st.integers(1, 50), st.integers(1, 6)), elements=st.integers(1, 9)),
    st.integers(0, 100),
)
def test_rank_percentiles_equal_numpys_inverted_cdf(ranks: np.ndarray, q: int) -> None:
    expected = np.percentile(ranks, q, axis=0, method="inverted_cdf")
    assert (rank_percentiles(ranks, (q,))[0] == expected).all()


def test_near_tie_is_judged_at_the_two_decimals_shown() -> None:
    from scoring.robustness.rank_uncertainty import near_tie

    p = np.array([0.39, 0.395, 0.4, 0.5, 0.602, 0.6049, 0.606, 0.7, np.nan])
    assert near_tie(p).tolist() == [False, True, True, True, True, True, False, False, False]


@pytest.mark.parametrize("model", ["triangular", "pert"])
def test_peaked_score_draws_stay_in_range_with_their_mode_at_the_value(model: str) -> None:
    # One-sided ranges (value at the top or bottom of its range) are the common case: the
    # draws must stay within the range and lean to the recorded value, not to the far end.
    from scoring.robustness.acceptability import _ScoreDraws

    low = np.array([[0.0, 0.0, 0.25]])
    high = np.array([[0.5, 0.5, 0.75]])
    value = np.array([[0.5, 0.0, 0.5]])  # at the top, at the bottom, in the middle
    drawn = _ScoreDraws(value, low, high, model).draw(20_000, np.random.default_rng(0))
    assert drawn is not None
    assert (drawn >= low).all()
    assert (drawn <= high).all()
    mean = drawn.mean(axis=0)
    expected = (low + value + high) / 3 if model == "triangular" else (low + 4 * value + high) / 6
    assert mean == pytest.approx(expected, abs=0.01)
    assert mean[0, 0] > 0.3 > mean[0, 1]  # leaning to the recorded end of each range
