"""Altair charts drawn from the engine's result objects; nothing here computes a score.

Legibility at laptop width (about 900 px of main area at 1280 px): long titles are cut by
``labelLimit`` (full text in the tooltip), long criterion names wrap onto two or three lines
(``|`` marks the breaks, split by ``labelExpr``), legends sit below the plot, and chart
heights grow with the number of rows so labels never overlap.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from app_pages.render import short_document_name, truncate
from scoring.analysis import CriteriaCorrelation, ParetoFront, ProfileComparison, RankComparison
from scoring.model import Catalog

__all__ = [
    "bump_chart",
    "contributions_chart",
    "correlation_chart",
    "heatmap_chart",
    "parallel_chart",
    "scatter_chart",
    "wrapped",
]

ROW_HEIGHT = 24
TITLE_LIMIT_PX = 300
_WRAP = "split(datum.label, '|')"


def _sized(chart: alt.LayerChart, height: int) -> alt.LayerChart:
    """Fill the container's width; ``height`` is the plot's own, legends and axes come on top.

    (Streamlit's default autosize "fit" squeezes the plot so that legends fit the height.)
    """
    return chart.properties(
        height=height,
        width="container",
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


def wrapped(text: str, width: int = 14) -> str:
    """``text`` broken into lines of about ``width`` characters, joined by ``|``."""
    return "|".join(textwrap.wrap(text, width)) or text


def _rank_label(rank: int, title: str, limit: int = 46) -> str:
    return f"#{rank} {truncate(title, limit)}"


def contributions_chart(catalog: Catalog, comparison: RankComparison, top: int) -> alt.LayerChart:
    """Stacked bars of each criterion's weighted contribution, with the score interval."""
    ranking = comparison.ranking
    count = min(top, len(ranking))
    ids = ranking.ids[:count].tolist()
    titles = [catalog.recommendation(rec_id).title for rec_id in ids]
    labels = [_rank_label(i + 1, title) for i, title in enumerate(titles)]
    names = [c.name for c in catalog.criteria]
    contributions = ranking.contributions[:count]
    values = catalog.values[ranking.rows[:count]]
    long = pd.DataFrame(
        {
            "label": np.repeat(labels, len(names)),
            "title": np.repeat(titles, len(names)),
            "criterion": np.tile(names, count),
            "order": np.tile(np.arange(len(names)), count),
            "contribution": contributions.ravel(),
            "score": values.ravel(),
            "weight": np.tile(ranking.weights, count),
        }
    )
    near = ranking.near_tie_with_next[:count]
    exact = comparison.exact_tie_with_next[:count]
    totals = pd.DataFrame(
        {
            "label": labels,
            "title": titles,
            "total": ranking.totals[:count],
            "low": ranking.low[:count],
            "high": ranking.high[:count],
            "marker": [
                f"{total:.2f}{' =' if e else ' ≈' if n else ''}"
                for total, e, n in zip(ranking.totals[:count], exact, near, strict=True)
            ],
        }
    )
    x_max = float(min(1.0, totals["high"].max() + 0.12)) if count else 1.0
    y = alt.Y(
        "label:N",
        sort=labels,
        title=None,
        axis=alt.Axis(labelLimit=TITLE_LIMIT_PX, labelFontSize=12),
    )
    bars = (
        alt.Chart(long)
        .mark_bar(height=16)
        .encode(
            y=y,
            x=alt.X(
                "contribution:Q",
                stack="zero",
                title="Weighted score (0 = worst on every criterion, 1 = best)",
                scale=alt.Scale(domain=[0, x_max]),
            ),
            color=alt.Color(
                "criterion:N",
                sort=names,
                title=None,
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=300, symbolType="square"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("title:N", title="Recommendation"),
                alt.Tooltip("criterion:N", title="Criterion"),
                alt.Tooltip("score:Q", title="Score (1–5)"),
                alt.Tooltip("weight:Q", title="Weight", format=".0%"),
                alt.Tooltip("contribution:Q", title="Contribution", format=".3f"),
            ],
        )
    )
    interval_tooltip = [
        alt.Tooltip("title:N", title="Recommendation"),
        alt.Tooltip("total:Q", title="Score", format=".3f"),
        alt.Tooltip("low:Q", title="Lowest (every score at its worst)", format=".3f"),
        alt.Tooltip("high:Q", title="Highest (every score at its best)", format=".3f"),
    ]
    interval = (
        alt.Chart(totals)
        .mark_rule(color="#111827", strokeWidth=1.5, opacity=0.7)
        .encode(y=y, x="low:Q", x2="high:Q", tooltip=interval_tooltip)
    )
    ends = (
        alt.Chart(totals)
        .mark_tick(color="#111827", thickness=1.5, size=10)
        .encode(y=y, x="low:Q", tooltip=interval_tooltip)
    )
    ends_high = ends.encode(x="high:Q")
    text = (
        alt.Chart(totals)
        .mark_text(align="left", dx=5, fontSize=12, color="#111827")
        .encode(y=y, x="high:Q", text="marker:N", tooltip=interval_tooltip)
    )
    return _sized(alt.layer(bars, interval, ends, ends_high, text), ROW_HEIGHT * max(count, 1))


def _jitter(count: int, seed: float) -> np.ndarray:
    """Deterministic spread in -0.22..0.22 so points on the same grid cell stay visible."""
    return ((np.arange(count) * seed) % 1.0 - 0.5) * 0.44


def scatter_chart(
    catalog: Catalog, front: ParetoFront, totals: Mapping[str, float]
) -> alt.LayerChart:
    """Two criteria against each other; Pareto-efficient points ringed and joined."""
    x_criterion, y_criterion = catalog.criterion(front.x), catalog.criterion(front.y)
    recs = [catalog.recommendation(rec_id) for rec_id in front.ids]
    documents = {doc.name: short_document_name(doc) for doc in catalog.documents}
    frame = pd.DataFrame(
        {
            "title": [rec.title for rec in recs],
            "document": [documents[rec.document] for rec in recs],
            "x": front.x_values,
            "y": front.y_values,
            "jx": front.x_values + _jitter(len(recs), 0.6180339887),
            "jy": front.y_values + _jitter(len(recs), 0.7548776662),
            "score": [totals.get(rec.id, np.nan) for rec in recs],
            "efficient": front.efficient,
            "status": np.where(front.efficient, "Pareto-efficient", "dominated"),
        }
    )
    position = {rec_id: i for i, rec_id in enumerate(front.ids)}
    # The front joins the drawn points, one per distinct pair of scores.
    line = (
        frame.iloc[[position[rec_id] for rec_id in front.front_ids]]
        .drop_duplicates(subset=["x", "y"])
        .assign(step=lambda f: np.arange(len(f)))
    )

    def axis(criterion_name: str, is_cost: bool) -> dict[str, object]:
        note = " (cost: reversed, lower is better)" if is_cost else ""
        return {
            "title": f"{criterion_name}{note}",
            "scale": alt.Scale(domain=[0.5, 5.5], reverse=is_cost, nice=False),
            "axis": alt.Axis(values=[1, 2, 3, 4, 5], grid=True, titleFontSize=13),
        }

    x = alt.X("jx:Q", **axis(x_criterion.name, x_criterion.is_cost))
    y = alt.Y("jy:Q", **axis(y_criterion.name, y_criterion.is_cost))
    tooltip = [
        alt.Tooltip("title:N", title="Recommendation"),
        alt.Tooltip("document:N", title="Document"),
        alt.Tooltip("x:Q", title=x_criterion.name),
        alt.Tooltip("y:Q", title=y_criterion.name),
        alt.Tooltip("score:Q", title="Weighted score", format=".2f"),
        alt.Tooltip("status:N", title="Trade-off"),
    ]
    joined = (
        alt.Chart(line)
        .mark_line(color="#111827", strokeDash=[5, 3], strokeWidth=1.5)
        .encode(x=x, y=y, order="step:Q")
    )
    points = (
        alt.Chart(frame)
        .mark_circle(opacity=0.8)
        .encode(
            x=x,
            y=y,
            size=alt.Size(
                "score:Q",
                title="Weighted score",
                scale=alt.Scale(range=[25, 360], zero=False),
                legend=alt.Legend(orient="bottom", format=".2f", tickCount=3),
            ),
            color=alt.Color(
                "document:N",
                title="Document",
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=200),
            ),
            tooltip=tooltip,
        )
    )
    rings = (
        alt.Chart(frame[frame["efficient"]])
        .mark_point(shape="circle", filled=False, color="#111827", strokeWidth=2, size=260)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    return _sized(alt.layer(joined, points, rings), 470)


def heatmap_chart(
    catalog: Catalog,
    rows: Sequence[str],
    ranks: Mapping[str, int],
    overridden: set[tuple[str, str]],
) -> alt.LayerChart:
    """Every score (rows in the given order), coloured from worst to best per criterion."""
    recs = [catalog.recommendation(rec_id) for rec_id in rows]
    labels = [_rank_label(ranks[rec.id], rec.title) for rec in recs]
    index = [catalog.recommendation_ids.index(rec.id) for rec in recs]
    names = [wrapped(c.name, 10) for c in catalog.criteria]
    values = catalog.values[index]
    frame = pd.DataFrame(
        {
            "label": np.repeat(labels, len(names)),
            "title": np.repeat([rec.title for rec in recs], len(names)),
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
    base = alt.Chart(frame).encode(
        x=alt.X(
            "criterion:N",
            sort=names,
            title=None,
            axis=alt.Axis(
                orient="top", labelAngle=0, labelExpr=_WRAP, labelFontSize=11, labelOverlap=False
            ),
        ),
        y=alt.Y(
            "label:N",
            sort=labels,
            title=None,
            axis=alt.Axis(labelLimit=TITLE_LIMIT_PX, labelFontSize=11, labelOverlap=False),
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
    return _sized(alt.layer(cells, text), 20 * max(len(recs), 1))


def parallel_chart(catalog: Catalog, rec_ids: Sequence[str]) -> alt.LayerChart:
    """Parallel coordinates: one vertical axis per criterion, one line per recommendation.

    Each recommendation is nudged sideways a little, so that equal scores and their ranges
    (the thin bars) stay apart.
    """
    names = [wrapped(c.name + (" (cost)" if c.is_cost else ""), 12) for c in catalog.criteria]
    count = len(rec_ids)
    rows = []
    for r, rec_id in enumerate(rec_ids):
        rec = catalog.recommendation(rec_id)
        nudge = (r - (count - 1) / 2) * 0.07
        for index, criterion in enumerate(catalog.criteria):
            score = rec.scores[criterion.id]
            rows.append(
                {
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
    frame = pd.DataFrame(rows)
    order = [truncate(catalog.recommendation(rec_id).title, 70) for rec_id in rec_ids]
    x = alt.X(
        "position:Q",
        title=None,
        scale=alt.Scale(domain=[-0.4, len(names) - 0.6], nice=False, zero=False),
        axis=alt.Axis(
            values=list(range(len(names))),
            labelExpr=f"split({json.dumps(names)}[datum.value], '|')",
            labelOverlap=False,
            labelFontSize=12,
            orient="top",
            grid=True,
            gridColor="#9ca3af",
            ticks=False,
        ),
    )
    color = alt.Color(
        "recommendation:N",
        sort=order,
        title=None,
        scale=alt.Scale(scheme="tableau10"),
        legend=alt.Legend(orient="bottom", columns=1, labelLimit=700, labelFontSize=12),
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
        axis=alt.Axis(values=[1, 2, 3, 4, 5]),
    )
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2, opacity=0.85)
        .encode(x=x, y=y, color=color, detail="recommendation:N")
    )
    ranges = (
        alt.Chart(frame)
        .mark_rule(strokeWidth=4, opacity=0.35)
        .encode(x=x, y="low:Q", y2="high:Q", color=color, tooltip=tooltip)
    )
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=80, opacity=1)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    return _sized(alt.layer(ranges, lines, points), 360)


def correlation_chart(correlation: CriteriaCorrelation, catalog: Catalog) -> alt.LayerChart:
    """The criteria's correlation matrix; pairs at or above the threshold outlined."""
    names = {c.id: wrapped(c.name, 10) for c in catalog.criteria}
    full = {c.id: c.name for c in catalog.criteria}
    frame = correlation.frame()
    frame = frame.assign(
        a=frame["first"].map(names),
        b=frame["second"].map(names),
        a_name=frame["first"].map(full),
        b_name=frame["second"].map(full),
        text=[f"{rho:.2f}" if rho == rho else "–" for rho in frame["rho"]],
        flagged=(frame["rho"] >= correlation.threshold) & (frame["first"] != frame["second"]),
    )
    order = list(names.values())
    base = alt.Chart(frame).encode(
        x=alt.X(
            "a:N",
            sort=order,
            title=None,
            axis=alt.Axis(labelAngle=0, labelExpr=_WRAP, orient="top", labelOverlap=False),
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
        alt.Chart(frame[frame["flagged"]])
        .mark_rect(fill=None, stroke="#111827", strokeWidth=3)
        .encode(x=alt.X("a:N", sort=order), y=alt.Y("b:N", sort=order))
    )
    text = base.mark_text(fontSize=12).encode(
        text="text:N",
        color=alt.condition("abs(datum.rho) > 0.6", alt.value("white"), alt.value("#111827")),
    )
    return _sized(alt.layer(cells, outline, text), 430)


def bump_chart(
    catalog: Catalog,
    comparison: ProfileComparison,
    profile_names: Mapping[str, str],
    top: int,
) -> alt.LayerChart:
    """How the consensus top ``top`` rank under each profile.

    The consensus is the first column and the rows are rank slots, labelled with the
    consensus's titles, so every label sits beside its own point and none can overlap.
    Ranks below ``top`` sit on a "lower" line; the tooltip gives the exact rank.
    """
    count = min(top, len(comparison.ids))
    slots = [
        _rank_label(i + 1, catalog.recommendation(rec_id).title, 44)
        for i, rec_id in enumerate(comparison.ids[:count])
    ]
    slots += [" ", f"lower than #{count}"]
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
                    "profile": labels[profile_id],
                    "profile_name": "Consensus" if column == 0 else profile_names[profile_id],
                    "title": title,
                    "rank": rank,
                    "slot": slots[rank - 1] if rank <= count else slots[-1],
                }
            )
    frame = pd.DataFrame(rows)
    x = alt.X(
        "profile:N",
        sort=[labels[pid] for pid in columns],
        title=None,
        scale=alt.Scale(padding=0.3),
        axis=alt.Axis(labelAngle=0, labelExpr=_WRAP, orient="top", labelFontSize=12),
    )
    y = alt.Y(
        "slot:N",
        sort=slots,
        scale=alt.Scale(domain=slots),
        title=None,
        axis=alt.Axis(labelLimit=320, labelFontSize=12, ticks=False, domain=False),
    )
    tooltip = [
        alt.Tooltip("title:N", title="Recommendation"),
        alt.Tooltip("profile_name:N", title="Profile"),
        alt.Tooltip("rank:Q", title="Rank"),
    ]
    color = alt.Color("title:N", legend=None, scale=alt.Scale(scheme="tableau20"))
    lines = (
        alt.Chart(frame)
        .mark_line(strokeWidth=2, opacity=0.75)
        .encode(x=x, y=y, color=color, detail="title:N")
    )
    points = (
        alt.Chart(frame)
        .mark_circle(size=70, opacity=1)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    return _sized(alt.layer(lines, points), ROW_HEIGHT * len(slots))
