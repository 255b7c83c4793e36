"""Option sets: packages of recommendations, their conflicts and synergies, the best package.

Policy teams adopt packages, not single recommendations, and the documents disagree. This
module holds:

- **Interactions** (``seeds/interactions.yaml``): curated pairs of recommendations that
  *conflict* (cannot both be pursued, or one undercuts the other) or show *synergy*, each with
  a strength 1-3 and a one-line rationale. :func:`load_interactions` validates the file
  against a loaded catalog, collecting every problem before raising once.
- **Option sets**: named sets of recommendation ids. Built-in sets are derived from the
  catalog (one per document, "what this author proposes", and one per instrument family);
  user sets live in the workspace as ``sets/<id>.yaml``.
- **Set evaluation** under a weighting: total and mean weighted score, per-criterion coverage
  (the best member's normalised score and the members' mean), the conflicts and synergies
  inside the set with their rationales, and an adjusted score::

      adjusted = total - CONFLICT_PENALTY * (sum of conflict strengths inside)
                       + SYNERGY_BONUS    * (sum of synergy strengths inside)

  Weighted scores lie in 0-1 per recommendation (normalised on the fixed scale ends), so the
  coefficients are in the same unit: a strength-3 conflict costs 0.45, about the value of a
  typical member (a package holding both sides of a direct contradiction is worth about one
  recommendation less); a strength-3 synergy adds 0.15, a quarter of a typical member. Both
  are module constants, shown in every result and overridable per call.
- **Best package**: at most ``k`` recommendations maximising total weighted score plus the
  synergy bonus, with no conflicting pair, some recommendations forced in or out. It is solved
  exactly as a mixed-integer linear programme with :func:`scipy.optimize.milp` (HiGHS), with a
  relative gap of 0 so the optimum is proven, not approximated (up to HiGHS's absolute gap
  of 1e-6, far below the 0.01 differences two weighted totals can meaningfully have).
  Synergies enter through one pair variable ``y_ab <= x_a, y_ab <= x_b`` each (the standard
  linearisation of
  ``x_a * x_b``; exact because synergy values are >= 0 and the objective is maximised).
  Infeasible constraints are diagnosed before solving, and the clash is named.

Nothing here imports a user-interface library; the CLI and the app draw from the result
objects (:class:`SetEvaluation`, :class:`SetComparison`, :class:`Package`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
import pydantic
from pydantic import ConfigDict, Field, Strict, field_validator
from pydantic_core import PydanticCustomError

from scoring.errors import Code, InputError, Problem, RecscoreError, ValidationError
from scoring.io import (
    check_schema_version,
    problems_from_pydantic,
    read_yaml,
    write_yaml_atomically,
)
from scoring.loading import INTERACTIONS_FILE
from scoring.model import ID_PATTERN, SCHEMA_VERSION, Catalog, WeightProfile, check_rationale
from scoring.weights import normalized_weights
from scoring.workspace import Workspace, require_usable_id, write_named_yaml

if TYPE_CHECKING:
    import pandas as pd
    from scipy.optimize import OptimizeResult

__all__ = [
    "CONFLICT_PENALTY",
    "INTERACTIONS_FILE",
    "MAX_COMPARED",
    "METRICS",
    "MIN_COMPARED",
    "SETS_DIR",
    "SYNERGY_BONUS",
    "CriterionCoverage",
    "Interaction",
    "Interactions",
    "LeftOut",
    "OptionSet",
    "Package",
    "ProfileWinner",
    "SetComparison",
    "SetEvaluation",
    "best_package",
    "best_packages_by_profile",
    "builtin_sets",
    "compare_sets",
    "delete_user_set",
    "drop_members",
    "evaluate_set",
    "interaction_problems",
    "load_interactions",
    "load_user_sets",
    "pick_sets",
    "save_user_set",
    "set_id_for",
    "set_member_problems",
    "solve_package",
    "user_sets_holding",
    "winners_by_profile",
]

CONFLICT_PENALTY = 0.15
"""Subtracted from a set's total per unit of conflict strength inside it."""
SYNERGY_BONUS = 0.05
"""Added to a set's total per unit of synergy strength inside it (also in the optimiser)."""
MIN_COMPARED, MAX_COMPARED = 2, 5
SETS_DIR = "sets"
"""Folder of user sets inside the workspace: ``sets/<id>.yaml``."""
METRICS = ("adjusted_mean", "adjusted", "mean", "total")
"""Ways to say which set wins. ``adjusted_mean`` (the default) is the adjusted score per
member: totals grow with a set's size, so comparing sets of different sizes by total would
reward length, not quality."""
PACKAGE_SOURCE = "package constraints"
TIE_TOLERANCE = 1e-9
"""Objective differences smaller than this are ties (equally good packages)."""

InteractionType = Literal["conflict", "synergy"]
Origin = Literal["builtin", "user", "optimised"]
LeftOutReason = Literal["excluded", "conflict", "size", "no_gain"]


