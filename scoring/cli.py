"""The ``recscore`` command: a thin front over the engine.

Every subcommand collects its options, calls one engine function and prints the result.
Errors the user can cause are rendered as messages (file, key path, expected, found, fix)
with exit status 2, never as tracebacks.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from scoring import __version__
from scoring.errors import RecscoreError
from scoring.loading import load_catalog
from scoring.methods import rank
from scoring.model import Catalog
from scoring.tables import (
    ranking_frame,
    ranking_record,
    recommendation_record,
    recommendations_frame,
)
from scoring.weights import parse_weight_spec, resolve_weights
from scoring.workspace import Workspace, apply_overrides, load_workspace

__all__ = ["default_root", "main"]

EXIT_USER_ERROR = 2
FORMATS = ("table", "csv", "json")


def default_root() -> Path:
    """The data root: $RECSCORE_ROOT, else the checkout this package lives in."""
    configured = os.environ.get("RECSCORE_ROOT")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent


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
    ranking.add_argument(
        "--ignore-overrides",
        action="store_true",
        help="rank on the bundled scores, leaving out the workspace's score overrides",
    )
    _add_format(ranking)
    ranking.set_defaults(handler=_rank)
    return parser


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
    return "\n".join(lines)


def _recommendations(catalog: Catalog, args: argparse.Namespace) -> str:
    if args.format == "json":
        records = [recommendation_record(rec) for rec in catalog.recommendations]
        return json.dumps(records, indent=2, ensure_ascii=False)
    frame = recommendations_frame(catalog)
    if args.format == "csv":
        return frame.to_csv(index=False)
    columns = ["id", "document", "kind", "instrument", "actor", "title"]
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
    workspace = load_workspace(Workspace.locate(args.workspace), catalog)
    for problem in workspace.problems:
        print(f"recscore: warning: {problem}", file=sys.stderr)
    overrides = {} if args.ignore_overrides else workspace.overrides
    if overrides:
        where = workspace.workspace.root.as_posix()
        print(
            f"recscore: {len(overrides)} score override(s) from {where} applied "
            "(--ignore-overrides to rank on the bundled scores)",
            file=sys.stderr,
        )
    catalog = apply_overrides(catalog, overrides)
    profile, weights = resolve_weights(
        catalog,
        args.profile,
        parse_weight_spec(args.weights),
        profiles=workspace.profiles_with(catalog),
    )
    ranking = rank(catalog, weights, source=f"profile {profile.id}")
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
    header = f"Profile: {profile.name} ({profile.id}); weighted sum; weights " + ", ".join(
        f"{cid} {w:.2f}" for cid, w in ranking.weight_map.items()
    )
    note = (
        "score [interval when every score moves to the end of its range]; "
        "~ marks a near-tie with the next rank"
    )
    return "\n".join([header, note, "", _table(shown)])


def _table(frame: pd.DataFrame) -> str:
    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        return frame.to_string(index=False)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
