"""The ``recscore`` command: a thin front over the engine.

Every subcommand collects its options, calls one engine function and prints the result.
Errors the user can cause are rendered as messages (file, key path, expected, found, fix)
with exit status 2, never as tracebacks.

One module per command group (:mod:`~scoring.cli.catalog`, :mod:`~scoring.cli.packages`,
:mod:`~scoring.cli.robustness`, :mod:`~scoring.cli.brief`, :mod:`~scoring.cli.documents`);
what they share is in :mod:`~scoring.cli.common`. Parsing is in two steps: this module knows
every command's name and one-line help, and imports only the chosen command's group to
build its options, so ``recscore --version`` and ``recscore -h`` load no engine at all.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from scoring.bundled import default_root
from scoring.errors import RecscoreError

__all__ = ["CommandParsers", "default_root", "main"]

EXIT_USER_ERROR = 2

# Every command, in the order the help lists them: its group module and its one-line help.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("catalog", "check criteria, profiles and seeds"),
    "recommendations": ("catalog", "list every recommendation with scores"),
    "profiles": ("catalog", "list the weight profiles"),
    "rank": ("catalog", "rank recommendations under a weight profile"),
    "brief": (
        "brief",
        "write a ranked brief: md, html, docx, pdf, or the full ranking as csv or xlsx",
    ),
    "optimize": (
        "packages",
        "the best package of at most K recommendations with no conflicting pair",
    ),
    "sets": ("packages", "list option sets, or evaluate one or compare two to five"),
    "sensitivity": ("robustness", "how far each weight can move before first place changes"),
    "smaa": (
        "robustness",
        "SMAA-2: how often each recommendation ranks first over plausible weights and scores",
    ),
    "methods": ("robustness", "ranks under every aggregation method, with Kendall's tau"),
    "extract": (
        "documents",
        "candidate recommendations in a document (txt, md, pdf, docx; - for stdin)",
    ),
    "ingest": ("documents", "add a document to the workspace with its candidate recommendations"),
}


class CommandParsers:
    """Stands in for argparse's subparsers when a group adds its commands: every command gets
    a parser of its own (``recscore <name>``), and the chosen one is kept."""

    def __init__(self, chosen: str) -> None:
        self.chosen = chosen
        self.parser: argparse.ArgumentParser | None = None

    def add_parser(self, name: str, **kwargs: str) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(prog=f"recscore {name}", **kwargs)  # type: ignore[arg-type]
        if name == self.chosen:
            self.parser = parser
        return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status (0 ok, 2 bad input)."""
    args, rest = _top_parser().parse_known_args(argv)
    args = command_parser(args.command).parse_args(rest, namespace=args)
    from scoring.loading import load_catalog  # here: the loader needs numpy and pydantic

    try:
        catalog = load_catalog(args.root)
        output = args.handler(catalog, args)
    except RecscoreError as exc:
        print(f"recscore: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    sys.stdout.write(output if output.endswith("\n") else output + "\n")
    return 0


def command_parser(name: str) -> argparse.ArgumentParser:
    """The full parser of one command, built by its group module."""
    group = importlib.import_module(f"scoring.cli.{COMMANDS[name][0]}")
    commands = CommandParsers(name)
    group.add_commands(commands)
    assert commands.parser is not None, f"{group.__name__} does not define {name}"
    return commands.parser


class _VersionAction(argparse.Action):
    """``--version``, looking the version up only when asked: the lookup's import is a
    tenth of a second every other command need not pay."""

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        import scoring

        print(f"recscore {scoring.__version__}")  # on stdout, as argparse's own action does
        parser.exit()


def _top_parser() -> argparse.ArgumentParser:
    """The options before the command, and the command; the rest is the command's."""
    parser = argparse.ArgumentParser(
        prog="recscore", description="Rank policy recommendations on transparent criteria."
    )
    parser.add_argument(
        "--version", action=_VersionAction, nargs=0, help="show program's version number and exit"
    )
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
    for name, (_, summary) in COMMANDS.items():
        # No options here (not even -h): whatever follows the command is its own parser's.
        commands.add_parser(name, help=summary, add_help=False)
    return parser
