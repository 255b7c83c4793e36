"""Weight elicitation: swing weighting, rank-order centroid and AHP pairwise comparisons.

The three share one result type (:class:`ElicitedWeights`) and one validation of their inputs
(unknown or repeated criteria, non-numbers), so they read best together. Each returns weights
that sum to 1 over the criteria it was given; :mod:`scoring.weights` validates a weighting
however it was made.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from scoring.errors import Code, InputError, Notice, Problem, ValidationError
from scoring.io import unknown_criterion
from scoring.model import WeightProfile

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SAATY_RANDOM_INDEX",
    "AhpWeights",
    "ElicitedWeights",
    "Judgement",
    "ahp_weights",
    "rank_order_centroid",
    "swing_weights",
]

# Three ways to arrive at weights besides sliders. Each returns an ElicitedWeights whose
# weights sum to 1 in criterion order and which can become a saved WeightProfile.

SWING_TOP = 100.0
# Saaty's random consistency index (mean consistency index of random reciprocal matrices),
# by matrix size n = 1..15: Saaty (1980) for n <= 10, Saaty's extended table beyond.
SAATY_RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
                      1.51, 1.48, 1.56, 1.57, 1.59)  # fmt: skip
CONSISTENCY_LIMIT = 0.1  # Saaty: revise judgements whose consistency ratio exceeds 0.10
SAATY_SCALE = (1 / 9, 9.0)


@dataclass(frozen=True, kw_only=True)
class ElicitedWeights:
    """Weights from an elicitation method, ready to save as a profile.

    ``weights`` maps every criterion id (in criterion order) to its weight; they sum to 1.
    ``notices`` hold caveats worth showing beside the result (never errors).
    """

    method: str
    weights: Mapping[str, float]
    notices: tuple[Notice, ...] = ()

    def to_profile(self, profile_id: str, name: str, description: str = "") -> WeightProfile:
        """A WeightProfile with these weights; raises pydantic's error on a bad id or name."""
        return WeightProfile(
            id=profile_id,
            name=name,
            description=description or f"Weights elicited by {self.method.replace('_', ' ')}.",
            weights=dict(self.weights),
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per criterion: id and weight."""
        import pandas as pd

        return pd.DataFrame(
            {"criterion": list(self.weights), "weight": list(self.weights.values())}
        )


def swing_weights(
    ratings: Mapping[str, float],
    criterion_ids: Sequence[str],
    order: Sequence[str] | None = None,
    source: str = "swing ratings",
) -> ElicitedWeights:
    """Swing weighting: rate each criterion's worst-to-best swing against the largest at 100.

    The analyst first orders the swings (``order``, most valuable first, optional), then rates
    each from 0 to 100 where the most valuable swing is 100. Weights are the ratings divided by
    their sum. Every criterion needs a rating (0 says its swing does not matter); ratings must
    not rise along ``order``. Raises ValidationError listing every fault.
    """
    problems = _unknown_ids(ratings, criterion_ids, source)
    problems += [
        Problem(
            code=Code.MISSING_KEY,
            where=source,
            key_path=criterion_id,
            expected="a rating from 0 to 100 for every criterion",
            found="nothing",
            hint=f"rate {criterion_id} (0 if its swing does not matter)",
        )
        for criterion_id in criterion_ids
        if criterion_id not in ratings
    ]
    for key, rating in ratings.items():
        if not _is_number(rating):
            problems.append(
                Problem(
                    code=Code.WRONG_TYPE,
                    where=source,
                    key_path=key,
                    expected="a number",
                    found=repr(rating),
                    hint="e.g. 60",
                )
            )
        elif not 0 <= rating <= SWING_TOP:  # also rejects NaN
            problems.append(
                Problem(
                    code=Code.BAD_RATING,
                    where=source,
                    key_path=key,
                    expected="a rating from 0 to 100",
                    found=repr(rating),
                    hint="rate each swing against the most valuable one at 100",
                )
            )
    if not problems and max(ratings.values()) != SWING_TOP:
        top = max(ratings, key=lambda key: ratings[key])
        problems.append(
            Problem(
                code=Code.BAD_RATING,
                where=source,
                key_path=top,
                expected="the most valuable swing rated 100",
                found=f"the highest rating is {ratings[top]!r}",
                hint=f"rate {top} at 100 and the others against it",
            )
        )
    if order is not None:
        problems += _order_problems(order, criterion_ids, f"{source} order")
        rated = [key for key in order if key in ratings and _is_number(ratings[key])]
        problems += [
            Problem(
                code=Code.BAD_ORDER,
                where=source,
                key_path=later,
                expected=(
                    f"a rating no higher than {earlier}'s {ratings[earlier]!r} (it comes later)"
                ),
                found=repr(ratings[later]),
                hint="raise the earlier swing's rating or move this criterion up the order",
            )
            for earlier, later in itertools.pairwise(rated)
            if ratings[later] > ratings[earlier]
        ]
    if problems:
        raise ValidationError(problems)
    vector = np.array([float(ratings[cid]) for cid in criterion_ids])
    weights = _as_mapping(criterion_ids, vector / vector.sum())
    return ElicitedWeights(method="swing", weights=weights)


def rank_order_centroid(
    order: Sequence[str], criterion_ids: Sequence[str], source: str = "order"
) -> ElicitedWeights:
    """Rank-order centroid weights from an order of criteria, most important first.

    Barron and Barrett (1996): with n ranked criteria, the i-th gets
    ``w_i = (1/n) * sum_{k=i..n} 1/k``, the centroid of all weight vectors with that order.
    Criteria left out of the order get weight 0, with a notice naming them.
    """
    problems = _order_problems(order, criterion_ids, source)
    if not order:
        problems.append(
            Problem(
                code=Code.BAD_ORDER,
                where=source,
                key_path="",
                expected="at least one criterion, most important first",
                found="an empty order",
                hint="list the criteria from most to least important",
            )
        )
    if problems:
        raise ValidationError(problems)
    count = len(order)
    centroid = np.cumsum(1.0 / np.arange(count, 0, -1))[::-1] / count
    by_id = dict(zip(order, centroid.tolist(), strict=True))
    left_out = [cid for cid in criterion_ids if cid not in by_id]
    notices = (
        (
            Notice(
                Code.UNRANKED_CRITERIA,
                f"Not in the order, so weighted 0: {', '.join(left_out)}.",
            ),
        )
        if left_out
        else ()
    )
    vector = np.array([by_id.get(cid, 0.0) for cid in criterion_ids])
    return ElicitedWeights(
        method="rank_order_centroid", weights=_as_mapping(criterion_ids, vector), notices=notices
    )


@dataclass(frozen=True)
class Judgement:
    """One pairwise judgement and how far it sits from what the other judgements imply.

    ``given`` says how many times more the swing of ``first`` matters than that of
    ``second``; ``implied`` is the ratio of the derived weights. ``error`` is
    ``|ln(given / implied)|``: 0 for a judgement the others fully agree with.
    """

    first: str
    second: str
    given: float
    implied: float

    @property
    def error(self) -> float:
        return abs(math.log(self.given / self.implied))

    def sentence(self) -> str:
        return (
            f"{self.first} against {self.second}: you said {_ratio_text(self.given)}, "
            f"the other judgements imply about {_ratio_text(self.implied)}"
        )


@dataclass(frozen=True, kw_only=True)
class AhpWeights(ElicitedWeights):
    """AHP weights (principal eigenvector) with Saaty's consistency check.

    ``matrix`` is the full reciprocal comparison matrix in criterion order. The consistency
    index is ``CI = (lambda_max - n) / (n - 1)``; the ratio ``CR = CI / RI`` uses Saaty's
    random index for n criteria (CR is 0 for n <= 2, NaN beyond n = 15 where RI is not
    tabulated). ``most_inconsistent`` lists judgements worst first.
    """

    criterion_ids: tuple[str, ...]
    matrix: np.ndarray = field(repr=False)
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float
    most_inconsistent: tuple[Judgement, ...]

    @property
    def consistent(self) -> bool:
        """False when CR exceeds 0.10 (Saaty's limit): the judgements should be revisited."""
        return not self.consistency_ratio > CONSISTENCY_LIMIT

    def judgements_frame(self) -> pd.DataFrame:
        """Every judgement above the diagonal with its implied ratio and error, worst first."""
        import pandas as pd

        rows = [
            {
                "first": j.first,
                "second": j.second,
                "given": j.given,
                "implied": j.implied,
                "error": j.error,
            }
            for j in _judgements(self.criterion_ids, self.matrix, self.weights)
        ]
        return pd.DataFrame(rows).sort_values("error", ascending=False, ignore_index=True)


def ahp_weights(
    judgements: Mapping[tuple[str, str], float] | np.ndarray,
    criterion_ids: Sequence[str],
    source: str = "judgements",
    show: int = 3,
) -> AhpWeights:
    """AHP: weights from pairwise comparisons of the criteria's swings (Saaty's 1-9 scale).

    ``judgements`` maps ``(a, b)`` to how many times more the swing of ``a`` matters than that
    of ``b`` (9 = extremely more, 1 = equal, 1/9 = extremely less). Each pair must be judged
    once, or twice with reciprocal values; an (n x n) matrix in criterion order is accepted
    too. Zero, negative, non-finite, non-reciprocal and missing judgements raise a
    ValidationError naming each pair. Values off the 1/9..9 scale and a consistency ratio
    above 0.10 give notices, the latter naming the ``show`` most inconsistent judgements.
    """
    ids = tuple(criterion_ids)
    matrix = (
        _matrix_problems(judgements, ids, source)
        if isinstance(judgements, np.ndarray)
        else _judgement_matrix(judgements, ids, source)
    )
    count = len(ids)
    eigenvalues, eigenvectors = np.linalg.eig(matrix)
    principal = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, principal].real)  # Perron vector: one sign throughout
    vector /= vector.sum()
    lambda_max = float(eigenvalues[principal].real)
    ci = max(0.0, (lambda_max - count) / (count - 1)) if count > 1 else 0.0
    ri = SAATY_RANDOM_INDEX[count - 1] if count <= len(SAATY_RANDOM_INDEX) else math.nan
    cr = ci / ri if ri > 0 else (0.0 if count <= 2 else math.nan)
    weights = _as_mapping(ids, vector)
    ranked = sorted(_judgements(ids, matrix, weights), key=lambda j: -j.error)
    worst = tuple(j for j in ranked if j.error > 1e-9)[:show]
    notices = []
    off_scale = [
        f"{ids[i]}/{ids[j]} = {_ratio_text(matrix[i, j])}"
        for i, j in itertools.combinations(range(count), 2)
        if not SAATY_SCALE[0] - 1e-12 <= matrix[i, j] <= SAATY_SCALE[1] + 1e-12
    ]
    if off_scale:
        notices.append(
            Notice(
                Code.OFF_SCALE_JUDGEMENT,
                "Judgements outside Saaty's 1/9-9 scale (used as given): "
                + "; ".join(off_scale)
                + ".",
            )
        )
    if cr > CONSISTENCY_LIMIT:
        notices.append(
            Notice(
                Code.INCONSISTENT_JUDGEMENTS,
                f"Consistency ratio {cr:.2f} is above {CONSISTENCY_LIMIT:.2f}: the judgements "
                "contradict each other. Revisit first: "
                + "; ".join(j.sentence() for j in worst)
                + ".",
            )
        )
    elif math.isnan(cr):
        notices.append(
            Notice(
                Code.INCONSISTENT_JUDGEMENTS,
                f"No random index is tabulated for {count} criteria; consistency ratio not "
                "computed. Check the judgements listed as most inconsistent.",
            )
        )
    return AhpWeights(
        method="ahp",
        weights=weights,
        notices=tuple(notices),
        criterion_ids=ids,
        matrix=_read_only(matrix),
        lambda_max=lambda_max,
        consistency_index=ci,
        random_index=ri,
        consistency_ratio=cr,
        most_inconsistent=worst,
    )


