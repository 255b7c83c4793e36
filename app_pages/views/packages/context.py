"""What every Packages tab shares: widget keys, cached engine calls, context and outcomes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import streamlit as st

from app_pages.caching import cached
from app_pages.components import show_failure, show_problems
from app_pages.render import document_names, md
from app_pages.state import AppData, View
from scoring.bundled import default_root
from scoring.errors import Problem, RecscoreError, ValidationError
from scoring.loading import INTERACTIONS_FILE
from scoring.model import Catalog, WeightProfile
from scoring.option_sets import (
    CONFLICT_PENALTY,
    SETS_DIR,
    SYNERGY_BONUS,
    Interaction,
    Interactions,
    OptionSet,
    Package,
    best_package,
    best_packages_by_profile,
    builtin_sets,
    load_interactions,
    load_user_sets,
)
from scoring.set_robustness import SetAcceptability, set_acceptability
from scoring.workspace import Workspace

__all__ = [
    "COMPARE_KEY",
    "DEFAULT_SIZE",
    "EDIT_KEY",
    "EXCLUDE_KEY",
    "FORMULA",
    "METRIC_KEY",
    "METRIC_LABELS",
    "NEW",
    "OUTCOME_KEY",
    "PACKAGE_NAME_KEY",
    "PERSIST",
    "REASONS",
    "REQUIRE_KEY",
    "SCOPES",
    "SCOPE_KEY",
    "SET_KEY",
    "SIZE_KEY",
    "START_KEY",
    "TABS",
    "TAB_KEY",
    "TYPES",
    "TYPES_KEY",
    "Context",
    "cached_package",
    "cached_packages_by_profile",
    "cached_set_acceptability",
    "conflict_note",
    "context_of",
    "editor_keys",
    "fail",
    "package_for",
    "pair_line",
    "plural",
    "report",
    "set_picker",
    "show_outcome",
    "weights_key",
]

TAB_KEY = "packages_tab"

TABS = ("Option sets", "Compare sets", "Best package", "Conflicts and synergies")

SET_KEY = "packages_set"

EDIT_KEY = "packages_edit"

START_KEY = "packages_start"

OUTCOME_KEY = "packages_outcome"  # place -> (kind, message or problems), shown once there

COMPARE_KEY = "packages_compare"

METRIC_KEY = "packages_metric"

SIZE_KEY = "packages_size"

REQUIRE_KEY = "packages_require"

EXCLUDE_KEY = "packages_exclude"

PACKAGE_NAME_KEY = "packages_package_name"

SCOPE_KEY = "packages_scope"

TYPES_KEY = "packages_types"

NEW = ""  # the editor's target while the set is not saved yet

PERSIST = "session"  # pickers keep their value while another tab or page is shown

DEFAULT_SIZE = 5

METRIC_LABELS = {
    "adjusted_mean": "adjusted score per member",
    "adjusted": "adjusted score",
    "mean": "mean weighted score",
    "total": "total weighted score",
}

REASONS = {
    "conflict": "conflicts with a member",
    "size": "package full",
    "no_gain": "adds nothing",
    "excluded": "excluded by you",
}

SCOPES = {
    "partners": "The set and what interacts with it",
    "set": "Inside the set only",
    "all": "Every recommendation",
}

TYPES = {"conflict": "Conflicts", "synergy": "Synergies"}

FORMULA = (
    f"adjusted = total − {CONFLICT_PENALTY:g} × (conflict strength inside) + "
    f"{SYNERGY_BONUS:g} × (synergy strength inside)"
)


def editor_keys(target: str) -> tuple[str, str, str]:
    """The set editor's name, description and members keys for ``target`` (NEW or a set id).

    Saved sets get ``__<id>`` (ids never hold two underscores in a row), the new set ``_new``.
    """
    suffix = f"_{target}" if target else "new"
    return (
        f"packages_name_{suffix}",
        f"packages_description_{suffix}",
        f"packages_members_{suffix}",
    )


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (path.name, stat.st_size, stat.st_mtime_ns)


@cached(max_entries=4)
def _interactions(
    root: str, stamp: object, ids_key: str, _catalog: Catalog
) -> tuple[Interactions, tuple[Problem, ...]]:
    """The validated interactions, or the file's problems (cached: a rerun pays for neither)."""
    try:
        return load_interactions(root, _catalog), ()
    except ValidationError as exc:
        return Interactions(), tuple(exc.problems)