class _Frozen(pydantic.BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- interactions ----------------------------------------------------------------------------


class Interaction(_Frozen):
    """Two recommendations that conflict or reinforce each other; the pair is unordered."""

    a: str = Field(pattern=ID_PATTERN)
    b: str = Field(pattern=ID_PATTERN)
    type: InteractionType
    strength: Annotated[int, Strict()]
    rationale: str

    @field_validator("strength")
    @classmethod
    def _strength_on_scale(cls, strength: int) -> int:
        if not 1 <= strength <= 3:
            raise PydanticCustomError(Code.BAD_VALUE.value, "a whole number 1, 2 or 3")
        return strength

    _rationale = field_validator("rationale")(check_rationale)

    @property
    def pair(self) -> frozenset[str]:
        return frozenset((self.a, self.b))

    def other(self, rec_id: str) -> str:
        """The other end of the pair from ``rec_id``."""
        return self.b if rec_id == self.a else self.a

    def record(self) -> dict[str, Any]:
        return self.model_dump()


class _InteractionsHeader(_Frozen):
    schema_version: int

    _version = field_validator("schema_version")(check_schema_version)


@dataclass(frozen=True)
class Interactions:
    """The validated pairs, with lookups by pair and by recommendation."""

    pairs: tuple[Interaction, ...] = ()

    def among(self, ids: Iterable[str]) -> Interactions:
        """The pairs whose both ends are in ``ids``: those a scoped catalog can package."""
        return Interactions(self.within(ids))

    @cached_property
    def _by_pair(self) -> dict[frozenset[str], Interaction]:
        return {pair.pair: pair for pair in self.pairs}

    @property
    def conflicts(self) -> tuple[Interaction, ...]:
        return tuple(pair for pair in self.pairs if pair.type == "conflict")

    @property
    def synergies(self) -> tuple[Interaction, ...]:
        return tuple(pair for pair in self.pairs if pair.type == "synergy")

    def between(self, a: str, b: str) -> Interaction | None:
        return self._by_pair.get(frozenset((a, b)))

    def involving(self, rec_id: str) -> tuple[Interaction, ...]:
        return tuple(pair for pair in self.pairs if rec_id in (pair.a, pair.b))

    def within(self, ids: Iterable[str]) -> tuple[Interaction, ...]:
        """The pairs whose both ends are in ``ids``, in file order."""
        chosen = set(ids)
        return tuple(pair for pair in self.pairs if pair.a in chosen and pair.b in chosen)


def load_interactions(root: Path | str, catalog: Catalog) -> Interactions:
    """Read and validate ``seeds/interactions.yaml`` under ``root`` against ``catalog``.

    A project without the file has no interactions (every set is then coherent). Raises one
    ValidationError listing every problem: YAML syntax, schema, unknown ids, a recommendation
    paired with itself, a pair listed twice (in either order), bad type or strength, an empty
    rationale.
    """
    path = Path(root) / INTERACTIONS_FILE
    if not path.exists():
        return Interactions()
    display = INTERACTIONS_FILE.as_posix()
    problems: list[Problem] = []
    data = read_yaml(path, display, problems)
    if problems:
        raise ValidationError(problems)
    # Pairs are checked against every item, ranked or context; only pairs of two ranked
    # options matter to packages under the catalog's scope.
    pairs, problems = interaction_problems(data, sorted(catalog.all_recommendation_ids), display)
    if problems:
        raise ValidationError(problems)
    ranked = set(catalog.recommendation_ids)
    return Interactions(tuple(pair for pair in pairs if pair.a in ranked and pair.b in ranked))


def interaction_problems(
    data: Any, recommendation_ids: Sequence[str], display: str
) -> tuple[tuple[Interaction, ...], list[Problem]]:
    """Validate parsed interactions data; return the valid pairs and every problem found.

    Each pair is validated on its own, so one bad entry hides no other.
    """
    problems: list[Problem] = []
    if not isinstance(data, dict):
        problems.append(
            Problem(
                code=Code.WRONG_TYPE,
                file=display,
                key_path="",
                expected="a mapping with schema_version and pairs",
                found=type(data).__name__,
                hint="start the file with 'schema_version: 1' and 'pairs:'",
            )
        )
        return (), problems
    header = {key: value for key, value in data.items() if key != "pairs"}
    try:
        _InteractionsHeader.model_validate(header)
    except pydantic.ValidationError as exc:
        problems += problems_from_pydantic(exc, display, data)
    raw = data.get("pairs")
    if not isinstance(raw, list):
        problems.append(
            Problem(
                code=Code.MISSING_KEY if raw is None else Code.WRONG_TYPE,
                file=display,
                key_path="pairs",
                expected="a list of pairs (a, b, type, strength, rationale)",
                found="nothing" if raw is None else type(raw).__name__,
                hint="list the pairs under 'pairs:', or write 'pairs: []'",
            )
        )
        return (), problems
    known = set(recommendation_ids)
    seen: dict[frozenset[str], int] = {}
    pairs: list[Interaction] = []
    for index, entry in enumerate(raw):
        where = f"pairs[{index}]"
        if not isinstance(entry, dict):
            problems.append(
                Problem(
                    code=Code.WRONG_TYPE,
                    file=display,
                    key_path=where,
                    expected="a mapping with a, b, type, strength and rationale",
                    found=type(entry).__name__,
                    hint="write the pair as 'a: <id>', 'b: <id>', 'type: ...' on separate lines",
                )
            )
            continue
        try:
            pair = Interaction.model_validate(entry)
        except pydantic.ValidationError as exc:
            problems += problems_from_pydantic(exc, display, data, ("pairs", index))
            continue
        found = [
            Problem(
                code=Code.UNKNOWN_RECOMMENDATION,
                file=display,
                key_path=f"{where}.{end}",
                expected="the id of a recommendation in the catalog",
                found=repr(rec_id),
                hint="correct the id (recscore recommendations lists them) or remove the pair",
            )
            for end, rec_id in (("a", pair.a), ("b", pair.b))
            if rec_id not in known
        ]
        if pair.a == pair.b:
            found.append(
                Problem(
                    code=Code.SELF_PAIR,
                    file=display,
                    key_path=f"{where}.b",
                    expected="a recommendation other than a",
                    found=repr(pair.b),
                    hint="pair two different recommendations, or remove the entry",
                )
            )
        elif pair.pair in seen:
            first = seen[pair.pair]
            found.append(
                Problem(
                    code=Code.DUPLICATE_PAIR,
                    file=display,
                    key_path=where,
                    expected="each pair listed once, in either order",
                    found=f"{pair.a!r} and {pair.b!r}, already listed at pairs[{first}]",
                    hint="keep one entry for the pair (a pair cannot both conflict and reinforce)",
                )
            )
        else:
            seen[pair.pair] = index
        problems += found
        if not found:
            pairs.append(pair)
    return tuple(pairs), problems


# --- option sets -----------------------------------------------------------------------------


class OptionSet(_Frozen):
    """A named set of recommendation ids: a package a team could adopt.

    ``origin`` says where it comes from: derived from the catalog (``builtin``), saved by a
    user (``user``) or found by the optimiser (``optimised``).
    """

    schema_version: int = SCHEMA_VERSION
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    description: str = ""
    members: tuple[str, ...] = Field(min_length=1)
    origin: Origin = "user"

    _version = field_validator("schema_version")(check_schema_version)

    @field_validator("name")
    @classmethod
    def _name_given(cls, name: str) -> str:
        if not name.strip():
            raise PydanticCustomError(Code.BAD_VALUE.value, "a non-empty name")
        return name.strip()

    def record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "origin": self.origin,
            "members": list(self.members),
        }


def _check_set_members(sets: Iterable[OptionSet], catalog: Catalog) -> None:
    """Raise ValidationError listing every unknown or repeated member of ``sets``."""
    problems = [
        problem
        for option_set in sets
        for problem in set_member_problems(option_set, catalog, f"set {option_set.id}")
    ]
    if problems:
        raise ValidationError(problems)


