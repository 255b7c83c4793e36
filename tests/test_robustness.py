"""Safeguards, one-way sensitivity and SMAA-2: invariants, exactness and bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scoring.errors import Code, InputError, ValidationError
from scoring.methods import (
    MethodSpec,
    PrometheeII,
    Topsis,
    WeightedSum,
    promethee,
    promethee_flows_pairwise,
    rank,
    rank_by,
    topsis_closeness,
)
from scoring.methods.topsis import _TopsisKernel
from scoring.model import Catalog
from scoring.robustness import (
    MAX_SAMPLES,
    Safeguards,
    WeightConstraints,
    acceptability,
    constraints_from_profile,
    likelihood_words,
    one_way_sensitivity,
    parse_bounds,
    parse_levels,
    parse_order,
    screen,
    smaa,
)
from scoring.robustness.acceptability import _Aggregation, _ScoreDraws
from scoring.robustness.common import best_first, rank_keys
from scoring.robustness.sampling import sample_weights, weight_model
from scoring.synthetic import catalog_from_matrix
from scoring.weights import rank_order_centroid

COST = (False, True, False, False)
IDS = ("c0", "c1", "c2", "c3")


def weights_of(vector: np.ndarray) -> dict[str, float]:
    return {f"c{j}": float(w) for j, w in enumerate(vector)}


def swept(weights: np.ndarray, k: int, t: float) -> dict[str, float]:
    """The weights with weight k at t and the others rescaled to 1 - t in proportion."""
    rest = np.array(weights, dtype=float) / np.sum(weights)
    rest[k] = 0.0
    rest = rest / rest.sum() if rest.sum() > 0 else np.where(np.arange(len(rest)) == k, 0, 1.0)
    rest = rest / rest.sum()
    vector = (1 - t) * rest
    vector[k] = t
    return weights_of(vector)


def first_under(catalog: Catalog, weights: dict[str, float], spec: MethodSpec) -> str:
    return str(rank_by(catalog, weights, spec).ids[0])


def clearly_first(catalog: Catalog, weights: dict[str, float], spec: MethodSpec) -> str | None:
    """The first-ranked id, or None where the first two tie and only the id breaks the tie."""
    ranking = rank_by(catalog, weights, spec)
    if len(ranking) > 1 and abs(ranking.totals[0] - ranking.totals[1]) < 1e-9:
        return None
    return str(ranking.ids[0])


# --- Safeguards ------------------------------------------------------------------------------


def screening_catalog() -> Catalog:
    values = np.array([[5, 1, 1, 3], [3, 5, 4, 3], [2, 2, 3, 3]])
    return catalog_from_matrix(values, COST, spread=1)


def test_minimums_fail_with_reasons_and_read_at_most_for_cost_criteria() -> None:
    result = screen(screening_catalog(), Safeguards(minimums={"c2": 2}))
    assert result.passed == ("r001", "r002")
    [failure] = result.failed
    assert failure.id == "r000"
    assert failure.reasons == ("Criterion 2 is 1; the minimum is at least 2",)
    result = screen(screening_catalog(), Safeguards(minimums={"c1": 4}))  # c1 is a cost
    assert [f.id for f in result.failed] == ["r001"]
    assert "at most 4" in result.failed[0].reasons[0]


def test_vetoes_apply_to_the_plausible_worst_case() -> None:
    # r002 scores 3 on c2, but its range reaches down to 2.
    result = screen(screening_catalog(), Safeguards(minimums={"c2": 3}, vetoes={"c2": 3}))
    assert result.passed == ("r001",)
    reasons = {f.id: f.reasons for f in result.failed}
    assert reasons["r002"] == (
        "Criterion 2 could be 2 at worst; the veto requires at least 3 even at worst",
    )
    assert len(reasons["r000"]) == 2  # fails both; every reason is kept


def test_excluded_recommendations_keep_their_reason_and_frame_lists_failures() -> None:
    result = screen(screening_catalog(), Safeguards(excluded={"r001": "needs legislation"}))
    frame = result.to_frame()
    assert frame.to_dict("records") == [
        {"id": "r001", "title": "Recommendation 1", "reasons": "excluded: needs legislation"}
    ]


def test_bad_safeguards_report_every_fault() -> None:
    safeguards = Safeguards(
        minimums={"c0": 0, "nope": 2, "c2": math.nan},
        vetoes={"c3": "2"},  # type: ignore[dict-item]
        excluded={"r999": "?"},
    )
    with pytest.raises(ValidationError) as caught:
        screen(screening_catalog(), safeguards)
    assert {(p.code, p.where, p.key_path) for p in caught.value.problems} == {
        (Code.BAD_LEVEL, "safeguards.minimums", "c0"),
        (Code.UNKNOWN_CRITERION, "safeguards.minimums", "nope"),
        (Code.BAD_LEVEL, "safeguards.minimums", "c2"),
        (Code.WRONG_TYPE, "safeguards.vetoes", "c3"),
        (Code.UNKNOWN_RECOMMENDATION, "safeguards.excluded", "r999"),
    }


def test_parse_levels_reads_pairs_and_refuses_malformed_ones() -> None:
    assert parse_levels("c0=2, c1=4.5", "--min") == {"c0": 2.0, "c1": 4.5}
    with pytest.raises(InputError) as caught:
        parse_levels("c0=two", "--min")
    assert caught.value.codes == {Code.BAD_LEVEL}


def test_nothing_left_after_screening_is_a_clear_error() -> None:
    catalog = screening_catalog()
    with pytest.raises(InputError) as caught:
        smaa(catalog, include=[], samples=10)
    assert caught.value.codes == {Code.ALL_SCREENED_OUT}
    with pytest.raises(InputError) as caught:
        one_way_sensitivity(catalog, weights_of(np.ones(4)), include=[])
    assert caught.value.codes == {Code.ALL_SCREENED_OUT}


# --- One-way sensitivity ---------------------------------------------------------------------

continuous_matrices = arrays(
    np.float64,
    st.tuples(st.integers(2, 7), st.just(4)),
    elements=st.floats(1, 5).map(lambda x: round(x, 3)),
)
weight_vectors = arrays(np.float64, 4, elements=st.floats(0.05, 1))
LINEAR = [WeightedSum(), PrometheeII()]
STEP = 1e-6


@pytest.mark.parametrize("spec", LINEAR, ids=repr)
@settings(max_examples=30, deadline=None)
@given(values=continuous_matrices, weights=weight_vectors)
def test_first_place_intervals_are_exact(spec, values: np.ndarray, weights: np.ndarray) -> None:
    catalog = catalog_from_matrix(values, COST)
    result = one_way_sensitivity(catalog, weights_of(weights), spec)
    first = result.first
    for k, interval in enumerate(result.intervals):
        if interval.high - interval.low < 4 * STEP:
            continue  # first only at a tie point
        for t in np.linspace(interval.low + STEP, interval.high - STEP, 5):
            assert first_under(catalog, swept(weights, k, t), spec) == first
        if interval.below is not None:
            below = first_under(catalog, swept(weights, k, interval.low - STEP), spec)
            assert below != first
        if interval.above is not None:
            above = first_under(catalog, swept(weights, k, interval.high + STEP), spec)
            assert above != first


@pytest.mark.parametrize("spec", LINEAR, ids=repr)
@settings(max_examples=30, deadline=None)
@given(values=continuous_matrices, weights=weight_vectors)
@example(values=np.array([[1.0, 1, 1, 1], [1, 2, 2, 4]]), weights=np.ones(4))  # a tie at a bound
def test_the_smallest_change_really_moves_first_place(
    spec, values: np.ndarray, weights: np.ndarray
) -> None:
    catalog = catalog_from_matrix(values, COST)
    result = one_way_sensitivity(catalog, weights_of(weights), spec, top=5)
    for change in result.changes:
        if change.criterion is None or change.change < 10 * STEP:
            continue
        k = IDS.index(change.criterion)
        beyond = change.threshold + (STEP if change.threshold > change.weight else -STEP)
        if not 0 <= beyond <= 1:
            continue
        now_first = first_under(catalog, swept(weights, k, beyond), spec)
        if change.rank == 1:
            assert now_first != change.id
        else:
            assert now_first == change.id
        # ...and no smaller single-weight change of any criterion does it (checked on a grid).
        # A change reports where first place is strictly lost or won: a grid point where two
        # totals tie (a weight at its bound can reach a tie and go no further) proves nothing.
        for j in range(4):
            for t in np.linspace(0, 1, 41):
                if abs(t - weights[j] / weights.sum()) < change.change - 10 * STEP:
                    moved = clearly_first(catalog, swept(weights, j, t), spec)
                    if moved is not None:
                        assert (moved == change.id) == (change.rank == 1)


def test_a_tie_reached_at_a_weights_bound_is_not_a_lost_first_place() -> None:
    # Found by hypothesis: with the last weight at 0 the two recommendations tie exactly, and
    # the tie-break by id puts r000 first, but no weight can go further, so r001 is never
    # strictly beaten that way: the smallest change that moves it is on the cost criterion.
    catalog = catalog_from_matrix(np.array([[1.0, 1, 1, 1], [1, 2, 2, 4]]), COST)
    result = one_way_sensitivity(catalog, dict.fromkeys(IDS, 1.0), WeightedSum(), top=5)
    [first] = [change for change in result.changes if change.rank == 1]
    assert (first.id, first.criterion) == ("r001", IDS[1])
    assert first.threshold == pytest.approx(4 / 7)
    assert clearly_first(catalog, swept(np.ones(4), 3, 0.0), WeightedSum()) is None


@settings(max_examples=10, deadline=None)
@given(values=continuous_matrices, weights=weight_vectors)
def test_topsis_intervals_agree_with_brute_force(values: np.ndarray, weights: np.ndarray) -> None:
    catalog = catalog_from_matrix(values, COST)
    spec = Topsis()
    result = one_way_sensitivity(catalog, weights_of(weights), spec)
    assert [n.code for n in result.notices][-1] == Code.APPROXIMATE_THRESHOLDS
    for k, interval in enumerate(result.intervals):
        if interval.high - interval.low < 1e-4:
            continue
        for t in np.linspace(interval.low + 1e-5, interval.high - 1e-5, 4):
            assert first_under(catalog, swept(weights, k, t), spec) == result.first
        if interval.below is not None:
            assert first_under(catalog, swept(weights, k, interval.low - 1e-5), spec) != (
                result.first
            )


@pytest.mark.parametrize("spec", [*LINEAR, Topsis()], ids=repr)
def test_sweep_scores_and_ranks_follow_the_method(spec) -> None:
    values = np.array([[5, 1, 3, 2], [1, 5, 2, 3], [3, 3, 3, 3], [2, 2, 5, 1], [4, 2, 4, 4]])
    catalog = catalog_from_matrix(values, COST)
    weights = np.array([1.0, 2.0, 3.0, 4.0])
    result = one_way_sensitivity(catalog, weights_of(weights), spec, steps=11)
    for k in range(4):
        for step in (0, 3, 10):
            t = result.grid[step]
            if t == 0 and spec != WeightedSum() and weights_of(weights):
                pass
            ranking = rank_by(catalog, swept(weights, k, t), spec)
            expected = dict(zip(ranking.ids.tolist(), ranking.totals, strict=True))
            got = dict(zip(result.ids, result.scores[k, step], strict=True))
            assert got == pytest.approx(expected)
            ranks = dict(zip(result.ids, result.ranks[k, step].tolist(), strict=True))
            assert ranks == ranking.positions
    frame = result.to_frame(top=2)
    assert len(frame) == 4 * 11 * 2
    assert set(frame["id"]) == set(result.ids[:2])


def test_sensitivity_reports_ties_and_constant_criteria() -> None:
    # r000 and r001 tie under equal weights (2.5 / 4 each); r000 is first on the tie-break.
    values = np.array([[4, 2, 3, 3], [5, 3, 3, 3], [2, 4, 3, 3]])
    result = one_way_sensitivity(catalog_from_matrix(values, COST), weights_of(np.ones(4)))
    codes = [notice.code for notice in result.notices]
    assert codes.count(Code.CONSTANT_CRITERION) == 2  # c2 and c3
    assert Code.TIED_FIRST in codes
    assert "ties for first place" in result.changes[0].sentence
    assert result.first == "r000"


def test_sentences_name_the_weight_and_its_threshold() -> None:
    values = np.array([[5, 3, 1, 3], [1, 3, 5, 3]])
    result = one_way_sensitivity(catalog_from_matrix(values, COST), {"c0": 3, "c2": 1})
    first, second = result.changes
    assert first.sentence.startswith(
        "Recommendation 0 loses first place if the Criterion 0 weight "
    )
    assert first.threshold == pytest.approx(0.5)
    assert "falls below 0.50 (now 0.75)" in first.sentence
    assert "would take first place if the Criterion 0 weight fell below 0.50" in second.sentence
    assert result.intervals[0].sentence("Recommendation 0") == (
        "Recommendation 0 stays first while the Criterion 0 weight stays above 0.50 (now 0.75)."
    )


def test_a_recommendation_no_single_weight_can_lift_is_said_so() -> None:
    values = np.array([[5, 1, 5, 5], [1, 5, 1, 1]])  # r000 dominates r001
    result = one_way_sensitivity(catalog_from_matrix(values, COST), weights_of(np.ones(4)))
    assert result.changes[0].sentence.endswith("keeps first place whatever a single weight does.")
    assert result.changes[1].criterion is None
    assert "cannot reach first place" in result.changes[1].sentence


# --- SMAA-2 ----------------------------------------------------------------------------------

score_matrices = arrays(
    np.int64, st.tuples(st.integers(2, 8), st.just(4)), elements=st.integers(1, 5)
)


@settings(max_examples=20, deadline=None)
@given(values=score_matrices, spread=st.integers(0, 2), scores=st.sampled_from(["uniform",
       "triangular", "fixed"]), seed=st.integers(0, 2**31))  # fmt: skip
def test_acceptability_sums_to_one_over_ranks_and_over_recommendations(
    values: np.ndarray, spread: int, scores: str, seed: int
) -> None:
    result = smaa(catalog_from_matrix(values, COST, spread), scores=scores, samples=300, seed=seed)
    np.testing.assert_allclose(result.acceptability.sum(axis=1), 1.0)
    np.testing.assert_allclose(result.acceptability.sum(axis=0), 1.0)
    frame = result.acceptability_frame(top=3, ranks=2)
    np.testing.assert_allclose(frame.groupby("id")["acceptability"].sum(), 1.0)


@settings(max_examples=30, deadline=None)
@given(values=score_matrices, weights=arrays(np.float64, 4, elements=st.floats(0, 1)))
def test_fixed_weights_and_zero_width_ranges_reproduce_the_ranking(
    values: np.ndarray, weights: np.ndarray
) -> None:
    weights[0] += 0.01  # at least one weight above 0
    catalog = catalog_from_matrix(values, COST, spread=0)
    expected = rank(catalog, weights_of(weights))
    fixed = WeightConstraints(fixed=weights_of(weights))
    result = smaa(catalog, fixed, scores="uniform", samples=50, seed=3)
    positions = dict(zip(result.ids, result.acceptability.argmax(axis=1) + 1, strict=True))
    assert positions == expected.positions  # ties broken by id, as in the ranking
    assert set(np.unique(result.acceptability)) <= {0.0, 1.0}
    assert result.ids == tuple(expected.ids)


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 6), st.integers(1, 12)),
        elements=st.sampled_from([0.0, 0.25, 0.3, 0.1 + 0.2, 0.5, 1.0]) | st.floats(0, 1),
    )
)
def test_the_fast_sort_keeps_the_rankings_tie_break(totals: np.ndarray) -> None:
    expected = np.argsort(rank_keys(totals), axis=1)
    np.testing.assert_array_equal(best_first(totals), expected)


def test_smaa_is_seeded_and_reproducible() -> None:
    catalog = catalog_from_matrix(np.array([[5, 1, 3, 2], [1, 5, 2, 3], [3, 3, 3, 3]]), COST, 1)
    one, again = smaa(catalog, samples=500, seed=7), smaa(catalog, samples=500, seed=7)
    other = smaa(catalog, samples=500, seed=8)
    np.testing.assert_array_equal(one.acceptability, again.acceptability)
    np.testing.assert_array_equal(one.central_weights, again.central_weights)
    assert not np.array_equal(one.acceptability, other.acceptability)
    unseeded = smaa(catalog, samples=100)
    assert isinstance(unseeded.seed, int)
    replay = smaa(catalog, samples=100, seed=unseeded.seed)
    np.testing.assert_array_equal(unseeded.acceptability, replay.acceptability)


def test_central_weights_and_confidence_with_fixed_scores() -> None:
    values = np.array([[5, 3, 1, 3], [1, 3, 5, 3], [3, 3, 3, 3]])
    result = smaa(catalog_from_matrix(values, COST), scores="fixed", samples=2_000, seed=1)
    winners = result.acceptability[:, 0] > 0
    # The region where one recommendation is first is convex: its central weights keep it first.
    np.testing.assert_array_equal(result.confidence[winners], 1.0)
    assert np.isnan(result.confidence[~winners]).all()
    np.testing.assert_allclose(result.central_weights[winners].sum(axis=1), 1.0)
    first = result.ids.index("r000")
    assert result.central_weights[first, 0] > result.central_weights[first, 2]


def sample(constraints: WeightConstraints, count: int, m: int = 4, seed: int = 0):
    model = weight_model(constraints, [f"c{j}" for j in range(m)], "test")
    return sample_weights(model, count, np.random.default_rng(seed))


def test_uniform_simplex_weights_have_the_dirichlet_moments() -> None:
    weights, sampler, _ = sample(WeightConstraints(), 40_000)
    assert sampler == "simplex"
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    np.testing.assert_allclose(weights.mean(axis=0), 0.25, atol=0.005)
    np.testing.assert_allclose(weights.var(axis=0), 3 / (16 * 5), rtol=0.05)  # Dirichlet(1)


def test_weights_under_a_full_order_average_to_the_rank_order_centroid() -> None:
    order = ("c2", "c0", "c3", "c1")
    weights, _, _ = sample(WeightConstraints(order=tuple((c,) for c in order)), 40_000)
    assert np.all(np.diff(weights[:, [2, 0, 3, 1]], axis=1) <= 1e-12)
    centroid = rank_order_centroid(list(order), IDS).weights
    np.testing.assert_allclose(weights.mean(axis=0), [centroid[c] for c in IDS], atol=0.005)


def test_tied_groups_and_zero_weights_from_a_profile() -> None:
    constraints = constraints_from_profile({"c0": 30, "c1": 0, "c2": 10, "c3": 10}, IDS)
    assert constraints.order == (("c0",), ("c2", "c3"))
    assert constraints.bounds == {"c1": (0.0, 0.0)}
    weights, _, _ = sample(constraints, 20_000)
    assert np.all(weights[:, 1] == 0)
    assert np.all(weights[:, 0] >= np.maximum(weights[:, 2], weights[:, 3]))
    np.testing.assert_allclose(weights[:, 2].mean(), weights[:, 3].mean(), atol=0.01)
    assert constraints_from_profile(dict.fromkeys(IDS, 1), IDS) == WeightConstraints()
    fixed = constraints_from_profile({"c0": 1}, IDS, "fixed")
    assert fixed.fixed == {"c0": 1}


def test_bounds_are_kept_by_rejection() -> None:
    bounds = {"c0": (0.3, 0.6), "c3": (0.0, 0.1)}
    weights, sampler, notices = sample(WeightConstraints(bounds=bounds), 5_000)
    assert (sampler, notices) == ("rejection", [])
    assert np.all((weights[:, 0] >= 0.3) & (weights[:, 0] <= 0.6) & (weights[:, 3] <= 0.1))
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)


def test_a_narrow_region_switches_to_hit_and_run_and_never_hangs() -> None:
    bounds = dict.fromkeys(IDS, (0.24, 0.26))
    weights, sampler, notices = sample(WeightConstraints(bounds=bounds), 5_000)
    assert sampler == "hit-and-run"
    assert [n.code for n in notices] == [Code.NARROW_WEIGHT_REGION]
    assert np.all((weights >= 0.24 - 1e-12) & (weights <= 0.26 + 1e-12))
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    np.testing.assert_allclose(weights.mean(axis=0), 0.25, atol=0.002)
    pinned, sampler, _ = sample(WeightConstraints(bounds=dict.fromkeys(IDS, (0.25, 0.25))), 10)
    assert sampler in ("simplex", "rejection")
    np.testing.assert_allclose(pinned, 0.25)


def test_hit_and_run_respects_an_order_inside_narrow_bounds() -> None:
    constraints = WeightConstraints(
        order=(("c0",), ("c1",)), bounds={"c0": (0.2, 0.21), "c1": (0.2, 0.21)}
    )
    weights, sampler, _ = sample(constraints, 2_000)
    assert sampler == "hit-and-run"
    assert np.all(weights[:, 0] >= weights[:, 1] - 1e-12)


@pytest.mark.parametrize(
    ("constraints", "code"),
    [
        (WeightConstraints(bounds={"c0": (0.6, 1), "c1": (0.5, 1)}), Code.INFEASIBLE_BOUNDS),
        (WeightConstraints(bounds=dict.fromkeys(IDS, (0, 0.2))), Code.INFEASIBLE_BOUNDS),
        (WeightConstraints(bounds={"c0": (0.5, 0.2)}), Code.BAD_BOUNDS),
        (WeightConstraints(bounds={"c0": (-0.1, 0.2)}), Code.BAD_BOUNDS),
        (WeightConstraints(bounds={"c0": (0.1, 1.5)}), Code.BAD_BOUNDS),
        (WeightConstraints(bounds={"c0": (math.nan, 0.5)}), Code.BAD_BOUNDS),
        (WeightConstraints(bounds={"nope": (0, 1)}), Code.UNKNOWN_CRITERION),
        (WeightConstraints(order=(("c0",), ("c0",))), Code.BAD_ORDER),
        (WeightConstraints(order=(("c0",), ("zz",))), Code.UNKNOWN_CRITERION),
        (
            WeightConstraints(order=(("c0",), ("c1",)), bounds={"c0": (0, 0.2), "c1": (0.3, 1)}),
            Code.ORDER_CONTRADICTS_BOUNDS,
        ),
        (
            # No single pair clashes, but the order cannot be met within the bounds.
            WeightConstraints(
                order=(("c0",), ("c1",), ("c2",)), bounds={"c0": (0, 0.3), "c3": (0, 0.05)}
            ),
            Code.ORDER_CONTRADICTS_BOUNDS,
        ),
        (WeightConstraints(bounds={"c0": (0, 1)}, fixed={"c0": 1}), Code.BAD_VALUE),
    ],
)
def test_bad_weight_constraints_are_clear_errors(constraints, code: Code) -> None:
    catalog = catalog_from_matrix(np.array([[5, 1, 3, 2], [1, 5, 2, 3]]), COST)
    with pytest.raises(ValidationError) as caught:
        smaa(catalog, constraints, samples=10, seed=1)
    assert caught.value.codes == {code}


def test_an_order_clashing_with_a_bound_names_the_pair() -> None:
    catalog = catalog_from_matrix(np.array([[5, 1, 3, 2], [1, 5, 2, 3]]), COST)
    constraints = WeightConstraints(
        order=(("c0",), ("c1",)), bounds={"c0": (0, 0.2), "c1": (0.3, 1)}
    )
    with pytest.raises(InputError) as caught:
        smaa(catalog, constraints, samples=10)
    assert "c0 above c1, but c0 is capped at 0.2 while c1 needs at least 0.3" in str(caught.value)


@pytest.mark.parametrize("samples", [0, -5, 2.5, True, "100"])
def test_a_sample_count_below_one_or_not_whole_is_refused(samples: object) -> None:
    catalog = catalog_from_matrix(np.array([[5, 1, 3, 2], [1, 5, 2, 3]]), COST)
    with pytest.raises(InputError) as caught:
        smaa(catalog, samples=samples)  # type: ignore[arg-type]
    assert caught.value.codes == {Code.BAD_SAMPLES}


def test_an_absurd_sample_count_is_capped_with_a_notice() -> None:
    catalog = catalog_from_matrix(np.array([[5, 1], [1, 5]]), (False, False))
    result = smaa(catalog, scores="fixed", samples=10**12, seed=1, confidence=False)
    assert result.samples == MAX_SAMPLES
    assert [n.code for n in result.notices] == [Code.SAMPLES_CAPPED]


def test_smaa_flags_a_criterion_on_which_everyone_scores_the_same() -> None:
    catalog = catalog_from_matrix(np.array([[5, 1, 3, 2], [1, 5, 3, 3]]), COST)
    result = smaa(catalog, scores="fixed", samples=100, seed=1)
    [notice] = result.notices
    assert notice.code == Code.CONSTANT_CRITERION
    assert "Criterion 2" in notice.message


def test_triangular_draws_peak_at_the_value_and_stay_in_range() -> None:
    catalog = catalog_from_matrix(np.array([[2, 4, 5, 1]]), COST, spread=2)
    rows = np.array([0])
    draws = _ScoreDraws.of(catalog, rows, "triangular").draw(40_000, np.random.default_rng(1))
    low, high = catalog.worst_normalized[0], catalog.best_normalized[0]
    assert np.all((draws >= low - 1e-12) & (draws <= high + 1e-12))
    mean = (low + catalog.normalized[0] + high) / 3
    np.testing.assert_allclose(draws.mean(axis=0)[0], mean, atol=0.005)


def test_sentences_use_percentages_and_probability_words() -> None:
    values = np.array([[5, 1, 5, 5], [1, 5, 1, 1], [3, 3, 3, 3]])
    result = smaa(catalog_from_matrix(values, COST), scores="fixed", samples=200, seed=1)
    assert result.sentences(top=2) == [
        "Recommendation 0: first under 100% of plausible weightings (almost certain), in the top"
        " three under 100% (almost certain).",
        "Recommendation 2: never first under plausible weightings, in the top three under 100% "
        "(almost certain).",
    ]
    varied = smaa(catalog_from_matrix(values, COST, 1), samples=200, seed=1).sentences(top=1)[0]
    assert "of plausible weightings and scores" in varied
    assert "of score draws" in varied


@pytest.mark.parametrize(
    ("share", "words"),
    [(0.01, "almost no chance"), (0.1, "very unlikely"), (0.41, "unlikely"), (0.5, "roughly even"),
     (0.7, "likely"), (0.86, "very likely"), (0.99, "almost certain")],
)  # fmt: skip
def test_probability_words_follow_the_shared_bands(share: float, words: str) -> None:
    assert likelihood_words(share) == words


def test_parse_bounds_and_order() -> None:
    assert parse_bounds("c0=0.1:0.4, c1=0:0.2") == {"c0": (0.1, 0.4), "c1": (0.0, 0.2)}
    with pytest.raises(InputError) as caught:
        parse_bounds("c0=0.1")
    assert caught.value.codes == {Code.BAD_BOUNDS}
    assert parse_order("c2 > c0 = c3 > c1") == (("c2",), ("c0", "c3"), ("c1",))


def test_smaa_frame_is_ordered_by_acceptability() -> None:
    values = np.array([[5, 1, 5, 5], [4, 2, 4, 4], [1, 5, 1, 1]])
    result = smaa(catalog_from_matrix(values, COST, 1), samples=1_000, seed=2)
    frame = result.to_frame()
    assert list(frame.columns[:7]) == [
        "order", "id", "title", "first", "top3", "expected_rank", "confidence"
    ]  # fmt: skip
    assert frame["first"].is_monotonic_decreasing
    assert frame["expected_rank"].iloc[0] <= frame["expected_rank"].iloc[-1]


# --- SMAA-2 under TOPSIS and PROMETHEE II ----------------------------------------------------

METHODS = [
    WeightedSum(),
    Topsis(),
    Topsis("observed"),
    PrometheeII(),
    PrometheeII("usual"),
    PrometheeII("level", q=0.5, p=1.5),
]


@pytest.mark.parametrize("spec", METHODS, ids=repr)
@settings(max_examples=40, deadline=None)
@given(
    values=score_matrices,
    weights=arrays(np.float64, 4, elements=st.floats(0, 1)),
    scores=st.sampled_from(["uniform", "triangular", "fixed"]),
)
def test_every_method_with_fixed_weights_and_zero_width_ranges_reproduces_its_ranking(
    spec: MethodSpec, values: np.ndarray, weights: np.ndarray, scores: str
) -> None:
    weights[0] += 0.01  # at least one weight above 0
    catalog = catalog_from_matrix(values, COST, spread=0)
    expected = rank_by(catalog, weights_of(weights), spec)
    fixed = WeightConstraints(fixed=weights_of(weights))
    result = smaa(catalog, fixed, scores=scores, samples=40, seed=3, method=spec)
    positions = dict(zip(result.ids, result.acceptability.argmax(axis=1) + 1, strict=True))
    assert positions == expected.positions  # ties broken by id, as in the ranking
    assert set(np.unique(result.acceptability)) <= {0.0, 1.0}
    assert result.ids == tuple(expected.ids)
    assert result.method == spec.name


@pytest.mark.parametrize("spec", METHODS[1:], ids=repr)
@settings(max_examples=20, deadline=None)
@given(values=score_matrices, spread=st.integers(0, 2), scores=st.sampled_from(["uniform",
       "triangular", "fixed"]), seed=st.integers(0, 2**31))  # fmt: skip
def test_every_methods_acceptability_sums_to_one_over_ranks_and_over_recommendations(
    spec: MethodSpec, values: np.ndarray, spread: int, scores: str, seed: int
) -> None:
    catalog = catalog_from_matrix(values, COST, spread)
    result = smaa(catalog, scores=scores, samples=200, seed=seed, method=spec)
    np.testing.assert_allclose(result.acceptability.sum(axis=1), 1.0)
    np.testing.assert_allclose(result.acceptability.sum(axis=0), 1.0)
    winners = result.acceptability[:, 0] > 0
    np.testing.assert_allclose(result.central_weights[winners].sum(axis=1), 1.0)
    assert np.all((result.confidence[winners] >= 0) & (result.confidence[winners] <= 1))


@pytest.mark.parametrize("spec", [WeightedSum(), Topsis(), PrometheeII()], ids=repr)
@settings(max_examples=25, deadline=None)
@given(values=score_matrices, spread=st.integers(0, 1), seed=st.integers(0, 2**31))
def test_a_dominated_recommendation_never_ranks_first(
    spec: MethodSpec, values: np.ndarray, spread: int, seed: int
) -> None:
    """If a beats b even at a's worst and b's best (and strictly somewhere), b is never first."""
    catalog = catalog_from_matrix(values, COST, spread)
    result = smaa(catalog, samples=300, seed=seed, method=spec, confidence=False)
    first = dict(zip(result.ids, result.acceptability[:, 0], strict=True))
    worst, best = catalog.worst_normalized, catalog.best_normalized
    ids = catalog.recommendation_ids
    for a in range(len(ids)):
        for b in range(len(ids)):
            if a != b and np.all(worst[a] >= best[b]) and np.any(worst[a] > best[b]):
                assert first[ids[b]] == 0


@pytest.mark.parametrize("method", ["weighted_sum", "topsis", "promethee_ii"])
def test_every_method_is_seeded_and_reproducible(method: str) -> None:
    catalog = catalog_from_matrix(np.array([[5, 1, 3, 2], [1, 5, 2, 3], [3, 3, 3, 3]]), COST, 1)
    one = smaa(catalog, samples=400, seed=7, method=method)
    again = smaa(catalog, samples=400, seed=7, method=method)
    other = smaa(catalog, samples=400, seed=8, method=method)
    np.testing.assert_array_equal(one.acceptability, again.acceptability)
    np.testing.assert_array_equal(one.central_weights, again.central_weights)
    np.testing.assert_array_equal(one.confidence, again.confidence)
    assert not np.array_equal(one.acceptability, other.acceptability)


def test_the_weighted_sum_by_name_is_the_default() -> None:
    catalog = catalog_from_matrix(np.array([[5, 1, 3, 2], [1, 5, 2, 3], [3, 3, 3, 3]]), COST, 1)
    default = smaa(catalog, samples=300, seed=4)
    named = smaa(catalog, samples=300, seed=4, method=WeightedSum())
    np.testing.assert_array_equal(default.acceptability, named.acceptability)
    np.testing.assert_array_equal(default.confidence, named.confidence)
    assert default.method == "weighted_sum"
    assert default.method_settings == {}


normalized_matrices = arrays(
    np.float64, st.tuples(st.integers(1, 7), st.just(4)), elements=st.floats(0, 1)
)
simplex_weights = arrays(np.float64, 4, elements=st.floats(0, 1)).map(
    lambda w: (w + 1e-3) / (w + 1e-3).sum()
)


@settings(max_examples=100, deadline=None)
@given(
    normalized=normalized_matrices,
    weights=simplex_weights,
    anchors=st.sampled_from(["scale", "observed"]),
)
def test_topsis_per_sample_equals_topsis_closeness(
    normalized: np.ndarray, weights: np.ndarray, anchors: str
) -> None:
    kernel = _TopsisKernel(normalized, anchors)
    aggregation = _Aggregation(kernel, fixed=False)
    expected = topsis_closeness(normalized, weights, anchors)
    sampled = aggregation.totals(weights[None, :], normalized[None, :, :])[0]
    np.testing.assert_allclose(sampled, expected, rtol=0, atol=1e-12)
    # The confidence pass (several weightings per draw) and the fixed-score path agree too.
    under = aggregation.totals_under(np.stack([weights, weights]), normalized[None, :, :])
    np.testing.assert_allclose(under[0, 1], expected, rtol=0, atol=1e-12)
    fixed = _Aggregation(kernel, fixed=True)
    np.testing.assert_allclose(fixed.totals(weights[None, :], None)[0], expected, atol=1e-12)
    np.testing.assert_allclose(kernel.scores(normalized, weights), expected, atol=1e-12)


def pairwise_flows(signed: np.ndarray, preference: str, q: np.ndarray, p: np.ndarray):
    """Each draw's flows by comparing every pair: what smaa computed before it sorted."""
    return np.stack([promethee_flows_pairwise(matrix, preference, q, p) for matrix in signed])


