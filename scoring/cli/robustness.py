"""``sensitivity``, ``smaa`` and ``methods``: how far a ranking rests on weights, scores, method."""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Sequence

import numpy as np
import pandas as pd

from scoring.cli import CommandParsers
from scoring.cli.common import (
    add_decision_maker,
    add_format,
    add_method_options,
    chosen_method,
    csv_text,
    json_text,
    method_of,
    package_context,
    positive_int,
    table_text,
)
from scoring.errors import Code, InputError
from scoring.methods import (
    DEFAULT_METHOD,
    compare_methods,
    method_spec,
    names,
)
from scoring.model import Catalog, WeightProfile
from scoring.robustness import (
    DEFAULT_SAMPLES,
    DEFAULT_SCORE_MODEL,
    DEFAULT_SEED,
    DEFAULT_WEIGHT_MODEL,
    SCORE_MODEL_TEXT,
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


def add_commands(commands: CommandParsers) -> None:
    """The group's commands, each with its options and handler."""
    sensitivity = commands.add_parser(
        "sensitivity",
        description="Sweep each weight from 0 to 1 (the others rescaled in proportion): the "
        "interval in which the current first place holds, and for each top recommendation "
        "the smallest single-weight change that moves it out of first place or into it.",
    )
    _add_weighting_options(sensitivity)
    add_method_options(sensitivity)
    sensitivity.add_argument("--top", type=positive_int, default=5, help="default: 5")
    sensitivity.add_argument(
        "--criterion", metavar="ID", help="also show the sweep of this weight, rank by rank"
    )
    add_format(sensitivity)
    sensitivity.set_defaults(handler=_sensitivity)

    smaa_command = commands.add_parser(
        "smaa",
        description="Stochastic multicriteria acceptability analysis (SMAA-2): weights drawn "
        "from the simplex (by default in the profile's order of importance), scores drawn "
        "within their ranges, each sample ranked by the weighted sum (default), TOPSIS or "
        "PROMETHEE II; rank acceptability, central weights, confidence. PROMETHEE II with "
        "drawn scores recomputes every flow in every draw (about a second for the bundled "
        "catalog); very large catalogs need --scores fixed or fewer --samples.",
    )
    _add_weighting_options(smaa_command)
    add_method_options(smaa_command)
    smaa_command.add_argument(
        "--weight-model",
        choices=WEIGHT_MODELS,
        default=DEFAULT_WEIGHT_MODEL,
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
        "--score-model",
        "--scores",
        dest="scores",
        choices=SCORE_MODELS,
        default=DEFAULT_SCORE_MODEL,
        help="triangular: each score peaks at its recorded value within its range (default); "
        "pert: a Beta with the same peak, tighter; uniform within the range; or fixed at the "
        "value",
    )
    smaa_command.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, metavar="N")
    smaa_command.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"default {DEFAULT_SEED}, as the app and briefs use",
    )
    smaa_command.add_argument("--top", type=positive_int, default=10, help="default: 10")
    add_format(smaa_command)
    smaa_command.set_defaults(handler=_smaa)

    methods = commands.add_parser(
        "methods",
    )
    _add_weighting_options(methods)
    add_method_options(methods, choose=False)
    methods.add_argument("--top", type=positive_int, default=15, help="default: 15")
    add_format(methods)
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
    add_decision_maker(parser)


def _weighting(
    catalog: Catalog, args: argparse.Namespace
) -> tuple[Catalog, WeightProfile, dict[str, float], Screening]:
    """Catalog with workspace overrides, the profile, its weights with --weights, screening."""
    catalog, _, profile, weights = package_context(catalog, args, weights_spec=args.weights)
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
    spec = chosen_method(args)
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
        return csv_text(frame)
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
        return json_text(record)
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
        table_text(shown),
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
        lines += ["", heading, table_text(sweep)]
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
        method=chosen_method(args),
    )
    if args.format == "csv":
        return csv_text(result.to_frame(args.top))
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
        return json_text(record)
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
    scores_text = SCORE_MODEL_TEXT[result.score_model]
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
        table_text(shown),
        "",
        *(f"- {sentence}" for sentence in result.sentences(top=min(args.top, 5))),
    ]
    return "\n".join(lines + _notice_lines(result.notices) + _screening_lines(screening))


def _methods(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, profile, weights, screening = _weighting(catalog, args)
    specs = [method_of(args, name) for name in names()]
    comparison = compare_methods(
        catalog, weights, specs, include=screening.passed, source=f"profile {profile.id}"
    )
    frame = comparison.to_frame()
    tau = comparison.tau_frame()
    if args.format == "csv":
        return csv_text(frame)
    if args.format == "json":
        record = {
            "profile": {"id": profile.id, "name": profile.name},
            "settings": {name: dict(r.settings) for name, r in comparison.rankings.items()},
            "ranks": frame.to_dict("records"),
            "kendall_tau": tau.round(6).to_dict(),
            "set_apart": [{"id": f.id, "reasons": list(f.reasons)} for f in screening.failed],
        }
        return json_text(record)
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
        table_text(shown),
        "",
        "Kendall's tau between the methods' full rankings (1 = same order):",
        tau.round(3).to_string(),
    ]
    return "\n".join(lines + _screening_lines(screening))
