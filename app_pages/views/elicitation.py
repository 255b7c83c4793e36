"""Weight elicitation on the Robustness page: swing weighting, rank-order centroid, AHP.

Each method starts from the current weights (so an untouched form reproduces them), shows
the elicited weights beside the current ones, and can put them on the sidebar's sliders or
save them as a profile in the workspace. The computations are the engine's
(:mod:`scoring.elicitation`); this module only collects the judgements and draws the result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import combinations

import pandas as pd
import streamlit as st

from app_pages import sidebar
from app_pages.components import show_problems
from app_pages.render import md
from app_pages.state import View
from scoring.elicitation import (
    CONSISTENCY_LIMIT,
    AhpWeights,
    ElicitedWeights,
    ahp_weights,
    rank_order_centroid,
    swing_weights,
)
from scoring.errors import Notice, RecscoreError, ValidationError
from scoring.methods import rank
from scoring.saved_profiles import save_profile

__all__ = ["ELICIT_KEY", "elicitation", "init"]

ELICIT_KEY = "rob_elicit"
SWING_ORDER_KEY = "rob_swing_order"
ROC_ORDER_KEY = "rob_roc_order"
PERSIST = "session"  # the judgements survive tab and page switches
ELICITATION = {
    "swing": "Swing weighting",
    "roc": "Rank-order centroid",
    "ahp": "AHP pairwise comparisons",
}
# Saaty's scale as slider positions: k > 0 means the first swing matters k + 1 times as much.
AHP_POSITIONS = tuple(range(8, -9, -1))


def init(view: View) -> None:
    """Defaults once per session: the method, and every form filled from the current weights."""
    st.session_state.setdefault(ELICIT_KEY, "swing")
    if SWING_ORDER_KEY not in st.session_state:
        _start_from_weights(dict(view.shares), view.catalog.criterion_ids)


def _notices(notices: Sequence[Notice]) -> None:
    for notice in notices:
        st.info(md(notice.message), icon=":material/info:")


def _swing_key(criterion_id: str) -> str:
    return f"rob_swing_{criterion_id}"


def _ahp_key(first: str, second: str) -> str:
    return f"rob_ahp_{first}__{second}"


def _ahp_position(ratio: float) -> int:
    """The slider position nearest (on a log scale) to ``ratio``, within Saaty's 1/9..9."""
    if ratio <= 0:
        return AHP_POSITIONS[-1]
    if math.isinf(ratio):
        return AHP_POSITIONS[0]
    steps = {k: (k + 1.0 if k >= 0 else 1.0 / (1 - k)) for k in AHP_POSITIONS}
    return min(steps, key=lambda k: abs(math.log(steps[k] / ratio)))


def _ahp_ratio(position: int) -> float:
    return position + 1.0 if position >= 0 else 1.0 / (1 - position)


def _start_from_weights(shares: Mapping[str, float], criterion_ids: Sequence[str]) -> None:
    """Callback (and first visit): every elicitation starts from the current weights."""
    order = sorted(criterion_ids, key=lambda cid: -shares[cid])  # stable: ties keep catalog order
    top = max(shares.values()) or 1.0
    st.session_state[SWING_ORDER_KEY] = list(order)
    st.session_state[ROC_ORDER_KEY] = [cid for cid in order if shares[cid] > 0]
    for cid in criterion_ids:
        st.session_state[_swing_key(cid)] = round(shares[cid] / top * 100)
    for first, second in combinations(criterion_ids, 2):
        ratio = shares[first] / shares[second] if shares[second] > 0 else math.inf
        st.session_state[_ahp_key(first, second)] = _ahp_position(ratio)


def _apply(weights: Mapping[str, float], label: str) -> None:
    """Callback: put ``weights`` on the sidebar's sliders (points summing to about 100)."""
    for cid, weight in weights.items():
        st.session_state[sidebar.slider_key(cid)] = (
            round(weight * sidebar.MAX_POINTS / sidebar.STEP) * sidebar.STEP
        )
    st.session_state["flash"].append(("success", f"The {label} weights are on the sliders."))


def _save(view: View, method: str, weights: Mapping[str, float], description: str) -> None:
    """Callback: save ``weights`` as a profile and select it."""
    catalog = view.data.bundled
    errors = f"rob_save_errors_{method}"
    try:
        profile = save_profile(
            view.data.workspace.workspace,
            catalog,
            st.session_state[f"rob_save_name_{method}"],
            weights,
            st.session_state[f"rob_save_description_{method}"] or description,
            replace=st.session_state[f"rob_save_replace_{method}"],
        )
    except RecscoreError as exc:
        st.session_state[errors] = list(exc.problems) if isinstance(exc, ValidationError) else []
        if not isinstance(exc, ValidationError):
            st.session_state["flash"].append(("error", md(str(exc))))
        return
    st.session_state[errors] = []
    st.session_state[f"rob_save_name_{method}"] = ""
    st.session_state[f"rob_save_description_{method}"] = ""
    sidebar.select_profile(profile, catalog.criterion_ids)
    st.session_state["flash"].append(
        ("success", f"Saved the {ELICITATION[method].lower()} weights as “{md(profile.name)}”.")
    )


