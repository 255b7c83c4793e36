"""Charts of the Packages page, drawn from the engine's option-set results.

Same pattern as :mod:`app_pages.charts`: a validated Altair template per shape, cached, and
this run's data passed as an Arrow table. Nothing here computes a score; the only
arithmetic is geometry (where a radar's points and rings go).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import altair as alt
import numpy as np
import pyarrow as pa

from app_pages.caching import cached
from app_pages.charts import (  # the shared template helpers, so every chart is built alike
    DATA,
    rows_by,
    template,
    with_data,
    wrapped,
)
from app_pages.render import truncate
from scoring.model import Catalog
from scoring.option_sets import Interaction, SetComparison

__all__ = [
    "CONFLICT_COLOR",
    "SYNERGY_COLOR",
    "coverage_chart",
    "interaction_matrix",
    "membership_chart",
    "radar_chart",
]

Spec = dict[str, Any]
CONFLICT_COLOR = "#dc2626"  # red 600
SYNERGY_COLOR = "#2563eb"  # blue 600
SET_LABEL_LIMIT = 44
RADAR_SIZE = 380
RADAR_LABEL_RADIUS = 1.2
RADAR_RINGS = (0.25, 0.5, 0.75, 1.0)
RADAR_PLACES = (("left", "middle"), ("right", "middle"), ("center", "bottom"), ("center", "top"))


def _arrow(rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Rows of differing fields as one table (``from_pylist`` would keep the first row's)."""
    fields = list(dict.fromkeys(name for row in rows for name in row))
    return pa.table({name: [row.get(name) for row in rows] for name in fields})


def _set_labels(comparison: SetComparison, names: Mapping[str, str]) -> list[str]:
    """Short, distinct legend labels, in the comparison's order."""
    labels: list[str] = []
    for index, evaluation in enumerate(comparison.evaluations):
        label = truncate(names[evaluation.option_set.id], SET_LABEL_LIMIT)
        labels.append(label if label not in labels else f"{label} ({index + 1})")
    return labels


def _set_color(labels: Sequence[str], columns: int = 2) -> alt.Color:
    return alt.Color(
        "set:N",
        title=None,
        sort=list(labels),
        scale=alt.Scale(domain=list(labels), scheme="tableau10"),
        legend=alt.Legend(
            orient="bottom", columns=columns, labelLimit=360, symbolType="square", symbolOpacity=1
        ),
    )


def _criterion_label(name: str, is_cost: bool) -> str:
    return wrapped(name + (" (cost)" if is_cost else ""), 12)


# --- coverage: grouped bars ------------------------------------------------------------------


@cached(max_entries=16)
def _coverage_template(criteria: tuple[str, ...], labels: tuple[str, ...]) -> Spec:
    x = alt.X(
        "criterion:N",
        sort=list(criteria),
        title=None,
        axis=alt.Axis(
            labelAngle=0,
            labelExpr="split(datum.label, '|')",
            labelFontSize=11,
            labelOverlap=False,
            ticks=False,
        ),
    )
    offset = alt.XOffset("set:N", sort=list(labels))
    tooltip = [
        alt.Tooltip("set_name:N", title="Set"),
        alt.Tooltip("criterion_name:N", title="Criterion"),
        alt.Tooltip("weight:Q", title="Weight", format=".1%"),
        alt.Tooltip("mean:Q", title="Mean over members (0–1)", format=".2f"),
        alt.Tooltip("best:Q", title="Best member (0–1)", format=".2f"),
        alt.Tooltip("best_member:N", title="Best member"),
    ]
    y = alt.Y(
        "mean:Q",
        title="Normalised score (0 worst, 1 best)",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(values=[0, 0.25, 0.5, 0.75, 1], format=".2f"),
    )
    bars = (
        alt.Chart()
        .mark_bar(opacity=0.85)
        .encode(x=x, xOffset=offset, y=y, color=_set_color(labels), tooltip=tooltip)
    )
    best = (
        alt.Chart()
        .mark_tick(color="#111827", thickness=2.5)
        .encode(x=x, xOffset=offset, y="best:Q", tooltip=tooltip)
    )
    return template(alt.layer(bars, best), 300)


