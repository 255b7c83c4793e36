"""The reproducibility record: tool version, date, hashes of every input, the scenario file.

Hashes are SHA-256 over a canonical JSON form (sorted keys, no whitespace), so they depend on
content, not on file layout or YAML formatting:

- ``catalog``: criteria, instruments, profiles, document metadata and text, recommendations
  with their scores, as loaded (before the user's edits);
- ``overrides``: the user's score edits;
- ``scores``: the score matrix actually ranked (catalog with edits applied);
- ``weights``: the weights of every profile the brief ranks under, after adjustments;
- ``inputs``: all of the above with the method (and, for TOPSIS and PROMETHEE II, its
  settings) and filters, i.e. everything the ranking depends on; ``ranking``: the resulting
  order and totals.

The scenario is the brief's specification with the weights and edits it used (and the
method's settings, when they are not the defaults); with the same catalog, ``recscore brief
--scenario FILE`` rebuilds the same ranking and the same hashes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

import yaml

from scoring.methods import TIE_DECIMALS, Ranking
from scoring.model import SCHEMA_VERSION, Catalog, Score, WeightProfile
from scoring.option_sets import Interactions, OptionSet

if TYPE_CHECKING:
    from scoring.briefs.content import BriefSpec, ProfileUsed

__all__ = [
    "SCENARIO_KIND",
    "Record",
    "canonical_sha256",
    "catalog_sha256",
    "make_record",
    "scenario_data",
    "tool_version",
]

SCENARIO_KIND = "recscore-brief-scenario"


def tool_version() -> str:
    try:
        return version("recscore")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0"


def canonical_sha256(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def catalog_sha256(catalog: Catalog) -> str:
    """The content hash of a catalog as loaded: a "catalog version"."""
    return canonical_sha256(
        {
            "criteria": [c.model_dump() for c in catalog.criteria],
            "instruments": dict(catalog.instruments),
            "default_profile": catalog.default_profile,
            "profiles": {pid: p.model_dump() for pid, p in catalog.profiles.items()},
            "documents": [
                {
                    **doc.meta.model_dump(exclude={"recommendations"}),
                    "text_sha256": hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
                }
                for doc in catalog.documents
            ],
            "recommendations": [rec.model_dump() for rec in catalog.recommendations],
        }
    )


def _overrides_data(overrides: Mapping[tuple[str, str], Score]) -> list[dict[str, Any]]:
    return [
        {"recommendation": rec_id, "criterion": criterion_id, **score.model_dump()}
        for (rec_id, criterion_id), score in sorted(overrides.items())
    ]


def _scores_data(catalog: Catalog) -> dict[str, Any]:
    return {
        "ids": list(catalog.recommendation_ids),
        "criteria": list(catalog.criterion_ids),
        "value": catalog.values.tolist(),
        "low": catalog.low.tolist(),
        "high": catalog.high.tolist(),
        "rationale": [
            [rec.scores[cid].rationale for cid in catalog.criterion_ids]
            for rec in catalog.recommendations
        ],
    }


def _ranking_data(ranking: Ranking) -> dict[str, Any]:
    return {
        "ids": ranking.ids.tolist(),
        "totals": [round(float(total), TIE_DECIMALS) for total in ranking.totals],
    }


def _set_inputs(sets: Sequence[OptionSet], interactions: Interactions | None) -> dict[str, Any]:
    """What option-set comparisons add to the inputs (nothing when no set is compared)."""
    if interactions is None:
        return {}
    return {
        "sets": [option_set.record() for option_set in sets],
        "interactions": canonical_sha256([pair.record() for pair in interactions.pairs]),
    }


@dataclass(frozen=True)
class Record:
    tool_version: str
    generated: str  # ISO 8601, UTC
    catalog_sha256: str
    overrides_sha256: str
    scores_sha256: str
    weights_sha256: str
    inputs_sha256: str
    ranking_sha256: str
    overrides: tuple[tuple[str, str, float, float, float], ...]
    scenario_yaml: str

    @property
    def hashes(self) -> tuple[tuple[str, str], ...]:
        return (
            ("Catalog", self.catalog_sha256),
            ("Score edits", self.overrides_sha256),
            ("Scores ranked", self.scores_sha256),
            ("Weights", self.weights_sha256),
            ("All inputs", self.inputs_sha256),
            ("Ranking", self.ranking_sha256),
        )


def scenario_data(
    spec: BriefSpec,
    profiles: Sequence[WeightProfile],
    overrides: Mapping[tuple[str, str], Score],
    catalog_hash: str,
    inputs_hash: str,
    ranking_hash: str,
    sets: Sequence[OptionSet] = (),
) -> dict[str, Any]:
    """The scenario file's content: what to build, from which catalog, and the expected hashes."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": SCENARIO_KIND,
        "catalog_sha256": catalog_hash,
        "brief": {
            "title": spec.title,
            "question": spec.question,
            "audience": spec.audience,
            "decide_by": spec.decide_by,
            "sender": spec.sender,
            "subject": spec.subject,
            "date": spec.date,
            "classification": spec.classification,
            "paper": spec.paper,
            "profiles": [profile.id for profile in profiles],
            "weights": dict(spec.weights),
            "method": spec.method,
            # Written only when some setting is not the default, so default briefs' scenarios
            # stay as they were.
            **({"method_settings": spec.settings} if spec.method_settings else {}),
            "filters": spec.filters.as_dict(),
            "top": spec.top,
            "option_sets": list(spec.option_sets),
            "robustness": spec.robustness,
            "formats": list(spec.formats),
            "decision_maker": spec.decision_maker,
        },
        "profiles": {
            profile.id: {
                "name": profile.name,
                "description": profile.description,
                "weights": dict(profile.weights),
            }
            for profile in profiles
        },
        "sets": {
            option_set.id: {
                "name": option_set.name,
                "description": option_set.description,
                "members": list(option_set.members),
            }
            for option_set in sets
        },
        "overrides": _overrides_data(overrides),
        "hashes": {"inputs": inputs_hash, "ranking": ranking_hash},
    }


