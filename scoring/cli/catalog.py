"""``validate``, ``recommendations``, ``profiles`` and ``rank``: the catalog and its ranking."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
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
    DEFAULT_METHOD,
    Ranking,
    method_spec,
    rank_by,
)
from scoring.model import Catalog, Recommendation
from scoring.option_sets import (
    load_interactions,
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
    import pandas as pd


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
    if args.format == "json":
        record = ranking_record(catalog, ranking, profile, args.top)
        return json.dumps(record, indent=2, ensure_ascii=False)
    if args.format == "csv":
        frame = ranking_frame(catalog, ranking)
        return csv_text(frame if args.top is None else frame.head(args.top))
    rows = _shown_rows(catalog, ranking, args.top)
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
    note = (
        f"score [interval when {moved}]; ~ marks a near-tie with the next rank; "
        f"n= is a tie at rank n (tie: its size), listed {TIE_ORDER}"
    )
    lines = [header, _scope_line(catalog), note, ""]
    first = _tie_sentence([row.tied for row in rows], [row.title for row in rows],
                          [row.score for row in rows])  # fmt: skip
    if first:
        lines += [first, ""]
    table = [
        [
            rank_label(row.rank, row.tied),
            str(row.tied) if row.tied > 1 else "",
            f"{row.score:.2f} [{row.low:.2f}-{row.high:.2f}]{' ~' if row.near_tie else ''}",
            row.id,
            f"{row.title} [{_STATUS_QUO_MARK}]"
            if row.id == baseline
            else f"{row.title} (below status quo)"
            if row.below
            else row.title,
            row.strongest,
            row.weakest,
        ]
        for row in rows
        for baseline in [getattr(catalog.baseline, "id", None)]
    ]
    return "\n".join([*lines, plain_table(_RANK_COLUMNS, table)])


_RANK_COLUMNS = ("rank", "tie", "score", "id", "title", "strongest", "weakest")


@dataclass(frozen=True)
class _ShownRow:
    """One row of ``recscore rank``'s table: what :func:`ranking_frame` gives the same row."""

    rank: int
    tied: int
    score: float
    low: float
    high: float
    near_tie: bool
    id: str
    title: str
    below: bool
    strongest: str
    weakest: str


def _shown_rows(catalog: Catalog, ranking: Ranking, top: int | None) -> list[_ShownRow]:
    """The first ``top`` rows of :func:`ranking_frame` (same order, same values) built
    without pandas, whose import is most of the command's time; tested to match it."""
    order = display_order(catalog, ranking)[:top]
    criteria = [catalog.criterion(cid) for cid in ranking.criterion_ids]
    # As ranking_frame: for a cost criterion the strength is a low value.
    strong = [f"{c.name} (low)" if c.is_cost else c.name for c in criteria]
    weak = [f"{c.name} (high)" if c.is_cost else c.name for c in criteria]
    below = below_baseline(catalog, ranking)
    ids = ranking.ids.tolist()
    best, worst = ranking.normalized.argmax(axis=1), ranking.normalized.argmin(axis=1)
    near = ranking.near_tie_with_next
    return [
        _ShownRow(
            rank=int(ranking.competition_ranks[i]),
            tied=int(ranking.tie_sizes[i]),
            score=float(ranking.totals[i]),
            low=float(ranking.low[i]),
            high=float(ranking.high[i]),
            near_tie=bool(near[i]),
            id=ids[i],
            title=catalog.recommendation(ids[i]).title,
            below=below[i],
            strongest=strong[best[i]],
            weakest=weak[worst[i]],
        )
        for i in order
    ]


def tie_at_top(frame: pd.DataFrame) -> str:
    """Where several options tie for first, the sentence saying no single one stands out."""
    return _tie_sentence(frame["tied"].tolist(), frame["title"].tolist(), frame["score"].tolist())


def _tie_sentence(tied: Sequence[int], titles: Sequence[str], scores: Sequence[float]) -> str:
    """:func:`tie_at_top` on the rows' columns: their tie sizes, titles and scores."""
    first = int(tied[0]) if len(tied) else 0
    if first < 2:
        return ""
    return (
        f"No single option stands out: these {first} tie for first at "
        f"{float(scores[0]):.3f}: {'; '.join(titles[:first])}."
    )


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
    add_method_options(ranking)
    ranking.add_argument(
        "--ignore-overrides",
        action="store_true",
        help="rank on the bundled scores, leaving out the workspace's score overrides",
    )
    add_decision_maker(ranking)
    add_format(ranking)
    ranking.set_defaults(handler=_rank)
