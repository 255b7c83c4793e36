"""What the user asks a brief for: :class:`BriefSpec` and its :class:`Filters`, canonical."""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from scoring.analysis import select_recommendations
from scoring.methods import (
    DEFAULT_METHOD,
    MethodSpec,
    method_spec,
    names,
    registry,
    spec_settings,
)
from scoring.model import Catalog, Score
from scoring.scope import DEFAULT_DECISION_MAKER

__all__ = [
    "DEFAULT_QUESTION",
    "DEFAULT_TITLE",
    "FORMATS",
    "KINDS",
    "METHODS",
    "PAPERS",
    "BriefSpec",
    "Filters",
    "Overrides",
    "describe_filters",
    "filters_text",
    "method_settings",
    "selected_ids",
    "string_tuple",
]

FORMATS = ("md", "html", "docx", "pdf", "csv", "xlsx")
# Paper for the PDF and Word files; the memo fits two pages on either.
PAPERS = ("letter", "a4")


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

Overrides = Mapping[tuple[str, str], Score]


def string_tuple(values: Any) -> tuple[str, ...]:
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
            object.__setattr__(self, name, string_tuple(getattr(self, name)))

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
    ``formats`` are the files the user wants. The memo's header is the user's: ``audience``
    (To), ``sender`` (From), ``subject`` (default: the title), ``date`` (default: the day it
    is generated), ``classification`` (a classification or handling line) and ``decide_by``.
    ``paper`` is ``letter`` or ``a4``. ``decision_maker`` says whose options are ranked
    (:mod:`scoring.scope`); the rest of the catalog is listed as context.
    """

    title: str = DEFAULT_TITLE
    question: str = ""
    audience: str = ""
    decide_by: str = ""
    sender: str = ""
    subject: str = ""
    date: str = ""
    classification: str = ""
    paper: str = "letter"
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
            object.__setattr__(self, name, string_tuple(getattr(self, name)))
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


def selected_ids(catalog: Catalog, filters: Filters) -> tuple[str, ...] | None:
    """Ids passing every non-empty filter (catalog order); None when nothing is filtered."""
    return select_recommendations(
        catalog, filters.documents, filters.actors, filters.instruments, filters.kinds
    )


def describe_filters(filters: Filters) -> str:
    parts = [f"{name} {', '.join(values)}" for name, values in filters.as_dict().items() if values]
    return "; ".join(parts)


def filters_text(catalog: Catalog, filters: Filters) -> str:
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
