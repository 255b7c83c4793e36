"""PROMETHEE II (Brans): every pair compared criterion by criterion; the net outranking flow.

PROMETHEE II compares every pair of recommendations criterion by criterion on the raw 1-5
scale (cost criteria reversed). The default preference function is *linear* (pymcdm's
``vshape_2``, Brans' type V) with indifference threshold ``q = 0`` and preference threshold
``p = 2`` scale points: a one-level difference is half a preference, two or more levels a
full one. Usual, U-shape, V-shape and level functions are available too. The score is the net
flow in -1..1; it equals the weighted sum of the weight-independent unicriterion net flows,
which the ranking carries as its ``normalized`` matrix, so contributions add up to the net
flow as in the weighted sum. Equal to pymcdm's results on the same inputs (tested).

Intervals: each recommendation's net flow when its own scores move to the worst or best end of
their ranges while every other recommendation keeps its values.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, Literal

import numpy as np

from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.io import short_repr, unknown_criterion
from scoring.methods.base import RANK_RANGE_WORDS, Kernel, MethodBase, Setting
from scoring.methods.promethee_flows import promethee_flows, promethee_flows_batched
from scoring.methods.ranking import Ranking, assemble_ranking
from scoring.model import SCALE_MAX, SCALE_MIN, Catalog

__all__ = [
    "PREFERENCE_FUNCTIONS",
    "PYMCDM_NAMES",
    "PrometheeII",
    "promethee_thresholds",
    "unicriterion_flows",
]

PreferenceName = Literal["usual", "u_shape", "v_shape", "level", "linear"]
PREFERENCE_FUNCTIONS: tuple[str, ...] = ("usual", "u_shape", "v_shape", "level", "linear")
# pymcdm's names for the same functions (for the reference tests and for readers who know it).
PYMCDM_NAMES = {
    "usual": "usual",
    "u_shape": "ushape",
    "v_shape": "vshape",
    "level": "level",
    "linear": "vshape_2",
}
# The preference functions' names as a sentence gives them.
_PREFERENCE_WORDS = {
    "usual": "usual",
    "u_shape": "U-shape",
    "v_shape": "V-shape",
    "level": "level",
    "linear": "linear",
}
# The thresholds each preference function uses (usual none, U-shape q, V-shape p).
_THRESHOLDS_USED: dict[str, tuple[str, ...]] = {
    "usual": (),
    "u_shape": ("q",),
    "v_shape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
}
_DEFAULT_Q, _DEFAULT_P = 0.0, 2.0

_SETTINGS = (
    Setting(
        name="preference",
        default="linear",
        help="PROMETHEE II preference function (default: linear)",
        state_key="promethee_preference",
        choices=PREFERENCE_FUNCTIONS,
        label="Preference function",
        labels={
            "usual": "usual: any difference is a full preference",
            "u_shape": "U-shape: full preference beyond q",
            "v_shape": "V-shape: grows from 0 to full at p",
            "level": "level: half a preference between q and p, full beyond",
            "linear": "linear (type V): no preference up to q, full from p",
        },
        widget="select",
        hint="pick a preference function (default: linear)",
    ),
    Setting(
        name="q",
        default=_DEFAULT_Q,
        help="PROMETHEE indifference threshold",
        state_key="promethee_q",
        label="q (indifference)",
        widget_help="Differences up to q scale points count for nothing (linear, level, U-shape).",
    ),
    Setting(
        name="p",
        default=_DEFAULT_P,
        help="PROMETHEE preference threshold",
        state_key="promethee_p",
        label="p (preference)",
        widget_help="Differences above p scale points are a full preference (linear, level, "
        "V-shape).",
    ),
)


@dataclass(frozen=True)
class PrometheeII(MethodBase):
    """PROMETHEE II with one preference function; thresholds in 1-5 scale points.

    ``q`` is the indifference threshold (differences up to q count for nothing), ``p`` the
    preference threshold (differences above p are a full preference). ``usual`` uses
    neither, ``u_shape`` only q, ``v_shape`` only p; ``level`` and ``linear`` use both
    (p > q). A mapping gives a threshold per criterion id.
    """

    preference: PreferenceName = "linear"
    q: float | Mapping[str, float] = _DEFAULT_Q
    p: float | Mapping[str, float] = _DEFAULT_P

    name: ClassVar[str] = "promethee_ii"
    display_name: ClassVar[str] = "PROMETHEE II"
    inline_name: ClassVar[str] = "PROMETHEE II"
    score_name: ClassVar[str] = "Net flow"
    score_range: ClassVar[tuple[float, float]] = (-1.0, 1.0)
    sorts_per_draw: ClassVar[bool] = True
    description: ClassVar[str] = "PROMETHEE II, net outranking flow"
    summary: ClassVar[str] = (
        "every pair compared criterion by criterion; the net flow runs from −1 to 1. "
        "Default: linear preference, q = 0, p = 2 scale points."
    )
    explanation: ClassVar[str] = (
        "**PROMETHEE II** compares every pair criterion by criterion on the 1–5 scale. "
        "Default: linear preference with indifference threshold q = 0 and preference "
        "threshold p = 2 — a one-level difference is half a preference, two or more a full "
        "one. The score is the net flow, from −1 to 1."
    )
    axis_title: ClassVar[str] = "PROMETHEE II net flow (−1 to 1)"
    axis_short: ClassVar[str] = "Net flow"
    chart_caption: ClassVar[str] = (
        "Each bar is split by criterion: a segment is that criterion's weighted net flow, "
        "to the right of zero where the recommendation beats the others on it, to the "
        "left where it loses; their sum, the net flow, is the black diamond. "
    )
    sensitivity_note: ClassVar[str] = (
        "exact for PROMETHEE II, whose net flows are linear in the weights"
    )

    @classmethod
    def settings_schema(cls) -> tuple[Setting, ...]:
        return _SETTINGS

    def check(self, criterion_ids: Sequence[str]) -> None:
        promethee_thresholds(self, criterion_ids)

    def prepare(self, catalog: Catalog, rows: np.ndarray) -> Kernel:
        q, p = promethee_thresholds(self, catalog.criterion_ids)
        return _PrometheeKernel(catalog, rows, self.preference, q, p)

    def rank(self, catalog: Catalog, weights: np.ndarray, rows: np.ndarray) -> Ranking:
        q, p = promethee_thresholds(self, catalog.criterion_ids)
        sign = np.where(catalog.cost_mask, -1.0, 1.0)
        signed = catalog.values[rows] * sign
        worst = np.where(catalog.cost_mask, catalog.high, catalog.low)[rows] * sign
        best = np.where(catalog.cost_mask, catalog.low, catalog.high)[rows] * sign
        full, low_flows, high_flows = unicriterion_flows(
            signed, worst, best, self.preference, q, p, rows, len(catalog.recommendations)
        )
        totals = full[rows] @ weights
        low, high = low_flows @ weights, high_flows @ weights
        return assemble_ranking(catalog, weights, rows, totals, low, high, full, self)

    def settings_text(self) -> str:
        kind = self.preference
        words = [f"{_PREFERENCE_WORDS.get(kind, kind)} preference"]
        for name in _THRESHOLDS_USED.get(kind, ("q", "p")):
            value = getattr(self, name)
            if isinstance(value, Mapping):
                words.append(f"{name} per criterion ({_threshold(value, name)})")
            else:
                words.append(f"{name} = {_threshold(value, name)}")
        return ", ".join(words)

    def caption(self) -> str:
        return (
            f"PROMETHEE II: net flow from −1 to 1 ({self.preference} preference, "
            f"q = {self.q:g}, p = {self.p:g} scale points)."
        )

    def paragraphs(self) -> tuple[str, ...]:
        return (
            f"Method: {self.description} (Brans). Every pair of "
            "recommendations is compared criterion by criterion on the 1–5 scale, cost criteria "
            "reversed. A difference d in one's favour gives it a preference P(d) from 0 to 1, by "
            f"{self._preference_words()}.",
            "A recommendation's net flow is the weighted sum, over the criteria, of its average "
            "preference over each other recommendation minus theirs over it: "
            "net flow(a) = sum over criteria c of w_c × (sum over the others b of "
            "[P_c(a, b) − P_c(b, a)]) / (n − 1). It runs from −1 (every other "
            "recommendation fully preferred on every criterion) to +1; 0 is even. The "
            "per-criterion figures (the chart's segments) are each weight times that "
            "criterion's own net flow, so they add up to the net flow; a negative one is a "
            "criterion on which the others are preferred.",
            "Net flows compare the recommendations ranked with one another: a filter, or adding "
            "or removing a recommendation, can change them and their order.",
            "The range beside each net flow is the net flow when that recommendation's scores "
            "move to the worst or to the best end of their evidence ranges while the others "
            f"keep theirs; {RANK_RANGE_WORDS} Equal net flows share a rank "
            '("2="), listed alphabetically by title, not by merit.',
        )

    def _preference_words(self) -> str:
        kind = self.preference
        q, p = _threshold(self.q, "q"), _threshold(self.p, "p")
        if kind == "usual":
            return "the usual preference function: any difference is a full preference"
        if kind == "u_shape":
            return (
                f"a U-shape preference function: a difference above q = {q} scale points is a "
                "full preference, smaller ones count for nothing"
            )
        if kind == "v_shape":
            return (
                "a V-shape preference function: the preference grows in proportion to the "
                f"difference and is full from p = {p} scale points"
            )
        if kind == "level":
            return (
                f"a level preference function: a difference above q = {q} scale points is half "
                f"a preference, above p = {p} a full one"
            )
        words = (
            f"a linear preference function with indifference threshold q = {q} and preference "
            f"threshold p = {p} scale points: P(d) = 0 up to q, (d − q) / (p − q) between, 1 "
            "from p"
        )
        if (self.q, self.p) == (_DEFAULT_Q, _DEFAULT_P):
            words += " (one level better is half a preference, two or more a full one)"
        return words


# Weight-independent flows of the last few inputs, newest last: a weight change (a slider
# move) only multiplies them by the new weights. Keyed by a digest of the scores, ranges,
# rows and settings, so equal inputs hit however the catalog object was rebuilt.
_FLOWS_KEPT = 8
_flows_cache: OrderedDict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]] = OrderedDict()
_flows_lock = threading.Lock()


def unicriterion_flows(
    signed: np.ndarray,
    worst: np.ndarray,
    best: np.ndarray,
    preference: str,
    q: np.ndarray,
    p: np.ndarray,
    rows: np.ndarray,
    catalog_size: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows' unicriterion net flows (placed at their catalog rows in a catalog-sized,
    read-only matrix, NaN elsewhere) and those of each row moved to its worst and best ends,
    computed once per input and kept (:data:`_FLOWS_KEPT` inputs)."""
    digest = hashlib.blake2b(digest_size=20)
    for array in (signed, worst, best, q, p, np.asarray(rows, dtype=np.int64)):
        digest.update(np.ascontiguousarray(array).tobytes())
        digest.update(str(array.shape).encode())
    digest.update(f"{preference}|{catalog_size}".encode())
    key = digest.digest()
    with _flows_lock:
        if key in _flows_cache:
            _flows_cache.move_to_end(key)
            return _flows_cache[key]
    full = np.full((catalog_size, signed.shape[1]), np.nan)
    full[rows] = promethee_flows(signed, preference, q, p)
    low = promethee_flows(signed, preference, q, p, moved=worst)
    high = promethee_flows(signed, preference, q, p, moved=best)
    for array in (full, low, high):
        array.setflags(write=False)
    with _flows_lock:
        _flows_cache[key] = (full, low, high)
        while len(_flows_cache) > _FLOWS_KEPT:
            _flows_cache.popitem(last=False)
    return full, low, high


