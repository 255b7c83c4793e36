"""The method registry: a fourth method registered at run time works everywhere it is asked.

The toy method (a weighted product, with one setting) lives in this file only: nothing in
``scoring/`` names it, so this shows that adding a method is one class and one
``register`` call.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pytest

from scoring.cli import main
from scoring.errors import Code, InputError
from scoring.methods import (
    Kernel,
    MethodBase,
    Ranking,
    Setting,
    assemble_ranking,
    check_method,
    compare_methods,
    get,
    method_spec,
    names,
    rank_by,
    register,
    registry,
)
from scoring.model import Catalog
from scoring.robustness import one_way_sensitivity, smaa

from conftest import REPO_ROOT, front_catalog

_FLOOR = Setting(
    name="floor",
    default=0.1,
    help="weighted product: the value a score at the worst end counts as",
    state_key="product_floor",
    label="Floor",
)


class _ProductKernel(Kernel):
    """exp(log(floor + (1 - floor) x) @ w): one matrix product per sample, then exp."""

    def __init__(self, matrix: np.ndarray, floor: float) -> None:
        super().__init__(matrix)
        self.floor = floor

    def parts(self, normalized: np.ndarray) -> tuple[np.ndarray, ...]:
        return (np.log(self.floor + (1.0 - self.floor) * normalized),)

    def combine(self, products: list[np.ndarray]) -> np.ndarray:
        return np.exp(products[0])


@dataclass(frozen=True)
class WeightedProduct(MethodBase):
    """A toy weighted product: a weak criterion is not bought off as easily as in a sum."""

    floor: float = 0.1

    name: ClassVar[str] = "weighted_product"
    display_name: ClassVar[str] = "Weighted product"
    inline_name: ClassVar[str] = "weighted product"
    score_name: ClassVar[str] = "Product"
    additive: ClassVar[bool] = False
    linear_in_weights: ClassVar[bool] = False
    description: ClassVar[str] = "weighted product of normalised scores"
    axis_title: ClassVar[str] = "Weighted product (0–1)"
    axis_short: ClassVar[str] = "Product"
    sensitivity_note: ClassVar[str] = "for the weighted product, on a grid"

    @classmethod
    def settings_schema(cls) -> tuple[Setting, ...]:
        return (_FLOOR,)

    def check(self, criterion_ids: object) -> None:
        if not 0 < self.floor < 1:
            raise InputError(
                Code.BAD_VALUE, self.name, "floor", "a number in (0, 1)", repr(self.floor)
            )

    def prepare(self, catalog: Catalog, rows: np.ndarray) -> Kernel:
        return _ProductKernel(catalog.normalized[rows], self.floor)

    def rank(self, catalog: Catalog, weights: np.ndarray, rows: np.ndarray) -> Ranking:
        kernel = self.prepare(catalog, rows)
        totals = kernel.scores(kernel.matrix, weights)
        low = kernel.scores(catalog.worst_normalized[rows], weights)
        high = kernel.scores(catalog.best_normalized[rows], weights)
        return assemble_ranking(catalog, weights, rows, totals, low, high, catalog.normalized, self)

    def paragraphs(self) -> tuple[str, ...]:
        return (f"Method: {self.description}.",)


@pytest.fixture
def toy() -> Iterator[type[WeightedProduct]]:
    register(WeightedProduct)
    yield WeightedProduct
    registry.unregister(WeightedProduct.name)


def test_builtins_are_registered_in_order() -> None:
    assert names() == ("weighted_sum", "topsis", "promethee_ii")
    assert [get(name).display_name for name in names()] == [
        "Weighted sum",
        "TOPSIS",
        "PROMETHEE II",
    ]


def test_an_unknown_name_is_an_error_naming_the_choices() -> None:
    with pytest.raises(InputError) as caught:
        method_spec("electre")
    assert caught.value.codes == {Code.UNKNOWN_METHOD}
    assert "weighted_sum" in caught.value.problems[0].expected


def test_a_name_or_a_setting_already_taken_is_refused(toy: type[WeightedProduct]) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register(WeightedProduct)

    @dataclass(frozen=True)
    class Clash(WeightedProduct):
        name: ClassVar[str] = "clash"

    with pytest.raises(ValueError, match="already another method's"):
        register(Clash)


def test_a_registered_method_ranks(toy: type[WeightedProduct], catalog: Catalog) -> None:
    weights = catalog.profiles["balanced"].weights
    ranking = rank_by(catalog, weights, "weighted_product")
    assert ranking.method == "weighted_product"
    assert ranking.settings == {"floor": 0.1}
    assert np.all(np.diff(np.round(ranking.totals, 12)) <= 0)
    assert np.all((ranking.low <= ranking.totals) & (ranking.totals <= ranking.high))
    assert "weighted_product" in compare_methods(catalog, weights).methods
    with pytest.raises(InputError):
        check_method(WeightedProduct(floor=2.0), catalog.criterion_ids)


def test_a_registered_method_is_usable_in_smaa_and_sensitivity(
    toy: type[WeightedProduct], catalog: Catalog
) -> None:
    weights = catalog.profiles["balanced"].weights
    result = smaa(catalog, samples=400, seed=3, method="weighted_product")
    assert result.method == "weighted_product"
    np.testing.assert_allclose(result.acceptability.sum(axis=0), 1.0)
    fixed = smaa(catalog, scores="fixed", samples=200, seed=3, method=WeightedProduct(0.2))
    assert fixed.method_settings == {"floor": 0.2}
    sentences = " ".join(result.sentences())
    assert "by Weighted product" in sentences
    sensitivity = one_way_sensitivity(catalog, weights, "weighted_product", top=2)
    assert sensitivity.first == rank_by(catalog, weights, "weighted_product").ids[0]
    assert Code.APPROXIMATE_THRESHOLDS in {notice.code for notice in sensitivity.notices}


def test_a_registered_method_is_selectable_in_the_cli(
    toy: type[WeightedProduct], capsys: pytest.CaptureFixture[str]
) -> None:
    root = ["--root", str(REPO_ROOT)]
    status = main([*root, "rank", "--method", "weighted_product", "--floor", "0.2", "--top", "3"])
    out = capsys.readouterr().out
    assert status == 0
    assert "weighted product, floor 0.2" in out
    status = main([*root, "rank", "--method", "weighted_product", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert status == 0
    assert len(data["ranking"]) == len(front_catalog().recommendations)
    status = main([*root, "smaa", "--method", "weighted_product", "--samples", "300"])
    assert status == 0
    assert "ranked by weighted product, floor 0.1" in capsys.readouterr().out
    # Its option belongs to it: given with another method, it is refused, not ignored.
    assert main([*root, "rank", "--method", "topsis", "--floor", "0.3"]) == 2
    assert "--floor is for --method weighted_product" in capsys.readouterr().err
