"""Charts drawn from the engine's result objects; nothing here computes a score.

Each chart is an Altair template over one named dataset (``"data"``), built and validated
against the Vega-Lite schema once per shape (number of rows, criteria, axes) and cached;
a rerun only fills in the data. Building and validating an Altair chart costs tens of
milliseconds, far more than the numbers it shows, and a weight slider must feel instant.
Pages draw the returned spec with ``st.vega_lite_chart``; the data are Arrow tables built
straight from the engine's arrays (pandas would add a conversion on every rerun). Orders
come from fields in the data (``sort`` by rank), so one template serves every weighting.

Legibility at laptop width (about 820 px of main area at 1280 px): long titles are cut by
``labelLimit`` (full text in the tooltip), long criterion names wrap onto several lines
(``|`` marks the breaks, split by ``labelExpr``), legends sit outside the plot, heights
grow with the number of rows so labels never overlap, and axes keep fixed domains (scores
0-1 or 1-5) so they do not jump while a slider moves.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import altair as alt
import numpy as np
import pyarrow as pa

from app_pages.render import document_names, truncate
from scoring.analysis import CriteriaCorrelation, ParetoFront, ProfileComparison, RankComparison
from scoring.methods import DEFAULT_METHOD, TIE_DECIMALS, method_spec, score_range
from scoring.model import Catalog
from scoring.tables import display_order

__all__ = [
    "DATA",
    "bump_chart",
    "contributions_chart",
    "correlation_chart",
    "heatmap_chart",
    "parallel_chart",
    "rank_label",
    "rows_by",
    "scatter_chart",
    "template",
    "with_data",
    "wrapped",
]

Spec = dict[str, Any]
DATA = "data"
ROW_HEIGHT = 24
TITLE_LIMIT_PX = 300
_WRAP = "split(datum.label, '|')"
# TOPSIS totals are not sums over criteria: its bar is one segment with this name.
CLOSENESS_SEGMENT = "Closeness (not a sum over criteria)"


def wrapped(text: str, width: int = 14) -> str:
    """``text`` broken into lines of about ``width`` characters, joined by ``|``."""
    return (
        "|".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text
    )


def _top_axis(labels: Sequence[str], size: int = 11, expr: str = _WRAP, **options: Any) -> alt.Axis:
    """An axis above the plot whose wrapped labels stack upwards, clear of the plot.

    Vega draws a multi-line label downwards from its anchor, so the anchor is lifted by the
    height of the longest label.
    """
    lines = max((label.count("|") + 1 for label in labels), default=1)
    return alt.Axis(
        orient="top",
        labelAngle=0,
        labelExpr=expr,
        labelFontSize=size,
        labelLineHeight=size + 2,
        labelOverlap=False,
        labelBaseline="top",
        labelPadding=lines * (size + 2) + 4,
        ticks=False,
        **options,
    )


def rank_label(rank: int, title: str, limit: int = 46) -> str:
    return f"#{rank} {truncate(title, limit)}"


def rows_by(field: str, sort: str, op: str = "min", **axis: Any) -> alt.Y:
    """An untitled y axis of ``field``'s labels, in the ascending order of ``sort``.

    ``op`` must be min, max or count where layers draw from differently filtered data: Vega
    can sort a domain unioned across data sets only by those, and otherwise falls back to the
    labels' alphabetical order ("#10" before "#2").
    """
    order = alt.EncodingSortField(field=sort, op=op, order="ascending")
    return alt.Y(field, sort=order, title=None, axis=alt.Axis(**axis))


def template(chart: alt.LayerChart, height: int) -> Spec:
    """The validated Vega-Lite spec of ``chart`` over the named dataset, filling the width.

    ``height`` is the plot's own; legends and axes come on top (Streamlit's default
    autosize "fit" would squeeze the plot to make room for them).
    """
    sized = chart.properties(
        data=alt.NamedData(DATA),
        height=height,
        width="container",
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )
    return sized.to_dict()  # validates against the Vega-Lite schema


def with_data(cached: Spec, frame: pa.Table) -> Spec:
    """The cached template with this run's data. A shallow copy is enough: Streamlit only
    adds top-level keys and patches a top-level ``encoding``, which layered specs lack."""
    assert "encoding" not in cached, "a top-level encoding would be patched in the cache"
    return {**cached, "datasets": {DATA: frame}}


# --- rankings --------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _contributions_template(
    names: tuple[str, ...], count: int, method: str, domain: tuple[float, float]
) -> Spec:
    y = rows_by("label:N", "rank", labelLimit=TITLE_LIMIT_PX, labelFontSize=12)
    interval_tooltip = [
        alt.Tooltip("title:N", title="Recommendation"),
        alt.Tooltip("total:Q", title=method_spec(method).axis_short, format=".3f"),
        alt.Tooltip("low:Q", title="Lowest (every score at its worst)", format=".3f"),
        alt.Tooltip("high:Q", title="Highest (every score at its best)", format=".3f"),
    ]
    bars = (
        alt.Chart()
        .mark_bar(height=16)
        .encode(
            y=y,
            x=alt.X(
                "contribution:Q",
                stack="zero",
                title=method_spec(method).axis_title,
                scale=alt.Scale(domain=list(domain)),
            ),
            color=alt.Color(
                "criterion:N",
                title=None,
                scale=alt.Scale(domain=list(names), scheme="tableau10"),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=300, symbolType="square"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("title:N", title="Recommendation"),
                alt.Tooltip("criterion:N", title="Criterion"),
                alt.Tooltip("score:Q", title="Score (1–5)"),
                alt.Tooltip("weight:Q", title="Weight", format=".1%"),
                alt.Tooltip("contribution:Q", title="Contribution", format=".3f"),
            ],
        )
    )
    first = alt.Chart().transform_filter("datum.order == 0")
    interval = first.mark_rule(color="#111827", strokeWidth=1.5, opacity=0.7).encode(
        y=y, x="low:Q", x2="high:Q", tooltip=interval_tooltip
    )
    low_end = first.mark_tick(color="#111827", thickness=1.5, size=10).encode(
        y=y, x="low:Q", tooltip=interval_tooltip
    )
    high_end = low_end.encode(x="high:Q")
    text = first.mark_text(align="left", dx=5, fontSize=12, color="#111827").encode(
        y=y, x="high:Q", text="marker:N", tooltip=interval_tooltip
    )
    layers = [bars, interval, low_end, high_end, text]
    if score_range(method)[0] < 0:
        # Parts stack both ways from zero, so the net flow itself gets a mark of its own.
        zero = alt.Chart().mark_rule(color="#6b7280").encode(x=alt.datum(0))
        net = first.mark_point(shape="diamond", filled=True, color="#111827", size=70).encode(
            y=y, x="total:Q", tooltip=interval_tooltip
        )
        layers = [zero, *layers, net]
    return template(alt.layer(*layers), ROW_HEIGHT * count)


def _axis_domain(method: str, low: np.ndarray, high: np.ndarray) -> tuple[float, float]:
    """The method's full range; a net flow's is narrowed symmetrically to what is drawn (in
    steps of 0.25, so the axis rarely moves), since flows seldom pass ±0.5."""
    lowest, highest = score_range(method)
    if lowest >= 0 or not len(low):
        return lowest, highest
    # 0.1 of headroom keeps the score's label beside the interval inside the plot.
    reach = max(abs(float(low.min())), float(high.max()) + 0.1, 0.25)
    reach = min(float(np.ceil(reach * 4) / 4), highest)
    return -reach, reach


def contributions_chart(catalog: Catalog, comparison: RankComparison, top: int) -> Spec:
    """Stacked bars of each criterion's weighted contribution, with the score interval.

    Weighted-sum and PROMETHEE II totals are sums of per-criterion parts (a net flow's parts
    may be negative, stacked left of zero); a TOPSIS closeness is not, so its bar is one
    segment, the closeness itself.
    """
    ranking = comparison.ranking
    count = max(1, min(top, len(ranking)))
    additive = method_spec(ranking.method).additive
    names = [c.name for c in catalog.criteria] if additive else [CLOSENESS_SEGMENT]
    m = len(names)
    # Rows as the table shows them: by competition rank, inside a tie by title (TIE_ORDER),
    # labelled "#2=" for a tie; "=" and "≈" compare each shown row with the one below it.
    shown = np.asarray(display_order(catalog, ranking), dtype=np.int64)
    rounded = np.round(ranking.totals[shown], TIE_DECIMALS)
    exact = np.append(rounded[:-1] == rounded[1:], False)[:count]
    shown = shown[:count]
    near = ranking.near_tie_with_next[shown]
    totals = ranking.totals[shown]
    titles = [catalog.recommendation(rec_id).title for rec_id in ranking.ids[shown].tolist()]
    ranks, tied = ranking.competition_ranks[shown].tolist(), ranking.tie_sizes[shown].tolist()
    labels = [
        f"#{r}{'=' if t > 1 else ''} {truncate(title, 46)}"
        for r, t, title in zip(ranks, tied, titles, strict=True)
    ]
    number = "+.2f" if score_range(ranking.method)[0] < 0 else ".2f"
    markers = [
        f"{round(float(total), TIE_DECIMALS):{number}}{' =' if e else ' ≈' if n else ''}"
        for total, e, n in zip(totals, exact, near, strict=True)
    ]
    parts = ranking.contributions[shown] if additive else totals[:, None]
    scores = catalog.values[ranking.rows[shown]] if additive else np.full((count, 1), np.nan)
    weights = ranking.weights if additive else np.array([np.nan])
    low, high = ranking.low[shown], ranking.high[shown]
    frame = pa.table(
        {
            "rank": np.repeat(np.arange(1, count + 1), m),  # the row's place: the sort key
            "label": np.repeat(labels, m),
            "title": np.repeat(titles, m),
            "criterion": np.tile(names, count),
            "order": np.tile(np.arange(m), count),
            "contribution": parts.ravel(),
            "score": scores.ravel(),
            "weight": np.tile(weights, count),
            "total": np.repeat(totals, m),
            "low": np.repeat(low, m),
            "high": np.repeat(high, m),
            "marker": np.repeat(markers, m),
        }
    )
    domain = _axis_domain(ranking.method, low, high)
    cached = _contributions_template(tuple(names), count, ranking.method, domain)
    return with_data(cached, frame)


# --- trade-offs ------------------------------------------------------------------------------


def _jitter(count: int, seed: float) -> np.ndarray:
    """Deterministic spread in -0.22..0.22 so points on the same grid cell stay visible."""
    return ((np.arange(count) * seed) % 1.0 - 0.5) * 0.44


@lru_cache(maxsize=64)
def _scatter_template(
    x_title: str,
    x_cost: bool,
    y_title: str,
    y_cost: bool,
    documents: tuple[str, ...],
    method: str = DEFAULT_METHOD,
) -> Spec:
    low, high = score_range(method)
    size_ticks = [round(low + (high - low) * share, 2) for share in (0.2, 0.4, 0.6, 0.8)]

    def axis(title: str, is_cost: bool) -> dict[str, Any]:
        note = " (cost: reversed, lower is better)" if is_cost else ""
        return {
            "title": f"{title}{note}",
            "scale": alt.Scale(domain=[0.5, 5.5], reverse=is_cost, nice=False),
            "axis": alt.Axis(values=[1, 2, 3, 4, 5], grid=True, titleFontSize=13),
        }

    x = alt.X("jx:Q", **axis(x_title, x_cost))
    y = alt.Y("jy:Q", **axis(y_title, y_cost))
    tooltip = [
        alt.Tooltip("title:N", title="Recommendation"),
        alt.Tooltip("document:N", title="Document"),
        alt.Tooltip("x:Q", title=x_title),
        alt.Tooltip("y:Q", title=y_title),
        alt.Tooltip("score:Q", title=method_spec(method).axis_short, format=".2f"),
        alt.Tooltip("status:N", title="Trade-off"),
    ]
    joined = (
        alt.Chart()
        .transform_filter("datum.step >= 0")
        .mark_line(color="#111827", strokeDash=[5, 3], strokeWidth=1.5)
        .encode(x=x, y=y, order="step:Q")
    )
    points = (
        alt.Chart()
        .mark_circle(opacity=0.8)
        .encode(
            x=x,
            y=y,
            size=alt.Size(
                "score:Q",
                title=method_spec(method).axis_short,
                scale=alt.Scale(domain=[low, high], range=[10, 420]),
                legend=alt.Legend(orient="bottom", values=size_ticks, format=".1f"),
            ),
            color=alt.Color(
                "document:N",
                title="Document",
                scale=alt.Scale(domain=list(documents), scheme="tableau10"),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=200),
            ),
            tooltip=tooltip,
        )
    )
    rings = (
        alt.Chart()
        .transform_filter("datum.efficient")
        .mark_point(shape="circle", filled=False, color="#111827", strokeWidth=2, size=260)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    return template(alt.layer(joined, points, rings), 470)


def scatter_chart(
    catalog: Catalog, front: ParetoFront, totals: Mapping[str, float], method: str = DEFAULT_METHOD
) -> Spec:
    """Two criteria against each other; Pareto-efficient points ringed and joined.

    ``totals`` (sized points) are scores under ``method``.
    """
    x_criterion, y_criterion = catalog.criterion(front.x), catalog.criterion(front.y)
    recs = [catalog.recommendation(rec_id) for rec_id in front.ids]
    documents = document_names(catalog)
    count = len(recs)
    # The front joins the drawn points along the front, one per distinct pair of scores.
    position = {rec_id: i for i, rec_id in enumerate(front.ids)}
    step = np.full(count, -1)
    seen: set[tuple[float, float]] = set()
    for rec_id in front.front_ids:
        row = position[rec_id]
        pair = (float(front.x_values[row]), float(front.y_values[row]))
        if pair not in seen:
            step[row] = len(seen)
            seen.add(pair)
    frame = pa.table(
        {
            "title": [rec.title for rec in recs],
            "document": [documents[rec.document] for rec in recs],
            "x": front.x_values,
            "y": front.y_values,
            "jx": front.x_values + _jitter(count, 0.6180339887),
            "jy": front.y_values + _jitter(count, 0.7548776662),
            "score": [totals.get(rec.id, np.nan) for rec in recs],
            "efficient": front.efficient,
            "status": np.where(front.efficient, "Pareto-efficient", "dominated"),
            "step": step,
        }
    )
    cached = _scatter_template(
        x_criterion.name,
        x_criterion.is_cost,
        y_criterion.name,
        y_criterion.is_cost,
        tuple(documents.values()),
        method,
    )
    return with_data(cached, frame)


@lru_cache(maxsize=32)
def _heatmap_template(names: tuple[str, ...], count: int) -> Spec:
    base = alt.Chart().encode(
        x=alt.X(
            "criterion:N",
            sort=list(names),
            title=None,
            axis=_top_axis(names),
        ),
        y=rows_by(
            "label:N", "row", labelLimit=TITLE_LIMIT_PX, labelFontSize=11, labelOverlap=False
        ),
        tooltip=[
            alt.Tooltip("title:N", title="Recommendation"),
            alt.Tooltip("criterion_name:N", title="Criterion"),
            alt.Tooltip("score:Q", title="Score"),
            alt.Tooltip("low:Q", title="Low"),
            alt.Tooltip("high:Q", title="High"),
        ],
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "goodness:Q",
            title="worse → better (cost criteria reversed)",
            scale=alt.Scale(scheme="blues", domain=[0, 1]),
            legend=alt.Legend(orient="top", gradientLength=220, titleLimit=400),
        )
    )
    text = base.mark_text(fontSize=11).encode(
        text="text:N",
        color=alt.condition("datum.goodness > 0.6", alt.value("white"), alt.value("#111827")),
    )
    return template(alt.layer(cells, text), 20 * count)


def heatmap_chart(
    catalog: Catalog,
    rows: Sequence[str],
    ranks: Mapping[str, int],
    overridden: set[tuple[str, str]],
) -> Spec:
    """Every score (rows in the given order), coloured from worst to best per criterion."""
    recs = [catalog.recommendation(rec_id) for rec_id in rows]
    index = [catalog.row_of(rec.id) for rec in recs]
    names = [wrapped(c.name, 10) for c in catalog.criteria]
    m, values = len(names), catalog.values[index]
    frame = pa.table(
        {
            "row": np.repeat(np.arange(len(recs)), m),
            "label": np.repeat([rank_label(ranks[rec.id], rec.title) for rec in recs], m),
            "title": np.repeat([rec.title for rec in recs], m),
            "criterion": np.tile(names, len(recs)),
            "criterion_name": np.tile([c.name for c in catalog.criteria], len(recs)),
            "score": values.ravel(),
            "goodness": catalog.normalized[index].ravel(),
            "low": catalog.low[index].ravel(),
            "high": catalog.high[index].ravel(),
            "text": [
                f"{value:g}{'✎' if (rec.id, cid) in overridden else ''}"
                for rec, row in zip(recs, values, strict=True)
                for cid, value in zip(catalog.criterion_ids, row, strict=True)
            ],
        }
    )
    return with_data(_heatmap_template(tuple(names), max(len(recs), 1)), frame)


@lru_cache(maxsize=32)
def _parallel_template(names: tuple[str, ...]) -> Spec:
    x = alt.X(
        "position:Q",
        title=None,
        scale=alt.Scale(domain=[-0.4, len(names) - 0.6], nice=False, zero=False),
        axis=_top_axis(
            names,
            size=12,
            expr=f"split({json.dumps(list(names))}[datum.value], '|')",
            values=list(range(len(names))),
            grid=True,
            gridColor="#9ca3af",
        ),
    )
    color = alt.Color(
        "recommendation:N",
        sort=alt.EncodingSortField(field="slot", order="ascending"),
        title=None,
        scale=alt.Scale(scheme="tableau10"),
        legend=alt.Legend(
            orient="bottom", columns=1, labelLimit=700, labelFontSize=12, symbolOpacity=1
        ),
    )
    tooltip = [
        alt.Tooltip("title:N", title="Recommendation"),
        alt.Tooltip("criterion:N", title="Criterion"),
        alt.Tooltip("score:Q", title="Score"),
        alt.Tooltip("low:Q", title="Low"),
        alt.Tooltip("high:Q", title="High"),
        alt.Tooltip("rationale:N", title="Rationale"),
    ]
    y = alt.Y(
        "score:Q",
        title="Score (1–5)",
        scale=alt.Scale(domain=[0.8, 5.2], nice=False),
        axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d"),
    )
    lines = (
        alt.Chart()
        .mark_line(strokeWidth=2, opacity=0.85)
        .encode(x=x, y=y, color=color, detail="recommendation:N", order="position:Q")
    )
    ranges = (
        alt.Chart()
        .mark_rule(strokeWidth=4, opacity=0.35)
        .encode(x=x, y="low:Q", y2="high:Q", color=color, tooltip=tooltip)
    )
    points = (
        alt.Chart()
        .mark_point(filled=True, size=80, opacity=1)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    return template(alt.layer(ranges, lines, points), 360)


def parallel_chart(catalog: Catalog, rec_ids: Sequence[str]) -> Spec:
    """Parallel coordinates: one vertical axis per criterion, one line per recommendation.

    Each recommendation is nudged sideways a little, so that equal scores and their ranges
    (the pale bars) stay apart.
    """
    names = [wrapped(c.name + (" (cost)" if c.is_cost else ""), 12) for c in catalog.criteria]
    count = len(rec_ids)
    rows = []
    for slot, rec_id in enumerate(rec_ids):
        rec = catalog.recommendation(rec_id)
        nudge = (slot - (count - 1) / 2) * 0.07
        for index, criterion in enumerate(catalog.criteria):
            score = rec.scores[criterion.id]
            rows.append(
                {
                    "slot": slot,
                    "recommendation": truncate(rec.title, 70),
                    "title": rec.title,
                    "position": index + nudge,
                    "criterion": criterion.name,
                    "score": score.value,
                    "low": score.low,
                    "high": score.high,
                    "rationale": score.rationale,
                }
            )
    return with_data(_parallel_template(tuple(names)), pa.Table.from_pylist(rows))


@lru_cache(maxsize=8)
def _correlation_template(names: tuple[str, ...]) -> Spec:
    order = list(names)
    base = alt.Chart().encode(
        x=alt.X(
            "a:N",
            sort=order,
            title=None,
            axis=_top_axis(names),
        ),
        y=alt.Y(
            "b:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelExpr="replace(datum.label, /[|]/g, ' ')", labelLimit=260),
        ),
        tooltip=[
            alt.Tooltip("a_name:N", title="Criterion"),
            alt.Tooltip("b_name:N", title="and"),
            alt.Tooltip("rho:Q", title="Spearman's rho", format=".2f"),
        ],
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "rho:Q",
            title="Spearman's rho",
            scale=alt.Scale(scheme="redblue", domain=[-1, 1]),
            legend=alt.Legend(orient="bottom", gradientLength=260),
        ),
    )
    outline = (
        base.transform_filter("datum.flagged")
        .mark_rect(fill=None, stroke="#111827", strokeWidth=3)
        .encode(color=alt.value(None))
    )
    text = base.mark_text(fontSize=12).encode(
        text="text:N",
        color=alt.condition("abs(datum.rho) > 0.6", alt.value("white"), alt.value("#111827")),
    )
    return template(alt.layer(cells, outline, text), 430)


def correlation_chart(correlation: CriteriaCorrelation, catalog: Catalog) -> Spec:
    """The criteria's correlation matrix; pairs at or above the threshold outlined."""
    wrapped_names = [wrapped(c.name, 10) for c in catalog.criteria]
    full = [c.name for c in catalog.criteria]
    size = len(full)
    rho = correlation.matrix.ravel()
    first, second = np.divmod(np.arange(size * size), size)
    frame = pa.table(
        {
            "a": np.array(wrapped_names)[first],
            "b": np.array(wrapped_names)[second],
            "a_name": np.array(full)[first],
            "b_name": np.array(full)[second],
            "rho": rho,
            "text": [f"{value:.2f}" if value == value else "–" for value in rho.tolist()],
            "flagged": (np.nan_to_num(rho, nan=-2.0) >= correlation.threshold) & (first != second),
        }
    )
    return with_data(_correlation_template(tuple(wrapped_names)), frame)


