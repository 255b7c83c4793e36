"""What a ranked brief says: the specification a user fills in and the content built from it.

:func:`build_brief` is the one validating entry point. It ranks once per profile through
:func:`scoring.methods.rank_by` with the spec's method (weighted sum, TOPSIS or PROMETHEE II)
and its settings, and gathers everything a reader needs, in the order decision
makers read (see ``DOMAIN.md``): header, bottom line, recommendation cards, ranked list,
trade-offs, perspectives, method and criteria, sources and the reproducibility record.
Renderers (``render_*`` modules) only lay that :class:`Brief` out; none of them ranks,
weights or words anything anew.

Document text is kept as data (plain strings). Where a sentence mixes our words with a
document's, it is a :data:`Text` of :class:`Run` pieces, so each renderer escapes every
piece for its own format.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scoring import workspace
from scoring.analysis import with_baseline
from scoring.briefs.charts import Chart, contributions_chart, profile_ranks_chart
from scoring.briefs.formatting import (
    level_text,
    number_text,
    range_text,
    rank_range_text,
    score_name,
    score_text,
    weight_text,
)
from scoring.briefs.method_text import method_text, settings_hint, settings_text
from scoring.briefs.option_set_section import OptionSetSection, option_set_section
from scoring.briefs.reproducibility import Record, make_record
from scoring.briefs.robustness_section import RobustnessSection, robustness_section
from scoring.errors import Code, Problem, ValidationError
from scoring.io import unknown_criterion
from scoring.methods import (
    DEFAULT_METHOD,
    TIE_DECIMALS,
    MethodSpec,
    Ranking,
    check_method,
    method_spec,
    names,
    rank_by,
    registry,
    spec_settings,
)
from scoring.model import SCALE_MAX, Catalog, Criterion, Score, WeightProfile
from scoring.option_sets import MAX_COMPARED, Interactions, OptionSet, builtin_sets
from scoring.scope import (
    DECISION_MAKERS,
    DEFAULT_DECISION_MAKER,
    date_text,
    provenance_text,
    role_counts,
    role_phrase,
    scoped,
)
from scoring.tables import ranking_frame
from scoring.weights import normalized_weights
from scoring.wording import likelihood_words

__all__ = [
    "DEFAULT_TITLE",
    "FORMATS",
    "MATRIX_INTRO",
    "METHODS",
    "PERSPECTIVE_TOP",
    "SMAA_INTRO",
    "SOURCES_INTRO",
    "WEIGHTS_INTRO",
    "Brief",
    "BriefSpec",
    "Card",
    "Chart",
    "CriterionInfo",
    "CriterionScore",
    "Filters",
    "Overrides",
    "PerspectiveRow",
    "Perspectives",
    "ProfileUsed",
    "RankedRow",
    "Run",
    "SourceDocumentEntry",
    "SourceQuote",
    "Text",
    "apply_overrides",
    "build_brief",
    "method_settings",
    "plain",
]

FORMATS = ("md", "html", "docx", "pdf", "csv", "xlsx")


class _Descriptions(Mapping[str, str]):
    """Aggregation methods a brief can rank by (every registered one), each with its
    description; read when used, so a method registered later is in it."""

    def __getitem__(self, name: str) -> str:
        if name not in names():
            raise KeyError(name)
        return registry.get(name).description

    def __iter__(self) -> Iterator[str]:
        return iter(names())

    def __len__(self) -> int:
        return len(names())


METHODS: Mapping[str, str] = _Descriptions()
KINDS = ("explicit", "implicit")
DEFAULT_TITLE = "Ranked recommendations"
DEFAULT_QUESTION = "Which of these recommendations should we take forward first?"
# The ranked list in the body of the brief; longer rankings go to an annex in full.
LIST_LENGTH = 10
# Rows of the perspectives table: the union of each profile's first few.
PERSPECTIVE_TOP = 5
ANNEX_TITLES = {
    "criteria": "Criteria and their scales",
    "ranking": "Full ranking",
    "sources": "Sources",
    "record": "Reproducibility record",
}
MATRIX_INTRO = (
    "Performance matrix: each listed recommendation's 1–5 scores, in columns by rank as in the "
    "ranked list (for cost criteria 5 is worst)."
)
WEIGHTS_INTRO = (
    "Weights are swing weights (how much moving from the worst to the best level of a "
    "criterion matters), shown as shares of the total. Each profile models one perspective:"
)
SMAA_INTRO = "How often each is first when weights and scores vary (SMAA):"
SOURCES_INTRO = "The document and verbatim passage behind each recommendation shown above."

Overrides = Mapping[tuple[str, str], Score]
"""Score overrides: (recommendation id, criterion id) -> the score put in place of the catalog's."""


# --- rich text -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of a sentence; ``strong`` pieces are emphasised. Renderers escape ``text``."""

    text: str
    strong: bool = False


Text = tuple[Run, ...]


def plain(text: Text) -> str:
    """The sentence without emphasis."""
    return "".join(run.text for run in text)


# --- what the user asks for ------------------------------------------------------------------


def _strings(values: Any) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        return (values,)
    return tuple(str(value) for value in values)


@dataclass(frozen=True)
class Filters:
    """Which recommendations the brief ranks; an empty field lets everything through."""

    documents: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("documents", "actors", "instruments", "kinds"):
            object.__setattr__(self, name, _strings(getattr(self, name)))

    @property
    def is_empty(self) -> bool:
        return not (self.documents or self.actors or self.instruments or self.kinds)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "documents": list(self.documents),
            "actors": list(self.actors),
            "instruments": list(self.instruments),
            "kinds": list(self.kinds),
        }


