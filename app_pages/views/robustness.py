"""Robustness: elicit weights, compare methods, set safeguards, and see how much the ranking
depends on the weights (one-way sensitivity) and on everything uncertain at once (SMAA-2).

Weight elicitation lives in :mod:`app_pages.views.elicitation`. Only the open tab is
drawn. Every engine call is cached by its inputs (the catalog's scores, the weights, the
method's settings, the recommendations in play), so a weight change reruns only what the
weights feed. SMAA's inputs are the weight *constraints*, not the weights: with uniform
weights or an order of criteria, moving a slider that keeps the order costs nothing.

Page-local widgets carry the ``rob_`` prefix and keep their values for the session
(``persist_state``): a safeguard set on one tab applies on every other.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app_pages import charts_robustness
from app_pages.render import md, percent, show_failure, show_problems, stop_if_none_shown
from app_pages.state import View, current_view, method_from_session
from app_pages.views import elicitation
from scoring.errors import Notice, RecscoreError, ValidationError
from scoring.methods import (
    METHOD_NAMES,
    MethodComparison,
    MethodSpec,
    Ranking,
    Setting,
    check_method,
    compare_methods,
    get,
    method_spec,
    names,
    rank_by,
)
from scoring.model import Catalog
from scoring.robustness import (
    DEFAULT_SAMPLES,
    Safeguards,
    Screening,
    Sensitivity,
    SmaaResult,
    WeightConstraints,
    constraints_from_profile,
    one_way_sensitivity,
    screen,
    smaa,
)

TAB_KEY = "rob_tab"
TABS = ("Weight elicitation", "Methods", "Safeguards", "Sensitivity", "SMAA")
SENS_CRITERION_KEY = "rob_sens_criterion"
SENS_TOP_KEY = "rob_sens_top"
SMAA_SAMPLES_KEY = "rob_smaa_samples"
SMAA_SEED_KEY = "rob_smaa_seed"
SMAA_SCORES_KEY = "rob_smaa_scores"
SMAA_WEIGHTS_KEY = "rob_smaa_weights"
SMAA_TOP_KEY = "rob_smaa_top"
PERSIST = "session"  # page-local values survive tab and page switches

NO_LEVEL = 0.0  # the level pickers' "none": a selectbox shows None as an empty placeholder
LEVELS = (NO_LEVEL, 1.0, 2.0, 3.0, 4.0, 5.0)
SMAA_SCORES = {
    "uniform": "Uniform within each score's range",
    "triangular": "Triangular, peaking at the value",
    "fixed": "Fixed at the values (weights vary only)",
}
SMAA_WEIGHTS = {
    "uniform": "Uniform: no preference information",
    "order": "Keep the order of the current weights",
    "fixed": "Fixed at the current weights (scores vary only)",
}
SMAA_MAX_SAMPLES = 200_000  # about 10 s; the engine itself allows up to 1,000,000
SENTENCES_SHOWN = 5


# --- inputs from the session -----------------------------------------------------------------


def _catalog_key(catalog: Catalog) -> str:
    """What the cached results depend on in a catalog: criteria, directions, ids, titles and
    every score (microseconds for hundreds of recommendations)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(
        repr(
            (
                catalog.criterion_ids,
                catalog.cost_mask.tolist(),
                catalog.recommendation_ids,
                [rec.title for rec in catalog.recommendations],
            )
        ).encode()
    )
    for array in (catalog.values, catalog.low, catalog.high):
        digest.update(array.tobytes())
    return digest.hexdigest()


def _weights(view: View) -> tuple[tuple[str, float], ...]:
    return tuple((cid, float(view.weights.get(cid, 0.0))) for cid in view.catalog.criterion_ids)


def _all_methods(view: View) -> tuple[MethodSpec, ...]:
    """Every method, each with the settings chosen here (the chosen method as it ranks)."""
    chosen = view.method_spec
    return tuple(chosen if name == chosen.name else method_from_session(name) for name in names())


def _min_key(criterion_id: str) -> str:
    return f"rob_min_{criterion_id}"


def _veto_key(criterion_id: str) -> str:
    return f"rob_veto_{criterion_id}"


