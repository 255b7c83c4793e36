"""The Sets tab: each option set evaluated, and the editor that saves, edits and deletes sets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import streamlit as st

from app_pages.components import show_problems
from app_pages.render import md, percent
from app_pages.state import AppData, current_view
from app_pages.views.packages.context import (
    COMPARE_KEY,
    EDIT_KEY,
    FORMULA,
    NEW,
    SET_KEY,
    START_KEY,
    Context,
    conflict_note,
    context_of,
    editor_keys,
    fail,
    pair_line,
    plural,
    report,
    set_picker,
    show_outcome,
)
from scoring.errors import RecscoreError, ValidationError
from scoring.option_sets import (
    SETS_DIR,
    Interactions,
    OptionSet,
    SetEvaluation,
    delete_user_set,
    evaluate_set,
    save_user_set,
)

__all__ = ["sets_tab", "show_evaluation"]


def show_evaluation(ctx: Context, evaluation: SetEvaluation, key: str) -> None:
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
        f"{plural(len(conflicts), 'conflict')}"
        if conflicts
        else "no conflict inside"
    )
    bonus_note = (
        f"{evaluation.synergy_bonus:g} × strength {synergy_strength} of "
        f"{plural(len(synergies), 'synergy', 'synergies')}"
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
            f"**Flagged: this set holds {plural(len(conflicts), 'conflicting pair')}.** "
            "A package that pursues both sides of a conflict is incoherent. The set is kept "
            f"as it is; each conflict costs {evaluation.conflict_penalty:g} per unit of "
            "strength.\n\n" + "\n".join(pair_line(ctx, pair) for pair in conflicts)
        )
    else:
        st.success("Coherent: no two members conflict.")
    if synergies:
        with st.expander(f"Synergies inside ({len(synergies)})", expanded=len(synergies) <= 4):
            st.markdown("\n".join(pair_line(ctx, pair) for pair in synergies))
    _members_table(ctx, evaluation, key)
    _coverage_table(ctx, evaluation, key)


def _members_table(ctx: Context, evaluation: SetEvaluation, key: str) -> None:
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


def _coverage_table(ctx: Context, evaluation: SetEvaluation, key: str) -> None:
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
        fail("editor", exc)
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
    report(
        "sets",
        "success",
        f"Saved “{md(saved.name)}” with {plural(len(saved.members), 'member')}."
        + conflict_note(interactions, saved.members),
    )


def _delete_set(data: AppData, target: str, name: str) -> None:
    try:
        delete_user_set(data.workspace.workspace, target)
    except RecscoreError as exc:
        fail("editor", exc)
        return
    st.session_state[EDIT_KEY] = NEW
    if COMPARE_KEY in st.session_state:
        st.session_state[COMPARE_KEY] = [s for s in st.session_state[COMPARE_KEY] if s != target]
    report("sets", "success", f"Deleted the set “{md(name)}”.")


def _start_from(sets: Mapping[str, OptionSet]) -> None:
    chosen = st.session_state.get(START_KEY)
    if chosen in sets:
        st.session_state[editor_keys(NEW)[2]] = list(sets[chosen].members)


@st.fragment
def sets_tab() -> None:
    ctx = context_of(current_view())
    show_outcome("sets")
    option_set = set_picker(ctx)
    if option_set.description:
        st.caption(md(option_set.description))
    try:
        evaluation = evaluate_set(ctx.catalog, ctx.interactions, option_set, ctx.view.weights)
    except ValidationError as exc:  # pragma: no cover - sets are validated when loaded
        show_problems(exc.problems, "This set cannot be evaluated:")
        return
    show_evaluation(ctx, evaluation, "packages_set")
    st.divider()
    _editor(ctx)


def _editor(ctx: Context) -> None:
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
                f"**{plural(len(conflicts), 'conflicting pair')} among these members.** "
                "You can save the set; it will be flagged.\n\n"
                + "\n".join(pair_line(ctx, pair) for pair in conflicts)
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
        show_outcome("editor")