def set_member_problems(option_set: OptionSet, catalog: Catalog, display: str) -> list[Problem]:
    """Problems of a set's members against the catalog: unknown ids and repeated ids."""
    known = set(catalog.recommendation_ids)
    problems = []
    seen: set[str] = set()
    for index, rec_id in enumerate(option_set.members):
        if rec_id in catalog.all_recommendation_ids and rec_id not in known:
            problems.append(
                Problem(
                    code=Code.UNKNOWN_RECOMMENDATION,
                    file=display,
                    key_path=f"members[{index}]",
                    expected="an option open to the decision-maker",
                    found=f"{rec_id!r}, kept as context for {catalog.scope}",
                    hint="remove it, or rank every item (decision-maker: all)",
                )
            )
        elif rec_id not in known:
            problems.append(
                Problem(
                    code=Code.UNKNOWN_RECOMMENDATION,
                    file=display,
                    key_path=f"members[{index}]",
                    expected="the id of a recommendation in the catalog",
                    found=repr(rec_id),
                    hint="correct the id (recscore recommendations lists them) or remove it",
                )
            )
        elif rec_id in seen:
            problems.append(
                Problem(
                    code=Code.DUPLICATE_ID,
                    file=display,
                    key_path=f"members[{index}]",
                    expected="each recommendation once",
                    found=repr(rec_id),
                    hint="remove the repeated id",
                )
            )
        seen.add(rec_id)
    return problems


def builtin_sets(catalog: Catalog) -> tuple[OptionSet, ...]:
    """One set per document ("what this author proposes") and one per instrument family.

    Ids: ``document-<stem prefix>`` (``document-003``) and ``instrument-<id>``
    (``instrument-conditionality``); members in catalog (id) order. Instrument families
    with no recommendation are left out.
    """
    sets = []
    for document in catalog.documents:
        members = tuple(rec.id for rec in catalog.recommendations if rec.document == document.name)
        if members:
            sets.append(
                OptionSet(
                    id=f"document-{_document_key(document.name)}",
                    name=document.meta.label,
                    description=f"What this author proposes ({document.name}): "
                    f"{document.meta.stance}",
                    members=members,
                    origin="builtin",
                )
            )
    for instrument, label in catalog.instruments.items():
        members = tuple(
            rec.id
            for rec in catalog.recommendations
            if rec.instrument == instrument and not rec.baseline
        )
        if members:
            sets.append(
                OptionSet(
                    id=f"instrument-{instrument}",
                    name=label,
                    description=f"Every recommendation whose instrument is {label.lower()}, "
                    "across all documents.",
                    members=members,
                    origin="builtin",
                )
            )
    return tuple(sets)


def pick_sets(
    available: Sequence[OptionSet], set_ids: Sequence[str], source: str = "sets"
) -> tuple[OptionSet, ...]:
    """The sets named by ``set_ids``, in that order; InputError naming the first unknown id."""
    by_id = {option_set.id: option_set for option_set in available}
    for set_id in set_ids:
        if set_id not in by_id:
            raise InputError(
                Code.UNKNOWN_SET,
                source,
                set_id,
                f"one of {sorted(by_id)}",
                repr(set_id),
                "pick a built-in or saved set (recscore sets lists them)",
            )
    return tuple(by_id[set_id] for set_id in set_ids)


def _document_key(name: str) -> str:
    """``000_f4969c.txt`` -> ``000``: the document's number, else its id-safe stem."""
    stem = Path(name).stem
    prefix = stem.split("_")[0]
    return prefix if re.fullmatch(r"[a-z0-9]+", prefix) else set_id_for(stem)


# --- evaluation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionCoverage:
    """How well a set covers one criterion: its best member's normalised score and the mean."""

    criterion_id: str
    best: float
    best_member: str
    mean: float


@dataclass(frozen=True)
class SetEvaluation:
    """A set scored under one weighting, with everything needed to explain the score.

    ``member_scores`` are weighted sums of normalised scores (0-1 each, cost criteria
    reversed), in the order of ``member_ids``; ``normalized`` is (members x criteria).
    ``conflict_penalty`` and ``synergy_bonus`` are the per-strength coefficients used.
    """

    option_set: OptionSet
    criterion_ids: tuple[str, ...]
    weights: np.ndarray = field(repr=False)
    member_ids: tuple[str, ...]
    member_scores: np.ndarray = field(repr=False)
    normalized: np.ndarray = field(repr=False)
    conflicts: tuple[Interaction, ...]
    synergies: tuple[Interaction, ...]
    conflict_penalty: float
    synergy_bonus: float

    @property
    def size(self) -> int:
        return len(self.member_ids)

    @property
    def total(self) -> float:
        return float(self.member_scores.sum())

    @property
    def mean(self) -> float:
        return self.total / self.size

    @property
    def penalty(self) -> float:
        """What the conflicts inside cost: coefficient x sum of their strengths."""
        return self.conflict_penalty * sum(pair.strength for pair in self.conflicts)

    @property
    def bonus(self) -> float:
        """What the synergies inside add: coefficient x sum of their strengths."""
        return self.synergy_bonus * sum(pair.strength for pair in self.synergies)

    @property
    def adjusted(self) -> float:
        return self.total - self.penalty + self.bonus

    @property
    def adjusted_mean(self) -> float:
        return self.adjusted / self.size

    @property
    def coherent(self) -> bool:
        """True if no two members conflict."""
        return not self.conflicts

    def metric(self, name: str) -> float:
        return float(getattr(self, name))

    @cached_property
    def coverage(self) -> tuple[CriterionCoverage, ...]:
        best_rows = self.normalized.argmax(axis=0)  # first member in set order on ties
        return tuple(
            CriterionCoverage(
                criterion_id=cid,
                best=float(self.normalized[best_rows[column], column]),
                best_member=self.member_ids[best_rows[column]],
                mean=float(self.normalized[:, column].mean()),
            )
            for column, cid in enumerate(self.criterion_ids)
        )

    @property
    def weight_map(self) -> dict[str, float]:
        return dict(zip(self.criterion_ids, self.weights.tolist(), strict=True))

    def summary(self) -> dict[str, Any]:
        """The headline numbers, one flat mapping (a row of a comparison table)."""
        return {
            "id": self.option_set.id,
            "name": self.option_set.name,
            "origin": self.option_set.origin,
            "size": self.size,
            "total": self.total,
            "mean": self.mean,
            "conflicts": len(self.conflicts),
            "synergies": len(self.synergies),
            "penalty": self.penalty,
            "bonus": self.bonus,
            "adjusted": self.adjusted,
            "adjusted_mean": self.adjusted_mean,
        }

    def members_frame(self, catalog: Catalog) -> pd.DataFrame:
        """One row per member, best weighted score first."""
        import pandas as pd

        order = np.argsort(-self.member_scores, kind="stable")
        return pd.DataFrame(
            {
                "id": [self.member_ids[i] for i in order],
                "title": [catalog.recommendation(self.member_ids[i]).title for i in order],
                "score": self.member_scores[order],
            }
        )

    def coverage_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "criterion": cov.criterion_id,
                    "weight": self.weights[i],
                    "best": cov.best,
                    "best_member": cov.best_member,
                    "mean": cov.mean,
                }
                for i, cov in enumerate(self.coverage)
            ]
        )

    def record(self, catalog: Catalog) -> dict[str, Any]:
        """JSON-ready: the set, weights, headline numbers, members, coverage, interactions."""
        return {
            "set": self.option_set.record(),
            "weights": self.weight_map,
            **{key: value for key, value in self.summary().items() if key not in ("id", "name")},
            "coherent": self.coherent,
            "coefficients": {
                "conflict_penalty_per_strength": self.conflict_penalty,
                "synergy_bonus_per_strength": self.synergy_bonus,
            },
            "members": self.members_frame(catalog).to_dict(orient="records"),
            "coverage": {
                cov.criterion_id: {
                    "best": cov.best,
                    "best_member": cov.best_member,
                    "mean": cov.mean,
                }
                for cov in self.coverage
            },
            "conflicts_inside": [pair.record() for pair in self.conflicts],
            "synergies_inside": [pair.record() for pair in self.synergies],
        }