def coverage_chart(
    catalog: Catalog,
    comparison: SetComparison,
    names: Mapping[str, str],
    shares: Mapping[str, float],
) -> Spec:
    """Per criterion, one bar per set: the members' mean; a black tick: the best member."""
    labels = _set_labels(comparison, names)
    criteria = [_criterion_label(c.name, c.is_cost) for c in catalog.criteria]
    rows = [
        {
            "set": label,
            "set_name": names[evaluation.option_set.id],
            "criterion": axis_label,
            "criterion_name": criterion.name,
            "weight": shares[criterion.id],
            "mean": coverage.mean,
            "best": coverage.best,
            "best_member": catalog.recommendation(coverage.best_member).title,
        }
        for label, evaluation in zip(labels, comparison.evaluations, strict=True)
        for criterion, axis_label, coverage in zip(
            catalog.criteria, criteria, evaluation.coverage, strict=True
        )
    ]
    cached = _coverage_template(tuple(criteria), tuple(labels))
    return with_data(cached, pa.Table.from_pylist(rows))


# --- coverage: radar -------------------------------------------------------------------------


def _polar(radius: np.ndarray | float, angle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Clockwise from the top, like a clock."""
    return np.sin(angle) * radius, np.cos(angle) * radius


@cached(max_entries=16)
def _radar_template(labels: tuple[str, ...]) -> Spec:
    limit = RADAR_LABEL_RADIUS + 0.35
    scale = alt.Scale(domain=[-limit, limit], nice=False, zero=False)
    x = alt.X("x:Q", scale=scale, axis=None)
    y = alt.Y("y:Q", scale=scale, axis=None)
    grid = (
        alt.Chart()
        .transform_filter("datum.layer == 'ring'")
        .mark_line(color="#d1d5db", strokeWidth=1)
        .encode(x=x, y=y, detail="ring:N", order="order:Q")
    )
    spokes = (
        alt.Chart()
        .transform_filter("datum.layer == 'spoke'")
        .mark_rule(color="#d1d5db", strokeWidth=1)
        .encode(
            x=alt.X("x0:Q", scale=scale, axis=None),
            y=alt.Y("y0:Q", scale=scale, axis=None),
            x2="x:Q",
            y2="y:Q",
        )
    )
    ring_text = (
        alt.Chart()
        .transform_filter("datum.layer == 'ring_label'")
        .mark_text(align="left", dx=2, dy=-5, fontSize=9, color="#6b7280")
        .encode(x=x, y=y, text="text:N")
    )
    # One text layer per placement: a label right of the centre starts at its anchor, one
    # left of it ends there, the top one grows upwards and the bottom one downwards, so no
    # label runs over the plot.
    names = [
        alt.Chart()
        .transform_filter(f"datum.layer == 'label' && datum.place == '{align}-{baseline}'")
        .mark_text(fontSize=11, lineBreak="|", color="#111827", align=align, baseline=baseline)
        .encode(x=x, y=y, text="text:N")
        for align, baseline in RADAR_PLACES
    ]
    tooltip = [
        alt.Tooltip("set_name:N", title="Set"),
        alt.Tooltip("criterion_name:N", title="Criterion"),
        alt.Tooltip("mean:Q", title="Mean over members (0–1)", format=".2f"),
    ]
    shape = alt.Chart().transform_filter("datum.layer == 'set'")
    color = _set_color(labels, columns=1)
    lines = shape.mark_line(strokeWidth=2, opacity=0.9).encode(
        x=x, y=y, color=color, detail="set:N", order="order:Q"
    )
    points = shape.mark_circle(size=45, opacity=1).encode(x=x, y=y, color=color, tooltip=tooltip)
    chart = alt.layer(grid, spokes, ring_text, *names, lines, points).properties(
        data=alt.NamedData(DATA), width=RADAR_SIZE, height=RADAR_SIZE
    )
    return chart.configure_view(stroke=None).to_dict()  # validates against the schema


def radar_chart(catalog: Catalog, comparison: SetComparison, names: Mapping[str, str]) -> Spec:
    """Each set's mean coverage per criterion on a radar (0 at the centre, 1 at the edge)."""
    labels = _set_labels(comparison, names)
    count = len(catalog.criteria)
    angles = 2 * math.pi * np.arange(count) / count
    closed = np.append(angles, angles[0])  # a ring ends where it starts
    rows: list[dict[str, Any]] = []
    for ring in RADAR_RINGS:
        xs, ys = _polar(ring, closed)
        rows += [
            {"layer": "ring", "ring": ring, "order": i, "x": float(a), "y": float(b)}
            for i, (a, b) in enumerate(zip(xs, ys, strict=True))
        ]
        # Ring values half-way between the first two spokes, clear of the top label.
        between = np.array([math.pi / count])
        label_at = _polar(ring, between)
        rows.append(
            {
                "layer": "ring_label",
                "x": float(label_at[0][0]),
                "y": float(label_at[1][0]),
                "text": f"{ring:g}",
            }
        )
    ends_x, ends_y = _polar(1.0, angles)
    label_x, label_y = _polar(RADAR_LABEL_RADIUS, angles)
    for index, criterion in enumerate(catalog.criteria):
        rows.append(
            {
                "layer": "spoke",
                "x0": 0.0,
                "y0": 0.0,
                "x": float(ends_x[index]),
                "y": float(ends_y[index]),
            }
        )
        side, height = float(label_x[index]), float(label_y[index])
        if abs(side) >= 0.2:
            place = f"{'left' if side > 0 else 'right'}-middle"
        else:
            place = f"center-{'bottom' if height > 0 else 'top'}"
        rows.append(
            {
                "layer": "label",
                "x": side,
                "y": height,
                "text": _criterion_label(criterion.name, criterion.is_cost),
                "place": place,
            }
        )
    for label, evaluation in zip(labels, comparison.evaluations, strict=True):
        means = np.array([coverage.mean for coverage in evaluation.coverage])
        xs, ys = _polar(np.append(means, means[0]), closed)
        for order, (a, b) in enumerate(zip(xs, ys, strict=True)):
            rows.append(
                {
                    "layer": "set",
                    "set": label,
                    "set_name": names[evaluation.option_set.id],
                    "criterion_name": catalog.criteria[order % count].name,
                    "mean": float(means[order % count]),
                    "order": order,
                    "x": float(a),
                    "y": float(b),
                }
            )
    return with_data(_radar_template(tuple(labels)), _arrow(rows))


# --- conflicts and synergies -----------------------------------------------------------------


MATRIX_FIXED_WIDTH_PX = 520  # up to this, cells are square; beyond, the matrix fills the width


def _matrix_row_height(count: int) -> int:
    return 24 if count <= 15 else 20 if count <= 30 else 15 if count <= 60 else 12


@cached(max_entries=32)
def _matrix_template(count: int) -> Spec:
    row_height = _matrix_row_height(count)
    font = 11 if row_height >= 15 else 10
    x = alt.X(
        "col:O",
        title=None,
        axis=alt.Axis(orient="top", labelAngle=0, labelFontSize=font, labelOverlap="greedy"),
    )
    y = rows_by("label:N", "row", labelLimit=340, labelFontSize=font, labelOverlap=False)
    diagonal = (
        alt.Chart()
        .transform_filter("datum.type == 'self'")
        .mark_rect(color="#e5e7eb")
        .encode(x=x, y=y, tooltip=[alt.Tooltip("a_title:N", title="Recommendation")])
    )
    cells = (
        alt.Chart()
        .transform_filter("datum.type != 'self'")
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "type:N",
                title="Interaction",
                scale=alt.Scale(
                    domain=["conflict", "synergy"], range=[CONFLICT_COLOR, SYNERGY_COLOR]
                ),
                legend=alt.Legend(orient="top", symbolType="square"),
            ),
            opacity=alt.Opacity(
                "strength:O",
                title="Strength",
                scale=alt.Scale(domain=[1, 2, 3], range=[0.3, 0.62, 1.0]),
                legend=alt.Legend(orient="top", symbolType="square"),
            ),
            tooltip=[
                alt.Tooltip("a_title:N", title="Recommendation"),
                alt.Tooltip("b_title:N", title="and"),
                alt.Tooltip("type:N", title="Interaction"),
                alt.Tooltip("strength:Q", title="Strength (1–3)"),
                alt.Tooltip("rationale:N", title="Why"),
            ],
        )
    )
    layers = alt.layer(diagonal, cells)
    side = row_height * count
    if side > MATRIX_FIXED_WIDTH_PX:
        return template(layers, side)
    return layers.properties(
        data=alt.NamedData(DATA),
        width=side,
        height=side,
        autosize=alt.AutoSizeParams(type="pad"),  # labels and legend come on top of the plot
    ).to_dict()


