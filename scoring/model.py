"""Immutable domain objects: criteria, scores, recommendations, documents, profiles, catalog.

The pydantic models double as the schemas of the YAML files; their validators raise errors
whose ``type`` is one of :class:`scoring.errors.Code`, so the loader can turn every fault into
a problem record with a stable code. :class:`Catalog` is the validated whole, with the score
matrix laid out once as numpy arrays for the vectorised methods.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    Strict,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from scoring.errors import Code
from scoring.io import SCHEMA_VERSION, check_schema_version

__all__ = [
    "ADDRESSEES",
    "BASELINE_ID",
    "SCALE_MAX",
    "SCALE_MIN",
    "UNKNOWN",
    "Catalog",
    "CriteriaFile",
    "Criterion",
    "DocumentHeader",
    "DocumentMeta",
    "DocumentOrigin",
    "Recommendation",
    "Score",
    "Source",
    "SourceDocument",
    "WeightProfile",
    "normalize_scores",
]

SCALE_MIN = 1
SCALE_MAX = 5
UNKNOWN = "unknown"

ID_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
Direction = Literal["benefit", "cost"]
Kind = Literal["explicit", "implicit", "baseline"]
# Who a recommendation asks to act: a small closed list, so that a ranking can hold only the
# options open to one decision-maker instead of summing feasibility for unlike actors.
Addressee = Literal[
    "us_executive",
    "us_congress",
    "allied_governments",
    "multilateral",
    "prc_government",
    "joint_us_prc",
    "non_state",
]
ADDRESSEES: dict[str, str] = {
    "us_executive": "U.S. executive",
    "us_congress": "U.S. Congress",
    "allied_governments": "Allied and other governments",
    "multilateral": "Multilateral bodies",
    "prc_government": "PRC government",
    "joint_us_prc": "Joint U.S.-PRC",
    "non_state": "Non-state actors",
}
# Who voices it: the document's author, a party the document reports, or a PRC party whose
# demand the document reports (shown as "what Beijing asks for", never as an option to approve).
VoiceKind = Literal["author", "reported", "reported_prc"]
# The do-nothing option every catalog carries (seeds/status_quo.yaml).
BASELINE_ID = "status-quo"
# Numbers must be numbers: "3" or true in YAML is a typo, not a score.
Number = Annotated[float, Strict()]


def _usable_weight(weight: float) -> float:
    if math.isnan(weight):
        raise PydanticCustomError(Code.NAN_WEIGHT.value, "a number, not NaN")
    if weight < 0 or math.isinf(weight):
        raise PydanticCustomError(Code.NEGATIVE_WEIGHT.value, "a finite weight >= 0")
    return weight


# Checked one by one, so an error's key path names the criterion: weights.buy_in.
Weight = Annotated[float, Strict(), AfterValidator(_usable_weight)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def check_rationale(text: str) -> str:
    """A rationale stripped of surrounding space; an empty one is refused."""
    if not text.strip():
        raise PydanticCustomError(Code.EMPTY_RATIONALE.value, "a non-empty rationale")
    return text.strip()


class Criterion(_Frozen):
    """A criterion with an anchored 1-5 scale; ``direction`` says whether more is better."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    question: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    direction: Direction
    scale: dict[int, str]

    @field_validator("scale")
    @classmethod
    def _every_level_described(cls, scale: dict[int, str]) -> dict[int, str]:
        levels = set(range(SCALE_MIN, SCALE_MAX + 1))
        if set(scale) != levels or not all(text.strip() for text in scale.values()):
            raise PydanticCustomError(
                Code.BAD_VALUE.value,
                "a description in words for each level 1, 2, 3, 4 and 5",
            )
        return scale

    @property
    def is_cost(self) -> bool:
        return self.direction == "cost"

    def scale_text(self) -> str:
        """The anchored scale as one line per level, for help texts and briefs."""
        return "\n".join(f"{level}: {self.scale[level]}" for level in sorted(self.scale))


class CriteriaFile(_Frozen):
    """Schema of ``criteria/criteria.yaml``."""

    schema_version: int
    default_profile: str = Field(pattern=ID_PATTERN)
    # The date the scores describe the world as of; items overtaken since are flagged.
    assessed_as_of: str = UNKNOWN
    instruments: dict[str, str] = Field(min_length=1)
    criteria: tuple[Criterion, ...] = Field(min_length=1)

    _version = field_validator("schema_version")(check_schema_version)


