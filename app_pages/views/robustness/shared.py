"""What every Robustness tab shares: widget keys, inputs from the session, cached engine calls."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app_pages.caching import cached
from app_pages.render import md
from app_pages.state import View, method_from_session
from app_pages.views import elicitation
from scoring.errors import Notice
from scoring.methods import (
    MethodComparison,
    MethodSpec,
    Ranking,
    compare_methods,
    names,
    rank_by,
)
from scoring.model import Catalog
from scoring.robustness import (
    DEFAULT_SAMPLES,
    DEFAULT_SCORE_MODEL,
    DEFAULT_SEED,
    DEFAULT_WEIGHT_MODEL,
    Safeguards,
    Screening,
    Sensitivity,
    SmaaResult,
    WeightConstraints,
    one_way_sensitivity,
    screen,
    smaa,
)

__all__ = [
    "LEVELS",
    "NO_LEVEL",
    "PERSIST",
    "SENS_CRITERION_KEY",
    "SENS_TOP_KEY",
    "SENTENCES_SHOWN",
    "SMAA_MAX_SAMPLES",
    "SMAA_SAMPLES_KEY",
    "SMAA_SCORES",
    "SMAA_SCORES_KEY",
    "SMAA_SEED_KEY",
    "SMAA_TOP_KEY",
    "SMAA_WEIGHTS",
    "SMAA_WEIGHTS_KEY",
    "TABS",
    "TAB_KEY",
    "all_methods",
    "cached_compare",
    "cached_rank",
    "cached_screen",
    "cached_sensitivity",
    "cached_smaa",
    "catalog_key",
    "in_play",
    "init_page",
    "min_key",
    "safeguards_of",
    "show_notices",
    "veto_key",
    "weights_of",
]

TAB_KEY = "rob_tab"

TABS = ("Weight elicitation", "Methods", "Safeguards", "Sensitivity", "SMAA")

SENS_CRITERION_KEY = "rob_sens_criterion"

SENS_TOP_KEY = "rob_sens_top"

SMAA_SAMPLES_KEY = "rob_smaa_samples"

SMAA_SEED_KEY = "rob_smaa_seed"

SMAA_SCORES_KEY = "rob_smaa_scores"

SMAA_WEIGHTS_KEY = "rob_smaa_weights"

SMAA_TOP_KEY = "rob_smaa_top"

PERSIST = "session"  # page-local values survive tab and page switches

NO_LEVEL = 0.0  # the level pickers' "none": a selectbox shows None as an empty placeholder

LEVELS = (NO_LEVEL, 1.0, 2.0, 3.0, 4.0, 5.0)

SMAA_SCORES = {  # the default (triangular) first, as scoring.robustness.SCORE_MODELS
    "triangular": "Triangular, peaking at the recorded value (default)",
    "pert": "PERT (Beta), peaking at the recorded value, tighter",
    "uniform": "Uniform within each score's range",
    "fixed": "Fixed at the values (weights vary only)",
}

SMAA_WEIGHTS = {
    "uniform": "Uniform: no preference information",
    "order": "Keep the order of the current weights",
    "fixed": "Fixed at the current weights (scores vary only)",
}

SMAA_MAX_SAMPLES = 200_000  # about 10 s; the engine itself allows up to 1,000,000

SENTENCES_SHOWN = 5


def catalog_key(catalog: Catalog) -> str:
    """What the cached results depend on in a catalog: criteria, directions, ids, titles and
    every score (microseconds for hundreds of recommendations)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(
        repr(
            (
                catalog.criterion_ids,
                catalog.cost_mask.tolist(),
                catalog.recommendation_ids,
                [rec.title for rec in catalog.recommendations],
            )
        ).encode()
    )
    for array in (catalog.values, catalog.low, catalog.high):
        digest.update(array.tobytes())
    return digest.hexdigest()


def weights_of(view: View) -> tuple[tuple[str, float], ...]:
    return tuple((cid, float(view.weights.get(cid, 0.0))) for cid in view.catalog.criterion_ids)


