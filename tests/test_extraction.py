"""Extraction: each advice form is found in text the rules were not written from, descriptive
sentences are left alone, spans are exact, and the figures hold on held-out documents.

The held-out documents under ``tests/data`` were written for these tests, in genres the seeds do
not cover (a markdown brief, an op-ed, a hard-wrapped report, UN concluding observations, a
news story). Each recommendation a reader would mark is enclosed in «guillemets».
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
import yaml
from documents import docx_bytes, pdf_bytes

from scoring.errors import Code, InputError
from scoring.intake.extraction import (
    DEFAULT_MIN_CONFIDENCE,
    INSTRUMENT_KEYWORDS,
    extract_candidates,
    require_candidates,
)
from scoring.intake.ingest import ingest_bytes, ingest_text
from scoring.model import UNKNOWN
from scoring.text import find_span, normalize_text

from conftest import REPO_ROOT

DATA = Path(__file__).parent / "data"
HELD_OUT = sorted(DATA.glob("heldout_*"))


def candidates(text: str, **kwargs):
    return extract_candidates(text, **kwargs).candidates


def only(text: str):
    (candidate,) = candidates(text)
    return candidate


# --- spans ------------------------------------------------------------------------------------


def test_spans_point_at_the_candidate_text_in_the_normalised_document() -> None:
    text = (
        "The review covered\nfive years.\n\nThe ministry should pub-\nlish the criteria "
        "it uses.  Donors could also fund\nlegal aid.\n"
    )
    extraction = extract_candidates(text)
    assert extraction.normalized == normalize_text(text)
    assert [c.text for c in extraction.candidates] == [
        "The ministry should pub-lish the criteria it uses.",
        "Donors could also fund legal aid.",
    ]
    for candidate in extraction.candidates:
        assert extraction.normalized[candidate.start : candidate.end] == candidate.text


# --- the forms of advice ---------------------------------------------------------------------


def test_modal_advice_names_its_subject_as_actor() -> None:
    found = only("The finance ministry should publish the list of audited suppliers.")
    assert found.forms == ("third_party", "modal")
    assert (found.actor, found.actor_basis) == ("The finance ministry", "subject")
    assert found.kind == "explicit"
    assert found.confidence >= 0.8


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Regulators must close the loophole before the next filing season.", "must"),
        ("The agency ought to consult the unions first.", "ought to"),
        ("Parliament needs to fund the inspectorate properly.", "needs to"),
        ("It is time for the bank to stop lending to the project.", "It is time for"),
        ("It is essential for donors to coordinate their grants.", "It is essential for"),
        ("Member states are urged to ratify the convention.", "are urged to"),
    ],
)
def test_modal_forms(sentence: str, cue: str) -> None:
    assert only(sentence).cue.startswith(cue)


def test_a_passive_has_no_actor_unless_a_by_phrase_names_one() -> None:
    assert only("Detention centres should be opened to inspectors.").actor == UNKNOWN
    named = only("The files should be reviewed by the Ombudsman within a month.")
    assert (named.actor, named.actor_basis) == ("the Ombudsman", "by-phrase of a passive")


def test_hedged_advice_needs_an_agent() -> None:
    assert only("Philanthropists could endow a fund for exchange programmes.").cue == "could"
    assert candidates("Better data could reduce the backlog within a year.") == ()


def test_an_imperative_heading_is_joined_to_the_sentence_after_it() -> None:
    text = (
        "Recommendations\n\nStrengthen the inspectorate\n\n"
        "Inspectors now cover one factory in fifty. Numbers have fallen since 2019.\n"
    )
    found = only(text)
    assert found.text == "Strengthen the inspectorate Inspectors now cover one factory in fifty."
    assert found.form == "imperative"
    assert found.actor == UNKNOWN


def test_bullet_items_are_each_a_recommendation_and_their_heading_is_not() -> None:
    text = (
        "Work with partners\n\n"
        "• Align sanctions lists with allied governments.\n"
        "• Share enforcement data every quarter.\n"
    )
    assert [c.text for c in candidates(text)] == [
        "Align sanctions lists with allied governments.",
        "Share enforcement data every quarter.",
    ]


def test_a_paragraph_opening_imperative_takes_its_explanation() -> None:
    text = "Expand legal aid. Most defendants in rural courts have no lawyer at all.\n"
    assert only(text).text == text.strip()


def test_conditional_advice_is_marked_and_points_to_conditionality() -> None:
    found = only("Donors should suspend budget support until the election law is amended.")
    assert found.forms[0] == "conditional"
    assert "until" in found.cue
    assert found.instrument == "conditionality"


def test_a_condition_on_its_own_is_advice() -> None:
    found = only(
        "Aid can be made conditional on the release of the detained lawyers, as other "
        "donors have done."
    )
    assert found.form == "conditional"


def test_advice_to_third_parties_and_reported_demands() -> None:
    third = only("Investors around the world should demand audits of their suppliers.")
    assert third.form == "third_party"
    assert third.actor == "Investors"
    reported = only("The minister urged the European Union to lift the restrictions.")
    assert reported.forms == ("reported", "third_party")
    assert reported.actor == "the European Union"
    direct = only("We call on the city council to publish the contracts.")
    assert direct.forms == ("third_party",)


def test_semicolon_clauses_are_split_only_when_each_gives_advice() -> None:
    text = (
        "Their assets abroad could be frozen; regulators should require disclosure of "
        "beneficial owners; visas could be refused to the worst offenders."
    )
    assert len(candidates(text)) == 3
    assert len(candidates("Audits should resume; they stopped in 2020.")) == 1


@pytest.mark.parametrize(
    "sentence",
    [
        "The delegation met the minister in March and discussed the budget.",
        "It could take years before independent audits resume.",
        "Should the talks fail, the programme may continue on its own.",
        "The question is whether the government should intervene.",
        "It should be noted that the figures are provisional.",
        "Should governments intervene?",
        "Labour inspections continued until 2016.",
        "Border control personnel in the region have been questioning travellers.",
        "Court reform produced a sharp rise in administrative cases.",
        "Look at the pilot programme in the north, for example.",
        "Few observers expect the court to rule before the summer.",
        "Nobody argues that laboratories should be open to all comers.",
        "The regulator could have acted sooner.",
    ],
)
def test_descriptive_sentences_are_not_advice(sentence: str) -> None:
    assert candidates(sentence) == ()


# --- actor, instrument, confidence -----------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "instrument"),
    [
        (
            "Governments should impose visa bans and freeze the assets of officials.",
            "targeted_measures",
        ),
        ("The ministry should coordinate with allies at the G7.", "multilateral"),
        ("Police cooperation on extradition should be expanded.", "law_enforcement"),
        ("Donors should fund independent civil society groups.", "civil_society"),
        ("The state should publicly condemn the arrests in a statement.", "public_diplomacy"),
    ],
)
def test_instrument_keywords(sentence: str, instrument: str) -> None:
    found = only(sentence)
    assert found.instrument == instrument
    assert found.instrument_basis


def test_no_keyword_means_an_unknown_instrument_and_unknown_keys_are_ignored() -> None:
    assert only("The board should meet weekly.").instrument == UNKNOWN
    restricted = extract_candidates("Governments should impose visa bans.", ["dialogue"])
    assert restricted.candidates[0].instrument == UNKNOWN


def test_instrument_rules_name_only_instruments_of_the_catalog() -> None:
    criteria = yaml.safe_load((REPO_ROOT / "criteria" / "criteria.yaml").read_text("utf-8"))
    assert set(INSTRUMENT_KEYWORDS) <= set(criteria["instruments"])


def test_min_confidence_filters_weak_candidates() -> None:
    text = "The ministry must publish the list. Philanthropists could endow a fund."
    assert len(candidates(text, min_confidence=0.0)) == 2
    assert [c.cue for c in candidates(text, min_confidence=0.8)] == ["must"]


def test_no_candidates_is_a_typed_error() -> None:
    extraction = extract_candidates("The committee met twice last year.")
    with pytest.raises(InputError) as caught:
        require_candidates(extraction, "minutes.txt")
    (problem,) = caught.value.problems
    assert (problem.code, problem.file, problem.key_path) == (
        Code.NO_CANDIDATES,
        "minutes.txt",
        "recommendations",
    )


# --- whole documents --------------------------------------------------------------------------


def test_advice_in_a_real_pdf_is_found_at_its_span() -> None:
    data = pdf_bytes(
        [
            [
                "Summary of findings",
                "The review found long delays in the courts. The",
                "ministry should publish monthly statistics on",
                "pretrial detention.",
            ]
        ]
    )
    document = ingest_bytes(data, "review.pdf")
    found = only(document.text)
    assert found.text == ("The ministry should publish monthly statistics on pretrial detention.")
    assert find_span(document.normalized, found.text) == found.span


def test_advice_in_a_real_docx_is_found() -> None:
    def build(document) -> None:
        document.add_heading("Background", level=1)
        document.add_paragraph("The law was adopted in 2019.")
        document.add_heading("Recommendations", level=1)
        document.add_paragraph("Publish the implementing rules", style="List Number")
        document.add_paragraph("The courts must hear appeals within ninety days.")

    document = ingest_bytes(docx_bytes(build), "brief.docx")
    assert [c.text for c in candidates(document.text)] == [
        "Publish the implementing rules",
        "The courts must hear appeals within ninety days.",
    ]


def _held_out(path: Path) -> tuple[list[tuple[int, int]], list]:
    raw = path.read_text(encoding="utf-8")
    quotes = [normalize_text(q).strip() for q in re.findall(r"«(.*?)»", raw, flags=re.DOTALL)]
    clean = raw.replace("«", "").replace("»", "")
    document = ingest_bytes(clean.encode("utf-8"), path.name)
    extraction = extract_candidates(document.text)
    spans = [find_span(extraction.normalized, quote) for quote in quotes]
    assert None not in spans, "a marked quote did not survive ingestion"
    return spans, list(extraction.candidates)  # type: ignore[return-value]


@pytest.mark.parametrize("path", HELD_OUT, ids=lambda p: p.name)
def test_held_out_document_recall_and_precision(path: Path) -> None:
    bench = _bench()
    spans, found = _held_out(path)
    recalled = sum(any(bench.finds(c.span, span, "half")[0] for c in found) for span in spans)
    true = sum(any(bench.finds(c.span, span, "half")[1] for span in spans) for c in found)
    assert recalled / len(spans) >= 0.9, f"recall {recalled}/{len(spans)}"
    assert true / len(found) >= 0.7, f"precision {true}/{len(found)}"


def test_pasted_text_goes_through_the_same_path() -> None:
    document = ingest_text("Skip to main content\nThe agency should publish its audits.\n")
    assert [c.text for c in candidates(document.text)] == ["The agency should publish its audits."]


def _bench():
    """The benchmark module, for its matching rules and its run over the seeds."""
    sys.path.insert(0, str(REPO_ROOT / "benchmarks"))  # its sibling devset.py
    spec = importlib.util.spec_from_file_location(
        "bench_extraction", REPO_ROOT / "benchmarks" / "bench_extraction.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_seeds_meet_the_target_by_the_benchmarks_own_measure() -> None:
    bench = _bench()
    from devset import seed_documents

    documents = seed_documents(REPO_ROOT)
    instruments = sorted(INSTRUMENT_KEYWORDS)
    results = bench.run(documents, bench.shipped(instruments, "default"))
    scores = bench.evaluate(results, min_confidence=DEFAULT_MIN_CONFIDENCE)
    assert scores.recall >= 0.95
    assert scores.explicit_precision >= 0.7