@dataclass(frozen=True)
class BriefSpec:
    """Everything a user chooses about a brief. Sequences are stored as tuples.

    ``profiles`` are weight profile ids, the first being the one the brief recommends under
    (empty: the catalog's default); more than one adds a comparison of perspectives.
    ``weights`` override some of the first profile's weights (``{criterion: weight}``).
    ``top`` is how many recommendations get a full card. ``option_sets`` name one option set
    to evaluate or two to five to compare. ``method`` is a name from :data:`METHODS`;
    ``method_settings`` are its settings where they differ from the defaults (TOPSIS
    ``anchors``; PROMETHEE II ``preference``, ``q`` and ``p``, a threshold being a number of
    scale points or ``{criterion: number}``), given as a mapping. They are stored as pairs,
    in the method's order of settings, without those equal to their default, so a spec that
    states a default equals one that leaves it out (and writes the same scenario).
    ``robustness`` adds one-way sensitivity and SMAA under the method and its settings.
    ``formats`` are the files the user wants. ``decision_maker`` says whose options are
    ranked (:mod:`scoring.scope`); the rest of the catalog is listed as context.
    """

    title: str = DEFAULT_TITLE
    question: str = ""
    audience: str = ""
    decide_by: str = ""
    profiles: tuple[str, ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    method: str = DEFAULT_METHOD
    method_settings: tuple[tuple[str, Any], ...] = ()
    filters: Filters = field(default_factory=Filters)
    top: int = 3
    option_sets: tuple[str, ...] = ()
    robustness: bool = True
    formats: tuple[str, ...] = ("md",)
    decision_maker: str = DEFAULT_DECISION_MAKER

    def __post_init__(self) -> None:
        for name in ("profiles", "option_sets", "formats"):
            object.__setattr__(self, name, _strings(getattr(self, name)))
        weights = self.weights
        pairs = weights.items() if isinstance(weights, Mapping) else weights
        object.__setattr__(self, "weights", tuple((str(k), v) for k, v in pairs))
        if isinstance(self.filters, Mapping):
            object.__setattr__(self, "filters", Filters(**self.filters))
        object.__setattr__(
            self, "method_settings", _canonical_settings(self.method, self.method_settings)
        )

    @property
    def weight_overrides(self) -> dict[str, float]:
        return dict(self.weights)

    @property
    def settings(self) -> dict[str, Any]:
        """The non-default method settings by name (per-criterion thresholds as dicts)."""
        return {
            name: dict(value) if _is_pairs(value) else value for name, value in self.method_settings
        }

    @property
    def method_spec(self) -> MethodSpec:
        """The method with its settings; checked by :func:`build_brief`, not here."""
        spec = method_spec(self.method)
        return type(spec)(**{**spec.settings(), **self.settings})


def method_settings(spec: MethodSpec) -> dict[str, Any]:
    """A method object's settings that differ from its defaults, as ``BriefSpec`` takes them.

    What fronts pass on: an empty dict for default settings keeps a brief, its scenario and
    its hashes exactly as they are without settings.
    """
    defaults = spec_settings(spec.name)
    return {
        name: getattr(spec, name)
        for name, default in defaults.items()
        if getattr(spec, name) != default
    }


def _is_pairs(value: Any) -> bool:
    """Whether ``value`` is a per-criterion threshold as stored: a tuple of (id, number)."""
    return isinstance(value, tuple) and all(
        isinstance(pair, tuple) and len(pair) == 2 for pair in value
    )


def _canonical_settings(method: Any, settings: Any) -> tuple[tuple[str, Any], ...]:
    """Method settings as hashable pairs in the method's order, defaults dropped.

    Numbers become floats (an int, a numpy number and a float of the same value are one
    setting); mappings become (key, value) pairs sorted by key. Nothing is validated: names
    the method does not take, and odd values, are kept for :func:`build_brief` to report.
    """
    pairs = settings.items() if isinstance(settings, Mapping) else (settings or ())
    known = spec_settings(method) if isinstance(method, str) and method in names() else {}
    kept = []
    for name, value in pairs:
        value = _plain(value)
        if isinstance(value, Mapping):
            value = tuple(sorted((str(key), _plain(number)) for key, number in value.items()))
        elif str(name) in known and type(value) is not bool and value == known[str(name)]:
            continue
        kept.append((str(name), value))
    order = list(known)
    kept.sort(key=lambda pair: (order.index(pair[0]) if pair[0] in known else len(order), pair[0]))
    return tuple(kept)


def _plain(value: Any) -> Any:
    """A real number as a float (not a bool); anything else as it is."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, list):  # a YAML sequence: kept hashable, reported as a bad value
        return tuple(value)
    return value


# --- what the brief says ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileUsed:
    """A perspective the brief ranks under: whose view it models and its weights (sum 1)."""

    id: str
    name: str
    description: str
    weights: tuple[tuple[str, float], ...]
    raw_weights: tuple[tuple[str, float], ...]
    adjusted: bool  # True when the user overrode some of the profile's weights

    @property
    def weight_map(self) -> dict[str, float]:
        return dict(self.weights)


@dataclass(frozen=True)
class RankedRow:
    """One line of the ranked list."""

    rank: int
    id: str
    title: str
    document: str  # the document's display label
    document_file: str
    score: float
    low: float
    high: float
    best_rank: int
    worst_rank: int
    near_tie_with_next: bool  # score ranges overlap the next row's
    tied_with_next: bool  # totals equal the next row's exactly
    strongest: str
    weakest: str
    actor: str
    instrument: str
    kind: str
    quote: str
    provenance: str  # who is asked to act and who speaks (scoring.scope.provenance_text)
    baseline: bool  # the status quo
    below_baseline: bool  # scores below the status quo
    values: tuple[float, ...]  # 1-5 score per criterion, in criteria order
    # Per criterion: the weighted normalised score (weighted sum: these add up to the score;
    # TOPSIS: they do not) or, for PROMETHEE II, the weight times the criterion's net flow.
    contributions: tuple[float, ...]


@dataclass(frozen=True)
class CriterionScore:
    """One criterion's judgement of one recommendation, with its weight and contribution."""

    criterion_id: str
    name: str
    value: float
    low: float
    high: float
    rationale: str
    is_cost: bool
    weight: float
    contribution: float
    anchor: str  # the scale's words for the value, when it is a whole level


@dataclass(frozen=True)
class Card:
    """A recommendation detailed for decision: summary, verbatim quote, every score."""

    rank: int
    id: str
    title: str
    summary: str
    quote: str
    document: str
    document_file: str
    span: tuple[int, int] | None
    actor: str
    instrument: str
    kind: str
    provenance: str
    overtaken: str  # events since the document that make it moot or changed, or ""
    score: float
    low: float
    high: float
    best_rank: int
    worst_rank: int
    scores: tuple[CriterionScore, ...]
    perspectives: tuple[Text, ...]  # who supports it and who would object, when several profiles

    def scores_table(self) -> tuple[list[str], list[list[str]]]:
        """One row per criterion: name, score (range), weight and why; header and rows of text."""
        header = ["Criterion", "Score (range)", "Weight", "Why"]
        rows = [
            [
                s.name + (" (cost)" if s.is_cost else ""),
                level_text(s.value, s.low, s.high),
                weight_text(s.weight),
                s.rationale,
            ]
            for s in self.scores
        ]
        return header, rows


@dataclass(frozen=True)
class PerspectiveRow:
    id: str
    title: str
    ranks: tuple[int, ...]  # rank under each profile, in the order of Perspectives.profiles


@dataclass(frozen=True)
class Perspectives:
    """How the ranking differs between the chosen profiles."""

    profiles: tuple[ProfileUsed, ...]
    count: int  # recommendations ranked under each
    rows: tuple[PerspectiveRow, ...]
    summary: tuple[Text, ...]

    @property
    def intro(self) -> str:
        """The sentence before :meth:`table`."""
        return (
            f"Each perspective's first {PERSPECTIVE_TOP}, ranked under every perspective "
            f"(of {self.count}):"
        )

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Recommendations down, each profile's rank across: header and rows of text."""
        header = ["Recommendation", *(p.name for p in self.profiles)]
        return header, [[row.title, *(str(r) for r in row.ranks)] for row in self.rows]


@dataclass(frozen=True)
class CriterionInfo:
    id: str
    name: str
    question: str
    definition: str
    direction: str
    scale: tuple[tuple[int, str], ...]
    weights: tuple[float, ...]  # normalised weight under each profile used


@dataclass(frozen=True)
class SourceQuote:
    id: str
    rank: int
    title: str
    quote: str
    span: tuple[int, int] | None


@dataclass(frozen=True)
class SourceDocumentEntry:
    file: str
    label: str
    details: tuple[tuple[str, str], ...]  # (field, value) for title, author, outlet, date, type
    stance: str
    quotes: tuple[SourceQuote, ...]


@dataclass(frozen=True)
class Brief:
    """A ranked brief's whole content; every renderer lays out this and nothing else."""

    spec: BriefSpec
    title: str
    question: str
    audience: str
    decide_by: str
    generated: datetime
    method: str
    method_text: tuple[str, ...]
    settings_text: str  # the method's settings in words when they are not its defaults, or ""
    profile: ProfileUsed
    filters_text: str
    count: int  # recommendations ranked
    bottom_line: tuple[Text, ...]
    ranking: tuple[RankedRow, ...]
    list_length: int
    cards: tuple[Card, ...]
    tradeoffs: tuple[Text, ...]
    charts: tuple[Chart, ...]
    perspectives: Perspectives | None
    option_sets: OptionSetSection | None
    robustness: RobustnessSection | None
    criteria: tuple[CriterionInfo, ...]
    profiles: tuple[ProfileUsed, ...]
    sources: tuple[SourceDocumentEntry, ...]
    caveats: tuple[str, ...]
    record: Record

    @property
    def listed(self) -> tuple[RankedRow, ...]:
        """The rows shown in the body of the brief."""
        return self.ranking[: self.list_length]

    @property
    def criterion_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.criteria)

    @property
    def ranked_heading(self) -> str:
        """``Options ranked``, with ``(first 10 of 90)`` when the body lists part of it."""
        shown = len(self.listed)
        more = f" (first {shown} of {self.count})" if shown < self.count else ""
        return f"Options ranked{more}"

    @property
    def scales_pointer(self) -> str:
        """Where the criteria's definitions and scales are: ``... each scale: Annex A.``"""
        annex = self.annex("criteria").split(":")[0]
        return f"Definitions, and the words for every level of each scale: {annex}."

    def body_sections(self) -> tuple[str, ...]:
        """Keys of the memo's sections in reading order; optional ones only when present.

        Every renderer lays the brief out in this order, then :meth:`annexes`. Keys:
        ``header``, ``bottom_line``, ``cards``, ``ranked``, ``tradeoffs``, ``perspectives``,
        ``option_sets``, ``robustness``, ``method``.
        """
        optional = ("perspectives", "option_sets", "robustness")
        present = tuple(key for key in optional if getattr(self, key) is not None)
        return ("header", "bottom_line", "cards", "ranked", "tradeoffs", *present, "method")

    def annexes(self) -> tuple[tuple[str, str], ...]:
        """(key, heading) of each annex, lettered in reading order.

        Keys: ``criteria`` (definitions and scales), ``ranking`` (only when the body lists
        part of the ranking), ``sources`` and ``record``.
        """
        keys = ["criteria", "ranking", "sources", "record"]
        if len(self.ranking) <= self.list_length:
            keys.remove("ranking")
        return tuple(
            (key, f"Annex {chr(ord('A') + index)}: {ANNEX_TITLES[key]}")
            for index, key in enumerate(keys)
        )

    def annex(self, key: str) -> str:
        """The heading of one annex, e.g. ``Annex A: Criteria and their scales``."""
        return dict(self.annexes())[key]

    def ranked_table(self) -> tuple[list[str], list[list[str]]]:
        """The listed rows with their strongest and weakest criterion: header and rows of text."""
        header, rows = _ranking_table(self.listed, self.method)
        for cells, row in zip(rows, self.listed, strict=True):
            cells += [row.strongest, row.weakest]
        return [*header, "Strongest", "Weakest"], rows

    def weights_table(self) -> tuple[list[str], list[list[str]]]:
        """Criteria down: direction, weight under each profile, question; header and rows."""
        header = ["Criterion", "Direction", *(p.name for p in self.profiles), "Question"]
        rows = [
            [
                c.name,
                "cost (lower is better)" if c.direction == "cost" else "benefit",
                *(weight_text(w) for w in c.weights),
                c.question,
            ]
            for c in self.criteria
        ]
        return header, rows

    def full_ranking_table(self) -> tuple[list[str], list[list[str]]]:
        """Every ranked row (the annex): header and rows of text."""
        return _ranking_table(self.ranking, self.method)

    def performance_matrix(self) -> tuple[list[str], list[list[str]]]:
        """Criteria down, listed recommendations across (by rank): header and rows of text."""
        header = ["Criterion", *(f"#{row.rank}" for row in self.listed)]
        rows = [
            [
                criterion.name + (" (cost)" if criterion.direction == "cost" else ""),
                *(f"{row.values[index]:g}" for row in self.listed),
            ]
            for index, criterion in enumerate(self.criteria)
        ]
        return header, rows


