"""Ranked briefs: every format opens with a reader library, says the same thing in the same
order, keeps hostile document text inert, rebuilds from its scenario, and fails cleanly."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from scoring.briefs import (
    FORMATS,
    METHODS,
    Brief,
    BriefSpec,
    Filters,
    brief_files,
    brief_from_scenario,
    build_brief,
    load_scenario,
    method_settings,
    parse_scenario,
    render_brief,
    robustness_section,
    write_atomically,
)
from scoring.briefs.charts import render_svg
from scoring.briefs.content import plain
from scoring.briefs.escape import md_line_start, md_text, neutralize_formula, xml_safe
from scoring.briefs.formatting import number_text, range_text, score_name, score_text
from scoring.briefs.robustness_section import SMAA_SAMPLES, SMAA_SEED
from scoring.errors import Code, ValidationError
from scoring.loading import load_catalog
from scoring.methods import METHOD_NAMES, PrometheeII, Topsis, method_spec, rank_by, score_range
from scoring.methods import METHODS as ENGINE_METHODS
from scoring.model import Catalog, Score
from scoring.option_sets import Interactions, OptionSet, load_interactions
from scoring.robustness import (
    PROMETHEE_COMPARISONS,
    constraints_from_profile,
    one_way_sensitivity,
    smaa,
)
from scoring.tables import display_ids

from conftest import REPO_ROOT, ProjectMaker, front_catalog, snapshot

MOMENT = datetime(2025, 1, 31, 12, 0, tzinfo=UTC)

# A recommendation whose every field tries to become markup, a link or a formula.
EVIL_TITLE = '=HYPERLINK("http://evil.example","Pwn") <script>alert(1)</script> [t](javascript:x)'
EVIL_QUOTE = (
    '=HYPERLINK("http://evil.example","click") and <script>alert(2)</script> and '
    "[click me](javascript:alert(3)) and **bold** and <b onmouseover=alert(4)>x</b>"
)
EVIL_SUMMARY = "@SUM(A1) <img src=x onerror=alert(5)> | a | b | ![i](http://evil.example/i.png)"


def _add_evil(seed: dict[str, Any]) -> None:
    seed["recommendations"].append(
        {
            "id": "t-evil",
            "title": EVIL_TITLE,
            "summary": EVIL_SUMMARY,
            "quote": EVIL_QUOTE,
            "actor": "+cmd|' /C calc'!A0",
            "instrument": "dialogue",
            "kind": "explicit",
            "scores": {
                criterion: {
                    "value": 5,
                    "low": 4,
                    "high": 5,
                    "rationale": f"-2+3 <i>{criterion}</i> [x](javascript:y)",
                }
                for criterion in ("leverage", "buy_in")
            }
            | {"risk": {"value": 1, "low": 1, "high": 2, "rationale": "=1+1"}},
        }
    )


@pytest.fixture
def evil_catalog(make_project: ProjectMaker) -> Catalog:
    """The fixtures' small catalog plus the hostile recommendation, which ranks first."""
    root = make_project(seed=_add_evil)
    text = (root / "seeds" / "doc.txt").read_text(encoding="utf-8")
    (root / "seeds" / "doc.txt").write_text(text + "\n" + EVIL_QUOTE + "\n", encoding="utf-8")
    return load_catalog(root)


@pytest.fixture(scope="module")
def seeds() -> Catalog:
    return front_catalog()


def _spec(**changes: Any) -> BriefSpec:
    base: dict[str, Any] = {
        "title": "Test brief",
        "question": "Which to take forward?",
        "profiles": ("balanced", "pressure"),
        "top": 2,
        "formats": FORMATS,
    }
    return BriefSpec(**(base | changes))


# --- reading every format back -------------------------------------------------------------


