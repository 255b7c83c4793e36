"""``recscore extract``: table and JSON of candidates, and a clean exit 2 on every bad input.

A document without advice is not bad input: tests/test_extraction_forms.py covers its exit 0.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from documents import pdf_bytes

from scoring.cli import main
from scoring.text import normalize_text

from conftest import REPO_ROOT

ADVICE = (
    "Skip to main content\n"
    "The agency should publish its audits every quarter.\n"
    "The review took two years.\n"
    "Donors must fund legal aid until the new law takes effect.\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["--root", str(REPO_ROOT), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_json_lists_candidates_with_spans_into_the_normalised_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "note.txt"
    path.write_text(ADVICE, encoding="utf-8")
    status, out, _ = run(capsys, "extract", str(path), "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert data["document"]["format"] == "txt"
    assert data["furniture_removed"] == [
        {"line": 1, "text": "Skip to main content", "reason": "navigation"}
    ]
    normalized = normalize_text(ADVICE.replace("Skip to main content", ""))
    texts = []
    for candidate in data["candidates"]:
        start, end = candidate["span"]
        assert normalized[start:end] == candidate["text"]
        texts.append(candidate["text"])
    assert texts == [
        "The agency should publish its audits every quarter.",
        "Donors must fund legal aid until the new law takes effect.",
    ]
    assert data["candidates"][1]["forms"][0] == "conditional"
    assert set(data["candidates"][0]) >= {"kind", "actor", "instrument", "confidence"}


def test_table_shows_one_row_per_candidate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes([["Parliament should hold hearings on", "the detentions."]]))
    status, out, _ = run(capsys, "extract", str(path))
    assert status == 0
    assert out.startswith("report.pdf: 1 candidate recommendation(s)")
    assert "Parliament should hold hearings on the detentions." in out


def test_min_confidence_filters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Philanthropists could endow a fund. The government must act.\n", "utf-8")
    status, out, _ = run(
        capsys, "extract", str(path), "--min-confidence", "0.8", "--format", "json"
    )
    assert status == 0
    assert [c["cue"] for c in json.loads(out)["candidates"]] == ["must"]


def test_stdin_is_pasted_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Courts should publish their rulings.\n"))
    status, out, _ = run(capsys, "extract", "-", "--format", "json")
    assert status == 0
    assert json.loads(out)["document"]["name"] == "pasted text"


@pytest.mark.parametrize(
    ("content", "name", "extra", "code_text"),
    [
        (b"", "empty.txt", [], "text: expected a document with text"),
        (b"\x89PNG\r\n\x1a\n" + bytes(32), "photo.png", [], "format: expected a document"),
        (pdf_bytes([None]), "scan.pdf", [], "pages: expected a PDF with a text layer"),
        ("caf\u00e9".encode("cp1252"), "old.txt", [], "encoding: expected UTF-8 text"),
        (b"x" * 2048, "big.txt", ["--max-size-mb", "0.001"], "size: expected at most"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    name: str,
    extra: list[str],
    code_text: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    status, out, err = run(capsys, "extract", str(path), *extra)
    assert status == 2
    assert out == ""
    assert code_text in err
    assert "Traceback" not in err


def test_a_bad_min_confidence_is_an_argument_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["extract", "x.txt", "--min-confidence", "2"])
    assert caught.value.code == 2
    assert "expected a number from 0 to 1" in capsys.readouterr().err
