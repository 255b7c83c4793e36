"""The brief as Markdown (CommonMark with GitHub tables); every document string escaped."""

from __future__ import annotations

from scoring.briefs.content import (
    MATRIX_INTRO,
    SMAA_INTRO,
    SOURCES_INTRO,
    WEIGHTS_INTRO,
    Brief,
    Card,
    Text,
)
from scoring.briefs.escape import md_code_fence, md_line_start, md_text
from scoring.briefs.formatting import (
    level_text,
    rank_interval_text,
    score_name,
    score_text,
)
from scoring.briefs.memo import (
    CLASSIFICATION_BLANK,
    DECISION_LINE,
    implementation_text,
    memo_option_heading,
)

__all__ = ["render_markdown"]


def _rich(text: Text) -> str:
    """A sentence of runs; emphasis marks go inside the surrounding spaces, as CommonMark needs."""
    parts = []
    for run in text:
        escaped = md_text(run.text)
        if run.strong and escaped.strip():
            body = escaped.strip()
            lead = " " if escaped[:1] == " " else ""
            tail = " " if escaped[-1:] == " " else ""
            escaped = f"{lead}**{body}**{tail}"
        parts.append(escaped)
    return md_line_start("".join(parts))


def _strong(text: str) -> str:
    return f"**{md_text(text).strip()}**"


