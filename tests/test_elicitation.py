"""Weight elicitation: swing weighting, rank-order centroid and AHP with Saaty's consistency."""

from __future__ import annotations

import itertools
import math
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.elicitation import (
    SAATY_RANDOM_INDEX,
    ahp_weights,
    rank_order_centroid,
    swing_weights,
)
from scoring.errors import Code, ValidationError
from scoring.methods import rank
from scoring.synthetic import catalog_from_matrix

IDS = ("leverage", "buy_in", "human_rights", "feasibility")


def codes_and_paths(error: ValidationError) -> set[tuple[Code, str]]:
    return {(problem.code, problem.key_path) for problem in error.problems}


# --- Rank-order centroid ---------------------------------------------------------------------


@pytest.mark.parametrize("count", range(1, 10))
def test_rank_order_centroid_matches_the_published_formula(count: int) -> None:
    ids = [f"c{j}" for j in range(count)]
    result = rank_order_centroid(ids, ids)
    # Barron and Barrett (1996): w_i = (1/n) * sum_{k=i..n} 1/k, computed here exactly.
    expected = [
        sum(Fraction(1, k) for k in range(i, count + 1)) / count for i in range(1, count + 1)
    ]
    assert [result.weights[cid] for cid in ids] == pytest.approx([float(w) for w in expected])
    assert sum(result.weights.values()) == pytest.approx(1.0)


def test_rank_order_centroid_of_four_matches_the_published_table() -> None:
    result = rank_order_centroid(list(IDS), IDS)
    assert [round(result.weights[cid], 4) for cid in IDS] == [0.5208, 0.2708, 0.1458, 0.0625]


def test_rank_order_centroid_weights_criteria_left_out_at_zero_with_a_notice() -> None:
    result = rank_order_centroid(["human_rights", "leverage"], IDS)
    assert result.weights == {
        "leverage": pytest.approx(0.25),
        "buy_in": 0.0,
        "human_rights": pytest.approx(0.75),
        "feasibility": 0.0,
    }
    assert [notice.code for notice in result.notices] == [Code.UNRANKED_CRITERIA]
    assert "buy_in" in result.notices[0].message


def test_rank_order_centroid_rejects_unknown_repeated_and_empty_orders() -> None:
    with pytest.raises(ValidationError) as caught:
        rank_order_centroid(["leverage", "nope", "leverage"], IDS)
    assert codes_and_paths(caught.value) == {
        (Code.UNKNOWN_CRITERION, "nope"),
        (Code.BAD_ORDER, "[2]"),
    }
    with pytest.raises(ValidationError) as caught:
        rank_order_centroid([], IDS)
    assert caught.value.codes == {Code.BAD_ORDER}


# --- Swing weighting -------------------------------------------------------------------------


def test_swing_weights_are_ratings_over_their_sum_and_become_a_profile() -> None:
    ratings = {"leverage": 100, "buy_in": 50, "human_rights": 25, "feasibility": 0}
    result = swing_weights(
        ratings, IDS, order=["leverage", "buy_in", "human_rights", "feasibility"]
    )
    assert result.weights == pytest.approx(
        {"leverage": 100 / 175, "buy_in": 50 / 175, "human_rights": 25 / 175, "feasibility": 0}
    )
    profile = result.to_profile("my-swing", "My swing weights")
    assert profile.weights == result.weights
    catalog = catalog_from_matrix(np.array([[5, 1, 1, 1], [1, 5, 5, 5]]))
    renamed = dict(zip(catalog.criterion_ids, result.weights.values(), strict=True))
    assert rank(catalog, renamed).ids[0] == "r000"


def test_swing_weights_report_every_fault_at_once() -> None:
    ratings = {"leverage": 90, "buy_in": 120, "human_rights": -1, "nope": 5}
    with pytest.raises(ValidationError) as caught:
        swing_weights(ratings, IDS)
    assert codes_and_paths(caught.value) == {
        (Code.UNKNOWN_CRITERION, "nope"),
        (Code.MISSING_KEY, "feasibility"),
        (Code.BAD_RATING, "buy_in"),
        (Code.BAD_RATING, "human_rights"),
    }


