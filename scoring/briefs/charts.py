"""The brief's charts: Vega-Lite specs built from the brief's rows, rendered offline.

Specs are plain dictionaries (the engine does not import Altair; the dashboard may wrap the
same specs with ``alt.Chart.from_dict``). :func:`render_svg` and :func:`render_png` use
vl-convert, which bundles Vega and its fonts and is told to load nothing from the network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scoring.briefs.content import Chart, Perspectives, RankedRow
    from scoring.model import Catalog

__all__ = ["contributions_chart", "profile_ranks_chart", "render_png", "render_svg"]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
LABEL_LIMIT = 300  # pixels of a recommendation's title beside its bar; longer ones end in "…"
PLOT_WIDTH = 280
ROW_HEIGHT = 22
# Colour-blind-safe categorical palette (Tableau 10); eight criteria fit.
PALETTE = "tableau10"
_SPACES = re.compile(r"\s+")


def _label(rank: int, title: str) -> str:
    return f"{rank}. {_SPACES.sub(' ', title).strip()}"


def _config() -> dict[str, Any]:
    return {
        "font": "Liberation Sans, Arial, Helvetica, sans-serif",
        "view": {"stroke": None},
        "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal"},
        "legend": {"labelFontSize": 11, "titleFontSize": 11, "labelLimit": 240},
        "title": {"fontSize": 13, "anchor": "start", "fontWeight": "bold"},
    }


def contributions_chart(rows: Sequence[RankedRow], catalog: Catalog) -> Chart:
    """Stacked bars: what each criterion contributes to each total, with the total's range."""
    from scoring.briefs.content import Chart

    names = [f"{c.name} (low)" if c.is_cost else c.name for c in catalog.criteria]
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
    ]
    totals = [
        {
            "label": label,
            "score": round(row.score, 4),
            "low": round(row.low, 4),
            "high": round(row.high, 4),
            "text": f"{row.score:.2f}",
        }
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
                "data": {"values": parts},
                "mark": {"type": "bar", "height": 14},
                "encoding": {
                    "y": {**y, "axis": {"labelLimit": LABEL_LIMIT}},
                    "x": {
                        "field": "contribution",
                        "type": "quantitative",
                        "stack": "zero",
                        "scale": x_scale,
                        "title": "Total score (0 = worst on every criterion, 1 = best)",
                    },
                    "color": {
                        "field": "criterion",
                        "type": "nominal",
                        "sort": names,
                        "scale": {"scheme": PALETTE},
                        "legend": {"orient": "bottom", "columns": 2, "title": None},
                    },
                    "order": {"field": "order", "type": "quantitative"},
                    "tooltip": [
                        {"field": "label", "title": "Recommendation"},
                        {"field": "criterion", "title": "Criterion"},
                        {"field": "contribution", "format": ".3f", "title": "Contribution"},
                    ],
                },
            },
            {
                "data": {"values": totals},
                "mark": {"type": "rule", "color": "#222", "strokeWidth": 1.5},
                "encoding": {
                    "y": y,
                    "x": {"field": "low", "type": "quantitative", "scale": x_scale},
                    "x2": {"field": "high"},
                },
            },
            {
                "data": {"values": totals},
                "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 10},
                "encoding": {
                    "y": y,
                    "x": {"field": "high", "type": "quantitative", "scale": x_scale},
                    "text": {"field": "text"},
                },
            },
        ],
    }
    first = rows[0]
    description = (
        f"Stacked horizontal bars for the first {len(rows)} recommendations. Each bar is a "
        "total score split into what each criterion contributes (its weight times the "
        "normalised score); the black line spans the total's range. "
        f"First: {first.title}, {first.score:.2f}."
    )
    return Chart(
        title="What each criterion contributes to each total",
        spec_json=json.dumps(spec, ensure_ascii=False),
        description=description,
    )


def profile_ranks_chart(perspectives: Perspectives) -> Chart:
    """Dots: each listed recommendation's rank under each profile (1 = first)."""
    from scoring.briefs.content import Chart

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

    return vl_convert.vegalite_to_svg(chart.spec, allowed_base_urls=[])


def render_png(chart: Chart, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes at ``scale`` times its CSS pixel size."""
    import vl_convert

    return vl_convert.vegalite_to_png(chart.spec, scale=scale, allowed_base_urls=[])
