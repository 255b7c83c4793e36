"""Charts for the Robustness page, drawn from the engine's result objects.

Same approach as :mod:`app_pages.charts`: an Altair template per shape, validated once and
cached, filled with an Arrow table on every rerun, so a weight change costs only the data.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pyarrow as pa

from app_pages.caching import cached
from app_pages.charts import (
    ROW_HEIGHT,
    TITLE_LIMIT_PX,
    Spec,
    rank_label,
    rows_by,
    template,
    with_data,
)
from app_pages.render import truncate
from scoring.robustness import Sensitivity, SmaaResult

__all__ = ["COLORED_LINES", "acceptability_chart", "sensitivity_chart"]

COLORED_LINES = 10  # the first ten recommendations get a colour and a legend entry; the rest grey
OTHERS_COLOR = "#c4c8cf"
BAND_COLOR = "#16a34a"
# Rank 1 darkest; "later than the last shown rank" grey.
RANK_COLORS = ("#08306b", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef")
LATER_COLOR = "#e5e7eb"


# --- one-way sensitivity ---------------------------------------------------------------------


@cached(max_entries=16)
def _sensitivity_template(x_title: str, y_title: str) -> Spec:
    x = alt.X(
        "weight:Q",
        title=x_title,
        scale=alt.Scale(domain=[0, 1], nice=False),
        axis=alt.Axis(format=".0%", titleFontSize=13, labelFontSize=12),
    )
    y = alt.Y(
        "score:Q",
        title=y_title,
        # Fitted to the lines, not the method's full range: near lines must stay apart. The
        # domain changes only with the criterion or method, not while the chart is read.
        scale=alt.Scale(zero=False, nice=True),
        axis=alt.Axis(titleFontSize=13, labelFontSize=12),
    )
    tooltip = [
        alt.Tooltip("title:N", title="Recommendation"),
        alt.Tooltip("rank_now:Q", title="Rank now"),
        alt.Tooltip("weight:Q", title="Weight", format=".1%"),
        alt.Tooltip("score:Q", title="Score", format=".3f"),
        alt.Tooltip("rank:Q", title="Rank at this weight"),
    ]
    band = (
        alt.Chart()
        .transform_filter("datum.marker")
        .mark_rect(color=BAND_COLOR, opacity=0.10)
        .encode(
            x="first_from:Q",
            x2="first_to:Q",
            tooltip=[alt.Tooltip("band:N", title="Where first place holds")],
        )
    )
    others = (
        alt.Chart()
        .transform_filter(f"datum.rank_now > {COLORED_LINES}")
        .mark_line(color=OTHERS_COLOR, strokeWidth=1, opacity=0.8)
        .encode(x=x, y=y, detail="id:N", tooltip=tooltip)
    )
    colored = (
        alt.Chart()
        .transform_filter(f"datum.rank_now <= {COLORED_LINES}")
        .mark_line(strokeWidth=2.2)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "label:N",
                title=None,
                sort=alt.EncodingSortField(field="rank_now", op="min", order="ascending"),
                scale=alt.Scale(scheme="tableau10"),
                legend=alt.Legend(
                    orient="bottom",
                    columns=2,
                    labelLimit=390,
                    labelFontSize=12,
                    symbolType="stroke",
                ),
            ),
            detail="id:N",
            tooltip=tooltip,
        )
    )
    now = (
        alt.Chart()
        .transform_filter("datum.marker")
        .mark_rule(color="#111827", strokeDash=[5, 3], strokeWidth=1.5)
        .encode(x="now:Q", tooltip=[alt.Tooltip("now:Q", title="Current weight", format=".1%")])
    )
    now_label = (
        alt.Chart()
        .transform_filter("datum.marker")
        .mark_text(align="left", dx=4, dy=-6, fontSize=12, color="#111827")
        .encode(x="now:Q", y=alt.value(0), text="now_text:N")
    )
    return template(alt.layer(band, others, colored, now, now_label), 380)


def sensitivity_chart(result: Sensitivity, criterion: str, top: int, y_title: str) -> Spec:
    """Each of the ``top`` recommendations' scores as ``criterion``'s weight sweeps 0..1.

    The band marks the weights within which the current first place holds; the dashed line
    is the current weight. Lines after the first ten are grey, without a legend entry.
    """
    k = result.criterion_ids.index(criterion)
    interval = result.intervals[k]
    shown = min(top, len(result.ids))
    points = len(result.grid)
    titles = result.titles[:shown]
    labels = [rank_label(i + 1, title, 52) for i, title in enumerate(titles)]
    marker = np.zeros(points * shown, dtype=bool)
    marker[0] = True
    band = (
        f"{truncate(result.titles[0], 60)} is first from {interval.low:.1%} to {interval.high:.1%}"
    )
    frame = pa.table(
        {
            "weight": np.tile(result.grid, shown),
            "score": result.scores[k, :, :shown].T.ravel(),
            "rank": result.ranks[k, :, :shown].T.ravel(),
            "id": np.repeat(result.ids[:shown], points),
            "title": np.repeat(titles, points),
            "label": np.repeat(labels, points),
            "rank_now": np.repeat(np.arange(1, shown + 1), points),
            "marker": marker,
            "now": np.full(points * shown, interval.weight),
            "now_text": np.full(points * shown, f"now {interval.weight:.1%}"),
            "first_from": np.full(points * shown, interval.low),
            "first_to": np.full(points * shown, interval.high),
            "band": np.full(points * shown, band),
        }
    )
    x_title = f"Weight of {interval.name} (share of the total; the others rescaled in proportion)"
    return with_data(_sensitivity_template(x_title, y_title), frame)


# --- SMAA ------------------------------------------------------------------------------------


@cached(max_entries=16)
def _acceptability_template(ranks: tuple[str, ...], count: int) -> Spec:
    colors = [*RANK_COLORS[: len(ranks) - 1], LATER_COLOR]
    y = rows_by("label:N", "order", op="min", labelLimit=TITLE_LIMIT_PX + 40, labelFontSize=12)
    tooltip = [
        alt.Tooltip("title:N", title="Recommendation"),
        alt.Tooltip("rank_text:N", title="Rank"),
        alt.Tooltip("acceptability:Q", title="Share of samples", format=".1%"),
    ]
    bars = (
        alt.Chart()
        .mark_bar(height=18)
        .encode(
            y=y,
            x=alt.X(
                "acceptability:Q",
                stack="zero",
                title="Share of samples (rank acceptability)",
                scale=alt.Scale(domain=[0, 1], nice=False),
                axis=alt.Axis(format=".0%", titleFontSize=13),
            ),
            color=alt.Color(
                "rank:N",
                title="Rank",
                scale=alt.Scale(domain=list(ranks), range=colors),
                legend=alt.Legend(orient="top", direction="horizontal", symbolType="square"),
            ),
            order=alt.Order("slot:Q"),
            tooltip=tooltip,
        )
    )
    # The same rows as the bars (no filter), so both layers share the y sort; only rank 1's
    # row carries a text.
    text = (
        alt.Chart()
        .mark_text(align="left", dx=4, color="white", fontSize=11, fontWeight="bold")
        .encode(y=y, x=alt.value(0), text="first_text:N")
    )
    return template(alt.layer(bars, text), max(ROW_HEIGHT + 4, 28) * count)


def acceptability_chart(result: SmaaResult, top: int, ranks: int = 5) -> Spec:
    """Stacked rank-acceptability bars: per recommendation, the share of samples at rank 1,
    2, ... ``ranks`` and later (grey), in SMAA order. Rank 1's share is written in its bar."""
    frame = result.acceptability_frame(top=top, ranks=ranks)
    labels = list(dict.fromkeys(frame["rank"].tolist()))
    count = len(frame) // len(labels)
    slots = np.tile(np.arange(len(labels)), count)
    order = np.repeat(np.arange(1, count + 1), len(labels))
    titles = frame["title"].tolist()
    table = pa.table(
        {
            "order": order,
            "label": [rank_label(o, t, 50) for o, t in zip(order.tolist(), titles, strict=True)],
            "title": titles,
            "rank": frame["rank"].tolist(),
            "rank_text": [
                f"later than {label[1:]}" if label.startswith(">") else label
                for label in frame["rank"].tolist()
            ],
            "slot": slots,
            "acceptability": frame["acceptability"].to_numpy(),
            "first_text": [
                f"{share:.0%}" if slot == 0 and share >= 0.06 else ""
                for slot, share in zip(slots.tolist(), frame["acceptability"].tolist(), strict=True)
            ],
        }
    )
    return with_data(_acceptability_template(tuple(labels), count), table)
