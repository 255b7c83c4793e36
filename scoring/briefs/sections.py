"""The brief's sections in words: ranked rows, cards, bottom line, perspectives, sources."""

from __future__ import annotations

import math
from collections.abc import Sequence

from scoring.briefs.brief_model import (
    LIST_LENGTH,
    PERSPECTIVE_TOP,
    Card,
    CriterionInfo,
    CriterionScore,
    PerspectiveRow,
    Perspectives,
    ProfileUsed,
    RankedRow,
    Run,
    SourceDocumentEntry,
    SourceQuote,
    Text,
)
from scoring.briefs.citations import place_text, recommendation_citation
from scoring.briefs.formatting import (
    number_text,
    range_text,
    score_name,
)
from scoring.briefs.robustness_section import RobustnessSection
from scoring.briefs.spec import BriefSpec, Overrides
from scoring.methods import (
    DEFAULT_METHOD,
    TIE_DECIMALS,
    Ranking,
    method_spec,
)
from scoring.model import SCALE_MAX, Catalog, Criterion, Recommendation
from scoring.robustness.first_tie import FirstPlaceTie
from scoring.robustness.rank_uncertainty import NEAR_TIE
from scoring.scope import (
    DECISION_MAKERS,
    context_text,
    date_text,
    provenance_text,
)
from scoring.tables import TIE_ORDER, ranking_frame
from scoring.wording import likelihood_words, share_text

__all__ = [
    "biggest_tradeoff",
    "bottom_line",
    "card",
    "card_perspectives",
    "caveats",
    "criteria_info",
    "level_word",
    "perspectives_of",
    "ranked_rows",
    "scope_caveats",
    "sources",
    "support_limit",
    "tied_first",
    "tradeoffs",
]


def ranked_rows(catalog: Catalog, ranking: Ranking) -> list[RankedRow]:
    frame = ranking_frame(catalog, ranking)
    labels = {doc.name: doc.meta.label for doc in catalog.documents}
    rows = []
    contributions = ranking.contributions
    totals = [round(float(total), TIE_DECIMALS) for total in frame["score"]]
    for index, record in enumerate(frame.to_dict("records")):
        position = int(record["position"]) - 1
        rec = catalog.recommendation(record["id"])
        rows.append(
            RankedRow(
                rank=int(record["rank"]),
                id=rec.id,
                title=rec.title,
                document=labels.get(rec.document, rec.document),
                document_file=rec.document,
                score=float(record["score"]),
                low=float(record["low"]),
                high=float(record["high"]),
                rank_p5=int(record["rank_p5"]),
                rank_p95=int(record["rank_p95"]),
                p_above_next=float(record["p_above_next"]),
                near_tie_with_next=bool(record["near_tie_with_next"]),
                tied_with_next=index + 1 < len(totals) and totals[index] == totals[index + 1],
                strongest=str(record["strongest"]),
                weakest=str(record["weakest"]),
                actor=rec.actor,
                instrument=catalog.instruments.get(rec.instrument, rec.instrument),
                kind=rec.kind,
                quote=rec.quote,
                provenance=provenance_text(rec),
                baseline=rec.baseline,
                below_baseline=bool(record["below_baseline"]),
                values=tuple(float(rec.scores[cid].value) for cid in catalog.criterion_ids),
                contributions=tuple(float(x) for x in contributions[position]),
                tied=int(record["tied"]),
            )
        )
    return rows


def _anchor(criterion: Criterion, value: float) -> str:
    return criterion.scale.get(int(value), "") if float(value).is_integer() else ""


def _criterion_scores(
    catalog: Catalog, row: RankedRow, profile: ProfileUsed
) -> list[CriterionScore]:
    rec = catalog.recommendation(row.id)
    weights = profile.weight_map
    return [
        CriterionScore(
            criterion_id=criterion.id,
            name=criterion.name,
            value=float(rec.scores[criterion.id].value),
            low=float(rec.scores[criterion.id].low),
            high=float(rec.scores[criterion.id].high),
            rationale=rec.scores[criterion.id].rationale,
            is_cost=criterion.is_cost,
            weight=weights[criterion.id],
            contribution=row.contributions[index],
            anchor=_anchor(criterion, rec.scores[criterion.id].value),
        )
        for index, criterion in enumerate(catalog.criteria)
    ]


