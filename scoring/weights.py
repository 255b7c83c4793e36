"""Weights: validating and normalising a weighting, parsing ``id=w`` overrides.

Weights are relative importances of moving from the worst to the best level of each
criterion (swing weights); only their ratios matter, so they are normalised to sum to 1.
Besides sliders, weights can be elicited (swing weighting, rank-order centroid, AHP with
Saaty's consistency check): :mod:`scoring.elicitation`, whose names are re-exported here so
older imports keep working.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from scoring.elicitation import (  # re-exported: their home before the split
    SAATY_RANDOM_INDEX,
    AhpWeights,
    ElicitedWeights,
    Judgement,
    ahp_weights,
    rank_order_centroid,
    swing_weights,
)
from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.io import unknown_criterion
from scoring.model import Catalog, WeightProfile

__all__ = [
    "SAATY_RANDOM_INDEX",
    "AhpWeights",
    "ElicitedWeights",
    "Judgement",
    "ahp_weights",
    "normalized_weights",
    "parse_weight_spec",
    "rank_order_centroid",
    "resolve_weights",
    "swing_weights",
]


def normalized_weights(
    weights: Mapping[str, float], criterion_ids: Sequence[str], source: str = "weights"
) -> np.ndarray:
    """Return the weights as a vector in criterion order, summing to 1.

    Criteria absent from ``weights`` count as 0. Raises ValidationError listing every
    unknown criterion, negative, NaN or infinite weight, and an all-zero weighting.
    ``source`` names where the weights came from, for the error messages.
    """
    problems = [
        unknown_criterion(
            key, criterion_ids, where=source, key_path=key, hint="correct the criterion id"
        )
        for key in weights
        if key not in criterion_ids
    ]
    for key, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            problems.append(
                Problem(
                    code=Code.WRONG_TYPE,
                    where=source,
                    key_path=key,
                    expected="a number",
                    found=repr(weight),
                    hint="write e.g. 1",
                )
            )
        elif math.isnan(weight):
            problems.append(
                Problem(
                    code=Code.NAN_WEIGHT,
                    where=source,
                    key_path=key,
                    expected="a number",
                    found="NaN",
                    hint="write e.g. 1",
                )
            )
        elif weight < 0 or math.isinf(weight):
            problems.append(
                Problem(
                    code=Code.NEGATIVE_WEIGHT,
                    where=source,
                    key_path=key,
                    expected="a finite weight >= 0",
                    found=repr(weight),
                    hint="weights cannot be negative; use 0 to ignore a criterion",
                )
            )
    if problems:
        raise ValidationError(problems)
    vector = np.array([float(weights.get(cid, 0.0)) for cid in criterion_ids])
    total = vector.sum()
    if total <= 0:
        raise InputError(
            Code.ZERO_WEIGHTS,
            source,
            "",
            "at least one weight above 0",
            "all weights 0",
            "give at least one criterion a positive weight",
        )
    return vector / total


def parse_weight_spec(spec: str, source: str = "--weights") -> dict[str, float]:
    """Parse ``"leverage=2,buy_in=0.5"`` into a mapping; raise InputError on malformed parts."""
    weights: dict[str, float] = {}
    for part in filter(None, (piece.strip() for piece in spec.split(","))):
        key, sep, number = part.partition("=")
        try:
            if not sep or not key.strip():
                raise ValueError
            weights[key.strip()] = float(number)
        except ValueError:
            raise InputError(
                Code.BAD_WEIGHT_SPEC,
                source,
                part,
                "criterion=number pairs separated by commas",
                repr(part),
                "write e.g. --weights leverage=2,human_rights=3",
            ) from None
    return weights


def resolve_weights(
    catalog: Catalog,
    profile_id: str | None = None,
    overrides: Mapping[str, float] | None = None,
    profiles: Mapping[str, WeightProfile] | None = None,
) -> tuple[WeightProfile, dict[str, float]]:
    """Return the profile named (default if None) and its weights with ``overrides`` applied.

    ``profiles`` defaults to the catalog's bundled profiles; fronts pass the union with
    the user's saved ones. The result is validated; it is not yet normalised.
    """
    available = catalog.profiles if profiles is None else profiles
    chosen = profile_id or catalog.default_profile
    if chosen not in available:
        raise InputError(
            Code.UNKNOWN_PROFILE,
            "profile",
            chosen,
            f"one of {sorted(available)}",
            repr(chosen),
            "pick an existing profile (recscore profiles lists them)",
        )
    profile = available[chosen]
    weights = {**profile.weights, **(overrides or {})}
    source = "--weights" if overrides else f"profile {chosen}"
    normalized_weights(weights, catalog.criterion_ids, source=source)
    return profile, weights
