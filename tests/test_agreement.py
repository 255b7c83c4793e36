"""Agreement between the two independent scorings: the statistics and the bundled figures."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.agreement import agreement_table, measure_agreement, quadratic_kappa
from scoring.model import Catalog

from conftest import REPO_ROOT


def test_identical_ratings_have_kappa_one() -> None:
    ratings = np.array([1, 2, 3, 4, 5, 3])
    assert quadratic_kappa(ratings, ratings) == pytest.approx(1.0)


def test_quadratic_kappa_matches_a_hand_computed_example() -> None:
    # Two raters, four items: (1,1) (2,3) (3,3) (5,4). Observed disagreement, weights
    # (i-j)^2/16: (0 + 1 + 0 + 1) / 16 / 4 = 1/32. Expected from the marginals
    # A = {1,2,3,5}, B = {1,3,3,4}: mean over all 16 pairs of (a-b)^2/16 = 54/256.
    first, second = np.array([1, 2, 3, 5]), np.array([1, 3, 3, 4])
    assert quadratic_kappa(first, second) == pytest.approx(1 - (1 / 32) / (54 / 256))


def test_a_two_level_disagreement_costs_more_than_a_one_level_one() -> None:
    base = np.array([1, 2, 3, 4, 5, 1, 2, 3, 4, 5])
    near, far = base.copy(), base.copy()
    near[2], far[2] = 4, 5
    assert quadratic_kappa(base, near) > quadratic_kappa(base, far)


def test_measure_agreement_pools_every_criterion_last() -> None:
    first = {"a": {"x": 1.0, "y": 2.0}, "b": {"x": 3.0, "y": 4.0}, "c": {"x": 5.0, "y": 5.0}}
    second = {"a": {"x": 1.0, "y": 3.0}, "b": {"x": 3.0, "y": 4.0}, "c": {"x": 5.0, "y": 5.0}}
    rows = measure_agreement(first, second, ("x", "y"), ("a", "b", "c"))
    assert [row.criterion_id for row in rows] == ["x", "y", "all"]
    assert rows[0].exact == 1.0
    assert rows[1].exact == pytest.approx(2 / 3)
    assert rows[2].cells == 6


def test_every_bundled_item_was_scored_twice(catalog: Catalog) -> None:
    table = agreement_table(catalog, REPO_ROOT)
    items = len(catalog.recommendations) + len(catalog.context)
    assert f"Two independent scorings of {items} items" in table
    assert "| All criteria |" in table
