"""Each bad-input case: the right code at the right key path, all faults, nothing written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scoring.errors import Code, ValidationError
from scoring.loading import load_catalog

from conftest import ProjectMaker, snapshot


def _problems(root: Path) -> ValidationError:
    before = snapshot(root)
    with pytest.raises(ValidationError) as caught:
        load_catalog(root)
    assert snapshot(root) == before, "validation must never write"
    return caught.value


def _has(error: ValidationError, code: Code, file: str, key_path_part: str) -> bool:
    return any(
        p.code == code and p.file == file and key_path_part in p.key_path for p in error.problems
    )


def test_valid_project_loads_with_spans_and_sorted_ids(make_project: ProjectMaker) -> None:
    catalog = load_catalog(make_project())
    assert catalog.recommendation_ids == ("t-costs", "t-restart")
    rec = catalog.recommendation("t-restart")
    text = catalog.document("doc.txt").normalized
    assert text[rec.start : rec.end] == "restart legal dialogues with its counter-parts at once."
    assert catalog.values.shape == (2, 3)


def test_yaml_syntax_error_names_file_and_line(make_project: ProjectMaker) -> None:
    root = make_project()
    (root / "seeds" / "doc.yaml").write_text("schema_version: 1\nlabel: [unclosed\n")
    error = _problems(root)
    [problem] = error.problems
    assert problem.code == Code.YAML_SYNTAX
    assert problem.file == "seeds/doc.yaml"
    assert problem.key_path.startswith("line ")


def test_wrong_type_is_reported_with_its_key_path(make_project: ProjectMaker) -> None:
    def edit(seed: dict[str, Any]) -> None:
        seed["recommendations"][0]["scores"]["leverage"]["value"] = "high"

    error = _problems(make_project(seed=edit))
    assert _has(
        error,
        Code.WRONG_TYPE,
        "seeds/doc.yaml",
        "recommendations[0] (id t-restart).scores.leverage.value",
    )


def test_top_level_that_is_not_a_mapping_is_a_wrong_type(make_project: ProjectMaker) -> None:
    root = make_project()
    (root / "criteria" / "profiles" / "balanced.yaml").write_text("- just\n- a list\n")
    assert _has(_problems(root), Code.WRONG_TYPE, "criteria/profiles/balanced.yaml", "")


def test_unknown_criterion_in_scores(make_project: ProjectMaker) -> None:
    def edit(seed: dict[str, Any]) -> None:
        seed["recommendations"][1]["scores"]["levrage"] = {
            "value": 3,
            "low": 3,
            "high": 3,
            "rationale": "typo",
        }

    error = _problems(make_project(seed=edit))
    assert _has(error, Code.UNKNOWN_CRITERION, "seeds/doc.yaml", "scores.levrage")


def test_missing_score_for_a_criterion(make_project: ProjectMaker) -> None:
    def edit(seed: dict[str, Any]) -> None:
        del seed["recommendations"][0]["scores"]["risk"]

    assert _has(
        _problems(make_project(seed=edit)), Code.MISSING_SCORE, "seeds/doc.yaml", "scores.risk"
    )


def test_unknown_criterion_in_a_profile(make_project: ProjectMaker) -> None:
    def edit(profiles: dict[str, Any]) -> None:
        profiles["pressure"]["weights"]["morale"] = 2

    assert _has(
        _problems(make_project(profiles=edit)),
        Code.UNKNOWN_CRITERION,
        "criteria/profiles/pressure.yaml",
        "weights.morale",
    )


def test_unknown_default_profile(make_project: ProjectMaker) -> None:
    def edit(criteria: dict[str, Any]) -> None:
        criteria["default_profile"] = "hawkish"

    assert _has(
        _problems(make_project(criteria=edit)),
        Code.UNKNOWN_PROFILE,
        "criteria/criteria.yaml",
        "default_profile",
    )


@pytest.mark.parametrize("value", [0, 6, 5.5, float("nan")])
def test_score_outside_the_scale(make_project: ProjectMaker, value: float) -> None:
    def edit(seed: dict[str, Any]) -> None:
        seed["recommendations"][0]["scores"]["buy_in"]["value"] = value

    assert _has(
        _problems(make_project(seed=edit)),
        Code.SCORE_OUT_OF_RANGE,
        "seeds/doc.yaml",
        "scores.buy_in.value",
    )


@pytest.mark.parametrize(("low", "value", "high"), [(4, 3, 5), (2, 4, 3)])
def test_range_that_does_not_hold_the_value(
    make_project: ProjectMaker, low: int, value: int, high: int
) -> None:
    def edit(seed: dict[str, Any]) -> None:
        seed["recommendations"][0]["scores"]["leverage"] = {
            "value": value,
            "low": low,
            "high": high,
            "rationale": "bad range",
        }

    assert _has(
        _problems(make_project(seed=edit)), Code.RANGE_ORDER, "seeds/doc.yaml", "scores.leverage"
    )


def test_duplicate_recommendation_id(make_project: ProjectMaker) -> None:
    def edit(seed: dict[str, Any]) -> None:
        seed["recommendations"][1]["id"] = "t-restart"

    assert _has(
        _problems(make_project(seed=edit)),
        Code.DUPLICATE_ID,
        "seeds/doc.yaml",
        "recommendations[1].id",
    )


def test_duplicate_criterion_id(make_project: ProjectMaker) -> None:
    def edit(criteria: dict[str, Any]) -> None:
        criteria["criteria"][1]["id"] = "leverage"

    assert _has(
        _problems(make_project(criteria=edit)),
        Code.DUPLICATE_ID,
        "criteria/criteria.yaml",
        "criteria[1].id",
    )


@pytest.mark.parametrize("rationale", ["", "   "])
def test_empty_rationale(make_project: ProjectMaker, rationale: str) -> None:
    def edit(seed: dict[str, Any]) -> None:
        seed["recommendations"][0]["scores"]["risk"]["rationale"] = rationale

    assert _has(
        _problems(make_project(seed=edit)),
        Code.EMPTY_RATIONALE,
        "seeds/doc.yaml",
        "scores.risk.rationale",
    )


def test_quote_not_in_the_document(make_project: ProjectMaker) -> None:
    def edit(seed: dict[str, Any]) -> None:
        seed["recommendations"][1]["quote"] = "It must also impose sanctions."

    assert _has(
        _problems(make_project(seed=edit)),
        Code.QUOTE_NOT_FOUND,
        "seeds/doc.yaml",
        "recommendations[1] (id t-costs).quote",
    )


def test_recorded_span_that_disagrees_with_the_quote(make_project: ProjectMaker) -> None:
    def edit(seed: dict[str, Any]) -> None:
        seed["recommendations"][0]["span"] = [0, 10]

    assert _has(_problems(make_project(seed=edit)), Code.SPAN_MISMATCH, "seeds/doc.yaml", "span")


@pytest.mark.parametrize(
    ("weight", "code"),
    [
        (-1, Code.NEGATIVE_WEIGHT),
        (float("nan"), Code.NAN_WEIGHT),
        (float("inf"), Code.NEGATIVE_WEIGHT),
    ],
)
def test_bad_weight_in_a_profile(make_project: ProjectMaker, weight: float, code: Code) -> None:
    def edit(profiles: dict[str, Any]) -> None:
        profiles["pressure"]["weights"]["buy_in"] = weight

    assert _has(
        _problems(make_project(profiles=edit)),
        code,
        "criteria/profiles/pressure.yaml",
        "weights.buy_in",
    )


def test_all_zero_weights_in_a_profile(make_project: ProjectMaker) -> None:
    def edit(profiles: dict[str, Any]) -> None:
        profiles["pressure"]["weights"] = {"leverage": 0, "buy_in": 0, "risk": 0}

    assert _has(
        _problems(make_project(profiles=edit)),
        Code.ZERO_WEIGHTS,
        "criteria/profiles/pressure.yaml",
        "weights",
    )


def test_document_text_file_missing(make_project: ProjectMaker) -> None:
    root = make_project()
    (root / "seeds" / "doc.txt").unlink()
    assert _has(_problems(root), Code.SEED_MISSING, "seeds/doc.yaml", "document")


def test_document_without_its_yaml(make_project: ProjectMaker) -> None:
    root = make_project()
    (root / "seeds" / "other.txt").write_text("Some text.")
    assert _has(_problems(root), Code.SEED_MISSING, "seeds/other.txt", "")


def test_criteria_file_missing(make_project: ProjectMaker) -> None:
    root = make_project()
    (root / "criteria" / "criteria.yaml").unlink()
    assert _has(_problems(root), Code.FILE_MISSING, "criteria/criteria.yaml", "")


def test_unknown_instrument_and_bad_kind(make_project: ProjectMaker) -> None:
    def edit(seed: dict[str, Any]) -> None:
        seed["recommendations"][0]["instrument"] = "carrots"
        seed["recommendations"][1]["kind"] = "maybe"

    error = _problems(make_project(seed=edit))
    assert _has(error, Code.UNKNOWN_INSTRUMENT, "seeds/doc.yaml", "recommendations[0]")
    assert _has(error, Code.BAD_VALUE, "seeds/doc.yaml", "recommendations[1] (id t-costs).kind")


def test_criterion_with_an_undescribed_level(make_project: ProjectMaker) -> None:
    def edit(criteria: dict[str, Any]) -> None:
        del criteria["criteria"][0]["scale"][3]

    assert _has(
        _problems(make_project(criteria=edit)),
        Code.BAD_VALUE,
        "criteria/criteria.yaml",
        "criteria[0] (id leverage).scale",
    )


def test_unknown_key_is_reported(make_project: ProjectMaker) -> None:
    def edit(seed: dict[str, Any]) -> None:
        seed["recommendations"][0]["actr"] = "typo"

    assert _has(_problems(make_project(seed=edit)), Code.UNKNOWN_KEY, "seeds/doc.yaml", "actr")


def test_all_problems_of_all_files_are_reported_at_once(make_project: ProjectMaker) -> None:
    def edit_seed(seed: dict[str, Any]) -> None:
        seed["recommendations"][0]["scores"]["leverage"]["value"] = 9
        seed["recommendations"][0]["scores"]["risk"]["rationale"] = ""
        seed["recommendations"][1]["quote"] = "not in the text"

    def edit_profiles(profiles: dict[str, Any]) -> None:
        profiles["pressure"]["weights"]["leverage"] = -2

    error = _problems(make_project(seed=edit_seed, profiles=edit_profiles))
    assert {
        Code.SCORE_OUT_OF_RANGE,
        Code.EMPTY_RATIONALE,
        Code.QUOTE_NOT_FOUND,
        Code.NEGATIVE_WEIGHT,
    } <= error.codes


def test_messages_say_where_what_was_expected_found_and_the_fix(
    make_project: ProjectMaker,
) -> None:
    def edit(criteria: dict[str, Any]) -> None:
        criteria["criteria"][2]["direction"] = "max-ish"

    [problem] = _problems(make_project(criteria=edit)).problems
    message = str(problem)
    assert message.startswith("criteria/criteria.yaml: criteria[2] (id risk).direction: expected ")
    for part in ("'benefit' or 'cost'", "found 'max-ish'", "(fix: "):
        assert part in message


def test_a_parsed_catalog_is_kept_until_a_file_changes(tmp_path, monkeypatch) -> None:
    import shutil

    from scoring import loading

    root = tmp_path / "root"
    bundled = Path(__file__).resolve().parent.parent
    shutil.copytree(bundled / "criteria", root / "criteria")
    shutil.copytree(bundled / "seeds", root / "seeds")
    monkeypatch.setenv("RECSCORE_CACHE", str(tmp_path / "cache"))
    first = loading.load_catalog(root)
    assert len(list((tmp_path / "cache").glob("catalog-*.pickle"))) == 1
    loading._memory.clear()
    again = loading.load_catalog(root)  # from the pickle
    assert again.recommendation_ids == first.recommendation_ids
    assert not again.values.flags.writeable
    assert (again.values == first.values).all()
    profile = next((root / "criteria" / "profiles").glob("*.yaml"))
    profile.write_text(profile.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    loading.load_catalog(root)  # the stamp changed: read again, cached under a new key
    assert len(list((tmp_path / "cache").glob("catalog-*.pickle"))) == 2