def _ranking_table(rows: Sequence[RankedRow], method: str) -> tuple[list[str], list[list[str]]]:
    header = ["Rank", "Recommendation", "Source", f"{score_name(method)} (range)", "Rank range"]
    cells = [
        [
            str(row.rank),
            _marked_title(row),
            row.document or "none (baseline)",
            score_text(row.score, row.low, row.high, method),
            rank_range_text(row.best_rank, row.worst_rank),
        ]
        for row in rows
    ]
    return header, cells


def _marked_title(row: RankedRow) -> str:
    """The title, marked as the status quo or as scoring below it."""
    if row.baseline:
        return f"STATUS QUO: {row.title}"
    return f"{row.title} (below status quo)" if row.below_baseline else row.title


# --- building --------------------------------------------------------------------------------


def apply_overrides(catalog: Catalog, overrides: Overrides) -> Catalog:
    """A catalog whose scores are the catalog's with ``overrides`` put in their place.

    Checks the ids first (unknown ones are reported, all at once), then applies them with
    ``scoring.workspace.apply_overrides``.
    """
    if not overrides:
        return catalog
    problems = []
    for rec_id, criterion_id in overrides:
        if rec_id not in catalog.recommendation_ids:
            problems.append(
                Problem(
                    code=Code.UNKNOWN_RECOMMENDATION,
                    where="overrides",
                    key_path=f"{rec_id}.{criterion_id}",
                    expected="a recommendation of the catalog",
                    found=repr(rec_id),
                    hint="remove the override or restore the recommendation",
                )
            )
        if criterion_id not in catalog.criterion_ids:
            problems.append(
                unknown_criterion(
                    criterion_id,
                    catalog.criterion_ids,
                    where="overrides",
                    key_path=f"{rec_id}.{criterion_id}",
                    hint="remove the override or correct the criterion id",
                )
            )
    if problems:
        raise ValidationError(problems)
    return workspace.apply_overrides(catalog, overrides)


