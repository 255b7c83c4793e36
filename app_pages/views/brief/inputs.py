"""The Brief page's inputs: what the brief says, what it ranks, its filters and formats.

They start from the sidebar (its profile with the sliders' weights in effect, its method
with the Robustness page's settings, its filters) and follow it until changed on the page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import streamlit as st

from app_pages.render import md, short_document_name, show_problems
from app_pages.state import FILTER_KEYS, View, method_from_session
from scoring.briefs import FORMATS, METHODS, BriefSpec, Filters, method_settings
from scoring.briefs.content import DEFAULT_QUESTION, DEFAULT_TITLE
from scoring.briefs.method_text import default_settings, settings_text
from scoring.errors import RecscoreError
from scoring.methods import DEFAULT_METHOD, MethodSpec, check_method, get, method_spec
from scoring.model import Catalog
from scoring.option_sets import MAX_COMPARED, OptionSet, builtin_sets, load_user_sets

TITLE_KEY = "brief_title"
QUESTION_KEY = "brief_question"
AUDIENCE_KEY = "brief_audience"
DECIDE_BY_KEY = "brief_decide_by"
SENDER_KEY = "brief_sender"
SUBJECT_KEY = "brief_subject"
DATE_KEY = "brief_date"
CLASSIFICATION_KEY = "brief_classification"
PAPER_KEY = "brief_paper"
PROFILES_KEY = "brief_profiles"
METHOD_KEY = "brief_method"
TOP_KEY = "brief_top"
SETS_KEY = "brief_option_sets"
ROBUSTNESS_KEY = "brief_robustness"
FORMATS_KEY = "brief_formats"
TAB_KEY = "brief_tab"
FILTERS_OPEN_KEY = "brief_filters_open"
FILTER_WIDGET_KEYS = {name: f"brief_filter_{name}" for name in FILTER_KEYS}

FORMAT_LABELS = {
    "md": "Markdown",
    "html": "HTML",
    "docx": "Word",
    "pdf": "PDF",
    "csv": "CSV",
    "xlsx": "Excel",
}
SCENARIO_MEDIA_TYPE = "application/yaml"  # RFC 9512
MAX_TOP = 20


def file_stem(title: str) -> str:
    """A file name from the title: ``Ranked recommendations`` -> ``ranked-recommendations``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].rstrip("-")
    return slug or "brief"


def _follow(key: str, sidebar_value: list[str]) -> None:
    """Keep the widget ``key`` on the sidebar's value until it is changed on this page."""
    seed_key = f"{key}_seed"
    if key not in st.session_state or st.session_state[key] == st.session_state.get(seed_key):
        st.session_state[key] = list(sidebar_value)
    st.session_state[seed_key] = list(sidebar_value)


def _follow_method(view: View) -> None:
    """Keep the method on the sidebar's until it is picked on this page (like :func:`_follow`).

    Only the name is followed; its settings are the Robustness page's (:func:`_chosen_method`).
    """
    sidebar = view.method
    if sidebar not in METHODS:  # a method briefs cannot rank by yet
        sidebar = DEFAULT_METHOD
    seed_key = f"{METHOD_KEY}_seed"
    chosen = st.session_state.get(METHOD_KEY)
    if chosen not in METHODS or chosen == st.session_state.get(seed_key):
        st.session_state[METHOD_KEY] = sidebar
    st.session_state[seed_key] = sidebar


def _chosen_method(view: View, name: str) -> tuple[MethodSpec, bool]:
    """The method ``name`` with the Robustness page's settings for it, and whether those
    were not valid, so its defaults are used instead (as the sidebar does).

    The sidebar's method comes exactly as every page ranks by it (``view.method_spec``).
    The session keeps TOPSIS's and PROMETHEE II's settings side by side, so another method
    picked here comes with its own.
    """
    wanted = method_from_session(name)
    if name == view.method:
        return view.method_spec, view.method_spec != wanted
    try:
        return check_method(wanted, view.catalog.criterion_ids), False
    except RecscoreError:
        return method_spec(name), True


def _keep_known(key: str, known: Sequence[str]) -> list[str]:
    """Drop values no longer offered from the widget ``key``; return the dropped ones."""
    chosen = st.session_state.get(key, [])
    gone = [value for value in chosen if value not in known]
    if gone:
        st.session_state[key] = [value for value in chosen if value in known]
    return gone


