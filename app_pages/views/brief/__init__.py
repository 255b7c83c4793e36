"""Brief: a decision-ready brief of the ranking, previewed here, downloaded in six formats.

The inputs (:mod:`.inputs`) start from the sidebar and follow it until changed here.
:func:`scoring.briefs.build_brief` builds the brief once per set of inputs (``caching.cached``,
shared by sessions); the preview is its Markdown. On a large catalog the brief is built when
asked for (a button), not on every weight change: its robustness section alone takes seconds
at thousands of recommendations, so the page stays responsive while the inputs are set.
Word, PDF, HTML and Excel are rendered only when their button is clicked (a deferred
download) and kept with the brief, so a second click costs nothing.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

import streamlit as st

from app_pages.caching import cached
from app_pages.render import inert_markdown, md, show_failure
from app_pages.state import AppData, current_view
from app_pages.views.brief.inputs import (
    FORMAT_LABELS,
    SCENARIO_MEDIA_TYPE,
    TAB_KEY,
    file_stem,
    inputs,
)
from scoring.briefs import MEDIA_TYPES, SUFFIXES, Brief, BriefSpec, build_brief, render_brief
from scoring.briefs.charts import render_svg
from scoring.briefs.formatting import number_text, score_name
from scoring.bundled import default_root
from scoring.errors import RecscoreError
from scoring.methods import get
from scoring.option_sets import Interactions, OptionSet, load_interactions

__all__ = [
    "AUTO_BUILD_MAX",
    "FORMAT_LABELS",
    "SCENARIO_MEDIA_TYPE",
    "PreparedBrief",
    "file_stem",
    "page",
    "prepare",
]

DOWNLOAD_KEY = "brief_download_{}"
SCENARIO_KEY = "brief_download_scenario"
BUILD_KEY = "brief_build"
REQUESTED_KEY = "brief_requested"  # the inputs this session asked a brief for
# Up to this many recommendations the brief follows every change of the inputs; above, it is
# built on request (at 5,000 one build takes tens of seconds, mostly SMAA's draws).
AUTO_BUILD_MAX = 500
# Rendered with the brief: the preview needs the Markdown anyway, and CSV takes milliseconds.
# The others (charts as SVG or PNG, Word, PDF layout) take a second or more: on click only.
EAGER = {"md", "csv"}
PREVIEW_HEIGHT = 720
FORMAT_ICONS = {
    "md": ":material/description:",
    "html": ":material/html:",
    "docx": ":material/article:",
    "pdf": ":material/picture_as_pdf:",
    "csv": ":material/table_rows:",
    "xlsx": ":material/table_view:",
}


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


def _data_key(data: AppData) -> str:
    """The key results derived from ``data`` are cached under: what it was loaded from, or,
    for data made some other way, the object itself (kept alive by the cache entry's caller)."""
    return data.key or f"object {id(data)}"


@cached(max_entries=4)
def _interactions(data_key: str, _data: AppData) -> Interactions:
    return load_interactions(default_root(), _data.bundled)


@cached(max_entries=16)
def _prepared(
    data_key: str, spec: BriefSpec, sets: tuple[OptionSet, ...], today: date, _data: AppData
) -> PreparedBrief:
    """One brief per (loaded data, inputs, day), shared by sessions. A failure is not kept:
    the next rerun tries again."""
    return PreparedBrief(
        build_brief(
            _data.bundled,
            spec,
            profiles=_data.profiles,
            overrides=_data.workspace.overrides,
            interactions=_interactions(data_key, _data) if spec.option_sets else None,
            sets=sets,
        )
    )


def prepare(data: AppData, spec: BriefSpec, user_sets: Sequence[OptionSet] = ()) -> PreparedBrief:
    """The brief for ``spec`` over the loaded data, built once per inputs (and per day).

    Raises what :func:`scoring.briefs.build_brief` raises: ValidationError listing every
    fault of the spec (an unknown profile, a filter that leaves nothing, ...).
    """
    return _prepared(_data_key(data), spec, tuple(user_sets), datetime.now(UTC).date(), data)


def _wanted(data: AppData, spec: BriefSpec, sets: Sequence[OptionSet]) -> bool:
    """Whether to build now: always on a small catalog; on a large one once asked for."""
    if len(data.catalog.recommendations) <= AUTO_BUILD_MAX:
        return True
    requested: set[object] = st.session_state.setdefault(REQUESTED_KEY, set())
    key = (_data_key(data), spec, tuple(sets), datetime.now(UTC).date())
    if key in requested:
        return True
    st.info(
        f"{len(data.catalog.recommendations):,} recommendations: the brief is built when "
        "asked for, not on every change of the inputs (a build takes a while at this size)."
    )
    if st.button("Build the brief", key=BUILD_KEY, type="primary", icon=":material/build:"):
        requested.add(key)
        return True
    return False


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
    spec, user_sets, gone = inputs(view)
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
    if not _wanted(view.data, spec, user_sets):
        return
    try:
        with st.spinner("Building the brief…", show_time=True):
            prepared = prepare(view.data, spec, user_sets)
    except RecscoreError as exc:
        show_failure(exc, "This brief cannot be built; nothing to download:")
        st.stop()
    _downloads(prepared, spec)
    _summary(prepared.brief)
    _preview(prepared)
