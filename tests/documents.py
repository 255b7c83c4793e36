"""Real documents written in memory for the ingest and extraction tests: PDF and DOCX bytes."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document
from docx.document import Document as DocxDocument
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def pdf_bytes(pages: list[list[str] | None]) -> bytes:
    """A PDF with one page per entry: lines of text, or None for a page that is only an image
    (a scan: no text layer)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for lines in pages:
        if lines is None:
            image = Image.new("RGB", (400, 200), "white")
            ImageDraw.Draw(image).text((10, 10), "a scanned page", fill="black")
            pdf.drawImage(ImageReader(image), 72, 500, 400, 200)
        else:
            text = pdf.beginText(72, 770)
            for line in lines:
                text.textLine(line)
            pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def docx_bytes(build: Callable[[DocxDocument], object]) -> bytes:
    """A Word document that ``build`` fills in (headings, paragraphs, lists, tables)."""
    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
