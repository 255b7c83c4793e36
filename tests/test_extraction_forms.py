"""Extraction of the forms issue 16 names, addressees, the sentence model and "no advice".

The sentences are written for these tests (not copied from the development corpus); each
would break if its rule, or the way a lead-in is read, stopped working.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring.cli import main
from scoring.errors import Code
from scoring.intake.addressees import addressee_of
from scoring.intake.extraction import (
    extract_candidates,
    no_advice_notice,
    training_examples,
    unit_features,
)
from scoring.intake.sentence_classifier import MODEL_PATH, load_model, save_model, train
from scoring.model import ADDRESSEES, UNKNOWN

from conftest import REPO_ROOT


def texts(text: str) -> list[str]:
    return [c.text for c in extract_candidates(text, model=None).candidates]


def test_gerund_bullets_after_an_advice_lead_in_are_each_an_item() -> None:
    text = (
        "The ministry has three options.\n\n"
        "Priorities for the new ministry should be:\n\n"
        "- Publishing every court ruling within a month;\n"
        "- Reducing pretrial detention to six months;\n"
        "- Ending closed trials.\n"
    )
    found = extract_candidates(text, model=None).candidates
    assert [c.text for c in found] == [
        "Publishing every court ruling within a month;",
        "Reducing pretrial detention to six months;",
        "Ending closed trials.",
    ]
    assert {c.form for c in found} == {"list_item"}


def test_gerund_bullets_under_a_descriptive_lead_in_are_not_advice() -> None:
    text = (
        "Witnesses described the following:\n\n"
        "- Shouting at the protesters for an hour;\n"
        "- Blocking the exits of the square.\n"
    )
    assert texts(text) == []


def test_a_recommendations_to_heading_names_the_actor_of_its_bullets() -> None:
    text = (
        "Recommendations to the Department of Justice:\n\n"
        "- Investigate the groups that harassed the marchers.\n"
        "- Publish the results of every inquiry.\n\n"
        "Recommendations to Congress:\n\n"
        "- Pass a law protecting the targets of harassment.\n"
    )
    found = extract_candidates(text, model=None).candidates
    assert [(c.actor, c.addressee) for c in found] == [
        ("the Department of Justice", "us_executive"),
        ("the Department of Justice", "us_executive"),
        ("Congress", "us_congress"),
    ]
    assert "Recommendations" not in " ".join(c.text for c in found)  # lead-ins announce


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("The minister called for restraint by the border police.", "called for"),
        ("The two leaders affirmed the need to reopen the consulates.", "affirmed"),
        ("Both delegations also encouraged the expansion of student exchanges.", "encouraged"),
        ("The world expects the two governments to settle the dispute peacefully.", "expects"),
    ],
)
def test_reported_calls_are_found(sentence: str, cue: str) -> None:
    (found,) = extract_candidates(sentence, model=None).candidates
    assert found.cue == cue
    assert found.kind == "explicit"


@pytest.mark.parametrize(
    "sentence",
    [
        "The new law calls for harsh penalties for protesters.",
        "Few observers expect the court to rule before the summer.",
        "The ministry will continue to support the program.",
    ],
)
def test_descriptions_of_calls_and_forecasts_are_not_advice(sentence: str) -> None:
    assert texts(sentence) == []


def test_an_imperative_after_a_fronted_clause_is_found() -> None:
    (found,) = extract_candidates(
        "When meeting senior officials, ask for the release of the detained lawyers.", model=None
    ).candidates
    assert found.form == "imperative"
    assert texts("When the law passed, the city changed its rules.") == []


def test_a_label_before_a_colon_is_not_an_imperative() -> None:
    assert texts("Case in point: the two ministries disagree on the figures.") == []


def test_addressee_classes_are_the_catalogs_closed_list() -> None:
    assert addressee_of("the two leaders") == "joint_us_prc"
    assert addressee_of("the United Nations") == "multilateral"
    assert addressee_of("Beijing") == "prc_government"
    assert addressee_of("Britain") == "allied_governments"
    assert addressee_of("U.S. companies") == "non_state"
    assert addressee_of("they") == UNKNOWN
    for text in ("Congress", "the President", "China", "Japan", "civil society", "the UN"):
        assert addressee_of(text) in ADDRESSEES


def test_every_candidate_carries_an_addressee_field() -> None:
    found = extract_candidates(
        "The administration should restart the legal dialogue. The President must meet the "
        "judges. Restart the judicial exchanges.",
        model=None,
    ).candidates
    # the imperative names nobody; the document's main addressee fills in
    assert [c.addressee for c in found] == ["us_executive"] * 3


# --- no advice ----------------------------------------------------------------------------------


NEWS = "The summit opened on Monday.\nThe delegations met for four hours and left at noon.\n"


def test_no_advice_is_a_notice_not_an_error() -> None:
    extraction = extract_candidates(NEWS)
    assert extraction.candidates == ()
    notice = no_advice_notice(extraction, "news.txt")
    assert notice is not None
    assert notice.code == Code.NO_CANDIDATES


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_cli_extract_of_a_document_without_advice_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    path = tmp_path / "news.txt"
    path.write_text(NEWS, encoding="utf-8")
    status = main(["--root", str(REPO_ROOT), "extract", str(path), "--format", fmt])
    out = capsys.readouterr().out
    assert status == 0
    if fmt == "json":
        data = json.loads(out)
        assert data["candidates"] == []
        assert [n["code"] for n in data["notices"]] == [Code.NO_CANDIDATES.value]
    else:
        assert out.startswith("news.txt: 0 candidate recommendation(s)")
        assert "no explicit advice found" in out


# --- the sentence model -------------------------------------------------------------------------


def test_training_labels_the_sentence_that_gives_the_advice() -> None:
    text = "The review took two years. The ministry should publish its data.\n"
    start = text.index("publish")
    examples = training_examples(text, [("explicit", (start, start + 20))])
    assert [label for _, label in examples] == [0, 1]
    assert examples[1][0]["rule:any"] == 1.0


def test_training_leaves_out_sentences_of_implicit_items() -> None:
    text = "The review took two years. Donors may wish to fund legal aid.\n"
    start = text.index("Donors")
    examples = training_examples(text, [("implicit", (start, start + 10))])
    assert [label for _, label in examples] == [0]


def test_a_trained_model_separates_and_round_trips(tmp_path: Path) -> None:
    examples = [({"a": 1.0}, 1)] * 20 + [({"b": 1.0}, 0)] * 20 + [({"a": 1.0}, 0)] * 2
    model = train(examples, data_sha256="x" * 64)
    assert model.probability({"a": 1.0}) > 0.7 > 0.3 > model.probability({"b": 1.0})
    path = tmp_path / "model.json"
    save_model(model, path)
    again = load_model(path)
    assert again is not None
    assert again.data_sha256 == "x" * 64
    assert abs(again.probability({"a": 1.0}) - model.probability({"a": 1.0})) < 1e-5
    assert train(examples, data_sha256="x" * 64).record() == model.record()  # deterministic


def test_the_shipped_model_records_its_training_data_hash() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert len(data["data_sha256"]) == 64
    assert data["examples"] > data["positives"] > 0
    model = load_model()
    assert model is not None
    # every feature the model knows is one the extractor can produce
    assert "rule:any" in model.weights


def test_features_are_named_and_bounded() -> None:
    from scoring.intake.extraction import _analysed_units

    normalized, units = _analysed_units("The agency should publish its audits every quarter.\n")
    features = unit_features(normalized, units[0])
    assert all(0.0 <= value <= 1.0 for value in features.values())
    assert features["cue:should"] == 1.0


def test_a_long_line_without_breaks_is_split_into_sentences() -> None:
    # Hostile text: one very long line. Blocks come from lines, sentences from each block, so
    # every advice sentence is still found once.
    line = "The agency should publish its audits. " * 400
    found = extract_candidates(line, model=None).candidates
    assert len(found) == 400