def card(
    catalog: Catalog,
    row: RankedRow,
    primary: ProfileUsed,
    used: Sequence[ProfileUsed],
    rankings: Sequence[Ranking],
) -> Card:
    rec = catalog.recommendation(row.id)
    return Card(
        rank=row.rank,
        id=row.id,
        title=row.title,
        summary=rec.summary,
        quote=rec.quote,
        document=row.document,
        document_file=row.document_file,
        span=rec.span,
        actor=rec.actor,
        instrument=row.instrument,
        kind=rec.kind,
        provenance=row.provenance,
        overtaken=rec.overtaken,
        citation=recommendation_citation({d.name: d for d in catalog.documents}, rec),
        score=row.score,
        low=row.low,
        high=row.high,
        rank_p5=row.rank_p5,
        rank_p95=row.rank_p95,
        scores=tuple(_criterion_scores(catalog, row, primary)),
        perspectives=card_perspectives(row.id, used, rankings) if len(used) > 1 else (),
    )


def support_limit(count: int) -> int:
    """A perspective supports what it ranks in its top tenth (at least its first 3)."""
    return max(3, math.ceil(count / 10))


def card_perspectives(
    rec_id: str, used: Sequence[ProfileUsed], rankings: Sequence[Ranking]
) -> tuple[Text, ...]:
    count = len(rankings[0])
    limit = support_limit(count)
    support, neutral, objection = [], [], []
    for profile, ranking in zip(used, rankings, strict=True):
        position = ranking.positions[rec_id]
        entry = f"{profile.name} ({position} of {count})"
        if position <= limit:
            support.append(entry)
        elif position > count / 2:
            objection.append(entry)
        else:
            neutral.append(entry)
    lines: list[Text] = []
    if support:
        lines.append((Run("Supported by: ", True), Run("; ".join(support) + ".")))
    if neutral:
        lines.append((Run("Lukewarm: ", True), Run("; ".join(neutral) + ".")))
    if objection:
        lines.append(
            (Run("Likely to object: ", True), Run("; ".join(objection) + " — bottom half."))
        )
    return tuple(lines)


def level_word(value: float) -> str:
    return f"{value:g} of {SCALE_MAX}"


def biggest_tradeoff(card: Card) -> CriterionScore:
    """The criterion on which the recommendation loses the most weighted score."""
    return max(card.scores, key=lambda s: s.weight - s.contribution)


# Below this share of SMAA draws in first place, the bottom line does not say "recommend".
FIRM_FIRST = 0.5


def tied_first(rows: Sequence[RankedRow]) -> int:
    """How many recommendations share the first total exactly (to the engine's precision)."""
    count = 1
    while count < len(rows) and rows[count - 1].tied_with_next:
        count += 1
    return count


def runner_up_line(rows: Sequence[RankedRow], method: str) -> Text:
    """The option (or the tie group) after a single leader, and whether the leader's lead
    over it holds in the draws; a tie for second is named as a tie, never by one member."""
    group = tied_first(rows[1:])
    second = rows[1]
    against = "it" if group == 1 else "the first listed"
    above = rows[0].p_above_next
    if rows[0].near_tie_with_next:
        verdict = (
            f"the first ranks above {against} in only {share_text(above)} of plausible score "
            "and weight draws, so the order is not settled"
        )
    elif math.isnan(above):
        verdict = "the draws do not compare the two"
    else:
        verdict = (
            f"the first ranks above {against} in {share_text(above)} of plausible score and "
            f"weight draws ({likelihood_words(above)})"
        )
    at = number_text(second.score, method)
    if group == 1:
        return (Run("Runner-up: "), Run(second.title, True), Run(f" at {at}; {verdict}."))
    named = [Run(f"Runners-up: {group} options tie at {at}: ")]
    for index, row in enumerate(rows[1 : 1 + min(group, 3)]):
        named += [Run("; " if index else ""), Run(row.title, True)]
    more = f"; and {group - 3} more" if group > 3 else ""
    named.append(Run(f"{more} (listed {TIE_ORDER}); {verdict}."))
    return tuple(named)