def _safeguards(catalog: Catalog) -> Safeguards:
    ids = catalog.criterion_ids
    minimums = {cid: st.session_state.get(_min_key(cid)) for cid in ids}
    vetoes = {cid: st.session_state.get(_veto_key(cid)) for cid in ids}
    return Safeguards(
        minimums={cid: float(v) for cid, v in minimums.items() if v and v != NO_LEVEL},
        vetoes={cid: float(v) for cid, v in vetoes.items() if v and v != NO_LEVEL},
    )


def _in_play(view: View, screening: Screening) -> tuple[str, ...] | None:
    """The recommendations every section ranks: the sidebar's filters, then the safeguards."""
    if not screening.failed:
        return view.include
    passed = set(screening.passed)
    pool = view.catalog.recommendation_ids if view.include is None else view.include
    return tuple(rec_id for rec_id in pool if rec_id in passed)


def _init(view: View) -> None:
    """Page-local defaults, set once per session (``setdefault``)."""
    catalog = view.catalog
    defaults: dict[str, object] = {
        TAB_KEY: TABS[0],
        SENS_TOP_KEY: min(10, len(catalog.recommendations)),
        SMAA_SAMPLES_KEY: DEFAULT_SAMPLES,
        SMAA_SEED_KEY: 0,
        SMAA_SCORES_KEY: "uniform",
        SMAA_WEIGHTS_KEY: "uniform",
        SMAA_TOP_KEY: min(10, len(catalog.recommendations)),
        **{_min_key(cid): NO_LEVEL for cid in catalog.criterion_ids},
        **{_veto_key(cid): NO_LEVEL for cid in catalog.criterion_ids},
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    elicitation.init(view)


# --- cached engine calls ---------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def _screen(_catalog: Catalog, catalog_key: str, safeguards: Safeguards) -> Screening:
    return screen(_catalog, safeguards, source="safeguards")


@st.cache_data(show_spinner=False, max_entries=64)
def _rank(
    _catalog: Catalog,
    catalog_key: str,
    weights: tuple[tuple[str, float], ...],
    method: MethodSpec,
    include: tuple[str, ...] | None,
) -> Ranking:
    return rank_by(_catalog, dict(weights), method, include)


@st.cache_data(show_spinner=False, max_entries=64)
def _compare(
    _catalog: Catalog,
    catalog_key: str,
    weights: tuple[tuple[str, float], ...],
    methods: tuple[MethodSpec, ...],
    include: tuple[str, ...] | None,
) -> tuple[MethodComparison, pd.DataFrame]:
    comparison = compare_methods(_catalog, dict(weights), methods, include)
    return comparison, comparison.tau_frame()


@st.cache_data(show_spinner=False, max_entries=64)
def _sensitivity(
    _catalog: Catalog,
    catalog_key: str,
    weights: tuple[tuple[str, float], ...],
    method: MethodSpec,
    include: tuple[str, ...] | None,
) -> Sensitivity:
    return one_way_sensitivity(_catalog, dict(weights), method, include, top=SENTENCES_SHOWN)


@st.cache_data(show_spinner="Sampling weights and scores…", max_entries=32)
def _smaa(
    _catalog: Catalog,
    catalog_key: str,
    constraints: WeightConstraints,
    scores: str,
    samples: int,
    seed: int,
    include: tuple[str, ...] | None,
    method: MethodSpec,
) -> SmaaResult:
    return smaa(_catalog, constraints, scores, samples, seed, include, method=method)


# --- top of the page: method and settings ----------------------------------------------------


def _method_controls(view: View) -> None:
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown(
        f"Aggregation method: **{view.method_spec.display_name}** (chosen in the sidebar; its "
        "settings here apply on every page)."
    )
    for name in names():
        spec = method_from_session(name)
        try:
            check_method(spec, view.catalog.criterion_ids)
        except RecscoreError as exc:
            _error(
                exc,
                f"These {spec.display_name} settings are not valid; every page ranks with "
                "its default settings until they are fixed:",
            )
    with right.popover("Method settings", width="stretch"):
        for name in names():
            method = get(name)
            if method.settings_schema():
                st.markdown(method.explanation)
                _setting_widgets(method.settings_schema())


def _setting_widgets(schema: Sequence[Setting]) -> None:
    """One widget per setting, keyed by its shared session key; numbers side by side."""
    numbers = [setting for setting in schema if not setting.choices]
    for setting in schema:
        if setting.widget == "radio":
            st.radio(
                setting.label,
                list(setting.choices),
                format_func=setting.labels.__getitem__,
                key=setting.state_key,
                persist_state=PERSIST,
            )
        elif setting.choices:
            st.selectbox(
                setting.label,
                list(setting.choices),
                format_func=setting.labels.__getitem__,
                key=setting.state_key,
                persist_state=PERSIST,
            )
    for column, setting in zip(st.columns(len(numbers)) if numbers else (), numbers, strict=True):
        column.number_input(
            setting.label,
            min_value=setting.low,
            max_value=setting.high,
            step=setting.step,
            key=setting.state_key,
            persist_state=PERSIST,
            help=setting.widget_help,
        )


def _notices(notices: Sequence[Notice]) -> None:
    for notice in notices:
        st.info(md(notice.message), icon=":material/info:")


def _error(exc: RecscoreError, heading: str) -> None:
    show_failure(exc, heading)


# --- 2. methods ------------------------------------------------------------------------------


def _methods(view: View, include: tuple[str, ...] | None) -> None:
    catalog = view.catalog
    specs = _all_methods(view)
    try:
        comparison, tau = _compare(catalog, _catalog_key(catalog), _weights(view), specs, include)
    except RecscoreError as exc:
        _error(exc, "The methods cannot be compared with these settings:")
        return
    chosen = view.method
    frame = comparison.to_frame().sort_values(chosen, kind="stable", ignore_index=True)
    titles = {rec.id: rec.title for rec in catalog.recommendations}
    firsts = "; ".join(
        f"{METHOD_NAMES[name]}: **{md(titles[ranking.ids[0]])}**"
        for name, ranking in comparison.rankings.items()
    )
    st.markdown(f"**First place** — {firsts}.")
    moved = int((frame["spread"] >= 5).sum())
    st.caption(
        f"Same weights, three aggregation rules. {moved} of {len(frame)} recommendations move "
        "five places or more between methods. Rows in the order of the sidebar's method "
        f"({METHOD_NAMES[chosen]}); spread = worst minus best rank."
    )
    table = pd.DataFrame({"Recommendation": frame["id"].map(titles)})
    for name in comparison.methods:
        table[METHOD_NAMES[name]] = frame[name]
    table["Spread"] = frame["spread"]
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=388,
        key="rob_methods_table",
        column_config={
            "Recommendation": st.column_config.TextColumn(width=420),
            **{
                METHOD_NAMES[name]: st.column_config.NumberColumn(width=110)
                for name in comparison.methods
            },
            "Spread": st.column_config.NumberColumn(width=70),
        },
    )
    left, right = st.columns([1, 1])
    with left:
        st.markdown("**Kendall's tau between the methods' rankings** (1 = the same order):")
        named = tau.rename(index=METHOD_NAMES, columns=METHOD_NAMES)
        st.dataframe(named.style.format("{:.3f}"), width="stretch", key="rob_tau_table")
    with right:
        settings = comparison.rankings
        st.markdown("**Settings**")
        st.markdown(
            f"- TOPSIS: ideal points at the {settings['topsis'].settings['anchors']} "
            f"{'ends' if settings['topsis'].settings['anchors'] == 'scale' else 'extremes'}\n"
            f"- PROMETHEE II: {settings['promethee_ii'].settings['preference']} preference, "
            f"q = {settings['promethee_ii'].settings['q']:g}, "
            f"p = {settings['promethee_ii'].settings['p']:g} scale points\n"
            "- Change them under *Method settings* at the top."
        )


