"""The Best package tab: the MILP's package, what was left out and why, under every profile."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st

from app_pages import charts, charts_packages
from app_pages.charts import wrapped
from app_pages.components import show_problems
from app_pages.render import md
from app_pages.state import AppData, current_view
from app_pages.views.packages.context import (
    DEFAULT_SIZE,
    EXCLUDE_KEY,
    PACKAGE_NAME_KEY,
    PERSIST,
    REASONS,
    REQUIRE_KEY,
    SET_KEY,
    SIZE_KEY,
    Context,
    cached_packages_by_profile,
    context_of,
    fail,
    package_for,
    plural,
    report,
    show_outcome,
    weights_key,
)
from app_pages.views.packages.sets_tab import show_evaluation
from scoring.analysis import compare_to_reference
from scoring.errors import RecscoreError, ValidationError
from scoring.model import WeightProfile
from scoring.option_sets import (
    SYNERGY_BONUS,
    Interactions,
    LeftOut,
    Package,
    save_user_set,
)

__all__ = ["package_tab"]


@st.fragment
def package_tab() -> None:
    ctx = context_of(current_view())
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
        package = package_for(ctx, size, require, exclude)
    except ValidationError as exc:
        show_problems(exc.problems, "These constraints admit no package:")
        return
    _package_result(ctx, package)
    st.divider()
    _across_profiles(ctx, package, size, require, exclude)


def _package_result(ctx: Context, package: Package) -> None:
    evaluation = package.evaluation
    required = set(package.required)
    st.markdown(
        f"**The best package of at most {package.max_size}** holds "
        f"{plural(evaluation.size, 'recommendation')}: objective **{package.objective:.3f}** = "
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
    show_evaluation(ctx, evaluation, "packages_package")
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
        show_outcome("package")
    _left_out(ctx, package)


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
        fail("package", exc)
        return
    st.session_state[PACKAGE_NAME_KEY] = ""
    st.session_state[SET_KEY] = saved.id
    report(
        "package",
        "success",
        f"Saved the package as “{md(saved.name)}”; it is under Option sets.",
    )


def _instead(ctx: Context, item: LeftOut) -> str:
    """What taking ``item`` in would cost: the members that would have to leave."""
    if item.reason == "excluded":
        return ""
    if item.delta is None:  # no exchange can take it in
        if item.reason == "conflict":
            return "conflicts with a required member"
        return "every member is required"
    return ", ".join(ctx.titles[rec_id] for rec_id in item.swap_out)


def _left_out(ctx: Context, package: Package) -> None:
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
    return tuple((pid, weights_key(profile.weights)) for pid, profile in profiles.items())


def _across_profiles(
    ctx: Context, package: Package, size: int, require: Sequence[str], exclude: Sequence[str]
) -> None:
    view = ctx.view
    profiles = view.profiles
    by_profile = cached_packages_by_profile(
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