def bottom_line(
    rows: Sequence[RankedRow],
    cards: Sequence[Card],
    primary: ProfileUsed,
    perspectives: Perspectives | None,
    robustness: RobustnessSection | None,
    method: str,
    tie: FirstPlaceTie | None = None,
) -> tuple[Text, ...]:
    """At most four lines: the recommendation, its biggest trade-off, the runner-up, and
    either how the perspectives split or how firm first place is.

    On a tie for first (``tie``, from :func:`scoring.robustness.first_place_tie`) no option
    is recommended: the opening says so, who is first most often and which criterion,
    weighed more, puts one ahead (checked by a re-rank).
    """
    first = cards[0]
    tied = tied_first(rows)
    score = (
        f"{number_text(first.score, method)} (range {range_text(first.low, first.high, method)})"
    )
    # The weighted sum is the standard and reads as before; another method is named, with
    # what its number is (a closeness or a net flow, not a score out of 1).
    weighting = f"the {primary.name} weighting"
    if method != DEFAULT_METHOD:
        weighting += f", ranked by {method_spec(method).display_name}"
    what = score_name(method).lower()
    if tie is not None:  # no recommendation on a tie: the engine's sentence, checked by re-rank
        opening: Text = (Run(tie.sentence()),)
    elif tied > 1:  # a tie, but no engine verdict passed: say so, and who is first most often
        often = ""
        if robustness is not None and robustness.acceptability:
            leader = max(robustness.acceptability, key=lambda row: row.first)
            often = (
                f"; {leader.title} is first most often in the robustness check "
                f"({leader.first:.0%} of draws)"
            )
        opening = (
            Run("No single option stands out: "),
            Run(
                f"these {tied} tie for first at {score} under {weighting} "
                f"(listed {TIE_ORDER}, not by merit){often}."
            ),
        )
    else:
        first_share = robustness.share_of(first.id) if robustness is not None else None
        if first_share is not None and first_share[0] < FIRM_FIRST:
            # First under one weighting but rarely first under plausible others: a director
            # must not read "recommend" where the robustness check says the top is open.
            opening = (
                Run("Leads, not firmly: "),
                Run(first.title, True),
                Run(
                    f" is first of {len(rows)} under {weighting}, {what} {score}, but first in "
                    f"only {share_text(first_share[0])} of plausible weightings and score draws "
                    f"({likelihood_words(first_share[0])}); the top of the ranking is not settled."
                ),
            )
        else:
            opening = (
                Run("Recommend "),
                Run(first.title, True),
                Run(f": first of {len(rows)} under {weighting}, {what} {score}."),
            )
    lines: list[Text] = [opening]
    if tied > 1:
        others = rows[:tied]
        named: list[Run] = [Run("Tied first: ")]
        for index, row in enumerate(others[:3]):
            named += [Run("; " if index else ""), Run(row.title, True)]
        rest = len(others) - 3
        named.append(Run(f"; and {rest} more." if rest > 0 else "."))
        lines.append(tuple(named))
    else:
        give_up = biggest_tradeoff(first)
        direction = " (5 = worst)" if give_up.is_cost else ""
        anchor = f": “{give_up.anchor.rstrip('.')}”" if give_up.anchor else ""
        lines.append(
            (
                Run("Biggest trade-off: "),
                Run(give_up.name, True),
                Run(f" at {level_word(give_up.value)}{direction}{anchor}."),
            )
        )
    if tied == 1 and len(rows) > 1:
        lines.append(runner_up_line(rows, method))
    ranks = (
        f"it ranks {first.rank_p5} to {first.rank_p95} of {len(rows)} in 90% of plausible score "
        "and weight draws"
    )
    if perspectives is not None:
        lines.append(perspectives.summary[0])
    elif robustness is not None and tied > 1:
        shares = [robustness.share_of(row.id) for row in rows[:tied]]
        best = max((pair[0] for pair in shares if pair is not None), default=0.0)
        lines.append(
            (
                Run("How firm: "),
                Run(
                    f"none of the tied options is first in more than {share_text(best)} of "
                    f"plausible weightings and score draws ({likelihood_words(best)})."
                ),
            )
        )
    elif robustness is not None:
        share = robustness.first_share
        # SMAA may rank by another method than the brief (see robustness_section): say so.
        by = "" if robustness.smaa_method == method else " when ranked by weighted sum"
        lines.append(
            (
                Run("How firm: "),
                Run(
                    f"first in {share_text(share)} of plausible weightings and score draws{by} "
                    f"({likelihood_words(share)}); {ranks}."
                ),
            )
        )
    elif len(rows) > 1:
        lines.append((Run("How firm: "), Run(f"{ranks}.")))
    return tuple(lines[:4])


