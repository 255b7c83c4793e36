"""What a brief says, as data: rich text runs, the ranked rows, cards and the :class:`Brief`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from scoring.briefs.charts import Chart
from scoring.briefs.formatting import (
    level_text,
    rank_interval_text,
    score_name,
    score_text,
    weight_text,
)
from scoring.briefs.option_set_section import OptionSetSection
from scoring.briefs.reproducibility import Record
from scoring.briefs.robustness_section import RobustnessSection
from scoring.briefs.spec import BriefSpec
from scoring.tables import rank_label

__all__ = [
    "ANNEX_TITLES",
    "BLANK",
    "LIST_LENGTH",
    "MATRIX_INTRO",
    "PERSPECTIVE_TOP",
    "SMAA_INTRO",
    "SOURCES_INTRO",
    "WEIGHTS_INTRO",
    "Brief",
    "Card",
    "CriterionInfo",
    "CriterionScore",
    "Memo",
    "MemoHeader",
    "MemoOption",
    "PerspectiveRow",
    "Perspectives",
    "ProfileUsed",
    "RankedRow",
    "Run",
    "SourceDocumentEntry",
    "SourceQuote",
    "Text",
    "plain",
]

# The ranked list in the body of the brief; longer rankings go to an annex in full.
LIST_LENGTH = 10

# Rows of the perspectives table: the union of each profile's first few.
PERSPECTIVE_TOP = 5

ANNEX_TITLES = {
    "ranked": "Options ranked",
    "cards": "Options in detail",
    "tradeoffs": "Trade-offs",
    "perspectives": "Perspectives",
    "option_sets": "Option sets",
    "robustness": "Robustness",
    "method": "Method and weights",
    "criteria": "Criteria and their scales",
    "ranking": "Full ranking",
    "sources": "Sources",
    "record": "Reproducibility record",
}

MATRIX_INTRO = (
    f"Performance matrix: the 1–5 scores of the first {LIST_LENGTH} recommendations, in columns "
    "by rank as in the ranked list (for cost criteria 5 is worst)."
)

WEIGHTS_INTRO = (
    "Weights are swing weights (how much moving from the worst to the best level of a "
    "criterion matters), shown as shares of the total. Each profile models one perspective:"
)

SMAA_INTRO = "How often each is first when weights and scores vary (SMAA):"

SOURCES_INTRO = (
    "The document and verbatim passage behind every option this brief names, with where it "
    "lies (paragraphs are counted in the document's text as collected)."
)

# A field of the memo the user or the data leaves empty, printed as a line to fill in.
BLANK = "________"


@dataclass(frozen=True)
class Run:
    """A piece of a sentence; ``strong`` pieces are emphasised. Renderers escape ``text``."""

    text: str
    strong: bool = False


Text = tuple[Run, ...]


def plain(text: Text) -> str:
    """The sentence without emphasis."""
    return "".join(run.text for run in text)


@dataclass(frozen=True)
class ProfileUsed:
    """A perspective the brief ranks under: whose view it models and its weights (sum 1)."""

    id: str
    name: str
    description: str
    weights: tuple[tuple[str, float], ...]
    raw_weights: tuple[tuple[str, float], ...]
    adjusted: bool  # True when the user overrode some of the profile's weights

    @property
    def weight_map(self) -> dict[str, float]:
        return dict(self.weights)


@dataclass(frozen=True)
class RankedRow:
    """One line of the ranked list."""

    rank: int
    id: str
    title: str
    document: str  # the document's display label
    document_file: str
    score: float
    low: float
    high: float
    rank_p5: int  # 5th and 95th percentile of its rank over the uncertainty draws
    rank_p95: int
    p_above_next: float  # share of draws ranking it above the next row (NaN: last)
    near_tie_with_next: bool  # that share within scoring.robustness.NEAR_TIE
    tied_with_next: bool  # totals equal the next row's exactly
    strongest: str
    weakest: str
    actor: str
    instrument: str
    kind: str
    quote: str
    provenance: str  # who is asked to act and who speaks (scoring.scope.provenance_text)
    baseline: bool  # the status quo
    below_baseline: bool  # scores below the status quo
    values: tuple[float, ...]  # 1-5 score per criterion, in criteria order
    # Per criterion: the weighted normalised score (weighted sum: these add up to the score;
    # TOPSIS: they do not) or, for PROMETHEE II, the weight times the criterion's net flow.
    contributions: tuple[float, ...]
    tied: int = 1  # size of its tie group (standard competition rank: "1=" when > 1)


@dataclass(frozen=True)
class CriterionScore:
    """One criterion's judgement of one recommendation, with its weight and contribution."""

    criterion_id: str
    name: str
    value: float
    low: float
    high: float
    rationale: str
    is_cost: bool
    weight: float
    contribution: float
    anchor: str  # the scale's words for the value, when it is a whole level


