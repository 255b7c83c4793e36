"""The decision memo: the two pages before the annexes, as data.

In the order a decision memo is read (``DOMAIN.md``): the header the user fills, the bottom
line (at most four lines), two or three options plus the status quo, each with one line per
point and room to approve, and one line on who set the weights and who scored. Everything
else of the brief is an annex. Every option carries its provenance: who voiced it, to whom,
explicit or implicit, and whether its scores are reviewed, edited or unreviewed suggestions;
implementation lines the data does not hold are labelled blanks, never invented.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from scoring.briefs.brief_model import (
    BLANK,
    Card,
    Memo,
    MemoHeader,
    MemoOption,
    ProfileUsed,
    RankedRow,
    Run,
    Text,
)
from scoring.briefs.citations import citation_text
from scoring.briefs.formatting import rank_interval_text, score_name, score_text
from scoring.briefs.robustness_section import RobustnessSection
from scoring.briefs.sections import biggest_tradeoff, level_word, support_limit
from scoring.briefs.spec import BriefSpec, Overrides
from scoring.intake.suggestions import SUGGESTION_MARK
from scoring.methods import Ranking
from scoring.model import Catalog, Recommendation
from scoring.scope import provenance_text
from scoring.tables import rank_label
from scoring.wording import likelihood_words, share_text

__all__ = [
    "CLASSIFICATION_BLANK",
    "DECISION_LINE",
    "IMPLEMENTATION_LINES",
    "MEMO_OPTIONS",
    "implementation_text",
    "memo_of",
    "memo_option_heading",
]

# Options the memo puts to the decision maker, besides the status quo.
MEMO_OPTIONS = 3
# What implementing an option needs; the catalog holds none of it, so each is a blank to fill.
IMPLEMENTATION_LINES = ("First step", "Owner", "Cost", "Likely PRC reaction")


def memo_of(
    catalog: Catalog,
    spec: BriefSpec,
    rows: Sequence[RankedRow],
    ranking: Ranking,
    card_of: Callable[[RankedRow], Card],
    used: Sequence[ProfileUsed],
    rankings: Sequence[Ranking],
    robustness: RobustnessSection | None,
    overrides: Overrides,
    bundled_profiles: Sequence[str],
    generated: str,
) -> Memo:
    """The memo's content; ``card_of`` details one ranked row (its scores, trade-off).

    Ranks are the ranking's competition ranks ("1=" for a tie, :attr:`Ranking.competition_ranks`).
    """
    options = [row for row in rows if not row.baseline][:MEMO_OPTIONS]
    baseline = [row for row in rows if row.baseline]
    documents = {doc.name: doc for doc in catalog.documents}
    shown = tuple(
        _option(
            catalog,
            row,
            rank_label(row.rank, row.tied),
            len(rows),
            card_of(row),
            spec.method,
            used,
            rankings,
            robustness,
            overrides,
            citation_text(documents.get(row.document_file), catalog.recommendation(row.id).span),
        )
        for row in (*options, *baseline)
    )
    header = MemoHeader(
        classification=spec.classification.strip(),
        to=spec.audience.strip(),
        sender=spec.sender.strip(),
        subject=spec.subject.strip() or spec.title.strip(),
        date=spec.date.strip() or generated,
        decide_by=spec.decide_by.strip(),
    )
    return Memo(
        header=header,
        options=shown,
        authority=_authority(used, bundled_profiles, rows, overrides, catalog),
    )


def _option(
    catalog: Catalog,
    row: RankedRow,
    rank: str,
    count: int,
    card: Card,
    method: str,
    used: Sequence[ProfileUsed],
    rankings: Sequence[Ranking],
    robustness: RobustnessSection | None,
    overrides: Overrides,
    citation: str,
) -> MemoOption:
    rec = catalog.recommendation(row.id)
    lines: list[Text] = [
        (
            Run(f"{score_name(method)}: ", True),
            Run(f"{score_text(row.score, row.low, row.high, method)} under {used[0].name}."),
        ),
        (
            Run("Rank: ", True),
            Run(
                f"{rank} of {count}; ranks {rank_interval_text(row.rank_p5, row.rank_p95)} in "
                "90% of plausible score and weight draws (5th–95th percentile)."
            ),
        ),
    ]
    give_up = biggest_tradeoff(card)
    direction = " (cost: 5 = worst)" if give_up.is_cost else ""
    lines.append(
        (
            Run("Biggest trade-off: ", True),
            Run(f"{give_up.name} at {level_word(give_up.value)}{direction}."),
        )
    )
    lines.append((Run("Robustness: ", True), Run(_robustness(row.id, robustness))))
    lines.append((Run("Perspectives: ", True), Run(_stances(row.id, used, rankings))))
    who = provenance_text(rec)
    lines.append((Run("Provenance: ", True), Run(f"{who}; scores {_review(rec, overrides)}.")))
    if citation:
        lines.append((Run("Source: ", True), Run(citation + " (Annex: Sources).")))
    return MemoOption(
        id=row.id,
        title=row.title,
        baseline=row.baseline,
        rank=rank,
        lines=tuple(lines),
        # Nothing is implemented by keeping the status quo: it has no implementation lines.
        implementation=()
        if row.baseline
        else tuple((label, BLANK) for label in IMPLEMENTATION_LINES),
        overtaken=rec.overtaken,
    )


def _robustness(rec_id: str, robustness: RobustnessSection | None) -> str:
    shares = robustness.share_of(rec_id) if robustness is not None else None
    if shares is None:
        return "not analysed for this brief."
    first, top3 = shares
    return (
        f"first in {share_text(first)} of plausible weightings and score draws "
        f"({likelihood_words(first)}); in the first three in {share_text(top3)} "
        f"({likelihood_words(top3)})."
    )


def _stances(rec_id: str, used: Sequence[ProfileUsed], rankings: Sequence[Ranking]) -> str:
    """Who supports (ranks it in their top tenth, at least top 3) and who opposes (bottom
    half); with one profile, says that no other perspective was compared."""
    if len(used) < 2:
        return f"only the {used[0].name} weighting was used; no other perspective compared."
    count = len(rankings[0])
    limit = support_limit(count)
    support, oppose = [], []
    for profile, ranking in zip(used, rankings, strict=True):
        position = ranking.positions[rec_id]
        entry = f"{profile.name} ({position} of {count})"
        if position <= limit:
            support.append(entry)
        elif position > count / 2:
            oppose.append(entry)
    return f"supports: {'; '.join(support) or 'none'}; opposes: {'; '.join(oppose) or 'none'}."


def _review(rec: Recommendation, overrides: Overrides) -> str:
    """``reviewed``, ``edited (...)`` or ``suggested, not reviewed (...)``, per criterion."""
    if rec.baseline:
        return "set by the catalog for the baseline"
    edited = [cid for cid in rec.scores if (rec.id, cid) in overrides]
    suggested = [
        cid
        for cid, score in rec.scores.items()
        if cid not in edited and score.rationale.startswith(SUGGESTION_MARK)
    ]
    parts = []
    if edited:
        parts.append(
            f"edited in the workspace on {', '.join(edited)} (by whom and when: not recorded)"
        )
    if suggested:
        parts.append(f"suggested, not yet reviewed, on {', '.join(suggested)}")
    reviewed = len(rec.scores) - len(edited) - len(suggested)
    if reviewed:
        parts.append("reviewed" if not parts else f"reviewed on the other {reviewed}")
    return "; ".join(parts)


def _authority(
    used: Sequence[ProfileUsed],
    bundled_profiles: Sequence[str],
    rows: Sequence[RankedRow],
    overrides: Overrides,
    catalog: Catalog,
) -> Text:
    primary = used[0]
    origin = "a bundled perspective" if primary.id in bundled_profiles else "saved by the user"
    adjusted = ", adjusted for this brief" if primary.adjusted else ""
    edited = len(overrides)
    suggested = sum(
        score.rationale.startswith(SUGGESTION_MARK)
        for row in rows
        for score in catalog.recommendation(row.id).scores.values()
    )
    scored = (
        "two analysts scored every bundled cell apart, then reconciled them cell by cell"
        + (f"; {edited} score{'s' if edited != 1 else ''} edited by the user" if edited else "")
        + (f"; {suggested} suggested, not yet reviewed" if suggested else "")
    )
    return (
        Run("Weights and scores: ", True),
        Run(f"weights from the {primary.name} profile ({origin}{adjusted}); {scored}."),
    )


# Words every format prints the same way.
DECISION_LINE = "Decision:  Approve ________   Disapprove ________   Discuss ________"
CLASSIFICATION_BLANK = "Classification / handling: ________"


def memo_option_heading(option: MemoOption) -> str:
    """``1= Title`` or ``Status quo (rank 7): Title``."""
    if option.baseline:
        named = option.title.lower().startswith("status quo")
        return (
            f"{option.title} (rank {option.rank})"
            if named
            else (f"Status quo (rank {option.rank}): {option.title}")
        )
    return f"{option.rank}  {option.title}"


def implementation_text(option: MemoOption) -> str:
    """The implementation lines as labelled blanks (the catalog holds none of them); ""
    for the status quo."""
    if not option.implementation:
        return ""
    fields = "   ".join(f"{label}: {value}" for label, value in option.implementation)
    return f"Implementation (to fill in; not in the data): {fields}"
