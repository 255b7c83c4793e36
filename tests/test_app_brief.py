"""The Brief page under AppTest: inputs, preview, downloads and bad input.

Each test gets its own empty workspace (``RECSCORE_WORKSPACE``). Download buttons are read
through Streamlit's ``marshall_file`` (what every ``st.download_button`` calls with its data,
MIME type and file name), so the tests see the bytes a user would get, including those of
deferred buttons, whose callables they run.
"""

from __future__ import annotations

import csv
import inspect
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from openpyxl import load_workbook
from streamlit.elements.widgets import button as streamlit_button
from streamlit.testing.v1 import AppTest

from app_pages import render
from app_pages.views import brief as brief_view
from scoring.briefs import FORMATS, MEDIA_TYPES, brief_from_scenario, parse_scenario
from scoring.briefs.escape import md_text
from scoring.methods import PrometheeII, rank, rank_by
from scoring.model import Catalog
from scoring.tables import display_ids
from scoring.workspace import ENV_VARIABLE, Workspace

from conftest import REPO_ROOT, front_catalog

TIMEOUT = 120
PAGE = "app_pages/brief.py"
TITLE = "Ranked recommendations"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return front_catalog()


@pytest.fixture(autouse=True)
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv(ENV_VARIABLE, str(tmp_path / "ws"))
    return Workspace(tmp_path / "ws")


Download = dict[str, Any]


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Download]:
    """File name -> {"mime", "data"} of every download button of the latest run."""
    recorded: dict[str, Download] = {}
    original = streamlit_button.marshall_file
    signature = inspect.signature(original)

    def record(*args: Any, **kwargs: Any) -> None:
        bound = signature.bind(*args, **kwargs)
        recorded[bound.arguments["file_name"]] = {
            "mime": bound.arguments["mimetype"],
            "data": bound.arguments["data"],
        }
        original(*args, **kwargs)

    monkeypatch.setattr(streamlit_button, "marshall_file", record)
    return recorded


def content(download: Download) -> bytes:
    """The bytes a click gives: eager data as is, a deferred button's callable run."""
    data = download["data"]
    return data() if callable(data) else data