def _threshold(value: Any, name: str) -> str:
    """A threshold as a number, or per criterion with the default for those not listed."""
    if isinstance(value, Mapping):
        listed = ", ".join(f"{key} {number:g}" for key, number in value.items())
        otherwise = f"{_DEFAULT_Q if name == 'q' else _DEFAULT_P:g}"
        return f"{listed}, otherwise {otherwise}" if listed else otherwise
    return f"{value:g}"


class _PrometheeKernel(Kernel):
    """PROMETHEE II batched: its totals are its unicriterion net flows times w, the flows of
    the drawn scores when they vary (by sorting: ``promethee_flows_batched``)."""

    def __init__(
        self, catalog: Catalog, rows: np.ndarray, preference: str, q: np.ndarray, p: np.ndarray
    ) -> None:
        super().__init__(catalog.normalized[rows])
        self.preference, self.q, self.p = preference, q, p
        self.signed = catalog.values[rows] * np.where(catalog.cost_mask, -1.0, 1.0)
        # normalised = (x - min) / span for benefit criteria and (max - x) / span for cost
        # ones, while PROMETHEE II compares x, negated for cost criteria.
        self.offset = np.where(catalog.cost_mask, -float(SCALE_MAX), float(SCALE_MIN))

    def chunk_weight(self, drawn: bool) -> int:
        return 3 if drawn else 1  # drawn: the draws, their 1-5 scores and their flows

    @cached_property
    def fixed(self) -> tuple[np.ndarray, ...]:
        """As :meth:`PrometheeII.rank` ranks: flows of the values themselves."""
        return (promethee_flows(self.signed, self.preference, self.q, self.p),)

    def parts(self, normalized: np.ndarray) -> tuple[np.ndarray, ...]:
        signed = normalized * float(SCALE_MAX - SCALE_MIN) + self.offset
        return (promethee_flows_batched(signed, self.preference, self.q, self.p),)


