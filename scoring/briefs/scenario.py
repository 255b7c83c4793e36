"""Scenario files: a brief's specification with its weights and score edits, as YAML.

Every brief carries its scenario in the reproducibility record. ``recscore brief
--scenario FILE`` reads it back here, checks that it was made from the same catalog (by
content hash), rebuilds the brief and checks that the inputs hash matches the one recorded.
A scenario whose weights, edits or filters were changed by hand fails that check and says
so; deleting ``hashes`` accepts the change on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pydantic
from pydantic import ConfigDict, Field, field_validator

from scoring.briefs.content import Brief, BriefSpec, Filters, build_brief
from scoring.briefs.reproducibility import SCENARIO_KIND, catalog_sha256
from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.io import check_schema_version, problems_from_pydantic, read_yaml
from scoring.methods import DEFAULT_METHOD
from scoring.model import Catalog, Score, WeightProfile
from scoring.option_sets import Interactions, OptionSet
from scoring.scope import DEFAULT_DECISION_MAKER

__all__ = ["Scenario", "brief_from_scenario", "load_scenario", "parse_scenario"]


class _Strict(pydantic.BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _FiltersModel(_Strict):
    documents: list[str] = []
    actors: list[str] = []
    instruments: list[str] = []
    kinds: list[str] = []


class _BriefModel(_Strict):
    title: str
    question: str = ""
    audience: str = ""
    decide_by: str = ""
    sender: str = ""
    subject: str = ""
    date: str = ""
    classification: str = ""
    paper: str = "letter"
    profiles: list[str] = Field(min_length=1)
    weights: dict[str, float] = {}
    method: str = DEFAULT_METHOD
    # Checked against the method when the brief is built (scoring.briefs.content).
    method_settings: dict[str, Any] = {}
    filters: _FiltersModel = _FiltersModel()
    top: int = Field(default=3, ge=1)
    option_sets: list[str] = []
    robustness: bool = True
    formats: list[str] = ["md"]
    decision_maker: str = DEFAULT_DECISION_MAKER


class _ProfileModel(_Strict):
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    weights: dict[str, float]


class _SetModel(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    members: list[str] = Field(min_length=1)


class _OverrideModel(Score):
    recommendation: str
    criterion: str


class _HashesModel(_Strict):
    inputs: str
    ranking: str


class _ScenarioModel(_Strict):
    schema_version: int
    kind: str
    _version = field_validator("schema_version")(check_schema_version)
    catalog_sha256: str = Field(min_length=64, max_length=64)
    brief: _BriefModel
    profiles: dict[str, _ProfileModel] = {}
    sets: dict[str, _SetModel] = {}
    overrides: list[_OverrideModel] = []
    hashes: _HashesModel | None = None


@dataclass(frozen=True)
class Scenario:
    """A scenario file, validated: what to build, with which weights and score edits."""

    source: str
    spec: BriefSpec
    profiles: dict[str, WeightProfile]
    sets: tuple[OptionSet, ...]
    overrides: dict[tuple[str, str], Score]
    catalog_sha256: str
    inputs_sha256: str | None
    ranking_sha256: str | None


def load_scenario(path: Path | str) -> Scenario:
    """Read and validate a scenario file; raise ValidationError listing every fault."""
    path = Path(path)
    problems: list[Problem] = []
    data = read_yaml(path, str(path), problems)
    if data is None:
        raise ValidationError(problems)
    return parse_scenario(data, str(path))


def parse_scenario(data: Any, source: str = "scenario") -> Scenario:
    """Validate parsed scenario YAML (as ``yaml.safe_load`` returns it)."""
    if not isinstance(data, dict):
        raise InputError(
            Code.WRONG_TYPE,
            source,
            "",
            "a scenario: a mapping starting with schema_version and kind",
            type(data).__name__,
            "copy the scenario block from a brief's reproducibility record",
        )
    try:
        model = _ScenarioModel.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(problems_from_pydantic(exc, source, data)) from None
    problems = []
    if model.kind != SCENARIO_KIND:
        problems.append(
            Problem(
                code=Code.BAD_VALUE,
                file=source,
                key_path="kind",
                expected=repr(SCENARIO_KIND),
                found=repr(model.kind),
                hint="this file is not a brief scenario",
            )
        )
    profiles: dict[str, WeightProfile] = {}
    for profile_id, entry in model.profiles.items():
        try:
            profiles[profile_id] = WeightProfile(
                id=profile_id, name=entry.name, description=entry.description, weights=entry.weights
            )
        except pydantic.ValidationError as exc:
            problems += problems_from_pydantic(exc, source, data, ("profiles", profile_id))
    sets = []
    for set_id, set_entry in model.sets.items():
        try:
            sets.append(OptionSet(id=set_id, origin="user", **set_entry.model_dump()))
        except pydantic.ValidationError as exc:
            problems += problems_from_pydantic(exc, source, data, ("sets", set_id))
    if problems:
        raise ValidationError(problems)
    brief = model.brief
    spec = BriefSpec(
        title=brief.title,
        question=brief.question,
        audience=brief.audience,
        decide_by=brief.decide_by,
        sender=brief.sender,
        subject=brief.subject,
        date=brief.date,
        classification=brief.classification,
        paper=brief.paper,
        profiles=tuple(brief.profiles),
        weights=tuple(brief.weights.items()),
        method=brief.method,
        method_settings=tuple(brief.method_settings.items()),
        filters=Filters(**brief.filters.model_dump()),
        top=brief.top,
        option_sets=tuple(brief.option_sets),
        robustness=brief.robustness,
        formats=tuple(brief.formats),
        decision_maker=brief.decision_maker,
    )
    overrides = {
        (entry.recommendation, entry.criterion): Score(
            value=entry.value, low=entry.low, high=entry.high, rationale=entry.rationale
        )
        for entry in model.overrides
    }
    return Scenario(
        source=source,
        spec=spec,
        profiles=profiles,
        sets=tuple(sets),
        overrides=overrides,
        catalog_sha256=model.catalog_sha256,
        inputs_sha256=model.hashes.inputs if model.hashes else None,
        ranking_sha256=model.hashes.ranking if model.hashes else None,
    )


def brief_from_scenario(
    catalog: Catalog,
    scenario: Scenario,
    *,
    profiles: dict[str, WeightProfile] | None = None,
    interactions: Interactions | None = None,
    generated: datetime | None = None,
) -> Brief:
    """Rebuild the brief a scenario describes; refuse a scenario from another catalog.

    Profiles and option sets recorded in the scenario take precedence over same-named ones
    in ``profiles`` (default: the catalog's), so a brief made with a user's saved profile or
    set rebuilds anywhere. ``interactions`` are needed when the scenario compares sets.
    """
    found = catalog_sha256(catalog)
    if found != scenario.catalog_sha256:
        raise InputError(
            Code.CATALOG_MISMATCH,
            scenario.source,
            "catalog_sha256",
            f"the catalog this scenario was made from ({scenario.catalog_sha256[:12]}…)",
            f"a different catalog version ({found[:12]}…)",
            "rebuild from the catalog version the scenario names (e.g. check out the commit "
            "that made the brief), or make a new brief from this catalog",
        )
    available = {**(catalog.profiles if profiles is None else profiles), **scenario.profiles}
    brief = build_brief(
        catalog,
        scenario.spec,
        profiles=available,
        overrides=scenario.overrides,
        interactions=interactions,
        sets=scenario.sets,
        generated=generated,
    )
    record = brief.record
    for key, recorded, rebuilt in (
        ("hashes.inputs", scenario.inputs_sha256, record.inputs_sha256),
        ("hashes.ranking", scenario.ranking_sha256, record.ranking_sha256),
    ):
        if recorded is not None and recorded != rebuilt:
            raise InputError(
                Code.CATALOG_MISMATCH,
                scenario.source,
                key,
                f"the recorded hash ({recorded[:12]}…)",
                f"{rebuilt[:12]}… after rebuilding: the weights, score edits, method, method "
                "settings, filters, sets or interactions changed since the scenario was made",
                "undo the change, or delete the hashes block to accept it on purpose",
            )
    return brief