def perspectives_of(
    catalog: Catalog, used: Sequence[ProfileUsed], rankings: Sequence[Ranking]
) -> Perspectives:
    count = len(rankings[0])
    ids: list[str] = []
    for ranking in rankings:
        ids += [rec_id for rec_id in ranking.ids[:PERSPECTIVE_TOP].tolist() if rec_id not in ids]
    primary_positions = rankings[0].positions
    ids.sort(key=lambda rec_id: primary_positions[rec_id])
    rows = tuple(
        PerspectiveRow(
            id=rec_id,
            title=catalog.recommendation(rec_id).title,
            ranks=tuple(ranking.positions[rec_id] for ranking in rankings),
        )
        for rec_id in ids
    )
    first_id = rankings[0].ids[0]
    first_title = catalog.recommendation(first_id).title
    ranks_of_first = [
        (ranking.positions[first_id], profile)
        for profile, ranking in zip(used, rankings, strict=True)
    ]
    worst_position, worst_profile = max(ranks_of_first, key=lambda item: item[0])
    summary: list[Text] = []
    if worst_position <= support_limit(count):
        summary.append(
            (
                Run("Perspectives agree: "),
                Run(f"all {len(used)} profiles rank it in their top {support_limit(count)}."),
            )
        )
    else:
        their_first = catalog.recommendation(rankings[used.index(worst_profile)].ids[0]).title
        summary.append(
            (
                Run("Perspectives split: "),
                Run(
                    f"the {worst_profile.name} view ranks it {worst_position} of {count} "
                    "and would rather take "
                ),
                Run(their_first, True),
                Run("."),
            )
        )
    for profile, ranking in zip(used, rankings, strict=True):
        rec_id = ranking.ids[0]
        title = catalog.recommendation(rec_id).title
        position = ranking.positions[first_id]
        summary.append(
            (
                Run(f"{profile.name}: ", True),
                Run("first choice "),
                Run(title),
                Run(
                    f"; ranks {first_title if rec_id != first_id else 'it'} {position} of {count}."
                    if rec_id != first_id
                    else "."
                ),
            )
        )
    return Perspectives(profiles=tuple(used), count=count, rows=rows, summary=tuple(summary))


def tradeoffs(rows: Sequence[RankedRow], catalog: Catalog) -> tuple[Text, ...]:
    if len(rows) < 2:
        return ()
    first, second = rows[0], rows[1]
    gains: list[str] = []
    losses: list[str] = []
    for index, criterion in enumerate(catalog.criteria):
        a, b = first.values[index], second.values[index]
        if a == b:
            continue
        better = (a < b) if criterion.is_cost else (a > b)
        entry = f"{criterion.name} ({a:g} against {b:g})"
        (gains if better else losses).append(entry)
    lines: list[Text] = [
        (
            Run("Against the runner-up, "),
            Run(first.title, True),
            Run(" gives up " + ("; ".join(losses) if losses else "nothing on any criterion") + "."),
        ),
        (Run("It gains " + ("; ".join(gains) if gains else "nothing on any criterion") + "."),),
    ]
    return tuple(lines)


def criteria_info(catalog: Catalog, used: Sequence[ProfileUsed]) -> tuple[CriterionInfo, ...]:
    return tuple(
        CriterionInfo(
            id=c.id,
            name=c.name,
            question=c.question,
            definition=c.definition,
            direction=c.direction,
            scale=tuple(sorted(c.scale.items())),
            weights=tuple(profile.weight_map[c.id] for profile in used),
        )
        for c in catalog.criteria
    )


