"""Aggregation methods: the :class:`Method` protocol, the registry and the built-in methods.

Weighted sum is the standard; TOPSIS and PROMETHEE II are comparisons. Each method is one
module (:mod:`~scoring.methods.weighted_sum`, :mod:`~scoring.methods.topsis`,
:mod:`~scoring.methods.promethee`) holding a frozen dataclass whose fields are its settings
and whose class attributes name it; :mod:`~scoring.methods.registry` lists them. Fronts and
briefs ask the registry (``names()``, ``get(name)``) and the method object, never a table of
their own. Rankings (:class:`Ranking`, :func:`rank`, :func:`rank_by`,
:func:`compare_methods`) live in :mod:`~scoring.methods.ranking`.

Adding a method: one module with a class following :class:`~scoring.methods.base.Method`
(copy ``weighted_sum.py``), and one ``register(...)`` line below.
"""

from __future__ import annotations

from scoring.methods import registry
from scoring.methods.base import Kernel, Method, MethodBase, Setting
from scoring.methods.promethee import (
    PREFERENCE_FUNCTIONS,
    PYMCDM_NAMES,
    PrometheeII,
    promethee_thresholds,
)
from scoring.methods.promethee_flows import (
    promethee_flows,
    promethee_flows_batched,
    promethee_flows_pairwise,
)
from scoring.methods.ranking import (
    TIE_DECIMALS,
    MethodComparison,
    Ranking,
    assemble_ranking,
    compare_methods,
    kendall_tau,
    rank,
    rank_by,
    rank_normalized,
    rank_order,
    weighted_sum,
)
from scoring.methods.registry import (
    DEFAULT_METHOD,
    METHOD_NAMES,
    METHODS,
    check_method,
    get,
    method_spec,
    names,
    register,
    score_range,
    spec_settings,
)
from scoring.methods.topsis import Topsis, topsis_closeness
from scoring.methods.weighted_sum import WeightedSum
from scoring.model import normalize_scores

# The built-in methods, in the order every list shows them. A new method: one line here.
if not registry.names():  # a reload of this package must not register them twice
    register(WeightedSum)
    register(Topsis)
    register(PrometheeII)

MethodSpec = Method  # the name the settings objects had before the protocol

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "METHOD_NAMES",
    "PREFERENCE_FUNCTIONS",
    "PYMCDM_NAMES",
    "TIE_DECIMALS",
    "Kernel",
    "Method",
    "MethodBase",
    "MethodComparison",
    "MethodSpec",
    "PrometheeII",
    "Ranking",
    "Setting",
    "Topsis",
    "WeightedSum",
    "assemble_ranking",
    "check_method",
    "compare_methods",
    "get",
    "kendall_tau",
    "method_spec",
    "names",
    "normalize_scores",
    "promethee_flows",
    "promethee_flows_batched",
    "promethee_flows_pairwise",
    "promethee_thresholds",
    "rank",
    "rank_by",
    "rank_normalized",
    "rank_order",
    "register",
    "score_range",
    "spec_settings",
    "topsis_closeness",
    "weighted_sum",
]
