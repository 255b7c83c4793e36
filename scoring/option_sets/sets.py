"""Option sets: named sets of recommendations, built in (per document, per instrument) or saved."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.io import (
    check_schema_version,
)
from scoring.model import ID_PATTERN, SCHEMA_VERSION, Catalog

if TYPE_CHECKING:
    pass
from scoring.option_sets.interactions import FrozenModel

__all__ = [
    "SETS_DIR",
    "OptionSet",
    "Origin",
    "builtin_sets",
    "check_set_members",
    "pick_sets",
    "set_id_for",
    "set_member_problems",
]

_NOT_ID_CHARACTERS = re.compile(r"[^a-z0-9]+")


def set_id_for(name: str) -> str:
    """The file-safe id of a set name: ``"Quiet engagement"`` -> ``"quiet-engagement"``."""
    return _NOT_ID_CHARACTERS.sub("-", name.strip().lower()).strip("-")


SETS_DIR = "sets"

Origin = Literal["builtin", "user", "optimised"]


class OptionSet(FrozenModel):
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


def check_set_members(sets: Iterable[OptionSet], catalog: Catalog) -> None:
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
    # Grouped in one pass (catalog order kept): a scan per document grew with documents x
    # recommendations (0.8 s of every Brief page rerun at 5,000).
    by_document: dict[str, list[str]] = {}
    by_instrument: dict[str, list[str]] = {}
    for rec in catalog.recommendations:
        by_document.setdefault(rec.document, []).append(rec.id)
        if not rec.baseline:
            by_instrument.setdefault(rec.instrument, []).append(rec.id)
    sets = []
    for document in catalog.documents:
        members = tuple(by_document.get(document.name, ()))
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
        members = tuple(by_instrument.get(instrument, ()))
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
