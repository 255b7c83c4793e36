"""The sidebar on every page: profile, one slider per criterion, filters, and the page URL.

Sliders hold points from 0 to 100 in steps of 0.5; a profile's weights are shown rescaled to
sum to 100, so every bundled profile appears exactly. While the sliders still show the
profile, the profile's own weights are ranked (no rounding creeps in); once one moves, the
sliders are. Weights are relative, so each criterion's normalised share is in its label.

The URL carries ``profile=<id>`` and, when the sliders differ from it, one parameter per
criterion (``leverage=30&buy_in=5...``): a colleague opening the link sees the same view.
The aggregation method travels as ``method=topsis`` (absent for the weighted sum), with any
setting that differs from its default (``anchors``, ``preference``, ``q``, ``p``).
The link is read once per session; anything in it that does not fit (an unknown profile,
criterion or method, a weight that is not a number from 0 to 100) becomes a notice, and the
default is used instead.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import streamlit as st

from app_pages.render import md, percent, short_document_name
from app_pages.state import (
    DECISION_MAKER_KEY,
    FILTER_KEYS,
    METHOD_DEFAULTS,
    METHOD_KEYS,
    AppData,
    View,
    method_from_session,
    method_spec_from,
)
from scoring.analysis import select_recommendations
from scoring.errors import RecscoreError
from scoring.methods import (
    DEFAULT_METHOD,
    MethodSpec,
    check_method,
    get,
    method_spec,
    names,
    registry,
)
from scoring.model import Catalog, Criterion, WeightProfile
from scoring.scope import DECISION_MAKERS

__all__ = [
    "MAX_POINTS",
    "STEP",
    "current_points",
    "profile_points",
    "render",
    "select_profile",
    "slider_key",
]

STEP = 0.5
MAX_POINTS = 100.0
PROFILE_PARAM = "profile"
FILTERS_OPEN_KEY = "filters_open"
# Parameters Streamlit itself understands; never reported as unknown criteria.
STREAMLIT_PARAMS = {"embed", "embed_options"}
# The method's settings go in the link (each only when its method is chosen and it differs
# from the default) under the setting's name; read before criteria, so these names are reserved.


def method_help() -> str:
    """The method picker's help: one line per registered method."""
    lines = "\n".join(f"- **{get(name).display_name}**: {get(name).summary}" for name in names())
    return (
        "How the weighted criteria are combined, on every page.\n\n"
        f"{lines}\n\n"
        "Settings: Robustness page, *Method settings*. Option sets add up weighted-sum values "
        "whatever the method."
    )


def slider_key(criterion_id: str) -> str:
    return f"w_{criterion_id}"


def profile_points(profile: WeightProfile, criterion_ids: Sequence[str]) -> dict[str, float]:
    """The profile's weights rescaled to sum to 100, on the sliders' 0.5 steps."""
    total = sum(profile.weights.get(cid, 0.0) for cid in criterion_ids) or 1.0
    return {
        cid: round(profile.weights.get(cid, 0.0) / total * MAX_POINTS / STEP) * STEP
        for cid in criterion_ids
    }


def _set_points(points: Mapping[str, float]) -> None:
    for criterion_id, value in points.items():
        st.session_state[slider_key(criterion_id)] = float(value)


def select_profile(profile: WeightProfile, criterion_ids: Sequence[str]) -> None:
    """For callbacks: make ``profile`` the current one and put its weights on the sliders."""
    st.session_state["profile"] = profile.id
    _set_points(profile_points(profile, criterion_ids))


def current_points(criterion_ids: Sequence[str]) -> dict[str, float]:
    """The sliders' values (also inside a callback, before the sidebar is drawn)."""
    return {cid: float(st.session_state[slider_key(cid)]) for cid in criterion_ids}


def _load_profile(profiles: Mapping[str, WeightProfile], criterion_ids: Sequence[str]) -> None:
    """Callback: put the chosen profile's weights on the sliders."""
    _set_points(profile_points(profiles[st.session_state["profile"]], criterion_ids))