def build_brief(
    catalog: Catalog,
    spec: BriefSpec,
    *,
    profiles: Mapping[str, WeightProfile] | None = None,
    overrides: Overrides | None = None,
    interactions: Interactions | None = None,
    sets: Sequence[OptionSet] = (),
    generated: datetime | None = None,
) -> Brief:
    """Validate ``spec`` against the catalog, rank once per profile and gather the brief.

    ``catalog`` is the catalog as loaded (without the user's edits); ``overrides`` are the
    user's score edits, applied here so the record can hash catalog and edits apart.
    ``profiles`` are the profiles to choose from (default: the catalog's; fronts pass the
    bundled ones together with the user's saved ones). ``interactions`` (from
    ``scoring.option_sets.load_interactions``) and the user's saved ``sets`` are needed only
    when the spec names option sets; the built-in sets are always available. Raises
    ValidationError listing every fault of the spec at once.
    """
    available = dict(catalog.profiles if profiles is None else profiles)
    overrides = dict(overrides or {})
    known_sets = {s.id: s for s in (*builtin_sets(catalog), *sets)}
    _validate_spec(catalog, spec, available, known_sets, interactions)
    scored = scoped(apply_overrides(catalog, overrides), spec.decision_maker)
    if interactions is not None:
        interactions = interactions.among(scored.recommendation_ids)
    include = _selected_ids(scored, spec.filters)
    method = spec.method_spec
    used, rankings = _rank_profiles(scored, spec, available, method, include)
    primary, ranking = used[0], rankings[0]
    rows = _ranked_rows(scored, ranking)
    top = min(spec.top, len(rows))
    perspectives = _perspectives(scored, used, rankings) if len(used) > 1 else None
    cards = tuple(_card(scored, row, primary, used, rankings) for row in rows[:top])
    charts = [
        contributions_chart(
            rows[: max(top, min(LIST_LENGTH, len(rows)))],
            scored,
            spec.method,
            ranking.weights.tolist(),
        )
    ]
    if perspectives is not None:
        charts.append(profile_ranks_chart(perspectives))
    generated = generated or datetime.now(UTC).replace(microsecond=0)
    originals = [available[profile.id] for profile in used]
    chosen_sets = [known_sets[set_id] for set_id in spec.option_sets]
    set_section = None
    if chosen_sets:
        assert interactions is not None  # checked by _validate_spec
        as_profiles = [
            WeightProfile(
                id=p.id, name=p.name, description=p.description, weights=dict(p.raw_weights)
            )
            for p in used
        ]
        set_section = option_set_section(
            scored, interactions, chosen_sets, dict(primary.raw_weights), as_profiles, spec.method
        )
    robustness = (
        robustness_section(
            scored, dict(primary.raw_weights), primary.name, include, ranking.positions, method
        )
        if spec.robustness and len(rows) > 1
        else None
    )
    record = make_record(
        catalog,
        scored,
        spec,
        originals,
        used,
        overrides,
        ranking,
        generated,
        sets=[s for s in chosen_sets if s.origin != "builtin"],
        interactions=interactions if chosen_sets else None,
    )
    return Brief(
        spec=spec,
        title=spec.title.strip() or DEFAULT_TITLE,
        question=spec.question.strip() or DEFAULT_QUESTION,
        audience=spec.audience.strip(),
        decide_by=spec.decide_by.strip(),
        generated=generated,
        method=spec.method,
        method_text=method_text(spec.method, len(rows), ranking.settings),
        settings_text=settings_text(spec.method, ranking.settings) if spec.method_settings else "",
        profile=primary,
        filters_text=_filters_text(scored, spec.filters),
        count=len(rows),
        bottom_line=_bottom_line(rows, cards, primary, perspectives, robustness, spec.method),
        ranking=tuple(rows),
        list_length=max(top, min(LIST_LENGTH, len(rows))),
        cards=cards,
        tradeoffs=_tradeoffs(rows, scored),
        charts=tuple(charts),
        perspectives=perspectives,
        option_sets=set_section,
        robustness=robustness,
        criteria=_criteria(scored, used),
        profiles=tuple(used),
        sources=_sources(scored, rows[: max(top, min(LIST_LENGTH, len(rows)))]),
        caveats=_scope_caveats(scored, rows)
        + _caveats(rows, scored.criteria, primary, overrides, spec),
        record=record,
    )