def evaluate_set(
    catalog: Catalog,
    interactions: Interactions,
    option_set: OptionSet,
    weights: Mapping[str, float],
    *,
    conflict_penalty: float = CONFLICT_PENALTY,
    synergy_bonus: float = SYNERGY_BONUS,
    source: str = "weights",
) -> SetEvaluation:
    """Score ``option_set`` under ``weights`` (validated and normalised here).

    Raises ValidationError if a member is not in the catalog or appears twice, or if the
    weights or coefficients are unusable. A set whose members conflict is evaluated, not
    refused: its conflicts are listed and cost the documented penalty.
    """
    weight_vector = normalized_weights(weights, catalog.criterion_ids, source)
    _check_coefficients(conflict_penalty, synergy_bonus)
    _check_set_members((option_set,), catalog)
    return _evaluate(
        catalog, interactions, option_set, weight_vector, conflict_penalty, synergy_bonus
    )


def _evaluate(
    catalog: Catalog,
    interactions: Interactions,
    option_set: OptionSet,
    weights: np.ndarray,
    conflict_penalty: float,
    synergy_bonus: float,
) -> SetEvaluation:
    """Kernel of :func:`evaluate_set`: members known and unique, weights summing to 1."""
    rows = _rows(catalog, option_set.members)
    normalized = catalog.normalized[rows]
    inside = interactions.within(option_set.members)
    return SetEvaluation(
        option_set=option_set,
        criterion_ids=catalog.criterion_ids,
        weights=weights,
        member_ids=option_set.members,
        member_scores=normalized @ weights,
        normalized=normalized,
        conflicts=tuple(pair for pair in inside if pair.type == "conflict"),
        synergies=tuple(pair for pair in inside if pair.type == "synergy"),
        conflict_penalty=conflict_penalty,
        synergy_bonus=synergy_bonus,
    )


def _rows(catalog: Catalog, ids: Sequence[str]) -> np.ndarray:
    index = {rec_id: row for row, rec_id in enumerate(catalog.recommendation_ids)}
    return np.array([index[rec_id] for rec_id in ids], dtype=int)


def _check_coefficients(conflict_penalty: float, synergy_bonus: float) -> None:
    problems = [
        Problem(
            code=Code.BAD_VALUE,
            where="coefficients",
            key_path=name,
            expected="a finite number >= 0",
            found=repr(value),
            hint="use 0 to ignore this kind of interaction",
        )
        for name, value in (
            ("conflict_penalty", conflict_penalty),
            ("synergy_bonus", synergy_bonus),
        )
        if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0)
    ]
    if problems:
        raise ValidationError(problems)


# --- comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SetComparison:
    """Two to five sets evaluated under the same weighting."""

    evaluations: tuple[SetEvaluation, ...]

    def frame(self) -> pd.DataFrame:
        """One row per set: the headline numbers (coverage is in :meth:`coverage_frame`)."""
        import pandas as pd

        return pd.DataFrame([evaluation.summary() for evaluation in self.evaluations])

    def coverage_frame(self) -> pd.DataFrame:
        """Long form, one row per (criterion, set): best member's score, who, and the mean."""
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "criterion": cov.criterion_id,
                    "set": evaluation.option_set.id,
                    "best": cov.best,
                    "best_member": cov.best_member,
                    "mean": cov.mean,
                }
                for evaluation in self.evaluations
                for cov in evaluation.coverage
            ]
        )

    def winner(self, metric: str = "adjusted_mean") -> SetEvaluation:
        """The best set on ``metric``; ties go to the set listed first."""
        _check_metric(metric)
        return max(self.evaluations, key=lambda evaluation: evaluation.metric(metric))


def compare_sets(
    catalog: Catalog,
    interactions: Interactions,
    sets: Sequence[OptionSet],
    weights: Mapping[str, float],
    *,
    conflict_penalty: float = CONFLICT_PENALTY,
    synergy_bonus: float = SYNERGY_BONUS,
    source: str = "weights",
) -> SetComparison:
    """Evaluate 2-5 sets side by side; raise InputError for fewer or more, or a repeated set."""
    _check_set_count(sets)
    weight_vector = normalized_weights(weights, catalog.criterion_ids, source)
    _check_coefficients(conflict_penalty, synergy_bonus)
    _check_set_members(sets, catalog)
    return SetComparison(
        tuple(
            _evaluate(catalog, interactions, s, weight_vector, conflict_penalty, synergy_bonus)
            for s in sets
        )
    )


