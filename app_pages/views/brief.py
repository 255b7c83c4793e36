"""Brief: a decision-ready brief of the ranking, previewed here, downloaded in six formats.

The inputs start from the sidebar (its profile with the sliders' current weights, its
aggregation method with the Robustness page's settings, its filters) and follow it until they
are changed on this page.
:func:`scoring.briefs.build_brief` builds the brief once per set of inputs (cached below,
shared by sessions); the preview is its Markdown. Word, PDF, HTML and Excel are rendered only
when their button is clicked (a deferred download) and kept with the brief, so a second click
costs nothing.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import streamlit as st

from app_pages.render import inert_markdown, md, short_document_name, show_failure, show_problems
from app_pages.state import (
    FILTER_KEYS,
    AppData,
    View,
    current_view,
    method_from_session,
)
from scoring.briefs import (
    FORMATS,
    MEDIA_TYPES,
    METHODS,
    SUFFIXES,
    Brief,
    BriefSpec,
    Filters,
    build_brief,
    method_settings,
    render_brief,
)
from scoring.briefs.charts import render_svg
from scoring.briefs.content import DEFAULT_QUESTION, DEFAULT_TITLE
from scoring.briefs.formatting import number_text, score_name
from scoring.briefs.method_text import default_settings, settings_text
from scoring.bundled import default_root
from scoring.errors import RecscoreError
from scoring.methods import DEFAULT_METHOD, MethodSpec, check_method, get, method_spec
from scoring.model import Catalog
from scoring.option_sets import (
    MAX_COMPARED,
    Interactions,
    OptionSet,
    builtin_sets,
    load_interactions,
    load_user_sets,
)

__all__ = [
    "FORMAT_LABELS",
    "SCENARIO_MEDIA_TYPE",
    "PreparedBrief",
    "file_stem",
    "page",
    "prepare",
]

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
DOWNLOAD_KEY = "brief_download_{}"
SCENARIO_KEY = "brief_download_scenario"

FORMAT_LABELS = {
    "md": "Markdown",
    "html": "HTML",
    "docx": "Word",
    "pdf": "PDF",
    "csv": "CSV",
    "xlsx": "Excel",
}
FORMAT_ICONS = {
    "md": ":material/description:",
    "html": ":material/html:",
    "docx": ":material/article:",
    "pdf": ":material/picture_as_pdf:",
    "csv": ":material/table_rows:",
    "xlsx": ":material/table_view:",
}
# Rendered with the brief: the preview needs the Markdown anyway, and CSV takes milliseconds.
# The others (charts as SVG or PNG, Word, PDF layout) take a second or more: on click only.
EAGER = {"md", "csv"}
SCENARIO_MEDIA_TYPE = "application/yaml"  # RFC 9512
MAX_TOP = 20
PREVIEW_HEIGHT = 720


# --- cache -----------------------------------------------------------------------------------


class PreparedBrief:
    """A built brief and the bytes of each format rendered so far.

    Deferred downloads call :meth:`bytes_for` on threads of their own. Each format has its
    own lock: a format asked for twice at once is rendered once, and a PDF being made for a
    download never holds up the page, which reads the Markdown.
    """

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self._bytes: dict[str, bytes] = {}
        self._svgs: tuple[str, ...] | None = None
        self._locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def _lock(self, name: str) -> threading.Lock:
        with self._locks_lock:
            return self._locks.setdefault(name, threading.Lock())

    def bytes_for(self, fmt: str) -> bytes:
        with self._lock(fmt):
            if fmt not in self._bytes:
                self._bytes[fmt] = render_brief(self.brief, fmt)
            return self._bytes[fmt]

    def chart_svgs(self) -> tuple[str, ...]:
        """The brief's charts as the documents show them (SVG, rendered offline once)."""
        with self._lock("charts"):
            if self._svgs is None:
                self._svgs = tuple(render_svg(chart) for chart in self.brief.charts)
            return self._svgs


T = TypeVar("T")
_CACHE_SIZE = 16
_cache: OrderedDict[tuple[int, Hashable], tuple[AppData, Any]] = OrderedDict()
_cache_lock = threading.Lock()


def _cached(data: AppData, key: Hashable, make: Callable[[], T]) -> T:
    """``make()`` remembered per (loaded data, ``key``), least recently used dropped first.

    The data is keyed by identity (``state.load_data`` returns the same object while nothing
    changed on disk) and kept alive in the entry, so an id is never mistaken for another's.
    A failure is not remembered: the next rerun tries again.
    """
    full = (id(data), key)
    with _cache_lock:
        hit = _cache.get(full)
        if hit is not None and hit[0] is data:
            _cache.move_to_end(full)
            return hit[1]
    value = make()
    with _cache_lock:
        _cache[full] = (data, value)
        _cache.move_to_end(full)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def _interactions(data: AppData) -> Interactions:
    return _cached(data, "interactions", lambda: load_interactions(default_root(), data.bundled))