def _judgement_matrix(
    judgements: Mapping[tuple[str, str], float], ids: tuple[str, ...], source: str
) -> np.ndarray:
    """Build the reciprocal matrix from pair judgements; raise on every fault at once."""
    problems: list[Problem] = []
    count = len(ids)
    matrix = np.full((count, count), np.nan)
    np.fill_diagonal(matrix, 1.0)
    for pair, value in judgements.items():
        where = _pair_text(pair)
        if not (isinstance(pair, tuple) and len(pair) == 2):
            problems.append(
                Problem(
                    code=Code.WRONG_TYPE,
                    where=source,
                    key_path=where,
                    expected="a pair (a, b)",
                    found=repr(pair),
                    hint="",
                )
            )
            continue
        unknown = [key for key in pair if key not in ids]
        if unknown:
            problems += _unknown_ids(dict.fromkeys(unknown), ids, source)
            continue
        problem = _judgement_problem(value, where, source)
        if problem is not None:
            problems.append(problem)
            continue
        i, j = ids.index(pair[0]), ids.index(pair[1])
        value = float(value)
        if i == j:
            if value != 1:
                problems.append(
                    Problem(
                        code=Code.NOT_RECIPROCAL,
                        where=source,
                        key_path=where,
                        expected="1 for a criterion against itself",
                        found=repr(value),
                        hint="remove the judgement or set it to 1",
                    )
                )
            continue
        for row, col, number in ((i, j, value), (j, i, 1.0 / value)):
            if np.isnan(matrix[row, col]):
                matrix[row, col] = number
            elif not math.isclose(matrix[row, col], number, rel_tol=1e-6):
                problems.append(
                    Problem(
                        code=Code.NOT_RECIPROCAL,
                        where=source,
                        key_path=where,
                        expected=f"{_ratio_text(1 / matrix[j, i])}, the reciprocal of "
                        f"({ids[j]}, {ids[i]}) = {_ratio_text(matrix[j, i])}",
                        found=repr(value),
                        hint="give each pair once, or twice with reciprocal values",
                    )
                )
                break
    if not problems:
        problems += [
            Problem(
                code=Code.MISSING_JUDGEMENT,
                where=source,
                key_path=f"({ids[i]}, {ids[j]})",
                expected="a judgement for every pair of criteria",
                found="nothing",
                hint=f"say how many times more the {ids[i]} swing matters than the {ids[j]} swing",
            )
            for i, j in itertools.combinations(range(count), 2)
            if np.isnan(matrix[i, j])
        ]
    if problems:
        raise ValidationError(problems)
    return matrix


