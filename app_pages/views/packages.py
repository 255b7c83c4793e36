"""Packages: option sets, their conflicts and synergies, side-by-side comparison and the best
package, all under the sidebar's current weights.

Every number comes from :mod:`scoring.option_sets`; this module only collects inputs and
draws. Only the open tab is drawn, each tab is a fragment (a change inside it reruns only
it), and the two costly calls, the MILP and its repetition under every profile, are cached
by their inputs, so moving a weight slider stays quick. Saving, editing and deleting a user
set run as widget callbacks, before the tab is drawn, so its pickers follow the change in
the same rerun; their outcome is shown inside the tab (the app's flash messages are drawn
only on a full rerun, which a fragment does not make).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import charts, charts_packages
from app_pages.charts import wrapped
from app_pages.render import md, percent, short_document_name, show_problems, truncate
from app_pages.state import AppData, View, current_view
from scoring.analysis import compare_to_reference
from scoring.bundled import default_root
from scoring.errors import Problem, RecscoreError, ValidationError
from scoring.loading import INTERACTIONS_FILE
from scoring.methods import DEFAULT_METHOD
from scoring.model import Catalog, WeightProfile
from scoring.option_sets import (
    CONFLICT_PENALTY,
    MAX_COMPARED,
    METRICS,
    MIN_COMPARED,
    SETS_DIR,
    SYNERGY_BONUS,
    Interaction,
    Interactions,
    LeftOut,
    OptionSet,
    Package,
    SetComparison,
    SetEvaluation,
    best_package,
    best_packages_by_profile,
    builtin_sets,
    compare_sets,
    delete_user_set,
    evaluate_set,
    load_interactions,
    load_user_sets,
    pairs_in_scope,
    save_user_set,
    winners_by_profile,
)
from scoring.set_robustness import SetAcceptability, set_acceptability
from scoring.workspace import Workspace

__all__ = [
    "COMPARE_KEY",
    "EDIT_KEY",
    "EXCLUDE_KEY",
    "REQUIRE_KEY",
    "SET_KEY",
    "SIZE_KEY",
    "TAB_KEY",
    "editor_keys",
    "page",
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


# --- loading, cached by what it depends on ---------------------------------------------------


def _digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def _stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (path.name, stat.st_size, stat.st_mtime_ns)


@st.cache_resource(show_spinner=False, max_entries=4)
def _interactions(
    root: str, stamp: object, ids_key: str, _catalog: Catalog
) -> tuple[Interactions, tuple[Problem, ...]]:
    """The validated interactions, or the file's problems (cached: a rerun pays for neither)."""
    try:
        return load_interactions(root, _catalog), ()
    except ValidationError as exc:
        return Interactions(), tuple(exc.problems)


@st.cache_resource(show_spinner=False, max_entries=8)
def _user_sets(
    root: str, stamps: object, ids_key: str, _catalog: Catalog
) -> tuple[tuple[OptionSet, ...], tuple[Problem, ...]]:
    return load_user_sets(Workspace(root), _catalog)


@st.cache_resource(show_spinner=False, max_entries=8)
def _builtin_sets(ids_key: str, _catalog: Catalog) -> tuple[OptionSet, ...]:
    return builtin_sets(_catalog)


@dataclass(frozen=True)
class _Context:
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
        names = {doc.name: short_document_name(doc) for doc in self.catalog.documents}
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


def _context(view: View) -> _Context:
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
    return _Context(view, interactions, key, _builtin_sets(ids_key, catalog), user, set_problems)


def _weights_key(weights: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((cid, float(value)) for cid, value in weights.items()))