@cached(max_entries=8)
def _user_sets(
    root: str, stamps: object, ids_key: str, _catalog: Catalog
) -> tuple[tuple[OptionSet, ...], tuple[Problem, ...]]:
    return load_user_sets(Workspace(root), _catalog)


@cached(max_entries=8)
def _builtin_sets(ids_key: str, _catalog: Catalog) -> tuple[OptionSet, ...]:
    return builtin_sets(_catalog)


@dataclass(frozen=True)
class Context:
    """What every tab needs: the view, the interactions and every option set."""

    view: View
    interactions: Interactions
    key: str  # identifies the scores and the interactions, for the solver caches
    builtin: tuple[OptionSet, ...]
    user: tuple[OptionSet, ...]
    problems: tuple[Problem, ...]  # saved sets that cannot be used

    @property
    def catalog(self) -> Catalog:
        return self.view.catalog

    @property
    def data(self) -> AppData:
        return self.view.data

    @cached_property
    def sets(self) -> dict[str, OptionSet]:
        return {option_set.id: option_set for option_set in (*self.builtin, *self.user)}

    @cached_property
    def set_labels(self) -> dict[str, str]:
        labels = {}
        for option_set in self.builtin:
            kind = "Document" if option_set.id.startswith("document-") else "Instrument"
            labels[option_set.id] = f"{kind} · {option_set.name}"
        for option_set in self.user:
            labels[option_set.id] = f"Yours · {option_set.name}"
        return labels

    @cached_property
    def documents(self) -> dict[str, str]:
        """A recommendation's document, by its short name (“Policy paper”)."""
        names = document_names(self.catalog)
        return {rec.id: names[rec.document] for rec in self.catalog.recommendations}

    @cached_property
    def prefixes(self) -> dict[str, str]:
        """The document's first word (“ChinaFile”), to tag a row label briefly."""
        return {rec_id: name.split()[0] for rec_id, name in self.documents.items()}

    @cached_property
    def titles(self) -> dict[str, str]:
        return {rec.id: rec.title for rec in self.catalog.recommendations}

    @cached_property
    def rec_order(self) -> list[str]:
        """Recommendations by document, then title: how a reader looks them up."""
        catalog = self.catalog
        return sorted(
            catalog.recommendation_ids,
            key=lambda rec_id: (catalog.recommendation(rec_id).document, self.titles[rec_id]),
        )

    @cached_property
    def position(self) -> dict[str, int]:
        """Each recommendation's place in :attr:`rec_order`, to sort any subset alike."""
        return {rec_id: index for index, rec_id in enumerate(self.rec_order)}

    def rec_label(self, rec_id: str) -> str:
        return f"{self.titles[rec_id]} · {self.documents[rec_id]}"


def context_of(view: View) -> Context:
    catalog = view.data.bundled  # interactions and sets name ids; overrides change no id
    root = default_root()
    ids_key = _digest(catalog.recommendation_ids, catalog.instruments)
    interactions, problems = _interactions(
        str(root), _stamp(root / INTERACTIONS_FILE), ids_key, catalog
    )
    if problems:
        show_problems(problems, "The interactions file cannot be used:")
        st.stop()
    workspace = view.data.workspace.workspace
    folder = workspace.root / SETS_DIR
    stamps = (
        tuple(_stamp(path) for path in sorted(folder.glob("*.yaml"))) if folder.is_dir() else ()
    )
    user, set_problems = _user_sets(str(workspace.root), stamps, ids_key, catalog)
    scores = view.catalog.values  # with the workspace's score edits
    key = _digest(scores.tobytes(), ids_key, _stamp(root / INTERACTIONS_FILE))
    return Context(view, interactions, key, _builtin_sets(ids_key, catalog), user, set_problems)