def _validate_spec(
    catalog: Catalog,
    spec: BriefSpec,
    available: Mapping[str, WeightProfile],
    known_sets: Mapping[str, OptionSet],
    interactions: Interactions | None,
) -> None:
    problems: list[Problem] = []

    def bad(code: Code, key: str, expected: str, found: str, hint: str) -> None:
        problems.append(
            Problem(
                code=code, where="brief", key_path=key, expected=expected, found=found, hint=hint
            )
        )

    if not spec.title.strip():
        bad(Code.BAD_VALUE, "title", "a title", "an empty title", "give the brief a title")
    if isinstance(spec.top, bool) or not isinstance(spec.top, int) or spec.top < 1:
        bad(Code.BAD_VALUE, "top", "a whole number >= 1", repr(spec.top), "detail at least one")
    if not isinstance(spec.method, str) or spec.method not in names():
        others = [name for name in names() if name != DEFAULT_METHOD]
        listed = ", ".join(others[:-1]) + (" or " if len(others) > 1 else "") + others[-1]
        bad(
            Code.UNKNOWN_METHOD,
            "method",
            f"one of {list(names())}",
            repr(spec.method),
            f"use {DEFAULT_METHOD} (the standard), {listed} (recscore brief --method lists them)",
        )
    for fmt in spec.formats:
        if fmt not in FORMATS:
            bad(Code.BAD_VALUE, "formats", f"one of {list(FORMATS)}", repr(fmt), "pick a format")
    for index, profile_id in enumerate(spec.profiles or (catalog.default_profile,)):
        if profile_id not in available:
            bad(
                Code.UNKNOWN_PROFILE,
                f"profiles[{index}]",
                f"one of {sorted(available)}",
                repr(profile_id),
                "pick an existing profile (recscore profiles lists them)",
            )
    if len(set(spec.profiles)) != len(spec.profiles):
        bad(Code.DUPLICATE_ID, "profiles", "each profile once", repr(list(spec.profiles)), "")
    problems += _method_setting_problems(catalog, spec)
    problems += _filter_problems(catalog, spec.filters)
    problems += _option_set_problems(spec.option_sets, known_sets, interactions)
    if problems:
        raise ValidationError(problems)
    if spec.weights:
        base = available[(spec.profiles or (catalog.default_profile,))[0]].weights
        normalized_weights({**base, **spec.weight_overrides}, catalog.criterion_ids, "weights")


def _method_setting_problems(catalog: Catalog, spec: BriefSpec) -> list[Problem]:
    """Faults of ``spec.method_settings``, keyed ``method_settings.<name>``.

    The settings are checked by the engine's :func:`scoring.methods.check_method`, whose
    problems are re-keyed into the brief (a per-criterion threshold keeps its criterion:
    ``method_settings.p.leverage``).
    """
    if not spec.method_settings or spec.method not in names():
        return []  # nothing to check, or the method itself is reported
    takes = list(spec_settings(spec.method))
    unknown = [
        Problem(
            code=Code.UNKNOWN_KEY,
            where="brief",
            key_path=f"method_settings.{name}",
            expected=f"one of {takes}"
            if takes
            else f"no settings ({method_spec(spec.method).display_name} has none)",
            found=repr(name),
            hint=settings_hint(),
        )
        for name, _ in spec.method_settings
        if name not in takes
    ]
    if unknown:
        return unknown
    try:
        check_method(spec.method_spec, catalog.criterion_ids)
    except ValidationError as exc:
        settings = spec.settings
        problems = []
        for problem in exc.problems:
            # The engine names a setting either as the key ("topsis: anchors") or, for a
            # threshold, in the place with the criterion as the key ("promethee_ii.p: risk").
            threshold = problem.where.partition(".")[2]
            key = f"method_settings.{threshold or problem.key_path}"
            if threshold and isinstance(settings.get(threshold), Mapping):
                key += f".{problem.key_path}"
            problems.append(
                Problem(
                    code=problem.code,
                    where="brief",
                    key_path=key,
                    expected=problem.expected,
                    found=problem.found,
                    hint=problem.hint or settings_hint(),
                )
            )
        return list(dict.fromkeys(problems))  # one number for every criterion: said once
    return []


def _option_set_problems(
    option_sets: Sequence[str],
    known_sets: Mapping[str, OptionSet],
    interactions: Interactions | None,
) -> list[Problem]:
    problems = [
        Problem(
            code=Code.UNKNOWN_SET,
            where="brief",
            key_path=f"option_sets[{index}]",
            expected="a built-in or saved option set (recscore sets lists them)",
            found=repr(set_id),
            hint="pick an existing set",
        )
        for index, set_id in enumerate(option_sets)
        if set_id not in known_sets
    ]
    if len(option_sets) > MAX_COMPARED or len(set(option_sets)) != len(option_sets):
        problems.append(
            Problem(
                code=Code.BAD_VALUE,
                where="brief",
                key_path="option_sets",
                expected=f"one set to evaluate, or 2 to {MAX_COMPARED} different sets to compare",
                found=repr(list(option_sets)),
                hint="choose fewer sets, each once",
            )
        )
    if option_sets and interactions is None:
        problems.append(
            Problem(
                code=Code.MISSING_KEY,
                where="brief",
                key_path="interactions",
                expected="the catalog's interactions (scoring.option_sets.load_interactions)",
                found="none passed",
                hint="pass interactions= when the brief compares option sets",
            )
        )
    return problems


def _filter_problems(catalog: Catalog, filters: Filters) -> list[Problem]:
    known = {
        "documents": sorted(
            {doc.name for doc in catalog.documents}
            | {doc.name.removesuffix(".txt") for doc in catalog.documents}
        ),
        "actors": sorted({rec.actor for rec in catalog.recommendations}),
        "instruments": sorted(catalog.instruments),
        "kinds": list(KINDS),
    }
    problems = []
    for name, allowed in known.items():
        for index, value in enumerate(getattr(filters, name)):
            if value not in allowed:
                problems.append(
                    Problem(
                        code=Code.BAD_VALUE,
                        where="brief",
                        key_path=f"filters.{name}[{index}]",
                        expected=f"one of {allowed}"
                        if len(allowed) <= 12
                        else f"one of the {name} listed by recscore recommendations",
                        found=repr(value),
                        hint=f"correct the {name[:-1]} or drop the filter",
                    )
                )
    if problems:
        return problems
    if not _selected_ids(catalog, filters) and not filters.is_empty:
        problems.append(
            Problem(
                code=Code.EMPTY_SELECTION,
                where="brief",
                key_path="filters",
                expected="filters that leave at least one recommendation",
                found="no recommendation passes all of " + _describe_filters(filters),
                hint="loosen a filter",
            )
        )
    return problems


