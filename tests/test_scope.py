"""Who acts and who speaks: only the decision-maker's options are ranked, the rest is context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scoring.errors import InputError
from scoring.loading import load_catalog
from scoring.methods import rank
from scoring.model import Catalog, Criterion, Recommendation, Score
from scoring.scope import ALL, DEFAULT_DECISION_MAKER, role_counts, role_of, scoped

from conftest import CRITERIA, ProjectMaker, write_yaml


def _rec(rec_id: str, value: int = 3, **fields: Any) -> Recommendation:
    scores = {
        c["id"]: Score(value=value, low=value, high=value, rationale=f"{rec_id} {c['id']}")
        for c in CRITERIA["criteria"]
    }
    base: dict[str, Any] = {
        "id": rec_id,
        "title": rec_id,
        "summary": "s",
        "quote": "q",
        "actor": "someone",
        "instrument": "dialogue",
        "kind": "explicit",
        "scores": scores,
    }
    return Recommendation(**(base | fields))


def _catalog(*recs: Recommendation) -> Catalog:
    criteria = tuple(Criterion.model_validate(c) for c in CRITERIA["criteria"])
    return Catalog.build(criteria, CRITERIA["instruments"], (), recs, {}, "none")


MIXED = _catalog(
    _rec("us-option", addressees=("us_executive",)),
    _rec("both", addressees=("allied_governments", "us_executive")),
    _rec("allies-only", addressees=("allied_governments",)),
    _rec("joint", addressees=("joint_us_prc",)),
    _rec("beijing-demand", addressees=("us_executive",), voice_kind="reported_prc"),
    _rec("unclassified"),
    _rec("status-quo", quote="", baseline=True, kind="baseline", addressees=("us_executive",)),
)


def test_the_default_scope_ranks_the_us_executives_options_and_the_baseline() -> None:
    us = scoped(MIXED, DEFAULT_DECISION_MAKER)
    assert us.recommendation_ids == ("both", "status-quo", "unclassified", "us-option")
    assert {rec.id for rec in us.context} == {"allies-only", "joint", "beijing-demand"}
    assert rank(us, {"leverage": 1}).ids.tolist().count("status-quo") == 1


def test_a_prc_partys_demand_is_context_whoever_it_addresses() -> None:
    demand = MIXED.recommendation("beijing-demand")
    assert role_of(demand, "us_executive") == "beijing_asks"
    assert role_counts(scoped(MIXED, "us_executive"))["beijing_asks"] == 1


def test_scoping_again_for_another_decision_maker_starts_from_everything() -> None:
    allies = scoped(scoped(MIXED, "us_executive"), "allied_governments")
    assert allies.recommendation_ids == ("allies-only", "both", "status-quo", "unclassified")
    assert len(allies.recommendations) + len(allies.context) == len(MIXED.recommendations)


def test_all_ranks_every_item() -> None:
    assert scoped(MIXED, ALL).recommendation_ids == MIXED.recommendation_ids
    assert scoped(MIXED, ALL).context == ()


def test_a_context_item_is_still_found_by_id() -> None:
    assert scoped(MIXED, "us_executive").recommendation("joint").addressees == ("joint_us_prc",)


def test_an_unknown_decision_maker_is_an_input_error() -> None:
    with pytest.raises(InputError) as raised:
        scoped(MIXED, "the_pope")
    assert "us_executive" in str(raised.value)


def test_the_baseline_file_loads_as_a_ranked_option_without_a_quote(
    make_project: ProjectMaker,
) -> None:
    root = make_project()
    scores = {
        c["id"]: {"value": 2, "low": 1, "high": 3, "rationale": f"status quo {c['id']}"}
        for c in CRITERIA["criteria"]
    }
    baseline = {
        "id": "status-quo",
        "title": "Status quo",
        "summary": "Nothing new.",
        "actor": "U.S. executive",
        "instrument": "dialogue",
        "kind": "baseline",
        "baseline": True,
        "scores": scores,
    }
    write_yaml(
        Path(root) / "seeds" / "status_quo.yaml", {"schema_version": 1, "recommendation": baseline}
    )
    catalog = load_catalog(root)
    assert catalog.baseline is not None
    assert catalog.baseline.id == "status-quo"
    assert catalog.baseline.span is None


def test_only_the_baseline_may_go_without_a_quote() -> None:
    with pytest.raises(ValueError, match="verbatim quote"):
        _rec("no-quote", quote="")


def test_the_bundled_catalog_ranks_its_status_quo_and_keeps_beijings_demands_as_context(
    catalog: Catalog,
) -> None:
    us = scoped(catalog, DEFAULT_DECISION_MAKER)
    assert us.baseline is not None
    assert all(rec.addressees for rec in us.recommendations + us.context)
    assert {role_of(rec, us.scope) for rec in us.context} == {"beijing_asks", "others_asked"}
    assert not any(rec.reported_prc for rec in us.recommendations)