def _table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    """A GitHub table; cells must already be escaped. ``align`` has one l/r letter per column."""
    align = align or "l" * len(header)
    rule = ["---:" if a == "r" else "---" for a in align]
    return [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join(rule) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def render_markdown(brief: Brief) -> bytes:
    """The whole brief as UTF-8 Markdown."""
    sections = {
        "header": _header,
        "bottom_line": _bottom_line,
        "options": _options,
        "authority": _authority,
    }
    annexes = {
        "ranked": _ranked,
        "cards": _cards,
        "tradeoffs": _tradeoffs,
        "perspectives": _perspectives,
        "option_sets": _option_sets,
        "robustness": _robustness,
        "method": _method,
        "criteria": _criteria,
        "ranking": _full_ranking,
        "sources": _sources,
        "record": _record,
    }
    lines: list[str] = []
    for key in brief.body_sections():
        lines += sections[key](brief)
    for key, heading in brief.annexes():
        lines += [f"## {heading}", "", *annexes[key](brief)]
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")


def _bottom_line(brief: Brief) -> list[str]:
    return ["## Bottom line", "", *(f"- {_rich(line)}" for line in brief.bottom_line)]


def _cards(brief: Brief) -> list[str]:
    lines = []
    for card in brief.cards:
        lines += _card(brief, card)
    return lines


def _header(brief: Brief) -> list[str]:
    header = brief.memo.header
    # The title comes first, as Markdown readers and previews expect; the handling line next.
    lines = [f"# {md_text(brief.title)}", ""]
    lines += [_strong(header.classification or CLASSIFICATION_BLANK), ""]
    lines += [f"**{name}:** {md_text(value)}  " for name, value in header.lines()]
    lines.append(f"**Decision asked:** {md_text(brief.question)}")
    return [*lines, ""]


def _options(brief: Brief) -> list[str]:
    lines = ["", "## Options for decision", ""]
    for option in brief.memo.options:
        lines += [f"### {md_text(memo_option_heading(option))}", ""]
        lines += [f"- {_rich(line)}" for line in option.lines]
        if option.overtaken:
            lines.append(f"- **Overtaken by events:** {md_text(option.overtaken)}")
        if option.implementation:
            lines.append(f"- {md_text(implementation_text(option))}")
        lines += ["", f"**{md_text(DECISION_LINE)}**", ""]
    return lines


def _authority(brief: Brief) -> list[str]:
    return [_rich(brief.memo.authority), ""]


def _card(brief: Brief, card: Card) -> list[str]:
    lines = [
        f"### {card.rank}. {md_text(card.title)}",
        "",
        md_line_start(md_text(card.summary)),
        "",
    ]
    lines.append(f"> “{md_text(card.quote)}”")
    lines.append(">")
    lines.append(f"> — {md_text(card.citation or card.document)}")
    lines.append("")
    lines.append(
        f"**{score_name(brief.method)}** "
        f"{score_text(card.score, card.low, card.high, brief.method)}; "
        f"**rank interval** {rank_interval_text(card.rank_p5, card.rank_p95)} of {brief.count}. "
        f"**Instrument:** {md_text(card.instrument)}. **Who:** {md_text(card.provenance)}."
    )
    if card.overtaken:
        lines += ["", f"**Overtaken by events:** {md_text(card.overtaken)}"]
    lines.append("")
    for line in card.perspectives:
        lines.append(f"- {_rich(line)}")
    if card.perspectives:
        lines.append("")
    lines += _table(*_cells(card.scores_table()), "llrl")
    lines += [
        "",
        "Decision: Approve \\_\\_\\_\\_  Disapprove \\_\\_\\_\\_  Discuss \\_\\_\\_\\_",
        "",
    ]
    return lines


def _ranked(brief: Brief) -> list[str]:
    table = _table(*_cells(brief.ranked_table()), "rllllll")
    lines = [*table, ""]
    lines += [f"- {md_text(caveat)}" for caveat in brief.caveats]
    return [*lines, ""] if brief.caveats else lines


def _tradeoffs(brief: Brief) -> list[str]:
    lines = []
    lines += [f"{_rich(line)}  " for line in brief.tradeoffs]
    if brief.tradeoffs:
        lines.append("")
    header, rows = _cells(brief.performance_matrix())
    lines += [md_text(MATRIX_INTRO), ""]
    lines += _table(header, rows, "l" + "r" * (len(header) - 1))
    chart = brief.charts[0]
    lines += [
        "",
        f"*Chart ({md_text(chart.title)}), in the HTML, Word and PDF versions:* "
        f"{md_text(chart.description)}",
        "",
    ]
    return lines


def _perspectives(brief: Brief) -> list[str]:
    view = brief.perspectives
    assert view is not None
    lines = []
    lines += [f"- {_rich(line)}" for line in view.summary]
    lines.append("")
    lines += [view.intro, ""]
    lines += _table(*_cells(view.table()), "l" + "r" * len(view.profiles))
    return [*lines, ""]


def _cells(table: tuple[list[str], list[list[str]]]) -> tuple[list[str], list[list[str]]]:
    header, rows = table
    return [md_text(h) for h in header], [[md_text(c) for c in row] for row in rows]


def _option_sets(brief: Brief) -> list[str]:
    section = brief.option_sets
    assert section is not None
    lines = []
    lines += [f"- {md_line_start(md_text(line))}" for line in section.summary]
    header, rows = _cells(section.table())
    lines += ["", *_table(header, rows, "llrrrrr"), ""]
    if section.interactions:
        lines += [f"- {md_line_start(md_text(line))}" for line in section.interactions]
        lines.append("")
    lines += [f"*{md_text(section.settings).strip()}*", ""]
    return lines


def _robustness(brief: Brief) -> list[str]:
    section = brief.robustness
    assert section is not None
    lines = []
    lines += [f"- {md_line_start(md_text(line))}" for line in section.summary]
    lines += [
        "",
        "Where first place holds as each weight moves alone "
        f"(first: {md_text(brief.ranking[0].title)}):",
        "",
    ]
    header, rows = _cells(section.intervals_table())
    lines += [*_table(header, rows, "lrlll"), ""]
    lines += [SMAA_INTRO, ""]
    header, rows = _cells(section.acceptability_table())
    lines += [*_table(header, rows, "lrrrr"), ""]
    lines += [f"- {md_line_start(md_text(note))}" for note in section.notes]
    if section.notes:
        lines.append("")
    lines += [f"*{md_text(section.settings).strip()}*", ""]
    return lines


def _method(brief: Brief) -> list[str]:
    lines = []
    lines += [md_line_start(md_text(text)) + "  " for text in brief.method_text]
    lines += ["", md_text(WEIGHTS_INTRO), ""]
    for profile in brief.profiles:
        note = " (adjusted for this brief)" if profile.adjusted else ""
        lines.append(f"- {_strong(profile.name)}{note}: {md_text(profile.description)}")
    lines.append("")
    lines += _table(*_cells(brief.weights_table()), "ll" + "r" * len(brief.profiles) + "l")
    lines += ["", brief.scales_pointer, ""]
    return lines


def _criteria(brief: Brief) -> list[str]:
    lines = []
    for c in brief.criteria:
        lines += [f"### {md_text(c.name)}", ""]
        lines.append(md_line_start(md_text(c.definition)))
        lines.append("")
        lines += [f"{level}. {md_text(text)}" for level, text in c.scale]
        lines.append("")
    return lines


def _full_ranking(brief: Brief) -> list[str]:
    return [*_table(*_cells(brief.full_ranking_table()), "rllll"), ""]


def _sources(brief: Brief) -> list[str]:
    lines = [SOURCES_INTRO, ""]
    for entry in brief.sources:
        lines += [f"### {md_text(entry.label)}", ""]
        details = [f"{name}: {md_text(value)}" for name, value in entry.details]
        lines.append("; ".join([*details, f"file: {md_text(entry.file)}"]) + ".  ")
        lines.append(f"Stance: {md_text(entry.stance)}")
        lines.append("")
        for quote in entry.quotes:
            place = f"{md_text(quote.place)}; " if quote.place else ""
            lines.append(
                f"- {place}rank {quote.rank}, {_strong(quote.title)} ({md_text(quote.id)}):"
            )
            lines.append(f"  “{md_text(quote.quote)}”")
        lines.append("")
    return lines


def _record(brief: Brief) -> list[str]:
    record = brief.record
    lines = [f"recscore {md_text(record.tool_version)}, generated {md_text(record.generated)}."]
    lines.append("")
    rows = [[name, f"`{value}`"] for name, value in record.hashes]
    lines += _table(["SHA-256 of", "Hash"], rows)
    lines.append("")
    if record.overrides:
        lines += ["Score edits applied on top of the catalog:", ""]
        lines += [
            f"- {md_text(rec_id)} / {md_text(criterion)}: {level_text(value, low, high)}"
            for rec_id, criterion, value, low, high in record.overrides
        ]
        lines.append("")
    lines.append(
        "Save the scenario below as `scenario.yaml`; with the same catalog, "
        "`recscore brief --scenario scenario.yaml --format md -o brief.md` rebuilds this "
        "brief's ranking and hashes."
    )
    lines.append("")
    fence = md_code_fence(record.scenario_yaml)
    lines += [f"{fence}yaml", record.scenario_yaml.rstrip("\n"), fence]
    return lines