PROMETHEE_SPECS = [
    PrometheeII(),
    PrometheeII("usual"),
    PrometheeII("u_shape", q=1.0),
    PrometheeII("v_shape", p=1.0),
    PrometheeII("level", q=0.5, p=1.5),
    PrometheeII("linear", q=0.5, p=1.5),
]


@pytest.mark.parametrize("spec", PROMETHEE_SPECS, ids=repr)
@settings(max_examples=15, deadline=None)
@given(values=score_matrices, spread=st.integers(0, 2), scores=st.sampled_from(["uniform",
       "triangular"]), seed=st.integers(0, 2**31))  # fmt: skip
def test_promethee_smaa_with_drawn_scores_is_that_of_the_pairwise_flows(
    spec: PrometheeII, values: np.ndarray, spread: int, scores: str, seed: int
) -> None:
    catalog = catalog_from_matrix(values, COST, spread)
    fast = smaa(catalog, scores=scores, samples=300, seed=seed, method=spec)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(promethee, "promethee_flows_batched", pairwise_flows)
        slow = smaa(catalog, scores=scores, samples=300, seed=seed, method=spec)
    assert fast.ids == slow.ids
    np.testing.assert_array_equal(fast.acceptability, slow.acceptability)
    np.testing.assert_array_equal(fast.central_weights, slow.central_weights)
    np.testing.assert_array_equal(fast.confidence, slow.confidence)


