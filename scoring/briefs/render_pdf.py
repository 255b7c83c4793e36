"""The brief as PDF, laid out with ReportLab's Platypus: headings, tables, the charts.

Pure pip: the Bitstream Vera fonts that ship with ReportLab and, for the characters Vera
lacks (Chinese above all), WenQuanYi Micro Hei from a wheel (:mod:`scoring.briefs.fonts`) are
embedded (subset), so the file looks the same everywhere and needs nothing from the system.
Document text goes through :func:`_text`, which escapes ReportLab's paragraph markup (``<b>``,
``<a href>``, ``&``), so no document string can become a tag or a link. Characters neither
font has are replaced: first by their plain decomposition (``ﬁ`` -> ``fi``), else by ``?``.

Tagged PDF (a structure tree for screen readers) is not something ReportLab's open-source
Platypus writes; the file has an outline (bookmarks per heading), a title, a language-neutral
text layer and document properties instead.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
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
from scoring.briefs.escape import html_text, xml_safe
from scoring.briefs.fonts import cjk_font_file
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

__all__ = ["render_pdf"]

FONT = "RecscoreVera"
CJK = "RecscoreCJK"
MONO = "Courier"
INK = "#1a1a1a"
ACCENT = "#1f3b5c"
RULE = "#b8b8b8"
SHADE = "#eef3f8"
MUTED = "#444444"
SCENARIO_NAME = "scenario.yaml"
# A chart may shrink to this share of its natural size to fit the rest of a page.
MIN_CHART_SCALE = 0.6


@cache
def _fonts() -> tuple[frozenset[int], frozenset[int]]:
    """Register the embedded fonts once; return the code points Vera and the CJK face draw."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(reportlab.__file__).parent / "fonts"
    faces = {
        FONT: "Vera.ttf",
        f"{FONT}-Bold": "VeraBd.ttf",
        f"{FONT}-Italic": "VeraIt.ttf",
        f"{FONT}-BoldItalic": "VeraBI.ttf",
    }
    for name, file in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )
    # One face serves all four styles: the collection has no bold or italic.
    pdfmetrics.registerFont(TTFont(CJK, str(cjk_font_file()), subfontIndex=0))
    pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)
    vera = pdfmetrics.getFont(FONT).face
    cjk = pdfmetrics.getFont(CJK).face
    return frozenset(vera.charToGlyph), frozenset(cjk.charToGlyph)


def _drawable(text: str) -> str:
    """``text`` with what no embedded font draws replaced (plain decomposition, else ``?``)."""
    vera, cjk = _fonts()
    if all(ord(ch) in vera for ch in text):
        return text
    out = []
    for ch in text:
        if ord(ch) in vera or ord(ch) in cjk or ch in "\n\t":
            out.append(ch)
            continue
        plain = unicodedata.normalize("NFKD", ch)
        out.append(plain if plain and all(ord(c) in vera for c in plain) else "?")
    return "".join(out)


def _with_fallback(markup: str) -> str:
    """Escaped paragraph text with each run of characters Vera lacks set in the CJK face."""
    vera, _ = _fonts()
    if all(ord(ch) in vera for ch in markup):
        return markup
    out: list[str] = []
    run: list[str] = []
    for ch in markup:
        if ord(ch) in vera or ch in "\n\t":
            if run:
                out.append(f'<font name="{CJK}">{"".join(run)}</font>')
                run = []
            out.append(ch)
        else:
            run.append(ch)
    if run:
        out.append(f'<font name="{CJK}">{"".join(run)}</font>')
    return "".join(out)


def _text(text: str) -> str:
    """Document text as ReportLab paragraph text: drawable, escaped, never markup."""
    return _with_fallback(html_text(_drawable(xml_safe(text)))).replace("\n", "<br/>")


def _rich(text: Text) -> str:
    return "".join(f"<b>{_text(r.text)}</b>" if r.strong else _text(r.text) for r in text)