def start(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(query or {})
    at.run()
    at.switch_page(PAGE).run()
    return at


def rerun(at: AppTest, downloads: dict[str, Download] | None = None) -> AppTest:
    if downloads is not None:
        downloads.clear()
    at.run()
    return at


def assert_clean(at: AppTest) -> None:
    assert [e.value for e in at.exception] == []
    assert [e.value for e in at.error] == []


def preview(at: AppTest) -> str:
    """The previewed Markdown, with the invisible word joiners taken out."""
    [text] = [m.value for m in at.markdown if m.value.startswith("# ")]
    return text.replace(render.WORD_JOINER, "")


def scenario(downloads: dict[str, Download], stem: str = "ranked-recommendations") -> Any:
    return yaml.safe_load(content(downloads[f"{stem}-scenario.yaml"]))


def title_of(catalog: Catalog, rec_id: str) -> str:
    return catalog.recommendation(rec_id).title


# --- renders ---------------------------------------------------------------------------------


def test_page_renders_with_a_download_per_format_and_the_scenario(
    downloads: dict[str, Download],
) -> None:
    at = start()
    assert_clean(at)
    assert [t.value for t in at.title] == ["Brief"]
    expected = {
        "ranked-recommendations.md": "text/markdown; charset=utf-8",
        "ranked-recommendations.html": "text/html; charset=utf-8",
        "ranked-recommendations.docx": MEDIA_TYPES["docx"],
        "ranked-recommendations.pdf": "application/pdf",
        "ranked-recommendations.csv": "text/csv; charset=utf-8",
        "ranked-recommendations.xlsx": MEDIA_TYPES["xlsx"],
        "ranked-recommendations-scenario.yaml": "application/yaml",
    }
    assert {name: d["mime"] for name, d in downloads.items()} == expected
    keys = {button.key for button in at.get("download_button")}
    assert keys == {f"brief_download_{fmt}" for fmt in FORMATS} | {"brief_download_scenario"}
    # Heavy formats are rendered on click only; the preview's Markdown and the CSV at once.
    heavy = {"html", "docx", "pdf", "xlsx"}
    assert {n.rsplit(".", 1)[1] for n, d in downloads.items() if callable(d["data"])} == heavy


def test_preview_and_files_follow_the_engine_ranking(
    downloads: dict[str, Download], catalog: Catalog
) -> None:
    at = start()
    order = display_ids(catalog, rank(catalog, catalog.profiles["balanced"].weights))
    text = preview(at)
    assert text.startswith(f"# {TITLE}\n")
    assert f"### 1. {md_text(title_of(catalog, order[0]))}" in text
    assert f"### 2. {md_text(title_of(catalog, order[1]))}" in text
    # The preview is the Markdown file, word joiners aside (Streamlit strips the last newline).
    assert content(downloads["ranked-recommendations.md"]).decode("utf-8").rstrip() == text
    table = content(downloads["ranked-recommendations.csv"]).decode("utf-8-sig")
    assert [row["id"] for row in csv.DictReader(io.StringIO(table))] == order
    workbook = load_workbook(io.BytesIO(content(downloads["ranked-recommendations.xlsx"])))
    ids = [
        row[2] for row in workbook["Ranking"].iter_rows(min_row=2, values_only=True)
    ]  # rank, tied, id
    assert ids == order


def test_charts_tab_shows_the_documents_charts(downloads: dict[str, Download]) -> None:
    at = start()
    at.multiselect(key="brief_profiles").set_value(["balanced", "pressure"])
    at.session_state["brief_tab"] = "Charts"
    rerun(at, downloads)
    assert_clean(at)
    # The contributions chart, and the perspectives chart once two profiles are compared.
    assert len(at.image) == 2


def test_scenario_rebuilds_the_same_brief(downloads: dict[str, Download], catalog: Catalog) -> None:
    at = start()
    at.session_state["brief_title"] = "Legal cooperation: what first?"
    rerun(at, downloads)
    assert_clean(at)
    data = scenario(downloads, "legal-cooperation-what-first")
    assert data["brief"]["title"] == "Legal cooperation: what first?"
    assert data["brief"]["formats"] == list(FORMATS)
    rebuilt = brief_from_scenario(catalog, parse_scenario(data))  # raises if a hash differs
    assert rebuilt.record.ranking_sha256 == data["hashes"]["ranking"]
    assert rebuilt.ranking[0].title == title_of(
        catalog, rank(catalog, catalog.profiles["balanced"].weights).ids[0]
    )


# --- inputs ----------------------------------------------------------------------------------


def test_inputs_start_from_the_sidebar_and_its_adjusted_weights(
    downloads: dict[str, Download], catalog: Catalog
) -> None:
    at = start({"profile": "pressure"})
    assert at.multiselect(key="brief_profiles").value == ["pressure"]
    at.sidebar.slider(key="w_leverage").set_value(90.0)
    rerun(at, downloads)
    assert_clean(at)
    points = {cid: at.session_state[f"w_{cid}"] for cid in catalog.criterion_ids}
    data = scenario(downloads)
    assert data["brief"]["profiles"] == ["pressure"]
    assert data["brief"]["weights"] == points
    top = rank(catalog, points).ids[0]
    assert f"### 1. {md_text(title_of(catalog, top))}" in preview(at)
    rebuilt = brief_from_scenario(catalog, parse_scenario(data))  # raises if a hash differs
    assert rebuilt.ranking[0].id == top

    # The sidebar's filters are the brief's until changed here.
    instrument = catalog.recommendation(top).instrument
    at.session_state["filter_instruments"] = [instrument]  # the sidebar's (closed) filter
    rerun(at, downloads)
    assert at.multiselect(key="brief_filter_instruments").value == [instrument]
    assert scenario(downloads)["brief"]["filters"]["instruments"] == [instrument]


def test_the_method_starts_from_the_sidebar_and_ranks_as_rank_by(
    downloads: dict[str, Download], catalog: Catalog
) -> None:
    at = start({"method": "topsis"})
    assert_clean(at)
    picker = at.selectbox(key="brief_method")
    assert picker.options == ["Weighted sum", "TOPSIS", "PROMETHEE II"]
    assert picker.value == "topsis"
    order = display_ids(catalog, rank_by(catalog, catalog.profiles["balanced"].weights, "topsis"))
    text = preview(at)
    assert f"### 1. {md_text(title_of(catalog, order[0]))}" in text
    assert "**Closeness** " in text
    table = content(downloads["ranked-recommendations.csv"]).decode("utf-8-sig")
    assert [row["id"] for row in csv.DictReader(io.StringIO(table))] == order
    data = scenario(downloads)
    assert data["brief"]["method"] == "topsis"
    rebuilt = brief_from_scenario(catalog, parse_scenario(data))  # raises if a hash differs
    assert [row.id for row in rebuilt.ranking] == order


def test_the_method_follows_the_sidebar_until_picked_here(
    downloads: dict[str, Download], catalog: Catalog
) -> None:
    at = start()
    assert at.selectbox(key="brief_method").value == "weighted_sum"
    at.sidebar.selectbox(key="method").set_value("promethee_ii")
    rerun(at, downloads)
    assert_clean(at)
    assert at.selectbox(key="brief_method").value == "promethee_ii"
    assert scenario(downloads)["brief"]["method"] == "promethee_ii"
    first = rank_by(catalog, catalog.profiles["balanced"].weights, "promethee_ii")
    expected = f"by PROMETHEE II; first: **{md_text(title_of(catalog, first.ids[0]))}** (net flow +"
    assert any(expected in m.value.replace(render.WORD_JOINER, "") for m in at.markdown)
    # Picked here, the brief's method no longer follows the sidebar.
    at.selectbox(key="brief_method").set_value("topsis")
    rerun(at, downloads)
    at.sidebar.selectbox(key="method").set_value("weighted_sum")
    rerun(at, downloads)
    assert_clean(at)
    assert at.selectbox(key="brief_method").value == "topsis"
    assert scenario(downloads)["brief"]["method"] == "topsis"


def test_the_sidebars_promethee_settings_rank_the_brief(
    downloads: dict[str, Download], catalog: Catalog
) -> None:
    at = start()
    at.session_state["method"] = "promethee_ii"  # the sidebar's method
    at.session_state["promethee_p"] = 3.0  # the Robustness page's preference threshold
    rerun(at, downloads)
    assert_clean(at)
    assert at.selectbox(key="brief_method").value == "promethee_ii"
    weights = catalog.profiles["balanced"].weights
    order = display_ids(catalog, rank_by(catalog, weights, PrometheeII("linear", 0, 3)))
    assert order != display_ids(
        catalog, rank_by(catalog, weights, "promethee_ii")
    )  # p matters here
    table = content(downloads["ranked-recommendations.csv"]).decode("utf-8-sig")
    assert [row["id"] for row in csv.DictReader(io.StringIO(table))] == order
    text = preview(at)
    assert f"### 1. {md_text(title_of(catalog, order[0]))}" in text
    assert "Settings chosen for this brief: linear preference, q = 0, p = 3," in text
    said = [c.value for c in at.caption if "Robustness page" in c.value]
    assert said == ["Settings from the Robustness page: linear preference, q = 0, p = 3."]
    data = scenario(downloads)
    assert data["brief"]["method_settings"] == {"p": 3.0}
    rebuilt = brief_from_scenario(catalog, parse_scenario(data))  # raises if a hash differs
    assert [row.id for row in rebuilt.ranking] == order


def test_a_method_picked_here_brings_its_own_stored_settings(
    downloads: dict[str, Download], catalog: Catalog
) -> None:
    at = start({"method": "topsis"})
    at.session_state["promethee_preference"] = "level"
    at.session_state["promethee_q"] = 0.5
    at.session_state["promethee_p"] = 1.5
    at.selectbox(key="brief_method").set_value("promethee_ii")
    rerun(at, downloads)
    assert_clean(at)
    spec = PrometheeII("level", 0.5, 1.5)
    order = display_ids(catalog, rank_by(catalog, catalog.profiles["balanced"].weights, spec))
    table = content(downloads["ranked-recommendations.csv"]).decode("utf-8-sig")
    assert [row["id"] for row in csv.DictReader(io.StringIO(table))] == order
    assert scenario(downloads)["brief"]["method_settings"] == {
        "preference": "level",
        "q": 0.5,
        "p": 1.5,
    }
    # Back to TOPSIS, the sidebar's method, at its default anchors: nothing is recorded.
    at.selectbox(key="brief_method").set_value("topsis")
    rerun(at, downloads)
    assert_clean(at)
    assert "method_settings" not in scenario(downloads)["brief"]
    said = [c.value for c in at.caption if "Robustness page" in c.value]
    assert said == [
        "Default settings (ideal points at the scale ends); the Robustness page changes them."
    ]


def test_invalid_stored_settings_fall_back_to_the_defaults_and_say_so(
    downloads: dict[str, Download],
) -> None:
    at = start()
    at.session_state["promethee_q"] = 3.0  # above p = 2: not valid for a linear function
    at.selectbox(key="brief_method").set_value("promethee_ii")
    rerun(at, downloads)
    assert_clean(at)
    said = [c.value for c in at.caption if "Robustness page" in c.value]
    assert said == [
        "The Robustness page's PROMETHEE II settings are not valid: the brief uses the "
        "defaults (linear preference, q = 0, p = 2)."
    ]
    assert "method_settings" not in scenario(downloads)["brief"]


def test_several_profiles_add_the_perspectives(downloads: dict[str, Download]) -> None:
    at = start()
    at.multiselect(key="brief_profiles").set_value(["balanced", "human_rights_first"])
    rerun(at, downloads)
    assert_clean(at)
    assert re.search(r"\n## Annex [A-Z]: Perspectives\n", preview(at))
    assert scenario(downloads)["brief"]["profiles"] == ["balanced", "human_rights_first"]
    # Changed here, the choice no longer follows the sidebar.
    at.sidebar.selectbox(key="profile").set_value("pressure")
    rerun(at, downloads)
    assert at.multiselect(key="brief_profiles").value == ["balanced", "human_rights_first"]


def test_chosen_formats_and_top_shape_the_downloads(downloads: dict[str, Download]) -> None:
    at = start()
    at.button_group(key="brief_formats").set_value(["pdf", "md"])
    at.number_input(key="brief_top").set_value(1)
    rerun(at, downloads)
    assert_clean(at)
    assert set(downloads) == {
        "ranked-recommendations.md",
        "ranked-recommendations.pdf",
        "ranked-recommendations-scenario.yaml",
    }
    assert "### 1. " in preview(at)
    assert "### 2. " not in preview(at).split("## Options ranked")[0]
    assert scenario(downloads)["brief"]["formats"] == ["md", "pdf"]


def test_an_unchanged_brief_is_not_built_again(
    downloads: dict[str, Download], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []
    original: Callable[..., Any] = brief_view.build_brief
    monkeypatch.setattr(
        brief_view, "build_brief", lambda *a, **k: calls.append(a) or original(*a, **k)
    )
    at = start()
    rerun(at)
    rerun(at)
    assert len(calls) == 1
    at.number_input(key="brief_top").set_value(4)
    rerun(at)
    assert len(calls) == 2


# --- bad input -------------------------------------------------------------------------------


def test_a_filter_that_leaves_nothing_gives_a_message_and_no_download(
    downloads: dict[str, Download], catalog: Catalog
) -> None:
    document = catalog.documents[0].name
    present = {rec.instrument for rec in catalog.recommendations if rec.document == document}
    absent = next(key for key in catalog.instruments if key not in present)
    at = start()
    at.multiselect(key="brief_filter_documents").set_value([document])
    at.multiselect(key="brief_filter_instruments").set_value([absent])
    rerun(at, downloads)
    assert [e.value for e in at.exception] == []
    [error] = [e.value for e in at.error]
    assert "cannot be built" in error
    assert "filters that leave at least one recommendation" in error
    assert downloads == {}
    assert at.get("download_button") == []


def test_an_unknown_profile_gives_a_message_and_no_download(
    downloads: dict[str, Download],
) -> None:
    at = start()
    at.session_state["brief_profiles"] = ["nobody", "pressure"]
    rerun(at, downloads)
    assert [e.value for e in at.exception] == []
    [error] = [e.value for e in at.error]
    assert "“nobody”" in error
    assert "no longer exist" in error
    assert downloads == {}
    # The vanished profile was taken out; the next run builds with what is left.
    assert at.multiselect(key="brief_profiles").value == ["pressure"]
    rerun(at, downloads)
    assert_clean(at)
    assert scenario(downloads)["brief"]["profiles"] == ["pressure"]


# --- inert text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (":smile: :+1:", ":\u2060smile: :\u2060+1:"),
        (r"see http:\/\/evil.example and www\.evil.example", None),
        ("mail a@evil.example", "mail a@\u2060evil.example"),
        (":red\\[x\\] :material/warning:", ":\u2060red\\[x\\] :\u2060material/warning:"),
        ("Scope: all. `code: http://x`", "Scope: all. `code: http://x`"),
        ("```yaml\nurl: http://x :smile:\n```\nafter :smile:", None),
    ],
)
def test_streamlit_markup_in_document_text_is_broken_up(raw: str, shown: str | None) -> None:
    inert = render.inert_markdown(raw)
    assert inert.replace(render.WORD_JOINER, "") == raw
    if shown is not None:
        assert inert == shown
    outside_code = re.sub(r"`[^`]*`", "", re.sub(r"```.*?```", "", inert, flags=re.DOTALL))
    for pattern in ("://", ":/", "www.", "www\\.", ":smile:", ":+1:", "@evil"):
        assert pattern not in outside_code