def make_record(
    catalog: Catalog,
    scored: Catalog,
    spec: BriefSpec,
    profiles: Sequence[WeightProfile],
    used: Sequence[ProfileUsed],
    overrides: Mapping[tuple[str, str], Score],
    ranking: Ranking,
    generated: datetime,
    *,
    sets: Sequence[OptionSet] = (),
    interactions: Interactions | None = None,
) -> Record:
    """Hash every input of the brief and write the scenario that rebuilds it.

    ``sets`` are the user's option sets the brief compares (built-in ones are derived from
    the catalog); ``interactions`` count among the inputs only when sets are compared.
    """
    catalog_hash = catalog_sha256(catalog)
    overrides_hash = canonical_sha256(_overrides_data(overrides))
    scores_hash = canonical_sha256(_scores_data(scored))
    weights_hash = canonical_sha256(
        [{"profile": p.id, "weights": dict(p.raw_weights)} for p in used]
    )
    inputs_hash = canonical_sha256(
        {
            "catalog": catalog_hash,
            "overrides": overrides_hash,
            "scores": scores_hash,
            "weights": weights_hash,
            "method": spec.method,
            # The weighted sum has no settings; leaving the key out keeps its hashes stable.
            **({"method_settings": dict(ranking.settings)} if ranking.settings else {}),
            "filters": spec.filters.as_dict(),
            **_set_inputs(sets, interactions),
        }
    )
    ranking_hash = canonical_sha256(_ranking_data(ranking))
    scenario = scenario_data(
        spec, profiles, overrides, catalog_hash, inputs_hash, ranking_hash, sets
    )
    return Record(
        tool_version=tool_version(),
        generated=generated.isoformat(),
        catalog_sha256=catalog_hash,
        overrides_sha256=overrides_hash,
        scores_sha256=scores_hash,
        weights_sha256=weights_hash,
        inputs_sha256=inputs_hash,
        ranking_sha256=ranking_hash,
        overrides=tuple(
            (rec_id, criterion_id, score.value, score.low, score.high)
            for (rec_id, criterion_id), score in sorted(overrides.items())
        ),
        # ASCII (other characters as \u escapes): the file survives any editor, mail or font.
        scenario_yaml=yaml.safe_dump(scenario, sort_keys=False, allow_unicode=False, width=80),
    )