class _Styles:
    def __init__(self) -> None:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.enums import TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        _fonts()
        base = ParagraphStyle(
            "Body", fontName=FONT, fontSize=9.5, leading=13, textColor=HexColor(INK)
        )
        self.body = base
        self.title = ParagraphStyle(
            "Title", parent=base, fontName=f"{FONT}-Bold", fontSize=18, leading=22, spaceAfter=8
        )
        self.h1 = ParagraphStyle(
            "Heading1",
            parent=base,
            fontName=f"{FONT}-Bold",
            fontSize=13,
            leading=16,
            textColor=HexColor(ACCENT),
            spaceBefore=14,
            spaceAfter=6,
        )
        self.h2 = ParagraphStyle(
            "Heading2",
            parent=base,
            fontName=f"{FONT}-Bold",
            fontSize=11,
            leading=14,
            spaceBefore=10,
            spaceAfter=4,
        )
        self.para = ParagraphStyle("Para", parent=base, spaceAfter=5)
        self.handling = ParagraphStyle(
            "Handling", parent=base, fontName=f"{FONT}-Bold", alignment=1, spaceAfter=6
        )
        self.h3 = ParagraphStyle(
            "Heading3",
            parent=base,
            fontName=f"{FONT}-Bold",
            fontSize=10,
            leading=12.5,
            textColor=HexColor(ACCENT),
            spaceBefore=6,
            spaceAfter=1,
        )
        self.memo = ParagraphStyle("Memo", parent=base, fontSize=8.6, leading=10.6, leftIndent=8)
        self.decision = ParagraphStyle(
            "Decision", parent=self.memo, fontName=f"{FONT}-Bold", spaceBefore=1
        )
        self.lead = ParagraphStyle("Lead", parent=self.para, keepWithNext=1)  # before a table
        self.bullet = ParagraphStyle(
            "Bullet", parent=base, leftIndent=14, bulletIndent=2, spaceAfter=3, bulletFontName=FONT
        )
        self.bluf = ParagraphStyle(
            "Bluf",
            parent=self.bullet,
            backColor=HexColor(SHADE),
            borderPadding=(3, 4, 3, 4),
            spaceAfter=4,
        )
        self.quote = ParagraphStyle(
            "Quote",
            parent=base,
            fontName=f"{FONT}-Italic",
            leftIndent=14,
            rightIndent=10,
            spaceBefore=3,
            spaceAfter=1,
        )
        self.cite = ParagraphStyle(
            "Cite",
            parent=base,
            fontSize=8.5,
            leftIndent=14,
            spaceAfter=6,
            textColor=HexColor(MUTED),
        )
        self.cell = ParagraphStyle("Cell", parent=base, fontSize=8, leading=10)
        self.cell_head = ParagraphStyle("CellHead", parent=self.cell, fontName=f"{FONT}-Bold")
        self.cell_num = ParagraphStyle("CellNum", parent=self.cell, alignment=TA_RIGHT)
        self.caption = ParagraphStyle(
            "Caption",
            parent=base,
            fontSize=8.5,
            leading=11,
            textColor=HexColor(MUTED),
            spaceAfter=8,
        )
        self.code = ParagraphStyle("Code", parent=base, fontName=MONO, fontSize=6.8, leading=8.4)


def render_pdf(brief: Brief) -> bytes:
    """The whole brief as PDF bytes, on US Letter or A4 (``brief.spec.paper``)."""
    from reportlab.lib.pagesizes import A4, LETTER
    from reportlab.lib.units import inch
    from reportlab.platypus import SimpleDocTemplate

    styles = _Styles()
    page = A4 if brief.spec.paper == "a4" else LETTER
    out = io.BytesIO()
    title = _drawable(xml_safe(brief.title))

    class Template(SimpleDocTemplate):
        def afterFlowable(self, flowable: Any) -> None:  # noqa: N802 - ReportLab's hook name
            """Headings become PDF bookmarks, so the outline pane lists the brief's parts."""
            name = getattr(getattr(flowable, "style", None), "name", "")
            if name in ("Heading1", "Heading2"):
                key = f"h{id(flowable)}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(
                    flowable.getPlainText(), key, level=0 if name == "Heading1" else 1
                )

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColorRGB(0.35, 0.35, 0.35)
        short = title if len(title) <= 90 else title[:89] + "…"
        canvas.drawString(document.leftMargin, 0.5 * inch, short)
        handling = brief.memo.header.classification
        if handling:  # the handling line heads and foots every page, as memos carry it
            line = _drawable(xml_safe(handling))
            canvas.drawCentredString(page[0] / 2, 0.3 * inch, line)  # below the title line
            canvas.drawCentredString(page[0] / 2, page[1] - 0.5 * inch, line)
        canvas.drawRightString(page[0] - document.rightMargin, 0.5 * inch, f"Page {document.page}")
        canvas.restoreState()

    document = Template(
        out,
        pagesize=page,
        leftMargin=0.9 * inch,
        rightMargin=0.9 * inch,
        topMargin=0.8 * inch,
        bottomMargin=0.85 * inch,
        title=title,
        subject=_drawable(xml_safe(brief.question)),
        author=_drawable(xml_safe(brief.memo.header.sender)) or "recscore",
        creator=f"recscore {brief.record.tool_version}",
    )
    story = _Story(styles, document.width).build(brief)
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return _with_attachment(out.getvalue(), SCENARIO_NAME, brief.record.scenario_yaml.encode())


