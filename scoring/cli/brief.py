"""``brief``: write a decision brief, or rebuild one from its scenario."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from scoring.cli import CommandParsers
from scoring.cli.common import (
    add_decision_maker,
    add_method_options,
    chosen_method,
    overrides_used,
    positive_int,
    settings_given,
    warn,
    with_documents,
)
from scoring.errors import Code, InputError
from scoring.methods import (
    DEFAULT_METHOD,
    names,
    registry,
)
from scoring.model import Catalog
from scoring.option_sets import (
    Interactions,
    load_interactions,
    load_user_sets,
)
from scoring.weights import parse_weight_spec

_BRIEF_DEFINING = (
    "profiles",
    "title",
    "question",
    "audience",
    "decide_by",
    "sender",
    "subject",
    "date",
    "classification",
    "paper",
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


def add_commands(commands: CommandParsers) -> None:
    """The group's commands, each with its options and handler."""
    from scoring.briefs import FORMATS as BRIEF_FORMATS

    brief = commands.add_parser(
        "brief",
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
    brief.add_argument("--audience", "--to", dest="audience", help="the memo's To: who decides")
    brief.add_argument("--from", dest="sender", metavar="WHO", help="the memo's From line")
    brief.add_argument("--subject", help="the memo's Subject (default: the title)")
    brief.add_argument("--date", help="the memo's Date (default: the day it is generated)")
    brief.add_argument(
        "--classification", metavar="LINE", help="classification or handling line, printed first"
    )
    brief.add_argument("--decide-by", dest="decide_by", metavar="WHEN", help="deadline")
    brief.add_argument(
        "--paper", choices=("letter", "a4"), help="paper for PDF and Word (default: letter)"
    )
    brief.add_argument(
        "--top", type=positive_int, metavar="N", help="recommendations to detail (default 3)"
    )
    brief.add_argument(
        "--weights",
        metavar="ID=W,...",
        help="override some of the first profile's weights, e.g. leverage=2,buy_in=0",
    )
    brief.add_argument("--method", choices=sorted(names()), help=f"default: {DEFAULT_METHOD}")
    # The method's settings, as for rank and smaa; only those that differ from the defaults
    # go into the brief (and its scenario).
    add_method_options(brief, choose=False)
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
    add_decision_maker(brief)
    brief.set_defaults(handler=_brief)


def _brief_method_settings(args: argparse.Namespace, method: str) -> dict[str, object]:
    """The settings the brief's options give ``method``: only those not at their default."""
    from scoring.briefs import method_settings

    return method_settings(chosen_method(args, method))


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
        given += [owners[name][0].option for name in settings_given(args)]
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
        catalog, workspace = with_documents(catalog, args)
        overrides = overrides_used(args, workspace, "--ignore-overrides to use the bundled scores")
        spec = BriefSpec(
            title=args.title or BriefSpec.title,
            question=args.question or "",
            audience=args.audience or "",
            decide_by=args.decide_by or "",
            sender=args.sender or "",
            subject=args.subject or "",
            date=args.date or "",
            classification=args.classification or "",
            paper=args.paper or "letter",
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
            warn(set_problems)
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