def interaction_matrix(
    catalog: Catalog,
    rec_ids: Sequence[str],
    pairs: Sequence[Interaction],
    prefixes: Mapping[str, str],
) -> Spec:
    """Which of ``rec_ids`` conflict (red) or reinforce each other (blue); darker = stronger.

    Rows and columns are the recommendations in the given order, numbered; the row labels
    carry ``prefixes`` (the document) and the title, the tooltips the full titles and the
    rationale. Each pair fills both its cells, so a row reads across as one
    recommendation's conflicts and synergies. Every pair's ends must be in ``rec_ids``.
    """
    position = {rec_id: index for index, rec_id in enumerate(rec_ids)}
    titles = {rec_id: catalog.recommendation(rec_id).title for rec_id in rec_ids}
    labels = {
        rec_id: f"{index + 1} · {prefixes[rec_id]} · {truncate(titles[rec_id], 44)}"
        for rec_id, index in position.items()
    }
    rows: list[dict[str, Any]] = [
        {
            "row": index,
            "col": index + 1,
            "label": labels[rec_id],
            "type": "self",
            "strength": 0,
            "a_title": titles[rec_id],
            "b_title": "",
            "rationale": "",
        }
        for rec_id, index in position.items()
    ]
    for pair in pairs:
        for first, second in ((pair.a, pair.b), (pair.b, pair.a)):
            rows.append(
                {
                    "row": position[first],
                    "col": position[second] + 1,
                    "label": labels[first],
                    "type": pair.type,
                    "strength": pair.strength,
                    "a_title": titles[first],
                    "b_title": titles[second],
                    "rationale": pair.rationale,
                }
            )
    return with_data(_matrix_template(max(len(rec_ids), 1)), pa.Table.from_pylist(rows))