def _text_inputs() -> None:
    st.session_state.setdefault(TITLE_KEY, DEFAULT_TITLE)
    for key in (
        QUESTION_KEY,
        AUDIENCE_KEY,
        DECIDE_BY_KEY,
        SENDER_KEY,
        SUBJECT_KEY,
        DATE_KEY,
        CLASSIFICATION_KEY,
    ):
        st.session_state.setdefault(key, "")
    st.session_state.setdefault(PAPER_KEY, "letter")
    left, right = st.columns(2)
    left.text_input("Title", key=TITLE_KEY, max_chars=200, persist_state="session")
    left.text_input(
        "To",
        key=AUDIENCE_KEY,
        placeholder="e.g. Deputy Assistant Secretary, DRL",
        max_chars=200,
        persist_state="session",
    )
    left.text_input(
        "Decide by (optional)",
        key=DECIDE_BY_KEY,
        placeholder="e.g. before the 12 March dialogue round",
        max_chars=200,
        persist_state="session",
    )
    right.text_area(
        "Decision question",
        key=QUESTION_KEY,
        placeholder=f"Left empty: “{DEFAULT_QUESTION}”",
        height=178,
        max_chars=600,
        persist_state="session",
    )
    # The rest of the memo's header; empty fields print as blanks to fill in by hand.
    one, two, three, four = st.columns(4)
    one.text_input("From", key=SENDER_KEY, max_chars=200, persist_state="session")
    two.text_input(
        "Subject",
        key=SUBJECT_KEY,
        placeholder="Left empty: the title",
        max_chars=200,
        persist_state="session",
    )
    three.text_input(
        "Date",
        key=DATE_KEY,
        placeholder="Left empty: today",
        max_chars=60,
        persist_state="session",
    )
    four.selectbox("Paper", ("letter", "a4"), key=PAPER_KEY, persist_state="session")
    st.text_input(
        "Classification / handling line",
        key=CLASSIFICATION_KEY,
        placeholder="e.g. UNCLASSIFIED // FOR OFFICIAL USE",
        max_chars=200,
        persist_state="session",
    )


def _profile_inputs(view: View) -> tuple[list[str], dict[str, float], list[str]]:
    """Profiles (first one recommended under), the weights to put on it, and vanished ids."""
    profiles = view.profiles
    _follow(PROFILES_KEY, [view.profile.id])
    gone = _keep_known(PROFILES_KEY, list(profiles))
    st.multiselect(
        "Weight profiles",
        list(profiles),
        format_func=lambda pid: (
            profiles[pid].name + ("" if pid in view.catalog.profiles else " (saved)")
        ),
        key=PROFILES_KEY,
        help="The brief recommends under the first profile. Add more to show how the ranking "
        "differs between perspectives and who would object.",
        persist_state="session",
    )
    chosen: list[str] = st.session_state[PROFILES_KEY]
    # The sidebar decides the weights in effect (view.weights); the brief takes them as they
    # are when it recommends under the sidebar's profile, never re-deriving them from the
    # sliders. All-zero sliders rank nothing, so the profile's own weights stand then.
    adjusted = not view.at_profile and any(view.weights.values())
    weights: dict[str, float] = {}
    if chosen and chosen[0] == view.profile.id and adjusted:
        weights = dict(view.weights)
        st.caption(
            f"{md(view.profile.name)} is ranked with the sidebar's adjusted weights; the "
            "scenario file records them."
        )
    elif chosen and chosen[0] != view.profile.id and adjusted:
        st.caption(
            f"The sidebar's adjusted weights belong to {md(view.profile.name)}; "
            f"{md(profiles[chosen[0]].name)} is ranked with its own weights."
        )
    return chosen, weights, gone


def _filter_inputs(catalog: Catalog) -> Filters:
    documents = {doc.name: doc for doc in catalog.documents}
    options = {
        "documents": list(documents),
        "actors": sorted({rec.actor for rec in catalog.recommendations}),
        "instruments": list(catalog.instruments),
        "kinds": ["explicit", "implicit"],
    }
    for name, key in FILTER_WIDGET_KEYS.items():
        _follow(key, list(st.session_state.get(FILTER_KEYS[name], [])))
        _keep_known(key, options[name])
    active = sum(bool(st.session_state[key]) for key in FILTER_WIDGET_KEYS.values())
    label = f"Filters ({active} active)" if active else "Filters (none: every recommendation)"
    # Keyed, so the expander stays open while its label counts the filters being set.
    with st.expander(label, key=FILTERS_OPEN_KEY):
        st.caption(
            "They start as the sidebar's filters; changing them here affects the brief only."
        )
        left, right = st.columns(2)
        left.multiselect(
            "Document",
            options["documents"],
            format_func=lambda name: short_document_name(documents[name]),
            key=FILTER_WIDGET_KEYS["documents"],
            persist_state="session",
        )
        left.multiselect(
            "Actor", options["actors"], key=FILTER_WIDGET_KEYS["actors"], persist_state="session"
        )
        right.multiselect(
            "Instrument",
            options["instruments"],
            format_func=lambda key: catalog.instruments[key],
            key=FILTER_WIDGET_KEYS["instruments"],
            persist_state="session",
        )
        right.multiselect(
            "Kind", options["kinds"], key=FILTER_WIDGET_KEYS["kinds"], persist_state="session"
        )
    return Filters(
        **{name: tuple(st.session_state[key]) for name, key in FILTER_WIDGET_KEYS.items()}
    )


