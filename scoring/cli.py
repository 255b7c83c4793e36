"""The ``recscore`` command: a thin front over the engine.

Every subcommand collects its options, calls one engine function and prints the result.
Errors the user can cause are rendered as messages (file, key path, expected, found, fix)
with exit status 2, never as tracebacks.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from scoring import __version__
from scoring.analysis import criteria_correlation
from scoring.bundled import default_root
from scoring.consistency import find_inconsistencies
from scoring.documents import (
    DocumentInfo,
    accept_all,
    load_with_documents,
    max_document_bytes,
    start_review,
    store_document,
)
from scoring.errors import Code, InputError, RecscoreError
from scoring.extraction import DEFAULT_MIN_CONFIDENCE, extract_candidates, no_advice_notice
from scoring.ingest import DEFAULT_MAX_BYTES, IngestedDocument, ingest_file, ingest_text
from scoring.loading import load_catalog
from scoring.methods import (
    DEFAULT_METHOD,
    Method,
    compare_methods,
    method_spec,
    names,
    rank_by,
    registry,
)
from scoring.model import Catalog, Score, WeightProfile
from scoring.option_sets import (
    CONFLICT_PENALTY,
    METRICS,
    SYNERGY_BONUS,
    Interactions,
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
from scoring.robustness import (
    DEFAULT_SAMPLES,
    SCORE_MODELS,
    WEIGHT_MODELS,
    Safeguards,
    Screening,
    constraints_from_profile,
    one_way_sensitivity,
    parse_bounds,
    parse_levels,
    parse_order,
    screen,
    smaa,
)
from scoring.scope import (
    ALL,
    DECISION_MAKERS,
    DEFAULT_DECISION_MAKER,
    ROLE_LABELS,
    role_counts,
    scoped,
)
from scoring.set_robustness import set_acceptability
from scoring.tables import (
    ranking_frame,
    ranking_record,
    recommendation_record,
    recommendations_frame,
)
from scoring.weights import parse_weight_spec, resolve_weights
from scoring.workspace import (
    OverrideKey,
    Workspace,
    WorkspaceState,
    apply_overrides,
)

__all__ = ["default_root", "main"]

EXIT_USER_ERROR = 2
LEFT_OUT_ORDER = ("conflict", "size", "no_gain", "excluded")
FORMATS = ("table", "csv", "json")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status (0 ok, 2 bad input)."""
    args = _parser().parse_args(argv)
    try:
        catalog = load_catalog(args.root)
        output = args.handler(catalog, args)
    except RecscoreError as exc:
        print(f"recscore: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recscore", description="Rank policy recommendations on transparent criteria."
    )
    parser.add_argument("--version", action="version", version=f"recscore {__version__}")
    parser.add_argument(
        "--root",
        type=Path,
        default=default_root(),
        help="folder holding criteria/ and seeds/ (default: the bundled data)",
    )
    parser.add_argument(
        "--workspace",
        type=Path,
        metavar="DIR",
        help="folder of your score overrides and saved profiles "
        "(default: $RECSCORE_WORKSPACE, else ./workspace)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check criteria, profiles and seeds")
    validate.set_defaults(handler=_validate)

    recs = commands.add_parser("recommendations", help="list every recommendation with scores")
    _add_format(recs)
    _add_decision_maker(recs)
    recs.set_defaults(handler=_recommendations)

    profiles = commands.add_parser("profiles", help="list the weight profiles")
    profiles.set_defaults(handler=_profiles)

    ranking = commands.add_parser("rank", help="rank recommendations under a weight profile")
    ranking.add_argument("--profile", help="profile id (default: the catalog's default)")
    ranking.add_argument(
        "--weights",
        default="",
        metavar="ID=W,...",
        help="override some of the profile's weights, e.g. leverage=2,buy_in=0",
    )
    ranking.add_argument("--top", type=_positive_int, help="show only the first N")
    _add_method_options(ranking)
    ranking.add_argument(
        "--ignore-overrides",
        action="store_true",
        help="rank on the bundled scores, leaving out the workspace's score overrides",
    )
    _add_decision_maker(ranking)
    _add_format(ranking)
    ranking.set_defaults(handler=_rank)
    _add_brief_command(commands)

    optimize = commands.add_parser(
        "optimize", help="the best package of at most K recommendations with no conflicting pair"
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
        "sets", help="list option sets, or evaluate one or compare two to five"
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
        type=_positive_int,
        default=10_000,
        help="SMAA samples for how often each compared set wins (default 10,000)",
    )
    sets.add_argument("--seed", type=int, default=0, help="SMAA seed (default 0)")
    _add_package_options(sets)
    sets.set_defaults(handler=_sets)
    _add_robustness_commands(commands)
    _add_extract_command(commands)
    _add_ingest_command(commands)
    return parser


def _add_package_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ignore-overrides",
        action="store_true",
        help="use the bundled scores, leaving out the workspace's score overrides",
    )
    _add_decision_maker(parser)
    parser.add_argument("--format", choices=("table", "json"), default="table")


def _add_decision_maker(
    parser: argparse.ArgumentParser, default: str = DEFAULT_DECISION_MAKER
) -> None:
    parser.add_argument(
        "--decision-maker",
        default=default,
        choices=tuple(DECISION_MAKERS),
        help=f"rank only the options open to this actor; the rest is shown as context "
        f"(default {default}; {ALL} ranks every item)",
    )


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table")


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return number