# --- the best package under each profile -----------------------------------------------------


@cached(max_entries=32)
def _membership_template(columns: tuple[str, ...], count: int) -> Spec:
    lines = max((label.count("|") + 1 for label in columns), default=1)
    x = alt.X(
        "column:N",
        sort=list(columns),
        title=None,
        scale=alt.Scale(paddingInner=0.1),
        axis=alt.Axis(
            orient="top",
            labelAngle=0,
            labelExpr="split(datum.label, '|')",
            labelFontSize=11,
            labelLineHeight=13,
            labelBaseline="top",
            labelPadding=lines * 13 + 4,  # multi-line labels stack upwards, clear of the plot
            labelOverlap=False,
            ticks=False,
            domain=False,
        ),
    )
    y = rows_by("label:N", "row", labelLimit=340, labelFontSize=11, ticks=False, domain=False)
    tooltip = [
        alt.Tooltip("title:N", title="Recommendation"),
        alt.Tooltip("weighting:N", title="Weights"),
        alt.Tooltip("status:N", title="Best package"),
        alt.Tooltip("score:Q", title="Weighted score there", format=".3f"),
    ]
    empty = (
        alt.Chart()
        .transform_filter("!datum.member")
        .mark_circle(size=20, color="#d1d5db", opacity=1)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    member = (
        alt.Chart()
        .transform_filter("datum.member")
        .mark_square(size=150, color="#111827", opacity=1)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    return template(alt.layer(empty, member), 22 * count)


def membership_chart(
    titles: Mapping[str, str],
    rec_ids: Sequence[str],
    columns: Sequence[tuple[str, str, Mapping[str, float]]],
) -> Spec:
    """Which recommendations are in the best package under each weighting.

    ``columns``: (axis label with ``|`` line breaks, full name, the package's members with
    their weighted scores), in display order; rows are ``rec_ids`` in order.
    """
    rows = [
        {
            "row": row,
            "label": truncate(titles[rec_id], 52),
            "title": titles[rec_id],
            "column": label,
            "weighting": name,
            "member": rec_id in members,
            "status": "in" if rec_id in members else "left out",
            "score": members.get(rec_id),
        }
        for row, rec_id in enumerate(rec_ids)
        for label, name, members in columns
    ]
    cached = _membership_template(tuple(label for label, _, _ in columns), max(len(rec_ids), 1))
    return with_data(cached, _arrow(rows))
