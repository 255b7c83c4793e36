"""What every aggregation method provides: the :class:`Method` protocol and its parts.

A method is a frozen dataclass whose fields are its settings. Its class attributes say how
fronts and briefs name it, and its kernels do the arithmetic:

- :meth:`Method.rank` ranks validated weights over chosen catalog rows (behind
  :func:`scoring.methods.rank_by`);
- :meth:`Method.prepare` binds the method to a catalog's rows and returns a :class:`Kernel`:
  a clean-array kernel (:meth:`Kernel.scores`) and the batched form SMAA applies to chunks
  of samples (:meth:`Kernel.parts`, :meth:`Kernel.factors`, :meth:`Kernel.combine`).

Adding a method is one module with one such class and one ``register`` line in
``scoring/methods/__init__.py`` (README, "Adding a method").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, runtime_checkable

import numpy as np

from scoring.errors import Code, InputError

if TYPE_CHECKING:
    from scoring.methods.ranking import Ranking
    from scoring.model import Catalog

__all__ = [
    "NORMALISED_WORDS",
    "RANK_RANGE_WORDS",
    "Kernel",
    "Method",
    "MethodBase",
    "Setting",
]

# Sentences several methods' explanations share (briefs; kept to the PDF font's characters).
NORMALISED_WORDS = (
    "Each 1–5 score is mapped onto 0–1 on the scale's fixed ends (1 becomes 0 and 5 "
    "becomes 1), with cost criteria reversed"
)
# The numbers are scoring.robustness.RANK_PERCENTILES and NEAR_TIE (a test keeps them equal;
# importing them here would make the methods depend on the robustness tools).
RANK_RANGE_WORDS = (
    "that range is each score's reach, not a likelihood. How settled a place is comes from "
    "500 draws (fewer for catalogs of thousands), each score from a triangular distribution "
    "peaking at its recorded value and each weight within ±10% of its value: the rank "
    "interval runs from the 5th to the 95th percentile of the rank over the draws, and two "
    "neighbours are a near-tie when the upper one ranks above the lower in between 40% and "
    "60% of the draws."
)


@dataclass(frozen=True)
class Setting:
    """One setting of a method: its default, its allowed values and how fronts ask for it.

    ``choices`` empty means a number (thresholds may also be a mapping per criterion id).
    ``help`` is the CLI's help line (the option is ``--<name>``); ``label``, ``labels``
    (one per choice), ``widget`` and ``widget_help`` are the dashboard's; ``state_key`` is
    the session key the dashboard keeps it under, shared by every page.
    """

    name: str
    default: Any
    help: str
    state_key: str
    choices: tuple[str, ...] = ()
    label: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    widget: Literal["radio", "select", "number"] = "number"
    widget_help: str = ""
    hint: str = ""  # the fix an error about it suggests
    # A number's input range and step in the dashboard (thresholds: 1-5 scale points).
    low: float = 0.0
    high: float = 4.0
    step: float = 0.5

    @property
    def option(self) -> str:
        """The CLI option that sets it."""
        return f"--{self.name}"

    def parse(self, value: Any) -> Any:
        """``value`` as the setting's type (a number from a link or form); raises ValueError."""
        return value if self.choices else float(value)