def _matrix_problems(matrix: np.ndarray, ids: tuple[str, ...], source: str) -> np.ndarray:
    """Check a full comparison matrix: square, positive, finite, unit diagonal, reciprocal."""
    count = len(ids)
    if matrix.shape != (count, count):
        raise InputError(
            Code.WRONG_TYPE,
            source,
            "",
            f"a {count} x {count} matrix in criterion order",
            f"shape {matrix.shape}",
            "give one row and one column per criterion",
        )
    problems = []
    for i, j in itertools.product(range(count), repeat=2):
        where = f"({ids[i]}, {ids[j]})"
        problem = _judgement_problem(matrix[i, j], where, source)
        if problem is not None:
            problems.append(problem)
        elif i == j and matrix[i, j] != 1:
            problems.append(
                Problem(
                    code=Code.NOT_RECIPROCAL,
                    where=source,
                    key_path=where,
                    expected="1 on the diagonal",
                    found=repr(float(matrix[i, j])),
                    hint="set it to 1",
                )
            )
        elif i < j and not math.isclose(matrix[i, j] * matrix[j, i], 1.0, rel_tol=1e-6):
            problems.append(
                Problem(
                    code=Code.NOT_RECIPROCAL,
                    where=source,
                    key_path=where,
                    expected=(
                        f"the reciprocal of ({ids[j]}, {ids[i]}) = {_ratio_text(matrix[j, i])}"
                    ),
                    found=repr(float(matrix[i, j])),
                    hint="make a[j, i] = 1 / a[i, j]",
                )
            )
    if problems:
        raise ValidationError(problems)
    return np.array(matrix, dtype=float)