def _thresholds(
    value: float | Mapping[str, float], criterion_ids: Sequence[str], name: str
) -> tuple[np.ndarray, list[Problem]]:
    """A threshold per criterion from a number or a mapping; problems for bad entries."""
    where = f"promethee_ii.{name}"
    if isinstance(value, Mapping):
        problems = [
            unknown_criterion(
                key, criterion_ids, where=where, key_path=str(key), hint="correct the criterion id"
            )
            for key in value
            if key not in criterion_ids
        ]
        default = _DEFAULT_Q if name == "q" else _DEFAULT_P
        numbers = [value.get(cid, default) for cid in criterion_ids]
    else:
        problems, numbers = [], [value] * len(criterion_ids)
    for cid, number in zip(criterion_ids, numbers, strict=True):
        if isinstance(number, bool) or not isinstance(number, int | float):
            problems.append(
                Problem(
                    code=Code.WRONG_TYPE,
                    where=where,
                    key_path=cid,
                    expected="a number",
                    found=repr(number),
                )
            )
        elif not (math.isfinite(number) and 0 <= number <= _WIDEST):
            # Above the scale's width every difference is alike: p=1e308 zeroes every flow.
            problems.append(
                Problem(
                    code=Code.BAD_THRESHOLD,
                    where=where,
                    key_path=cid,
                    expected=f"a finite threshold from 0 to {_WIDEST:g}, in 1-5 scale points",
                    found=short_repr(number),
                    hint="e.g. q=0, p=2",
                )
            )
    if problems:
        return np.zeros(len(criterion_ids)), problems
    return np.array(numbers, dtype=float), []


