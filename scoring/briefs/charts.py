"""The brief's charts: Vega-Lite specs built from the brief's rows, rendered offline.

Specs are plain dictionaries (the engine does not import Altair; the dashboard may wrap the
same specs with ``alt.Chart.from_dict``). The ranked list's chart depends on the method, so it
never claims more than the numbers support: stacked contributions that add up to the total
(weighted sum), diverging stacked flows around zero that add up to the net flow (PROMETHEE
II), or one track per criterion beside the closeness they do *not* add up to (TOPSIS).
:func:`render_svg` and :func:`render_png` use vl-convert, which bundles Vega and its fonts and
is told to load nothing from the network.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scoring.briefs.fonts import CJK_FAMILY, register_chart_fonts
from scoring.briefs.formatting import signed_text
from scoring.methods import DEFAULT_METHOD, registry

if TYPE_CHECKING:
    from scoring.briefs.content import Perspectives, RankedRow
    from scoring.model import Catalog

__all__ = [
    "Chart",
    "contributions_chart",
    "flows_chart",
    "profile_ranks_chart",
    "render_png",
    "render_svg",
    "topsis_chart",
]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
LABEL_LIMIT = 300  # pixels of a recommendation's title beside its bar; longer ones end in "…"
PLOT_WIDTH = 280
ROW_HEIGHT = 22
# Colour-blind-safe categorical palette (Tableau 10); eight criteria fit.
PALETTE = "tableau10"
TRACK = "#e4e4e4"  # the unfilled rest of a TOPSIS criterion track: its distance to the ideal
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Chart:
    """A chart as a Vega-Lite spec (JSON text, so the brief stays immutable) and its alt text."""

    title: str
    spec_json: str
    description: str

    @property
    def spec(self) -> dict[str, Any]:
        return json.loads(self.spec_json)


def _label(rank: int, title: str) -> str:
    return f"{rank}. {_SPACES.sub(' ', title).strip()}"


def _config() -> dict[str, Any]:
    return {
        "font": f"Liberation Sans, Arial, Helvetica, {CJK_FAMILY}, sans-serif",
        "view": {"stroke": None},
        "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal"},
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 240},
        "title": {"fontSize": 13, "anchor": "start", "fontWeight": "bold"},
    }


def _names(catalog: Catalog) -> list[str]:
    return [f"{c.name} (low)" if c.is_cost else c.name for c in catalog.criteria]


def _color(names: list[str]) -> dict[str, Any]:
    return {
        "field": "criterion",
        "type": "nominal",
        "sort": names,
        "scale": {"scheme": PALETTE},
        "legend": {"orient": "bottom", "columns": 2, "title": None},
    }


def contributions_chart(
    rows: Sequence[RankedRow],
    catalog: Catalog,
    method: str = DEFAULT_METHOD,
    weights: Sequence[float] = (),
) -> Chart:
    """The ranked list's chart for ``method``: what each criterion does to each total.

    Additive methods (contributions add up to the total) get stacked bars with the total's
    range: :func:`flows_chart` when totals can be negative (PROMETHEE II), the weighted sum's
    otherwise. Others (TOPSIS): :func:`topsis_chart`, which needs the normalised ``weights``
    (criteria order).
    """
    spec = registry.get(method)
    if not spec.additive:
        return topsis_chart(rows, catalog, weights)
    if spec.score_range[0] < 0:
        return flows_chart(rows, catalog)
    return _weighted_sum_chart(rows, catalog)


def _weighted_sum_chart(rows: Sequence[RankedRow], catalog: Catalog) -> Chart:
    """Stacked bars: what each criterion contributes to each total, with the total's range."""
    first = rows[0]
    return _stacked_chart(
        rows,
        catalog,
        signed=False,
        title="What each criterion contributes to each total",
        description=(
            f"Stacked horizontal bars for the first {len(rows)} recommendations. Each bar is a "
            "total score split into what each criterion contributes (its weight times the "
            "normalised score); the black line spans the total's range. "
            f"First: {first.title}, {first.score:.2f}."
        ),
    )