@pytest.mark.parametrize("bad", [math.nan, True, "50"])
def test_swing_ratings_must_be_numbers(bad: object) -> None:
    ratings = {"leverage": 100, "buy_in": bad, "human_rights": 1, "feasibility": 1}
    with pytest.raises(ValidationError) as caught:
        swing_weights(ratings, IDS)  # type: ignore[arg-type]
    assert {p.key_path for p in caught.value.problems} == {"buy_in"}


def test_swing_weights_need_the_largest_swing_at_100() -> None:
    with pytest.raises(ValidationError) as caught:
        swing_weights(dict.fromkeys(IDS, 40), IDS)
    assert caught.value.codes == {Code.BAD_RATING}


def test_swing_ratings_must_not_rise_along_the_order() -> None:
    ratings = {"leverage": 100, "buy_in": 20, "human_rights": 60, "feasibility": 10}
    with pytest.raises(ValidationError) as caught:
        swing_weights(ratings, IDS, order=["leverage", "buy_in", "human_rights", "feasibility"])
    assert codes_and_paths(caught.value) == {(Code.BAD_ORDER, "human_rights")}


# --- AHP ----------------------------------------------------------------------------------

# Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services
# Sciences 1(1), table 2: which drink is consumed more in the U.S.? Published priorities and
# consistency ratio 0.022. (fmt: skip keeps the judgement tables in rows, as published.)
DRINKS = {
    ("coffee", "wine"): 9, ("coffee", "tea"): 5, ("coffee", "beer"): 2, ("coffee", "soda"): 1,
    ("coffee", "milk"): 1, ("water", "coffee"): 2, ("water", "wine"): 9, ("water", "tea"): 9,
    ("water", "beer"): 3, ("water", "soda"): 2, ("water", "milk"): 3, ("tea", "wine"): 3,
    ("beer", "wine"): 9, ("beer", "tea"): 3, ("beer", "milk"): 1, ("soda", "wine"): 9,
    ("soda", "tea"): 4, ("soda", "beer"): 2, ("soda", "milk"): 2, ("milk", "wine"): 9,
    ("milk", "tea"): 3,
}  # fmt: skip
DRINK_IDS = ("coffee", "wine", "tea", "beer", "soda", "milk", "water")
DRINK_PRIORITIES = {
    "coffee": 0.177, "wine": 0.019, "tea": 0.042, "beer": 0.116, "soda": 0.190, "milk": 0.129,
    "water": 0.327,
}  # fmt: skip


def test_ahp_reproduces_saatys_published_drinks_example() -> None:
    result = ahp_weights(DRINKS, DRINK_IDS)
    assert {cid: round(w, 3) for cid, w in result.weights.items()} == DRINK_PRIORITIES
    assert round(result.consistency_ratio, 3) == 0.022
    assert result.random_index == 1.32  # Saaty's RI for n = 7
    assert result.consistent
    assert result.notices == ()


def test_saaty_random_index_table() -> None:
    assert SAATY_RANDOM_INDEX[:10] == (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)


def test_a_full_matrix_gives_the_same_result_as_the_pairs() -> None:
    from_pairs = ahp_weights(DRINKS, DRINK_IDS)
    from_matrix = ahp_weights(np.array(from_pairs.matrix), DRINK_IDS)
    assert from_matrix.weights == pytest.approx(from_pairs.weights)
    assert from_matrix.consistency_ratio == pytest.approx(from_pairs.consistency_ratio)


SAATY_SCALE = [*range(1, 10), *(1 / k for k in range(2, 10))]
upper_triangles = st.integers(3, 8).flatmap(
    lambda n: st.lists(
        st.sampled_from(SAATY_SCALE), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2
    )
)


