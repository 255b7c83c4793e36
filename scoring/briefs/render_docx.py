"""The brief as an editable Word document: real headings, tables, lists and the charts.

python-docx writes text through XML APIs, so document text can never become markup; only
control characters XML cannot hold are dropped. No fields or hyperlinks are created.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from scoring.briefs.charts import render_png
from scoring.briefs.content import (
    MATRIX_INTRO,
    SMAA_INTRO,
    SOURCES_INTRO,
    WEIGHTS_INTRO,
    Brief,
    Card,
    Chart,
    Text,
)
from scoring.briefs.escape import xml_safe
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

__all__ = ["render_docx"]

BODY_PT = 10
MEMO_PT = 9
TABLE_PT = 8.5
CONTENT_WIDTH_IN = 6.5


def render_docx(brief: Brief) -> bytes:
    """The whole brief as .docx bytes."""
    from docx import Document
    from docx.shared import Inches, Pt

    document = Document()
    section = document.sections[0]
    if brief.spec.paper == "a4":  # 210 x 297 mm, margins keeping the letter text width
        section.page_width, section.page_height = Inches(8.27), Inches(11.69)
        margin = (8.27 - CONTENT_WIDTH_IN) / 2
    else:
        section.page_width, section.page_height = Inches(8.5), Inches(11)
        margin = 1.0
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Inches(margin))
    section.top_margin = section.bottom_margin = Inches(0.8)
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(BODY_PT)
    _core_properties(document.core_properties, brief)

    writer = _Writer(document)
    for key in brief.body_sections():  # each section key names a method of _Writer
        getattr(writer, key)(brief)
    annexes = {
        "ranked": writer.ranked,
        "cards": writer.cards,
        "tradeoffs": writer.tradeoffs,
        "perspectives": writer.perspectives,
        "option_sets": writer.option_sets,
        "robustness": writer.robustness,
        "method": writer.method,
        "criteria": writer.criteria,
        "ranking": writer.full_ranking,
        "sources": writer.sources,
        "record": writer.record,
    }
    for index, (key, heading) in enumerate(brief.annexes()):
        if index == 0:  # the annexes start on a page of their own, after the memo's two
            document.add_page_break()
        writer.heading(heading, 1)
        annexes[key](brief)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _core_properties(properties: Any, brief: Brief) -> None:
    """Title, subject and author from the memo's header; created and modified now (the
    template's own dates are from 2013)."""
    header = brief.memo.header
    generated = brief.generated.replace(tzinfo=None)  # python-docx writes it as UTC
    properties.title = xml_safe(header.subject or brief.title)
    properties.subject = xml_safe(brief.question)
    properties.author = xml_safe(header.sender) or "recscore"
    properties.last_modified_by = properties.author
    properties.comments = xml_safe(f"recscore {brief.record.tool_version}")
    properties.created = properties.modified = generated
    properties.revision = 1
    properties.keywords = xml_safe(header.classification)