# --- 3. safeguards ---------------------------------------------------------------------------


def _level_text(level: float, is_cost: bool) -> str:
    if level == NO_LEVEL:
        return "none"
    return f"{'at most' if is_cost else 'at least'} {level:g}"


def _safeguard_controls(catalog: Catalog) -> None:
    st.markdown(
        "A weighted sum lets a strong score buy off a very weak one. Safeguards stop that: "
        "a recommendation below a **minimum** (on its score) or a **veto** (on the bad end of "
        "its score's range — *even at worst*) is set apart with the reason, not ranked."
    )
    head = st.columns([3, 2, 2])
    head[0].markdown("**Criterion**")
    head[1].markdown("**Minimum level**")
    head[2].markdown("**Veto, even at worst**")
    for criterion in catalog.criteria:
        row = st.columns([3, 2, 2], vertical_alignment="center")
        row[0].markdown(md(criterion.name) + (" *(cost)*" if criterion.is_cost else ""))
        for column, key, what in (
            (row[1], _min_key(criterion.id), "minimum"),
            (row[2], _veto_key(criterion.id), "veto"),
        ):
            column.selectbox(
                f"{criterion.name}: {what}",
                LEVELS,
                format_func=lambda level, cost=criterion.is_cost: _level_text(level, cost),
                key=key,
                label_visibility="collapsed",
                persist_state=PERSIST,
            )