def _validate(catalog: Catalog, args: argparse.Namespace) -> str:
    interactions = load_interactions(args.root, catalog)  # raises, listing every fault
    lines = [
        f"OK: {len(catalog.criteria)} criteria, {len(catalog.profiles)} profiles, "
        f"{len(catalog.documents)} documents, {len(catalog.recommendations)} recommendations"
    ]
    for document in catalog.documents:
        recs = [rec for rec in catalog.recommendations if rec.document == document.name]
        explicit = sum(rec.kind == "explicit" for rec in recs)
        lines.append(
            f"  {document.name}: {len(recs)} ({explicit} explicit, {len(recs) - explicit} implicit)"
        )
    lines.append(
        f"  interactions: {len(interactions.pairs)} pairs ({len(interactions.conflicts)} "
        f"conflicts, {len(interactions.synergies)} synergies)"
    )
    lines += _scope_lines(catalog)
    lines += _correlation_lines(catalog)
    flags = find_inconsistencies(catalog)
    lines.append(
        f"  consistency: {len(flags)} rationale(s) at odds with their level"
        + "".join(f"\n    - {flag}" for flag in flags)
    )
    return "\n".join(lines)


def _warn(problems: Iterable[object]) -> None:
    """Print each problem or notice to stderr as a warning; the command goes on."""
    for problem in problems:
        print(f"recscore: warning: {problem}", file=sys.stderr)


def _with_documents(catalog: Catalog, args: argparse.Namespace) -> tuple[Catalog, WorkspaceState]:
    """The catalog with the workspace's documents (no overrides applied) and the workspace;
    the workspace's problems are printed as warnings."""
    catalog, workspace = load_with_documents(Workspace.locate(args.workspace), catalog)
    _warn(workspace.problems)
    return catalog, workspace


def _overrides_used(
    args: argparse.Namespace, workspace: WorkspaceState, hint: str
) -> Mapping[OverrideKey, Score]:
    """The workspace's score overrides unless --ignore-overrides; say on stderr when applied."""
    overrides = {} if args.ignore_overrides else workspace.overrides
    if overrides:
        print(
            f"recscore: {len(overrides)} score override(s) from "
            f"{workspace.workspace.root.as_posix()} applied ({hint})",
            file=sys.stderr,
        )
    return overrides


def _read_document(file: Path, max_bytes: int) -> IngestedDocument:
    """The document at ``file``, or stdin for ``-``; its notices are printed as warnings."""
    if str(file) == "-":
        document = ingest_text(sys.stdin.read(), max_bytes=max_bytes)
    else:
        document = ingest_file(file, max_bytes=max_bytes)
    _warn(document.notices)
    return document