def test_file_names_come_from_the_title() -> None:
    assert brief_view.file_stem("Ranked recommendations") == "ranked-recommendations"
    assert brief_view.file_stem("Über: <b>Naïve</b> plan!") == "uber-b-naive-b-plan"
    assert brief_view.file_stem("“???”") == "brief"


def test_a_large_catalogs_brief_is_built_when_asked_not_on_every_weight_change(
    downloads: dict[str, Download], monkeypatch: pytest.MonkeyPatch
) -> None:
    # "Large" is lowered to below the bundled catalog's size (the threshold, not the data).
    monkeypatch.setattr(brief_view, "AUTO_BUILD_MAX", 10)
    calls: list[Any] = []
    original: Callable[..., Any] = brief_view.build_brief
    monkeypatch.setattr(
        brief_view, "build_brief", lambda *a, **k: calls.append(a) or original(*a, **k)
    )
    at = start()
    assert_clean(at)
    assert calls == []
    assert at.get("download_button") == []
    assert any("built when asked for" in info.value for info in at.info)
    slider = next(s for s in at.sidebar.slider if str(s.key).startswith("w_"))
    slider.set_value(0.3)
    rerun(at, downloads)
    assert calls == []
    assert downloads == {}
    at.button(key="brief_build").click()
    rerun(at, downloads)
    assert_clean(at)
    assert len(calls) == 1
    assert preview(at).startswith("# ")
    assert scenario(downloads)["brief"]["weights"]  # the sidebar's adjusted weights
    rerun(at, downloads)  # the same inputs again: kept, not rebuilt and not asked again
    assert len(calls) == 1
    assert preview(at).startswith("# ")
