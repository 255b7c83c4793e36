"""The bundled catalog is grounded: quotes verbatim with right spans, everything scored."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from scoring.loading import BASELINE_FILE, INTERACTIONS_FILE, load_catalog
from scoring.model import UNKNOWN, Catalog, Recommendation
from scoring.text import normalize_text

from conftest import REPO_ROOT

SHARED_SEEDS = REPO_ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO_ROOT)


def _quoted(catalog: Catalog) -> list[Recommendation]:
    """Every recommendation but the status quo, which has no source passage."""
    return [rec for rec in catalog.recommendations if not rec.baseline]


def test_every_quote_is_found_and_its_span_is_right(catalog: Catalog) -> None:
    for rec in _quoted(catalog):
        text = catalog.document(rec.document).normalized
        assert text[rec.start : rec.end] == normalize_text(rec.quote).strip(), rec.id


def test_spans_are_recomputable_from_the_raw_text_alone(catalog: Catalog) -> None:
    # Independent of the loader: re-read the file and apply the contract's rule by hand.
    for rec in _quoted(catalog):
        raw = (REPO_ROOT / "seeds" / rec.document).read_text(encoding="utf-8")
        assert normalize_text(raw)[rec.start : rec.end] in normalize_text(rec.quote), rec.id


def test_every_document_has_recommendations(catalog: Catalog) -> None:
    counts = Counter(rec.document for rec in _quoted(catalog))
    assert {doc.name for doc in catalog.documents} == set(counts)
    assert len(catalog.documents) == 5
    assert all(count >= 1 for count in counts.values())
    assert sum(counts.values()) >= 40


def test_every_recommendation_is_scored_on_every_criterion(catalog: Catalog) -> None:
    for rec in catalog.recommendations:
        assert set(rec.scores) == set(catalog.criterion_ids), rec.id


def test_no_rationale_is_reused(catalog: Catalog) -> None:
    rationales = Counter(
        score.rationale for rec in catalog.recommendations for score in rec.scores.values()
    )
    assert [text for text, count in rationales.items() if count > 1] == []


def test_both_kinds_appear_and_the_program_page_has_implicit_ones(catalog: Catalog) -> None:
    kinds = Counter(rec.kind for rec in catalog.recommendations)
    assert kinds["explicit"] > 0
    assert kinds["implicit"] > 0
    program_page = [r for r in catalog.recommendations if r.document.startswith("001_")]
    assert {r.kind for r in program_page} == {"implicit"}


def test_seed_yaml_spans_are_recorded(catalog: Catalog) -> None:
    for path in sorted((REPO_ROOT / "seeds").glob("*.yaml")):
        if path.name in (INTERACTIONS_FILE.name, BASELINE_FILE.name):  # not documents
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in data["recommendations"]:
            assert list(catalog.recommendation(entry["id"]).span) == entry["span"]


def test_metadata_not_shown_in_the_text_is_unknown(catalog: Catalog) -> None:
    # The documents name no author outside the ChinaFile conversation. No document states its
    # date; a date is given only where the text's own words fix it, quoted as evidence.
    for doc in catalog.documents:
        assert doc.meta.date_evidence, doc.name
        assert doc.meta.date == UNKNOWN or doc.meta.date[:4] in doc.text, doc.name
        if doc.meta.title != UNKNOWN:
            assert normalize_text(doc.meta.title) in doc.normalized, doc.name
        if doc.meta.outlet != UNKNOWN:
            assert doc.meta.outlet.split()[0] in doc.text, doc.name


def test_criteria_cover_the_required_ground(catalog: Catalog) -> None:
    ids = set(catalog.criterion_ids)
    assert 7 <= len(ids) <= 9
    assert {
        "leverage",
        "buy_in",
        "human_rights",
        "feasibility",
        "relationship_risk",
        "us_interests",
        "allied_support",
        "time_to_effect",
    } <= ids
    assert catalog.criterion("relationship_risk").is_cost


def test_profiles_include_the_five_perspectives(catalog: Catalog) -> None:
    assert {"balanced", "human_rights_first", "engagement", "pressure", "economic_security"} <= set(
        catalog.profiles
    )
    assert catalog.default_profile == "balanced"


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_documents_are_byte_identical_to_the_shared_seeds() -> None:
    shared = sorted(p.name for p in SHARED_SEEDS.glob("*.txt"))
    ours = sorted(p.name for p in (REPO_ROOT / "seeds").glob("*.txt"))
    assert shared == ours
    for name in shared:
        assert (SHARED_SEEDS / name).read_bytes() == (REPO_ROOT / "seeds" / name).read_bytes()


def test_loading_the_bundled_data_writes_nothing() -> None:
    def stamp(folder: Path) -> dict[str, float]:
        return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}

    before = {name: stamp(REPO_ROOT / name) for name in ("seeds", "criteria")}
    load_catalog(REPO_ROOT)
    assert {name: stamp(REPO_ROOT / name) for name in ("seeds", "criteria")} == before


def test_the_catalog_has_one_status_quo_scored_like_the_rest(catalog: Catalog) -> None:
    baselines = [rec for rec in catalog.recommendations if rec.baseline]
    assert [rec.id for rec in baselines] == ["status-quo"]
    assert set(baselines[0].scores) == set(catalog.criterion_ids)


def test_every_item_says_who_is_asked_to_act(catalog: Catalog) -> None:
    assert all(rec.addressees for rec in catalog.recommendations), "addressee missing"


def test_no_two_items_claim_one_passage(catalog: Catalog) -> None:
    by_document: dict[str, list[Recommendation]] = {}
    for rec in _quoted(catalog):
        by_document.setdefault(rec.document, []).append(rec)
    overlapping = [
        (a.id, b.id)
        for recs in by_document.values()
        for i, a in enumerate(recs)
        for b in recs[i + 1 :]
        if a.start < b.end and b.start < a.end
    ]
    assert overlapping == []


def test_no_criteria_pair_double_counts(catalog: Catalog) -> None:
    from scoring.analysis import criteria_correlation

    assert criteria_correlation(catalog).double_counting == ()
