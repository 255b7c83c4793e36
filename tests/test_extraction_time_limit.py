"""Extraction is time-boxed ($RECSCORE_EXTRACT_SECONDS): past the budget, a typed error that
names the document and the fixes, in the engine, the CLI (exit 2) and the app (no traceback).

The budget is made tiny (a nanosecond) so that the first check fails; nothing here is timed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring.cli import main
from scoring.errors import Code, InputError
from scoring.intake.extraction import extract_candidates
from scoring.intake.ingest import ingest_text
from scoring.intake.review import start_review
from scoring.intake.time_limit import (
    DEFAULT_EXTRACT_SECONDS,
    EXTRACT_SECONDS_VARIABLE,
    extract_seconds,
)
from scoring.workspace import ENV_VARIABLE

from conftest import REPO_ROOT, front_catalog

TEXT = "Donors should fund legal aid clinics.\n\nThe agency must publish its audits.\n"
TINY = "0.000000001"


def test_past_the_budget_the_error_names_the_document_and_the_fixes() -> None:
    with pytest.raises(InputError) as raised:
        extract_candidates(TEXT, where="report.pdf", seconds=1e-9)
    [problem] = raised.value.problems
    assert problem.code is Code.EXTRACTION_TIME_LIMIT
    assert problem.file == "report.pdf"
    assert EXTRACT_SECONDS_VARIABLE in problem.hint
    assert "smaller files" in problem.hint
    assert f"of {len(TEXT):,}" in problem.found


def test_within_the_budget_nothing_changes() -> None:
    assert extract_candidates(TEXT, seconds=600).candidates == extract_candidates(TEXT).candidates


def test_the_variable_sets_the_budget_of_a_review(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EXTRACT_SECONDS_VARIABLE, TINY)
    with pytest.raises(InputError) as raised:
        start_review(ingest_text(TEXT, name="notes.txt"), front_catalog())
    assert raised.value.problems[0].file == "notes.txt"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", DEFAULT_EXTRACT_SECONDS), ("5", 5.0), ("0.5", 0.5)]
    + [(bad, DEFAULT_EXTRACT_SECONDS) for bad in ("nan", "inf", "-1", "0", "soon")],
)
def test_a_bad_value_keeps_the_default_limit(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: float
) -> None:
    monkeypatch.setenv(EXTRACT_SECONDS_VARIABLE, value)
    assert extract_seconds() == expected


def test_the_cli_exits_2_with_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "slow.txt"
    path.write_text(TEXT, encoding="utf-8")
    monkeypatch.setenv(EXTRACT_SECONDS_VARIABLE, TINY)
    status = main(["--root", str(REPO_ROOT), "extract", str(path)])
    err = capsys.readouterr().err
    assert status == 2
    assert "slow.txt" in err
    assert EXTRACT_SECONDS_VARIABLE in err
    assert "Traceback" not in err


def test_the_app_shows_the_message_beside_the_upload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VARIABLE, str(tmp_path / "ws"))
    monkeypatch.setenv(EXTRACT_SECONDS_VARIABLE, TINY)
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/documents.py").run()
    at.file_uploader(key="docs_file").set_value(("slow.txt", TEXT.encode(), "text/plain"))
    at.run()
    at.button(key="docs_read").click().run()
    assert [e.value for e in at.exception] == []
    shown = " ".join(str(e.value) for e in at.error) + " ".join(m.value for m in at.markdown)
    assert "slow.txt" in shown
    assert EXTRACT_SECONDS_VARIABLE in shown.replace("\\_", "_")  # Markdown-escaped
