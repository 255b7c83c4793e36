"""``recscore ingest``: a document into the workspace, then into ``rank`` and ``recommendations``;
every bad input exits 2 with one message and leaves the workspace as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from documents import docx_bytes, pdf_bytes
from docx.document import Document as DocxDocument

from scoring.cli import main
from scoring.intake import MAX_BYTES_VARIABLE, SUGGESTION_MARK

from conftest import REPO_ROOT, front_catalog, snapshot

ADVICE = (
    "Rebuilding trust\n\n"
    "Skip to main content\n\n"
    "The United States should restore the Fulbright program and expand student visas.\n\n"
    "Governments must impose targeted sanctions on officials until detainees are released.\n"
)

# The bundled catalog as the CLI ranks it: the U.S. executive's options and the status quo;
# `recommendations` also lists the items kept as context.
_BUNDLED = front_catalog()
RANKED = len(_BUNDLED.recommendations)
ALL_ITEMS = RANKED + len(_BUNDLED.context)


def run(capsys: pytest.CaptureFixture[str], workspace: Path, *argv: str) -> tuple[int, str, str]:
    status = main(["--root", str(REPO_ROOT), "--workspace", str(workspace), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path / "ws"


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding one ingested document, made once; tests copy it."""
    folder = tmp_path_factory.mktemp("filled")
    path = write(folder, "first.txt", ADVICE)
    assert (
        main(["--root", str(REPO_ROOT), "--workspace", str(folder / "ws"), "ingest", str(path)])
        == 0
    )
    return folder / "ws"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def stored_yaml(workspace: Path) -> dict:
    [path] = (workspace / "documents").glob("*.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_ingest_stores_the_document_with_suggested_scores(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "trust.txt", ADVICE)
    status, out, _ = run(
        capsys,
        workspace,
        "ingest",
        str(path),
        "--title",
        "Rebuilding trust",
        "--author",
        "A. Writer",
        "--date",
        "2024-05-01",
    )
    assert status == 0
    assert out.startswith("stored ")
    assert "2 recommendation(s) accepted, 16 score(s) suggested" in out
    data = stored_yaml(workspace)
    assert (data["title"], data["author"], data["date"]) == (
        "Rebuilding trust",
        "A. Writer",
        "2024-05-01",
    )
    assert [rec["quote"] for rec in data["recommendations"]] == [
        "The United States should restore the Fulbright program and expand student visas.",
        "Governments must impose targeted sanctions on officials until detainees are released.",
    ]
    for rec in data["recommendations"]:
        assert all(s["rationale"].startswith(SUGGESTION_MARK) for s in rec["scores"].values())
    text = (workspace / "documents" / data["document"]).read_text(encoding="utf-8")
    assert "Skip to main content" not in text  # page furniture is not stored


def test_rank_and_recommendations_include_the_document(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, workspace, "ingest", str(write(tmp_path, "trust.txt", ADVICE)))
    ids = [rec["id"] for rec in stored_yaml(workspace)["recommendations"]]
    status, out, err = run(capsys, workspace, "recommendations", "--format", "json")
    assert status == 0
    assert err == ""
    records = {rec["id"]: rec for rec in json.loads(out)}
    assert len(records) == ALL_ITEMS + 2
    assert {records[i]["document"] for i in ids} == {stored_yaml(workspace)["document"]}
    status, out, _ = run(capsys, workspace, "rank", "--format", "json")
    assert status == 0
    ranked = [row["id"] for row in json.loads(out)["ranking"]]
    # Each stored candidate carries its addressee: the U.S. executive's is ranked, the one
    # addressed to other governments is kept as context, like the bundled items.
    addressees = {rec["id"]: rec["addressees"] for rec in stored_yaml(workspace)["recommendations"]}
    assert addressees == {ids[0]: ["us_executive"], ids[1]: ["allied_governments"]}
    assert len(ranked) == RANKED + 1
    assert ids[0] in ranked
    assert ids[1] not in ranked
    status, out, _ = run(capsys, workspace, "recommendations")
    assert "user-trust-" in out  # provenance: the user document's name


def test_pdf_and_docx_documents_are_ingested(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = pdf_bytes([["Donors should fund independent legal aid clinics for lawyers."]])
    status, out, _ = run(capsys, workspace, "ingest", str(write(tmp_path, "a.pdf", pdf)))
    assert status == 0, out

    def build(document: DocxDocument) -> None:
        document.add_heading("What to do", level=1)
        document.add_paragraph("Governments should press Beijing at the UN Human Rights Council.")

    docx = docx_bytes(build)
    status, out, _ = run(capsys, workspace, "ingest", str(write(tmp_path, "b.docx", docx)))
    assert status == 0, out
    assert len(list((workspace / "documents").glob("*.yaml"))) == 2
    status, out, _ = run(capsys, workspace, "recommendations", "--format", "json")
    assert len(json.loads(out)) == ALL_ITEMS + 2


@pytest.mark.parametrize(
    ("name", "data", "extra", "code_word"),
    [
        ("empty.txt", b"", (), "empty file"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(200), (), "PNG image"),
        ("sheet.xlsx", b"\x00\x01binary\x00" * 50, (), ".xlsx"),
        ("latin.txt", "Les États doivent agir.".encode("cp1252"), (), "not UTF-8"),
        ("big.txt", ADVICE.encode() * 50, ("--max-size-mb", "0.001"), "at most"),
        ("scan.pdf", pdf_bytes([None]), (), "no text layer"),
    ],
)
def test_bad_input_exits_2_and_leaves_the_workspace_alone(
    tmp_path: Path,
    workspace: Path,
    filled: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    data: bytes,
    extra: tuple[str, ...],
    code_word: str,
) -> None:
    shutil.copytree(filled, workspace)
    before = snapshot(workspace)
    status, out, err = run(capsys, workspace, "ingest", str(write(tmp_path, name, data)), *extra)
    assert status == 2
    assert out == ""
    assert code_word in err
    assert "Traceback" not in err
    assert snapshot(workspace) == before


def test_a_document_without_advice_is_reported_and_skipped_with_exit_0(
    tmp_path: Path, workspace: Path, filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(filled, workspace)
    before = snapshot(workspace)
    none = write(tmp_path, "none.txt", "The weather was fine. The river rose.\n")
    status, out, err = run(capsys, workspace, "ingest", str(none))
    assert status == 0
    assert "no explicit advice found" in err
    assert "1 document(s) without an accepted candidate, not stored" in out
    assert snapshot(workspace) == before


def test_a_folder_and_several_files_are_ingested_with_a_progress_line_each(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "papers"
    folder.mkdir()
    write(folder, "a.txt", "The United States should restart the legal dialogue with China.\n")
    write(folder, "b.md", "# Note\n\nThe U.S. must restart its legal dialogue with China.\n")
    write(folder, "skip.csv", "not,a,document\n")
    other = write(tmp_path, "c.txt", "Congress should fund legal aid clinics for lawyers.\n")
    status, out, err = run(capsys, workspace, "ingest", str(folder), str(other))
    assert status == 0
    for number, name in enumerate(("a.txt", "b.md", "c.txt"), start=1):
        assert f"[{number}/3] reading {name}" in err
        assert f"[{number}/3] extracting {name}" in err
    assert len(list((workspace / "documents").glob("*.yaml"))) == 3
    assert "1 merge(s) of near-duplicates proposed, 0 accepted" in out


def test_merge_duplicates_stores_one_option_with_every_source(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(tmp_path, "a.txt", "The United States should restart the legal dialogue.\n")
    second = write(tmp_path, "b.txt", "Washington must restart its legal dialogue with China.\n")
    status, out, _ = run(capsys, workspace, "ingest", str(first), str(second), "--merge-duplicates")
    assert status == 0, out
    assert "1 merge(s) of near-duplicates proposed, 1 accepted" in out
    documents = {
        p.stem: yaml.safe_load(p.read_text()) for p in (workspace / "documents").glob("*.yaml")
    }
    assert len(documents) == 1  # the first document's only option moved into the second
    (data,) = documents.values()
    (rec,) = data["recommendations"]
    assert rec["quote"] == "Washington must restart its legal dialogue with China."
    (source,) = rec["sources"]
    assert source["quote"] == "The United States should restart the legal dialogue."
    status, out, _ = run(capsys, workspace, "recommendations", "--format", "json")
    (loaded,) = [r for r in json.loads(out) if r["id"] == rec["id"]]
    assert [s["quote"] for s in loaded["sources"]] == [source["quote"]]
    assert loaded["sources"][0]["span"] is not None


def test_size_limit_comes_from_the_environment(
    tmp_path: Path,
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(MAX_BYTES_VARIABLE, "0.0001")
    status, _, err = run(capsys, workspace, "ingest", str(write(tmp_path, "a.txt", ADVICE)))
    assert status == 2
    assert "at most" in err
    assert not workspace.exists()


def test_the_same_document_twice_needs_replace(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "trust.txt", ADVICE)
    assert run(capsys, workspace, "ingest", str(path))[0] == 0
    status, _, err = run(capsys, workspace, "ingest", str(path), "--title", "Again")
    assert status == 2
    assert "already stored" in err
    status, out, _ = run(capsys, workspace, "ingest", str(path), "--title", "Again", "--replace")
    assert status == 0
    assert out.startswith("replaced ")
    assert stored_yaml(workspace)["title"] == "Again"


def test_a_corrupt_workspace_document_is_reported_and_ranking_goes_on(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, workspace, "ingest", str(write(tmp_path, "trust.txt", ADVICE)))
    [path] = (workspace / "documents").glob("*.yaml")
    path.write_text("schema_version: 1\nrecommendations: {not: a list}\n", encoding="utf-8")
    status, out, err = run(capsys, workspace, "rank", "--format", "json")
    assert status == 0
    assert len(json.loads(out)["ranking"]) == RANKED
    assert "warning" in err
    assert "left out" in err
    # A read-only command moves nothing; the next save sets the corrupt document aside.
    assert list((workspace / "documents").glob("*.yaml")) == [path]
    run(
        capsys,
        workspace,
        "ingest",
        str(write(tmp_path, "again.txt", ADVICE.replace("trust", "faith"))),
    )
    assert not path.exists()
    assert list((workspace / "documents").glob("*.yaml.corrupt-*"))


def test_every_analysis_command_includes_the_document(
    tmp_path: Path, workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, workspace, "ingest", str(write(tmp_path, "trust.txt", ADVICE)))
    # The options open to the U.S. executive: the ones every analysis command ranks.
    stored = [
        rec
        for rec in stored_yaml(workspace)["recommendations"]
        if rec.get("addressees") == ["us_executive"]
    ]
    ids = {rec["id"] for rec in stored}
    assert ids
    status, out, _ = run(
        capsys, workspace, "smaa", "--samples", "50", "--top", "200", "--format", "json"
    )
    assert status == 0
    assert ids <= {rec["id"] for rec in json.loads(out)["recommendations"]}
    required = sorted(ids)[0]
    status, out, err = run(
        capsys, workspace, "optimize", "--max-size", "3", "--require", required, "--format", "json"
    )
    assert (status, err) == (0, "")
    assert required in out
    brief = tmp_path / "ranking.csv"
    status, _, _ = run(capsys, workspace, "brief", "--no-robustness", "-o", str(brief))
    assert status == 0
    text = brief.read_text(encoding="utf-8")
    assert all(rec["title"] in text for rec in stored)