@settings(max_examples=30, deadline=None)
@given(values=continuous_matrices)
def test_promethee_flows_of_drawn_normalised_scores_are_those_of_the_raw_scores(
    values: np.ndarray,
) -> None:
    catalog = catalog_from_matrix(values, COST)
    rows = np.arange(len(values))
    aggregation = _Aggregation.of(PrometheeII(), catalog, rows, "uniform", "test")
    [flows] = aggregation.kernel.parts(catalog.normalized[None, :, :])
    signed = catalog.values * np.where(catalog.cost_mask, -1.0, 1.0)
    np.testing.assert_allclose(flows[0], promethee_flows_pairwise(signed), rtol=0, atol=1e-12)


def test_promethee_with_fixed_scores_keeps_its_central_weights_first() -> None:
    values = np.array([[5, 3, 1, 3], [1, 3, 5, 3], [3, 3, 3, 3]])
    catalog = catalog_from_matrix(values, COST)
    result = smaa(catalog, scores="fixed", samples=2_000, seed=1, method="promethee_ii")
    winners = result.acceptability[:, 0] > 0
    # Net flows are linear in the weights: the region where one is first is convex.
    np.testing.assert_array_equal(result.confidence[winners], 1.0)
    assert result.method_settings == {"preference": "linear", "q": 0.0, "p": 2.0}