class Score(_Frozen):
    """One judgement: a value on the 1-5 scale, the range the evidence allows, and why."""

    value: Number
    low: Number
    high: Number
    rationale: str

    @field_validator("value", "low", "high")
    @classmethod
    def _on_the_scale(cls, number: float) -> float:
        if not (SCALE_MIN <= number <= SCALE_MAX):  # also rejects NaN
            raise PydanticCustomError(
                Code.SCORE_OUT_OF_RANGE.value,
                "a number from {low} to {high}",
                {"low": SCALE_MIN, "high": SCALE_MAX},
            )
        return number

    _rationale = field_validator("rationale")(check_rationale)

    @model_validator(mode="after")
    def _range_holds_value(self) -> Score:
        if not self.low <= self.value <= self.high:
            raise PydanticCustomError(
                Code.RANGE_ORDER.value,
                "low <= value <= high, got low={low}, value={value}, high={high}",
                {"low": self.low, "value": self.value, "high": self.high},
            )
        return self


class Source(_Frozen):
    """One more document that makes the same recommendation (a merged near-duplicate): its
    verbatim ``quote``, checked by the loader against ``document``'s text like the main quote;
    ``span`` is computed the same way."""

    document: str = Field(min_length=1)
    quote: str = Field(min_length=1)
    span: tuple[int, int] | None = None


class Recommendation(_Frozen):
    """A recommendation grounded in a verbatim quote of its document.

    ``span`` is the (start, end) character offsets of the quote in the document's normalised
    text (see :mod:`scoring.text`); the loader computes it and checks any recorded value.
    ``addressees`` are the classes of actor it asks to act (first = primary; empty = not
    classified); ``voice_kind`` and ``voice`` say who makes it. ``overtaken`` is a note on
    events since the document that make the item moot or changed (empty: none known). The
    status-quo ``baseline`` has no document and no quote. ``sources`` are the other documents
    that make it, when near-duplicates were merged into one option (empty: one source).
    """

    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    quote: str = ""
    actor: str = Field(min_length=1)
    voice: str = UNKNOWN
    voice_kind: VoiceKind = "author"
    addressees: tuple[Addressee, ...] = ()
    instrument: str = Field(min_length=1)
    kind: Kind
    scores: dict[str, Score]
    overtaken: str = ""
    baseline: bool = False
    span: tuple[int, int] | None = None
    sources: tuple[Source, ...] = ()
    document: str = ""  # set by the loader from the file the recommendation came from

    @model_validator(mode="after")
    def _quoted_unless_baseline(self) -> Recommendation:
        if not self.baseline and not self.quote.strip():
            raise PydanticCustomError(
                Code.BAD_VALUE.value,
                "a verbatim quote from the document (only the baseline has none)",
            )
        return self

    @property
    def reported_prc(self) -> bool:
        """True for a demand voiced by a PRC party: context, never an option to approve."""
        return self.voice_kind == "reported_prc"

    @property
    def source_count(self) -> int:
        """How many documents make it: its own and the merged ``sources``."""
        return 1 + len(self.sources) if not self.baseline else 0

    @property
    def start(self) -> int:
        return self.span[0] if self.span else -1

    @property
    def end(self) -> int:
        return self.span[1] if self.span else -1


class DocumentHeader(_Frozen):
    """Schema of a seed's YAML file without its recommendations: the document's metadata.

    ``title``, ``author``, ``outlet`` and ``date`` hold only what the text shows, else
    ``unknown``; inferences go to ``notes`` with their evidence. ``label`` is an editorial
    display name, not metadata.
    """

    schema_version: int
    document: str = Field(min_length=1)
    label: str = Field(min_length=1)
    title: str = UNKNOWN
    author: str = UNKNOWN
    outlet: str = UNKNOWN
    date: str = UNKNOWN
    date_evidence: str = ""
    notes: str = ""
    doc_type: str = UNKNOWN
    stance: str = Field(min_length=1)

    _version = field_validator("schema_version")(check_schema_version)


class DocumentMeta(DocumentHeader):
    """A seed's YAML file in full: metadata and recommendations."""

    recommendations: tuple[Recommendation, ...] = Field(min_length=1)