class _Writer:
    """Appends the brief's parts to a python-docx Document."""

    def __init__(self, document: Any) -> None:
        self.document = document

    # --- primitives ---------------------------------------------------------------------

    def heading(self, text: str, level: int) -> None:
        self.document.add_heading(xml_safe(text), level)

    def paragraph(
        self, text: str = "", style: str | None = None, bold_prefix: str = "", lead: bool = False
    ) -> Any:
        """A paragraph; a ``lead`` one introduces the table after it and stays with it."""
        paragraph = self.document.add_paragraph(style=style)
        paragraph.paragraph_format.keep_with_next = lead or None
        if bold_prefix:
            paragraph.add_run(xml_safe(bold_prefix)).bold = True
        if text:
            paragraph.add_run(xml_safe(text)).bold = False if bold_prefix else None
        return paragraph

    def rich(self, text: Text, style: str | None = None) -> Any:
        paragraph = self.document.add_paragraph(style=style)
        for run in text:
            paragraph.add_run(xml_safe(run.text)).bold = run.strong
        return paragraph

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[str]],
        widths: Sequence[float],
        numeric: Iterable[int] = (),
    ) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Inches, Pt

        rows = [list(row) for row in rows]
        numeric = set(numeric)
        table = self.document.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        # Word reads the cell widths, LibreOffice the grid's column widths: set both.
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Inches(width)
        for row_index, values in enumerate([list(header), *rows]):
            cells = table.rows[row_index].cells
            for column, value in enumerate(values):
                cell = cells[column]
                cell.width = Inches(widths[column])
                paragraph = cell.paragraphs[0]
                run = paragraph.add_run(xml_safe(str(value)))
                run.font.size = Pt(TABLE_PT)
                run.bold = row_index == 0
                if column in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header_row = table.rows[0]._tr
        _repeat_header(header_row)
        self.document.add_paragraph()

    def figure(self, chart: Chart) -> None:
        from docx.shared import Inches

        self.document.add_picture(io.BytesIO(render_png(chart)), width=Inches(CONTENT_WIDTH_IN))
        self.paragraph(chart.description, style="Caption", bold_prefix=chart.title + ". ")

    # --- sections -----------------------------------------------------------------------

    def bottom_line(self, brief: Brief) -> None:
        self.heading("Bottom line", 1)
        for line in brief.bottom_line:
            self.rich(line, style="List Bullet")

    def cards(self, brief: Brief) -> None:
        for card in brief.cards:
            self.card(brief, card)

    def compact(self, paragraph: Any, size: float = MEMO_PT, indent: float = 0.0) -> Any:
        """A memo line: small, no space after, optionally indented."""
        from docx.shared import Inches, Pt

        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.space_before = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        if indent:
            paragraph.paragraph_format.left_indent = Inches(indent)
        for run in paragraph.runs:
            run.font.size = Pt(size)
        return paragraph

    def header(self, brief: Brief) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        header = brief.memo.header
        handling = self.paragraph(bold_prefix=header.classification or CLASSIFICATION_BLANK)
        handling.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.compact(handling, BODY_PT)
        self.document.add_heading(xml_safe(brief.title), 0)
        for name, value in header.lines():
            self.compact(self.paragraph(value, bold_prefix=f"{name}: "), BODY_PT)
        self.compact(self.paragraph(brief.question, bold_prefix="Decision asked: "), BODY_PT)

    def options(self, brief: Brief) -> None:
        from docx.shared import Pt

        self.heading("Options for decision", 1)
        for option in brief.memo.options:
            title = self.document.add_heading(xml_safe(memo_option_heading(option)), 3)
            title.paragraph_format.space_before = Pt(5)
            title.paragraph_format.space_after = Pt(0)
            title.paragraph_format.keep_with_next = True
            lines = [self.compact(self.rich(line), indent=0.12) for line in option.lines]
            if option.overtaken:
                note = self.paragraph(option.overtaken, bold_prefix="Overtaken by events: ")
                lines.append(self.compact(note, indent=0.12))
            if option.implementation:
                lines.append(self.compact(self.paragraph(implementation_text(option)), indent=0.12))
            decision = self.paragraph(bold_prefix=DECISION_LINE)
            lines.append(self.compact(decision, indent=0.12))
            for line in lines[:-1]:
                line.paragraph_format.keep_with_next = True

    def authority(self, brief: Brief) -> None:
        from docx.shared import Pt

        paragraph = self.compact(self.rich(brief.memo.authority))
        paragraph.paragraph_format.space_before = Pt(6)

    def card(self, brief: Brief, card: Card) -> None:
        self.heading(f"{card.rank}. {card.title}", 2)
        self.paragraph(card.summary)
        quote = self.paragraph(f"“{card.quote}”", style="Quote")
        quote.add_run(xml_safe(f"\n— {card.citation or card.document}")).italic = False
        paragraph = self.paragraph(bold_prefix=f"{score_name(brief.method)} ")
        paragraph.add_run(
            f"{score_text(card.score, card.low, card.high, brief.method)}; rank interval "
            f"{rank_interval_text(card.rank_p5, card.rank_p95)} of {brief.count}. "
        )
        paragraph.add_run("Instrument: ").bold = True
        paragraph.add_run(xml_safe(f"{card.instrument}. "))
        paragraph.add_run("Who: ").bold = True
        paragraph.add_run(xml_safe(f"{card.provenance}."))
        if card.overtaken:
            self.paragraph(xml_safe(card.overtaken), bold_prefix="Overtaken by events: ")
        for line in card.perspectives:
            self.rich(line, style="List Bullet")
        self.table(
            *card.scores_table(),
            widths=[1.45, 0.8, 0.7, 3.55],
            numeric=[2],
        )
        self.paragraph(
            "Approve ______     Disapprove ______     Discuss ______", bold_prefix="Decision: "
        )

    def ranked(self, brief: Brief) -> None:
        self.table(
            *brief.ranked_table(),
            widths=[0.4, 1.6, 1.2, 0.9, 0.6, 0.9, 0.9],
            numeric=[0],
        )
        for caveat in brief.caveats:
            self.paragraph(caveat, style="List Bullet")

    def tradeoffs(self, brief: Brief) -> None:
        for line in brief.tradeoffs:
            self.rich(line)
        header, rows = brief.performance_matrix()
        self.paragraph(MATRIX_INTRO, lead=True)
        column = min(0.45, (CONTENT_WIDTH_IN - 2.2) / (len(header) - 1))
        self.table(
            header,
            rows,
            widths=[2.2, *([column] * (len(header) - 1))],
            numeric=range(1, len(header)),
        )
        self.figure(brief.charts[0])

    def perspectives(self, brief: Brief) -> None:
        view = brief.perspectives
        assert view is not None
        for line in view.summary:
            self.rich(line, style="List Bullet")
        if len(brief.charts) > 1:
            self.figure(brief.charts[1])
        self.paragraph(view.intro, lead=True)
        column = (CONTENT_WIDTH_IN - 2.6) / len(view.profiles)
        self.table(
            *view.table(),
            widths=[2.6, *([column] * len(view.profiles))],
            numeric=range(1, 1 + len(view.profiles)),
        )

    def option_sets(self, brief: Brief) -> None:
        section = brief.option_sets
        assert section is not None
        for line in section.summary:
            self.paragraph(line, style="List Bullet")
        header, rows = section.table()
        self.table(header, rows, widths=[2.0, 0.7, 0.5, 0.8, 0.75, 0.75, 1.0], numeric=range(2, 7))
        for line in section.interactions:
            self.paragraph(line, style="List Bullet")
        self.paragraph(section.settings, style="Caption")

    def robustness(self, brief: Brief) -> None:
        section = brief.robustness
        assert section is not None
        for line in section.summary:
            self.paragraph(line, style="List Bullet")
        self.paragraph(
            "Where first place holds as each weight moves alone "
            f"(first: {brief.ranking[0].title}):",
            lead=True,
        )
        header, rows = section.intervals_table()
        self.table(header, rows, widths=[1.6, 0.6, 1.1, 1.6, 1.6], numeric=[1])
        self.paragraph(SMAA_INTRO, lead=True)
        header, rows = section.acceptability_table()
        self.table(header, rows, widths=[3.1, 0.7, 0.8, 0.9, 1.0], numeric=range(1, 5))
        for note in section.notes:
            self.paragraph(note, style="List Bullet")
        self.paragraph(section.settings, style="Caption")

    def method(self, brief: Brief) -> None:
        for text in brief.method_text:
            self.paragraph(text)
        self.paragraph(WEIGHTS_INTRO)
        for profile in brief.profiles:
            note = " (adjusted for this brief)" if profile.adjusted else ""
            self.paragraph(
                profile.description, style="List Bullet", bold_prefix=f"{profile.name}{note}: "
            )
        column = 0.75
        question = CONTENT_WIDTH_IN - 1.5 - 0.8 - column * len(brief.profiles)
        self.table(
            *brief.weights_table(),
            widths=[1.5, 0.8, *([column] * len(brief.profiles)), max(question, 1.2)],
            numeric=range(2, 2 + len(brief.profiles)),
        )
        self.paragraph(brief.scales_pointer)

    def criteria(self, brief: Brief) -> None:
        for c in brief.criteria:
            self.heading(c.name, 2)
            self.paragraph(c.definition)
            for level, text in c.scale:
                self.paragraph(text, style="List Bullet", bold_prefix=f"{level}: ")

    def full_ranking(self, brief: Brief) -> None:
        self.table(
            *brief.full_ranking_table(),
            widths=[0.45, 2.6, 1.85, 1.0, 0.6],
            numeric=[0],
        )

    def sources(self, brief: Brief) -> None:
        self.paragraph(SOURCES_INTRO)
        for entry in brief.sources:
            self.heading(entry.label, 2)
            details = "; ".join(
                [*(f"{name}: {value}" for name, value in entry.details), f"file: {entry.file}"]
            )
            self.paragraph(details + ".")
            self.paragraph(entry.stance, bold_prefix="Stance: ")
            for quote in entry.quotes:
                place = f"{quote.place}; " if quote.place else ""
                paragraph = self.paragraph(f"“{quote.quote}”", style="Quote")
                paragraph.add_run(
                    xml_safe(f"\n— {place}rank {quote.rank}, {quote.title} ({quote.id})")
                ).italic = False

    def record(self, brief: Brief) -> None:
        from docx.shared import Pt

        record = brief.record
        self.paragraph(f"recscore {record.tool_version}, generated {record.generated}.")
        self.table(["SHA-256 of", "Hash"], record.hashes, widths=[1.3, 5.2])
        if record.overrides:
            self.paragraph("Score edits applied on top of the catalog:")
            for rec_id, criterion, value, low, high in record.overrides:
                self.paragraph(
                    f"{rec_id} / {criterion}: {level_text(value, low, high)}", style="List Bullet"
                )
        self.paragraph(
            "Save the scenario below as scenario.yaml; with the same catalog, "
            "recscore brief --scenario scenario.yaml --format docx -o brief.docx rebuilds "
            "this brief's ranking and hashes."
        )
        paragraph = self.document.add_paragraph()
        run = paragraph.add_run(xml_safe(record.scenario_yaml.rstrip("\n")))
        run.font.name = "Courier New"
        run.font.size = Pt(7.5)


def _repeat_header(row_element: Any) -> None:
    """Mark a table's first row as a header row, repeated on every page it spans."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row_element.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