class Kernel:
    """A method bound to catalog rows, with settings resolved: its clean-array kernels.

    The default is a method whose totals are linear in the weights (``normalized @ w``).
    Batched totals are ``combine([part @ factors(w) for part in parts(normalized)])``, so
    SMAA multiplies each chunk of samples in one matrix product per part; :attr:`fixed`
    holds the parts of the rows' own scores (used when scores are not drawn).
    """

    weight: int = 1  # how many (samples x n x m) arrays a chunk holds at once

    def chunk_weight(self, drawn: bool) -> int:
        """Arrays of a chunk's size held at once, with scores drawn or fixed (for chunking)."""
        return self.weight

    def __init__(self, matrix: np.ndarray) -> None:
        self.matrix = matrix  # the rows' normalised scores (n x m)

    @cached_property
    def fixed(self) -> tuple[np.ndarray, ...]:
        """The parts of the rows' own scores (n x m each)."""
        return self.parts(self.matrix)

    def scores(self, normalized: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Totals (n) of one normalised matrix (n x m, clean) under weights summing to 1."""
        return self.combine([part @ self.factors(weights) for part in self.parts(normalized)])

    def parts(self, normalized: np.ndarray) -> tuple[np.ndarray, ...]:
        """The matrices (... x n x m) whose products with :meth:`factors` give the totals."""
        return (normalized,)

    def factors(self, weights: np.ndarray) -> np.ndarray:
        """What multiplies the parts: the weights (... x m) themselves by default."""
        return weights

    def combine(self, products: list[np.ndarray]) -> np.ndarray:
        """Totals from the parts' products with the factors."""
        return products[0]


@runtime_checkable
class Method(Protocol):
    """An aggregation method. Instances are frozen; their fields are the settings."""

    name: ClassVar[str]  # the id in files, links and ``--method``
    display_name: ClassVar[str]  # "TOPSIS", "Weighted sum": a label or a sentence's start
    inline_name: ClassVar[str]  # "weighted sum": the name inside a sentence
    score_name: ClassVar[str]  # what a total is called: "Score", "Closeness", "Net flow"
    score_range: ClassVar[tuple[float, float]]  # where totals can lie, for axes and bars
    additive: ClassVar[bool]  # contributions add up to the total (charts stack them)
    linear_in_weights: ClassVar[bool]  # totals = matrix @ w: exact sensitivity
    sorts_per_draw: ClassVar[bool]  # drawn scores cost a sort each: SMAA caps the work
    description: ClassVar[str]  # the brief's "Method: ..." line
    summary: ClassVar[str]  # one line for the method picker's help
    explanation: ClassVar[str]  # one paragraph: what it does and what its settings mean
    axis_title: ClassVar[str]  # a chart axis for its totals
    axis_short: ClassVar[str]
    chart_caption: ClassVar[str]  # how to read the contributions chart
    sensitivity_note: ClassVar[str]  # how exact one-way sensitivity is under it

    @classmethod
    def settings_schema(cls) -> tuple[Setting, ...]: ...

    def settings(self) -> dict[str, Any]: ...

    def check(self, criterion_ids: Sequence[str]) -> None: ...

    def prepare(self, catalog: Catalog, rows: np.ndarray) -> Kernel: ...

    def rank(self, catalog: Catalog, weights: np.ndarray, rows: np.ndarray) -> Ranking: ...

    def settings_text(self) -> str: ...

    def caption(self) -> str: ...

    def paragraphs(self) -> tuple[str, ...]: ...


class MethodBase:
    """Shared behaviour of the built-in methods (dataclasses): settings, choice checks."""

    name: ClassVar[str]
    display_name: ClassVar[str]
    score_range: ClassVar[tuple[float, float]] = (0.0, 1.0)
    additive: ClassVar[bool] = True
    linear_in_weights: ClassVar[bool] = True
    sorts_per_draw: ClassVar[bool] = False
    description: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    explanation: ClassVar[str] = ""
    chart_caption: ClassVar[str] = ""

    @classmethod
    def settings_schema(cls) -> tuple[Setting, ...]:
        return ()

    def settings(self) -> dict[str, Any]:
        """The settings by name (as :attr:`Ranking.settings` carries them)."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    def check(self, criterion_ids: Sequence[str]) -> None:
        """Raise naming the first setting outside its choices (numbers: see subclasses)."""
        for setting in self.settings_schema():
            value = getattr(self, setting.name)
            if setting.choices and value not in setting.choices:
                raise InputError(
                    Code.BAD_VALUE,
                    self.name,
                    setting.name,
                    _choices_text(setting.choices),
                    repr(value),
                    setting.hint or f"default: {setting.default}",
                )

    def settings_text(self) -> str:
        return ""

    def caption(self) -> str:
        return self.description + "."


def _choices_text(choices: tuple[str, ...]) -> str:
    if len(choices) == 2:
        return f"'{choices[0]}' or '{choices[1]}'"
    return f"one of {list(choices)}"