def test_sentences_name_a_method_other_than_the_weighted_sum() -> None:
    values = np.array([[5, 1, 5, 5], [1, 5, 1, 1], [3, 3, 3, 3]])
    result = smaa(catalog_from_matrix(values, COST), scores="fixed", samples=200, seed=1,
                  method="topsis")  # fmt: skip
    first, never = result.sentences(top=3)[0], result.sentences(top=3)[-1]
    assert first.startswith("Recommendation 0: first by TOPSIS under ")
    assert " never first by TOPSIS under plausible weightings" in never
    assert result.method_settings == {"anchors": "scale"}


@pytest.mark.parametrize(
    ("method", "code"),
    [("nope", Code.UNKNOWN_METHOD), (Topsis("bogus"), Code.BAD_VALUE),  # type: ignore[arg-type]
     (PrometheeII(p=-1.0), Code.BAD_THRESHOLD),
     (PrometheeII("level", 1.0, 1.0), Code.BAD_THRESHOLD),
     (PrometheeII("nope"), Code.BAD_VALUE)],  # type: ignore[arg-type]
)  # fmt: skip
def test_bad_method_settings_are_refused_as_rank_by_refuses_them(method, code: Code) -> None:
    catalog = catalog_from_matrix(np.array([[5, 1, 3, 2], [1, 5, 2, 3]]), COST)
    with pytest.raises(ValidationError) as caught:
        rank_by(catalog, weights_of(np.ones(4)), method)
    with pytest.raises(ValidationError) as again:
        smaa(catalog, samples=10, seed=1, method=method)
    assert again.value.codes == caught.value.codes == {code}