def _read_link(data: AppData) -> None:
    """Apply the URL's profile and weights to the session; record what did not fit."""
    catalog, profiles = data.bundled, data.profiles
    params = st.query_params.to_dict()
    notices: list[str] = []
    default = profiles[catalog.default_profile]
    profile_id = params.get(PROFILE_PARAM)
    if profile_id is not None and profile_id not in profiles:
        notices.append(
            f"The link names the profile “{profile_id}”, which does not exist here "
            f"(available: {', '.join(profiles)}). Showing the default profile, {default.name}."
        )
    elif profile_id is not None:
        st.session_state["profile"] = profile_id
    profile = profiles[st.session_state["profile"]]
    points = profile_points(profile, catalog.criterion_ids)
    notices += _read_method(params, catalog.criterion_ids)
    reserved = {PROFILE_PARAM, "method", *STREAMLIT_PARAMS}
    reserved.update(registry.setting_owners())
    for key, raw in params.items():
        if key in reserved:
            continue
        if key not in catalog.criterion_ids:
            notices.append(
                f"The link sets a weight for “{key}”, which is not a criterion "
                f"(criteria: {', '.join(catalog.criterion_ids)}). It was ignored."
            )
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not 0 <= value <= MAX_POINTS:  # also rejects NaN
            notices.append(
                f"The link's weight for {catalog.criterion(key).name} is “{raw}”, not a number "
                f"from 0 to {MAX_POINTS:g}. The profile's weight is used."
            )
            continue
        points[key] = round(value / STEP) * STEP
    if not any(points.values()):
        notices.append("The link sets every weight to 0. The profile's weights are used.")
        points = profile_points(profile, catalog.criterion_ids)
    _set_points(points)
    st.session_state["url_notices"] = notices


def _read_method(params: Mapping[str, str], criterion_ids: Sequence[str]) -> list[str]:
    """Apply the link's method and settings; return notices for what did not fit."""
    name = params.get("method")
    if name is None:
        return []
    if name not in names():
        return [
            f"The link names the method “{name}”, which does not exist here "
            f"(available: {', '.join(names())}). Ranking by weighted sum."
        ]
    schema = get(name).settings_schema()
    given = {s.name: params[s.name] for s in schema if s.name in params}
    settings = {**METHOD_DEFAULTS, **given, "method": name}
    try:
        for setting in schema:
            settings[setting.name] = setting.parse(settings[setting.name])
        check_method(method_spec_from(settings), criterion_ids)
    except (ValueError, RecscoreError):
        shown = ", ".join(f"{key}={value}" for key, value in given.items())
        return [
            f"The link's settings for {get(name).display_name} ({shown}) are not valid. "
            "Ranking by weighted sum; pick the method again in the sidebar and set it on the "
            "Robustness page."
        ]
    for key, value in settings.items():
        st.session_state[METHOD_KEYS[key]] = value
    return []


def _method_link(spec: MethodSpec) -> dict[str, str]:
    """The link parameters for ``spec``: none for the weighted sum, else its name and any
    setting that differs from the default."""
    if spec.name == DEFAULT_METHOD:
        return {}
    params = {"method": spec.name}
    for key in (setting.name for setting in spec.settings_schema()):
        value = getattr(spec, key)
        if value != METHOD_DEFAULTS[key]:
            params[key] = f"{value:g}" if isinstance(value, float) else str(value)
    return params


def _write_link(view: View) -> None:
    """Keep the URL in step with the view; touch it only when it differs."""
    desired = {PROFILE_PARAM: view.profile.id, **_method_link(view.method_spec)}
    if not view.at_profile:
        desired |= {cid: f"{value:g}" for cid, value in view.points.items()}
    if st.query_params.to_dict() != desired:
        st.query_params.from_dict(desired)


def _criterion_help(criterion: Criterion) -> str:
    levels = "\n".join(
        f"- **{level}**: {criterion.scale[level]}" for level in sorted(criterion.scale)
    )
    cost = (
        "\n\n*A cost criterion: a high score means more of it, and counts against.*"
        if criterion.is_cost
        else ""
    )
    return f"**{criterion.question}**\n\n{criterion.definition}{cost}\n\n{levels}"


def _method_picker(catalog: Catalog) -> MethodSpec:
    """The aggregation method every page ranks by; bad settings fall back to its defaults."""
    st.sidebar.selectbox(
        "Aggregation method",
        names(),
        format_func=lambda name: get(name).display_name,
        key=METHOD_KEYS["method"],
        help=method_help(),
    )
    spec = method_from_session()
    try:
        return check_method(spec, catalog.criterion_ids)
    except RecscoreError:
        st.sidebar.warning(
            f"The {spec.display_name} settings are not valid: ranking with its default "
            "settings. The Robustness page says what to fix."
        )
        return method_spec(spec.name)


SELECTION_KEY = "filter_selection"


