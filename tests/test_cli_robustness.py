"""The sensitivity, smaa and methods subcommands: shapes, reproducibility, clean errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from scoring.cli import main

from conftest import REPO_ROOT


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    """Run the CLI on the bundled data with an empty workspace; return (status, out, err)."""

    def invoke(*argv: str) -> tuple[int, str, str]:
        status = main(["--root", str(REPO_ROOT), "--workspace", str(tmp_path / "ws"), *argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def test_smaa_table_is_reproducible_and_speaks_plainly(run) -> None:
    status, out, err = run("smaa", "--profile", "balanced", "--samples", "400", "--seed", "1")
    assert status == 0, err
    assert out.startswith("SMAA-2 under Balanced (balanced): 400 samples, seed 1")
    assert "of plausible weightings and scores" in out
    assert run("smaa", "--profile", "balanced", "--samples", "400", "--seed", "1")[1] == out


def test_smaa_json_carries_acceptability_central_weights_and_sentences(run) -> None:
    status, out, _ = run(
        "smaa", "--profile", "pressure", "--samples", "300", "--seed", "2", "--format", "json",
        "--top", "4", "--scores", "triangular",
    )  # fmt: skip
    assert status == 0
    data = json.loads(out)
    assert data["seed"] == 2
    assert data["samples"] == 300
    assert data["weights"]["model"] == "order"
    assert len(data["recommendations"]) == 4
    for rec in data["recommendations"]:
        assert sum(rec["rank_acceptability"]) == pytest.approx(1.0)
        if rec["first"] > 0:
            assert sum(rec["central_weights"].values()) == pytest.approx(1.0)
            assert rec["central_weights"]["buy_in"] == 0  # the profile ignores buy-in
    assert len(data["sentences"]) == 4


def test_smaa_ranks_by_topsis_and_says_so_in_json(run) -> None:
    status, out, err = run(
        "smaa", "--method", "topsis", "--samples", "500", "--seed", "1", "--format", "json"
    )
    assert status == 0, err
    data = json.loads(out)
    assert data["method"] == "topsis"
    assert data["method_settings"] == {"anchors": "scale"}
    assert all(" by TOPSIS under " in sentence for sentence in data["sentences"])
    for rec in data["recommendations"]:
        assert sum(rec["rank_acceptability"]) == pytest.approx(1.0)
    again = run("smaa", "--method", "topsis", "--samples", "500", "--seed", "1", "--format", "json")
    assert again[1] == out
    default = json.loads(run("smaa", "--samples", "100", "--seed", "1", "--format", "json")[1])
    assert default["method"] == "weighted_sum"
    assert not any(" by " in sentence for sentence in default["sentences"])


def test_smaa_table_under_promethee_names_the_method_and_its_settings(run) -> None:
    status, out, err = run(
        "smaa", "--method", "promethee_ii", "--preference", "level", "--q", "0.5", "--p", "1.5",
        "--scores", "fixed", "--samples", "300", "--seed", "2",
    )  # fmt: skip
    assert status == 0, err
    first_line = out.splitlines()[0]
    assert first_line == (
        "SMAA-2 under Balanced (balanced): 300 samples, seed 2; ranked by PROMETHEE II, "
        "preference level, q 0.5, p 1.5"
    )
    assert "first by PROMETHEE II under " in out


def test_smaa_csv_has_one_row_per_shown_recommendation(run) -> None:
    status, out, _ = run("smaa", "--samples", "200", "--seed", "3", "--top", "5", "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5
    assert {"id", "first", "top3", "confidence", "w_leverage"} <= set(rows[0])


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["smaa", "--samples", "0"], "smaa: samples: expected a whole number of samples >= 1"),
        (["smaa", "--bounds", "leverage=0.7:1,buy_in=0.5:1"], "lower bounds summing to 1.2"),
        (["smaa", "--bounds", "leverage=0.5"], "criterion=low:high"),
        (["smaa", "--order", "leverage>nope"], "nope"),
        (["smaa", "--order", "leverage>buy_in", "--bounds", "leverage=0:0.1,buy_in=0.2:1"],
         "leverage above buy_in"),
        (["sensitivity", "--criterion", "nope"], "--criterion"),
        (["sensitivity", "--min", "human_rights=9"], "human_rights"),
        (["sensitivity", "--min", "human_rights=5,leverage=5"], "at least one recommendation"),
        (["methods", "--p", "-1"], "promethee_ii.p"),
        (["smaa", "--method", "promethee_ii", "--p", "-1"], "promethee_ii.p"),
        (["smaa", "--method", "promethee_ii", "--samples", "1000000"], "--scores fixed"),
    ],
)  # fmt: skip
def test_bad_input_is_a_message_and_exit_status_2(run, argv: list[str], needle: str) -> None:
    status, out, err = run(*argv)
    assert status == 2
    assert out == ""
    assert needle in err or needle in err.replace("_", " ")
    assert "Traceback" not in err


def test_sensitivity_table_lists_intervals_changes_and_the_sweep(run) -> None:
    status, out, _ = run(
        "sensitivity", "--profile", "human_rights_first", "--criterion", "human_rights"
    )
    assert status == 0
    assert "Where first place holds:" in out
    assert "Smallest single-weight change that moves first place (top 5):" in out
    assert "Rank of the top 5 as the human_rights weight moves:" in out
    assert " loses first place if the " in out or " keeps first place " in out


def test_sensitivity_json_with_safeguards_sets_failures_apart(run) -> None:
    status, out, _ = run(
        "sensitivity", "--profile", "pressure", "--method", "promethee_ii",
        "--min", "human_rights=3", "--veto", "relationship_risk=4", "--format", "json",
    )  # fmt: skip
    assert status == 0
    data = json.loads(out)
    assert data["method"] == "promethee_ii"
    assert len(data["intervals"]) == 8
    apart = {item["id"] for item in data["set_apart"]}
    assert apart
    assert data["first"] not in apart
    for interval in data["intervals"]:
        assert 0 <= interval["first_holds_from"] <= interval["weight"] + 1e-9
        assert interval["weight"] - 1e-9 <= interval["first_holds_to"] <= 1


def test_sensitivity_csv_is_the_long_sweep(run) -> None:
    status, out, _ = run("sensitivity", "--top", "2", "--format", "csv", "--criterion", "leverage")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["criterion"] for row in rows} == {"leverage"}
    assert len(rows) == 101 * 2


def test_methods_compares_ranks_and_kendall_tau(run) -> None:
    status, out, _ = run("methods", "--profile", "engagement", "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert set(data["kendall_tau"]) == {"weighted_sum", "topsis", "promethee_ii"}
    assert data["kendall_tau"]["topsis"]["topsis"] == pytest.approx(1.0)
    assert sorted(row["weighted_sum"] for row in data["ranks"]) == list(
        range(1, len(data["ranks"]) + 1)
    )
    status, out, _ = run("methods", "--top", "3")
    assert status == 0
    assert "Kendall's tau" in out


@pytest.mark.parametrize(
    ("argv", "foreign"),
    [
        (("rank", "--p", "3"), "--p"),
        (("rank", "--method", "topsis", "--preference", "level"), "--preference"),
        (
            ("smaa", "--method", "promethee_ii", "--anchors", "observed", "--samples", "100"),
            "--anchors",
        ),
        (("sensitivity", "--q", "0.5"), "--q"),
    ],
)
def test_a_setting_for_another_method_is_refused_not_ignored(
    run, argv: tuple[str, ...], foreign: str
) -> None:
    status, out, err = run(*argv)
    assert status == 2
    assert out == ""
    assert f"found {foreign}" in err
    assert "--anchors is for --method topsis" in err
    assert "Traceback" not in err