_WIDEST = float(SCALE_MAX - SCALE_MIN)  # the largest difference two scores can have


def promethee_thresholds(
    spec: PrometheeII, criterion_ids: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The q and p thresholds per criterion; raises naming every bad setting."""
    if spec.preference not in PREFERENCE_FUNCTIONS:
        raise InputError(
            Code.BAD_VALUE,
            "promethee_ii",
            "preference",
            f"one of {list(PREFERENCE_FUNCTIONS)}",
            repr(spec.preference),
            "pick a preference function (default: linear)",
        )
    q, q_problems = _thresholds(spec.q, criterion_ids, "q")
    p, p_problems = _thresholds(spec.p, criterion_ids, "p")
    problems = q_problems + p_problems
    if not problems:
        needs_gap = spec.preference in ("level", "linear")
        for j, cid in enumerate(criterion_ids):
            if (needs_gap and p[j] <= q[j]) or (spec.preference == "v_shape" and p[j] <= 0):
                problems.append(
                    Problem(
                        code=Code.BAD_THRESHOLD,
                        where="promethee_ii.p",
                        key_path=cid,
                        expected=f"p above q ({q[j]:g})" if needs_gap else "p above 0",
                        found=repr(float(p[j])),
                        hint="the preference threshold must exceed the indifference threshold",
                    )
                )
    if problems:
        raise ValidationError(problems)
    return q, p