def _clear_safeguards(criterion_ids: Sequence[str]) -> None:
    for cid in criterion_ids:
        st.session_state[_min_key(cid)] = NO_LEVEL
        st.session_state[_veto_key(cid)] = NO_LEVEL


def _safeguards_tab(view: View, screening: Screening, include: tuple[str, ...] | None) -> None:
    catalog = view.catalog
    _safeguard_controls(catalog)
    st.button(
        "Clear every safeguard",
        on_click=_clear_safeguards,
        args=(catalog.criterion_ids,),
        disabled=not screening.safeguards,
    )
    if not screening.safeguards:
        st.caption("No safeguard is set: every recommendation is ranked.")
        return
    shown = set(catalog.recommendation_ids if view.include is None else view.include)
    failed = [f for f in screening.failed if f.id in shown]
    st.markdown(f"**Set apart ({len(failed)}), not ranked:**")
    if failed:
        st.dataframe(
            pd.DataFrame(
                {
                    "Recommendation": [f.title for f in failed],
                    "Why": ["; ".join(f.reasons) for f in failed],
                }
            ),
            hide_index=True,
            width="stretch",
            key="rob_set_apart",
            column_config={
                "Recommendation": st.column_config.TextColumn(width=330),
                "Why": st.column_config.TextColumn(width=560),
            },
        )
    else:
        st.caption("Every recommendation shown meets the safeguards.")
    if include is not None and not include:
        st.warning("No recommendation is left to rank: relax a minimum level or a veto.")
        return
    method = view.method_spec
    unguarded = view.comparison.ranking  # the same weights, method and filters, unguarded
    try:
        ranking = _rank(catalog, _catalog_key(catalog), _weights(view), method, include)
    except RecscoreError as exc:
        _error(exc, "The ranking cannot be made with these settings:")
        return
    st.markdown(f"**Ranked under the safeguards** ({METHOD_NAMES[method.name]}):")
    ids = ranking.ids.tolist()
    st.dataframe(
        pd.DataFrame(
            {
                "#": range(1, len(ids) + 1),
                "Recommendation": [catalog.recommendation(i).title for i in ids],
                "Score": ranking.totals.round(3),
                "Without safeguards": [unguarded.positions[i] for i in ids],
            }
        ),
        hide_index=True,
        width="stretch",
        height=388,
        key="rob_guarded_ranking",
        column_config={
            "#": st.column_config.NumberColumn(width=40),
            "Recommendation": st.column_config.TextColumn(width=480),
            "Score": st.column_config.NumberColumn(width=80, format="%.3f"),
            "Without safeguards": st.column_config.NumberColumn(
                width=140, help="Its rank when nothing is set apart"
            ),
        },
    )


# --- 4. one-way sensitivity ------------------------------------------------------------------