def _result(view: View, method: str, result: ElicitedWeights, description: str) -> None:
    """The elicited weights beside the current ones, what they would rank first, and the
    actions: apply to the sliders, save as a profile."""
    catalog = view.catalog
    _notices(result.notices if method != "ahp" else ())
    st.dataframe(
        pd.DataFrame(
            {
                "Criterion": [c.name for c in catalog.criteria],
                "Elicited": [result.weights[c.id] * 100 for c in catalog.criteria],
                "Current": [view.shares[c.id] * 100 for c in catalog.criteria],
            }
        ),
        hide_index=True,
        width="stretch",
        key=f"rob_result_{method}",
        column_config={
            "Criterion": st.column_config.TextColumn(width=300),
            "Elicited": st.column_config.ProgressColumn(
                "Elicited weight", min_value=0, max_value=100, format="%.1f%%"
            ),
            "Current": st.column_config.ProgressColumn(
                "Current weight", min_value=0, max_value=100, format="%.1f%%"
            ),
        },
    )
    elicited = rank(catalog, result.weights, view.include)
    current = view.comparison.ranking
    first, now = elicited.ids[0], current.ids[0]
    if first == now:
        st.markdown(
            f"Under these weights **{md(catalog.recommendation(first).title)}** stays first."
        )
    else:
        st.markdown(
            f"Under these weights **{md(catalog.recommendation(first).title)}** would be first "
            f"(now **{md(catalog.recommendation(now).title)}**, which would be "
            f"#{elicited.positions[now]})."
        )
    apply, save = st.columns([1, 2])
    apply.button(
        "Apply to the sliders",
        key=f"rob_apply_{method}",
        on_click=_apply,
        args=(dict(result.weights), ELICITATION[method].lower()),
        width="stretch",
        help="Moves the sidebar's sliders to these weights without saving a profile.",
    )
    for suffix, value in (("name", ""), ("description", ""), ("replace", False)):
        st.session_state.setdefault(f"rob_save_{suffix}_{method}", value)
    with (
        save.popover("Save as a profile", width="stretch"),
        st.form(f"rob_save_form_{method}", border=False),
    ):
        st.text_input(
            "Name", key=f"rob_save_name_{method}", placeholder="e.g. Team B, swing weights"
        )
        st.text_area(
            "Whose view is it? (optional)",
            key=f"rob_save_description_{method}",
            placeholder=description,
            height=70,
        )
        st.checkbox("Replace a saved profile of the same name", key=f"rob_save_replace_{method}")
        st.form_submit_button(
            "Save profile",
            on_click=_save,
            args=(view, method, dict(result.weights), description),
            type="primary",
        )
    if st.session_state.get(f"rob_save_errors_{method}"):
        show_problems(st.session_state[f"rob_save_errors_{method}"], "Nothing was saved:")


def _order_picker(label: str, names: Mapping[str, str], key: str) -> None:
    """A multiselect that orders the criteria (ids in ``names``' order, shown by name)."""
    st.multiselect(
        label, list(names), format_func=names.__getitem__, key=key, persist_state=PERSIST
    )


def _swing(view: View) -> None:
    catalog = view.catalog
    names = {c.id: c.name for c in catalog.criteria}
    st.markdown(
        "**1. Order the swings.** Picture every criterion at its worst level. Which one would "
        "you most want to move to its best level? Which next? List them, most valuable first."
    )
    _order_picker("Swings, most valuable first", names, SWING_ORDER_KEY)
    order = list(st.session_state[SWING_ORDER_KEY])
    rest = [cid for cid in catalog.criterion_ids if cid not in order]
    st.markdown(
        "**2. Rate each swing** against the first at 100: a swing worth half as much gets 50, "
        "one that does not matter 0. Ratings may not rise along the order."
    )
    ratings: dict[str, float] = {}
    columns = st.columns(2)
    for position, cid in enumerate(order + rest):
        column = columns[position % 2]
        if position == 0 and order:
            column.markdown(f"1\\. **{md(names[cid])}** — 100 (the reference)")
            ratings[cid] = 100.0
            continue
        label = f"{position + 1}. {names[cid]}" if cid in order else f"{names[cid]} (not ordered)"
        ratings[cid] = float(
            column.slider(label, 0, 100, step=1, key=_swing_key(cid), persist_state=PERSIST)
        )
    try:
        result = swing_weights(ratings, catalog.criterion_ids, order or None)
    except ValidationError as exc:
        show_problems(exc.problems, "These ratings cannot give weights yet:")
        return
    st.markdown("**3. The weights:** each rating divided by the sum of the ratings.")
    _result(view, "swing", result, "Swing weights elicited on the Robustness page.")


