"""recscore's engine: load a grounded catalog of recommendations, score and rank it.

Pure Python and numpy; no user-interface code lives here (a test enforces it).
"""

from importlib.metadata import PackageNotFoundError, version

from scoring.errors import Code, InputError, Problem, RecscoreError, ValidationError
from scoring.loading import load_catalog
from scoring.methods import Ranking, rank
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
from scoring.text import find_span, normalize_text
from scoring.weights import normalized_weights, parse_weight_spec, resolve_weights

try:
    __version__ = version("recscore")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = [
    "Catalog",
    "Code",
    "Criterion",
    "DocumentMeta",
    "InputError",
    "Interaction",
    "Interactions",
    "OptionSet",
    "Package",
    "Problem",
    "Ranking",
    "Recommendation",
    "RecscoreError",
    "Score",
    "SetEvaluation",
    "SourceDocument",
    "ValidationError",
    "WeightProfile",
    "__version__",
    "best_package",
    "builtin_sets",
    "compare_sets",
    "evaluate_set",
    "find_span",
    "load_catalog",
    "load_interactions",
    "normalize_text",
    "normalized_weights",
    "parse_weight_spec",
    "rank",
    "resolve_weights",
]
