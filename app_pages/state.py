"""Cached loading, the session's shared keys and the view every page draws from.

Loading is cached with :func:`app_pages.caching.cached` (the app's one cache rule: the catalog
is immutable, so sessions share one object). The cache key holds the data folder and the size
and modification time of every file in it, and the same for the workspace, so an edited seed or
another session's saved override is picked up on the next rerun. A failed load raises and
caches nothing, so the next rerun tries again.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import streamlit as st

from app_pages.caching import cached
from scoring.analysis import RankComparison, compare_to_reference
from scoring.bundled import default_root
from scoring.intake import load_with_documents
from scoring.loading import load_catalog
from scoring.methods import DEFAULT_METHOD, MethodSpec, WeightedSum, registry
from scoring.model import Catalog, WeightProfile
from scoring.robustness.rank_uncertainty import with_uncertainty
from scoring.scope import DEFAULT_DECISION_MAKER, scoped
from scoring.weights import normalized_weights
from scoring.workspace import Workspace, WorkspaceState, apply_overrides

__all__ = [
    "DECISION_MAKER_KEY",
    "FILTER_KEYS",
    "METHOD_DEFAULTS",
    "METHOD_KEYS",
    "VIEW_KEY",
    "AppData",
    "View",
    "current_view",
    "init_session",
    "load_data",
    "method_from_session",
    "method_spec_from",
    "workspace_from_argv",
]

VIEW_KEY = "view"
# Whose options are ranked (scoring.scope); the rest of the catalog is shown as context.
DECISION_MAKER_KEY = "decision_maker"
FILTER_KEYS = {
    "documents": "filter_documents",
    "actors": "filter_actors",
    "instruments": "filter_instruments",
    "kinds": "filter_kinds",
}
# The aggregation method and its settings, shared by every page: the sidebar picks the
# method, the Robustness page's "Method settings" set the rest.
# Each setting's key and default come from its method's schema (the registry, read once).
METHOD_KEYS = {
    "method": "method",
    **{name: setting.state_key for name, (setting, _) in registry.setting_owners().items()},
}
METHOD_DEFAULTS: dict[str, Any] = {
    "method": DEFAULT_METHOD,
    **{name: setting.default for name, (setting, _) in registry.setting_owners().items()},
}
# Keys every page may read; page-local widgets use their page's prefix instead.
SHARED_DEFAULTS: dict[str, Any] = {
    **{METHOD_KEYS[name]: value for name, value in METHOD_DEFAULTS.items()},
    DECISION_MAKER_KEY: DEFAULT_DECISION_MAKER,
    "url_read": False,  # the link's profile and weights are applied once per session
    "url_notices": [],  # what was wrong with the link, shown until dismissed
    "flash": [],  # (kind, message) shown once after an action that reruns the app
    **{key: [] for key in FILTER_KEYS.values()},
}


@dataclass(frozen=True)
class AppData:
    """The bundled catalog, the user's workspace, and the catalog with overrides applied."""

    bundled: Catalog
    workspace: WorkspaceState
    catalog: Catalog
    # What it was loaded from (data folder, file stamps, workspace, decision-maker): a key
    # under which caches of results derived from it can be shared between sessions.
    key: str = ""

    @property
    def profiles(self) -> dict[str, WeightProfile]:
        return self.workspace.profiles_with(self.bundled)


def workspace_from_argv(argv: list[str] | None = None) -> Workspace:
    """``streamlit run app.py -- --workspace DIR`` wins; else $RECSCORE_WORKSPACE, ./workspace."""
    args = sys.argv[1:] if argv is None else argv
    explicit = None
    for index, arg in enumerate(args):
        if arg == "--workspace" and index + 1 < len(args):
            explicit = args[index + 1]
        elif arg.startswith("--workspace="):
            explicit = arg.split("=", 1)[1]
    return Workspace.locate(explicit)


def _digest(stamps: object) -> str:
    """A short key for the cache: Streamlit hashes a string far faster than nested tuples."""
    return hashlib.blake2b(repr(stamps).encode(), digest_size=16).hexdigest()


_SIGNATURE_TTL_SECONDS = 1.0


@cached(max_entries=4, ttl=_SIGNATURE_TTL_SECONDS)
def _catalog_signature(root: Path) -> str:
    """Name, size and modification time of every file under criteria/ and seeds/.

    Looked up at most once a second (the bundled data changes rarely, and a rerun should not
    walk two folders): an edited seed shows within a second. The workspace's fingerprint,
    which other sessions change, is taken on every rerun.
    """
    return _digest(_catalog_stamps(root))