def _roc(view: View) -> None:
    catalog = view.catalog
    names = {c.id: c.name for c in catalog.criteria}
    st.markdown(
        "Only an order is needed: list the criteria from most to least important. The weights "
        "are the centre of all weightings with that order (Barron and Barrett 1996): with n "
        "criteria, the i-th gets (1/n)(1/i + 1/(i+1) + … + 1/n). Criteria left out get 0."
    )
    _order_picker("Criteria, most important first", names, ROC_ORDER_KEY)
    try:
        result = rank_order_centroid(st.session_state[ROC_ORDER_KEY], catalog.criterion_ids)
    except ValidationError as exc:
        show_problems(exc.problems, "This order cannot give weights yet:")
        return
    _result(view, "roc", result, "Rank-order centroid weights elicited on the Robustness page.")


def _ratio_words(first: str, second: str, ratio: float) -> str:
    """A ratio of two swings in words, larger first: "**Leverage** matters 3 times as much"."""
    if math.isclose(ratio, 1.0, rel_tol=0.05):
        return "both matter about the same"
    name, times = (first, ratio) if ratio > 1 else (second, 1 / ratio)
    return f"**{md(name)}** matters {times:.2g} times as much"


def _ahp(view: View) -> None:
    catalog = view.catalog
    ids = catalog.criterion_ids
    names = {c.id: c.name for c in catalog.criteria}
    pairs = list(combinations(ids, 2))
    judgements = {(a, b): _ahp_ratio(int(st.session_state[_ahp_key(a, b)])) for a, b in pairs}
    try:
        result = ahp_weights(judgements, ids)
    except ValidationError as exc:  # pragma: no cover - the sliders offer only valid ratios
        show_problems(exc.problems, "These judgements cannot give weights:")
        return
    assert isinstance(result, AhpWeights)
    worst = (
        {(j.first, j.second) for j in result.most_inconsistent} if not result.consistent else set()
    )
    st.markdown(
        "For each pair, how many times more does moving the first criterion from its worst to "
        "its best level matter than the same move on the second? Saaty's scale: 1 equal, "
        "3 moderately, 5 strongly, 7 very strongly, 9 extremely more."
    )
    cr = result.consistency_ratio
    left, middle, right = st.columns(3)
    left.metric(
        "Consistency ratio",
        "–" if math.isnan(cr) else f"{cr:.3f}",
        help="Saaty's CR = CI / RI; above 0.10 the judgements contradict each other.",
    )
    middle.metric(
        "λ max", f"{result.lambda_max:.3f}", help=f"For {len(ids)} criteria, at least {len(ids)}."
    )
    right.metric("Consistency index", f"{result.consistency_index:.3f}")
    if not result.consistent:
        lines = [
            f"- {md(names[j.first])} against {md(names[j.second])}: you said "
            f"{_ratio_words(names[j.first], names[j.second], j.given)}; the other judgements "
            f"imply {_ratio_words(names[j.first], names[j.second], j.implied)}"
            for j in result.most_inconsistent
        ]
        st.warning(
            f"**Consistency ratio {cr:.2f} is above {CONSISTENCY_LIMIT:.2f}:** the judgements "
            "contradict each other, so the weights below are unreliable. Revisit first (marked ⚠ "
            "below):\n\n" + "\n".join(lines)
        )
    else:
        st.success(
            f"Consistency ratio {cr:.2f} is within Saaty's limit of {CONSISTENCY_LIMIT:.2f}.",
            icon=":material/check:",
        )
    with st.expander(f"The {len(pairs)} judgements", expanded=True):
        columns = st.columns(2)
        for index, (a, b) in enumerate(pairs):
            mark = "⚠ " if (a, b) in worst else ""
            short_a, short_b = _short(names[a]), _short(names[b])

            def label(k: int, short_a: str = short_a, short_b: str = short_b) -> str:
                if k == 0:
                    return "equal"
                return f"{short_a} {k + 1}×" if k > 0 else f"{short_b} {1 - k}×"

            columns[index % 2].select_slider(
                f"{mark}{names[a]} · vs · {names[b]}",
                options=AHP_POSITIONS,
                format_func=label,
                key=_ahp_key(a, b),
                persist_state=PERSIST,
            )
    description = (
        f"AHP weights elicited on the Robustness page (consistency ratio {cr:.2f})."
        if not math.isnan(cr)
        else "AHP weights elicited on the Robustness page."
    )
    st.markdown("**The weights** (principal eigenvector of the comparison matrix):")
    _result(view, "ahp", result, description)


def _short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def elicitation(view: View) -> None:
    st.caption(
        "Three ways to arrive at weights besides the sliders. Each starts from the current "
        "weights; apply the result to the sliders or save it as a profile."
    )
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.radio(
        "Method",
        list(ELICITATION),
        format_func=ELICITATION.__getitem__,
        horizontal=True,
        key=ELICIT_KEY,
        persist_state=PERSIST,
    )
    right.button(
        "Reset to the current weights",
        on_click=_start_from_weights,
        args=(dict(view.shares), view.catalog.criterion_ids),
        width="stretch",
    )
    {"swing": _swing, "roc": _roc, "ahp": _ahp}[st.session_state[ELICIT_KEY]](view)