def flows_chart(rows: Sequence[RankedRow], catalog: Catalog) -> Chart:
    """Diverging stacked bars of PROMETHEE II: each criterion's weighted net flow, positive
    ones right of zero and negative ones left (Vega-Lite stacks the two apart), with a tick
    at the net flow (their sum) and a line over its range."""
    first = rows[0]
    return _stacked_chart(
        rows,
        catalog,
        signed=True,
        title="What each criterion adds to or takes from each net flow",
        description=(
            f"Diverging stacked bars for the first {len(rows)} recommendations. Each segment "
            "is a criterion's weight times its own net flow: right of zero where the "
            "recommendation is preferred to the others on that criterion, left of zero where "
            "they are preferred to it. The black tick is the net flow (the segments' sum, from "
            f"−1 to +1) and the black line its range. First: {first.title}, "
            f"{signed_text(first.score)}."
        ),
    )


def _net_flow_reach(rows: Sequence[RankedRow]) -> float:
    """Half the width of a symmetric net-flow axis that just holds every bar and range.

    Net flows of a real catalog seldom leave -0.5..0.5: quarters, zero in the middle, give
    them room to be read.
    """
    extent = max(
        max(
            abs(row.low),
            abs(row.high),
            sum(abs(v) for v in row.contributions if v > 0),
            sum(abs(v) for v in row.contributions if v < 0),
        )
        for row in rows
    )
    return min(1.0, max(0.25, math.ceil(extent * 4 - 1e-9) / 4))


def _stacked_chart(
    rows: Sequence[RankedRow], catalog: Catalog, signed: bool, title: str, description: str
) -> Chart:
    """Each total as the stack of its criteria's parts, with a line over its range.

    ``signed`` (PROMETHEE II net flows): parts may be negative and stack left of zero, so a
    zero line and a tick at the total (the parts' sum) are drawn too, on a symmetric axis.
    """
    names = _names(catalog)
    labels = [_label(row.rank, row.title) for row in rows]
    parts = [
        {
            "label": label,
            "criterion": names[index],
            "order": index,
            "contribution": round(value, 4),
        }
        for label, row in zip(labels, rows, strict=True)
        for index, value in enumerate(row.contributions)
        if not signed or value != 0  # a zero flow has no side; leaving it out keeps stacks clean
    ]
    totals = [_total_entry(label, row, signed) for label, row in zip(labels, rows, strict=True)]
    y = {"field": "label", "type": "nominal", "sort": labels, "title": None}
    if signed:
        reach = _net_flow_reach(rows)
        x_scale = {"domain": [-reach, reach]}
        x_title = "Net flow (on a scale from −1, all others preferred on everything, to +1)"
        tooltip = {"field": "contribution", "format": "+.3f", "title": "Weighted flow"}
    else:
        x_scale = {"domain": [0, 1]}
        x_title = "Total score (0 = worst on every criterion, 1 = best)"
        tooltip = {"field": "contribution", "format": ".3f", "title": "Contribution"}
    bars = {
        "data": {"values": parts},
        "mark": {"type": "bar", "height": 14},
        "encoding": {
            "y": {**y, "axis": {"labelLimit": LABEL_LIMIT}},
            "x": {
                "field": "contribution",
                "type": "quantitative",
                "stack": "zero",
                "scale": x_scale,
                "title": x_title,
            },
            "color": _color(names),
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "label", "title": "Recommendation"},
                {"field": "criterion", "title": "Criterion"},
                tooltip,
            ],
        },
    }
    zero = {
        "data": {"values": [{"zero": 0}]},
        "mark": {"type": "rule", "color": "#666", "strokeWidth": 1},
        "encoding": {"x": {"field": "zero", "type": "quantitative", "scale": x_scale}},
    }
    interval = {
        "data": {"values": totals},
        "mark": {"type": "rule", "color": "#222", "strokeWidth": 1.5},
        "encoding": {
            "y": y,
            "x": {"field": "low", "type": "quantitative", "scale": x_scale},
            "x2": {"field": "high"},
        },
    }
    tick = {
        "data": {"values": totals},
        "mark": {"type": "tick", "color": "#000", "thickness": 3, "size": 18},
        "encoding": {"y": y, "x": {"field": "score", "type": "quantitative", "scale": x_scale}},
    }
    text = {
        "data": {"values": totals},
        "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 10},
        "encoding": {
            "y": y,
            "x": {"field": "right" if signed else "high", "type": "quantitative", "scale": x_scale},
            "text": {"field": "text"},
        },
    }
    spec = {
        "$schema": SCHEMA,
        "width": PLOT_WIDTH,
        "height": ROW_HEIGHT * len(rows),
        "config": _config(),
        "layer": [bars, zero, interval, tick, text] if signed else [bars, interval, text],
    }
    return Chart(
        title=title, spec_json=json.dumps(spec, ensure_ascii=False), description=description
    )