def _judgement_problem(value: object, where: str, source: str) -> Problem | None:
    if not _is_number(value):
        return Problem(
            code=Code.WRONG_TYPE,
            where=source,
            key_path=where,
            expected="a number",
            found=repr(value),
            hint="e.g. 3 or 1/3",
        )
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number) or number <= 0:
        return Problem(
            code=Code.BAD_JUDGEMENT,
            where=source,
            key_path=where,
            expected="a ratio above 0 (Saaty's scale: 1/9 to 9)",
            found=repr(number),
            hint="write how many times more the first swing matters, e.g. 3, or 1/3 for less",
        )
    return None


def _judgements(
    ids: Sequence[str], matrix: np.ndarray, weights: Mapping[str, float]
) -> list[Judgement]:
    return [
        Judgement(ids[i], ids[j], float(matrix[i, j]), weights[ids[i]] / weights[ids[j]])
        for i, j in itertools.combinations(range(len(ids)), 2)
    ]


def _order_problems(
    order: Sequence[str], criterion_ids: Sequence[str], source: str
) -> list[Problem]:
    problems = _unknown_ids(dict.fromkeys(order), criterion_ids, source)
    seen: set[str] = set()
    for position, key in enumerate(order):
        if key in seen:
            problems.append(
                Problem(
                    code=Code.BAD_ORDER,
                    where=source,
                    key_path=f"[{position}]",
                    expected="each criterion at most once",
                    found=f"{key!r} again",
                    hint="remove the repeated criterion",
                )
            )
        seen.add(key)
    return problems


def _unknown_ids(
    keys: Mapping[str, object], criterion_ids: Sequence[str], source: str
) -> list[Problem]:
    return [
        unknown_criterion(
            key, criterion_ids, where=source, key_path=str(key), hint="correct the criterion id"
        )
        for key in keys
        if key not in criterion_ids
    ]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool | np.bool_)


def _as_mapping(criterion_ids: Sequence[str], vector: np.ndarray) -> dict[str, float]:
    return dict(zip(criterion_ids, vector.tolist(), strict=True))


def _ratio_text(value: float) -> str:
    """A ratio as Saaty writes it: 3, or 1/3 rather than 0.333."""
    if value >= 1:
        return f"{value:.3g}"
    inverse = f"{1 / value:.3g}"
    return "1" if inverse == "1" else f"1/{inverse}"


def _pair_text(pair: object) -> str:
    if isinstance(pair, tuple) and len(pair) == 2:
        return f"({pair[0]}, {pair[1]})"
    return repr(pair)


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array
