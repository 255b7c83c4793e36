"""``validate``, ``recommendations``, ``profiles`` and ``rank``: the catalog and its ranking."""

from __future__ import annotations

import argparse
import json

import pandas as pd

from scoring.cli import CommandParsers
from scoring.cli.common import (
    add_format,
    add_method_options,
    chosen_method,
    package_context,
    positive_int,
    table_text,
    with_documents,
)
from scoring.methods import (
    DEFAULT_METHOD,
    method_spec,
    rank_by,
)
from scoring.model import Catalog
from scoring.option_sets import (
    load_interactions,
)
from scoring.tables import (
    ranking_frame,
    ranking_record,
    recommendation_record,
    recommendations_frame,
)


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
    return "\n".join(lines)


def _recommendations(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, _ = with_documents(catalog, args)
    if args.format == "json":
        records = [recommendation_record(rec) for rec in catalog.recommendations]
        return json.dumps(records, indent=2, ensure_ascii=False)
    frame = recommendations_frame(catalog)
    if args.format == "csv":
        return frame.to_csv(index=False)
    columns = ["id", "document", "kind", "instrument", "actor", "title"]
    return table_text(frame[columns])


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
    return table_text(pd.DataFrame(rows))


def _rank(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, _, profile, weights = package_context(
        catalog, args, "--ignore-overrides to rank on the bundled scores", args.weights
    )
    ranking = rank_by(catalog, weights, chosen_method(args), source=f"profile {profile.id}")
    if args.format == "json":
        record = ranking_record(catalog, ranking, profile, args.top)
        return json.dumps(record, indent=2, ensure_ascii=False)
    frame = ranking_frame(catalog, ranking)
    if args.top is not None:
        frame = frame.head(args.top)
    if args.format == "csv":
        return frame.to_csv(index=False)
    shown = frame[["rank", "score", "id", "title", "strongest", "weakest"]].copy()
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
    return "\n".join([header, note, "", table_text(shown)])


def add_commands(commands: CommandParsers) -> None:
    """The group's commands, each with its options and handler."""
    validate = commands.add_parser(
        "validate",
    )
    validate.set_defaults(handler=_validate)

    recs = commands.add_parser(
        "recommendations",
    )
    add_format(recs)
    recs.set_defaults(handler=_recommendations)

    profiles = commands.add_parser(
        "profiles",
    )
    profiles.set_defaults(handler=_profiles)

    ranking = commands.add_parser(
        "rank",
    )
    ranking.add_argument("--profile", help="profile id (default: the catalog's default)")
    ranking.add_argument(
        "--weights",
        default="",
        metavar="ID=W,...",
        help="override some of the profile's weights, e.g. leverage=2,buy_in=0",
    )
    ranking.add_argument("--top", type=positive_int, help="show only the first N")
    add_method_options(ranking)
    ranking.add_argument(
        "--ignore-overrides",
        action="store_true",
        help="rank on the bundled scores, leaving out the workspace's score overrides",
    )
    add_format(ranking)
    ranking.set_defaults(handler=_rank)