def _selected_ids(catalog: Catalog, filters: Filters) -> tuple[str, ...] | None:
    """Ids passing every non-empty filter (catalog order); None when nothing is filtered."""
    if filters.is_empty:
        return None
    documents = {d.removesuffix(".txt") for d in filters.documents}
    return with_baseline(
        catalog,
        tuple(
            rec.id
            for rec in catalog.recommendations
            if not rec.baseline
            and (not documents or rec.document.removesuffix(".txt") in documents)
            and (not filters.actors or rec.actor in filters.actors)
            and (not filters.instruments or rec.instrument in filters.instruments)
            and (not filters.kinds or rec.kind in filters.kinds)
        ),
    )


def _describe_filters(filters: Filters) -> str:
    parts = [f"{name} {', '.join(values)}" for name, values in filters.as_dict().items() if values]
    return "; ".join(parts)


def _filters_text(catalog: Catalog, filters: Filters) -> str:
    if filters.is_empty:
        return "All recommendations in the catalog."
    labels = {doc.name.removesuffix(".txt"): doc.meta.label for doc in catalog.documents}
    parts = []
    if filters.documents:
        names = [labels.get(d.removesuffix(".txt"), d) for d in filters.documents]
        parts.append("from " + "; ".join(names))
    if filters.instruments:
        names = [catalog.instruments.get(i, i) for i in filters.instruments]
        parts.append("using " + ", ".join(names).lower())
    if filters.kinds:
        parts.append(" or ".join(filters.kinds) + " recommendations only")
    if filters.actors:
        parts.append("addressed to " + "; ".join(filters.actors))
    return "Only recommendations " + ", ".join(parts) + "."


def _rank_profiles(
    catalog: Catalog,
    spec: BriefSpec,
    available: Mapping[str, WeightProfile],
    method: MethodSpec,
    include: Sequence[str] | None,
) -> tuple[list[ProfileUsed], list[Ranking]]:
    """Rank once under each chosen profile (the first with the spec's weight edits).

    A profile's normalised weights are its ranking's: ``rank_by`` validates and normalises
    them once.
    """
    used, rankings = [], []
    for index, profile_id in enumerate(spec.profiles or (catalog.default_profile,)):
        profile = available[profile_id]
        raw = dict(profile.weights)
        adjusted = index == 0 and bool(spec.weights)
        if adjusted:
            raw.update(spec.weight_overrides)
        ranking = rank_by(catalog, raw, method, include, f"profile {profile_id}")
        used.append(
            ProfileUsed(
                id=profile.id,
                name=profile.name,
                description=profile.description,
                weights=tuple(zip(catalog.criterion_ids, ranking.weights.tolist(), strict=True)),
                raw_weights=tuple((cid, float(raw.get(cid, 0.0))) for cid in catalog.criterion_ids),
                adjusted=adjusted,
            )
        )
        rankings.append(ranking)
    return used, rankings


def _ranked_rows(catalog: Catalog, ranking: Ranking) -> list[RankedRow]:
    frame = ranking_frame(catalog, ranking)
    labels = {doc.name: doc.meta.label for doc in catalog.documents}
    rows = []
    contributions = ranking.contributions
    totals = [round(float(total), TIE_DECIMALS) for total in ranking.totals]
    for index, record in enumerate(frame.to_dict("records")):
        rec = catalog.recommendation(record["id"])
        rows.append(
            RankedRow(
                rank=int(record["rank"]),
                id=rec.id,
                title=rec.title,
                document=labels.get(rec.document, rec.document),
                document_file=rec.document,
                score=float(record["score"]),
                low=float(record["low"]),
                high=float(record["high"]),
                best_rank=int(record["best_rank"]),
                worst_rank=int(record["worst_rank"]),
                near_tie_with_next=bool(record["near_tie_with_next"]),
                tied_with_next=index + 1 < len(totals) and totals[index] == totals[index + 1],
                strongest=str(record["strongest"]),
                weakest=str(record["weakest"]),
                actor=rec.actor,
                instrument=catalog.instruments.get(rec.instrument, rec.instrument),
                kind=rec.kind,
                quote=rec.quote,
                provenance=provenance_text(rec),
                baseline=rec.baseline,
                below_baseline=bool(record["below_baseline"]),
                values=tuple(float(rec.scores[cid].value) for cid in catalog.criterion_ids),
                contributions=tuple(float(x) for x in contributions[index]),
            )
        )
    return rows


def _anchor(criterion: Criterion, value: float) -> str:
    return criterion.scale.get(int(value), "") if float(value).is_integer() else ""


def _criterion_scores(
    catalog: Catalog, row: RankedRow, profile: ProfileUsed
) -> list[CriterionScore]:
    rec = catalog.recommendation(row.id)
    weights = profile.weight_map
    return [
        CriterionScore(
            criterion_id=criterion.id,
            name=criterion.name,
            value=float(rec.scores[criterion.id].value),
            low=float(rec.scores[criterion.id].low),
            high=float(rec.scores[criterion.id].high),
            rationale=rec.scores[criterion.id].rationale,
            is_cost=criterion.is_cost,
            weight=weights[criterion.id],
            contribution=row.contributions[index],
            anchor=_anchor(criterion, rec.scores[criterion.id].value),
        )
        for index, criterion in enumerate(catalog.criteria)
    ]


def _card(
    catalog: Catalog,
    row: RankedRow,
    primary: ProfileUsed,
    used: Sequence[ProfileUsed],
    rankings: Sequence[Ranking],
) -> Card:
    rec = catalog.recommendation(row.id)
    return Card(
        rank=row.rank,
        id=row.id,
        title=row.title,
        summary=rec.summary,
        quote=rec.quote,
        document=row.document,
        document_file=row.document_file,
        span=rec.span,
        actor=rec.actor,
        instrument=row.instrument,
        kind=rec.kind,
        provenance=row.provenance,
        overtaken=rec.overtaken,
        score=row.score,
        low=row.low,
        high=row.high,
        best_rank=row.best_rank,
        worst_rank=row.worst_rank,
        scores=tuple(_criterion_scores(catalog, row, primary)),
        perspectives=_card_perspectives(row.id, used, rankings) if len(used) > 1 else (),
    )


