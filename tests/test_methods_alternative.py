"""TOPSIS and PROMETHEE II: equal to pymcdm on random inputs; dispatcher, intervals, Kendall."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scoring.errors import Code, InputError, ValidationError
from scoring.methods import (
    METHODS,
    PREFERENCE_FUNCTIONS,
    PYMCDM_NAMES,
    PrometheeII,
    Topsis,
    check_method,
    compare_methods,
    kendall_tau,
    promethee_flows,
    promethee_flows_batched,
    promethee_flows_pairwise,
    rank,
    rank_by,
    score_range,
    topsis_closeness,
)
from scoring.synthetic import catalog_from_matrix

N_CRITERIA = 4
COST = (False, True, False, False)


def fixed_ends(x: np.ndarray, cost: bool) -> np.ndarray:
    """Our normalisation, in pymcdm's normalisation-function signature."""
    return (5.0 - x) / 4.0 if cost else (x - 1.0) / 4.0


@st.composite
def problems(draw: st.DrawFn, integer: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A 1-5 score matrix (continuous or integer), cost flags and weights summing to 1."""
    n = draw(st.integers(2, 12))
    m = draw(st.integers(1, 6))
    elements = st.integers(1, 5).map(float) if integer else st.floats(1, 5, allow_nan=False)
    values = draw(arrays(np.float64, (n, m), elements=elements))
    cost = np.array(draw(st.lists(st.booleans(), min_size=m, max_size=m)))
    weights = draw(arrays(np.float64, m, elements=st.floats(0.01, 1)))
    return values, cost, weights / weights.sum()


def pymcdm_call(method: object, values: np.ndarray, weights: np.ndarray, cost: np.ndarray):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return method(values, weights, np.where(cost, -1, 1), validation=False)  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(problems())
def test_topsis_with_observed_ideals_equals_pymcdm(problem) -> None:
    from pymcdm.methods import TOPSIS

    values, cost, weights = problem
    normalized = np.where(cost, (5 - values) / 4, (values - 1) / 4)
    ours = topsis_closeness(normalized, weights, "observed")
    reference = pymcdm_call(TOPSIS(fixed_ends), values, weights, cost)
    defined = ~np.isnan(reference)  # pymcdm gives NaN where every row is identical; we 0.5
    np.testing.assert_allclose(ours[defined], reference[defined], rtol=1e-12, atol=1e-12)
    assert np.all(ours[~defined] == 0.5)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_topsis_with_scale_ideals_equals_pymcdm_with_the_scale_ends_added(problem) -> None:
    from pymcdm.methods import TOPSIS

    values, cost, weights = problem
    # The scale ends as two extra rows make pymcdm's observed ideals the scale ends.
    ends = np.vstack([np.where(cost, 1.0, 5.0), np.where(cost, 5.0, 1.0)])
    reference = pymcdm_call(TOPSIS(fixed_ends), np.vstack([values, ends]), weights, cost)
    normalized = np.where(cost, (5 - values) / 4, (values - 1) / 4)
    ours = topsis_closeness(normalized, weights, "scale")
    np.testing.assert_allclose(ours, reference[: len(values)], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("preference", "q", "p"),
    [
        ("usual", 0.0, 0.0),
        ("u_shape", 1.0, 0.0),
        ("u_shape", 0.5, 0.0),
        ("v_shape", 0.0, 2.0),
        ("v_shape", 0.0, 0.7),
        ("level", 0.5, 2.0),
        ("level", 1.0, 3.0),
        ("linear", 0.0, 2.0),
        ("linear", 0.5, 3.0),
    ],
)
@settings(max_examples=25, deadline=None)
@given(problem=problems())
def test_promethee_ii_equals_pymcdm(preference: str, q: float, p: float, problem) -> None:
    from pymcdm.methods import PROMETHEE_II

    values, cost, weights = problem
    m = values.shape[1]
    kwargs = {}
    if preference in ("u_shape", "level", "linear"):
        kwargs["q"] = np.full(m, q)
    if preference in ("v_shape", "level", "linear"):
        kwargs["p"] = np.full(m, p)
    reference = pymcdm_call(PROMETHEE_II(PYMCDM_NAMES[preference], **kwargs), values, weights, cost)
    signed = np.where(cost, -values, values)
    ours = promethee_flows(signed, preference, np.full(m, q), np.full(m, p)) @ weights
    np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(problems(integer=True))
def test_rank_by_promethee_equals_pymcdm_on_a_catalog(problem) -> None:
    from pymcdm.methods import PROMETHEE_II

    values, cost, weights = problem
    catalog = catalog_from_matrix(values.astype(int), cost=list(cost), spread=1)
    named = dict(zip(catalog.criterion_ids, weights.tolist(), strict=True))
    ranking = rank_by(catalog, named, "promethee_ii")
    m = values.shape[1]
    method = PROMETHEE_II("vshape_2", q=np.zeros(m), p=np.full(m, 2.0))
    reference = pymcdm_call(method, catalog.values, ranking.weights, cost)
    np.testing.assert_allclose(ranking.totals, reference[ranking.rows], atol=1e-12)
    np.testing.assert_allclose(ranking.contributions.sum(axis=1), ranking.totals, atol=1e-12)


# Values on grids make ties and differences that land exactly on (or, after rounding, a
# hair off) a threshold; free floats make everything else.
GRIDS = [
    st.integers(-5, 5).map(float),
    st.integers(-50, 50).map(lambda k: k / 10),
    st.integers(-15, 15).map(lambda k: k / 3),
    st.floats(-5, 5, allow_nan=False),
]
THRESHOLDS = st.one_of(st.sampled_from([0.0, 0.1, 0.2, 0.3, 1 / 3, 0.5, 1.0, 2.0]),
                       st.floats(0, 3))  # fmt: skip
GAPS = st.one_of(st.sampled_from([0.1, 0.2, 1 / 3, 0.5, 1.0, 2.0]), st.floats(0.01, 3))


@st.composite
def promethee_stacks(draw: st.DrawFn) -> tuple[np.ndarray, str, np.ndarray, np.ndarray]:
    """Score matrices (k x n x m) with many ties, a preference function and valid thresholds."""
    k, n, m = draw(st.integers(1, 3)), draw(st.integers(1, 9)), draw(st.integers(1, 3))
    pool = draw(st.lists(draw(st.sampled_from(GRIDS)), min_size=1, max_size=2 * n))
    stack = draw(arrays(np.float64, (k, n, m), elements=st.sampled_from(pool)))
    preference = draw(st.sampled_from(PREFERENCE_FUNCTIONS))
    q = np.array(draw(st.lists(THRESHOLDS, min_size=m, max_size=m)))
    gap = np.array(draw(st.lists(GAPS, min_size=m, max_size=m)))
    if preference in ("usual", "u_shape", "v_shape"):  # p = q allowed; v_shape ignores q
        gap *= draw(st.sampled_from([0.0, 1.0]))
        p = gap if preference == "v_shape" else q + gap
        if preference == "v_shape" and not np.all(p > 0):
            p = p + 1.0
    else:
        p = q + gap  # level and linear need p > q
    return stack, preference, q, p


@settings(max_examples=400, deadline=None)
@given(promethee_stacks())
def test_batched_flows_equal_the_pairwise_flows(case) -> None:
    stack, preference, q, p = case
    expected = np.stack([promethee_flows_pairwise(matrix, preference, q, p) for matrix in stack])
    got = promethee_flows_batched(stack, preference, q, p)
    assert got.shape == stack.shape
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    # One matrix without a leading axis gives the same flows.
    np.testing.assert_allclose(promethee_flows_batched(stack[0], preference, q, p), got[0],
                               rtol=0, atol=0)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(case=promethee_stacks(), shifts=st.lists(st.sampled_from([-1.0, -0.5, 0.0, 0.1, 1.0, 2.0]),
       min_size=1, max_size=4))  # fmt: skip
def test_sorted_flows_equal_the_pairwise_flows_with_and_without_moved_rows(case, shifts) -> None:
    stack, preference, q, p = case
    matrix = stack[0]
    np.testing.assert_allclose(promethee_flows(matrix, preference, q, p),
                               promethee_flows_pairwise(matrix, preference, q, p),
                               rtol=0, atol=1e-12)  # fmt: skip
    moved = matrix + np.resize(np.array(shifts), matrix.shape)
    np.testing.assert_allclose(promethee_flows(matrix, preference, q, p, moved=moved),
                               promethee_flows_pairwise(matrix, preference, q, p, moved=moved),
                               rtol=0, atol=1e-12)  # fmt: skip


def test_sorted_flows_of_integer_scores_with_long_ties_are_exact() -> None:
    # 2,000 recommendations on five levels: runs of ties 400 long, where counts found by
    # search land inside a run and must move to its end in one step.
    values = np.random.default_rng(3).integers(1, 6, (2_000, 3)).astype(float)
    for preference in PREFERENCE_FUNCTIONS:
        q, p = np.array([0.0, 1.0, 0.5]), np.array([2.0, 2.0, 1.0])
        expected = promethee_flows_pairwise(values, preference, q, p)
        np.testing.assert_allclose(promethee_flows(values, preference, q, p), expected, atol=1e-12)
        np.testing.assert_allclose(promethee_flows_batched(values, preference, q, p), expected,
                                   atol=1e-12)  # fmt: skip


@pytest.mark.parametrize("preference", PREFERENCE_FUNCTIONS)
def test_batched_flows_count_rounded_differences_as_the_pairwise_flows_do(
    preference: str,
) -> None:
    # As floats 0.2 - 0.1 is 0.1, 0.3 - 0.2 falls below it and 0.4 - 0.3 above it; around
    # 0.2: 0.4 - 0.2 equals it, 0.3 - 0.1 falls below and 0.8 - 0.6 above. 0.8 is tied.
    values = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.8, 0.8, 0.2])[:, None]
    q, p = np.array([0.1]), np.array([0.2])
    expected = promethee_flows_pairwise(values, preference, q, p)
    np.testing.assert_allclose(promethee_flows(values, preference, q, p), expected,
                               rtol=0, atol=1e-15)  # fmt: skip
    np.testing.assert_allclose(promethee_flows_batched(values, preference, q, p), expected,
                               rtol=0, atol=1e-15)  # fmt: skip


def test_batched_flows_of_one_recommendation_are_zero() -> None:
    assert np.array_equal(promethee_flows_batched(np.ones((4, 1, 3))), np.zeros((4, 1, 3)))
    assert promethee_flows_batched(np.ones((0, 5, 3))).shape == (0, 5, 3)


score_matrices = arrays(
    np.int64, st.tuples(st.integers(2, 10), st.just(N_CRITERIA)), elements=st.integers(1, 5)
)
weight_vectors = arrays(np.float64, N_CRITERIA, elements=st.floats(0.01, 10))


def weights_of(vector: np.ndarray) -> dict[str, float]:
    return {f"c{j}": float(w) for j, w in enumerate(vector)}


ALL_SPECS = [Topsis(), Topsis("observed"), PrometheeII(), PrometheeII("usual"),
             PrometheeII("level", q=0.5, p=1.5)]  # fmt: skip


@pytest.mark.parametrize("spec", ALL_SPECS, ids=repr)
@settings(max_examples=25, deadline=None)
@given(values=score_matrices, weights=weight_vectors, spread=st.integers(0, 2))
def test_every_method_keeps_its_totals_inside_their_intervals(
    spec, values: np.ndarray, weights: np.ndarray, spread: int
) -> None:
    ranking = rank_by(catalog_from_matrix(values, COST, spread), weights_of(weights), spec)
    assert np.all(ranking.low <= ranking.totals + 1e-12)
    assert np.all(ranking.totals <= ranking.high + 1e-12)
    assert np.all(np.diff(ranking.totals) <= 1e-12)  # best first


@pytest.mark.parametrize("spec", ALL_SPECS, ids=repr)
@settings(max_examples=25, deadline=None)
@given(values=score_matrices, weights=weight_vectors, factor=st.floats(0.01, 100))
def test_scaling_all_weights_leaves_every_method_unchanged(
    spec, values: np.ndarray, weights: np.ndarray, factor: float
) -> None:
    catalog = catalog_from_matrix(values, COST)
    base = rank_by(catalog, weights_of(weights), spec)
    scaled = rank_by(catalog, weights_of(weights * factor), spec)
    assert list(base.ids) == list(scaled.ids)


@pytest.mark.parametrize("spec", ALL_SPECS, ids=repr)
@settings(max_examples=25, deadline=None)
@given(values=score_matrices, weights=weight_vectors)
def test_a_dominating_recommendation_never_scores_below(
    spec, values: np.ndarray, weights: np.ndarray
) -> None:
    catalog = catalog_from_matrix(values, COST)
    ranking = rank_by(catalog, weights_of(weights), spec)
    score = dict(zip(ranking.ids.tolist(), ranking.totals, strict=True))
    signed = np.where(COST, -catalog.values, catalog.values)
    ids = catalog.recommendation_ids
    for a in range(len(ids)):
        for b in range(len(ids)):
            if np.all(signed[a] >= signed[b]):
                assert score[ids[a]] >= score[ids[b]] - 1e-12


@settings(max_examples=30, deadline=None)
@given(score_matrices, weight_vectors, st.integers(0, 2))
def test_rank_by_weighted_sum_is_rank(values: np.ndarray, weights: np.ndarray, spread: int) -> None:
    catalog = catalog_from_matrix(values, COST, spread)
    expected = rank(catalog, weights_of(weights))
    got = rank_by(catalog, weights_of(weights), "weighted_sum")
    assert list(got.ids) == list(expected.ids)
    np.testing.assert_array_equal(got.totals, expected.totals)


def test_promethee_on_a_subset_compares_only_that_subset() -> None:
    values = np.array([[5, 1, 3, 2], [1, 5, 2, 3], [3, 3, 3, 3], [2, 2, 5, 1]])
    catalog = catalog_from_matrix(values, COST)
    weights = weights_of(np.ones(N_CRITERIA))
    subset = rank_by(catalog, weights, "promethee_ii", include=["r000", "r002", "r003"])
    alone = rank_by(catalog_from_matrix(values[[0, 2, 3]], COST), weights, "promethee_ii")
    np.testing.assert_allclose(subset.totals, alone.totals)
    assert subset.ids.tolist() == [{"r000": "r000", "r001": "r002", "r002": "r003"}[i]
                                   for i in alone.ids.tolist()]  # fmt: skip
    assert np.isfinite(subset.normalized).all()


def test_rankings_record_their_method_and_settings() -> None:
    catalog = catalog_from_matrix(np.array([[5, 1, 3, 2], [1, 5, 2, 3]]), COST)
    ranking = rank_by(catalog, weights_of(np.ones(N_CRITERIA)), PrometheeII("level", 0.5, 1.5))
    assert ranking.method == "promethee_ii"
    assert ranking.settings == {"preference": "level", "q": 0.5, "p": 1.5}
    assert rank_by(catalog, weights_of(np.ones(N_CRITERIA)), "topsis").settings == {
        "anchors": "scale"
    }
    frame = ranking.to_frame()
    assert list(frame["id"]) == ranking.ids.tolist()


def test_unknown_method_and_bad_settings_are_refused() -> None:
    catalog = catalog_from_matrix(np.array([[5, 1, 3, 2], [1, 5, 2, 3]]), COST)
    weights = weights_of(np.ones(N_CRITERIA))
    with pytest.raises(InputError) as caught:
        rank_by(catalog, weights, "electre")
    assert caught.value.codes == {Code.UNKNOWN_METHOD}
    with pytest.raises(ValidationError) as caught:
        rank_by(catalog, weights, PrometheeII("linear", q=2.0, p=1.0))
    assert {(p.code, p.key_path) for p in caught.value.problems} == {
        (Code.BAD_THRESHOLD, f"c{j}") for j in range(N_CRITERIA)
    }
    with pytest.raises(ValidationError) as caught:
        rank_by(catalog, weights, PrometheeII("linear", q=-1.0, p={"c0": 3.0, "nope": 1.0}))
    assert caught.value.codes == {Code.BAD_THRESHOLD, Code.UNKNOWN_CRITERION}
    with pytest.raises(InputError) as caught:
        rank_by(catalog, weights, PrometheeII("gaussian"))  # type: ignore[arg-type]
    assert caught.value.codes == {Code.BAD_VALUE}


def test_per_criterion_thresholds_apply_to_their_criterion() -> None:
    catalog = catalog_from_matrix(np.array([[5, 3, 3, 3], [4, 3, 3, 3]]), COST)
    weights = {"c0": 1.0}
    strict = rank_by(catalog, weights, PrometheeII("linear", q=0.0, p={"c0": 1.0}))
    lenient = rank_by(catalog, weights, PrometheeII("linear", q={"c0": 1.0}, p={"c0": 2.0}))
    assert strict.totals[0] == pytest.approx(1.0)  # one level apart = full preference
    assert lenient.totals[0] == pytest.approx(0.0)  # one level apart = indifference


def test_kendall_tau_of_same_reversed_and_partial_rankings() -> None:
    values = np.array([[5, 1, 5, 1], [4, 2, 4, 2], [3, 3, 3, 3], [2, 4, 2, 4]])
    catalog = catalog_from_matrix(values, COST)
    forward = rank(catalog, {"c0": 1.0})
    backward = rank(catalog, {"c3": 1.0})  # c3 runs the other way
    assert kendall_tau(forward, forward) == pytest.approx(1.0)
    assert kendall_tau(forward, backward) == pytest.approx(-1.0)
    one = rank(catalog, {"c0": 1.0}, include=["r000"])
    assert np.isnan(kendall_tau(forward, one))


def test_compare_methods_gives_ranks_per_method_and_a_tau_matrix() -> None:
    values = np.array([[5, 1, 3, 2], [1, 5, 2, 3], [3, 3, 3, 3], [2, 2, 5, 1], [4, 2, 4, 4]])
    comparison = compare_methods(catalog_from_matrix(values, COST), weights_of(np.ones(4)))
    frame = comparison.to_frame()
    assert list(frame.columns) == ["id", *METHODS, "spread"]
    assert sorted(frame["weighted_sum"]) == [1, 2, 3, 4, 5]
    tau = comparison.tau_frame()
    np.testing.assert_allclose(tau.to_numpy(), tau.to_numpy().T)
    np.testing.assert_allclose(np.diag(tau.to_numpy()), 1.0)


def test_check_method_names_bad_settings_without_ranking() -> None:
    assert check_method("topsis", ("a", "b")) == Topsis()
    with pytest.raises(InputError, match="anchors"):
        check_method(Topsis("moon"), ("a", "b"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as caught:
        check_method(PrometheeII("linear", 2.0, 1.0), ("a", "b"))
    assert [problem.key_path for problem in caught.value.problems] == ["a", "b"]
    with pytest.raises(InputError, match="electre"):
        check_method("electre", ("a",))


@pytest.mark.parametrize("method", METHODS)
def test_totals_stay_within_the_methods_score_range(method: str) -> None:
    rng = np.random.default_rng(7)
    values = rng.integers(1, 6, size=(30, N_CRITERIA)).astype(float)
    catalog = catalog_from_matrix(values, cost=COST, spread=1)
    ranking = rank_by(catalog, dict.fromkeys(catalog.criterion_ids, 1.0), method)
    low, high = score_range(method)
    assert low <= ranking.low.min()
    assert ranking.high.max() <= high


def test_promethee_reweighting_reuses_the_flows_and_ranks_as_a_fresh_computation() -> None:
    from scoring.methods import promethee as promethee_module

    values = np.random.default_rng(5).integers(1, 6, (40, 4))
    catalog = catalog_from_matrix(values, cost=[False, True, False, False], spread=1)
    first = dict(zip(catalog.criterion_ids, [0.4, 0.3, 0.2, 0.1], strict=True))
    second = dict(zip(catalog.criterion_ids, [0.1, 0.2, 0.3, 0.4], strict=True))
    rank_by(catalog, first, "promethee_ii")
    calls = []
    original = promethee_module.promethee_flows
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(promethee_module, "promethee_flows",
                      lambda *a, **k: calls.append(1) or original(*a, **k))  # fmt: skip
        reweighted = rank_by(catalog, second, "promethee_ii")
    assert calls == []  # a weight change only multiplies the kept flows
    signed = catalog.values * np.where(catalog.cost_mask, -1.0, 1.0)
    flows = promethee_flows_pairwise(signed)
    np.testing.assert_allclose(reweighted.totals, (flows @ reweighted.weights)[reweighted.rows],
                               atol=1e-12)  # fmt: skip
    assert not reweighted.source_normalized.flags.writeable