@dataclass(frozen=True)
class Card:
    """A recommendation detailed for decision: summary, verbatim quote, every score."""

    rank: int
    id: str
    title: str
    summary: str
    quote: str
    document: str
    document_file: str
    span: tuple[int, int] | None
    actor: str
    instrument: str
    kind: str
    provenance: str
    overtaken: str  # events since the document that make it moot or changed, or ""
    citation: str  # title, author, date and paragraph: where a reader finds the quote
    score: float
    low: float
    high: float
    rank_p5: int
    rank_p95: int
    scores: tuple[CriterionScore, ...]
    perspectives: tuple[Text, ...]  # who supports it and who would object, when several profiles

    def scores_table(self) -> tuple[list[str], list[list[str]]]:
        """One row per criterion: name, score (range), weight and why; header and rows of text."""
        header = ["Criterion", "Score (range)", "Weight", "Why"]
        rows = [
            [
                s.name + (" (cost)" if s.is_cost else ""),
                level_text(s.value, s.low, s.high),
                weight_text(s.weight),
                s.rationale,
            ]
            for s in self.scores
        ]
        return header, rows


@dataclass(frozen=True)
class PerspectiveRow:
    id: str
    title: str
    ranks: tuple[int, ...]  # rank under each profile, in the order of Perspectives.profiles


@dataclass(frozen=True)
class Perspectives:
    """How the ranking differs between the chosen profiles."""

    profiles: tuple[ProfileUsed, ...]
    count: int  # recommendations ranked under each
    rows: tuple[PerspectiveRow, ...]
    summary: tuple[Text, ...]

    @property
    def intro(self) -> str:
        """The sentence before :meth:`table`."""
        return (
            f"Each perspective's first {PERSPECTIVE_TOP}, ranked under every perspective "
            f"(of {self.count}):"
        )

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Recommendations down, each profile's rank across: header and rows of text."""
        header = ["Recommendation", *(p.name for p in self.profiles)]
        return header, [[row.title, *(str(r) for r in row.ranks)] for row in self.rows]


@dataclass(frozen=True)
class CriterionInfo:
    id: str
    name: str
    question: str
    definition: str
    direction: str
    scale: tuple[tuple[int, str], ...]
    weights: tuple[float, ...]  # normalised weight under each profile used


@dataclass(frozen=True)
class SourceQuote:
    id: str
    rank: int
    title: str
    quote: str
    span: tuple[int, int] | None
    place: str  # where it lies for a reader: "para. 12 of 34" (with the page when known)


@dataclass(frozen=True)
class SourceDocumentEntry:
    file: str
    label: str
    details: tuple[tuple[str, str], ...]  # (field, value) for title, author, outlet, date, type
    stance: str
    quotes: tuple[SourceQuote, ...]


@dataclass(frozen=True)
class MemoHeader:
    """The memo's header as the user filled it; "" where left empty."""

    classification: str
    to: str
    sender: str
    subject: str
    date: str
    decide_by: str

    def lines(self) -> tuple[tuple[str, str], ...]:
        """(label, value) in memo order; empty fields print as blanks to fill."""
        return (
            ("To", self.to or BLANK),
            ("From", self.sender or BLANK),
            ("Subject", self.subject),
            ("Date", self.date),
            ("Decision needed by", self.decide_by or BLANK),
        )


@dataclass(frozen=True)
class MemoOption:
    """One option put to the decision maker, one line per point."""

    id: str
    title: str
    baseline: bool
    rank: str  # competition rank: "1=" when tied
    lines: tuple[Text, ...]  # score, rank, trade-off, robustness, perspectives, provenance...
    implementation: tuple[tuple[str, str], ...]  # (label, value or a blank)
    overtaken: str


@dataclass(frozen=True)
class Memo:
    header: MemoHeader
    options: tuple[MemoOption, ...]
    authority: Text  # who set the weights and who scored