def test_promethee_with_drawn_scores_beyond_the_budget_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalog = catalog_from_matrix(np.array([[5, 1, 3, 2], [1, 5, 2, 3], [3, 3, 3, 3]]), COST, 1)
    # 3 x 4 = 12 values sorted per draw; confidence factors draw the scores twice.
    monkeypatch.setattr(acceptability, "PROMETHEE_COMPARISONS", 12 * 2 * 100)
    smaa(catalog, samples=100, seed=1, method="promethee_ii")
    with pytest.raises(InputError) as caught:
        smaa(catalog, samples=101, seed=1, method="promethee_ii")
    [problem] = caught.value.problems
    assert problem.code == Code.BAD_SAMPLES
    assert problem.key_path == "samples"
    assert "3 x 4 x 202 score draws = 2,424" in problem.found
    assert problem.hint == (
        "use fixed scores (--scores fixed; the flows are then computed once) or at most 100 samples"
    )
    # Fixed scores compute the flows once, and without confidence factors the draws halve.
    smaa(catalog, scores="fixed", samples=10_000, seed=1, method="promethee_ii")
    smaa(catalog, samples=200, seed=1, method="promethee_ii", confidence=False)
    assert smaa(catalog, samples=10_000, seed=1, method="topsis").samples == 10_000