def _support_limit(count: int) -> int:
    """A perspective supports what it ranks in its top tenth (at least its first 3)."""
    return max(3, math.ceil(count / 10))


def _card_perspectives(
    rec_id: str, used: Sequence[ProfileUsed], rankings: Sequence[Ranking]
) -> tuple[Text, ...]:
    count = len(rankings[0])
    limit = _support_limit(count)
    support, neutral, objection = [], [], []
    for profile, ranking in zip(used, rankings, strict=True):
        position = ranking.positions[rec_id]
        entry = f"{profile.name} ({position} of {count})"
        if position <= limit:
            support.append(entry)
        elif position > count / 2:
            objection.append(entry)
        else:
            neutral.append(entry)
    lines: list[Text] = []
    if support:
        lines.append((Run("Supported by: ", True), Run("; ".join(support) + ".")))
    if neutral:
        lines.append((Run("Lukewarm: ", True), Run("; ".join(neutral) + ".")))
    if objection:
        lines.append(
            (Run("Likely to object: ", True), Run("; ".join(objection) + " — bottom half."))
        )
    return tuple(lines)


def _level(value: float) -> str:
    return f"{value:g} of {SCALE_MAX}"


def _biggest_tradeoff(card: Card) -> CriterionScore:
    """The criterion on which the recommendation loses the most weighted score."""
    return max(card.scores, key=lambda s: s.weight - s.contribution)


def _tied_first(rows: Sequence[RankedRow]) -> int:
    """How many recommendations share the first total exactly (to the engine's precision)."""
    count = 1
    while count < len(rows) and rows[count - 1].tied_with_next:
        count += 1
    return count


def _bottom_line(
    rows: Sequence[RankedRow],
    cards: Sequence[Card],
    primary: ProfileUsed,
    perspectives: Perspectives | None,
    robustness: RobustnessSection | None,
    method: str,
) -> tuple[Text, ...]:
    """At most four lines: the recommendation, its biggest trade-off, the runner-up, and
    either how the perspectives split or how firm first place is."""
    first = cards[0]
    tied = _tied_first(rows)
    score = (
        f"{number_text(first.score, method)} (range {range_text(first.low, first.high, method)})"
    )
    # The weighted sum is the standard and reads as before; another method is named, with
    # what its number is (a closeness or a net flow, not a score out of 1).
    weighting = f"the {primary.name} weighting"
    if method != DEFAULT_METHOD:
        weighting += f", ranked by {method_spec(method).display_name}"
    what = score_name(method).lower()
    if tied > 1:
        opening = (
            Run("Recommend "),
            Run(first.title, True),
            Run(
                f", one of {tied} tied first at {score} under {weighting}; "
                "within the tie the order is by id, not merit."
            ),
        )
    else:
        opening = (
            Run("Recommend "),
            Run(first.title, True),
            Run(f": first of {len(rows)} under {weighting}, {what} {score}."),
        )
    lines: list[Text] = [opening]
    give_up = _biggest_tradeoff(first)
    direction = " (5 = worst)" if give_up.is_cost else ""
    anchor = f": “{give_up.anchor.rstrip('.')}”" if give_up.anchor else ""
    lines.append(
        (
            Run("Biggest trade-off: "),
            Run(give_up.name, True),
            Run(f" at {_level(give_up.value)}{direction}{anchor}."),
        )
    )
    if tied > 1:
        others = rows[1:tied]
        named: list[Run] = [Run("Tied with it: ")]
        for index, row in enumerate(others[:2]):
            named += [Run("; " if index else ""), Run(row.title, True)]
        rest = len(others) - 2
        named.append(Run(f"; and {rest} more." if rest > 0 else "."))
        lines.append(tuple(named))
    elif len(rows) > 1:
        second = rows[1]
        if rows[0].near_tie_with_next:
            verdict = "the score ranges overlap, so the order of the two is not settled"
        else:
            verdict = "its range does not overlap the first's, so the order holds"
        lines.append(
            (
                Run("Runner-up: "),
                Run(second.title, True),
                Run(f" at {number_text(second.score, method)}; {verdict}."),
            )
        )
    ranks = f"its score ranges allow ranks {first.best_rank} to {first.worst_rank} of {len(rows)}"
    if perspectives is not None:
        lines.append(perspectives.summary[0])
    elif robustness is not None:
        share = robustness.first_share
        # SMAA may rank by another method than the brief (see robustness_section): say so.
        by = "" if robustness.smaa_method == method else " when ranked by weighted sum"
        lines.append(
            (
                Run("How firm: "),
                Run(
                    f"first in {share * 100:.0f}% of plausible weightings and score draws{by} "
                    f"({likelihood_words(share)}); {ranks}."
                ),
            )
        )
    elif len(rows) > 1:
        lines.append((Run("How firm: "), Run(f"{ranks}.")))
    return tuple(lines[:4])


