"""``optimize`` and ``sets``: packages of recommendations and option sets."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence

import pandas as pd

from scoring.cli import CommandParsers
from scoring.cli.common import (
    add_decision_maker,
    package_context,
    positive_int,
    table_text,
    warn,
)
from scoring.model import Catalog
from scoring.option_sets import (
    CONFLICT_PENALTY,
    METRICS,
    SYNERGY_BONUS,
    ProfileWinner,
    SetComparison,
    SetEvaluation,
    best_package,
    best_packages_by_profile,
    builtin_sets,
    compare_sets,
    evaluate_set,
    load_interactions,
    load_user_sets,
    pick_sets,
    winners_by_profile,
)
from scoring.set_robustness import set_acceptability

LEFT_OUT_ORDER = ("conflict", "size", "no_gain", "excluded")


def _add_package_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ignore-overrides",
        action="store_true",
        help="use the bundled scores, leaving out the workspace's score overrides",
    )
    add_decision_maker(parser)
    parser.add_argument("--format", choices=("table", "json"), default="table")


def _optimize(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, workspace, profile, weights = package_context(catalog, args)
    interactions = load_interactions(args.root, catalog)
    package = best_package(
        catalog,
        interactions,
        weights,
        args.max_size,
        args.require,
        args.exclude,
        source=f"profile {profile.id}",
    )
    across = (
        best_packages_by_profile(
            catalog,
            interactions,
            workspace.profiles_with(catalog),
            args.max_size,
            args.require,
            args.exclude,
        )
        if args.across_profiles
        else {}
    )
    if args.format == "json":
        record = {
            "profile": {"id": profile.id, "name": profile.name},
            **package.record(catalog),
        }
        if across:
            record["across_profiles"] = {
                pid: {"objective": p.objective, "members": list(p.members)}
                for pid, p in across.items()
            }
        return json.dumps(record, indent=2, ensure_ascii=False)
    evaluation = package.evaluation
    lines = [
        f"Best package of at most {args.max_size} under {profile.name} ({profile.id}); "
        f"no conflicting pair; synergy bonus {SYNERGY_BONUS:g} per unit of strength",
        f"Objective {package.objective:.3f} = weighted scores {evaluation.total:.3f} "
        f"+ synergy bonus {evaluation.bonus:.3f}; solved exactly by {package.solver['name']}",
        f"Required: {', '.join(package.required) or 'none'}; "
        f"excluded: {', '.join(package.excluded) or 'none'}",
        "",
        table_text(evaluation.members_frame(catalog).round(3)),
    ]
    if evaluation.synergies:
        lines += ["", "Synergies inside:"]
        lines += [f"  {p.a} + {p.b} ({p.strength}): {p.rationale}" for p in evaluation.synergies]
    left = package.left_out
    counts = {reason: sum(item.reason == reason for item in left) for reason in LEFT_OUT_ORDER}
    lines += [
        "",
        f"Left out: {len(left)} ("
        + ", ".join(f"{reason} {count}" for reason, count in counts.items())
        + "); the number is the change in the objective of the best exchange taking it in",
    ]
    shown = [item for item in left if item.reason == "conflict"]
    shown += [item for item in left if item.reason != "conflict"][:8]
    lines += [
        f"  {item.id} [{item.reason}"
        + ("" if item.delta is None else f" {item.delta:+.3f}")
        + f"]: {item.detail}"
        for item in shown
    ]
    if len(shown) < len(left):
        lines.append(f"  ... and {len(left) - len(shown)} more (--format json lists them all)")
    if package.ties:
        lines += [
            "",
            "Ties: an equally good package takes in " + ", ".join(item.id for item in package.ties),
        ]
    if across:
        lines += ["", "Best package under each profile:"]
        lines += [
            f"  {pid}: {p.objective:.3f}  {', '.join(p.members)}" for pid, p in across.items()
        ]
    return "\n".join(lines)


def _sets(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, workspace, profile, weights = package_context(catalog, args)
    interactions = load_interactions(args.root, catalog)
    user_sets, problems = load_user_sets(workspace.workspace, catalog)
    warn(problems)
    available = (*builtin_sets(catalog), *user_sets)
    chosen = pick_sets(available, args.set_ids, source="--set")
    source = f"profile {profile.id}"
    header = (
        f"Profile: {profile.name} ({profile.id}); "
        f"adjusted = total - {CONFLICT_PENALTY:g} x conflict strength "
        f"+ {SYNERGY_BONUS:g} x synergy strength"
    )
    if len(chosen) == 1:
        evaluation = evaluate_set(catalog, interactions, chosen[0], weights, source=source)
        if args.format == "json":
            return json.dumps(evaluation.record(catalog), indent=2, ensure_ascii=False)
        return "\n".join([header, *_set_detail(catalog, evaluation)])
    if chosen:
        comparison = compare_sets(catalog, interactions, chosen, weights, source=source)
        winners = winners_by_profile(
            catalog, interactions, chosen, workspace.profiles_with(catalog)
        )
        acceptability = set_acceptability(
            catalog, interactions, chosen, samples=args.samples, seed=args.seed
        )
        if args.format == "json":
            record = {
                "profile": {"id": profile.id, "name": profile.name},
                "sets": [e.record(catalog) for e in comparison.evaluations],
                "winner": comparison.winner().option_set.id,
                "smaa": {
                    "samples": acceptability.samples,
                    "seed": acceptability.seed,
                    "metric": acceptability.metric,
                    "wins": dict(
                        zip(acceptability.set_ids, acceptability.shares.tolist(), strict=True)
                    ),
                },
                "winners_by_profile": [
                    {"profile": w.profile_id, "metric": w.metric, "ranking": w.ranking}
                    for w in winners
                ],
            }
            return json.dumps(record, indent=2, ensure_ascii=False)
        smaa_lines = [
            "",
            f"Under SMAA ({acceptability.samples:,} samples of weights and scores, "
            f"seed {acceptability.seed}):",
            *(f"  {line}" for line in acceptability.sentences()),
        ]
        return "\n".join([header, *_set_comparison(comparison, winners), *smaa_lines])
    summaries = [
        evaluate_set(catalog, interactions, s, weights, source=source).summary() for s in available
    ]
    if args.format == "json":
        return json.dumps(summaries, indent=2, ensure_ascii=False)
    note = "--set ID for one set in detail; --set ID ID ... to compare two to five"
    return "\n".join([header, note, "", table_text(pd.DataFrame(summaries).round(3))])


def _set_detail(catalog: Catalog, evaluation: SetEvaluation) -> list[str]:
    summary = evaluation.summary()
    numbers = ("total", "mean", "penalty", "bonus", "adjusted", "adjusted_mean")
    lines = [
        f"{summary['name']} ({summary['id']}, {summary['origin']}): {summary['size']} members",
        "  ".join(f"{key} {summary[key]:.3f}" for key in numbers),
        "",
        table_text(evaluation.members_frame(catalog).round(3)),
        "",
        "Coverage (normalised 0-1, cost criteria reversed):",
        table_text(evaluation.coverage_frame().round(3)),
    ]
    return lines + _interaction_lines([evaluation])


def _set_comparison(comparison: SetComparison, winners: Sequence[ProfileWinner]) -> list[str]:
    coverage = comparison.coverage_frame()
    table = coverage.pivot(index="criterion", columns="set", values=["best", "mean"])
    table = table.reindex(index=coverage["criterion"].unique())
    lines = [
        "",
        table_text(comparison.frame().round(3)),
        "",
        "Coverage per criterion (best member's score and mean, normalised 0-1):",
        table.round(3).to_string(),
    ]
    lines += _interaction_lines(comparison.evaluations)
    lines += ["", f"Winner under each profile (by {winners[0].metric}, of {list(METRICS)}):"]
    lines += [f"  {w.profile_id}: {w.winner} (ahead by {w.margin:.3f})" for w in winners]
    return lines


def _interaction_lines(evaluations: Sequence[SetEvaluation]) -> list[str]:
    lines = []
    for evaluation in evaluations:
        inside = [*evaluation.conflicts, *evaluation.synergies]
        if inside:
            lines += ["", f"Inside {evaluation.option_set.id}:"]
            lines += [f"  {p.type} {p.strength}: {p.a} + {p.b}: {p.rationale}" for p in inside]
    return lines


def add_commands(commands: CommandParsers) -> None:
    """The group's commands, each with its options and handler."""
    optimize = commands.add_parser(
        "optimize",
    )
    optimize.add_argument("--profile", help="profile id (default: the catalog's default)")
    optimize.add_argument("--max-size", type=int, required=True, metavar="K")
    optimize.add_argument(
        "--require", nargs="+", action="extend", default=[], metavar="ID", help="force in"
    )
    optimize.add_argument(
        "--exclude", nargs="+", action="extend", default=[], metavar="ID", help="force out"
    )
    optimize.add_argument(
        "--across-profiles",
        action="store_true",
        help="also show the best package under every profile",
    )
    _add_package_options(optimize)
    optimize.set_defaults(handler=_optimize)

    sets = commands.add_parser(
        "sets",
    )
    sets.add_argument("--profile", help="profile id (default: the catalog's default)")
    sets.add_argument(
        "--set",
        dest="set_ids",
        nargs="+",
        action="extend",
        default=[],
        metavar="ID",
        help="set ids: one to evaluate in detail, two to five to compare",
    )
    sets.add_argument(
        "--samples",
        type=positive_int,
        default=10_000,
        help="SMAA samples for how often each compared set wins (default 10,000)",
    )
    sets.add_argument("--seed", type=int, default=0, help="SMAA seed (default 0)")
    _add_package_options(sets)
    sets.set_defaults(handler=_sets)