def test_the_budget_admits_a_thousand_recommendations_at_the_default_samples() -> None:
    # Recommendations x criteria x score draws (confidence factors draw twice): the bundled
    # catalog (90 x 8) and a catalog of 1,000 recommendations on 10 criteria.
    assert 90 * 8 * 2 * acceptability.DEFAULT_SAMPLES <= acceptability.PROMETHEE_COMPARISONS
    assert 1_000 * 10 * 2 * acceptability.DEFAULT_SAMPLES <= acceptability.PROMETHEE_COMPARISONS


@pytest.mark.parametrize("spec", [*LINEAR, Topsis()], ids=repr)
def test_sweep_in_blocks_of_grid_points_is_the_whole_sweep(spec, monkeypatch) -> None:
    # The sweep runs a few grid points at a time (to stay in cache); blocks of 1 and of 3
    # points (the last one short) must give the very same scores and ranks, ties included.
    from scoring.robustness import sensitivity

    values = np.random.default_rng(3).integers(1, 4, size=(40, 4))
    catalog = catalog_from_matrix(values, COST)
    weights = weights_of(np.array([1.0, 2.0, 3.0, 4.0]))
    whole = one_way_sensitivity(catalog, weights, spec, steps=11)
    for points in (1, 3):
        monkeypatch.setattr(sensitivity, "_BLOCK_VALUES", points * 40)
        blocked = one_way_sensitivity(catalog, weights, spec, steps=11)
        assert np.array_equal(blocked.scores, whole.scores)
        assert np.array_equal(blocked.ranks, whole.ranks)