@st.cache_resource(show_spinner=False, max_entries=64)
def _package(
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


@st.cache_resource(show_spinner=False, max_entries=32)
def _packages_by_profile(
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


@st.cache_resource(show_spinner=False, max_entries=16)
def _set_acceptability(
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


def _package_for(
    ctx: _Context, size: int, require: Sequence[str], exclude: Sequence[str]
) -> Package:
    return _package(
        ctx.key,
        _weights_key(ctx.view.weights),
        size,
        tuple(require),
        tuple(exclude),
        ctx.catalog,
        ctx.interactions,
    )


# --- shared drawing --------------------------------------------------------------------------


def _pair_line(ctx: _Context, pair: Interaction) -> str:
    mark = "✕" if pair.type == "conflict" else "\\+"  # escaped: "- +" would nest a list
    return (
        f"- {mark} **{md(ctx.titles[pair.a])}** and **{md(ctx.titles[pair.b])}** "
        f"(strength {pair.strength}): {md(pair.rationale)}"
    )


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def _show_evaluation(ctx: _Context, evaluation: SetEvaluation, key: str) -> None:
    """The set's scores, its flags, its members and how well it covers each criterion."""
    conflicts, synergies = evaluation.conflicts, evaluation.synergies
    conflict_strength = sum(pair.strength for pair in conflicts)
    synergy_strength = sum(pair.strength for pair in synergies)
    net = evaluation.bonus - evaluation.penalty
    columns = st.columns(5)
    columns[0].metric("Members", evaluation.size)
    columns[1].metric(
        "Total score",
        f"{evaluation.total:.3f}",
        help="Sum of the members' weighted scores; each lies between 0 (worst on every "
        "criterion) and 1 (best on every one).",
    )
    columns[2].metric("Mean score", f"{evaluation.mean:.3f}", help="Total ÷ members.")
    columns[3].metric(
        "Adjusted score",
        f"{evaluation.adjusted:.3f}",
        delta=f"{net:+.3f}" if net else None,
        help=FORMULA,
    )
    columns[4].metric(
        "Adjusted per member",
        f"{evaluation.adjusted_mean:.3f}",
        help="Adjusted ÷ members: compares sets of different sizes fairly.",
    )
    penalty_note = (
        f"{evaluation.conflict_penalty:g} × strength {conflict_strength} of "
        f"{_plural(len(conflicts), 'conflict')}"
        if conflicts
        else "no conflict inside"
    )
    bonus_note = (
        f"{evaluation.synergy_bonus:g} × strength {synergy_strength} of "
        f"{_plural(len(synergies), 'synergy', 'synergies')}"
        if synergies
        else "no synergy inside"
    )
    st.markdown(
        f"Adjusted **{evaluation.adjusted:.3f}** = total {evaluation.total:.3f} − conflict "
        f"penalty **{evaluation.penalty:.3f}** ({penalty_note}) + synergy bonus "
        f"**{evaluation.bonus:.3f}** ({bonus_note})."
    )
    if conflicts:
        st.warning(
            f"**Flagged: this set holds {_plural(len(conflicts), 'conflicting pair')}.** "
            "A package that pursues both sides of a conflict is incoherent. The set is kept "
            f"as it is; each conflict costs {evaluation.conflict_penalty:g} per unit of "
            "strength.\n\n" + "\n".join(_pair_line(ctx, pair) for pair in conflicts)
        )
    else:
        st.success("Coherent: no two members conflict.")
    if synergies:
        with st.expander(f"Synergies inside ({len(synergies)})", expanded=len(synergies) <= 4):
            st.markdown("\n".join(_pair_line(ctx, pair) for pair in synergies))
    _members_table(ctx, evaluation, key)
    _coverage_table(ctx, evaluation, key)


def _members_table(ctx: _Context, evaluation: SetEvaluation, key: str) -> None:
    members = evaluation.members_frame(ctx.catalog)
    flags: Counter[str] = Counter()
    for pair in evaluation.conflicts:
        flags.update((pair.a, pair.b))
    members["document"] = [ctx.documents[rec_id] for rec_id in members["id"]]
    members["flag"] = [f"✕ {flags[rec_id]}" if flags[rec_id] else "" for rec_id in members["id"]]
    st.markdown("**Members**, best first")
    st.dataframe(
        members,
        key=f"{key}_members",
        hide_index=True,
        width="stretch",
        height=min(35 * (len(members) + 1) + 3, 388),
        column_order=["title", "document", "score", "flag"],
        column_config={
            "title": st.column_config.TextColumn("Recommendation", width=430),
            "document": st.column_config.TextColumn("Document", width=160),
            "score": st.column_config.ProgressColumn(
                "Score", min_value=0.0, max_value=1.0, format="%.3f", width=100
            ),
            "flag": st.column_config.TextColumn(
                "Conflicts", width=70, help="How many members of the set it conflicts with"
            ),
        },
    )


def _coverage_table(ctx: _Context, evaluation: SetEvaluation, key: str) -> None:
    catalog = ctx.catalog
    frame = evaluation.coverage_frame()
    frame["criterion_name"] = [
        catalog.criterion(cid).name + (" (cost)" if catalog.criterion(cid).is_cost else "")
        for cid in frame["criterion"]
    ]
    frame["weight_text"] = [percent(w) for w in frame["weight"]]
    frame["best_title"] = [ctx.titles[rec_id] for rec_id in frame["best_member"]]
    st.markdown("**Coverage per criterion** (0 worst, 1 best)")
    st.dataframe(
        frame,
        key=f"{key}_coverage",
        hide_index=True,
        width="stretch",
        column_order=["criterion_name", "weight_text", "best", "mean", "best_title"],
        column_config={
            "criterion_name": st.column_config.TextColumn("Criterion", width=220),
            "weight_text": st.column_config.TextColumn("Weight", width=60),
            "best": st.column_config.ProgressColumn(
                "Best",
                min_value=0.0,
                max_value=1.0,
                format="%.2f",
                width=90,
                help="The best member's normalised score on this criterion",
            ),
            "mean": st.column_config.ProgressColumn(
                "Mean",
                min_value=0.0,
                max_value=1.0,
                format="%.2f",
                width=90,
                help="The members' mean normalised score: how evenly the set covers it",
            ),
            "best_title": st.column_config.TextColumn("Best member", width=350),
        },
    )


def _set_picker(ctx: _Context) -> OptionSet:
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


def _report(place: str, kind: str, payload: object) -> None:
    """Leave the outcome of an action for ``place`` (where the user acted) to show once."""
    st.session_state.setdefault(OUTCOME_KEY, {})[place] = (kind, payload)


def _fail(place: str, exc: RecscoreError) -> None:
    if isinstance(exc, ValidationError):
        _report(place, "problems", list(exc.problems))
    else:  # pragma: no cover - every RecscoreError the set functions raise carries problems
        _report(place, "error", str(exc))


def _show_outcome(place: str) -> None:
    outcome = st.session_state.get(OUTCOME_KEY, {}).pop(place, None)
    if outcome is None:
        return
    kind, payload = outcome
    if kind == "success":
        st.success(payload)
    elif kind == "problems":
        show_problems(payload, "Nothing was saved:")
    else:
        st.error(payload)


def _conflict_note(interactions: Interactions, members: Sequence[str]) -> str:
    count = sum(pair.type == "conflict" for pair in interactions.within(members))
    if not count:
        return ""
    return (
        f" It holds {_plural(count, 'conflicting pair')}: it is saved, and flagged when evaluated."
    )


# --- callbacks (run before the tab is drawn) -------------------------------------------------


def _save_set(data: AppData, interactions: Interactions, target: str) -> None:
    name_key, description_key, members_key = editor_keys(target)
    try:
        saved = save_user_set(
            data.workspace.workspace,
            data.bundled,
            st.session_state[name_key],
            st.session_state[members_key],
            st.session_state[description_key],
            set_id=target or None,
            replace=bool(target),
        )
    except RecscoreError as exc:
        _fail("editor", exc)
        return
    if not target:  # the new-set form starts empty again
        st.session_state.update({name_key: "", description_key: "", members_key: []})
        st.session_state[START_KEY] = ""
    saved_keys = editor_keys(saved.id)
    st.session_state.update(
        {
            saved_keys[0]: saved.name,
            saved_keys[1]: saved.description,
            saved_keys[2]: list(saved.members),
        }
    )
    st.session_state[EDIT_KEY] = saved.id
    st.session_state[SET_KEY] = saved.id
    _report(
        "sets",
        "success",
        f"Saved “{md(saved.name)}” with {_plural(len(saved.members), 'member')}."
        + _conflict_note(interactions, saved.members),
    )


def _save_package(data: AppData, interactions: Interactions, members: tuple[str, ...]) -> None:
    name = st.session_state.get(PACKAGE_NAME_KEY, "")
    try:
        saved = save_user_set(
            data.workspace.workspace,
            data.bundled,
            name,
            members,
            "Found by the best-package optimiser.",
        )
    except RecscoreError as exc:
        _fail("package", exc)
        return
    st.session_state[PACKAGE_NAME_KEY] = ""
    st.session_state[SET_KEY] = saved.id
    _report(
        "package",
        "success",
        f"Saved the package as “{md(saved.name)}”; it is under Option sets.",
    )


def _delete_set(data: AppData, target: str, name: str) -> None:
    try:
        delete_user_set(data.workspace.workspace, target)
    except RecscoreError as exc:
        _fail("editor", exc)
        return
    st.session_state[EDIT_KEY] = NEW
    if COMPARE_KEY in st.session_state:
        st.session_state[COMPARE_KEY] = [s for s in st.session_state[COMPARE_KEY] if s != target]
    _report("sets", "success", f"Deleted the set “{md(name)}”.")


def _start_from(sets: Mapping[str, OptionSet]) -> None:
    chosen = st.session_state.get(START_KEY)
    if chosen in sets:
        st.session_state[editor_keys(NEW)[2]] = list(sets[chosen].members)


# --- tab 1: option sets ----------------------------------------------------------------------


@st.fragment
def _sets_tab() -> None:
    ctx = _context(current_view())
    _show_outcome("sets")
    option_set = _set_picker(ctx)
    if option_set.description:
        st.caption(md(option_set.description))
    try:
        evaluation = evaluate_set(ctx.catalog, ctx.interactions, option_set, ctx.view.weights)
    except ValidationError as exc:  # pragma: no cover - sets are validated when loaded
        show_problems(exc.problems, "This set cannot be evaluated:")
        return
    _show_evaluation(ctx, evaluation, "packages_set")
    st.divider()
    _editor(ctx)


def _editor(ctx: _Context) -> None:
    data = ctx.data
    st.subheader("Your sets")
    st.caption(
        f"Saved in the workspace ({md(str(data.workspace.workspace.root / SETS_DIR))}). "
        "A set may hold a conflicting pair: it is saved, and flagged when evaluated."
    )
    if ctx.problems:
        show_problems(
            ctx.problems, "These saved sets cannot be used (left as they are):", "warning"
        )
    targets = [NEW, *(option_set.id for option_set in ctx.user)]
    if st.session_state.get(EDIT_KEY) not in targets:
        st.session_state[EDIT_KEY] = NEW
    st.selectbox(
        "Create or edit",
        targets,
        format_func=lambda target: "+ New set" if not target else ctx.sets[target].name,
        key=EDIT_KEY,
    )
    target = st.session_state[EDIT_KEY]
    name_key, description_key, members_key = editor_keys(target)
    existing = ctx.sets.get(target)
    st.session_state.setdefault(name_key, existing.name if existing else "")
    st.session_state.setdefault(description_key, existing.description if existing else "")
    st.session_state.setdefault(members_key, list(existing.members) if existing else [])
    with st.container(border=True):
        if existing is None:
            st.selectbox(
                "Start from the members of",
                ["", *ctx.sets],
                format_func=lambda set_id: (
                    "(start empty)" if not set_id else ctx.set_labels[set_id]
                ),
                key=START_KEY,
                on_change=_start_from,
                args=(ctx.sets,),
            )
        st.text_input(
            "Name" if existing is None else "Name (change it to rename the set)",
            key=name_key,
            placeholder="e.g. Quiet engagement",
        )
        st.text_area("What the package is for", key=description_key, height=68)
        st.multiselect(
            "Members",
            ctx.rec_order,
            format_func=ctx.rec_label,
            key=members_key,
            placeholder="Choose recommendations (type to search titles)",
        )
        chosen = st.session_state[members_key]
        conflicts = [p for p in ctx.interactions.within(chosen) if p.type == "conflict"]
        if conflicts:
            st.warning(
                f"**{_plural(len(conflicts), 'conflicting pair')} among these members.** "
                "You can save the set; it will be flagged.\n\n"
                + "\n".join(_pair_line(ctx, pair) for pair in conflicts)
            )
        save, delete = st.columns(2)
        save.button(
            "Save set" if existing is None else "Save changes",
            key="packages_save",
            on_click=_save_set,
            args=(data, ctx.interactions, target),
            type="primary",
            width="stretch",
        )
        if existing is not None:
            with delete.popover("Delete set", width="stretch"):
                st.markdown(f"Delete “{md(existing.name)}”? This cannot be undone.")
                st.button(
                    "Delete",
                    key=f"packages_delete_{target}",
                    on_click=_delete_set,
                    args=(data, target, existing.name),
                    type="primary",
                )
        _show_outcome("editor")


# --- tab 2: compare sets ---------------------------------------------------------------------


@st.fragment
def _compare_tab() -> None:
    ctx = _context(current_view())
    catalog, view = ctx.catalog, ctx.view
    ids = list(ctx.sets)
    default = [set_id for set_id in ids if set_id.startswith("document-")][:MAX_COMPARED]
    chosen = [set_id for set_id in st.session_state.get(COMPARE_KEY, default) if set_id in ids]
    st.session_state[COMPARE_KEY] = chosen
    st.session_state.setdefault(METRIC_KEY, METRICS[0])
    st.multiselect(
        f"Sets to compare ({MIN_COMPARED} to {MAX_COMPARED})",
        ids,
        format_func=lambda set_id: truncate(ctx.set_labels[set_id], 52),
        max_selections=MAX_COMPARED,
        key=COMPARE_KEY,
        wrap=True,
        persist_state=PERSIST,
    )
    st.segmented_control(
        "Winner by",
        list(METRICS),
        format_func=lambda metric: METRIC_LABELS[metric].capitalize(),
        key=METRIC_KEY,
        required=True,
        persist_state=PERSIST,
        help="Per member by default: totals grow with a set's size, so comparing totals "
        "rewards length, not quality.",
    )
    chosen = st.session_state[COMPARE_KEY]
    metric = st.session_state[METRIC_KEY]
    if len(chosen) < MIN_COMPARED:
        st.info(f"Choose at least {MIN_COMPARED} sets.")
        return
    sets = [ctx.sets[set_id] for set_id in chosen]
    try:
        comparison = compare_sets(catalog, ctx.interactions, sets, view.weights)
        winners = winners_by_profile(catalog, ctx.interactions, sets, view.profiles, metric)
    except ValidationError as exc:  # pragma: no cover - the picker allows only valid choices
        show_problems(exc.problems, "These sets cannot be compared:")
        return
    names = {option_set.id: option_set.name for option_set in sets}
    ranked = sorted(comparison.evaluations, key=lambda e: -e.metric(metric))
    winner = comparison.winner(metric)
    margin = winner.metric(metric) - ranked[1].metric(metric)
    st.success(
        f"Under the current weights, **{md(winner.option_set.name)}** wins on "
        f"{METRIC_LABELS[metric]} ({winner.metric(metric):.3f}), {margin:.3f} ahead of "
        f"{md(ranked[1].option_set.name)}."
    )
    _comparison_table(comparison)
    st.markdown("**Coverage per criterion**")
    st.vega_lite_chart(
        spec=charts_packages.coverage_chart(catalog, comparison, names, view.shares),
        width="stretch",
    )
    st.caption(
        "Bars: the members' mean normalised score on each criterion (cost criteria reversed, "
        "so higher is always better); black tick: the best member's. A set can hold one "
        "excellent member and many weak ones."
    )
    radar, table = st.columns([1, 1])
    with radar:
        st.markdown("**Mean coverage at a glance**")
        st.vega_lite_chart(
            spec=charts_packages.radar_chart(catalog, comparison, names), width="content"
        )
    with table:
        st.markdown(f"**Which set wins under each profile** (by {METRIC_LABELS[metric]})")
        lines = [
            f"- {md(result.profile_name)}"
            + (" *(current)*" if result.profile_id == view.profile.id else "")
            + f": **{md(names[result.winner])}** {result.ranking[0][1]:.3f} "
            f"(+{result.margin:.3f} over the next)"
            for result in winners
        ]
        st.markdown("\n".join(lines))
        counts = Counter(result.winner for result in winners)
        if len(counts) == 1:
            st.caption(f"The same set wins under all {len(winners)} profiles.")
        else:
            st.caption(
                "Wins: "
                + "; ".join(
                    f"{md(names[s])} {_plural(n, 'profile')}" for s, n in counts.most_common()
                )
                + "."
            )
    acceptability = _set_acceptability(
        ctx.key,
        tuple((s.id, s.members) for s in sets),
        metric,
        catalog,
        ctx.interactions,
        tuple(sets),
    )
    st.markdown(
        f"**How often each set wins when weights and scores are uncertain** "
        f"(SMAA, {acceptability.samples:,} samples, seed {acceptability.seed})"
    )
    st.markdown("\n".join(f"- {md(line)}" for line in acceptability.sentences()))
    st.caption(
        "Weights drawn uniformly from every possible weighting, each score uniformly within "
        "its range; a set wins a sample when it scores best on the measure chosen above."
    )


def _comparison_table(comparison: SetComparison) -> None:
    frame = comparison.frame()
    frame["conflicts"] = [f"{n} ✕" if n else "0" for n in frame["conflicts"]]
    st.dataframe(
        frame,
        key="packages_compare_table",
        hide_index=True,
        width="stretch",
        column_order=[
            "name",
            "size",
            "total",
            "mean",
            "conflicts",
            "synergies",
            "penalty",
            "bonus",
            "adjusted",
            "adjusted_mean",
        ],
        column_config={
            "name": st.column_config.TextColumn("Set", width=215),
            "size": st.column_config.NumberColumn("Members", width=62),
            "total": st.column_config.NumberColumn("Total", format="%.3f", width=56),
            "mean": st.column_config.NumberColumn("Mean", format="%.3f", width=52),
            "conflicts": st.column_config.TextColumn(
                "Conflicts",
                width=62,
                help="Conflicting pairs inside; ✕ flags an incoherent set (allowed)",
            ),
            "synergies": st.column_config.NumberColumn("Synergies", width=66),
            "penalty": st.column_config.NumberColumn("Penalty", format="%.2f", width=58),
            "bonus": st.column_config.NumberColumn("Bonus", format="%.2f", width=50),
            "adjusted": st.column_config.NumberColumn("Adjusted", format="%.3f", width=64),
            "adjusted_mean": st.column_config.NumberColumn(
                "Per member", format="%.3f", width=74, help=FORMULA + ", ÷ members"
            ),
        },
    )


# --- tab 3: the best package -----------------------------------------------------------------


@st.fragment
def _package_tab() -> None:
    ctx = _context(current_view())
    catalog = ctx.catalog
    count = len(catalog.recommendation_ids)
    known = set(catalog.recommendation_ids)
    st.session_state.setdefault(SIZE_KEY, min(DEFAULT_SIZE, count))
    for key in (REQUIRE_KEY, EXCLUDE_KEY):
        st.session_state[key] = [i for i in st.session_state.get(key, []) if i in known]
    size_column, note = st.columns([1, 3])
    size_column.number_input(
        "At most this many recommendations",
        min_value=1,
        max_value=count,
        step=1,
        key=SIZE_KEY,
        persist_state=PERSIST,
    )
    note.caption(
        "The package maximises the members' weighted scores plus the synergy bonus "
        f"({SYNERGY_BONUS:g} per unit of strength between members), holding no conflicting "
        "pair. It is solved exactly as a mixed-integer programme (scipy.optimize.milp, HiGHS), "
        "so it is the best package, not a good guess."
    )
    require_column, exclude_column = st.columns(2)
    require_column.multiselect(
        "Must include",
        ctx.rec_order,
        format_func=ctx.rec_label,
        key=REQUIRE_KEY,
        persist_state=PERSIST,
    )
    exclude_column.multiselect(
        "Must leave out",
        ctx.rec_order,
        format_func=ctx.rec_label,
        key=EXCLUDE_KEY,
        persist_state=PERSIST,
    )
    size = int(st.session_state[SIZE_KEY])
    require, exclude = st.session_state[REQUIRE_KEY], st.session_state[EXCLUDE_KEY]
    try:
        package = _package_for(ctx, size, require, exclude)
    except ValidationError as exc:
        show_problems(exc.problems, "These constraints admit no package:")
        return
    _package_result(ctx, package)
    st.divider()
    _across_profiles(ctx, package, size, require, exclude)


def _package_result(ctx: _Context, package: Package) -> None:
    evaluation = package.evaluation
    required = set(package.required)
    st.markdown(
        f"**The best package of at most {package.max_size}** holds "
        f"{_plural(evaluation.size, 'recommendation')}: objective **{package.objective:.3f}** = "
        f"weighted scores {evaluation.total:.3f} + synergy bonus {evaluation.bonus:.3f}. "
        f"No two members conflict."
        + (
            f" Required: {', '.join(md(ctx.titles[r]) for r in package.required)}."
            if required
            else ""
        )
    )
    if package.ties:
        st.info(
            "Equally good packages exist (same objective): "
            + "; ".join(
                f"take in **{md(ctx.titles[item.id])}**"
                + (
                    f" instead of {', '.join(md(ctx.titles[s]) for s in item.swap_out)}"
                    if item.swap_out
                    else ""
                )
                for item in package.ties
            )
            + "."
        )
    _show_evaluation(ctx, evaluation, "packages_package")
    with st.expander("Score breakdown: each criterion's weighted contribution", expanded=True):
        comparison = compare_to_reference(
            ctx.catalog, ctx.view.weights, ctx.view.profile.weights, package.members
        )
        st.vega_lite_chart(
            spec=charts.contributions_chart(ctx.catalog, comparison, len(package.members)),
            width="stretch",
        )
    with st.container(border=True):
        name_column, button_column = st.columns([3, 1], vertical_alignment="bottom")
        name_column.text_input(
            "Keep this package as one of your sets", key=PACKAGE_NAME_KEY, placeholder="Name"
        )
        button_column.button(
            "Save as a set",
            key="packages_save_package",
            on_click=_save_package,
            args=(ctx.data, ctx.interactions, package.members),
            width="stretch",
        )
        _show_outcome("package")
    _left_out(ctx, package)


def _instead(ctx: _Context, item: LeftOut) -> str:
    """What taking ``item`` in would cost: the members that would have to leave."""
    if item.reason == "excluded":
        return ""
    if item.delta is None:  # no exchange can take it in
        if item.reason == "conflict":
            return "conflicts with a required member"
        return "every member is required"
    return ", ".join(ctx.titles[rec_id] for rec_id in item.swap_out)


def _left_out(ctx: _Context, package: Package) -> None:
    items = package.left_out
    counts = Counter(item.reason for item in items)
    st.markdown(
        f"**What it leaves out, and why** ({len(items)}: "
        + ", ".join(f"{REASONS[reason]} {n}" for reason, n in counts.items())
        + ")"
    )
    conflicts = [item for item in items if item.reason == "conflict"]
    if conflicts:
        lines = []
        for item in conflicts:
            pair = ctx.interactions.between(item.id, item.conflicts_with[0])
            change = (
                "it conflicts with a required member"
                if item.delta is None
                else f"taking it in changes the objective by {item.delta:+.3f}"
            )
            lines.append(
                f"- **{md(ctx.titles[item.id])}** ({item.score:.3f}; {change}) conflicts with "
                + " and ".join(f"**{md(ctx.titles[i])}**" for i in item.conflicts_with)
                + (f": {md(pair.rationale)}" if pair is not None else "")
            )
        st.markdown("Left out for a conflict with a member:\n\n" + "\n".join(lines))
    frame = pd.DataFrame(
        {
            "id": [item.id for item in items],
            "title": [ctx.titles[item.id] for item in items],
            "score": [item.score for item in items],
            "reason": [REASONS[item.reason] + (" (tie)" if item.tie else "") for item in items],
            "delta": [item.delta for item in items],
            "instead": [_instead(ctx, item) for item in items],
        }
    )
    st.dataframe(
        frame,
        key="packages_left_out",
        hide_index=True,
        width="stretch",
        height=388,
        column_order=["title", "score", "reason", "delta", "instead"],
        column_config={
            "title": st.column_config.TextColumn("Recommendation", width=300),
            "score": st.column_config.NumberColumn("Score", format="%.3f", width=55),
            "reason": st.column_config.TextColumn("Reason", width=150),
            "delta": st.column_config.NumberColumn(
                "If taken in",
                format="%+.3f",
                width=75,
                help="Change in the objective of the best exchange that takes it in "
                "(0: an equally good package; empty: no exchange can)",
            ),
            "instead": st.column_config.TextColumn(
                "It would replace",
                width=260,
                help="The members that would have to leave to take it in",
            ),
        },
    )
    st.caption(
        "Nearest misses first within each reason. A package is full when it holds as many "
        "members as allowed; a recommendation that adds nothing scores 0 under these weights."
    )


def _profiles_key(profiles: Mapping[str, WeightProfile]) -> tuple[object, ...]:
    return tuple((pid, _weights_key(profile.weights)) for pid, profile in profiles.items())


def _across_profiles(
    ctx: _Context, package: Package, size: int, require: Sequence[str], exclude: Sequence[str]
) -> None:
    view = ctx.view
    profiles = view.profiles
    by_profile = _packages_by_profile(
        ctx.key,
        _profiles_key(profiles),
        size,
        tuple(require),
        tuple(exclude),
        ctx.catalog,
        ctx.interactions,
        profiles,
    )
    st.subheader("How the best package changes across profiles")
    packages = [
        ("Current weights", package),
        *((p.name, by_profile[pid]) for pid, p in profiles.items() if pid in by_profile),
    ]
    columns = [
        (
            f"{wrapped(name, 12)}|{found.objective:.3f}",
            name,
            dict(zip(found.members, found.evaluation.member_scores.tolist(), strict=True)),
        )
        for name, found in packages
    ]
    seen = Counter(rec_id for _, found in packages for rec_id in found.members)
    current = set(package.members)
    order = sorted(seen, key=lambda rec_id: (rec_id not in current, -seen[rec_id], rec_id))
    st.vega_lite_chart(
        spec=charts_packages.membership_chart(ctx.titles, order, columns), width="stretch"
    )
    everywhere = [rec_id for rec_id in order if seen[rec_id] == len(packages)]
    shared = (
        "In every one: " + "; ".join(md(ctx.titles[rec_id]) for rec_id in everywhere) + "."
        if everywhere
        else "No recommendation is in every one."
    )
    st.caption(
        "■ in the best package under that weighting (the profile's own weights), with the "
        "same size limit and constraints; the number under each name is its objective. "
        f"Rows: the current package first. {shared}"
    )


# --- tab 4: conflicts and synergies ----------------------------------------------------------


@st.fragment
def _matrix_tab() -> None:
    ctx = _context(current_view())
    option_set = _set_picker(ctx)
    st.session_state.setdefault(SCOPE_KEY, "partners")
    st.session_state.setdefault(TYPES_KEY, list(TYPES))
    left, right = st.columns([3, 1])
    left.radio(
        "Show",
        list(SCOPES),
        format_func=SCOPES.__getitem__,
        key=SCOPE_KEY,
        horizontal=True,
        persist_state=PERSIST,
    )
    right.segmented_control(
        "Interactions",
        list(TYPES),
        selection_mode="multi",
        format_func=TYPES.__getitem__,
        key=TYPES_KEY,
        persist_state=PERSIST,
    )
    scope, types = st.session_state[SCOPE_KEY], set(st.session_state[TYPES_KEY] or ())
    if not types:
        st.info("Choose conflicts, synergies or both.")
        return
    members = list(option_set.members)
    pairs, rec_ids = pairs_in_scope(ctx.interactions, members, scope, types, ctx.rec_order)
    if not pairs:
        st.info("No pair of these recommendations conflicts or reinforces another.")
        if not rec_ids:
            return
    spec = charts_packages.interaction_matrix(ctx.catalog, rec_ids, pairs, ctx.prefixes)
    # A small matrix keeps square cells; a large one fills the width.
    st.vega_lite_chart(spec=spec, width="stretch" if spec["width"] == "container" else "content")
    counts = Counter(pair.type for pair in pairs)
    note = (
        f" Rows 1–{len(members)} are the set's members; the rest interact with them from outside."
        if scope == "partners" and len(rec_ids) > len(members)
        else ""
    )
    st.caption(
        f"{_plural(counts['conflict'], 'conflict')} (red) and "
        f"{_plural(counts['synergy'], 'synergy', 'synergies')} (blue) among "
        f"{_plural(len(rec_ids), 'recommendation')}; darker is stronger (1–3). Each pair fills "
        "both its cells, so a row reads as one recommendation's interactions; hover a cell for "
        f"the rationale. Rows are numbered, the columns carry the same numbers.{note}"
    )
    _pairs_list(ctx, pairs)


def _pairs_list(ctx: _Context, pairs: Sequence[Interaction]) -> None:
    """Every pair shown, conflicts first, strongest first, with its rationale."""
    if not pairs:
        return
    ordered = sorted(pairs, key=lambda pair: (pair.type != "conflict", -pair.strength))
    with st.expander(f"The {len(pairs)} pairs, with their rationale", expanded=len(pairs) <= 8):
        st.markdown("\n".join(_pair_line(ctx, pair) for pair in ordered))


# --- the page --------------------------------------------------------------------------------

_TABS: tuple[Callable[[], None], ...] = (_sets_tab, _compare_tab, _package_tab, _matrix_tab)


def page() -> None:
    view = current_view()
    st.title("Packages")
    _context(view)  # stops with the interactions file's problems, if any
    weights = "its own weights" if view.at_profile else "adjusted weights"
    filters = (
        " The sidebar's filters do not apply here: packages draw on every recommendation."
        if view.include is not None
        else ""
    )
    # A package's value adds its members' values; only the weighted sum has additive values.
    method = (
        f" Packages add up weighted-sum values, whatever the sidebar's method "
        f"({view.method_spec.display_name})."
        if view.method != DEFAULT_METHOD
        else ""
    )
    st.caption(
        f"Packages of recommendations under **{md(view.profile.name)}** with {weights}. "
        f"A set's {FORMULA}; strengths run 1–3.{filters}{method}"
    )
    tabs = st.tabs(list(TABS), key=TAB_KEY, on_change="rerun")
    for tab, draw in zip(tabs, _TABS, strict=True):
        if tab.open:
            with tab:
                draw()