def _with_attachment(pdf: bytes, name: str, data: bytes) -> bytes:
    """The PDF with a file embedded (PDF 7.11.3), so the scenario can be saved from a viewer's
    attachments pane instead of copied out of the page, where indentation may not survive."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_attachment(name, data)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Story:
    """Builds the list of flowables in the brief's reading order."""

    def __init__(self, styles: _Styles, width: float) -> None:
        self.styles = styles
        self.width = width
        self.flow: list[Any] = []

    # --- primitives ---------------------------------------------------------------------

    def p(self, markup: str, style: Any = None) -> None:
        from reportlab.platypus import Paragraph

        self.flow.append(Paragraph(markup, style or self.styles.para))

    def bullet(self, markup: str, style: Any = None, mark: str = "•") -> None:
        from reportlab.platypus import Paragraph

        self.flow.append(Paragraph(markup, style or self.styles.bullet, bulletText=mark))

    def h1(self, text: str) -> None:
        self.p(_text(text), self.styles.h1)

    def h2(self, text: str) -> None:
        self.p(_text(text), self.styles.h2)

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[str]],
        widths: Sequence[float],
        numeric: Iterable[int] = (),
    ) -> None:
        """A table of plain strings (escaped here), widths as fractions of the text width."""
        from reportlab.lib.colors import HexColor
        from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

        numeric = set(numeric)
        cells = [[Paragraph(_text(h), self.styles.cell_head) for h in header]]
        for row in rows:
            cells.append(
                [
                    Paragraph(
                        _text(str(value)),
                        self.styles.cell_num if index in numeric else self.styles.cell,
                    )
                    for index, value in enumerate(row)
                ]
            )
        table = Table(
            cells, colWidths=[w * self.width for w in widths], repeatRows=1, hAlign="LEFT"
        )
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, HexColor(RULE)),
                    ("BACKGROUND", (0, 0), (-1, 0), HexColor("#e9e9e9")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        self.flow += [table, Spacer(1, 6)]

    def figure(self, chart: Chart) -> None:
        """The chart's caption, kept with the chart, which shrinks a little to fit a page."""
        from reportlab.lib.utils import ImageReader
        from reportlab.platypus import Paragraph

        png = render_png(chart)
        pixels_wide, pixels_high = ImageReader(io.BytesIO(png)).getSize()
        width = min(self.width, pixels_wide / 2 * 0.75)  # rendered at 2x; 96 px = 72 pt
        height = width * pixels_high / pixels_wide
        self.flow.append(
            Paragraph(
                f"<b>{_text(chart.title)}.</b> {_text(chart.description)}", self.styles.caption
            )
        )
        self.flow.append(_shrinkable_image(png, width, height))

    # --- sections -----------------------------------------------------------------------

    def build(self, brief: Brief) -> list[Any]:
        from reportlab.platypus import CondPageBreak, PageBreak

        for key in brief.body_sections():  # each section key names a method of this class
            getattr(self, key)(brief)
        annexes = {
            "ranked": self.ranked,
            "cards": self.cards,
            "tradeoffs": self.tradeoffs,
            "perspectives": self.perspectives,
            "option_sets": self.option_sets,
            "robustness": self.robustness,
            "method": self.method,
            "criteria": self.criteria,
            "ranking": self.full_ranking,
            "sources": self.sources,
            "record": self.record,
        }
        for index, (key, heading) in enumerate(brief.annexes()):
            # The annexes start on a page of their own; each further one where it fits.
            self.flow.append(PageBreak() if index == 0 else CondPageBreak(2.5 * 72))
            self.h1(heading)
            annexes[key](brief)
        return self.flow

    def bottom_line(self, brief: Brief) -> None:
        self.h1("Bottom line")
        for line in brief.bottom_line:
            self.bullet(_rich(line), self.styles.bluf)

    def options(self, brief: Brief) -> None:
        from reportlab.platypus import KeepTogether, Paragraph

        self.h1("Options for decision")
        for option in brief.memo.options:
            parts = [Paragraph(_text(memo_option_heading(option)), self.styles.h3)]
            parts += [Paragraph(_rich(line), self.styles.memo) for line in option.lines]
            if option.overtaken:
                parts.append(
                    Paragraph(
                        f"<b>Overtaken by events:</b> {_text(option.overtaken)}", self.styles.memo
                    )
                )
            if option.implementation:
                parts.append(Paragraph(_text(implementation_text(option)), self.styles.memo))
            parts.append(Paragraph(_text(DECISION_LINE), self.styles.decision))
            self.flow.append(KeepTogether(parts))

    def authority(self, brief: Brief) -> None:
        self.p(_rich(brief.memo.authority), self.styles.caption)

    def cards(self, brief: Brief) -> None:
        for card in brief.cards:
            self.card(brief, card)

    def header(self, brief: Brief) -> None:
        header = brief.memo.header
        self.p(_text(header.classification or CLASSIFICATION_BLANK), self.styles.handling)
        self.p(_text(brief.title), self.styles.title)
        for name, value in header.lines():
            self.p(f"<b>{_text(name)}:</b> {_text(value)}", self.styles.body)
        self.p(f"<b>Decision asked:</b> {_text(brief.question)}", self.styles.body)

    def card(self, brief: Brief, card: Card) -> None:
        from reportlab.platypus import CondPageBreak

        self.flow.append(CondPageBreak(2.2 * 72))  # a card never starts at a page's foot
        self.h2(f"{card.rank}. {card.title}")
        self.p(_text(card.summary))
        self.p(f"“{_text(card.quote)}”", self.styles.quote)
        self.p(f"— {_text(card.citation or card.document)}", self.styles.cite)
        self.p(
            f"<b>{score_name(brief.method)}</b> "
            f"{_text(score_text(card.score, card.low, card.high, brief.method))}; "
            f"<b>rank interval</b> {rank_interval_text(card.rank_p5, card.rank_p95)} of "
            f"{brief.count}. <b>Instrument:</b> {_text(card.instrument)}. <b>Who:</b> "
            f"{_text(card.provenance)}."
        )
        if card.overtaken:
            self.p(f"<b>Overtaken by events:</b> {_text(card.overtaken)}")
        for line in card.perspectives:
            self.bullet(_rich(line))
        self.table(
            *card.scores_table(),
            widths=[0.22, 0.11, 0.08, 0.59],
            numeric=[2],
        )
        self.p(
            "<b>Decision:</b> Approve ________ &nbsp;&nbsp; Disapprove ________ &nbsp;&nbsp; "
            "Discuss ________"
        )

    def ranked(self, brief: Brief) -> None:
        self.table(
            *brief.ranked_table(),
            widths=[0.06, 0.25, 0.2, 0.13, 0.08, 0.14, 0.14],
            numeric=[0],
        )
        for caveat in brief.caveats:
            self.bullet(_text(caveat))

    def tradeoffs(self, brief: Brief) -> None:
        for line in brief.tradeoffs:
            self.p(_rich(line))
        header, rows = brief.performance_matrix()
        self.p(_text(MATRIX_INTRO), self.styles.lead)
        share = min(0.07, 0.66 / (len(header) - 1))
        self.table(
            header,
            rows,
            widths=[1 - share * (len(header) - 1), *([share] * (len(header) - 1))],
            numeric=range(1, len(header)),
        )
        self.figure(brief.charts[0])

    def perspectives(self, brief: Brief) -> None:
        view = brief.perspectives
        assert view is not None
        for line in view.summary:
            self.bullet(_rich(line))
        if len(brief.charts) > 1:
            self.figure(brief.charts[1])
        self.p(_text(view.intro), self.styles.lead)
        share = 0.55 / len(view.profiles)
        self.table(
            *view.table(),
            widths=[0.45, *([share] * len(view.profiles))],
            numeric=range(1, 1 + len(view.profiles)),
        )

    def option_sets(self, brief: Brief) -> None:
        section = brief.option_sets
        assert section is not None
        for line in section.summary:
            self.bullet(_text(line))
        header, rows = section.table()
        self.table(
            header, rows, widths=[0.3, 0.1, 0.08, 0.13, 0.11, 0.11, 0.17], numeric=range(2, 7)
        )
        for line in section.interactions:
            self.bullet(_text(line))
        self.p(_text(section.settings), self.styles.caption)

    def robustness(self, brief: Brief) -> None:
        section = brief.robustness
        assert section is not None
        for line in section.summary:
            self.bullet(_text(line))
        self.p(
            _text(
                "Where first place holds as each weight moves alone "
                f"(first: {brief.ranking[0].title}):"
            ),
            self.styles.lead,
        )
        header, rows = section.intervals_table()
        self.table(header, rows, widths=[0.24, 0.1, 0.16, 0.25, 0.25], numeric=[1])
        self.p(_text(SMAA_INTRO), self.styles.lead)
        header, rows = section.acceptability_table()
        self.table(header, rows, widths=[0.5, 0.1, 0.12, 0.13, 0.15], numeric=range(1, 5))
        for note in section.notes:
            self.bullet(_text(note))
        self.p(_text(section.settings), self.styles.caption)

    def method(self, brief: Brief) -> None:
        for text in brief.method_text:
            self.p(_text(text))
        self.p(_text(WEIGHTS_INTRO))
        for profile in brief.profiles:
            note = " (adjusted for this brief)" if profile.adjusted else ""
            self.bullet(f"<b>{_text(profile.name + note)}:</b> {_text(profile.description)}")
        share = min(0.14, 0.45 / len(brief.profiles))
        question = 1 - 0.2 - 0.1 - share * len(brief.profiles)
        self.table(
            *brief.weights_table(),
            widths=[0.2, 0.1, *([share] * len(brief.profiles)), question],
            numeric=range(2, 2 + len(brief.profiles)),
        )
        self.p(_text(brief.scales_pointer))

    def criteria(self, brief: Brief) -> None:
        for c in brief.criteria:
            self.h2(c.name)
            self.p(_text(c.definition))
            for level, text in c.scale:
                self.bullet(_text(text), mark=f"{level}.")

    def full_ranking(self, brief: Brief) -> None:
        self.table(
            *brief.full_ranking_table(),
            widths=[0.06, 0.42, 0.3, 0.13, 0.09],
            numeric=[0],
        )

    def sources(self, brief: Brief) -> None:
        self.p(_text(SOURCES_INTRO))
        for entry in brief.sources:
            self.h2(entry.label)
            details = "; ".join(
                [*(f"{name}: {value}" for name, value in entry.details), f"file: {entry.file}"]
            )
            self.p(_text(details + "."))
            self.p(f"<b>Stance:</b> {_text(entry.stance)}")
            for quote in entry.quotes:
                place = f"{quote.place}; " if quote.place else ""
                self.p(f"“{_text(quote.quote)}”", self.styles.quote)
                self.p(
                    _text(f"— {place}rank {quote.rank}, {quote.title} ({quote.id})"),
                    self.styles.cite,
                )

    def record(self, brief: Brief) -> None:
        from reportlab.platypus import Preformatted

        record = brief.record
        self.p(_text(f"recscore {record.tool_version}, generated {record.generated}."))
        self.table(["SHA-256 of", "Hash"], record.hashes, widths=[0.2, 0.8])
        if record.overrides:
            self.p(_text("Score edits applied on top of the catalog:"))
            for rec_id, criterion, value, low, high in record.overrides:
                self.bullet(_text(f"{rec_id} / {criterion}: {level_text(value, low, high)}"))
        self.p(
            _text(
                f"The scenario below is also attached to this PDF as {SCENARIO_NAME} (see your "
                "viewer's attachments). With the same catalog, recscore brief --scenario "
                f"{SCENARIO_NAME} --format pdf -o brief.pdf rebuilds this brief's ranking and "
                "hashes."
            )
        )
        # Preformatted draws its text as is (no markup); the scenario is ASCII YAML.
        self.flow.append(
            Preformatted(xml_safe(record.scenario_yaml), self.styles.code, maxLineLength=118)
        )


def _shrinkable_image(png: bytes, width: float, height: float) -> Any:
    """An image that shrinks (to MIN_CHART_SCALE at most) rather than leave a page half empty."""
    from reportlab.platypus import Image

    class ShrinkableImage(Image):
        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            scale = min(1.0, available_width / width)
            if height * scale > available_height >= height * MIN_CHART_SCALE:
                scale = available_height / height
            self.drawWidth, self.drawHeight = width * scale, height * scale
            return self.drawWidth, self.drawHeight

    return ShrinkableImage(io.BytesIO(png), width, height, hAlign="CENTER")