class _Html(HTMLParser):
    """Collects tags, attributes and text, so tests can assert what a browser would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str | None]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value) for name, value in attrs]
        if tag in ("style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "svg"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _parse_html(markup: str) -> _Html:
    parser = _Html()
    parser.feed(markup)
    parser.close()
    return parser


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _read_md(data: bytes) -> tuple[str, _Html]:
    rendered = MarkdownIt("commonmark").enable("table").render(data.decode("utf-8"))
    parser = _parse_html(rendered)
    return _squash("".join(parser.text)), parser


def _read_html(data: bytes) -> tuple[str, _Html]:
    parser = _parse_html(data.decode("utf-8"))
    return _squash("".join(parser.text)), parser


def _read_docx(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            parts.append(
                "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            )
        elif child.tag.endswith("}tbl"):
            parts.append(
                " ".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            )
    return _squash("\n".join(parts))


def _read_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return _squash("\n".join(page.extract_text() for page in reader.pages))


def _read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    return [[cell.value for cell in row] for row in workbook["Ranking"].iter_rows()]


def _text_of(fmt: str, data: bytes) -> str:
    if fmt == "md":
        return _read_md(data)[0]
    if fmt == "html":
        return _read_html(data)[0]
    if fmt == "docx":
        return _read_docx(data)
    if fmt == "pdf":
        return _read_pdf(data)
    if fmt == "csv":
        return " ".join(" ".join(row.values()) for row in _read_csv(data))
    return " ".join(" ".join(str(v) for v in row if v is not None) for row in _read_xlsx(data))


def _titles_in_order(text: str, titles: list[str], start: int = 0) -> bool:
    """Whether every title occurs in ``text`` after ``start``, each after the one before."""
    position = start
    for title in titles:
        found = text.find(_squash(title), position)
        if found < 0:
            return False
        position = found + len(title)
    return True


# --- every format --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_brief(seeds: Catalog) -> tuple[Brief, dict[str, bytes]]:
    brief = build_brief(seeds, _spec(top=3), generated=MOMENT)
    return brief, {fmt: render_brief(brief, fmt) for fmt in FORMATS}


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
def test_documents_list_the_ranking_in_order_and_quote_each_card(
    seed_brief: tuple[Brief, dict[str, bytes]], fmt: str
) -> None:
    brief, files = seed_brief
    text = _text_of(fmt, files[fmt])
    ranked = text.find("Options ranked")
    assert ranked > 0
    assert _titles_in_order(text, [row.title for row in brief.listed], ranked)
    annex = text.find(brief.annex("ranking"))
    assert annex > ranked
    assert _titles_in_order(text, [row.title for row in brief.ranking], annex)
    for card in brief.cards:
        assert _squash(card.quote) in text
    # Reading order: the memo (header, bottom line, options), then every annex in order.
    headings = [
        "Bottom line",
        "Options for decision",
        "Weights and scores",
        *(heading for _, heading in brief.annexes()),
    ]
    assert [key for key, _ in brief.annexes()] == [
        "ranked",
        "cards",
        "tradeoffs",
        "perspectives",
        "robustness",
        "method",
        "criteria",
        "ranking",
        "sources",
        "record",
    ]
    assert _titles_in_order(text, headings)
    assert brief.record.inputs_sha256 in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tables_hold_the_full_ranking_in_order(
    seed_brief: tuple[Brief, dict[str, bytes]], fmt: str
) -> None:
    brief, files = seed_brief
    if fmt == "csv":
        rows = _read_csv(files["csv"])
        titles = [row["title"] for row in rows]
        quotes = [row["quote"] for row in rows]
        ranks = [int(row["rank"]) for row in rows]
    else:
        header, *body = _read_xlsx(files["xlsx"])
        titles = [row[header.index("title")] for row in body]
        quotes = [row[header.index("quote")] for row in body]
        ranks = [row[header.index("rank")] for row in body]
    assert titles == [row.title for row in brief.ranking]
    # Competition ranks: ties share the best rank of their group.
    assert ranks == [row.rank for row in brief.ranking]
    assert ranks[0] == 1
    assert ranks == sorted(ranks)
    assert all(rank <= index + 1 for index, rank in enumerate(ranks))
    for card in brief.cards:
        assert card.quote in quotes


def test_docx_has_real_headings_tables_and_the_charts(
    seed_brief: tuple[Brief, dict[str, bytes]],
) -> None:
    import docx

    document = docx.Document(io.BytesIO(seed_brief[1]["docx"]))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Quote"} <= styles
    assert len(document.tables) >= 6
    assert len(document.inline_shapes) == len(seed_brief[0].charts) == 2


def test_pdf_embeds_the_charts_and_bookmarks_the_headings(
    seed_brief: tuple[Brief, dict[str, bytes]],
) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(seed_brief[1]["pdf"]))
    images = sum(len(page.images) for page in reader.pages)
    assert images == 2
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:3] == [
        "Bottom line",
        "Options for decision",
        "Annex A: Options ranked",
    ]


def test_html_is_self_contained(seed_brief: tuple[Brief, dict[str, bytes]]) -> None:
    _, parser = _read_html(seed_brief[1]["html"])
    assert parser.tags.count("svg") == 2
    for tag, name, value in parser.attributes:
        if name in ("src", "href"):
            pytest.fail(f"<{tag} {name}={value!r}> would load something")
    assert "script" not in parser.tags
    assert "link" not in parser.tags


# --- hostile text --------------------------------------------------------------------------


def test_hostile_text_is_inert_in_every_format(evil_catalog: Catalog) -> None:
    brief = build_brief(evil_catalog, _spec(top=3), generated=MOMENT)
    assert brief.ranking[0].id == "t-evil"
    files = {fmt: render_brief(brief, fmt) for fmt in FORMATS}
    titles = [row.title for row in brief.ranking]

    for fmt in ("md", "html"):
        text, parser = _read_md(files[fmt]) if fmt == "md" else _read_html(files[fmt])
        assert {"script", "img", "a", "b", "i", "iframe"}.isdisjoint(parser.tags), fmt
        assert not [a for a in parser.attributes if a[1].startswith("on")], fmt
        assert _squash(EVIL_TITLE) in text, fmt
        assert _squash(EVIL_QUOTE) in text, fmt
        assert _titles_in_order(text, titles, text.find("Options ranked")), fmt

    docx_text = _read_docx(files["docx"])
    assert _squash(EVIL_QUOTE) in docx_text
    with zipfile.ZipFile(io.BytesIO(files["docx"])) as archive:
        xml = "".join(
            archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml")
        )
    for field_or_link in ("<w:hyperlink", "w:instrText", "w:fldSimple"):
        assert field_or_link not in xml

    from pypdf import PdfReader

    pdf_text = _read_pdf(files["pdf"])
    assert _squash(EVIL_QUOTE) in pdf_text
    assert "<script>alert(1)</script>" in pdf_text
    for page in PdfReader(io.BytesIO(files["pdf"])).pages:
        for annotation in page.get("/Annots") or []:
            assert "/A" not in annotation.get_object(), "a link or action in the PDF"

    for row in _read_csv(files["csv"]):
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    evil_row = _read_csv(files["csv"])[0]
    assert evil_row["title"] == "'" + EVIL_TITLE
    assert evil_row["quote"] == "'" + EVIL_QUOTE

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(files["xlsx"]))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value


def test_neutralize_formula_leaves_numbers_and_plain_text() -> None:
    assert neutralize_formula("=1+1") == "'=1+1"
    assert neutralize_formula("\t=1") == "'\t=1"
    assert neutralize_formula("plain") == "plain"
    assert neutralize_formula(-3.5) == -3.5


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_markdown_escaping_renders_the_text_literally(text: str) -> None:
    """Whatever a document says, its Markdown renders as exactly that text, in one paragraph."""
    rendered = MarkdownIt("commonmark").enable("table").render(md_line_start(md_text(text)))
    parser = _parse_html(rendered)
    assert set(parser.tags) <= {"p"}
    expected = re.sub(r"\s+", " ", xml_safe(text)).strip()
    assert "".join(parser.text).strip() == expected


# --- scenario round-trip -------------------------------------------------------------------


def test_scenario_rebuilds_the_same_ranking_and_hashes(tmp_path: Path, seeds: Catalog) -> None:
    spec = _spec(
        profiles=("pressure", "engagement"),
        weights={"buy_in": 2.0},
        filters=Filters(kinds=("explicit",)),
    )
    first = seeds.recommendation_ids[0]
    overrides = {(first, "leverage"): Score(value=5, low=4, high=5, rationale="edited")}
    brief = build_brief(seeds, spec, overrides=overrides, generated=MOMENT)
    path = write_atomically(tmp_path / "scenario.yaml", brief.record.scenario_yaml.encode())

    again = brief_from_scenario(seeds, load_scenario(path), generated=MOMENT)
    assert [row.id for row in again.ranking] == [row.id for row in brief.ranking]
    assert [row.score for row in again.ranking] == [row.score for row in brief.ranking]
    assert again.record == brief.record
    assert again.spec == brief.spec
    assert again.profile.adjusted
    assert again.record.overrides[0][:2] == (first, "leverage")
    assert render_brief(again, "md") == render_brief(brief, "md")


def test_scenario_from_another_catalog_is_refused(
    make_project: ProjectMaker, tmp_path: Path
) -> None:
    catalog = load_catalog(make_project())
    brief = build_brief(catalog, _spec())
    scenario = parse_scenario(yaml.safe_load(brief.record.scenario_yaml), "scenario.yaml")

    def edit(seed: dict[str, Any]) -> None:
        seed["recommendations"][0]["scores"]["leverage"]["rationale"] = "revised judgement"

    changed = load_catalog(make_project(seed=edit))
    with pytest.raises(ValidationError) as caught:
        brief_from_scenario(changed, scenario)
    assert caught.value.codes == {Code.CATALOG_MISMATCH}
    assert caught.value.problems[0].key_path == "catalog_sha256"


def test_scenario_edited_by_hand_is_refused_until_its_hashes_go(make_project: ProjectMaker) -> None:
    catalog = load_catalog(make_project())
    data = yaml.safe_load(build_brief(catalog, _spec()).record.scenario_yaml)
    data["profiles"]["balanced"]["weights"]["risk"] = 9.0
    with pytest.raises(ValidationError) as caught:
        brief_from_scenario(catalog, parse_scenario(data))
    assert caught.value.problems[0].key_path == "hashes.inputs"
    del data["hashes"]
    rebuilt = brief_from_scenario(catalog, parse_scenario(data))
    assert rebuilt.profile.weight_map["risk"] == pytest.approx(9 / 11)


@pytest.mark.parametrize(
    ("content", "code", "key_path"),
    [
        ("brief: [unclosed", Code.YAML_SYNTAX, "line 1, column 17"),
        ("- just\n- a list\n", Code.WRONG_TYPE, ""),
        ("schema_version: 1\nkind: recscore-brief-scenario\n", Code.MISSING_KEY, "catalog_sha256"),
    ],
)
def test_malformed_scenarios_name_the_fault(
    tmp_path: Path, content: str, code: Code, key_path: str
) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_scenario(path)
    assert code in caught.value.codes
    assert key_path in {problem.key_path for problem in caught.value.problems}


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code", "key_path"),
    [
        ({"profiles": ("nobody",)}, Code.UNKNOWN_PROFILE, "profiles[0]"),
        (
            {"filters": Filters(documents=("doc",), kinds=("implicit",))},
            Code.EMPTY_SELECTION,
            "filters",
        ),
        ({"filters": Filters(instruments=("bribery",))}, Code.BAD_VALUE, "filters.instruments[0]"),
        ({"method": "astrology"}, Code.UNKNOWN_METHOD, "method"),
        ({"top": 0}, Code.BAD_VALUE, "top"),
        ({"formats": ("md", "odt")}, Code.BAD_VALUE, "formats"),
        ({"weights": {"charm": 1.0}}, Code.UNKNOWN_CRITERION, "charm"),
    ],
)
def test_bad_specs_are_reported_with_code_and_key_path(
    make_project: ProjectMaker, changes: dict[str, Any], code: Code, key_path: str
) -> None:
    catalog = load_catalog(make_project())
    with pytest.raises(ValidationError) as caught:
        build_brief(catalog, _spec(**changes))
    assert code in caught.value.codes
    assert key_path in {problem.key_path for problem in caught.value.problems}


def test_every_fault_of_a_spec_is_reported_at_once(make_project: ProjectMaker) -> None:
    catalog = load_catalog(make_project())
    with pytest.raises(ValidationError) as caught:
        build_brief(catalog, _spec(profiles=("nobody",), method="astrology", top=0))
    assert caught.value.codes == {Code.UNKNOWN_PROFILE, Code.UNKNOWN_METHOD, Code.BAD_VALUE}


@pytest.mark.parametrize(
    "target",
    [
        lambda folder: folder / "missing" / "brief.md",
        lambda folder: folder,
    ],
)
def test_unwritable_output_is_reported_and_nothing_is_written(
    tmp_path: Path, target: Callable[[Path], Path]
) -> None:
    before = snapshot(tmp_path)
    with pytest.raises(ValidationError) as caught:
        write_atomically(target(tmp_path), b"brief")
    assert caught.value.codes == {Code.OUTPUT_UNWRITABLE}
    assert snapshot(tmp_path) == before


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "brief.md"
    path.write_bytes(b"old brief")

    def refuse(*_: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("scoring.io.os.replace", refuse)
    with pytest.raises(ValidationError) as caught:
        write_atomically(path, b"new brief")
    assert caught.value.codes == {Code.OUTPUT_UNWRITABLE}
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]
    assert path.read_bytes() == b"old brief"


def test_brief_files_gives_bytes_per_requested_format(make_project: ProjectMaker) -> None:
    catalog = load_catalog(make_project())
    files = brief_files(catalog, _spec(formats=("md", "csv")))
    assert set(files) == {"md", "csv"}
    assert files["md"].startswith(b"# Test brief")
    spec = _spec(formats=("md",), option_sets=("instrument-dialogue",))
    with_sets = brief_files(catalog, spec, interactions=Interactions())
    assert b": Option sets" in with_sets["md"]


# --- the command line ----------------------------------------------------------------------


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from scoring.cli import main

    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_writes_a_brief_and_its_scenario_rebuilds_it(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker, tmp_path: Path
) -> None:
    root = str(make_project())
    out = tmp_path / "out"
    out.mkdir()
    status, stdout, _ = _cli(
        capsys,
        "--root",
        root,
        "--workspace",
        str(tmp_path / "no-workspace"),
        "brief",
        "--profile",
        "pressure",
        "--profile",
        "balanced",
        "--title",
        "Costs or dialogue?",
        "--top",
        "1",
        "-o",
        str(out / "brief.md"),
        "--save-scenario",
        str(out / "scenario.yaml"),
    )
    assert status == 0, stdout
    assert "wrote" in stdout
    first = (out / "brief.md").read_text(encoding="utf-8")
    assert first.startswith("# Costs or dialogue?")

    status, _, _ = _cli(
        capsys,
        "--root",
        root,
        "brief",
        "--scenario",
        str(out / "scenario.yaml"),
        "-o",
        str(out / "again.md"),
    )
    assert status == 0
    again = (out / "again.md").read_text(encoding="utf-8")
    # Same brief but for the date line.
    drop_dates = re.compile(r"^\*\*Prepared:\*\*.*$|generated \S+\.$", re.MULTILINE)
    assert drop_dates.sub("", again) == drop_dates.sub("", first)
    assert sorted(p.name for p in out.iterdir()) == ["again.md", "brief.md", "scenario.yaml"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_writes_every_format(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"brief.{fmt}"
    status, _, err = _cli(
        capsys, "--root", str(make_project()), "brief", "--profile", "balanced", "-o", str(target)
    )
    assert status == 0, err
    assert _titles_in_order(_text_of(fmt, target.read_bytes()), ["Impose costs until reforms"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--profile", "nobody"], "profiles[0]: expected one of ['balanced', 'pressure']"),
        (["--kind", "implicit"], "filters that leave at least one recommendation"),
        (["-o", "{tmp}/missing/brief.md"], "a file path that can be written"),
        (["-o", "{tmp}/brief.odt"], "add --format"),
        (["--scenario", "{tmp}/bad.yaml"], "valid YAML"),
        (["--scenario", "{tmp}/other.yaml"], "a different catalog version"),
        (["--scenario", "{tmp}/other.yaml", "--top", "2"], "no other option"),
        (["--scenario", "{tmp}/other.yaml", "--p", "3"], "found --p"),
        (["--p", "3"], "found --p with --method weighted_sum"),
        (["--method", "topsis", "--q", "1"], "--q with --method topsis"),
        (["--method", "promethee_ii", "--q", "3"], "method_settings.p: expected p above q"),
        (["--method", "promethee_ii", "--p", "-1"], "method_settings.p: expected a finite"),
    ],
)
def test_cli_bad_input_gives_a_message_and_no_file(
    capsys: pytest.CaptureFixture[str],
    make_project: ProjectMaker,
    tmp_path: Path,
    argv: list[str],
    message: str,
) -> None:
    root = make_project()
    out = tmp_path / "out"
    out.mkdir()
    (out / "bad.yaml").write_text("brief: [unclosed", encoding="utf-8")
    other = yaml.safe_load(build_brief(load_catalog(root), _spec()).record.scenario_yaml)
    other["catalog_sha256"] = "0" * 64
    (out / "other.yaml").write_text(yaml.safe_dump(other), encoding="utf-8")
    before = snapshot(tmp_path)
    argv = [arg.replace("{tmp}", str(out)) for arg in argv]
    if "-o" not in argv:
        argv += ["-o", str(out / "brief.md")]
    status, stdout, err = _cli(capsys, "--root", str(root), "brief", *argv)
    assert status == 2
    assert stdout == ""
    assert err.startswith("recscore: ")
    assert message in err
    assert "Traceback" not in err
    assert snapshot(tmp_path) == before


# --- option sets and robustness ------------------------------------------------------------


def test_option_sets_and_robustness_appear_in_every_document(seeds: Catalog) -> None:
    spec = _spec(option_sets=("document-000", "document-003"), top=1)
    brief = build_brief(seeds, spec, interactions=load_interactions(REPO_ROOT, seeds))
    assert brief.option_sets is not None
    assert brief.robustness is not None
    names = [row.name for row in brief.option_sets.rows]
    assert len(names) == 2
    for fmt in ("md", "html", "docx", "pdf"):
        text = _text_of(fmt, render_brief(brief, fmt))
        assert _titles_in_order(
            text, ["Perspectives", "Option sets", *names, "Robustness", "Method and weights"]
        ), fmt
        for sentence in brief.robustness.summary:
            assert _squash(sentence) in text, (fmt, sentence)


def test_robustness_is_reproducible_and_can_be_left_out(make_project: ProjectMaker) -> None:
    catalog = load_catalog(make_project())
    first = build_brief(catalog, _spec())
    assert first.robustness == build_brief(catalog, _spec()).robustness
    assert first.robustness is not None
    assert "SMAA-2: 10,000 draws" in first.robustness.settings
    without = build_brief(catalog, _spec(robustness=False))
    assert without.robustness is None
    assert b": Robustness" not in render_brief(without, "md")


def test_option_set_faults_are_reported(make_project: ProjectMaker) -> None:
    catalog = load_catalog(make_project())
    with pytest.raises(ValidationError) as caught:
        build_brief(catalog, _spec(option_sets=("document-doc", "nowhere")))
    assert caught.value.codes == {Code.UNKNOWN_SET, Code.MISSING_KEY}
    assert {p.key_path for p in caught.value.problems} == {"option_sets[1]", "interactions"}


def test_a_saved_set_travels_in_the_scenario(make_project: ProjectMaker) -> None:
    catalog = load_catalog(make_project())
    mine = OptionSet(id="mine", name="My package", members=("t-costs",), origin="user")
    spec = _spec(option_sets=("mine", "instrument-dialogue"))
    brief = build_brief(catalog, spec, interactions=Interactions(), sets=[mine])
    assert brief.option_sets is not None
    assert brief.option_sets.rows[0].name == "My package"
    scenario = parse_scenario(yaml.safe_load(brief.record.scenario_yaml))
    assert scenario.sets == (mine,)
    again = brief_from_scenario(catalog, scenario, interactions=Interactions())
    assert again.record.inputs_sha256 == brief.record.inputs_sha256
    assert again.option_sets == brief.option_sets


def test_cli_compares_option_sets(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker, tmp_path: Path
) -> None:
    target = tmp_path / "brief.md"
    status, _, err = _cli(
        capsys,
        "--root",
        str(make_project()),
        "brief",
        "--option-set",
        "instrument-dialogue",
        "--option-set",
        "instrument-conditionality",
        "--no-robustness",
        "-o",
        str(target),
    )
    assert status == 0, err
    text = target.read_text(encoding="utf-8")
    assert ": Option sets" in text
    assert ": Robustness" not in text


def _scenario_from(fmt: str, data: bytes) -> str:
    """The scenario YAML as a reader would take it out of the brief."""
    if fmt == "md":
        return re.findall(r"^(`{3,})yaml\n(.*?)\n\1$", data.decode(), re.S | re.M)[-1][1]
    if fmt == "html":
        import html

        return html.unescape(re.findall(r"<pre>(.*?)</pre>", data.decode(), re.S)[-1])
    if fmt == "docx":
        import docx

        return docx.Document(io.BytesIO(data)).paragraphs[-1].text
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data)).attachments["scenario.yaml"][0].decode()


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
def test_the_scenario_can_be_taken_out_of_every_document(
    make_project: ProjectMaker, fmt: str
) -> None:
    catalog = load_catalog(make_project())
    brief = build_brief(catalog, _spec(weights={"risk": 3.0}, top=1))
    text = _scenario_from(fmt, render_brief(brief, fmt))
    assert text.strip() == brief.record.scenario_yaml.strip()
    rebuilt = brief_from_scenario(catalog, parse_scenario(yaml.safe_load(text)))
    assert rebuilt.record.inputs_sha256 == brief.record.inputs_sha256


def test_annexes_are_lettered_in_order(make_project: ProjectMaker, seeds: Catalog) -> None:
    short = build_brief(load_catalog(make_project()), _spec())
    assert [heading for _, heading in short.annexes()] == [
        "Annex A: Options ranked",
        "Annex B: Options in detail",
        "Annex C: Trade-offs",
        "Annex D: Perspectives",
        "Annex E: Robustness",
        "Annex F: Method and weights",
        "Annex G: Criteria and their scales",
        "Annex H: Sources",
        "Annex I: Reproducibility record",
    ]
    long = build_brief(seeds, _spec(profiles=("balanced",), robustness=False))
    assert long.annex("ranking") == "Annex F: Full ranking"


# --- aggregation methods -------------------------------------------------------------------


def test_briefs_offer_exactly_the_engines_methods() -> None:
    assert list(METHODS) == list(ENGINE_METHODS)


@pytest.fixture(scope="module")
def method_briefs(seeds: Catalog) -> dict[str, Brief]:
    """A brief per method over the seeds, ranked under two profiles."""
    return {
        method: build_brief(seeds, _spec(method=method, top=3), generated=MOMENT)
        for method in ENGINE_METHODS
    }


@pytest.mark.parametrize("method", ENGINE_METHODS)
def test_each_method_ranks_as_rank_by_under_every_profile(
    method: str, method_briefs: dict[str, Brief], seeds: Catalog
) -> None:
    brief = method_briefs[method]
    assert brief.method == method
    expected = [
        rank_by(seeds, seeds.profiles[profile_id].weights, method)
        for profile_id in brief.spec.profiles
    ]
    assert [row.id for row in brief.ranking] == display_ids(seeds, expected[0])
    assert [row.score for row in brief.ranking] == pytest.approx(expected[0].totals.tolist())
    low_of = dict(zip(expected[0].ids.tolist(), expected[0].low.tolist(), strict=True))
    assert [row.low for row in brief.ranking] == pytest.approx(
        [low_of[r.id] for r in brief.ranking]
    )
    assert brief.cards[0].id == display_ids(seeds, expected[0])[0]
    assert brief.perspectives is not None
    for row in brief.perspectives.rows:
        assert row.ranks == tuple(ranking.positions[row.id] for ranking in expected)
    low, high = score_range(method)
    assert all(low <= row.low <= row.score <= row.high <= high for row in brief.ranking)


@pytest.mark.parametrize("method", ENGINE_METHODS)
def test_method_text_and_labels_name_the_method(
    method: str, method_briefs: dict[str, Brief]
) -> None:
    brief = method_briefs[method]
    text = " ".join(brief.method_text)
    assert brief.method_text[0].startswith(f"Method: {METHODS[method]}")
    assert METHOD_NAMES[method].lower() in text.lower()
    header, rows = brief.ranked_table()
    assert header[3] == f"{score_name(method)} (range)"
    first = brief.ranking[0]
    assert rows[0][3] == score_text(first.score, first.low, first.high, method)
    in_words = (
        f"{number_text(first.score, method)} (range {range_text(first.low, first.high, method)})"
    )
    assert in_words in plain(brief.bottom_line[0])
    if method == "weighted_sum":
        assert "ranked by" not in plain(brief.bottom_line[0])
    else:
        assert f"ranked by {METHOD_NAMES[method]}" in plain(brief.bottom_line[0])
    assert yaml.safe_load(brief.record.scenario_yaml)["brief"]["method"] == method


def test_method_texts_state_formula_thresholds_anchors_and_what_the_range_means(
    method_briefs: dict[str, Brief],
) -> None:
    topsis = " ".join(method_briefs["topsis"].method_text)
    assert "D− / (D− + D+)" in topsis
    assert "scale's anchors" in topsis
    assert "do not add up to the closeness" in topsis
    assert "range beside each closeness" in topsis
    promethee = " ".join(method_briefs["promethee_ii"].method_text)
    assert "linear preference function" in promethee
    assert "q = 0" in promethee
    assert "p = 2 scale points" in promethee
    assert "from −1" in promethee
    assert "add up to the net flow" in promethee
    assert "while the others keep theirs" in promethee
    weighted = " ".join(method_briefs["weighted_sum"].method_text)
    assert "totals run from 0 (worst on everything) to 1" in weighted


@pytest.mark.parametrize("method", ENGINE_METHODS)
def test_robustness_follows_the_method_and_says_how_smaa_ranks(
    method: str, method_briefs: dict[str, Brief], seeds: Catalog
) -> None:
    brief = method_briefs[method]
    section = brief.robustness
    assert section is not None
    sensitivity = one_way_sensitivity(seeds, dict(brief.profile.raw_weights), method, top=1)
    assert [(row.low, row.high) for row in section.intervals] == [
        (interval.low, interval.high) for interval in sensitivity.intervals
    ]
    # SMAA ranks each draw by the brief's method, with the brief's fixed seed.
    assert section.smaa_method == method
    assert "SMAA here ranks by weighted sum" not in " ".join(section.summary)
    constraints = constraints_from_profile(
        dict(brief.profile.raw_weights), seeds.criterion_ids, "order"
    )
    result = smaa(
        seeds, constraints, samples=SMAA_SAMPLES, seed=SMAA_SEED, confidence=False, method=method
    )
    first = result.ids.index(brief.ranking[0].id)
    assert section.first_share == float(result.acceptability[first, 0])
    if method != "weighted_sum":
        assert f"each draw ranked by {METHOD_NAMES[method]}" in section.settings


def test_promethee_briefs_fall_back_before_smaa_would_refuse() -> None:
    # The brief's SMAA has no confidence factors: one score draw per sample. Below its
    # threshold smaa's own budget must admit the run; 1,000 recommendations on 10 criteria
    # still rank by PROMETHEE II.
    assert robustness_section.SMAA_PROMETHEE_COMPARISONS <= PROMETHEE_COMPARISONS
    assert 1_000 * 10 * SMAA_SAMPLES <= robustness_section.SMAA_PROMETHEE_COMPARISONS


def test_smaa_falls_back_to_the_weighted_sum_on_large_promethee_briefs_and_says_so(
    make_project: ProjectMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = load_catalog(make_project())
    monkeypatch.setattr(robustness_section, "SMAA_PROMETHEE_COMPARISONS", 1)
    brief = build_brief(catalog, _spec(method="promethee_ii", profiles=("balanced",)))
    section = brief.robustness
    assert section is not None
    assert section.smaa_method == "weighted_sum"
    assert "SMAA here ranks by weighted sum, not by PROMETHEE II" in " ".join(section.summary)
    assert "would take too long" in section.smaa_note
    assert "each draw ranked by weighted sum" in section.settings
    firm = plain(brief.bottom_line[-1])
    assert firm.startswith("How firm: ")
    assert "when ranked by weighted sum" in firm
    text = _text_of("md", render_brief(brief, "md"))
    assert "SMAA here ranks by weighted sum" in text


def test_promethee_flows_chart_diverges_around_zero(method_briefs: dict[str, Brief]) -> None:
    brief = method_briefs["promethee_ii"]
    [chart, _] = brief.charts
    parts, _, _, ticks, _ = (layer["data"]["values"] for layer in chart.spec["layer"])
    low, high = chart.spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert low == -high  # zero in the middle
    assert 0 < high <= 1
    assert all(low <= row.low and row.high <= high for row in brief.listed)
    assert any(part["contribution"] < 0 for part in parts)
    for tick in ticks:  # the tick is the net flow: the sum of its segments
        total = sum(p["contribution"] for p in parts if p["label"] == tick["label"])
        assert total == pytest.approx(tick["score"], abs=5e-4 * len(brief.criteria))
    assert "<svg" in render_svg(chart)


def test_topsis_chart_does_not_draw_the_closeness_as_a_sum(
    method_briefs: dict[str, Brief],
) -> None:
    brief = method_briefs["topsis"]
    [chart, _] = brief.charts
    tracks, fills, labels = (layer["data"]["values"] for layer in chart.spec["layer"])
    assert all("stack" not in layer["encoding"]["x"] for layer in chart.spec["layer"])
    for fill in fills:  # every fill stays inside its criterion's track
        [track] = [t for t in tracks if t["label"] == fill["label"] and t["start"] == fill["start"]]
        assert track["start"] <= fill["end"] <= track["end"]
    assert [label["text"] for label in labels] == [f"{row.score:.2f}" for row in brief.listed]
    assert "not a sum" in chart.description
    assert "<svg" in render_svg(chart)


@pytest.fixture(scope="module")
def promethee_files(method_briefs: dict[str, Brief]) -> dict[str, bytes]:
    brief = method_briefs["promethee_ii"]
    return {fmt: render_brief(brief, fmt) for fmt in ("md", "html", "docx", "pdf")}


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
def test_negative_net_flows_read_with_their_sign_in_every_document(
    fmt: str, method_briefs: dict[str, Brief], promethee_files: dict[str, bytes]
) -> None:
    brief = method_briefs["promethee_ii"]
    text = _text_of(fmt, promethee_files[fmt])
    negative = [row for row in brief.ranking if row.high < 0]
    assert negative, "the seeds give some recommendation a wholly negative net flow"
    row = negative[0]
    shown = score_text(row.score, row.low, row.high, "promethee_ii")
    assert shown.startswith("−")
    assert " to −" in shown
    assert shown in text
    first = brief.cards[0]
    assert f"Net flow {score_text(first.score, first.low, first.high, 'promethee_ii')}" in text
    assert "Net flow (range)" in text


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=-1, max_value=1),
    st.floats(min_value=-1, max_value=1),
    st.floats(min_value=-1, max_value=1),
)
def test_net_flows_print_with_a_sign_that_matches_their_value(
    score: float, low: float, high: float
) -> None:
    text = number_text(score, "promethee_ii")
    assert float(text.replace("−", "-")) == pytest.approx(round(score, 2), abs=1e-9)
    if text != "0.00":
        assert text[0] == ("+" if score > 0 else "−")
    assert "-" not in score_text(score, low, high, "promethee_ii")  # a true minus sign only
    assert number_text(abs(score)) == f"{abs(score):.2f}"  # unsigned scales stay unsigned


def test_topsis_scenario_rebuilds_the_same_ranking_and_hashes(
    tmp_path: Path, seeds: Catalog
) -> None:
    spec = _spec(method="topsis", weights={"buy_in": 2.0}, filters=Filters(kinds=("explicit",)))
    brief = build_brief(seeds, spec, generated=MOMENT)
    path = write_atomically(tmp_path / "scenario.yaml", brief.record.scenario_yaml.encode())
    loaded = load_scenario(path)
    assert loaded.spec.method == "topsis"
    again = brief_from_scenario(seeds, loaded, generated=MOMENT)
    assert [row.id for row in again.ranking] == [row.id for row in brief.ranking]
    assert [row.score for row in again.ranking] == [row.score for row in brief.ranking]
    assert again.record == brief.record
    assert render_brief(again, "md") == render_brief(brief, "md")
    # The method is an input: changed by hand, the recorded hashes refuse the scenario.
    data = yaml.safe_load(brief.record.scenario_yaml)
    data["brief"]["method"] = "promethee_ii"
    with pytest.raises(ValidationError) as caught:
        brief_from_scenario(seeds, parse_scenario(data))
    assert caught.value.problems[0].key_path == "hashes.inputs"


def test_the_method_is_an_input_of_the_record(make_project: ProjectMaker) -> None:
    catalog = load_catalog(make_project())
    briefs = [build_brief(catalog, _spec(method=m, robustness=False)) for m in ENGINE_METHODS]
    assert len({brief.record.inputs_sha256 for brief in briefs}) == len(ENGINE_METHODS)


def test_an_unknown_method_names_the_key_the_choices_and_a_fix(
    make_project: ProjectMaker,
) -> None:
    catalog = load_catalog(make_project())
    with pytest.raises(ValidationError) as caught:
        build_brief(catalog, _spec(method="electre"))
    [problem] = caught.value.problems
    assert problem.code == Code.UNKNOWN_METHOD
    assert problem.key_path == "method"
    for name in ENGINE_METHODS:
        assert name in problem.expected
    assert problem.found == "'electre'"
    assert "topsis" in problem.hint
    assert "promethee_ii" in problem.hint


# --- method settings -----------------------------------------------------------------------

CUSTOM_METHODS = {
    "topsis_observed": Topsis("observed"),
    "promethee_level": PrometheeII("level", 0.5, 2.5),
    "promethee_per_criterion": PrometheeII("linear", 0.0, {"leverage": 1.0, "buy_in": 3.0}),
}


@pytest.fixture(scope="module")
def custom_briefs(seeds: Catalog) -> dict[str, Brief]:
    """A brief per custom method over the seeds, ranked under two profiles."""
    return {
        key: build_brief(
            seeds,
            _spec(method=spec.name, method_settings=method_settings(spec)),
            generated=MOMENT,
        )
        for key, spec in CUSTOM_METHODS.items()
    }


@pytest.mark.parametrize("key", CUSTOM_METHODS)
def test_settings_rank_as_rank_by_with_the_same_method_object(
    key: str, custom_briefs: dict[str, Brief], seeds: Catalog
) -> None:
    spec, brief = CUSTOM_METHODS[key], custom_briefs[key]
    assert brief.spec.method_spec == spec
    expected = [
        rank_by(seeds, seeds.profiles[profile_id].weights, spec)
        for profile_id in brief.spec.profiles
    ]
    assert [row.id for row in brief.ranking] == display_ids(seeds, expected[0])
    assert [row.score for row in brief.ranking] == expected[0].totals.tolist()
    high = dict(zip(expected[0].ids.tolist(), expected[0].high.tolist(), strict=True))
    assert [row.high for row in brief.ranking] == [high[row.id] for row in brief.ranking]
    defaults = rank_by(seeds, seeds.profiles["balanced"].weights, spec.name)
    assert [row.id for row in brief.ranking] != display_ids(seeds, defaults)  # the settings matter
    assert brief.perspectives is not None
    for row in brief.perspectives.rows:
        assert row.ranks == tuple(ranking.positions[row.id] for ranking in expected)
    # Sensitivity and SMAA run under the same settings.
    section = brief.robustness
    assert section is not None
    weights = dict(brief.profile.raw_weights)
    sensitivity = one_way_sensitivity(seeds, weights, spec, top=1)
    assert [(row.low, row.high) for row in section.intervals] == [
        (interval.low, interval.high) for interval in sensitivity.intervals
    ]
    constraints = constraints_from_profile(weights, seeds.criterion_ids, "order")
    result = smaa(
        seeds, constraints, samples=SMAA_SAMPLES, seed=SMAA_SEED, confidence=False, method=spec
    )
    first = result.ids.index(brief.ranking[0].id)
    assert section.first_share == float(result.acceptability[first, 0])
    assert section.smaa_method == spec.name


@pytest.mark.parametrize(
    ("key", "words"),
    [
        (
            "topsis_observed",
            "ideal points at the observed extremes, instead of the defaults "
            "(ideal points at the scale ends)",
        ),
        (
            "promethee_level",
            "level preference, q = 0.5, p = 2.5, instead of the defaults "
            "(linear preference, q = 0, p = 2)",
        ),
        (
            "promethee_per_criterion",
            "linear preference, q = 0, p per criterion (buy_in 3, leverage 1, otherwise 2)",
        ),
    ],
)
def test_method_text_states_the_settings_in_every_document(
    key: str, words: str, custom_briefs: dict[str, Brief]
) -> None:
    brief = custom_briefs[key]
    sentence = f"Settings chosen for this brief: {words}"
    assert any(paragraph.startswith(sentence) for paragraph in brief.method_text)
    assert brief.settings_text in sentence
    for fmt in ("md", "html", "docx", "pdf"):
        assert sentence in _text_of(fmt, render_brief(brief, fmt)), fmt
    from openpyxl import load_workbook

    about = load_workbook(io.BytesIO(render_brief(brief, "xlsx")))["About"]
    rows = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert rows["Method settings"] == brief.settings_text


def test_level_settings_are_named_in_the_method_section(custom_briefs: dict[str, Brief]) -> None:
    text = " ".join(custom_briefs["promethee_level"].method_text)
    assert "a level preference function: a difference above q = 0.5 scale points" in text
    assert "above p = 2.5 a full one" in text
    observed = " ".join(custom_briefs["topsis_observed"].method_text)
    assert "best weighted value observed" in observed


@pytest.mark.parametrize("method", ENGINE_METHODS)
def test_default_settings_stated_or_not_make_the_same_brief(
    method: str, method_briefs: dict[str, Brief], seeds: Catalog
) -> None:
    stated = method_settings(method_spec(method))
    assert stated == {}
    spelled = {
        "weighted_sum": {},
        "topsis": {"anchors": "scale"},
        "promethee_ii": {"preference": "linear", "q": 0, "p": 2},
    }[method]
    spec = _spec(method=method, method_settings=spelled, top=3)
    assert spec == method_briefs[method].spec
    assert spec.method_settings == ()
    brief = method_briefs[method]
    assert brief.settings_text == ""
    assert not any("Settings chosen" in paragraph for paragraph in brief.method_text)
    assert "method_settings" not in yaml.safe_load(brief.record.scenario_yaml)["brief"]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["usual", "u_shape", "v_shape", "level", "linear"]),
    st.floats(min_value=0, max_value=4),
    st.floats(min_value=0.01, max_value=4),
)
def test_method_settings_give_back_the_method_object(preference: Any, q: float, p: float) -> None:
    spec = PrometheeII(preference, q, q + p)
    brief_spec = BriefSpec(method="promethee_ii", method_settings=method_settings(spec))
    assert brief_spec.method_spec == spec
    again = BriefSpec(method="promethee_ii", method_settings=brief_spec.settings)
    assert again == brief_spec
    assert hash(again) == hash(brief_spec)  # the app caches briefs by their spec
    names = [name for name, _ in brief_spec.method_settings]
    assert names == [name for name in ("preference", "q", "p") if name in names]  # engine order


def test_settings_round_trip_through_the_scenario_file(tmp_path: Path, seeds: Catalog) -> None:
    spec = _spec(
        method="promethee_ii",
        method_settings={"preference": "level", "q": 0.5, "p": {"leverage": 1.0, "buy_in": 3.0}},
        profiles=("pressure",),
    )
    brief = build_brief(seeds, spec, generated=MOMENT)
    data = yaml.safe_load(brief.record.scenario_yaml)
    assert data["brief"]["method_settings"] == {
        "preference": "level",
        "q": 0.5,
        "p": {"buy_in": 3.0, "leverage": 1.0},
    }
    path = write_atomically(tmp_path / "scenario.yaml", brief.record.scenario_yaml.encode())
    loaded = load_scenario(path)
    assert loaded.spec == brief.spec
    again = brief_from_scenario(seeds, loaded, generated=MOMENT)
    assert [row.id for row in again.ranking] == [row.id for row in brief.ranking]
    assert again.record == brief.record
    assert render_brief(again, "md") == render_brief(brief, "md")
    # The settings are inputs: the same brief at the defaults hashes apart, and a scenario
    # whose settings were changed by hand is refused while its hashes remain.
    plain_brief = build_brief(seeds, replace(spec, method_settings=()), generated=MOMENT)
    assert plain_brief.record.inputs_sha256 != brief.record.inputs_sha256
    data["brief"]["method_settings"]["q"] = 0.25
    with pytest.raises(ValidationError) as caught:
        brief_from_scenario(seeds, parse_scenario(data))
    assert caught.value.problems[0].key_path == "hashes.inputs"


@pytest.mark.parametrize(
    ("method", "settings_given", "code", "key_path"),
    [
        ("topsis", {"anchors": "median"}, Code.BAD_VALUE, "method_settings.anchors"),
        ("topsis", {"p": 3.0}, Code.UNKNOWN_KEY, "method_settings.p"),
        ("weighted_sum", {"anchors": "observed"}, Code.UNKNOWN_KEY, "method_settings.anchors"),
        ("promethee_ii", {"preference": "cubic"}, Code.BAD_VALUE, "method_settings.preference"),
        ("promethee_ii", {"q": 3.0}, Code.BAD_THRESHOLD, "method_settings.p"),
        ("promethee_ii", {"p": -1.0}, Code.BAD_THRESHOLD, "method_settings.p"),
        ("promethee_ii", {"q": "half"}, Code.WRONG_TYPE, "method_settings.q"),
        ("promethee_ii", {"p": {"charm": 1.0}}, Code.UNKNOWN_CRITERION, "method_settings.p.charm"),
        (
            "promethee_ii",
            {"p": {"risk": float("inf")}},
            Code.BAD_THRESHOLD,
            "method_settings.p.risk",
        ),
    ],
)
def test_bad_settings_name_the_key_with_a_hint_and_write_nothing(
    make_project: ProjectMaker,
    tmp_path: Path,
    method: str,
    settings_given: dict[str, Any],
    code: Code,
    key_path: str,
) -> None:
    catalog = load_catalog(make_project())
    before = snapshot(tmp_path)
    with pytest.raises(ValidationError) as caught:
        brief_files(catalog, _spec(method=method, method_settings=settings_given))
    [problem] = caught.value.problems  # a threshold bad for every criterion is said once
    assert (problem.code, problem.key_path, problem.where) == (code, key_path, "brief")
    assert problem.hint
    assert snapshot(tmp_path) == before


def test_settings_faults_are_reported_with_the_spec_s_other_faults(
    make_project: ProjectMaker,
) -> None:
    catalog = load_catalog(make_project())
    spec = _spec(method="topsis", method_settings={"anchors": "median"}, top=0)
    with pytest.raises(ValidationError) as caught:
        build_brief(catalog, spec)
    assert {p.key_path for p in caught.value.problems} == {"method_settings.anchors", "top"}


def test_cli_settings_reach_the_brief_and_its_scenario_rebuilds_it(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker, tmp_path: Path
) -> None:
    root = make_project()
    out = tmp_path / "out"
    out.mkdir()
    status, stdout, err = _cli(
        capsys,
        "--root",
        str(root),
        "--workspace",
        str(tmp_path / "no-workspace"),
        "brief",
        "--method",
        "promethee_ii",
        "--preference",
        "level",
        "--q",
        "0.5",
        "--p",
        "2",  # the default: left out of the spec
        "-o",
        str(out / "brief.csv"),
        "--save-scenario",
        str(out / "scenario.yaml"),
    )
    assert status == 0, err
    catalog = load_catalog(root)
    order = rank_by(catalog, catalog.profiles["balanced"].weights, PrometheeII("level", 0.5))
    assert [row["id"] for row in _read_csv((out / "brief.csv").read_bytes())] == display_ids(
        catalog, order
    )
    data = yaml.safe_load((out / "scenario.yaml").read_text(encoding="utf-8"))
    assert data["brief"]["method_settings"] == {"preference": "level", "q": 0.5}
    inputs = stdout.split("inputs sha256 ")[1].strip()
    assert data["hashes"]["inputs"] == inputs

    status, again, err = _cli(
        capsys,
        "--root",
        str(root),
        "brief",
        "--scenario",
        str(out / "scenario.yaml"),
        "-o",
        str(out / "again.csv"),
    )
    assert status == 0, err
    assert again.split("inputs sha256 ")[1].strip() == inputs
    assert (out / "again.csv").read_bytes() == (out / "brief.csv").read_bytes()


def test_cli_topsis_anchors_reach_the_brief(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker, tmp_path: Path
) -> None:
    root = make_project()
    target = tmp_path / "brief.md"
    argv = ["--root", str(root), "brief", "--method", "topsis", "--anchors", "observed"]
    status, _, err = _cli(capsys, *argv, "-o", str(target))
    assert status == 0, err
    text = target.read_text(encoding="utf-8")
    assert "Settings chosen for this brief: ideal points at the observed extremes" in text


def test_a_tie_for_first_is_no_recommendation(seeds: Catalog) -> None:
    # All weight on one criterion: every option at its top level ties for first.
    weights = tuple((cid, 1.0 if cid == "allied_support" else 0.0) for cid in seeds.criterion_ids)
    brief = build_brief(seeds, _spec(profiles=("balanced",), weights=weights, formats=("md",)))
    tied = [row for row in brief.ranking if row.rank == 1]
    assert len(tied) > 1
    assert all(row.tied == len(tied) for row in tied)
    opening = "".join(run.text for run in brief.bottom_line[0])
    assert opening.startswith("No single option stands out")
    assert f"these {len(tied)} tie for first" in opening
    assert "is first most often (" in opening  # from the brief's own SMAA draws
    assert not any("Recommend" in "".join(run.text for run in line) for line in brief.bottom_line)
    _, cells = brief.full_ranking_table()
    assert cells[0][0] == f"1= ({len(tied)} tie)"


def test_brief_rank_intervals_are_the_engines_as_the_cli_and_app_show_them() -> None:
    # One story for the intervals too: the brief draws them exactly as `recscore rank` and the
    # Rankings page do (same cached draws, seed and score model).
    from scoring.methods import rank
    from scoring.robustness import with_uncertainty

    from conftest import front_catalog

    catalog = front_catalog()
    brief = build_brief(catalog, BriefSpec(profiles=("balanced",)))
    ranking = with_uncertainty(catalog, rank(catalog, catalog.profiles["balanced"].weights))
    frame = ranking.to_frame().set_index("id")
    for row in brief.ranking:
        assert (row.rank_p5, row.rank_p95) == (
            frame.loc[row.id, "rank_p5"],
            frame.loc[row.id, "rank_p95"],
        )
        assert row.near_tie_with_next == frame.loc[row.id, "near_tie_with_next"]