def _quotes_in(
    rec: Recommendation, row: RankedRow, document: str
) -> list[tuple[str, tuple[int, int] | None]]:
    """The quotes of ``row`` found in ``document``: its own, and a merged source's."""
    found = [(row.quote, rec.span)] if row.document_file == document else []
    return found + [(s.quote, s.span) for s in rec.sources if s.document == document]


def sources(catalog: Catalog, rows: Sequence[RankedRow]) -> tuple[SourceDocumentEntry, ...]:
    entries = []
    for document in catalog.documents:
        meta = document.meta
        quotes = tuple(
            SourceQuote(
                id=row.id,
                rank=row.rank,
                title=row.title,
                quote=quote,
                span=span,
                place=place_text(document, span),
            )
            for row in rows
            for quote, span in _quotes_in(catalog.recommendation(row.id), row, document.name)
        )
        if not quotes:
            continue
        details = tuple(
            (name, value)
            for name, value in (
                ("Title", meta.title),
                ("Author", meta.author),
                ("Outlet", meta.outlet),
                ("Date", date_text(document)),
                ("Type", meta.doc_type),
            )
            if value and value != "unknown"
        )
        entries.append(
            SourceDocumentEntry(
                file=document.name,
                label=meta.label,
                details=details,
                stance=meta.stance,
                quotes=quotes,
            )
        )
    return tuple(entries)


def caveats(
    rows: Sequence[RankedRow],
    criteria: Sequence[Criterion],
    primary: ProfileUsed,
    overrides: Overrides,
    spec: BriefSpec,
) -> tuple[str, ...]:
    caveats = []
    listed = rows[:LIST_LENGTH]
    groups, start = [], 0
    for index, row in enumerate(listed):
        if not row.tied_with_next or index == len(listed) - 1:
            if index > start:
                score = number_text(listed[start].score, spec.method)
                groups.append(f"{index + 1 - start} tie at rank {listed[start].rank}= ({score})")
            start = index + 1
    if groups:
        caveats.append(
            "Exact ties: "
            + "; ".join(groups)
            + f". Within a tie the order is {TIE_ORDER}, not merit."
        )
    overlaps = sum(row.near_tie_with_next for row in listed[:-1])
    if overlaps:
        low, high = NEAR_TIE
        caveats.append(
            f"{overlaps} of the first {len(listed) - 1} pairs of neighbours are near-ties (the "
            f"upper one ranks above the lower in {low:.0%} to {high:.0%} of plausible score and "
            "weight draws): read those pairs as level."
        )
    names = {c.id: c.name for c in criteria}
    ignored = [names[cid] for cid, weight in primary.weights if weight == 0]
    if ignored:
        caveats.append(f"Weighted 0 and so ignored under {primary.name}: {', '.join(ignored)}.")
    if primary.adjusted:
        caveats.append(
            f"The {primary.name} weights were adjusted for this brief; the record lists them."
        )
    if overrides:
        caveats.append(
            f"{len(overrides)} score{'s' if len(overrides) != 1 else ''} differ from the "
            "catalog's (user edits); the record lists them."
        )
    if not spec.filters.is_empty:
        caveats.append("Filters apply: the ranking covers a selection, not the whole catalog.")
    return tuple(caveats)


def scope_caveats(catalog: Catalog, rows: Sequence[RankedRow]) -> tuple[str, ...]:
    """What the ranking leaves out as context, where the status quo stands, what is dated."""
    caveats = []
    context = context_text(catalog)
    if context:
        caveats.append(
            f"Only options open to {DECISION_MAKERS[catalog.scope]} are ranked; kept as "
            f"context, not ranked: {context}."
        )
    baseline = next((row for row in rows if row.baseline), None)
    if baseline is not None:
        below = sum(row.below_baseline for row in rows)
        caveats.append(
            f"The status quo ranks {baseline.rank} of {len(rows)}; {below} option"
            f"{'s' if below != 1 else ''} score below it."
        )
    overtaken = [rec.title for rec in catalog.recommendations if rec.overtaken]
    if overtaken:
        caveats.append(
            f"Overtaken by events as of {catalog.assessed_as_of} (see their cards or the "
            f"catalog): {'; '.join(overtaken)}."
        )
    return tuple(caveats)