def _selection(catalog: Catalog) -> tuple[str, ...] | None:
    """The filters' selection, worked out once per filter change (or catalog change) and
    kept in the session: the same tuple every rerun, so the engine turns it into rows once
    (``Catalog.rows_of`` keeps the rows of the tuples it was last given)."""
    chosen = {name: tuple(st.session_state[key]) for name, key in FILTER_KEYS.items()}
    kept = st.session_state.get(SELECTION_KEY)
    if kept is not None and kept[0] is catalog and kept[1] == chosen:
        return kept[2]
    include = select_recommendations(catalog, **chosen)
    st.session_state[SELECTION_KEY] = (catalog, chosen, include)
    return include


def _filters(catalog: Catalog) -> None:
    """Filters in an expander that draws its widgets only while open.

    The chosen values persist for the session while it is closed, so a weight change (the
    common rerun) does not pay for four multiselects nobody is looking at.
    """
    active = sum(bool(st.session_state[key]) for key in FILTER_KEYS.values())
    label = f"Filters ({active} active)" if active else "Filters"
    expander = st.sidebar.expander(label, key=FILTERS_OPEN_KEY, on_change="rerun")
    if not expander.open:
        return
    with expander:
        documents = {doc.name: doc for doc in catalog.documents}
        st.multiselect(
            "Document",
            list(documents),
            format_func=lambda name: short_document_name(documents[name]),
            key=FILTER_KEYS["documents"],
            persist_state="session",
        )
        st.multiselect(
            "Actor",
            sorted({rec.actor for rec in catalog.recommendations}),
            key=FILTER_KEYS["actors"],
            persist_state="session",
        )
        st.multiselect(
            "Instrument",
            list(catalog.instruments),
            format_func=lambda key: catalog.instruments[key],
            key=FILTER_KEYS["instruments"],
            persist_state="session",
        )
        st.multiselect(
            "Kind", ["explicit", "implicit"], key=FILTER_KEYS["kinds"], persist_state="session"
        )


def render(data: AppData) -> View:
    """Draw the sidebar and return the view it selects."""
    catalog, profiles = data.bundled, data.profiles
    ids = catalog.criterion_ids
    if not st.session_state["url_read"]:
        _read_link(data)
        st.session_state["url_read"] = True
    if st.session_state["profile"] not in profiles:
        gone = st.session_state["profile"]
        st.session_state["flash"].append(
            ("warning", f"The profile “{gone}” no longer exists; showing the default profile.")
        )
        st.session_state["profile"] = catalog.default_profile
        _load_profile(profiles, ids)
    for criterion_id, value in profile_points(profiles[st.session_state["profile"]], ids).items():
        st.session_state.setdefault(slider_key(criterion_id), value)

    sidebar = st.sidebar
    sidebar.selectbox(
        "Weight profile",
        list(profiles),
        format_func=lambda pid: (
            profiles[pid].name + ("" if pid in catalog.profiles else " (saved)")
        ),
        key="profile",
        on_change=_load_profile,
        args=(profiles, ids),
    )
    profile = profiles[st.session_state["profile"]]
    sidebar.caption(md(profile.description))

    points = current_points(ids)
    total = sum(points.values())
    for criterion in catalog.criteria:
        share = points[criterion.id] / total if total else 0.0
        sidebar.slider(
            f"{criterion.name} · {percent(share)}",
            min_value=0.0,
            max_value=MAX_POINTS,
            step=STEP,
            format="%.1f",
            key=slider_key(criterion.id),
            help=_criterion_help(criterion),
        )
    at_profile = points == profile_points(profile, ids)
    weights: Mapping[str, float] = profile.weights if at_profile else points
    if not total:
        sidebar.warning("Every weight is 0: ranking with the profile's weights instead.")
        weights = profile.weights
    sidebar.caption(
        "Swing weights: how much moving from the worst to the best level of each criterion "
        "matters. Only ratios count; the share after each name is its normalised weight."
    )
    sidebar.button(
        "Reset to profile",
        on_click=_load_profile,
        args=(profiles, ids),
        disabled=at_profile,
        width="stretch",
    )

    method = _method_picker(catalog)
    sidebar.selectbox(
        "Decision-maker",
        list(DECISION_MAKERS),
        format_func=DECISION_MAKERS.__getitem__,
        key=DECISION_MAKER_KEY,
        help="Rank only the options this actor can choose. Advice to others and what Beijing "
        "asks for stay visible as context on the Rankings and Sources pages.",
    )
    _filters(catalog)
    include = _selection(catalog)
    shown = len(catalog.recommendations) if include is None else len(include)
    sidebar.caption(f"Showing {shown} of {len(catalog.recommendations)} recommendations.")

    view = View(
        data=data,
        profile=profile,
        points=points,
        weights=weights,
        at_profile=at_profile and bool(total),
        include=include,
        method_spec=method,
    )
    _write_link(view)
    return view