# --- perspectives ----------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _bump_template(columns: tuple[str, ...], slots: int) -> Spec:
    x = alt.X(
        "profile:N",
        sort=list(columns),
        title=None,
        scale=alt.Scale(padding=0.3),
        axis=_top_axis(columns, size=12),
    )
    y = rows_by("slot:N", "slot_index", labelLimit=320, labelFontSize=12, ticks=False, domain=False)
    tooltip = [
        alt.Tooltip("title:N", title="Recommendation"),
        alt.Tooltip("profile_name:N", title="Profile"),
        alt.Tooltip("rank:Q", title="Rank"),
    ]
    color = alt.Color("title:N", legend=None, scale=alt.Scale(scheme="tableau20"))
    lines = (
        alt.Chart()
        .mark_line(strokeWidth=2, opacity=0.75)
        .encode(x=x, y=y, color=color, detail="title:N", order="column:Q")
    )
    points = (
        alt.Chart().mark_circle(size=70, opacity=1).encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    return template(alt.layer(lines, points), ROW_HEIGHT * slots)


def bump_chart(
    catalog: Catalog,
    comparison: ProfileComparison,
    profile_names: Mapping[str, str],
    top: int,
) -> Spec:
    """How the consensus top ``top`` rank under each profile.

    The consensus is the first column and the rows are rank slots, labelled with the
    consensus's titles, so every label sits beside its own point and none can overlap.
    Ranks below ``top`` sit on the bottom line; the tooltip gives the exact rank.
    """
    count = min(top, len(comparison.ids))
    slots = [
        rank_label(i + 1, catalog.recommendation(rec_id).title, 44)
        for i, rec_id in enumerate(comparison.ids[:count])
    ]
    floor = f"lower than #{count}"
    columns = ["consensus", *comparison.profile_ids]
    labels = {pid: wrapped(profile_names[pid], 13) for pid in comparison.profile_ids}
    labels["consensus"] = "Consensus|(Borda)"
    rows = []
    for i, rec_id in enumerate(comparison.ids[:count]):
        title = catalog.recommendation(rec_id).title
        for column, profile_id in enumerate(columns):
            rank = i + 1 if column == 0 else int(comparison.ranks[i, column - 1])
            rows.append(
                {
                    "column": column,
                    "profile": labels[profile_id],
                    "profile_name": "Consensus" if column == 0 else profile_names[profile_id],
                    "title": title,
                    "rank": rank,
                    "slot": slots[rank - 1] if rank <= count else floor,
                    "slot_index": min(rank, count + 1),
                }
            )
    cached = _bump_template(tuple(labels[pid] for pid in columns), count + 1)
    return with_data(cached, pa.Table.from_pylist(rows))