@st.fragment
def _sensitivity_tab(view: View, include: tuple[str, ...] | None) -> None:
    catalog = view.catalog
    method = view.method_spec
    try:
        result = _sensitivity(catalog, _catalog_key(catalog), _weights(view), method, include)
    except RecscoreError as exc:
        _error(exc, "The sensitivity analysis cannot run with these settings:")
        return
    ids = list(catalog.criterion_ids)
    names = dict(zip(ids, result.criterion_names, strict=True))
    if st.session_state.get(SENS_CRITERION_KEY) not in ids:
        st.session_state[SENS_CRITERION_KEY] = max(ids, key=lambda cid: view.shares[cid])
    count = len(result.ids)
    st.session_state[SENS_TOP_KEY] = min(max(int(st.session_state[SENS_TOP_KEY]), 1), count)
    left, right = st.columns([2, 3])
    left.selectbox(
        "Weight to sweep",
        ids,
        format_func=names.__getitem__,
        key=SENS_CRITERION_KEY,
        persist_state=PERSIST,
    )
    if count > 1:
        right.slider(
            "Lines for the top (the first ten in colour)",
            1,
            count,
            key=SENS_TOP_KEY,
            persist_state=PERSIST,
        )
    criterion = st.session_state[SENS_CRITERION_KEY]
    k = ids.index(criterion)
    interval = result.intervals[k]
    first_title = result.titles[0]
    titles = dict(zip(result.ids, result.titles, strict=True))
    st.markdown(f"**{md(interval.sentence(first_title))}**")
    st.vega_lite_chart(
        spec=charts_robustness.sensitivity_chart(
            result,
            criterion,
            int(st.session_state[SENS_TOP_KEY]),
            method_spec(result.method).axis_title,
        ),
        width="stretch",
        key="rob_sens_chart",
    )
    st.caption(
        f"{METHOD_NAMES[result.method]}. Each line is one recommendation's score as this weight "
        "goes from 0 to 100% of the total, the other weights keeping their proportions; the "
        "dashed line is the current weight, the green band where the current first place holds."
    )
    st.markdown("**How far a single weight can move before first place changes**, top five:")
    st.markdown("\n".join(f"- {md(sentence)}" for sentence in result.sentences()))
    st.markdown("**Where the current first place holds, weight by weight:**")

    def who(rec_id: str | None) -> str:
        return "—" if rec_id is None else titles.get(rec_id, rec_id)

    st.dataframe(
        pd.DataFrame(
            {
                "Criterion": [i.name for i in result.intervals],
                "Weight now": [percent(i.weight) for i in result.intervals],
                "First holds": [f"{percent(i.low)} – {percent(i.high)}" for i in result.intervals],
                "Below that, first is": [who(i.below) for i in result.intervals],
                "Above that, first is": [who(i.above) for i in result.intervals],
            }
        ),
        hide_index=True,
        width="stretch",
        key="rob_intervals",
        column_config={
            "Criterion": st.column_config.TextColumn(width=170),
            "Weight now": st.column_config.TextColumn(width=75),
            "First holds": st.column_config.TextColumn(width=95),
            "Below that, first is": st.column_config.TextColumn(
                width=170, help="Who takes first place just below the range"
            ),
            "Above that, first is": st.column_config.TextColumn(
                width=170, help="Who takes first place just above the range"
            ),
        },
    )
    _notices(result.notices)


# --- 5. SMAA-2 -------------------------------------------------------------------------------


