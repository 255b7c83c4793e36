"""The full ranking as CSV and as an Excel workbook, safe to open in a spreadsheet.

Every text cell that a spreadsheet would evaluate as a formula (one starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with an apostrophe; numbers
stay numbers.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from scoring.briefs.content import Brief
from scoring.briefs.escape import neutralize_formula, xml_safe
from scoring.briefs.formatting import date_text, weight_text

__all__ = ["ranking_table", "render_csv", "render_xlsx"]


def ranking_table(brief: Brief) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the full ranking, one row per recommendation, best first."""
    criterion_ids = [c.id for c in brief.criteria]
    header = [
        "rank",
        "tied",
        "id",
        "title",
        "document",
        "document_file",
        "score",
        "low",
        "high",
        "rank_p5",
        "rank_p95",
        "p_above_next",
        "tied_with_next",
        "near_tie_with_next",
        "strongest",
        "weakest",
        "actor",
        "instrument",
        "kind",
        "who",
        "status_quo",
        "quote",
        *(f"{cid}_score" for cid in criterion_ids),
        *(f"{cid}_contribution" for cid in criterion_ids),
    ]
    rows = [
        [
            row.rank,
            row.tied,
            row.id,
            row.title,
            row.document,
            row.document_file,
            round(row.score, 6),
            round(row.low, 6),
            round(row.high, 6),
            row.rank_p5,
            row.rank_p95,
            "" if math.isnan(row.p_above_next) else round(row.p_above_next, 4),
            row.tied_with_next,
            row.near_tie_with_next,
            row.strongest,
            row.weakest,
            row.actor,
            row.instrument,
            row.kind,
            row.provenance,
            "baseline" if row.baseline else "below" if row.below_baseline else "",
            row.quote,
            *row.values,
            *(round(value, 6) for value in row.contributions),
        ]
        for row in brief.ranking
    ]
    return header, rows


def _safe(value: Any) -> Any:
    return neutralize_formula(xml_safe(value)) if isinstance(value, str) else value


def render_csv(brief: Brief) -> bytes:
    """The full ranking as UTF-8 CSV (with a byte-order mark, so Excel reads it as UTF-8)."""
    header, rows = ranking_table(brief)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([[_safe(value) for value in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_xlsx(brief: Brief) -> bytes:
    """The full ranking (sheet Ranking) and what produced it (sheet About) as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    header, rows = ranking_table(brief)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ranking"
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(value) for value in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    widths = {"title": 50, "document": 40, "quote": 80, "actor": 30, "id": 36}
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(name, 13)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, float) and header[cell.column - 1].endswith(
                ("score", "low", "high", "contribution")
            ):
                cell.number_format = "0.000"
    quote_column = header.index("quote") + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=quote_column, max_col=quote_column):
        cell.alignment = Alignment(wrap_text=False)

    about = workbook.create_sheet("About")
    record = brief.record
    lines: list[tuple[str, Any]] = [
        ("Title", brief.title),
        ("Decision asked", brief.question),
        ("For", brief.audience),
        ("Decide by", brief.decide_by),
        ("Weighting", brief.profile.name),
        ("Scope", brief.filters_text),
        ("Method", brief.method),
        *((("Method settings", brief.settings_text),) if brief.settings_text else ()),
        ("Prepared", f"{date_text(brief.generated)} with recscore {record.tool_version}"),
        ("", ""),
        ("Criterion", "Weight"),
        *((c.name, weight_text(c.weights[0])) for c in brief.criteria),
        ("", ""),
        ("SHA-256 of", "Hash"),
        *record.hashes,
    ]
    for name, value in lines:
        about.append([_safe(name), _safe(value)])
    for row_number, (name, _) in enumerate(lines, start=1):
        if name in ("Criterion", "SHA-256 of"):
            about.cell(row=row_number, column=1).font = Font(bold=True)
            about.cell(row=row_number, column=2).font = Font(bold=True)
    about.column_dimensions["A"].width = 38
    about.column_dimensions["B"].width = 80
    workbook.properties.title = xml_safe(brief.title)
    workbook.properties.creator = "recscore"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