def _perspectives(
    catalog: Catalog, used: Sequence[ProfileUsed], rankings: Sequence[Ranking]
) -> Perspectives:
    count = len(rankings[0])
    ids: list[str] = []
    for ranking in rankings:
        ids += [rec_id for rec_id in ranking.ids[:PERSPECTIVE_TOP].tolist() if rec_id not in ids]
    primary_positions = rankings[0].positions
    ids.sort(key=lambda rec_id: primary_positions[rec_id])
    rows = tuple(
        PerspectiveRow(
            id=rec_id,
            title=catalog.recommendation(rec_id).title,
            ranks=tuple(ranking.positions[rec_id] for ranking in rankings),
        )
        for rec_id in ids
    )
    first_id = rankings[0].ids[0]
    first_title = catalog.recommendation(first_id).title
    ranks_of_first = [
        (ranking.positions[first_id], profile)
        for profile, ranking in zip(used, rankings, strict=True)
    ]
    worst_position, worst_profile = max(ranks_of_first, key=lambda item: item[0])
    summary: list[Text] = []
    if worst_position <= _support_limit(count):
        summary.append(
            (
                Run("Perspectives agree: "),
                Run(f"all {len(used)} profiles rank it in their top {_support_limit(count)}."),
            )
        )
    else:
        their_first = catalog.recommendation(rankings[used.index(worst_profile)].ids[0]).title
        summary.append(
            (
                Run("Perspectives split: "),
                Run(
                    f"the {worst_profile.name} view ranks it {worst_position} of {count} "
                    "and would rather take "
                ),
                Run(their_first, True),
                Run("."),
            )
        )
    for profile, ranking in zip(used, rankings, strict=True):
        rec_id = ranking.ids[0]
        title = catalog.recommendation(rec_id).title
        position = ranking.positions[first_id]
        summary.append(
            (
                Run(f"{profile.name}: ", True),
                Run("first choice "),
                Run(title),
                Run(
                    f"; ranks {first_title if rec_id != first_id else 'it'} {position} of {count}."
                    if rec_id != first_id
                    else "."
                ),
            )
        )
    return Perspectives(profiles=tuple(used), count=count, rows=rows, summary=tuple(summary))


def _tradeoffs(rows: Sequence[RankedRow], catalog: Catalog) -> tuple[Text, ...]:
    if len(rows) < 2:
        return ()
    first, second = rows[0], rows[1]
    gains: list[str] = []
    losses: list[str] = []
    for index, criterion in enumerate(catalog.criteria):
        a, b = first.values[index], second.values[index]
        if a == b:
            continue
        better = (a < b) if criterion.is_cost else (a > b)
        entry = f"{criterion.name} ({a:g} against {b:g})"
        (gains if better else losses).append(entry)
    lines: list[Text] = [
        (
            Run("Against the runner-up, "),
            Run(first.title, True),
            Run(" gives up " + ("; ".join(losses) if losses else "nothing on any criterion") + "."),
        ),
        (Run("It gains " + ("; ".join(gains) if gains else "nothing on any criterion") + "."),),
    ]
    return tuple(lines)


def _criteria(catalog: Catalog, used: Sequence[ProfileUsed]) -> tuple[CriterionInfo, ...]:
    return tuple(
        CriterionInfo(
            id=c.id,
            name=c.name,
            question=c.question,
            definition=c.definition,
            direction=c.direction,
            scale=tuple(sorted(c.scale.items())),
            weights=tuple(profile.weight_map[c.id] for profile in used),
        )
        for c in catalog.criteria
    )


def _sources(catalog: Catalog, rows: Sequence[RankedRow]) -> tuple[SourceDocumentEntry, ...]:
    entries = []
    for document in catalog.documents:
        meta = document.meta
        quotes = tuple(
            SourceQuote(
                id=row.id,
                rank=row.rank,
                title=row.title,
                quote=row.quote,
                span=catalog.recommendation(row.id).span,
            )
            for row in rows
            if row.document_file == document.name
        )
        if not quotes:
            continue
        details = tuple(
            (name, value)
            for name, value in (
                ("Title", meta.title),
                ("Author", meta.author),
                ("Outlet", meta.outlet),
                ("Date", date_text(document)),
                ("Type", meta.doc_type),
            )
            if value and value != "unknown"
        )
        entries.append(
            SourceDocumentEntry(
                file=document.name,
                label=meta.label,
                details=details,
                stance=meta.stance,
                quotes=quotes,
            )
        )
    return tuple(entries)


def _caveats(
    rows: Sequence[RankedRow],
    criteria: Sequence[Criterion],
    primary: ProfileUsed,
    overrides: Overrides,
    spec: BriefSpec,
) -> tuple[str, ...]:
    caveats = []
    listed = rows[:LIST_LENGTH]
    groups, start = [], 0
    for index, row in enumerate(listed):
        if not row.tied_with_next or index == len(listed) - 1:
            if index > start:
                score = number_text(listed[start].score, spec.method)
                groups.append(f"ranks {start + 1}–{index + 1} at {score}")
            start = index + 1
    if groups:
        caveats.append(
            "Exact ties: "
            + "; ".join(groups)
            + ". Within a tie the order is by recommendation id, not merit."
        )
    overlaps = sum(row.near_tie_with_next for row in listed[:-1])
    if overlaps:
        caveats.append(
            f"In {overlaps} of the first {len(listed) - 1} pairs of neighbours the score ranges "
            "overlap: read the order as ranks with ranges (the rank-range column), not as a "
            "strict sequence."
        )
    names = {c.id: c.name for c in criteria}
    ignored = [names[cid] for cid, weight in primary.weights if weight == 0]
    if ignored:
        caveats.append(f"Weighted 0 and so ignored under {primary.name}: {', '.join(ignored)}.")
    if primary.adjusted:
        caveats.append(
            f"The {primary.name} weights were adjusted for this brief; the record lists them."
        )
    if overrides:
        caveats.append(
            f"{len(overrides)} score{'s' if len(overrides) != 1 else ''} differ from the "
            "catalog's (user edits); the record lists them."
        )
    if not spec.filters.is_empty:
        caveats.append("Filters apply: the ranking covers a selection, not the whole catalog.")
    return tuple(caveats)


def _scope_caveats(catalog: Catalog, rows: Sequence[RankedRow]) -> tuple[str, ...]:
    """What the ranking leaves out as context, where the status quo stands, what is dated."""
    caveats = []
    counts = role_counts(catalog)
    context = [
        f"{counts[role]} {role_phrase(role)}"
        for role in ("others_asked", "beijing_asks")
        if counts[role]
    ]
    if context:
        caveats.append(
            f"Only options open to {DECISION_MAKERS[catalog.scope]} are ranked; kept as "
            f"context, not ranked: {', '.join(context)}."
        )
    baseline = next((row for row in rows if row.baseline), None)
    if baseline is not None:
        below = sum(row.below_baseline for row in rows)
        caveats.append(
            f"The status quo ranks {baseline.rank} of {len(rows)}; {below} option"
            f"{'s' if below != 1 else ''} score below it."
        )
    overtaken = [rec.title for rec in catalog.recommendations if rec.overtaken]
    if overtaken:
        caveats.append(
            f"Overtaken by events as of {catalog.assessed_as_of} (see their cards or the "
            f"catalog): {'; '.join(overtaken)}."
        )
    return tuple(caveats)