def _total_entry(label: str, row: RankedRow, signed: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "label": label,
        "score": round(row.score, 4),
        "low": round(row.low, 4),
        "high": round(row.high, 4),
    }
    if signed:
        # The label sits right of whatever reaches furthest right: the range or the bar.
        entry["right"] = round(max(row.high, sum(v for v in row.contributions if v > 0)), 4)
    entry["text"] = signed_text(row.score) if signed else f"{row.score:.2f}"
    return entry


def topsis_chart(rows: Sequence[RankedRow], catalog: Catalog, weights: Sequence[float]) -> Chart:
    """TOPSIS, honestly: per recommendation one track per criterion, as wide as its weight
    (``weights`` normalised, criteria order), filled to its weighted normalised score; the
    closeness is printed beside, not drawn as a sum of the fills, which it is not."""
    names = _names(catalog)
    labels = [_label(row.rank, row.title) for row in rows]
    weights = list(weights)
    starts = [sum(weights[:index]) for index in range(len(weights))]
    tracks, fills = [], []
    for label, row in zip(labels, rows, strict=True):
        for index, value in enumerate(row.contributions):
            if weights[index] <= 0:
                continue  # a criterion weighted 0 has no track
            start = starts[index]
            tracks.append(
                {"label": label, "start": round(start, 4), "end": round(start + weights[index], 4)}
            )
            fills.append(
                {
                    "label": label,
                    "criterion": names[index],
                    "start": round(start, 4),
                    "end": round(start + value, 4),
                    "value": round(value, 4),
                    "weight": round(weights[index], 4),
                }
            )
    totals = [
        {"label": label, "edge": 1, "text": f"{row.score:.2f}"}
        for label, row in zip(labels, rows, strict=True)
    ]
    y = {"field": "label", "type": "nominal", "sort": labels, "title": None}
    x_scale = {"domain": [0, 1]}
    spec = {
        "$schema": SCHEMA,
        "width": PLOT_WIDTH,
        "height": ROW_HEIGHT * len(rows),
        "config": _config(),
        "layer": [
            {
                "data": {"values": tracks},
                "mark": {
                    "type": "bar",
                    "height": 14,
                    "color": TRACK,
                    "stroke": "#fff",
                    "strokeWidth": 1,
                },
                "encoding": {
                    "y": {**y, "axis": {"labelLimit": LABEL_LIMIT}},
                    "x": {
                        "field": "start",
                        "type": "quantitative",
                        "scale": x_scale,
                        "title": "Track width = weight; coloured = weighted normalised "
                        "score; grey = shortfall",
                        "axis": {"labels": False, "ticks": False, "grid": False},
                    },
                    "x2": {"field": "end"},
                },
            },
            {
                "data": {"values": fills},
                "mark": {"type": "bar", "height": 14, "stroke": "#fff", "strokeWidth": 1},
                "encoding": {
                    "y": y,
                    "x": {"field": "start", "type": "quantitative", "scale": x_scale},
                    "x2": {"field": "end"},
                    "color": _color(names),
                    "tooltip": [
                        {"field": "label", "title": "Recommendation"},
                        {"field": "criterion", "title": "Criterion"},
                        {"field": "value", "format": ".3f", "title": "Weighted normalised score"},
                        {"field": "weight", "format": ".3f", "title": "Weight (full track)"},
                    ],
                },
            },
            {
                "data": {"values": totals},
                "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 10},
                "encoding": {
                    "y": y,
                    "x": {"field": "edge", "type": "quantitative", "scale": x_scale},
                    "text": {"field": "text"},
                },
            },
        ],
    }
    first = rows[0]
    description = (
        f"For the first {len(rows)} recommendations, one track per criterion, as wide as its "
        "weight: the coloured part is the weighted normalised score, the grey rest the "
        "distance to the ideal on that criterion. TOPSIS measures the straight-line distance "
        "to the ideal point (every track full) and to the anti-ideal (every track empty); the "
        "number at the right is the resulting closeness, from 0 to 1, not a sum of the "
        f"coloured parts. First: {first.title}, closeness {first.score:.2f}."
    )
    return Chart(
        title="Closeness to the ideal, and how far each criterion falls short of it",
        spec_json=json.dumps(spec, ensure_ascii=False),
        description=description,
    )


