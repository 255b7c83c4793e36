"""recscore's engine: load a grounded catalog of recommendations, score and rank it.

Pure Python and numpy; no user-interface code lives here (a test enforces it).

The public names below are imported when first used (PEP 562), so ``import scoring`` and
``recscore --version`` do not pay for numpy, pandas, pydantic or scipy until something
needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scoring.elicitation import (
        AhpWeights,
        ElicitedWeights,
        ahp_weights,
        rank_order_centroid,
        swing_weights,
    )

    __version__: str
    from scoring.errors import Code, InputError, Notice, Problem, RecscoreError, ValidationError
    from scoring.loading import load_catalog
    from scoring.methods import (
        MethodComparison,
        PrometheeII,
        Ranking,
        Topsis,
        WeightedSum,
        compare_methods,
        kendall_tau,
        rank,
        rank_by,
    )
    from scoring.model import (
        Catalog,
        Criterion,
        DocumentMeta,
        Recommendation,
        Score,
        SourceDocument,
        WeightProfile,
    )
    from scoring.option_sets import (
        Interaction,
        Interactions,
        OptionSet,
        Package,
        SetEvaluation,
        best_package,
        builtin_sets,
        compare_sets,
        evaluate_set,
        load_interactions,
    )
    from scoring.robustness import (
        FirstPlaceTie,
        RankUncertainty,
        Safeguards,
        Screening,
        Sensitivity,
        SmaaResult,
        WeightConstraints,
        constraints_from_profile,
        first_place_tie,
        one_way_sensitivity,
        screen,
        smaa,
        with_uncertainty,
    )
    from scoring.text import find_span, normalize_text
    from scoring.weights import normalized_weights, parse_weight_spec, resolve_weights


def _version() -> str:
    """The installed distribution's version. Looked up on first use of ``__version__``:
    importing ``importlib.metadata`` is a tenth of a second of every CLI command's start."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("recscore")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


# Each public name and the module that defines it.
_EXPORTS: dict[str, str] = {
    **dict.fromkeys(
        ("Code", "InputError", "Notice", "Problem", "RecscoreError", "ValidationError"),
        "scoring.errors",
    ),
    **dict.fromkeys(("load_catalog",), "scoring.loading"),
    **dict.fromkeys(
        (
            "MethodComparison",
            "PrometheeII",
            "Ranking",
            "Topsis",
            "WeightedSum",
            "compare_methods",
            "kendall_tau",
            "rank",
            "rank_by",
        ),
        "scoring.methods",
    ),
    **dict.fromkeys(
        (
            "Catalog",
            "Criterion",
            "DocumentMeta",
            "Recommendation",
            "Score",
            "SourceDocument",
            "WeightProfile",
        ),
        "scoring.model",
    ),
    **dict.fromkeys(
        (
            "Interaction",
            "Interactions",
            "OptionSet",
            "Package",
            "SetEvaluation",
            "best_package",
            "builtin_sets",
            "compare_sets",
            "evaluate_set",
            "load_interactions",
        ),
        "scoring.option_sets",
    ),
    **dict.fromkeys(
        (
            "FirstPlaceTie",
            "RankUncertainty",
            "Safeguards",
            "Screening",
            "Sensitivity",
            "SmaaResult",
            "WeightConstraints",
            "constraints_from_profile",
            "first_place_tie",
            "one_way_sensitivity",
            "screen",
            "smaa",
            "with_uncertainty",
        ),
        "scoring.robustness",
    ),
    **dict.fromkeys(("find_span", "normalize_text"), "scoring.text"),
    **dict.fromkeys(
        ("AhpWeights", "ElicitedWeights", "ahp_weights", "rank_order_centroid", "swing_weights"),
        "scoring.elicitation",
    ),
    **dict.fromkeys(
        ("normalized_weights", "parse_weight_spec", "resolve_weights"), "scoring.weights"
    ),
}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use."""
    module = _EXPORTS.get(name)
    if name == "__version__":
        value: Any = _version()
    elif module is None:
        raise AttributeError(f"module 'scoring' has no attribute {name!r}")
    else:
        value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


__all__ = [
    "AhpWeights",
    "Catalog",
    "Code",
    "Criterion",
    "DocumentMeta",
    "ElicitedWeights",
    "FirstPlaceTie",
    "InputError",
    "Interaction",
    "Interactions",
    "MethodComparison",
    "Notice",
    "OptionSet",
    "Package",
    "Problem",
    "PrometheeII",
    "RankUncertainty",
    "Ranking",
    "Recommendation",
    "RecscoreError",
    "Safeguards",
    "Score",
    "Screening",
    "Sensitivity",
    "SetEvaluation",
    "SmaaResult",
    "SourceDocument",
    "Topsis",
    "ValidationError",
    "WeightConstraints",
    "WeightProfile",
    "WeightedSum",
    "__version__",
    "ahp_weights",
    "best_package",
    "builtin_sets",
    "compare_methods",
    "compare_sets",
    "constraints_from_profile",
    "evaluate_set",
    "find_span",
    "first_place_tie",
    "kendall_tau",
    "load_catalog",
    "load_interactions",
    "normalize_text",
    "normalized_weights",
    "one_way_sensitivity",
    "parse_weight_spec",
    "rank",
    "rank_by",
    "rank_order_centroid",
    "resolve_weights",
    "screen",
    "smaa",
    "swing_weights",
    "with_uncertainty",
]