@st.fragment
def _smaa_tab(view: View, include: tuple[str, ...] | None) -> None:
    catalog = view.catalog
    samples, seed, scores, weights = st.columns([1, 1, 2, 2])
    samples.number_input(
        "Samples",
        min_value=100,
        max_value=SMAA_MAX_SAMPLES,
        step=1_000,
        key=SMAA_SAMPLES_KEY,
        persist_state=PERSIST,
        help=f"Weight vectors (each with its own score draw). Up to {SMAA_MAX_SAMPLES:,}.",
    )
    seed.number_input(
        "Seed",
        min_value=0,
        max_value=2**32 - 1,
        step=1,
        key=SMAA_SEED_KEY,
        persist_state=PERSIST,
        help="The same seed and inputs give the same figures.",
    )
    scores.radio(
        "Scores",
        list(SMAA_SCORES),
        format_func=SMAA_SCORES.__getitem__,
        key=SMAA_SCORES_KEY,
        persist_state=PERSIST,
    )
    weights.radio(
        "Weights",
        list(SMAA_WEIGHTS),
        format_func=SMAA_WEIGHTS.__getitem__,
        key=SMAA_WEIGHTS_KEY,
        persist_state=PERSIST,
    )
    try:
        constraints = constraints_from_profile(
            dict(_weights(view)), catalog.criterion_ids, st.session_state[SMAA_WEIGHTS_KEY]
        )
        result = _smaa(
            catalog,
            _catalog_key(catalog),
            constraints,
            st.session_state[SMAA_SCORES_KEY],
            int(st.session_state[SMAA_SAMPLES_KEY]),
            int(st.session_state[SMAA_SEED_KEY]),
            include,
            view.method_spec,
        )
    except RecscoreError as exc:
        _error(exc, "SMAA cannot run with these settings:")
        return
    count = len(result.ids)
    st.session_state[SMAA_TOP_KEY] = min(max(int(st.session_state[SMAA_TOP_KEY]), 1), count)
    st.caption(
        f"SMAA-2 by {METHOD_NAMES[result.method]}: {result.samples:,} samples, seed "
        f"{result.seed}; weights {md(result.constraints)}; scores "
        f"{SMAA_SCORES[result.score_model].lower()}."
    )
    _notices(result.notices)
    st.markdown("**In plain words:**")
    st.markdown(
        "\n".join(f"- {md(sentence)}" for sentence in result.sentences(top=SENTENCES_SHOWN))
    )
    if count > 1:
        st.slider(
            "Recommendations shown",
            1,
            min(count, 30),
            key=SMAA_TOP_KEY,
            persist_state=PERSIST,
        )
    top = min(int(st.session_state[SMAA_TOP_KEY]), count)
    st.vega_lite_chart(
        spec=charts_robustness.acceptability_chart(result, top),
        width="stretch",
        key="rob_smaa_chart",
    )
    st.caption(
        "Rank acceptability: the share of sampled weightings and scores under which each "
        "recommendation takes rank 1, 2, … 5 or later. Ordered by how often they rank first, "
        "then in the top two, and so on."
    )
    frame = result.to_frame(top)
    names = {c.id: c.name for c in catalog.criteria}
    with st.expander("Figures: acceptability, mean rank, confidence and central weights"):
        table = pd.DataFrame(
            {
                "#": frame["order"],
                "Recommendation": frame["title"],
                "First": frame["first"] * 100,
                "Top 3": frame["top3"] * 100,
                "Mean rank": frame["expected_rank"],
                "Confidence": frame["confidence"] * 100,
            }
        )
        for cid in catalog.criterion_ids:
            table[names[cid]] = frame[f"w_{cid}"] * 100
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            key="rob_smaa_table",
            column_config={
                "#": st.column_config.NumberColumn(width=40),
                "Recommendation": st.column_config.TextColumn(width=300),
                "First": st.column_config.NumberColumn(format="%.1f%%", width=70),
                "Top 3": st.column_config.NumberColumn(format="%.1f%%", width=70),
                "Mean rank": st.column_config.NumberColumn(format="%.1f", width=80),
                "Confidence": st.column_config.NumberColumn(
                    format="%.0f%%",
                    width=90,
                    help="Share of score draws in which it is first under its central weights",
                ),
                **{
                    names[cid]: st.column_config.NumberColumn(
                        format="%.0f%%",
                        width=90,
                        help=f"Central weight of {names[cid]}: the mean weight among the "
                        "samples where this recommendation is first",
                    )
                    for cid in catalog.criterion_ids
                },
            },
        )


# --- the page --------------------------------------------------------------------------------


def page() -> None:
    view = current_view()
    catalog = view.catalog
    st.title("Robustness")
    profile_note = "its own weights" if view.at_profile else "adjusted weights"
    st.caption(
        f"Profile **{md(view.profile.name)}** with {profile_note}. How much does the ranking "
        "depend on contested weights, on the method, and on uncertain scores?"
    )
    stop_if_none_shown(view)
    _init(view)
    _method_controls(view)
    try:
        screening = _screen(catalog, _catalog_key(catalog), _safeguards(catalog))
    except ValidationError as exc:  # pragma: no cover - the level pickers offer valid levels
        show_problems(exc.problems, "The safeguards cannot be applied:")
        st.stop()
    include = _in_play(view, screening)
    if screening.safeguards:
        shown = len(catalog.recommendation_ids if view.include is None else view.include)
        left = shown if include is None else len(include)
        st.caption(
            f"Safeguards set {shown - left} of {shown} recommendations apart (see the "
            f"Safeguards tab); every section below ranks the other {left}."
        )
    tabs = st.tabs(list(TABS), key=TAB_KEY, on_change="rerun")
    eliciting, methods, safeguards, sensitivity, smaa_tab = tabs
    if eliciting.open:
        with eliciting:
            elicitation.elicitation(view)
    if methods.open:
        with methods:
            if include is not None and not include:
                st.warning("No recommendation passes the safeguards: relax one to compare.")
            else:
                _methods(view, include)
    if safeguards.open:
        with safeguards:
            _safeguards_tab(view, screening, include)
    if sensitivity.open:
        with sensitivity:
            if include is not None and not include:
                st.warning("No recommendation passes the safeguards: relax one to see this.")
            else:
                _sensitivity_tab(view, include)
    if smaa_tab.open:
        with smaa_tab:
            if include is not None and not include:
                st.warning("No recommendation passes the safeguards: relax one to see this.")
            else:
                _smaa_tab(view, include)