def profile_ranks_chart(perspectives: Perspectives) -> Chart:
    """Dots: each listed recommendation's rank under each profile (1 = first)."""
    # Numbered by rank under the first profile, as in the brief's other tables.
    labels = [_label(row.ranks[0], row.title) for row in perspectives.rows]
    names = [profile.name for profile in perspectives.profiles]
    points = [
        {"label": label, "profile": names[column], "rank": position}
        for label, row in zip(labels, perspectives.rows, strict=True)
        for column, position in enumerate(row.ranks)
    ]
    spans = [
        {"label": label, "best": min(row.ranks), "worst": max(row.ranks)}
        for label, row in zip(labels, perspectives.rows, strict=True)
    ]
    y = {"field": "label", "type": "nominal", "sort": labels, "title": None}
    x_scale = {"domain": [1, perspectives.count], "nice": False}
    spec = {
        "$schema": SCHEMA,
        "width": PLOT_WIDTH,
        "height": ROW_HEIGHT * len(labels),
        "config": _config(),
        "layer": [
            {
                "data": {"values": spans},
                "mark": {"type": "rule", "color": "#bbb", "strokeWidth": 2},
                "encoding": {
                    "y": y,
                    "x": {"field": "best", "type": "quantitative", "scale": x_scale},
                    "x2": {"field": "worst"},
                },
            },
            {
                "data": {"values": points},
                "mark": {"type": "point", "filled": True, "size": 70, "opacity": 0.9},
                "encoding": {
                    "y": {**y, "axis": {"labelLimit": LABEL_LIMIT}},
                    "x": {
                        "field": "rank",
                        "type": "quantitative",
                        "scale": x_scale,
                        "title": f"Rank under each profile (1 = first of {perspectives.count})",
                    },
                    "color": {
                        "field": "profile",
                        "type": "nominal",
                        "sort": names,
                        "scale": {"scheme": "dark2"},
                        "legend": {"orient": "bottom", "columns": 3, "title": None},
                    },
                },
            },
        ],
    }
    description = (
        "Dot plot: for each recommendation that some profile ranks among its first few, its "
        "rank under every chosen profile; a long grey line means the perspectives disagree."
    )
    return Chart(
        title="Where each perspective ranks the leading recommendations",
        spec_json=json.dumps(spec, ensure_ascii=False),
        description=description,
    )


def render_svg(chart: Chart) -> str:
    """The chart as a standalone SVG document (text is escaped by Vega's SVG renderer)."""
    import vl_convert

    register_chart_fonts()
    return vl_convert.vegalite_to_svg(chart.spec, allowed_base_urls=[])


def render_png(chart: Chart, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes at ``scale`` times its CSS pixel size."""
    import vl_convert

    register_chart_fonts()
    return vl_convert.vegalite_to_png(chart.spec, scale=scale, allowed_base_urls=[])
