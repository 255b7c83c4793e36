"""Conflicts and synergies between recommendations (seeds/interactions.yaml), validated."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import pydantic
from pydantic import ConfigDict, Field, Strict, field_validator
from pydantic_core import PydanticCustomError

from scoring.errors import Code, Problem, ValidationError
from scoring.io import (
    check_schema_version,
    not_a_mapping,
    problems_from_pydantic,
    read_yaml,
)
from scoring.loading import INTERACTIONS_FILE
from scoring.model import ID_PATTERN, Catalog, check_rationale

if TYPE_CHECKING:
    pass

__all__ = [
    "CONFLICT_PENALTY",
    "SYNERGY_BONUS",
    "FrozenModel",
    "Interaction",
    "InteractionScope",
    "InteractionType",
    "Interactions",
    "interaction_problems",
    "load_interactions",
    "pairs_in_scope",
]

CONFLICT_PENALTY = 0.15

SYNERGY_BONUS = 0.05

InteractionType = Literal["conflict", "synergy"]


class FrozenModel(pydantic.BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Interaction(FrozenModel):
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


class _InteractionsHeader(FrozenModel):
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
            not_a_mapping(
                display,
                data,
                "a mapping with schema_version and pairs",
                "start the file with 'schema_version: 1' and 'pairs:'",
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


InteractionScope = Literal["set", "partners", "all"]


def pairs_in_scope(
    interactions: Interactions,
    members: Sequence[str],
    scope: InteractionScope,
    types: Collection[str],
    order: Sequence[str],
) -> tuple[tuple[Interaction, ...], tuple[str, ...]]:
    """The pairs of the given ``types`` to show for a set, and the recommendations they
    involve in display order.

    ``scope``: ``set``, the pairs inside the set (its members are the rows); ``partners``,
    the pairs with at least one member (members first, then what interacts with them from
    outside); ``all``, every pair (the recommendations involved). ``order`` is the display
    order of every recommendation id (rank order); members keep it too.
    """
    position = {rec_id: index for index, rec_id in enumerate(order)}
    pairs = [pair for pair in interactions.pairs if pair.type in types]
    inside = set(members)
    if scope == "set":
        pairs = [pair for pair in pairs if pair.a in inside and pair.b in inside]
        rec_ids = sorted(members, key=position.__getitem__)
    elif scope == "partners":
        pairs = [pair for pair in pairs if pair.a in inside or pair.b in inside]
        outside = {end for pair in pairs for end in (pair.a, pair.b)} - inside
        rec_ids = sorted(members, key=position.__getitem__)
        rec_ids += sorted(outside, key=position.__getitem__)
    else:
        involved = {end for pair in pairs for end in (pair.a, pair.b)}
        rec_ids = [rec_id for rec_id in order if rec_id in involved]
    return tuple(pairs), tuple(rec_ids)