def _catalog_stamps(root: Path) -> list[tuple[str, int, int]]:
    stamps = []
    for folder, pattern in (("criteria", "**/*"), ("seeds", "*")):
        for path in sorted((root / folder).glob(pattern)):
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
    return stamps


@cached(max_entries=2)
def _bundled(root: str, signature: str) -> Catalog:
    return load_catalog(root)


@cached(max_entries=8)
def _app_data(
    root: str, signature: str, workspace_root: str, workspace_signature: str, decision_maker: str
) -> AppData:
    # "bundled" here is the catalog without overrides: seeds plus the workspace's documents.
    bundled, state = load_with_documents(Workspace(workspace_root), _bundled(root, signature))
    return AppData(
        scoped(bundled, decision_maker),
        state,
        scoped(apply_overrides(bundled, state.overrides), decision_maker),
        "|".join((root, signature, workspace_root, workspace_signature, decision_maker)),
    )


def load_data() -> AppData:
    """The catalog and workspace as they are on disk now (cached while unchanged).

    Raises :class:`scoring.errors.RecscoreError` when the catalog or workspace is unusable.
    """
    root = default_root()
    workspace = workspace_from_argv()
    return _app_data(
        str(root),
        _catalog_signature(root),
        str(workspace.root),
        _digest(workspace.fingerprint()),
        st.session_state.get(DECISION_MAKER_KEY, DEFAULT_DECISION_MAKER),
    )


def init_session(data: AppData) -> None:
    """Set every shared key once per session (``setdefault``: later runs keep the values)."""
    for key, value in SHARED_DEFAULTS.items():
        st.session_state.setdefault(key, list(value) if isinstance(value, list) else value)
    st.session_state.setdefault("profile", data.bundled.default_profile)


def method_spec_from(settings: Mapping[str, Any]) -> MethodSpec:
    """The method object for settings keyed like :data:`METHOD_DEFAULTS` (not validated)."""
    method = registry.get(settings["method"])
    return method(**{s.name: s.parse(settings[s.name]) for s in method.settings_schema()})


def method_from_session(name: str | None = None) -> MethodSpec:
    """Method ``name`` (default: the sidebar's) with the session's settings for it, as the
    Robustness page sets them (validated when it ranks)."""
    settings = {key: st.session_state[state_key] for key, state_key in METHOD_KEYS.items()}
    return method_spec_from(settings if name is None else {**settings, "method": name})


@dataclass(frozen=True)
class View:
    """What the sidebar chose: every page draws this and nothing else."""

    data: AppData
    profile: WeightProfile
    points: Mapping[str, float]  # the sliders
    weights: Mapping[str, float]  # what is ranked: the profile's own if the sliders match it
    at_profile: bool  # the sliders show the profile's weights, untouched
    include: tuple[str, ...] | None  # None: no filter
    # How every page aggregates, with its settings.
    method_spec: MethodSpec = field(default_factory=WeightedSum)

    @property
    def method(self) -> str:
        """The aggregation method's name, one of :func:`scoring.methods.names`."""
        return self.method_spec.name

    @property
    def catalog(self) -> Catalog:
        return self.data.catalog

    @property
    def profiles(self) -> dict[str, WeightProfile]:
        return self.data.profiles

    @cached_property
    def comparison(self) -> RankComparison:
        """The ranking, beside the ranking under the profile's own weights."""
        return compare_to_reference(
            self.catalog, self.weights, self.profile.weights, self.include, self.method_spec
        )

    @cached_property
    def settled(self) -> RankComparison:
        """:attr:`comparison` whose ranking carries its rank intervals and near-ties (draws
        cached per catalog, so a slider move only re-weights them). Only the pages that show
        them ask, so the others do not pay for it."""
        comparison = self.comparison
        return replace(comparison, ranking=with_uncertainty(self.catalog, comparison.ranking))

    @cached_property
    def shares(self) -> dict[str, float]:
        """Normalised weights (summing to 1) by criterion id."""
        vector = normalized_weights(self.weights, self.catalog.criterion_ids)
        return dict(zip(self.catalog.criterion_ids, vector.tolist(), strict=True))


def current_view() -> View:
    """The view the frame (``app_pages/frame.py``) computed for this run."""
    return st.session_state[VIEW_KEY]