def _check_set_count(sets: Sequence[OptionSet]) -> None:
    ids = [option_set.id for option_set in sets]
    if not MIN_COMPARED <= len(sets) <= MAX_COMPARED:
        raise InputError(
            Code.BAD_VALUE,
            "sets",
            "",
            f"{MIN_COMPARED} to {MAX_COMPARED} sets to compare",
            f"{len(sets)} set{'s' if len(sets) != 1 else ''}",
            "pick between two and five sets",
        )
    repeated = sorted({set_id for set_id in ids if ids.count(set_id) > 1})
    if repeated:
        raise InputError(
            Code.DUPLICATE_ID,
            "sets",
            repeated[0],
            "each set once",
            f"{repeated[0]!r} given {ids.count(repeated[0])} times",
            "remove the repeated set",
        )


def _check_metric(metric: str) -> None:
    if metric not in METRICS:
        raise InputError(Code.BAD_VALUE, "metric", "", f"one of {list(METRICS)}", repr(metric), "")


@dataclass(frozen=True)
class ProfileWinner:
    """Under one profile: every set's value on the metric, best first, and the winner."""

    profile_id: str
    profile_name: str
    metric: str
    ranking: tuple[tuple[str, float], ...]

    @property
    def winner(self) -> str:
        return self.ranking[0][0]

    @property
    def margin(self) -> float:
        """How far the winner is ahead of the runner-up (0 for a single set)."""
        return self.ranking[0][1] - self.ranking[1][1] if len(self.ranking) > 1 else 0.0


def winners_by_profile(
    catalog: Catalog,
    interactions: Interactions,
    sets: Sequence[OptionSet],
    profiles: Mapping[str, WeightProfile],
    metric: str = "adjusted_mean",
    *,
    conflict_penalty: float = CONFLICT_PENALTY,
    synergy_bonus: float = SYNERGY_BONUS,
) -> tuple[ProfileWinner, ...]:
    """Which set wins under each profile (bundled and saved ones, as the caller passes them).

    Ties keep the order of ``sets``.
    """
    _check_metric(metric)
    if not sets:
        raise InputError(Code.BAD_VALUE, "sets", "", "at least one set", "none", "pick a set")
    _check_coefficients(conflict_penalty, synergy_bonus)
    _check_set_members(sets, catalog)
    results = []
    for profile in profiles.values():
        vector = normalized_weights(profile.weights, catalog.criterion_ids, f"profile {profile.id}")
        values = [
            (
                s.id,
                _evaluate(catalog, interactions, s, vector, conflict_penalty, synergy_bonus).metric(
                    metric
                ),
            )
            for s in sets
        ]
        order = sorted(range(len(values)), key=lambda i: (-round(values[i][1], 12), i))
        results.append(
            ProfileWinner(profile.id, profile.name, metric, tuple(values[i] for i in order))
        )
    return tuple(results)


# --- the best package ------------------------------------------------------------------------


def solve_package(
    scores: np.ndarray,
    conflicts: np.ndarray,
    synergy_pairs: np.ndarray,
    synergy_values: np.ndarray,
    max_size: int,
    required: np.ndarray,
    excluded: np.ndarray,
) -> tuple[np.ndarray, float, OptimizeResult] | None:
    """Kernel: choose at most ``max_size`` items maximising score plus pair bonuses.

    Assumes clean input: ``scores`` (n,), ``conflicts`` (c, 2) and ``synergy_pairs`` (s, 2)
    index arrays of distinct items, ``synergy_values`` (s,) >= 0, boolean masks ``required``
    and ``excluded`` (n,), ``max_size`` >= 0. No two items of a conflicting pair are both
    chosen; a synergy's value counts when both its items are chosen.

    Returns the chosen mask, the objective recomputed exactly from it, and the solver's
    result; None if no choice satisfies the constraints.
    """
    # Imported here: scipy.optimize takes about a second to import, and only this solves.
    from scipy import sparse
    from scipy.optimize import Bounds, LinearConstraint, milp

    n, s = len(scores), len(synergy_pairs)
    objective = -np.concatenate([scores, synergy_values]).astype(float)
    rows, cols, vals, upper = [np.arange(n) * 0], [np.arange(n)], [np.ones(n)], [max_size]
    row = 1
    for a, b in conflicts:  # x_a + x_b <= 1
        rows.append(np.array([row, row]))
        cols.append(np.array([a, b]))
        vals.append(np.ones(2))
        upper.append(1)
        row += 1
    for index, (a, b) in enumerate(synergy_pairs):  # y - x_a <= 0 and y - x_b <= 0
        rows.append(np.array([row, row, row + 1, row + 1]))
        cols.append(np.array([n + index, a, n + index, b]))
        vals.append(np.array([1.0, -1.0, 1.0, -1.0]))
        upper += [0, 0]
        row += 2
    matrix = sparse.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(row, n + s)
    )
    lower_bounds = np.concatenate([required.astype(float), np.zeros(s)])
    upper_bounds = np.concatenate([(~excluded).astype(float), np.ones(s)])
    result = milp(
        objective,
        integrality=np.ones(n + s),
        bounds=Bounds(lower_bounds, upper_bounds),
        constraints=LinearConstraint(matrix, -np.inf, np.array(upper, dtype=float)),
        options={"mip_rel_gap": 0.0},
    )
    if result.status == 2:
        return None
    if not result.success:
        raise RecscoreError(f"the package solver stopped without an optimum: {result.message}")
    chosen = result.x[:n] > 0.5
    return chosen, _package_value(scores, synergy_pairs, synergy_values, chosen), result


def _package_value(
    scores: np.ndarray, synergy_pairs: np.ndarray, synergy_values: np.ndarray, chosen: np.ndarray
) -> float:
    value = float(scores[chosen].sum())
    if len(synergy_pairs):
        both = chosen[synergy_pairs[:, 0]] & chosen[synergy_pairs[:, 1]]
        value += float(synergy_values[both].sum())
    return value