def _set_inputs(view: View) -> tuple[OptionSet, ...]:
    """The option-set picker; returns the user's saved sets (the engine needs them)."""
    user_sets, problems = load_user_sets(view.data.workspace.workspace, view.data.bundled)
    available = {s.id: s for s in (*builtin_sets(view.data.bundled), *user_sets)}
    st.session_state.setdefault(SETS_KEY, [])
    gone = _keep_known(SETS_KEY, list(available))
    st.multiselect(
        "Option sets to include",
        list(available),
        format_func=lambda sid: (
            available[sid].name + (" (saved)" if available[sid].origin == "user" else "")
        ),
        max_selections=MAX_COMPARED,
        key=SETS_KEY,
        placeholder="None",
        help=f"One set to evaluate as a package, or 2 to {MAX_COMPARED} to compare: coverage, "
        "conflicts and synergies between their members.",
        persist_state="session",
    )
    if gone:
        st.warning(f"Option set(s) no longer available, left out: {md(', '.join(gone))}.")
    if problems and st.session_state[SETS_KEY]:
        show_problems(problems, "Some saved option sets cannot be used:", kind="warning")
    return user_sets


def inputs(view: View) -> tuple[BriefSpec, tuple[OptionSet, ...], list[str]]:
    """Draw every input; return the spec, the user's saved sets and vanished profile ids."""
    with st.container(border=True):
        st.markdown("**What the brief says**")
        _text_inputs()
    with st.container(border=True):
        st.markdown("**What it ranks**")
        profile_ids, weights, gone = _profile_inputs(view)
        method_column, top_column, robustness_column = st.columns([1.6, 1.2, 1.2])
        _follow_method(view)
        method_column.selectbox(
            "Method",
            list(METHODS),
            format_func=lambda method: get(method).display_name,
            key=METHOD_KEY,
            help="How the scores are aggregated: "
            + "; ".join(get(name).description for name in METHODS)
            + ". Starts as the sidebar's method.",
            persist_state="session",
        )
        method, fell_back = _chosen_method(view, st.session_state[METHOD_KEY])
        settings = method_settings(method)
        if method.name != DEFAULT_METHOD:
            in_words = settings_text(method.name, {**default_settings(method.name), **settings})
            if fell_back:
                line = (
                    f"The Robustness page's {method.display_name} settings are not valid: "
                    f"the brief uses the defaults ({in_words})."
                )
            elif settings:
                line = f"Settings from the Robustness page: {in_words}."
            else:
                line = f"Default settings ({in_words}); the Robustness page changes them."
            method_column.caption(line)
        st.session_state.setdefault(TOP_KEY, 3)
        top_column.number_input(
            "Recommendations to detail",
            min_value=1,
            max_value=MAX_TOP,
            step=1,
            key=TOP_KEY,
            help="Each gets a card: summary, verbatim quote, every criterion's score and "
            "rationale.",
            persist_state="session",
        )
        st.session_state.setdefault(ROBUSTNESS_KEY, True)
        robustness_column.toggle(
            "Robustness section",
            key=ROBUSTNESS_KEY,
            help="How firm the first place is: one-way sensitivity of each weight and a seeded "
            "SMAA (plausible weightings and score draws).",
            persist_state="session",
        )
        filters = _filter_inputs(view.data.bundled)
        user_sets = _set_inputs(view)
    st.session_state.setdefault(FORMATS_KEY, list(FORMATS))
    st.pills(
        "Formats",
        list(FORMATS),
        selection_mode="multi",
        format_func=FORMAT_LABELS.__getitem__,
        key=FORMATS_KEY,
        persist_state="session",
    )
    spec = BriefSpec(
        title=st.session_state[TITLE_KEY],
        question=st.session_state[QUESTION_KEY],
        audience=st.session_state[AUDIENCE_KEY],
        decide_by=st.session_state[DECIDE_BY_KEY],
        sender=st.session_state[SENDER_KEY],
        subject=st.session_state[SUBJECT_KEY],
        date=st.session_state[DATE_KEY],
        classification=st.session_state[CLASSIFICATION_KEY],
        paper=st.session_state[PAPER_KEY],
        profiles=tuple(profile_ids),
        weights=weights,
        method=method.name,
        method_settings=settings,
        filters=filters,
        top=int(st.session_state[TOP_KEY]),
        option_sets=tuple(st.session_state[SETS_KEY]),
        robustness=bool(st.session_state[ROBUSTNESS_KEY]),
        # Canonical order, so the scenario (and the cache key) do not depend on click order.
        formats=tuple(fmt for fmt in FORMATS if fmt in (st.session_state[FORMATS_KEY] or ())),
    )
    return spec, user_sets, gone