def _recommendations(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, _ = _with_documents(catalog, args)
    catalog = scoped(catalog, args.decision_maker)
    if args.format == "json":
        records = [
            recommendation_record(rec, catalog) for rec in catalog.recommendations + catalog.context
        ]
        return json.dumps(records, indent=2, ensure_ascii=False)
    frame = recommendations_frame(catalog)
    if args.format == "csv":
        return frame.to_csv(index=False)
    columns = ["id", "document", "kind", "instrument", "addressees", "role", "title"]
    return _table(frame[columns])


def _profiles(catalog: Catalog, args: argparse.Namespace) -> str:
    rows = [
        {
            "id": profile.id,
            "name": profile.name,
            "default": "yes" if profile.id == catalog.default_profile else "",
            "description": profile.description,
        }
        for profile in catalog.profiles.values()
    ]
    return _table(pd.DataFrame(rows))


def _rank(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, _, profile, weights = _package_context(
        catalog, args, "--ignore-overrides to rank on the bundled scores", args.weights
    )
    ranking = rank_by(catalog, weights, _chosen_method(args), source=f"profile {profile.id}")
    if args.format == "json":
        record = ranking_record(catalog, ranking, profile, args.top)
        return json.dumps(record, indent=2, ensure_ascii=False)
    frame = ranking_frame(catalog, ranking)
    if args.top is not None:
        frame = frame.head(args.top)
    if args.format == "csv":
        return frame.to_csv(index=False)
    shown = frame[["rank", "score", "id", "title", "strongest", "weakest"]].copy()
    shown["title"] = [
        f"{title} [{_STATUS_QUO_MARK}]"
        if rec_id == getattr(catalog.baseline, "id", None)
        else f"{title} (below status quo)"
        if below
        else title
        for rec_id, title, below in zip(
            frame["id"], frame["title"], frame["below_baseline"], strict=True
        )
    ]
    shown["score"] = [
        f"{score:.2f} [{low:.2f}-{high:.2f}]{' ~' if tie else ''}"
        for score, low, high, tie in zip(
            frame["score"], frame["low"], frame["high"], frame["near_tie_with_next"], strict=True
        )
    ]
    method = method_spec(ranking.method).inline_name + "".join(
        f", {key} {value}" for key, value in ranking.settings.items()
    )
    header = f"Profile: {profile.name} ({profile.id}); {method}; weights " + ", ".join(
        f"{cid} {w:.2f}" for cid, w in ranking.weight_map.items()
    )
    moved = (
        "every score moves to the end of its range"
        if ranking.method == DEFAULT_METHOD
        else "its own scores move to the ends of their ranges"
    )
    note = f"score [interval when {moved}]; ~ marks a near-tie with the next rank"
    return "\n".join([header, _scope_line(catalog), note, "", _table(shown)])


_STATUS_QUO_MARK = "STATUS QUO"


def _scope_lines(catalog: Catalog) -> list[str]:
    """Who the catalog's items address and who voices them, for ``validate``."""
    everything = catalog.recommendations + catalog.context
    addressed = Counter(rec.addressees[0] if rec.addressees else "unknown" for rec in everything)
    voiced = Counter(rec.voice_kind for rec in everything if not rec.baseline)
    baseline = catalog.baseline.id if catalog.baseline else "none (add seeds/status_quo.yaml)"
    overtaken = sum(bool(rec.overtaken) for rec in everything)
    return [
        "  addressed to (primary): "
        + ", ".join(f"{name} {count}" for name, count in addressed.most_common()),
        "  voiced by: " + ", ".join(f"{name} {count}" for name, count in voiced.most_common()),
        f"  status-quo baseline: {baseline}; overtaken by events: {overtaken}; "
        f"assessed as of {catalog.assessed_as_of}",
    ]


def _correlation_lines(catalog: Catalog) -> list[str]:
    """Spearman correlations between criteria across every item, and any double counting."""
    correlation = criteria_correlation(catalog)
    strongest = ", ".join(
        f"{pair.first}~{pair.second} {pair.rho:+.2f}" for pair in correlation.strongest(3)
    )
    flagged = correlation.double_counting
    verdict = (
        "double counting? " + ", ".join(f"{p.first}~{p.second} {p.rho:+.2f}" for p in flagged)
        if flagged
        else f"no pair above |{correlation.threshold}|"
    )
    return [
        f"  criteria correlation (Spearman, {correlation.count} items): "
        f"strongest {strongest}; {verdict}"
    ]


def _scope_line(catalog: Catalog) -> str:
    """Which decision-maker's options are ranked, and how much is left as context."""
    counts = role_counts(catalog)
    context = ", ".join(
        f"{counts[role]} {ROLE_LABELS[role].lower()}"
        for role in ("others_asked", "beijing_asks")
        if counts[role]
    )
    ranked = f"Options for {DECISION_MAKERS[catalog.scope]}: {len(catalog.recommendations)} ranked"
    return f"{ranked}; context, not ranked: {context}" if context else ranked


def _package_context(
    catalog: Catalog,
    args: argparse.Namespace,
    hint: str = "--ignore-overrides to leave them out",
    weights_spec: str = "",
) -> tuple[Catalog, WorkspaceState, WeightProfile, dict[str, float]]:
    """The catalog with the workspace's documents and overrides (unless ignored), the workspace,
    the profile and its weights with ``weights_spec`` (``id=w,...``) applied.

    ``hint`` ends the stderr note that says overrides were applied.
    """
    catalog, workspace = _with_documents(catalog, args)
    scored = scoped(
        apply_overrides(catalog, _overrides_used(args, workspace, hint)), args.decision_maker
    )
    profile, weights = resolve_weights(
        scored,
        args.profile,
        parse_weight_spec(weights_spec),
        profiles=workspace.profiles_with(scored),
    )
    return scored, workspace, profile, weights


def _optimize(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, workspace, profile, weights = _package_context(catalog, args)
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
        _table(evaluation.members_frame(catalog).round(3)),
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
    catalog, workspace, profile, weights = _package_context(catalog, args)
    interactions = load_interactions(args.root, catalog)
    user_sets, problems = load_user_sets(workspace.workspace, catalog)
    _warn(problems)
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
    return "\n".join([header, note, "", _table(pd.DataFrame(summaries).round(3))])


def _set_detail(catalog: Catalog, evaluation: SetEvaluation) -> list[str]:
    summary = evaluation.summary()
    numbers = ("total", "mean", "penalty", "bonus", "adjusted", "adjusted_mean")
    lines = [
        f"{summary['name']} ({summary['id']}, {summary['origin']}): {summary['size']} members",
        "  ".join(f"{key} {summary[key]:.3f}" for key in numbers),
        "",
        _table(evaluation.members_frame(catalog).round(3)),
        "",
        "Coverage (normalised 0-1, cost criteria reversed):",
        _table(evaluation.coverage_frame().round(3)),
    ]
    return lines + _interaction_lines([evaluation])


def _set_comparison(comparison: SetComparison, winners: Sequence[ProfileWinner]) -> list[str]:
    coverage = comparison.coverage_frame()
    table = coverage.pivot(index="criterion", columns="set", values=["best", "mean"])
    table = table.reindex(index=coverage["criterion"].unique())
    lines = [
        "",
        _table(comparison.frame().round(3)),
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


# --- Robustness: sensitivity, smaa, methods ----------------------------------------------------


def _add_robustness_commands(commands: argparse._SubParsersAction) -> None:
    sensitivity = commands.add_parser(
        "sensitivity",
        help="how far each weight can move before first place changes",
        description="Sweep each weight from 0 to 1 (the others rescaled in proportion): the "
        "interval in which the current first place holds, and for each top recommendation "
        "the smallest single-weight change that moves it out of first place or into it.",
    )
    _add_weighting_options(sensitivity)
    _add_method_options(sensitivity)
    sensitivity.add_argument("--top", type=_positive_int, default=5, help="default: 5")
    sensitivity.add_argument(
        "--criterion", metavar="ID", help="also show the sweep of this weight, rank by rank"
    )
    _add_format(sensitivity)
    sensitivity.set_defaults(handler=_sensitivity)

    smaa_command = commands.add_parser(
        "smaa",
        help="SMAA-2: how often each recommendation ranks first over plausible weights and scores",
        description="Stochastic multicriteria acceptability analysis (SMAA-2): weights drawn "
        "from the simplex (by default in the profile's order of importance), scores drawn "
        "within their ranges, each sample ranked by the weighted sum (default), TOPSIS or "
        "PROMETHEE II; rank acceptability, central weights, confidence. PROMETHEE II with "
        "drawn scores recomputes every flow in every draw (about a second for the bundled "
        "catalog); very large catalogs need --scores fixed or fewer --samples.",
    )
    _add_weighting_options(smaa_command)
    _add_method_options(smaa_command)
    smaa_command.add_argument(
        "--weight-model",
        choices=WEIGHT_MODELS,
        default="order",
        help="order: keep the profile's order of importance (default; for equal weights the "
        "whole simplex); uniform: ignore the profile; fixed: the profile's weights exactly",
    )
    smaa_command.add_argument(
        "--order", metavar="A>B=C>...", help="an order of criteria ('=' for equal), most first"
    )
    smaa_command.add_argument(
        "--bounds", metavar="ID=LO:HI,...", help="bounds on normalised weights, e.g. leverage=0:0.3"
    )
    smaa_command.add_argument(
        "--scores",
        choices=SCORE_MODELS,
        default="uniform",
        help="scores drawn uniformly within their ranges (default), triangular around the "
        "value, or fixed at the value",
    )
    smaa_command.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, metavar="N")
    smaa_command.add_argument("--seed", type=int, metavar="S", help="default: drawn and shown")
    smaa_command.add_argument("--top", type=_positive_int, default=10, help="default: 10")
    _add_format(smaa_command)
    smaa_command.set_defaults(handler=_smaa)

    methods = commands.add_parser(
        "methods", help="ranks under weighted sum, TOPSIS and PROMETHEE II, with Kendall's tau"
    )
    _add_weighting_options(methods)
    _add_method_options(methods, choose=False)
    methods.add_argument("--top", type=_positive_int, default=15, help="default: 15")
    _add_format(methods)
    methods.set_defaults(handler=_methods)


def _add_weighting_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", help="profile id (default: the catalog's default)")
    parser.add_argument(
        "--weights", default="", metavar="ID=W,...", help="override some of the profile's weights"
    )
    parser.add_argument(
        "--min", default="", metavar="ID=LEVEL,...", help="minimum levels, e.g. human_rights=2"
    )
    parser.add_argument(
        "--veto",
        default="",
        metavar="ID=LEVEL,...",
        help="worst acceptable level even at the bad end of a score's range",
    )
    parser.add_argument(
        "--ignore-overrides",
        action="store_true",
        help="use the bundled scores, leaving out the workspace's score overrides",
    )
    _add_decision_maker(parser)


def _add_method_options(parser: argparse.ArgumentParser, choose: bool = True) -> None:
    """``--method`` (the registry's names, read now) and one option per method setting."""
    if choose:
        parser.add_argument("--method", choices=names(), default=DEFAULT_METHOD)
    for setting, _ in registry.setting_owners().values():
        if setting.choices:
            parser.add_argument(
                setting.option, choices=setting.choices, default=setting.default, help=setting.help
            )
        else:
            parser.add_argument(
                setting.option, type=float, default=setting.default, help=setting.help
            )


def _method_of(args: argparse.Namespace, name: str) -> Method:
    """Method ``name`` with the settings its options give."""
    method = registry.get(name, "--method")
    return method(**{s.name: getattr(args, s.name) for s in method.settings_schema()})


def _settings_given(args: argparse.Namespace) -> list[str]:
    """The method settings whose options were given a value other than the default."""
    return [
        name
        for name, (setting, _) in registry.setting_owners().items()
        if getattr(args, name) != setting.default
    ]


def _chosen_method(args: argparse.Namespace, method: str | None = None) -> Method:
    """``--method`` (or ``method``) with its settings; an option for another method is
    refused rather than ignored, so no output claims settings it was not ranked with."""
    method = method or args.method
    owners = registry.setting_owners()
    foreign = [
        owners[name][0].option for name in _settings_given(args) if owners[name][1] != method
    ]
    if foreign:
        own = [setting.option for setting, takes in owners.values() if takes == method]
        raise InputError(
            Code.BAD_VALUE,
            foreign[0],
            "",
            f"options of the method {method} ({', '.join(own) or 'none'})",
            f"{', '.join(foreign)} with --method {method}",
            _options_hint(),
        )
    return _method_of(args, method)


def _options_hint() -> str:
    """Which options go with which method, e.g. "--anchors is for --method topsis; ..."."""
    parts = []
    for name in names():
        options = [setting.option for setting in registry.get(name).settings_schema()]
        if options:
            listed = options[0] if len(options) == 1 else ", ".join(options[:-1])
            if len(options) > 1:
                listed += f" and {options[-1]}"
            verb = "is" if len(options) == 1 else "are"
            parts.append(f"{listed} {verb} for --method {name}")
    return "; ".join(parts)


def _weighting(
    catalog: Catalog, args: argparse.Namespace
) -> tuple[Catalog, WeightProfile, dict[str, float], Screening]:
    """Catalog with workspace overrides, the profile, its weights with --weights, screening."""
    catalog, _, profile, weights = _package_context(catalog, args, weights_spec=args.weights)
    safeguards = Safeguards(
        minimums=parse_levels(args.min, "--min"), vetoes=parse_levels(args.veto, "--veto")
    )
    return catalog, profile, weights, screen(catalog, safeguards, source="--min/--veto")


SET_APART_SHOWN = 15


def _screening_lines(screening: Screening) -> list[str]:
    failed = screening.failed
    if not failed:
        return []
    lines = ["", f"Set apart by the safeguards ({len(failed)}), not ranked:"]
    lines += [f"  {f.id}: {'; '.join(f.reasons)}" for f in failed[:SET_APART_SHOWN]]
    if len(failed) > SET_APART_SHOWN:
        lines.append(f"  ... and {len(failed) - SET_APART_SHOWN} more (--format json lists all)")
    return lines


def _notice_lines(notices: Sequence[object]) -> list[str]:
    return ["", "Notes:", *(f"  - {notice}" for notice in notices)] if notices else []


def _sensitivity(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, profile, weights, screening = _weighting(catalog, args)
    spec = _chosen_method(args)
    result = one_way_sensitivity(
        catalog,
        weights,
        spec,
        include=screening.passed,
        top=args.top,
        source=f"profile {profile.id}",
    )
    if args.criterion is not None and args.criterion not in catalog.criterion_ids:
        raise InputError(
            Code.UNKNOWN_CRITERION,
            "--criterion",
            "",
            f"one of {list(catalog.criterion_ids)}",
            repr(args.criterion),
            "name a criterion id",
        )
    if args.format == "csv":
        frame = result.to_frame(top=args.top)
        if args.criterion is not None:
            frame = frame[frame["criterion"] == args.criterion]
        return frame.to_csv(index=False)
    if args.format == "json":
        record = {
            "profile": {"id": profile.id, "name": profile.name},
            "method": result.method,
            "weights": dict(zip(result.criterion_ids, result.weights.tolist(), strict=True)),
            "first": result.first,
            "intervals": result.intervals_frame().to_dict("records"),
            "changes": result.changes_frame().to_dict("records"),
            "notices": [{"code": n.code.value, "message": n.message} for n in result.notices],
            "set_apart": [{"id": f.id, "reasons": list(f.reasons)} for f in screening.failed],
        }
        return _json(record)
    first_title = result.titles[0]
    intervals = result.intervals_frame()
    shown = pd.DataFrame(
        {
            "criterion": intervals["criterion"],
            "weight": intervals["weight"].map("{:.3f}".format),
            "first holds": [
                f"{lo:.3f} - {hi:.3f}"
                for lo, hi in zip(
                    intervals["first_holds_from"], intervals["first_holds_to"], strict=True
                )
            ],
            "below that, first is": intervals["taken_below_by"].fillna("-"),
            "above that, first is": intervals["taken_above_by"].fillna("-"),
        }
    )
    lines = [
        f"Profile: {profile.name} ({profile.id}); {method_spec(result.method).inline_name}; "
        f"first: {first_title} ({result.first})",
        "Each weight swept from 0 to 1 on its own, the others rescaled in proportion "
        "(weights are shares of 1).",
        "",
        "Where first place holds:",
        _table(shown),
        "",
        f"Smallest single-weight change that moves first place (top {len(result.changes)}):",
        *(f"  {change.rank}. {change.sentence}" for change in result.changes),
    ]
    if args.criterion is not None:
        k = catalog.criterion_ids.index(args.criterion)
        steps = np.linspace(0, len(result.grid) - 1, 11).round().astype(int)
        sweep = pd.DataFrame(
            result.ranks[k][np.ix_(steps, np.arange(min(args.top, len(result.ids))))],
            columns=list(result.ids[: args.top]),
        )
        sweep.insert(0, f"{args.criterion} weight", result.grid[steps].round(2))
        heading = f"Rank of the top {args.top} as the {args.criterion} weight moves:"
        lines += ["", heading, _table(sweep)]
    return "\n".join(lines + _notice_lines(result.notices) + _screening_lines(screening))


def _smaa(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, profile, weights, screening = _weighting(catalog, args)
    constraints = constraints_from_profile(weights, catalog.criterion_ids, args.weight_model)
    if args.order:
        constraints = dataclasses.replace(constraints, order=parse_order(args.order))
    if args.bounds:
        bounds = {**constraints.bounds, **parse_bounds(args.bounds)}
        constraints = dataclasses.replace(constraints, bounds=bounds)
    result = smaa(
        catalog,
        constraints,
        scores=args.scores,
        samples=args.samples,
        seed=args.seed,
        include=screening.passed,
        source="smaa",
        method=_chosen_method(args),
    )
    if args.format == "csv":
        return result.to_frame(args.top).to_csv(index=False)
    if args.format == "json":
        frame = result.to_frame(args.top)
        record = {
            "profile": {"id": profile.id, "name": profile.name},
            "samples": result.samples,
            "seed": result.seed,
            "weights": {
                "model": args.weight_model,
                "constraints": result.constraints,
                "sampler": result.weight_sampler,
            },
            "scores": result.score_model,
            "method": result.method,
            "method_settings": dict(result.method_settings),
            "recommendations": [
                {
                    "id": row["id"],
                    "title": row["title"],
                    "rank_acceptability": result.acceptability[i].tolist(),
                    "first": row["first"],
                    "top3": row["top3"],
                    "expected_rank": row["expected_rank"],
                    "confidence": row["confidence"],
                    "central_weights": {cid: row[f"w_{cid}"] for cid in result.criterion_ids},
                }
                for i, row in frame.iterrows()
            ],
            "sentences": result.sentences(top=min(args.top, 5)),
            "notices": [{"code": n.code.value, "message": n.message} for n in result.notices],
            "set_apart": [{"id": f.id, "reasons": list(f.reasons)} for f in screening.failed],
        }
        return _json(record)
    frame = result.to_frame(args.top)
    shown = pd.DataFrame(
        {
            "#": frame["order"],
            "first": frame["first"].map("{:.1%}".format),
            "top 3": frame["top3"].map("{:.1%}".format),
            "mean rank": frame["expected_rank"].map("{:.1f}".format),
            "confidence": frame["confidence"].map(lambda c: "-" if np.isnan(c) else f"{c:.0%}"),
            "id": frame["id"],
            "title": frame["title"],
        }
    )
    scores_text = {
        "uniform": "drawn uniformly within each score's range",
        "triangular": "drawn within each range, peaking at the value",
        "fixed": "fixed at their values",
    }[result.score_model]
    sampled_by = {
        "simplex": "",
        "rejection": " (drawn by rejection)",
        "hit-and-run": " (drawn by hit-and-run, approximately uniform)",
        "fixed": "",
    }
    ranked_by = (
        ""
        if result.method == DEFAULT_METHOD
        else f"; ranked by {method_spec(result.method).inline_name}"
        + "".join(f", {key} {value}" for key, value in result.method_settings.items())
    )
    lines = [
        f"SMAA-2 under {profile.name} ({profile.id}): {result.samples:,} samples, seed "
        f"{result.seed}{ranked_by}",
        f"Weights {result.constraints}{sampled_by[result.weight_sampler]}; scores {scores_text}.",
        "first / top 3: share of samples ranking it first / in the top three; confidence: "
        "first under its central weights, share of score draws.",
        "",
        _table(shown),
        "",
        *(f"- {sentence}" for sentence in result.sentences(top=min(args.top, 5))),
    ]
    return "\n".join(lines + _notice_lines(result.notices) + _screening_lines(screening))


def _methods(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, profile, weights, screening = _weighting(catalog, args)
    specs = [_method_of(args, name) for name in names()]
    comparison = compare_methods(
        catalog, weights, specs, include=screening.passed, source=f"profile {profile.id}"
    )
    frame = comparison.to_frame()
    tau = comparison.tau_frame()
    if args.format == "csv":
        return frame.to_csv(index=False)
    if args.format == "json":
        record = {
            "profile": {"id": profile.id, "name": profile.name},
            "settings": {name: dict(r.settings) for name, r in comparison.rankings.items()},
            "ranks": frame.to_dict("records"),
            "kendall_tau": tau.round(6).to_dict(),
            "set_apart": [{"id": f.id, "reasons": list(f.reasons)} for f in screening.failed],
        }
        return _json(record)
    titles = {rec.id: rec.title for rec in catalog.recommendations}
    shown = frame.head(args.top).copy()
    shown["title"] = shown["id"].map(titles)
    settings = "; ".join(
        f"{name}: " + ", ".join(f"{key} {value}" for key, value in r.settings.items())
        for name, r in comparison.rankings.items()
        if r.settings
    )
    lines = [
        f"Profile: {profile.name} ({profile.id}); rank under each method ({settings})",
        "spread: largest minus smallest rank across methods",
        "",
        _table(shown),
        "",
        "Kendall's tau between the methods' full rankings (1 = same order):",
        tau.round(3).to_string(),
    ]
    return "\n".join(lines + _screening_lines(screening))


def _json(record: object) -> str:
    """JSON of plain data with numpy scalars as numbers and NaN as null (strict JSON)."""

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {str(key): plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and not np.isfinite(value):
            return None
        return value

    return json.dumps(plain(record), indent=2, ensure_ascii=False, allow_nan=False)


def _table(frame: pd.DataFrame) -> str:
    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        return frame.to_string(index=False)


# --- brief -----------------------------------------------------------------------------------

_BRIEF_DEFINING = (
    "profiles",
    "title",
    "question",
    "audience",
    "decide_by",
    "top",
    "weights",
    "method",
    "documents",
    "instruments",
    "kinds",
    "actors",
    "option_sets",
    "no_robustness",
)


def _add_brief_command(commands: argparse._SubParsersAction) -> None:
    from scoring.briefs import FORMATS as BRIEF_FORMATS

    brief = commands.add_parser(
        "brief",
        help="write a ranked brief: md, html, docx, pdf, or the full ranking as csv or xlsx",
        description="Write a decision brief built from one ranking. Every file is written "
        "whole or not at all. The brief's reproducibility record holds a scenario; "
        "--scenario FILE rebuilds the same brief from it.",
    )
    brief.add_argument(
        "--profile",
        dest="profiles",
        action="append",
        metavar="NAME",
        help="profile id; repeat to compare perspectives (the first one is recommended under)",
    )
    brief.add_argument(
        "--format",
        dest="brief_format",
        choices=BRIEF_FORMATS,
        help="file format (default: from the suffix of -o)",
    )
    brief.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    brief.add_argument("--title", help="the brief's title")
    brief.add_argument("--question", help="the decision asked, in one sentence")
    brief.add_argument("--audience", help="who decides")
    brief.add_argument("--decide-by", dest="decide_by", metavar="WHEN", help="deadline")
    brief.add_argument(
        "--top", type=_positive_int, metavar="N", help="recommendations to detail (default 3)"
    )
    brief.add_argument(
        "--weights",
        metavar="ID=W,...",
        help="override some of the first profile's weights, e.g. leverage=2,buy_in=0",
    )
    brief.add_argument("--method", choices=sorted(names()), help=f"default: {DEFAULT_METHOD}")
    # The method's settings, as for rank and smaa; only those that differ from the defaults
    # go into the brief (and its scenario).
    _add_method_options(brief, choose=False)
    for option, dest, what in (
        ("--document", "documents", "document file name, e.g. 000_f4969c7762330fbf"),
        ("--instrument", "instruments", "instrument id, e.g. dialogue"),
        ("--kind", "kinds", "explicit or implicit"),
        ("--actor", "actors", "actor, exactly as in the catalog"),
    ):
        brief.add_argument(
            option, dest=dest, action="append", metavar="VALUE", help=f"keep only this {what}"
        )
    brief.add_argument(
        "--option-set",
        dest="option_sets",
        action="append",
        metavar="ID",
        help="an option set to evaluate; repeat to compare two to five (recscore sets lists them)",
    )
    brief.add_argument(
        "--no-robustness",
        action="store_true",
        help="leave out the sensitivity and SMAA section",
    )
    brief.add_argument(
        "--scenario",
        type=Path,
        metavar="FILE",
        help="rebuild the brief a scenario file describes (from a brief's record)",
    )
    brief.add_argument(
        "--save-scenario",
        type=Path,
        metavar="FILE",
        help="also write the brief's scenario file",
    )
    brief.add_argument(
        "--ignore-overrides",
        action="store_true",
        help="use the bundled scores, leaving out the workspace's score overrides",
    )
    _add_decision_maker(brief)
    brief.set_defaults(handler=_brief)


def _brief_method_settings(args: argparse.Namespace, method: str) -> dict[str, object]:
    """The settings the brief's options give ``method``: only those not at their default."""
    from scoring.briefs import method_settings

    return method_settings(_chosen_method(args, method))


def _brief_format(args: argparse.Namespace) -> str:
    from scoring.briefs import FORMATS as BRIEF_FORMATS

    if args.brief_format:
        return str(args.brief_format)
    suffix = args.output.suffix.lower().lstrip(".")
    if suffix in BRIEF_FORMATS:
        return suffix
    raise InputError(
        Code.BAD_VALUE,
        "-o",
        str(args.output),
        f"a file ending in one of {['.' + fmt for fmt in BRIEF_FORMATS]}",
        repr(args.output.suffix or "no suffix"),
        "add --format, e.g. --format pdf",
    )


def _brief(catalog: Catalog, args: argparse.Namespace) -> str:
    from scoring.briefs import (
        BriefSpec,
        Filters,
        brief_from_scenario,
        build_brief,
        load_scenario,
        render_brief,
        write_atomically,
    )

    def interactions_for(option_sets: Sequence[str]) -> Interactions | None:
        return load_interactions(args.root, catalog) if option_sets else None

    fmt = _brief_format(args)
    if args.scenario is not None:
        given = [f"--{name.replace('_', '-')}" for name in _BRIEF_DEFINING if getattr(args, name)]
        owners = registry.setting_owners()
        given += [owners[name][0].option for name in _settings_given(args)]
        if given:
            raise InputError(
                Code.BAD_VALUE,
                "--scenario",
                str(args.scenario),
                "no other option that defines the brief",
                ", ".join(given),
                "edit the scenario file instead, or drop --scenario",
            )
        scenario = load_scenario(args.scenario)
        brief = brief_from_scenario(
            catalog, scenario, interactions=interactions_for(scenario.spec.option_sets)
        )
    else:
        catalog, workspace = _with_documents(catalog, args)
        overrides = _overrides_used(args, workspace, "--ignore-overrides to use the bundled scores")
        spec = BriefSpec(
            title=args.title or BriefSpec.title,
            question=args.question or "",
            audience=args.audience or "",
            decide_by=args.decide_by or "",
            profiles=tuple(args.profiles or ()),
            weights=tuple(parse_weight_spec(args.weights or "").items()),
            method=args.method or BriefSpec.method,
            method_settings=tuple(
                _brief_method_settings(args, args.method or BriefSpec.method).items()
            ),
            filters=Filters(
                documents=tuple(args.documents or ()),
                actors=tuple(args.actors or ()),
                instruments=tuple(args.instruments or ()),
                kinds=tuple(args.kinds or ()),
            ),
            top=args.top or BriefSpec.top,
            option_sets=tuple(args.option_sets or ()),
            robustness=not args.no_robustness,
            formats=(fmt,),
            decision_maker=args.decision_maker,
        )
        user_sets, set_problems = load_user_sets(workspace.workspace, catalog)
        if spec.option_sets:
            _warn(set_problems)
        brief = build_brief(
            catalog,
            spec,
            profiles=workspace.profiles_with(catalog),
            overrides=overrides,
            interactions=interactions_for(spec.option_sets),
            sets=user_sets,
        )
    data = render_brief(brief, fmt)  # rendered whole before anything is written
    written = [write_atomically(args.output, data)]
    if args.save_scenario is not None:
        written.append(write_atomically(args.save_scenario, brief.record.scenario_yaml.encode()))
    first = brief.ranking[0]
    return "\n".join(
        [
            f"wrote {written[0]} ({fmt}, {len(data):,} bytes): {brief.count} recommendations "
            f"ranked under {brief.profile.name}; first: {first.title}",
            *(f"wrote {path} (scenario)" for path in written[1:]),
            f"inputs sha256 {brief.record.inputs_sha256}",
        ]
    )


# --- extract ---------------------------------------------------------------------------------


def _add_extract_command(commands: argparse._SubParsersAction) -> None:
    extract = commands.add_parser(
        "extract",
        help="candidate recommendations in a document (txt, md, pdf, docx; - for stdin)",
        description="Read a document, strip page furniture and list the passages that give "
        "advice, each with its span in the normalised text, form, actor, instrument and "
        "confidence. Nothing is written.",
    )
    extract.add_argument("file", type=Path, metavar="FILE", help="the document, or - for stdin")
    extract.add_argument("--format", choices=("table", "json"), default="table")
    extract.add_argument(
        "--min-confidence",
        type=_unit_interval,
        default=DEFAULT_MIN_CONFIDENCE,
        metavar="X",
        help=f"leave out candidates below X, 0-1 (default {DEFAULT_MIN_CONFIDENCE})",
    )
    extract.add_argument(
        "--max-size-mb",
        type=float,
        default=DEFAULT_MAX_BYTES / 2**20,
        metavar="MB",
        help=f"refuse larger files (default {DEFAULT_MAX_BYTES // 2**20})",
    )
    extract.set_defaults(handler=_extract)


def _unit_interval(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return number


def _extract(catalog: Catalog, args: argparse.Namespace) -> str:
    max_bytes = int(args.max_size_mb * 2**20)
    document = _read_document(args.file, max_bytes)
    extraction = extract_candidates(
        document.text, catalog.instruments, min_confidence=args.min_confidence
    )
    # No advice is a valid result (a news story, a fact sheet): an empty list and a notice.
    notices = [*document.notices, *filter(None, [no_advice_notice(extraction, document.name)])]
    if args.format == "json":
        record = {
            "document": {
                "name": document.name,
                "format": document.source_format,
                "pages": document.pages,
                "characters": len(extraction.normalized),
            },
            "furniture_removed": [
                {"line": r.line, "text": r.text, "reason": r.reason} for r in document.removed
            ],
            "notices": [{"code": n.code.value, "message": n.message} for n in notices],
            "min_confidence": extraction.min_confidence,
            "candidates": [c.record() for c in extraction.candidates],
        }
        return json.dumps(record, indent=2, ensure_ascii=False)
    shown = pd.DataFrame(
        {
            "#": range(1, len(extraction.candidates) + 1),
            "span": [f"{c.start}-{c.end}" for c in extraction.candidates],
            "conf": [f"{c.confidence:.2f}" for c in extraction.candidates],
            "form": [c.form for c in extraction.candidates],
            "actor": [c.actor for c in extraction.candidates],
            "addressee": [c.addressee for c in extraction.candidates],
            "instrument": [c.instrument for c in extraction.candidates],
            "text": [
                c.text if len(c.text) <= 90 else c.text[:87] + "..." for c in extraction.candidates
            ],
        }
    )
    removed = f"; {len(document.removed)} furniture line(s) removed" if document.removed else ""
    header = (
        f"{document.name}: {len(extraction.candidates)} candidate recommendation(s), "
        f"confidence >= {extraction.min_confidence:.2f}{removed}"
    )
    note = "span: characters in the normalised text; --format json gives every field"
    if not extraction.candidates:
        return "\n".join([header, *(f"notice: {n.message}" for n in notices)])
    return "\n".join([header, note, "", _table(shown)])


# --- ingest ----------------------------------------------------------------------------------


def _add_ingest_command(commands: argparse._SubParsersAction) -> None:
    ingest = commands.add_parser(
        "ingest",
        help="add a document to the workspace with its candidate recommendations",
        description="Read a document (txt, md, pdf, docx; - for stdin), extract its candidate "
        "recommendations and store it in the workspace's documents/ folder, every candidate "
        "with an identified instrument accepted, with suggested scores marked as such. "
        "`rank` and `recommendations` then include them; review them in the app's Documents "
        "page or edit the stored YAML.",
    )
    ingest.add_argument("file", type=Path, metavar="FILE", help="the document, or - for stdin")
    ingest.add_argument("--title", help="the document's title (default: unknown)")
    ingest.add_argument("--author", help="its author (default: unknown)")
    ingest.add_argument("--date", help="its date, as written (default: unknown)")
    ingest.add_argument(
        "--min-confidence",
        type=_unit_interval,
        default=DEFAULT_MIN_CONFIDENCE,
        metavar="X",
        help=f"accept only candidates at or above X, 0-1 (default {DEFAULT_MIN_CONFIDENCE})",
    )
    ingest.add_argument(
        "--max-size-mb",
        type=float,
        metavar="MB",
        help="refuse larger files (default $RECSCORE_MAX_DOCUMENT_MB, else 20)",
    )
    ingest.add_argument(
        "--replace", action="store_true", help="replace the document if it is already stored"
    )
    ingest.set_defaults(handler=_ingest)


def _ingest(catalog: Catalog, args: argparse.Namespace) -> str:
    max_bytes = max_document_bytes() if args.max_size_mb is None else int(args.max_size_mb * 2**20)
    document = _read_document(args.file, max_bytes)
    workspace = Workspace.locate(args.workspace)
    catalog, _ = load_with_documents(workspace, catalog)
    info = DocumentInfo.of(args.title, args.author, args.date)
    review = accept_all(start_review(document, catalog, info, min_confidence=args.min_confidence))
    _warn(
        f"left out (no instrument identified; add it in the app): {d.quote[:100]}"
        for d in review.drafts
        if d.instrument not in catalog.instruments
    )
    placed = tuple(d for d in review.drafts if d.instrument in catalog.instruments)
    review = dataclasses.replace(review, drafts=placed)
    stored = store_document(workspace, catalog, review, replace_existing=args.replace)
    shown = pd.DataFrame(
        {
            "id": [rec.id for rec in stored.recommendations],
            "instrument": [rec.instrument for rec in stored.recommendations],
            "actor": [rec.actor for rec in stored.recommendations],
            "title": [rec.title for rec in stored.recommendations],
        }
    )
    where = (workspace.documents_dir / stored.document.name).as_posix()
    header = (
        f"{'replaced' if stored.replaced else 'stored'} {where}: "
        f"{len(stored.recommendations)} recommendation(s) accepted, "
        f"{stored.suggested_cells} score(s) suggested from curated medians (marked "
        "'Suggested' in their rationale; review them in the app or edit the YAML)"
    )
    return "\n".join([header, "", _table(shown)])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
