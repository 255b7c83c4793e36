"""Dashboard charts: the specs say what the engine says, and render in rank order."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
import vl_convert

from app_pages import charts
from scoring.analysis import compare_to_reference, pareto_front
from scoring.methods import PrometheeII, Topsis, WeightedSum
from scoring.model import Catalog
from scoring.tables import display_order


def _records(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["datasets"][charts.DATA].to_pylist()


def _label_order(spec: dict[str, Any]) -> list[int]:
    """The ranks of the y-axis labels, top to bottom, as Vega actually draws them."""
    plain = {**spec, "datasets": {charts.DATA: _records(spec)}, "width": 800}
    svg = vl_convert.vegalite_to_svg(plain)
    labels = re.findall(r'transform="translate\([-\d.]+,([-\d.]+)\)"[^>]*>#(\d+)=? ', svg)
    return [int(rank) for _, rank in sorted(labels, key=lambda pair: float(pair[0]))]


def _sorts(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node["sort"]] if isinstance(node.get("sort"), dict) else []
        return found + [s for value in node.values() for s in _sorts(value)]
    if isinstance(node, list):
        return [s for value in node for s in _sorts(value)]
    return []


@pytest.mark.parametrize("method", [WeightedSum(), Topsis(), PrometheeII()])
def test_contributions_chart_draws_rows_in_rank_order(catalog: Catalog, method) -> None:
    weights = catalog.profiles["balanced"].weights
    comparison = compare_to_reference(catalog, weights, weights, method=method)
    spec = charts.contributions_chart(catalog, comparison, 12)
    # Vega sorts a domain unioned across filtered layers only by min, max or count; any
    # other op silently falls back to alphabetical order ("#10" above "#2").
    assert all(sort.get("op") in ("min", "max", "count") for sort in _sorts(spec))
    # Competition ranks ("#2=" for a tie) top to bottom, as the table shows them.
    ranking = comparison.ranking
    shown = display_order(catalog, ranking)[:12]
    assert _label_order(spec) == [int(ranking.competition_ranks[i]) for i in shown]


def test_contributions_add_up_where_the_method_is_additive(catalog: Catalog) -> None:
    weights = {**catalog.profiles["balanced"].weights, "human_rights": 40}
    for method in (WeightedSum(), PrometheeII()):
        comparison = compare_to_reference(catalog, weights, weights, method=method)
        rows = _records(charts.contributions_chart(catalog, comparison, 10))
        sums: dict[int, float] = {}
        for row in rows:
            sums[row["rank"]] = sums.get(row["rank"], 0.0) + row["contribution"]
        totals = comparison.ranking.totals[:10]
        assert list(sums.values()) == pytest.approx(totals.tolist())


def test_topsis_bar_is_the_closeness_alone(catalog: Catalog) -> None:
    weights = catalog.profiles["pressure"].weights
    comparison = compare_to_reference(catalog, weights, weights, method=Topsis())
    rows = _records(charts.contributions_chart(catalog, comparison, 5))
    assert [row["criterion"] for row in rows] == [charts.CLOSENESS_SEGMENT] * 5
    assert [row["contribution"] for row in rows] == comparison.ranking.totals[:5].tolist()


def test_net_flow_axis_is_symmetric_and_holds_every_interval(catalog: Catalog) -> None:
    weights = catalog.profiles["engagement"].weights
    comparison = compare_to_reference(catalog, weights, weights, method=PrometheeII())
    spec = charts.contributions_chart(catalog, comparison, 90)
    [domain] = [
        layer["encoding"]["x"]["scale"]["domain"]
        for layer in spec["layer"]
        if "scale" in layer.get("encoding", {}).get("x", {})
    ]
    low, high = domain
    assert low == -high
    assert high <= 1
    ranking = comparison.ranking
    assert low <= ranking.low.min()
    assert ranking.high.max() < high


def test_scatter_sizes_points_on_the_methods_scale(catalog: Catalog) -> None:

    front = pareto_front(catalog, "leverage", "buy_in")
    totals = dict.fromkeys(catalog.recommendation_ids, -0.2)
    spec = charts.scatter_chart(catalog, front, totals, "promethee_ii")
    sizes = [
        layer["encoding"]["size"] for layer in spec["layer"] if "size" in layer.get("encoding", {})
    ]
    assert sizes[0]["scale"]["domain"] == [-1.0, 1.0]
    assert sizes[0]["title"] == PrometheeII.axis_short
    assert np.isclose(min(sizes[0]["legend"]["values"]), -0.6)