def all_methods(view: View) -> tuple[MethodSpec, ...]:
    """Every method, each with the settings chosen here (the chosen method as it ranks)."""
    chosen = view.method_spec
    return tuple(chosen if name == chosen.name else method_from_session(name) for name in names())


def min_key(criterion_id: str) -> str:
    return f"rob_min_{criterion_id}"


def veto_key(criterion_id: str) -> str:
    return f"rob_veto_{criterion_id}"


def safeguards_of(catalog: Catalog) -> Safeguards:
    ids = catalog.criterion_ids
    minimums = {cid: st.session_state.get(min_key(cid)) for cid in ids}
    vetoes = {cid: st.session_state.get(veto_key(cid)) for cid in ids}
    return Safeguards(
        minimums={cid: float(v) for cid, v in minimums.items() if v and v != NO_LEVEL},
        vetoes={cid: float(v) for cid, v in vetoes.items() if v and v != NO_LEVEL},
    )


def in_play(view: View, screening: Screening) -> tuple[str, ...] | None:
    """The recommendations every section ranks: the sidebar's filters, then the safeguards."""
    if not screening.failed:
        return view.include
    passed = set(screening.passed)
    pool = view.catalog.recommendation_ids if view.include is None else view.include
    return tuple(rec_id for rec_id in pool if rec_id in passed)


def init_page(view: View) -> None:
    """Page-local defaults, set once per session (``setdefault``)."""
    catalog = view.catalog
    defaults: dict[str, object] = {
        TAB_KEY: TABS[0],
        SENS_TOP_KEY: min(10, len(catalog.recommendations)),
        SMAA_SAMPLES_KEY: DEFAULT_SAMPLES,
        SMAA_SEED_KEY: DEFAULT_SEED,
        SMAA_SCORES_KEY: DEFAULT_SCORE_MODEL,
        SMAA_WEIGHTS_KEY: DEFAULT_WEIGHT_MODEL,
        SMAA_TOP_KEY: min(10, len(catalog.recommendations)),
        **{min_key(cid): NO_LEVEL for cid in catalog.criterion_ids},
        **{veto_key(cid): NO_LEVEL for cid in catalog.criterion_ids},
    }
    for key, value in defaults.items():
        st.session_state.setdefault(key, value)
    elicitation.init(view)


@cached(max_entries=64)
def cached_screen(_catalog: Catalog, catalog_key: str, safeguards: Safeguards) -> Screening:
    return screen(_catalog, safeguards, source="safeguards")


@cached(max_entries=64)
def cached_rank(
    _catalog: Catalog,
    catalog_key: str,
    weights: tuple[tuple[str, float], ...],
    method: MethodSpec,
    include: tuple[str, ...] | None,
) -> Ranking:
    return rank_by(_catalog, dict(weights), method, include)


@cached(max_entries=64)
def cached_compare(
    _catalog: Catalog,
    catalog_key: str,
    weights: tuple[tuple[str, float], ...],
    methods: tuple[MethodSpec, ...],
    include: tuple[str, ...] | None,
) -> tuple[MethodComparison, pd.DataFrame]:
    comparison = compare_methods(_catalog, dict(weights), methods, include)
    return comparison, comparison.tau_frame()


@cached(max_entries=64)
def cached_sensitivity(
    _catalog: Catalog,
    catalog_key: str,
    weights: tuple[tuple[str, float], ...],
    method: MethodSpec,
    include: tuple[str, ...] | None,
) -> Sensitivity:
    return one_way_sensitivity(_catalog, dict(weights), method, include, top=SENTENCES_SHOWN)


@cached(max_entries=32, spinner="Sampling weights and scores…")
def cached_smaa(
    _catalog: Catalog,
    catalog_key: str,
    constraints: WeightConstraints,
    scores: str,
    samples: int,
    seed: int,
    include: tuple[str, ...] | None,
    method: MethodSpec,
) -> SmaaResult:
    return smaa(_catalog, constraints, scores, samples, seed, include, method=method)


def show_notices(notices: Sequence[Notice]) -> None:
    for notice in notices:
        st.info(md(notice.message), icon=":material/info:")