def weights_key(weights: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((cid, float(value)) for cid, value in weights.items()))


@cached(max_entries=64)
def cached_package(
    key: str,
    weights: tuple[tuple[str, float], ...],
    size: int,
    require: tuple[str, ...],
    exclude: tuple[str, ...],
    _catalog: Catalog,
    _interactions: Interactions,
) -> Package:
    """The engine's best package (a frozen result, shared by every session with these inputs).

    A failure raises and is not cached.
    """
    return best_package(_catalog, _interactions, dict(weights), size, require, exclude)


@cached(max_entries=32)
def cached_packages_by_profile(
    key: str,
    profiles_key: tuple[object, ...],
    size: int,
    require: tuple[str, ...],
    exclude: tuple[str, ...],
    _catalog: Catalog,
    _interactions: Interactions,
    _profiles: Mapping[str, WeightProfile],
) -> dict[str, Package]:
    return best_packages_by_profile(_catalog, _interactions, _profiles, size, require, exclude)


@cached(max_entries=16)
def cached_set_acceptability(
    key: str,
    members: tuple[tuple[str, tuple[str, ...]], ...],
    metric: str,
    _catalog: Catalog,
    _interactions: Interactions,
    _sets: tuple[OptionSet, ...],
) -> SetAcceptability:
    """How often each set wins under SMAA; independent of the sliders, so a weight change
    reruns from the cache."""
    return set_acceptability(_catalog, _interactions, _sets, metric=metric, seed=0)


def package_for(ctx: Context, size: int, require: Sequence[str], exclude: Sequence[str]) -> Package:
    return cached_package(
        ctx.key,
        weights_key(ctx.view.weights),
        size,
        tuple(require),
        tuple(exclude),
        ctx.catalog,
        ctx.interactions,
    )


def pair_line(ctx: Context, pair: Interaction) -> str:
    mark = "✕" if pair.type == "conflict" else "\\+"  # escaped: "- +" would nest a list
    return (
        f"- {mark} **{md(ctx.titles[pair.a])}** and **{md(ctx.titles[pair.b])}** "
        f"(strength {pair.strength}): {md(pair.rationale)}"
    )


def plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def set_picker(ctx: Context) -> OptionSet:
    """The set being looked at; the same widget (and value) on the sets and matrix tabs."""
    ids = list(ctx.sets)
    if st.session_state.get(SET_KEY) not in ids:
        st.session_state[SET_KEY] = ids[0]
    st.selectbox(
        "Option set",
        ids,
        format_func=ctx.set_labels.__getitem__,
        key=SET_KEY,
        persist_state=PERSIST,
        help="Built in: one set per document (what its author proposes) and one per "
        "instrument family. Make your own under Option sets › Your sets.",
    )
    return ctx.sets[st.session_state[SET_KEY]]


def report(place: str, kind: str, payload: object) -> None:
    """Leave the outcome of an action for ``place`` (where the user acted) to show once."""
    st.session_state.setdefault(OUTCOME_KEY, {})[place] = (kind, payload)


def fail(place: str, exc: RecscoreError) -> None:
    if isinstance(exc, ValidationError):
        report(place, "problems", list(exc.problems))
    else:  # pragma: no cover - every RecscoreError the set functions raise carries problems
        report(place, "failure", exc)


def show_outcome(place: str) -> None:
    outcome = st.session_state.get(OUTCOME_KEY, {}).pop(place, None)
    if outcome is None:
        return
    kind, payload = outcome
    if kind == "success":
        st.success(payload)
    elif kind == "problems":
        show_problems(payload, "Nothing was saved:")
    else:
        show_failure(payload, "Nothing was saved:")


def conflict_note(interactions: Interactions, members: Sequence[str]) -> str:
    count = sum(pair.type == "conflict" for pair in interactions.within(members))
    if not count:
        return ""
    return (
        f" It holds {plural(count, 'conflicting pair')}: it is saved, and flagged when evaluated."
    )
