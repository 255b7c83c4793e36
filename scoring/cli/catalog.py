"""``validate``, ``recommendations``, ``profiles`` and ``rank``: the catalog and its ranking."""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from typing import TYPE_CHECKING

from scoring.cli import CommandParsers
from scoring.cli.common import (
    add_decision_maker,
    add_format,
    add_method_options,
    chosen_method,
    csv_text,
    package_context,
    plain_table,
    positive_int,
    table_text,
    with_documents,
)
from scoring.methods import (
    TIE_DECIMALS,
    method_spec,
    rank_by,
)
from scoring.model import Catalog, Recommendation
from scoring.option_sets import (
    load_interactions,
)
from scoring.robustness import (
    DEFAULT_SCORE_MODEL,
    NEAR_TIE,
    SCORE_MODELS,
    first_place_tie,
    uncertainty_legend,
    with_uncertainty,
)
from scoring.scope import DECISION_MAKERS, context_text, scoped
from scoring.tables import (
    TIE_ORDER,
    below_baseline,
    display_order,
    rank_label,
    ranking_frame,
    ranking_record,
    recommendation_record,
    recommendations_frame,
)

if TYPE_CHECKING:
    from scoring.methods import Ranking


def _validate(catalog: Catalog, args: argparse.Namespace) -> str:
    interactions = load_interactions(args.root, catalog)  # raises, listing every fault
    lines = [
        f"OK: {len(catalog.criteria)} criteria, {len(catalog.profiles)} profiles, "
        f"{len(catalog.documents)} documents, {len(catalog.recommendations)} recommendations"
    ]
    by_document: dict[str, list[Recommendation]] = {}
    for rec in catalog.recommendations:  # grouped once: one pass, not one per document
        by_document.setdefault(rec.document, []).append(rec)
    for document in catalog.documents:
        recs = by_document.get(document.name, [])
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
    from scoring.consistency import find_inconsistencies  # here: only validate needs it

    flags = find_inconsistencies(catalog)
    lines.append(
        f"  consistency: {len(flags)} rationale(s) at odds with their level"
        + "".join(f"\n    - {flag}" for flag in flags)
    )
    return "\n".join(lines)


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
    from scoring.analysis import criteria_correlation  # here: only validate needs it

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
    context = context_text(catalog)
    ranked = f"Options for {DECISION_MAKERS[catalog.scope]}: {len(catalog.recommendations)} ranked"
    return f"{ranked}; context, not ranked: {context}" if context else ranked


def _recommendations(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, _ = with_documents(catalog, args)
    catalog = scoped(catalog, args.decision_maker)
    if args.format == "json":
        records = [
            recommendation_record(rec, catalog) for rec in catalog.recommendations + catalog.context
        ]
        return json.dumps(records, indent=2, ensure_ascii=False)
    frame = recommendations_frame(catalog)
    if args.format == "csv":
        return csv_text(frame)
    columns = ["id", "document", "kind", "instrument", "addressees", "role", "title"]
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
    import pandas as pd  # here: only the tables need it

    return table_text(pd.DataFrame(rows))


def _rank(catalog: Catalog, args: argparse.Namespace) -> str:
    catalog, _, profile, weights = package_context(
        catalog, args, "--ignore-overrides to rank on the bundled scores", args.weights
    )
    ranking = rank_by(catalog, weights, chosen_method(args), source=f"profile {profile.id}")
    ranking = with_uncertainty(catalog, ranking, args.score_model)
    tie = first_place_tie(catalog, ranking)
    if args.format == "json":
        record = ranking_record(catalog, ranking, profile, args.top)
        record["first_place_tie"] = None if tie is None else tie.sentence()
        return json.dumps(record, indent=2, ensure_ascii=False)
    if args.format == "csv":
        frame = ranking_frame(catalog, ranking)
        return csv_text(frame if args.top is None else frame.head(args.top))
    columns, rows = _rank_rows(catalog, ranking, args.top)
    method = method_spec(ranking.method).inline_name + "".join(
        f", {key} {value}" for key, value in ranking.settings.items()
    )
    header = f"Profile: {profile.name} ({profile.id}); {method}; weights " + ", ".join(
        f"{cid} {w:.2f}" for cid, w in ranking.weight_map.items()
    )
    low, high = NEAR_TIE
    note = (
        f"{uncertainty_legend(ranking.uncertainty)} ~ marks a near-tie "
        f"({low:.1f} <= P <= {high:.1f}). n= is a tie at rank n (tie: its size), listed "
        f"{TIE_ORDER}."
    )
    lines = [header, _scope_line(catalog), note, ""]
    if tie is not None:
        lines += [tie.sentence(), ""]
    return "\n".join([*lines, plain_table(columns, rows)])


_RANK_COLUMNS = (
    "rank",
    "tie",
    "score",
    "ranks 5-95%",
    "P(above next)",
    "id",
    "title",
    "strongest",
    "weakest",
)


def _rank_rows(
    catalog: Catalog, ranking: Ranking, top: int | None
) -> tuple[tuple[str, ...], list[list[str]]]:
    """The terminal table's cells, best first, built from the ranking's arrays.

    Not through :func:`ranking_frame`: pandas is most of ``recscore rank``'s start-up time.
    Cells match the frame's columns (tests compare the two).
    """
    order = display_order(catalog, ranking)[:top]
    ids = ranking.ids.tolist()
    ranks = ranking.competition_ranks.tolist()
    sizes = ranking.tie_sizes.tolist()
    below = below_baseline(catalog, ranking)
    baseline_id = getattr(catalog.baseline, "id", None)
    criteria = [catalog.criterion(cid) for cid in ranking.criterion_ids]
    strong = [f"{c.name} (low)" if c.is_cost else c.name for c in criteria]
    weak = [f"{c.name} (high)" if c.is_cost else c.name for c in criteria]
    best = ranking.normalized.argmax(axis=1).tolist()
    worst = ranking.normalized.argmin(axis=1).tolist()
    rows = []
    for i in order:
        title = catalog.recommendation(ids[i]).title
        if ids[i] == baseline_id:
            title = f"{title} [{_STATUS_QUO_MARK}]"
        elif below[i]:
            title = f"{title} (below status quo)"
        p = float(ranking.p_above_next[i])
        near = " ~" if bool(ranking.near_tie_with_next[i]) else ""
        rows.append(
            [
                rank_label(ranks[i], sizes[i]),
                str(sizes[i]) if sizes[i] > 1 else "",
                # At the tie precision first: tied totals must not print as 0.72 and 0.73.
                f"{round(float(ranking.totals[i]), TIE_DECIMALS):.2f}",
                f"{int(ranking.rank_p5[i])}-{int(ranking.rank_p95[i])}",
                "" if math.isnan(p) else f"{p:.2f}{near}",
                ids[i],
                title,
                strong[best[i]],
                weak[worst[i]],
            ]
        )
    return _RANK_COLUMNS, rows


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
    add_decision_maker(recs)
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
    ranking.add_argument(
        "--score-model",
        choices=SCORE_MODELS,
        default=DEFAULT_SCORE_MODEL,
        help="how the rank intervals draw each score within its range: triangular peaking at "
        "the recorded value (default, as smaa and the app), pert, uniform, or fixed",
    )
    add_method_options(ranking)
    ranking.add_argument(
        "--ignore-overrides",
        action="store_true",
        help="rank on the bundled scores, leaving out the workspace's score overrides",
    )
    add_decision_maker(ranking)
    add_format(ranking)
    ranking.set_defaults(handler=_rank)