def prepare(data: AppData, spec: BriefSpec, user_sets: Sequence[OptionSet] = ()) -> PreparedBrief:
    """The brief for ``spec`` over the loaded data, built once per inputs (and per day).

    Raises what :func:`scoring.briefs.build_brief` raises: ValidationError listing every
    fault of the spec (an unknown profile, a filter that leaves nothing, ...).
    """
    sets = tuple(user_sets)
    today = datetime.now(UTC).date()

    def build() -> PreparedBrief:
        return PreparedBrief(
            build_brief(
                data.bundled,
                spec,
                profiles=data.profiles,
                overrides=data.workspace.overrides,
                interactions=_interactions(data) if spec.option_sets else None,
                sets=sets,
            )
        )

    return _cached(data, ("brief", spec, sets, today), build)


# --- showing Markdown inertly ----------------------------------------------------------------

# --- inputs ----------------------------------------------------------------------------------


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
    adjusted = not view.at_profile and any(view.points.values())
    weights: dict[str, float] = {}
    if chosen and chosen[0] == view.profile.id and adjusted:
        weights = dict(view.points)
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


def _inputs(view: View) -> tuple[BriefSpec, tuple[OptionSet, ...], list[str]]:
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


# --- output ----------------------------------------------------------------------------------


def _downloads(prepared: PreparedBrief, spec: BriefSpec) -> None:
    brief = prepared.brief
    stem = file_stem(brief.title)
    st.subheader("Download")
    row = st.container(horizontal=True, gap="small")
    for fmt in spec.formats:
        data: bytes | Callable[[], bytes] = (
            prepared.bytes_for(fmt) if fmt in EAGER else functools.partial(prepared.bytes_for, fmt)
        )
        row.download_button(
            f"{FORMAT_LABELS[fmt]} ({SUFFIXES[fmt]})",
            data=data,
            file_name=stem + SUFFIXES[fmt],
            mime=MEDIA_TYPES[fmt],
            key=DOWNLOAD_KEY.format(fmt),
            icon=FORMAT_ICONS[fmt],
            on_click="ignore",
            type="primary" if fmt == spec.formats[0] else "secondary",
        )
    row.download_button(
        "Scenario (.yaml)",
        data=brief.record.scenario_yaml.encode("utf-8"),
        file_name=f"{stem}-scenario.yaml",
        mime=SCENARIO_MEDIA_TYPE,
        key=SCENARIO_KEY,
        icon=":material/replay:",
        on_click="ignore",
    )
    if not spec.formats:
        st.caption("No format chosen above: only the scenario can be downloaded.")
    st.caption(
        "Word, PDF, HTML and Excel are made when clicked (a few seconds the first time, "
        "then kept). "
        f"`recscore brief --scenario {stem}-scenario.yaml -o {stem}.pdf` rebuilds the same "
        "ranking, with the same hashes, from the scenario file."
    )


def _summary(brief: Brief) -> None:
    first = brief.ranking[0]
    record = brief.record
    st.markdown(
        inert_markdown(
            f"**{brief.count}** recommendations ranked under **{md(brief.profile.name)}**"
            + (" (adjusted weights)" if brief.profile.adjusted else "")
            + f" by {get(brief.method).display_name}; first: **{md(first.title)}** "
            f"({score_name(brief.method).lower()} {number_text(first.score, brief.method)}). "
            f"{len(brief.cards)} detailed."
        )
    )
    st.caption(
        f"{md(brief.filters_text)} · "
        f"inputs sha256 `{record.inputs_sha256[:16]}…` · catalog `{record.catalog_sha256[:16]}…`"
    )


@st.fragment
def _preview(prepared: PreparedBrief) -> None:
    brief = prepared.brief
    text, charts = st.tabs(["Brief (Markdown)", "Charts"], key=TAB_KEY, on_change="rerun")
    if text.open:
        with text:
            st.caption(
                "The Markdown file as it reads; document text is escaped, so quotes and "
                "titles show as written and never become links or markup."
            )
            with st.container(height=PREVIEW_HEIGHT, border=True):
                st.markdown(inert_markdown(prepared.bytes_for("md").decode("utf-8")))
    if charts.open:
        with charts:
            st.caption("As in the HTML, Word and PDF files.")
            with st.spinner("Drawing the charts…"):
                svgs = prepared.chart_svgs()
            for chart, svg in zip(brief.charts, svgs, strict=True):
                st.image(svg, width="content")  # an <img>: nothing in it can run
                st.caption(md(chart.description))


def page() -> None:
    view = current_view()
    st.title("Brief")
    st.caption(
        "A two-page decision memo (header, bottom line, two or three options and the status "
        "quo, each with its provenance and room to approve), then annexes: the ranked list, a "
        "card per detailed recommendation with its verbatim source, trade-offs, perspectives, "
        "option sets, robustness, method, sources and a reproducibility record. It starts "
        "from the sidebar's profile, weights and filters."
    )
    spec, user_sets, gone = _inputs(view)
    if gone:
        st.error(
            f"The profile(s) {md(', '.join(f'“{pid}”' for pid in gone))} chosen for this brief "
            "no longer exist (deleted or renamed on the Perspectives page) and were taken out "
            "of the selection. Check the profiles above; nothing can be downloaded until then."
        )
        st.stop()
    if not spec.profiles:
        st.info("Choose at least one weight profile to build the brief.")
        st.stop()
    try:
        with st.spinner("Building the brief…", show_time=True):
            prepared = prepare(view.data, spec, user_sets)
    except RecscoreError as exc:
        show_failure(exc, "This brief cannot be built; nothing to download:")
        st.stop()
    _downloads(prepared, spec)
    _summary(prepared.brief)
    _preview(prepared)