DocumentOrigin = Literal["bundled", "workspace"]


@dataclass(frozen=True)
class SourceDocument:
    """A document's text (raw and normalised) with its metadata.

    ``origin`` is its provenance: shipped in ``seeds/`` (``bundled``) or added by a user to
    the workspace (``workspace``, see :mod:`scoring.intake`).
    """

    meta: DocumentMeta
    text: str
    normalized: str
    origin: DocumentOrigin = "bundled"

    @property
    def name(self) -> str:
        return self.meta.document


class WeightProfile(_Frozen):
    """A named weighting of the criteria, modelling one perspective.

    Weights are relative: they are normalised to sum to 1 before use.
    """

    schema_version: int = SCHEMA_VERSION
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    weights: dict[str, Weight]

    _version = field_validator("schema_version")(check_schema_version)

    @field_validator("weights")
    @classmethod
    def _some_weight_positive(cls, weights: dict[str, float]) -> dict[str, float]:
        if weights and not any(weights.values()):
            raise PydanticCustomError(Code.ZERO_WEIGHTS.value, "at least one weight above 0")
        return weights


def normalize_scores(values: np.ndarray, cost_mask: np.ndarray) -> np.ndarray:
    """Map 1-5 scores onto 0-1 (1 -> 0, 5 -> 1), reversing cost criteria. Assumes valid input."""
    normalized = (values - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)
    return np.where(cost_mask, 1.0 - normalized, normalized)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