@dataclass(frozen=True)
class Brief:
    """A ranked brief's whole content; every renderer lays out this and nothing else."""

    spec: BriefSpec
    title: str
    question: str
    audience: str
    decide_by: str
    generated: datetime
    method: str
    method_text: tuple[str, ...]
    settings_text: str  # the method's settings in words when they are not its defaults, or ""
    profile: ProfileUsed
    filters_text: str
    count: int  # recommendations ranked
    bottom_line: tuple[Text, ...]
    ranking: tuple[RankedRow, ...]
    list_length: int
    cards: tuple[Card, ...]
    tradeoffs: tuple[Text, ...]
    charts: tuple[Chart, ...]
    perspectives: Perspectives | None
    option_sets: OptionSetSection | None
    robustness: RobustnessSection | None
    criteria: tuple[CriterionInfo, ...]
    profiles: tuple[ProfileUsed, ...]
    sources: tuple[SourceDocumentEntry, ...]
    caveats: tuple[str, ...]
    record: Record
    memo: Memo

    @property
    def listed(self) -> tuple[RankedRow, ...]:
        """The rows shown in the body of the brief."""
        return self.ranking[: self.list_length]

    @property
    def criterion_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.criteria)

    @property
    def ranked_heading(self) -> str:
        """``Options ranked``, with ``(first 10 of 90)`` when the body lists part of it."""
        shown = len(self.listed)
        more = f" (first {shown} of {self.count})" if shown < self.count else ""
        return f"Options ranked{more}"

    @property
    def scales_pointer(self) -> str:
        """Where the criteria's definitions and scales are: ``... each scale: Annex A.``"""
        annex = self.annex("criteria").split(":")[0]
        return f"Definitions, and the words for every level of each scale: {annex}."

    def body_sections(self) -> tuple[str, ...]:
        """Keys of the memo's sections in reading order: the two pages before the annexes.

        Every renderer lays the brief out in this order, then :meth:`annexes`. Keys:
        ``header``, ``bottom_line``, ``options`` (two or three options and the status quo,
        each with room to approve) and ``authority`` (who set the weights and who scored).
        """
        return ("header", "bottom_line", "options", "authority")

    def annexes(self) -> tuple[tuple[str, str], ...]:
        """(key, heading) of each annex, lettered in reading order.

        Keys: ``ranked`` (the ranked table and its caveats), ``cards`` (every detailed
        option), ``tradeoffs``, ``perspectives``, ``option_sets`` and ``robustness`` (when
        present), ``method``, ``criteria`` (definitions and scales), ``ranking`` (only when
        the ranked table lists part of the ranking), ``sources`` and ``record``.
        """
        optional = ("perspectives", "option_sets", "robustness")
        keys = [
            "ranked",
            "cards",
            "tradeoffs",
            *(key for key in optional if getattr(self, key) is not None),
            "method",
            "criteria",
            "ranking",
            "sources",
            "record",
        ]
        if len(self.ranking) <= self.list_length:
            keys.remove("ranking")
        return tuple(
            (key, f"Annex {chr(ord('A') + index)}: {ANNEX_TITLES[key]}")
            for index, key in enumerate(keys)
        )

    def annex(self, key: str) -> str:
        """The heading of one annex, e.g. ``Annex A: Criteria and their scales``."""
        return dict(self.annexes())[key]

    def ranked_table(self) -> tuple[list[str], list[list[str]]]:
        """The listed rows with their strongest and weakest criterion: header and rows of text."""
        header, rows = _ranking_table(self.listed, self.method)
        for cells, row in zip(rows, self.listed, strict=True):
            cells += [row.strongest, row.weakest]
        return [*header, "Strongest", "Weakest"], rows

    def weights_table(self) -> tuple[list[str], list[list[str]]]:
        """Criteria down: direction, weight under each profile, question; header and rows."""
        header = ["Criterion", "Direction", *(p.name for p in self.profiles), "Question"]
        rows = [
            [
                c.name,
                "cost (lower is better)" if c.direction == "cost" else "benefit",
                *(weight_text(w) for w in c.weights),
                c.question,
            ]
            for c in self.criteria
        ]
        return header, rows

    def full_ranking_table(self) -> tuple[list[str], list[list[str]]]:
        """Every ranked row (the annex): header and rows of text."""
        return _ranking_table(self.ranking, self.method)

    def performance_matrix(self) -> tuple[list[str], list[list[str]]]:
        """Criteria down, the first :data:`LIST_LENGTH` recommendations across (by rank),
        however many are listed, so the table fits a page's width: header and rows of text."""
        shown = self.ranking[:LIST_LENGTH]
        header = ["Criterion", *(f"#{row.rank}" for row in shown)]
        rows = [
            [
                criterion.name + (" (cost)" if criterion.direction == "cost" else ""),
                *(f"{row.values[index]:g}" for row in shown),
            ]
            for index, criterion in enumerate(self.criteria)
        ]
        return header, rows


def _ranking_table(rows: Sequence[RankedRow], method: str) -> tuple[list[str], list[list[str]]]:
    header = ["Rank", "Recommendation", "Source", f"{score_name(method)} (range)", "Ranks 5–95%"]
    cells = [
        [
            rank_label(row.rank, row.tied) + (f" ({row.tied} tie)" if row.tied > 1 else ""),
            _marked_title(row),
            row.document or "none (baseline)",
            score_text(row.score, row.low, row.high, method),
            rank_interval_text(row.rank_p5, row.rank_p95),
        ]
        for row in rows
    ]
    return header, cells


def _marked_title(row: RankedRow) -> str:
    """The title, marked as the status quo or as scoring below it."""
    if row.baseline:
        return f"STATUS QUO: {row.title}"
    return f"{row.title} (below status quo)" if row.below_baseline else row.title