@settings(max_examples=40, deadline=None)
@given(upper_triangles)
def test_ahp_weights_and_consistency_equal_pymcdm(upper: list[float]) -> None:
    from pymcdm.weights.subjective import AHP

    count = int((1 + math.isqrt(1 + 8 * len(upper))) // 2)
    matrix = np.ones((count, count))
    for (i, j), value in zip(itertools.combinations(range(count), 2), upper, strict=True):
        matrix[i, j], matrix[j, i] = value, 1 / value
    ids = [f"c{j}" for j in range(count)]
    ours = ahp_weights(matrix, ids)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = AHP(matrix=matrix)
        expected = reference()
    np.testing.assert_allclose([ours.weights[cid] for cid in ids], expected, atol=1e-9)
    # pymcdm divides by Tummala and Ling's random index; ours by Saaty's: compare CI.
    ri_tummala = AHP.RI_M[count - 1]
    assert ours.consistency_index == pytest.approx(
        max(0.0, reference.get_cr() * ri_tummala), abs=1e-9
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.05, 1.0), min_size=2, max_size=9))
def test_consistent_judgements_recover_the_weights_with_zero_ratio(raw: list[float]) -> None:
    weights = np.array(raw) / sum(raw)
    ids = [f"c{j}" for j in range(len(raw))]
    pairs = itertools.combinations(range(len(ids)), 2)
    judgements = {(ids[i], ids[j]): weights[i] / weights[j] for i, j in pairs}
    result = ahp_weights(judgements, ids)
    np.testing.assert_allclose([result.weights[cid] for cid in ids], weights, rtol=1e-9)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert result.most_inconsistent == ()


def test_inconsistent_judgements_warn_and_point_at_the_worst_pair() -> None:
    # Consistent except leverage/feasibility, which contradicts the chain through buy_in.
    judgements = {
        ("leverage", "buy_in"): 3, ("buy_in", "human_rights"): 3,
        ("leverage", "human_rights"): 9, ("human_rights", "feasibility"): 1,
        ("buy_in", "feasibility"): 3, ("feasibility", "leverage"): 9,
    }  # fmt: skip
    result = ahp_weights(judgements, IDS)
    assert result.consistency_ratio > 0.1
    assert not result.consistent
    assert [notice.code for notice in result.notices] == [Code.INCONSISTENT_JUDGEMENTS]
    worst = result.most_inconsistent[0]
    assert {worst.first, worst.second} == {"leverage", "feasibility"}
    assert "leverage against feasibility" in result.notices[0].message
    frame = result.judgements_frame()
    assert len(frame) == 6
    assert frame["error"].is_monotonic_decreasing


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0, Code.BAD_JUDGEMENT),
        (-3, Code.BAD_JUDGEMENT),
        (math.nan, Code.BAD_JUDGEMENT),
        (math.inf, Code.BAD_JUDGEMENT),
        ("3", Code.WRONG_TYPE),
    ],
)
def test_zero_negative_and_non_numeric_judgements_are_refused(value: object, code: Code) -> None:
    judgements = {("a", "b"): 3, ("a", "c"): value, ("b", "c"): 2}
    with pytest.raises(ValidationError) as caught:
        ahp_weights(judgements, ["a", "b", "c"])  # type: ignore[arg-type]
    assert codes_and_paths(caught.value) == {(code, "(a, c)")}


def test_non_reciprocal_and_missing_judgements_are_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ahp_weights({("a", "b"): 3, ("b", "a"): 3, ("a", "c"): 2, ("b", "c"): 1}, ["a", "b", "c"])
    assert codes_and_paths(caught.value) == {(Code.NOT_RECIPROCAL, "(b, a)")}
    with pytest.raises(ValidationError) as caught:
        ahp_weights({("a", "b"): 3}, ["a", "b", "c"])
    assert codes_and_paths(caught.value) == {
        (Code.MISSING_JUDGEMENT, "(a, c)"),
        (Code.MISSING_JUDGEMENT, "(b, c)"),
    }


def test_a_matrix_that_is_not_reciprocal_is_refused() -> None:
    matrix = np.array([[1.0, 3.0], [3.0, 1.0]])
    with pytest.raises(ValidationError) as caught:
        ahp_weights(matrix, ["a", "b"])
    assert codes_and_paths(caught.value) == {(Code.NOT_RECIPROCAL, "(a, b)")}


def test_judgements_off_saatys_scale_are_used_with_a_notice() -> None:
    result = ahp_weights({("a", "b"): 20}, ["a", "b"])
    assert result.weights == pytest.approx({"a": 20 / 21, "b": 1 / 21})
    assert [notice.code for notice in result.notices] == [Code.OFF_SCALE_JUDGEMENT]