@dataclass(frozen=True)
class Catalog:
    """Everything validated: criteria, documents, recommendations and profiles.

    Recommendations are held in id order, so that a stable sort of scores breaks ties by id
    (the documented tie-break). ``values``, ``low`` and ``high`` are (recommendations x
    criteria) arrays in the order of ``recommendations`` and ``criteria``.
    """

    criteria: tuple[Criterion, ...]
    instruments: Mapping[str, str]
    documents: tuple[SourceDocument, ...]
    recommendations: tuple[Recommendation, ...]
    profiles: Mapping[str, WeightProfile]
    default_profile: str
    values: np.ndarray = field(repr=False)
    low: np.ndarray = field(repr=False)
    high: np.ndarray = field(repr=False)
    assessed_as_of: str = UNKNOWN
    context: tuple[Recommendation, ...] = ()
    scope: str = "all"

    @classmethod
    def build(
        cls,
        criteria: tuple[Criterion, ...],
        instruments: Mapping[str, str],
        documents: tuple[SourceDocument, ...],
        recommendations: tuple[Recommendation, ...],
        profiles: Mapping[str, WeightProfile],
        default_profile: str,
        *,
        assessed_as_of: str = UNKNOWN,
        context: tuple[Recommendation, ...] = (),
        scope: str = "all",
    ) -> Catalog:
        """Lay out the score arrays; inputs must already be cross-validated.

        ``context`` holds recommendations kept out of the rankings by ``scope`` (see
        :mod:`scoring.scope`); they are shown beside the options, never ranked with them.
        """
        ordered = tuple(sorted(recommendations, key=lambda rec: rec.id))
        arrays = {
            part: np.array(
                [[getattr(rec.scores[c.id], part) for c in criteria] for rec in ordered],
                dtype=float,
            ).reshape(len(ordered), len(criteria))
            for part in ("value", "low", "high")
        }
        for array in arrays.values():
            _read_only(array)
        return cls(
            criteria=criteria,
            instruments=dict(instruments),
            documents=documents,
            recommendations=ordered,
            profiles=dict(profiles),
            default_profile=default_profile,
            values=arrays["value"],
            low=arrays["low"],
            high=arrays["high"],
            assessed_as_of=assessed_as_of,
            context=tuple(sorted(context, key=lambda rec: rec.id)),
            scope=scope,
        )

    def with_recommendations(
        self,
        recommendations: tuple[Recommendation, ...],
        documents: tuple[SourceDocument, ...] | None = None,
    ) -> Catalog:
        """The same catalog (criteria, profiles, scope, context) holding other recommendations."""
        return Catalog.build(
            criteria=self.criteria,
            instruments=self.instruments,
            documents=self.documents if documents is None else documents,
            recommendations=recommendations,
            profiles=self.profiles,
            default_profile=self.default_profile,
            assessed_as_of=self.assessed_as_of,
            context=self.context,
            scope=self.scope,
        )

    @cached_property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.criteria)

    @cached_property
    def recommendation_ids(self) -> tuple[str, ...]:
        return tuple(rec.id for rec in self.recommendations)

    @cached_property
    def cost_mask(self) -> np.ndarray:
        """Boolean vector, True for cost criteria."""
        return np.array([c.is_cost for c in self.criteria], dtype=bool)

    @cached_property
    def id_array(self) -> np.ndarray:
        """Recommendation ids as a numpy array, for vectorised indexing."""
        return np.array(self.recommendation_ids, dtype=object)

    @cached_property
    def normalized(self) -> np.ndarray:
        """Scores mapped onto 0-1 on the fixed scale ends, cost criteria reversed."""
        return _read_only(normalize_scores(self.values, self.cost_mask))

    @cached_property
    def worst_normalized(self) -> np.ndarray:
        """Each score at the worst end of its range (high for cost criteria), normalised."""
        return _read_only(
            normalize_scores(np.where(self.cost_mask, self.high, self.low), self.cost_mask)
        )

    @cached_property
    def best_normalized(self) -> np.ndarray:
        """Each score at the best end of its range (low for cost criteria), normalised."""
        return _read_only(
            normalize_scores(np.where(self.cost_mask, self.low, self.high), self.cost_mask)
        )

    def criterion(self, criterion_id: str) -> Criterion:
        return self.criteria[self.criterion_ids.index(criterion_id)]

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {rec_id: index for index, rec_id in enumerate(self.recommendation_ids)}

    def row_of(self, recommendation_id: str) -> int:
        """The catalog row of a ranked recommendation (a dictionary look-up)."""
        position = self._positions.get(recommendation_id)
        if position is None:
            raise ValueError(f"{recommendation_id!r} is not a ranked recommendation")
        return position

    def row_mask(self, ids: Iterable[str]) -> np.ndarray:
        """Boolean vector over the ranked recommendations, True at the rows of ``ids`` (ids
        not ranked are ignored): dictionary look-ups, linear in ``ids``."""
        mask = np.zeros(len(self.recommendations), dtype=bool)
        positions = self._positions
        mask[[positions[rec_id] for rec_id in ids if rec_id in positions]] = True
        return mask

    def rows_of(self, ids: Iterable[str]) -> np.ndarray:
        """Catalog rows of ``ids``, in catalog order, each once (ids not ranked are ignored).

        The rows of the last few tuples asked for are kept (read-only), keyed by the tuple
        itself: a filter's selection (one tuple per filter change, see the app's sidebar) is
        then turned into rows once, not by every ranking of every rerun.
        """
        if not isinstance(ids, tuple):
            return np.flatnonzero(self.row_mask(ids))
        memo = self._rows_memo
        for kept, rows in memo:
            if kept is ids:
                return rows
        rows = np.flatnonzero(self.row_mask(ids))
        rows.setflags(write=False)
        memo.insert(0, (ids, rows))
        del memo[4:]
        return rows

    @cached_property
    def _rows_memo(self) -> list[tuple[tuple[str, ...], np.ndarray]]:
        return []

    @cached_property
    def _context_by_id(self) -> dict[str, Recommendation]:
        return {rec.id: rec for rec in self.context}

    @cached_property
    def baseline(self) -> Recommendation | None:
        """The status-quo option, if the catalog holds one."""
        return next((rec for rec in self.recommendations if rec.baseline), None)

    @cached_property
    def all_recommendation_ids(self) -> frozenset[str]:
        """Ids of the ranked recommendations and of those kept as context."""
        return frozenset(self.recommendation_ids) | frozenset(self._context_by_id)

    def recommendation(self, recommendation_id: str) -> Recommendation:
        """A ranked recommendation, or one kept as context, by id."""
        position = self._positions.get(recommendation_id)
        if position is not None:
            return self.recommendations[position]
        if recommendation_id in self._context_by_id:
            return self._context_by_id[recommendation_id]
        raise ValueError(f"{recommendation_id!r} is not in the catalog")

    @cached_property
    def _documents_by_name(self) -> dict[str, SourceDocument]:
        return {doc.name: doc for doc in self.documents}

    def document(self, name: str) -> SourceDocument:
        """A document by file name; KeyError if the catalog has none of that name."""
        return self._documents_by_name[name]
