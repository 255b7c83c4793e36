"""Analysis and sources: selections, rank changes, trade-offs, correlation, consensus."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scoring.analysis import (
    DOUBLE_COUNTING_THRESHOLD,
    borda_points,
    compare_profiles,
    compare_to_reference,
    correlation_matrix,
    criteria_correlation,
    efficient_mask,
    pareto_front,
    rank_changes,
    select_recommendations,
)
from scoring.errors import Code, InputError
from scoring.loading import load_catalog
from scoring.methods import PrometheeII, Topsis, rank, rank_by
from scoring.model import Catalog
from scoring.sources import document_segments, paragraph_spans, quote_passage

from conftest import REPO_ROOT, ProjectMaker


@pytest.fixture(scope="module")
def seeds() -> Catalog:
    return load_catalog(REPO_ROOT)


@pytest.fixture
def small(make_project: ProjectMaker) -> Catalog:
    return load_catalog(make_project())


# --- selections and rank changes -------------------------------------------------------------


def test_no_filter_selects_the_whole_catalog(seeds: Catalog) -> None:
    assert select_recommendations(seeds) is None


def test_a_document_is_named_with_or_without_its_suffix(seeds: Catalog) -> None:
    """One filter rule for the sidebar (file names) and briefs (names without .txt)."""
    name = seeds.documents[0].name
    with_suffix = select_recommendations(seeds, documents=[name])
    assert with_suffix
    assert select_recommendations(seeds, documents=[name.removesuffix(".txt")]) == with_suffix


def test_filters_combine_with_and(seeds: Catalog) -> None:
    document = seeds.documents[3].name
    chosen = select_recommendations(seeds, documents=[document], kinds=["explicit"])
    assert chosen
    # The status quo stays in every selection as its yardstick.
    assert seeds.baseline is not None
    assert seeds.baseline.id in chosen
    for rec_id in chosen:
        rec = seeds.recommendation(rec_id)
        if rec.baseline:
            continue
        assert rec.document == document
        assert rec.kind == "explicit"
    instrument = seeds.recommendation(chosen[0]).instrument
    narrower = select_recommendations(
        seeds, documents=[document], kinds=["explicit"], instruments=[instrument]
    )
    assert narrower
    assert set(narrower) < set(chosen) | {chosen[0]}


def test_a_filter_matching_nothing_ranks_nothing(seeds: Catalog) -> None:
    chosen = select_recommendations(seeds, actors=["nobody at all"])
    assert chosen == ()
    assert len(rank(seeds, seeds.profiles["balanced"].weights, chosen)) == 0


def test_same_weights_change_no_rank(seeds: Catalog) -> None:
    weights = seeds.profiles["pressure"].weights
    comparison = compare_to_reference(seeds, weights, weights)
    assert not comparison.change.any()


def test_rank_change_counts_places_gained(small: Catalog) -> None:
    leverage_first = rank(small, {"leverage": 1})
    buy_in_first = rank(small, {"buy_in": 1})
    assert leverage_first.ids.tolist() == ["t-costs", "t-restart"]
    assert buy_in_first.ids.tolist() == ["t-restart", "t-costs"]
    assert rank_changes(leverage_first, buy_in_first).tolist() == [1, -1]


def test_comparison_frame_is_aligned_with_the_ranking(seeds: Catalog) -> None:
    balanced = seeds.profiles["balanced"].weights
    comparison = compare_to_reference(seeds, {**balanced, "leverage": 9}, balanced)
    frame = comparison.frame()
    assert frame["id"].tolist() == comparison.ranking.ids.tolist()
    reference = comparison.reference
    ranks = dict(zip(reference.ids.tolist(), reference.competition_ranks.tolist(), strict=True))
    for row in frame.itertuples():
        assert row.change == ranks[row.id] - row.rank
        assert row.rank_p5 <= row.rank_p95


@pytest.mark.parametrize("method", [Topsis(), PrometheeII(), PrometheeII("usual")])
def test_comparison_ranks_both_sides_by_the_chosen_method(seeds: Catalog, method) -> None:
    balanced = seeds.profiles["balanced"].weights
    weights = {**balanced, "human_rights": 40}
    comparison = compare_to_reference(seeds, weights, balanced, method=method)
    assert comparison.ranking.method == comparison.reference.method == method.name
    assert comparison.ranking.ids.tolist() == rank_by(seeds, weights, method).ids.tolist()
    assert comparison.reference.ids.tolist() == rank_by(seeds, balanced, method).ids.tolist()


def test_profile_comparison_ranks_by_the_chosen_method(seeds: Catalog) -> None:
    profiles = {pid: seeds.profiles[pid].weights for pid in ("pressure", "engagement")}
    comparison = compare_profiles(seeds, profiles, method="topsis")
    frame = comparison.frame()
    by_topsis = rank_by(seeds, profiles["pressure"], "topsis").positions
    assert [by_topsis[i] for i in frame["id"]] == frame["pressure"].tolist()


# --- Pareto fronts ---------------------------------------------------------------------------


def _brute_force_efficient(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    dominated = [
        any(x[j] >= x[i] and y[j] >= y[i] and (x[j] > x[i] or y[j] > y[i]) for j in range(len(x)))
        for i in range(len(x))
    ]
    return ~np.array(dominated, dtype=bool)


@settings(max_examples=200, deadline=None)
@given(
    arrays(np.int64, st.integers(0, 40), elements=st.integers(1, 5)).flatmap(
        lambda x: st.tuples(st.just(x), arrays(np.int64, len(x), elements=st.integers(1, 5)))
    )
)
def test_efficient_mask_matches_brute_force(points: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = (axis.astype(float) for axis in points)
    assert efficient_mask(x, y).tolist() == _brute_force_efficient(x, y).tolist()


def test_pareto_front_reverses_cost_criteria(small: Catalog) -> None:
    # t-restart: leverage 2, risk 1 (low risk is good); t-costs: leverage 4, risk 4.
    front = pareto_front(small, "leverage", "risk")
    assert front.efficient.all(), "each is better on one axis"
    front = pareto_front(small, "buy_in", "risk")
    # t-restart: buy-in 4 and low risk beats t-costs (buy-in 1, high risk) on both.
    assert dict(zip(front.ids, front.efficient.tolist(), strict=True)) == {
        "t-costs": False,
        "t-restart": True,
    }
    assert front.front_ids == ("t-restart",)


def test_pareto_front_on_the_seeds_is_ordered_along_the_front(seeds: Catalog) -> None:
    front = pareto_front(seeds, "leverage", "buy_in")
    x = dict(zip(front.ids, front.x_values.tolist(), strict=True))
    y = dict(zip(front.ids, front.y_values.tolist(), strict=True))
    ordered = front.front_ids
    assert ordered
    assert [x[i] for i in ordered] == sorted(x[i] for i in ordered)
    assert [y[i] for i in ordered] == sorted((y[i] for i in ordered), reverse=True)


def test_pareto_front_rejects_an_unknown_criterion(seeds: Catalog) -> None:
    with pytest.raises(InputError) as caught:
        pareto_front(seeds, "leverage", "charisma")
    assert caught.value.codes == {Code.UNKNOWN_CRITERION}
    assert caught.value.problems[0].key_path == "y"


# --- correlation -----------------------------------------------------------------------------


def test_correlation_matches_pandas_spearman(seeds: Catalog) -> None:
    result = criteria_correlation(seeds)
    expected = pd.DataFrame(seeds.normalized).corr(method="spearman").to_numpy()
    np.testing.assert_allclose(result.matrix, expected, atol=1e-12)


def test_double_counting_pairs_are_those_above_the_threshold(seeds: Catalog) -> None:
    result = criteria_correlation(seeds)
    pairs = result.double_counting
    assert [p.rho for p in pairs] == sorted((p.rho for p in pairs), reverse=True)
    for pair in pairs:
        assert abs(pair.rho) > DOUBLE_COUNTING_THRESHOLD
    i, j = np.triu_indices(len(seeds.criteria), k=1)
    assert len(pairs) == int((np.abs(result.matrix[i, j]) > DOUBLE_COUNTING_THRESHOLD).sum())


def test_a_pair_that_mirrors_another_is_flagged_too() -> None:
    # Criteria v1 had buy-in and (reversed) relationship risk at +0.83; a strongly negative
    # pair counts one effect twice as much as a positive one does.
    first = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    matrix = correlation_matrix(np.column_stack([first, -first, first**2]))
    assert matrix[0, 1] == pytest.approx(-1.0)


def test_constant_criterion_has_no_correlation_and_no_warning() -> None:
    matrix = np.array([[0.5, 0.1], [0.5, 0.7], [0.5, 0.3]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = correlation_matrix(matrix)
    assert np.isnan(result[0]).all()
    assert result[1, 1] == pytest.approx(1.0)


def test_correlation_of_one_recommendation_is_undefined(seeds: Catalog) -> None:
    result = criteria_correlation(seeds, include=[seeds.recommendation_ids[0]])
    assert np.isnan(result.matrix).all()
    assert result.double_counting == ()


# --- perspectives ----------------------------------------------------------------------------


def test_borda_points_sum_places_behind() -> None:
    ranks = np.array([[1, 2], [2, 1], [3, 3]])
    assert borda_points(ranks).tolist() == [3, 3, 0]


def test_consensus_of_one_profile_is_that_ranking(seeds: Catalog) -> None:
    weights = seeds.profiles["engagement"].weights
    comparison = compare_profiles(seeds, {"engagement": weights})
    assert list(comparison.ids) == rank(seeds, weights).ids.tolist()
    assert not comparison.spread.any()


def test_profile_comparison_follows_the_engine(seeds: Catalog) -> None:
    profiles = {pid: p.weights for pid, p in seeds.profiles.items()}
    comparison = compare_profiles(seeds, profiles)
    frame = comparison.frame()
    assert frame["consensus"].tolist() == list(range(1, len(seeds.recommendations) + 1))
    for profile_id, weights in profiles.items():
        positions = rank(seeds, weights).positions
        assert frame[profile_id].tolist() == [positions[i] for i in frame["id"]]
    assert frame["borda"].is_monotonic_decreasing
    for row in frame.itertuples():
        assert getattr(row, row.best_profile) == row.best
        assert getattr(row, row.worst_profile) == row.worst
    disputed = comparison.most_disputed(5)
    assert disputed["spread"].tolist() == sorted(frame["spread"], reverse=True)[:5]


def test_profile_comparison_needs_a_profile(seeds: Catalog) -> None:
    with pytest.raises(InputError):
        compare_profiles(seeds, {})


# --- sources ---------------------------------------------------------------------------------


def test_paragraphs_tile_each_document(seeds: Catalog) -> None:
    for document in seeds.documents:
        spans = paragraph_spans(document)
        assert spans[0][0] == 0
        assert spans[-1][1] == len(document.normalized)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
        assert len(spans) > 5, document.name


def test_every_quote_reads_inside_its_paragraph(seeds: Catalog) -> None:
    for rec in (rec for rec in seeds.recommendations if not rec.baseline):
        document = seeds.document(rec.document)
        passage = quote_passage(document, rec.start, rec.end)
        assert passage.quote == document.normalized[rec.start : rec.end]
        assert passage.before + passage.quote + passage.after in document.normalized
        assert passage.start <= rec.start
        assert rec.end <= passage.end
        assert len(passage.before) <= 710
        assert len(passage.after) <= 710


def test_segments_rebuild_the_text_and_mark_every_quote(seeds: Catalog) -> None:
    for document in seeds.documents:
        paragraphs = document_segments(document, seeds.recommendations)
        segments = [segment for paragraph in paragraphs for segment in paragraph]
        assert "".join(s.text for s in segments) == document.normalized
        for rec in seeds.recommendations:
            if rec.document != document.name:
                continue
            covered = "".join(s.text for s in segments if rec.id in s.recommendation_ids)
            assert (
                covered == rec.quote.strip() or covered == document.normalized[rec.start : rec.end]
            )
