"""The CLI is a thin front: right output shapes, clean errors, exit codes, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from scoring.cli import main
from scoring.methods import rank

from conftest import REPO_ROOT, ProjectMaker, front_catalog


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_validate_reports_counts_per_document(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--root", str(REPO_ROOT), "validate")
    assert status == 0
    assert out.startswith("OK: 8 criteria")
    assert "000_f4969c7762330fbf.txt:" in out


def test_rank_json_follows_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(
        capsys, "--root", str(REPO_ROOT), "rank", "--profile", "pressure", "--format", "json"
    )
    assert status == 0
    data = json.loads(out)
    catalog = front_catalog()
    expected = rank(catalog, catalog.profiles["pressure"].weights)
    assert data["profile"]["id"] == "pressure"
    assert sum(data["weights"].values()) == pytest.approx(1.0)
    # Same rows and competition ranks as the engine; inside a tie, alphabetical by title.
    assert sorted(row["id"] for row in data["ranking"]) == sorted(expected.ids.tolist())
    ranks = dict(zip(expected.ids.tolist(), expected.competition_ranks.tolist(), strict=True))
    assert all(row["rank"] == ranks[row["id"]] for row in data["ranking"])
    keys = [(row["rank"], row["title"]) for row in data["ranking"]]
    assert keys == sorted(keys)
    assert all(row["tied"] == list(ranks.values()).count(row["rank"]) for row in data["ranking"])
    first = data["ranking"][0]
    assert set(first) >= {"rank", "id", "title", "score", "contributions"}
    assert sum(first["contributions"].values()) == pytest.approx(first["score"])


def test_rank_json_csv_and_table_carry_the_draws_intervals_and_the_tie_verdict(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from scoring.robustness import NEAR_TIE, first_place_tie, with_uncertainty

    catalog = front_catalog()
    weights = catalog.profiles["economic_security"].weights
    ranking = with_uncertainty(catalog, rank(catalog, weights))
    frame = ranking.to_frame().set_index("id")
    tie = first_place_tie(catalog, ranking)
    assert tie is not None  # two options tie for first under this profile
    base = ["--root", str(REPO_ROOT), "rank", "--profile", "economic_security"]
    _, out, _ = run(capsys, *base, "--format", "json")
    data = json.loads(out)
    assert data["first_place_tie"] == tie.sentence()
    assert data["uncertainty"]["near_tie"] == list(NEAR_TIE)
    for row in data["ranking"]:
        assert row["rank_p5"] == frame.loc[row["id"], "rank_p5"]
        assert row["rank_p95"] == frame.loc[row["id"], "rank_p95"]
    assert data["ranking"][-1]["p_above_next"] is None
    _, out, _ = run(capsys, *base, "--format", "csv")
    header = next(csv.reader(io.StringIO(out)))
    assert {"rank_p5", "rank_p95", "p_above_next", "near_tie_with_next"} <= set(header)
    _, out, _ = run(capsys, *base)
    assert tie.sentence() in out
    assert "near-tie (0.4 <= P <= 0.6)" in out
    assert "Recommend " not in out


def test_rank_table_lists_every_recommendation(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--root", str(REPO_ROOT), "rank", "--profile", "balanced")
    assert status == 0
    catalog = front_catalog()
    for rec_id in catalog.recommendation_ids:
        assert rec_id in out


def test_rank_top_and_weight_overrides(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker
) -> None:
    root = make_project()
    _, out, _ = run(
        capsys,
        "--root",
        str(root),
        "rank",
        "--weights",
        "leverage=10",
        "--top",
        "1",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["id"] for row in rows] == ["t-costs"]


def test_recommendations_json_carries_grounding_and_scores(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "--root", str(REPO_ROOT), "recommendations", "--format", "json")
    assert status == 0
    records: list[dict[str, Any]] = json.loads(out)
    catalog = front_catalog()
    assert len(records) == len(catalog.recommendations) + len(catalog.context)
    assert {r["role"] for r in records} == {"option", "baseline", "others_asked", "beijing_asks"}
    record = records[0]
    for key in (
        "id",
        "document",
        "title",
        "summary",
        "quote",
        "start",
        "end",
        "kind",
        "actor",
        "instrument",
        "scores",
    ):
        assert key in record
    assert set(record["scores"]) == set(catalog.criterion_ids)
    assert set(record["scores"]["leverage"]) == {"value", "low", "high", "rationale"}


def test_recommendations_csv_has_a_row_per_recommendation(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker
) -> None:
    _, out, _ = run(capsys, "--root", str(make_project()), "recommendations", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["id"] for row in rows] == ["t-costs", "t-restart"]
    assert rows[0]["leverage_rationale"] == "reason d"


def test_invalid_data_exits_2_with_a_message(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker
) -> None:
    root = make_project()
    (root / "seeds" / "doc.yaml").write_text("schema_version: [\n")
    status, out, err = run(capsys, "--root", str(root), "validate")
    assert status == 2
    assert out == ""
    assert "seeds/doc.yaml" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["rank", "--profile", "hawks"], "profile"),
        (["rank", "--weights", "leverage=-1"], "negative"),
        (["rank", "--weights", "leverage=0,buy_in=0,risk=0"], "at least one weight"),
        (["rank", "--weights", "morale=1"], "morale"),
    ],
)
def test_bad_options_exit_2_naming_the_fault(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker, argv: list[str], needle: str
) -> None:
    status, _, err = run(capsys, "--root", str(make_project()), *argv)
    assert status == 2
    assert needle in err.lower() or needle in err


def test_malformed_weight_spec_is_an_argparse_error(make_project: ProjectMaker) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scoring.cli",
            "--root",
            str(make_project()),
            "rank",
            "--weights",
            "leverage",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "leverage" in result.stderr


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "recscore"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("recscore ")


@pytest.mark.parametrize(
    "argv",
    [["--version"], ["validate"], ["rank", "--top", "3"], ["rank", "--method", "promethee_ii"]],
)
def test_start_up_commands_import_neither_pandas_nor_scipy(argv: list[str]) -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom scoring.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('pandas', 'scipy', 'pyarrow') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False
    )
    assert "HEAVY []" in done.stdout, done.stdout[-500:] + done.stderr[-2000:]