@dataclass(frozen=True)
class LeftOut:
    """A recommendation the package leaves out, and why.

    ``reason``: ``excluded`` (forced out), ``conflict`` (conflicts with a member),
    ``size`` (the package is full and it is worth less than what it would displace) or
    ``no_gain`` (there was room but it adds nothing under these weights).
    ``swap_out`` and ``delta`` describe the best exchange that would take it in: the members
    that would leave and the change in the objective (<= 0 at the optimum; about 0 is a tie,
    an equally good package). ``delta`` is None when no exchange can take it in (it is
    excluded, or conflicts with a required member, or every member is required).
    """

    id: str
    score: float
    reason: LeftOutReason
    conflicts_with: tuple[str, ...]
    swap_out: tuple[str, ...]
    delta: float | None
    detail: str

    @property
    def tie(self) -> bool:
        return self.delta is not None and self.delta > -TIE_TOLERANCE

    def record(self) -> dict[str, Any]:
        """JSON-ready, with ``tie``; the left-out table shows a selection of these columns."""
        return {
            "id": self.id,
            "score": self.score,
            "reason": self.reason,
            "conflicts_with": list(self.conflicts_with),
            "swap_out": list(self.swap_out),
            "delta": self.delta,
            "tie": self.tie,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Package:
    """The best package under one weighting and set of constraints, explained."""

    evaluation: SetEvaluation
    objective: float
    max_size: int
    required: tuple[str, ...]
    excluded: tuple[str, ...]
    left_out: tuple[LeftOut, ...]
    solver: Mapping[str, Any]

    @property
    def members(self) -> tuple[str, ...]:
        return self.evaluation.member_ids

    @property
    def ties(self) -> tuple[LeftOut, ...]:
        """Left-out recommendations that would give an equally good package."""
        return tuple(item for item in self.left_out if item.tie)

    def left_out_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(
            [item.record() for item in self.left_out],
            columns=["id", "score", "reason", "delta", "tie", "detail"],
        )

    def record(self, catalog: Catalog) -> dict[str, Any]:
        """JSON-ready: constraints, objective and its parts, the package, what it leaves out."""
        evaluation = self.evaluation.record(catalog)
        return {
            "constraints": {
                "max_size": self.max_size,
                "required": list(self.required),
                "excluded": list(self.excluded),
                "no_conflicting_pair": True,
            },
            "objective": self.objective,
            "objective_parts": {"total": self.evaluation.total, "bonus": self.evaluation.bonus},
            "package": evaluation,
            "left_out": [item.record() for item in self.left_out],
            "solver": dict(self.solver),
        }


def best_package(
    catalog: Catalog,
    interactions: Interactions,
    weights: Mapping[str, float],
    max_size: int,
    require: Sequence[str] = (),
    exclude: Sequence[str] = (),
    *,
    synergy_bonus: float = SYNERGY_BONUS,
    source: str = "weights",
) -> Package:
    """The package of at most ``max_size`` recommendations with the highest weighted score plus
    synergy bonus, holding no conflicting pair, with ``require`` in and ``exclude`` out.

    Raises InputError for ``max_size`` < 1, ValidationError for unknown ids, and a
    ValidationError with code ``constraint_clash`` naming each clash when the constraints
    admit no package (an id both required and excluded, more required than ``max_size``,
    two required ids that conflict).
    """
    weight_vector = normalized_weights(weights, catalog.criterion_ids, source)
    _check_coefficients(CONFLICT_PENALTY, synergy_bonus)
    # Doing nothing is the yardstick, not a member of a package: kept out, and not reported as
    # one of the user's exclusions or among what the package leaves out.
    baseline = catalog.baseline.id if catalog.baseline is not None else None
    if baseline is not None and baseline not in exclude:
        exclude = (*exclude, baseline)
    required, excluded = _check_constraints(catalog, interactions, max_size, require, exclude)
    ids = catalog.recommendation_ids
    row_of = {rec_id: row for row, rec_id in enumerate(ids)}
    scores = catalog.normalized @ weight_vector
    conflicts = np.array(
        [(row_of[p.a], row_of[p.b]) for p in interactions.conflicts], dtype=int
    ).reshape(-1, 2)
    synergy_pairs = np.array(
        [(row_of[p.a], row_of[p.b]) for p in interactions.synergies], dtype=int
    ).reshape(-1, 2)
    synergy_values = synergy_bonus * np.array(
        [p.strength for p in interactions.synergies], dtype=float
    )
    required_mask = np.isin(catalog.id_array, required)
    excluded_mask = np.isin(catalog.id_array, excluded)
    solved = solve_package(
        scores, conflicts, synergy_pairs, synergy_values, max_size, required_mask, excluded_mask
    )
    if solved is None:  # the checks above should have named the clash; say so plainly
        raise InputError(
            Code.CONSTRAINT_CLASH,
            PACKAGE_SOURCE,
            "",
            "constraints that admit at least one package",
            "the solver found none",
            "relax --require or --exclude",
        )
    chosen, objective, result = solved
    members = tuple(
        ids[row] for row in sorted(np.flatnonzero(chosen), key=lambda row: (-scores[row], row))
    )
    option_set = OptionSet(
        id="best-package",
        name=f"Best package of at most {max_size}",
        description=f"Found by the optimiser under {source}.",
        members=members,
        origin="optimised",
    )
    evaluation = _evaluate(
        catalog, interactions, option_set, weight_vector, CONFLICT_PENALTY, synergy_bonus
    )
    left_out = _explain_left_out(
        catalog,
        interactions,
        _PackageProblem(scores, synergy_pairs, synergy_values, max_size),
        chosen,
        required_mask,
        excluded_mask,
    )
    return Package(
        evaluation=evaluation,
        objective=objective,
        max_size=max_size,
        required=required,
        excluded=tuple(rec_id for rec_id in excluded if rec_id != baseline),
        left_out=tuple(item for item in left_out if item.id != baseline),
        solver={
            "name": "scipy.optimize.milp (HiGHS)",
            "status": int(result.status),
            "message": str(result.message),
            "mip_gap": float(getattr(result, "mip_gap", 0.0) or 0.0),
            "nodes": int(getattr(result, "mip_node_count", 0) or 0),
        },
    )


def _check_constraints(
    catalog: Catalog,
    interactions: Interactions,
    max_size: Any,
    require: Sequence[str],
    exclude: Sequence[str],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Validate the package constraints; name every clash. Returns (required, excluded)."""
    if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1:
        raise InputError(
            Code.BAD_VALUE,
            PACKAGE_SOURCE,
            "max_size",
            "a whole number >= 1",
            repr(max_size),
            "ask for a package of at least one recommendation",
        )
    known = set(catalog.recommendation_ids)
    problems = [
        Problem(
            code=Code.UNKNOWN_RECOMMENDATION,
            where=PACKAGE_SOURCE,
            key_path=f"{name}[{index}]",
            expected="the id of a recommendation in the catalog",
            found=repr(rec_id),
            hint="correct the id (recscore recommendations lists them)",
        )
        for name, ids in (("require", require), ("exclude", exclude))
        for index, rec_id in enumerate(ids)
        if rec_id not in known
    ]
    if problems:
        raise ValidationError(problems)
    required = tuple(dict.fromkeys(require))
    excluded = tuple(dict.fromkeys(exclude))
    clashes = [
        Problem(
            code=Code.CONSTRAINT_CLASH,
            where=PACKAGE_SOURCE,
            key_path=f"require[{required.index(rec_id)}]",
            expected="an id either required or excluded, not both",
            found=f"{rec_id!r} is required and excluded",
            hint="drop it from one of the two lists",
        )
        for rec_id in required
        if rec_id in excluded
    ]
    if len(required) > max_size:
        clashes.append(
            Problem(
                code=Code.CONSTRAINT_CLASH,
                where=PACKAGE_SOURCE,
                key_path="require",
                expected=f"at most max_size={max_size} required ids",
                found=f"{len(required)} required",
                hint=f"raise --max-size to {len(required)} or require fewer",
            )
        )
    for i, first in enumerate(required):
        for j in range(i + 1, len(required)):
            pair = interactions.between(first, required[j])
            if pair is not None and pair.type == "conflict":
                clashes.append(
                    Problem(
                        code=Code.CONSTRAINT_CLASH,
                        where=PACKAGE_SOURCE,
                        key_path=f"require[{i}], require[{j}]",
                        expected="required ids that do not conflict",
                        found=f"{first!r} and {required[j]!r} conflict "
                        f"(strength {pair.strength}: {pair.rationale})",
                        hint="require only one of the two",
                    )
                )
    if clashes:
        raise ValidationError(clashes)
    return required, excluded


@dataclass(frozen=True)
class _PackageProblem:
    """The numbers of one package problem, to value any choice of members."""

    scores: np.ndarray
    synergy_pairs: np.ndarray
    synergy_values: np.ndarray
    max_size: int

    def value(self, chosen: np.ndarray) -> float:
        return _package_value(self.scores, self.synergy_pairs, self.synergy_values, chosen)


def _explain_left_out(
    catalog: Catalog,
    interactions: Interactions,
    problem: _PackageProblem,
    chosen: np.ndarray,
    required: np.ndarray,
    excluded: np.ndarray,
) -> tuple[LeftOut, ...]:
    """Why each recommendation outside the package is outside it.

    For each one, the best exchange that would take it in is computed: drop the members it
    conflicts with, and if the package would then be over size, also the member whose loss
    costs least. The change in the objective says how close it came. Sorted by reason, then
    nearest miss first.
    """
    ids = catalog.recommendation_ids
    members = np.flatnonzero(chosen)
    full = len(members) >= problem.max_size
    explained = []
    for row in np.flatnonzero(~chosen):
        rec_id, score = ids[row], float(problem.scores[row])
        if excluded[row]:
            explained.append(
                LeftOut(rec_id, score, "excluded", (), (), None, "excluded by the constraints")
            )
            continue
        clashes = [
            (member, pair)
            for member in members
            if (pair := interactions.between(rec_id, ids[member])) is not None
            and pair.type == "conflict"
        ]
        clashing = tuple(ids[member] for member, _ in clashes)
        blockers = [(member, pair) for member, pair in clashes if required[member]]
        if blockers:
            member, pair = blockers[0]
            detail = f"conflicts with required {ids[member]} ({pair.rationale})"
            explained.append(LeftOut(rec_id, score, "conflict", clashing, (), None, detail))
            continue
        delta, swap_out = _best_exchange(
            problem, chosen, int(row), [int(m) for m, _ in clashes], required
        )
        reason: LeftOutReason
        if clashes:
            reason = "conflict"
            detail = f"conflicts with {', '.join(clashing)} ({clashes[0][1].rationale})"
        elif full:
            reason = "size"
            detail = (
                "the package is full of required members"
                if delta is None
                else f"the package is full; the best exchange drops {ids[swap_out[-1]]}"
            )
        else:
            reason = "no_gain"
            detail = "adds nothing under these weights"
        if delta is not None:
            detail += (
                "; an equally good package takes it in (a tie)"
                if delta > -TIE_TOLERANCE
                else f"; taking it in lowers the objective by {-delta:.3f}"
            )
        explained.append(
            LeftOut(
                rec_id,
                score,
                reason,
                clashing,
                tuple(ids[m] for m in swap_out),
                delta,
                detail,
            )
        )
    order = {"conflict": 0, "size": 1, "no_gain": 2, "excluded": 3}
    explained.sort(
        key=lambda item: (
            order[item.reason],
            -(item.delta if item.delta is not None else -math.inf),
            item.id,
        )
    )
    return tuple(explained)


def _best_exchange(
    problem: _PackageProblem,
    chosen: np.ndarray,
    row: int,
    clashing: Sequence[int],
    required: np.ndarray,
) -> tuple[float | None, tuple[int, ...]]:
    """The best feasible way to take ``row`` in: (objective change, rows that leave).

    The members it conflicts with leave; if the package is then over size, so does the
    non-required member whose loss costs least. None if every candidate is required.
    """
    base_value = problem.value(chosen)
    trial = chosen.copy()
    trial[list(clashing)] = False
    trial[row] = True
    if trial.sum() <= problem.max_size:
        return problem.value(trial) - base_value, tuple(clashing)
    best: tuple[float, int] | None = None
    for member in np.flatnonzero(trial):
        if member == row or required[member]:
            continue
        trial[member] = False
        change = problem.value(trial) - base_value
        trial[member] = True
        if best is None or change > best[0] + 1e-12:
            best = (change, int(member))
    if best is None:
        return None, tuple(clashing)
    return best[0], (*clashing, best[1])


def best_packages_by_profile(
    catalog: Catalog,
    interactions: Interactions,
    profiles: Mapping[str, WeightProfile],
    max_size: int,
    require: Sequence[str] = (),
    exclude: Sequence[str] = (),
    *,
    synergy_bonus: float = SYNERGY_BONUS,
) -> dict[str, Package]:
    """The best package under each profile, to show how it changes with the perspective."""
    return {
        profile.id: best_package(
            catalog,
            interactions,
            profile.weights,
            max_size,
            require,
            exclude,
            synergy_bonus=synergy_bonus,
            source=f"profile {profile.id}",
        )
        for profile in profiles.values()
    }


# --- user sets in the workspace --------------------------------------------------------------

_NOT_ID_CHARACTERS = re.compile(r"[^a-z0-9]+")


def set_id_for(name: str) -> str:
    """The file-safe id of a set name: ``"Quiet engagement"`` -> ``"quiet-engagement"``."""
    return _NOT_ID_CHARACTERS.sub("-", name.strip().lower()).strip("-")


def _sets_dir(workspace: Workspace) -> Path:
    return workspace.root / SETS_DIR


def _set_path(workspace: Workspace, set_id: str) -> Path:
    return _sets_dir(workspace) / f"{set_id}.yaml"


def save_user_set(
    workspace: Workspace,
    catalog: Catalog,
    name: str,
    members: Sequence[str],
    description: str = "",
    *,
    set_id: str | None = None,
    replace: bool = False,
) -> OptionSet:
    """Validate and save a user set as ``sets/<id>.yaml`` in the workspace; return it.

    The id is derived from the name unless given (editing a set keeps its id). Raises
    ValidationError for unknown or repeated members, InputError for a name that gives no id,
    an id a built-in set uses, or an existing user set when ``replace`` is False. A set whose
    members conflict is saved: it is flagged when evaluated, not refused.
    """
    source = "set name"
    chosen_id = set_id or set_id_for(name)
    require_usable_id(chosen_id, name, source, example="Quiet engagement")
    if chosen_id in {s.id for s in builtin_sets(catalog)}:
        raise InputError(
            Code.DUPLICATE_ID,
            source,
            "name",
            "a name no built-in set uses",
            repr(name),
            "choose another name; built-in sets cannot be replaced",
        )
    try:
        option_set = OptionSet(
            id=chosen_id,
            name=name,
            description=description.strip(),
            members=tuple(members),
            origin="user",
        )
    except pydantic.ValidationError as exc:
        data = {"name": name, "members": list(members)}
        raise ValidationError(problems_from_pydantic(exc, source, data, in_file=False)) from None
    problems = set_member_problems(option_set, catalog, source)
    if problems:
        raise ValidationError(problems)
    path = _set_path(workspace, chosen_id)
    write_named_yaml(
        workspace, path, _set_file_data(option_set), source, name, kind="set", replace=replace
    )
    return option_set


def _set_file_data(option_set: OptionSet) -> dict[str, Any]:
    data = option_set.model_dump(mode="json", exclude={"origin"})
    data["members"] = list(option_set.members)
    return data


def load_user_sets(
    workspace: Workspace, catalog: Catalog
) -> tuple[tuple[OptionSet, ...], tuple[Problem, ...]]:
    """The user's saved sets and the problems of any that cannot be used.

    Never raises for bad content: a set file that does not parse, breaks the schema, names a
    recommendation the catalog lacks or takes a built-in set's id is reported in the problems
    (warnings) and left out; the file stays as it is for the user to repair.
    """
    folder = _sets_dir(workspace)
    if not folder.is_dir():
        return (), ()
    builtin_ids = {s.id for s in builtin_sets(catalog)}
    sets: list[OptionSet] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        display = path.as_posix()
        found: list[Problem] = []
        data = read_yaml(path, display, found)
        option_set = None
        if not found and not isinstance(data, dict):
            found.append(
                Problem(
                    code=Code.WRONG_TYPE,
                    file=display,
                    key_path="",
                    expected="a mapping with id, name and members",
                    found=type(data).__name__,
                    hint="save the set again from the app",
                )
            )
        elif not found and isinstance(data, dict):
            try:
                option_set = OptionSet.model_validate({**data, "origin": "user"})
            except pydantic.ValidationError as exc:
                found += problems_from_pydantic(exc, display, data)
        if option_set is not None:
            found += set_member_problems(option_set, catalog, display)
            if option_set.id != path.stem:
                found.append(
                    Problem(
                        code=Code.BAD_VALUE,
                        file=display,
                        key_path="id",
                        expected=f"the file name's stem {path.stem!r}",
                        found=repr(option_set.id),
                        hint=f"rename the file to {option_set.id}.yaml or set id: {path.stem}",
                    )
                )
            if option_set.id in builtin_ids:
                found.append(
                    Problem(
                        code=Code.DUPLICATE_ID,
                        file=display,
                        key_path="id",
                        expected="an id no built-in set uses",
                        found=repr(option_set.id),
                        hint="rename the set; the built-in one is used instead",
                    )
                )
        problems += found
        if option_set is not None and not found:
            sets.append(option_set)
    return tuple(sets), tuple(problems)


def delete_user_set(workspace: Workspace, set_id: str) -> None:
    """Delete a saved set at the user's request (built-in sets are not in the workspace)."""
    path = _set_path(workspace, set_id)
    with workspace.locked():
        if not path.exists():
            raise InputError(
                Code.UNKNOWN_SET,
                _sets_dir(workspace).as_posix(),
                set_id,
                "a saved set",
                repr(set_id),
                "it may have been deleted in another session; reload",
                in_file=True,
            )
        path.unlink()


def user_sets_holding(
    workspace: Workspace, ids: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The saved sets (ids) holding any of ``ids``: those that would keep other members, and
    those that would be left empty (see :func:`drop_members`)."""
    gone = set(ids)
    changed: list[str] = []
    emptied: list[str] = []
    for path, members in _raw_set_files(workspace):
        if gone & set(members):
            (changed if set(members) - gone else emptied).append(path.stem)
    return tuple(changed), tuple(emptied)


def drop_members(workspace: Workspace, ids: Iterable[str]) -> None:
    """Under the workspace's lock: take ``ids`` out of every saved set; a set left empty is
    deleted (a removed document's recommendations leave every set)."""
    gone = set(ids)
    for path, members in _raw_set_files(workspace):
        if not gone & set(members):
            continue
        rest = [m for m in members if m not in gone]
        if not rest:
            path.unlink()
            continue
        data = read_yaml(path, path.as_posix(), [])
        write_yaml_atomically(path, {**(data or {}), "members": rest})


def _raw_set_files(workspace: Workspace) -> list[tuple[Path, list[str]]]:
    """Every saved set file with its members as written (valid for the catalog or not)."""
    folder = _sets_dir(workspace)
    files = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        data = read_yaml(path, path.as_posix(), [])
        members = data.get("members") if isinstance(data, dict) else None
        if isinstance(members, list):
            files.append((path, [m for m in members if isinstance(m, str)]))
    return files
