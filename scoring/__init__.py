"""recscore's engine: load a grounded catalog of recommendations, score and rank it.

Pure Python and numpy; no user-interface code lives here (a test enforces it).
"""

from importlib.metadata import PackageNotFoundError, version

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
    Safeguards,
    Screening,
    Sensitivity,
    SmaaResult,
    WeightConstraints,
    constraints_from_profile,
    one_way_sensitivity,
    screen,
    smaa,
)
from scoring.text import find_span, normalize_text
from scoring.weights import (
    AhpWeights,
    ElicitedWeights,
    ahp_weights,
    normalized_weights,
    parse_weight_spec,
    rank_order_centroid,
    resolve_weights,
    swing_weights,
)

try:
    __version__ = version("recscore")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = [
    "AhpWeights",
    "Catalog",
    "Code",
    "Criterion",
    "DocumentMeta",
    "ElicitedWeights",
    "InputError",
    "Interaction",
    "Interactions",
    "MethodComparison",
    "Notice",
    "OptionSet",
    "Package",
    "Problem",
    "PrometheeII",
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
]
