"""Ingest: every supported input becomes text; every bad input gets its own code and key path.

The documents are made here: a real PDF (reportlab, with and without a text layer) and a real
DOCX (python-docx), so the tests read files the way an upload would.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest
from documents import docx_bytes, pdf_bytes

from scoring.errors import Code, InputError
from scoring.intake.ingest import (
    DEFAULT_MAX_BYTES,
    ingest_bytes,
    ingest_file,
    ingest_text,
    strip_furniture,
)
from scoring.loading import load_catalog
from scoring.text import find_span, normalize_text

from conftest import REPO_ROOT

BODY = (
    "Governments should impose targeted visa bans on officials responsible for abuses.\n"
    "The review found that existing sanctions were rarely enforced.\n"
)


def problem(error: InputError):
    (only,) = error.problems
    return only


def assert_fails(code: Code, key_path: str, call, *args, **kwargs):
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    found = problem(caught.value)
    assert (found.code, found.key_path) == (code, key_path)
    return found


# --- what is read ---------------------------------------------------------------------------


def test_plain_text_is_read_and_normalised_like_the_catalog() -> None:
    raw = "The ministry should act-\nquickly and   publish the\ncriteria.\r\n"
    document = ingest_bytes(raw.encode("utf-8"), "note.txt")
    assert document.source_format == "txt"
    assert document.normalized == normalize_text(raw.replace("\r\n", "\n"))
    assert "act-quickly" in document.normalized


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    document = ingest_bytes(codecs.BOM_UTF8 + BODY.encode("utf-8"), "bom.txt")
    assert document.text.startswith("Governments")


def test_markdown_keeps_words_and_structure_and_drops_markup() -> None:
    raw = (
        "# Title of the brief\n\nSome **bold** and *emphasised* words, "
        "a [link](https://example.org).\n\n- First item\n- Second item\n"
    )
    document = ingest_bytes(raw.encode(), "brief.md")
    assert document.source_format == "md"
    assert "Title of the brief" in document.text.split("\n")
    assert "bold and emphasised words, a link." in document.normalized
    assert "• First item" in document.text
    assert "*" not in document.text
    assert "](" not in document.text


def test_pasted_text_is_taken_as_it_is() -> None:
    document = ingest_text(BODY)
    assert (document.name, document.source_format) == ("pasted text", "pasted")
    assert document.normalized == normalize_text(BODY)


def test_a_real_pdf_is_read_page_by_page() -> None:
    data = pdf_bytes(
        [["Governments should impose targeted visa", "bans on officials."], ["Second page."]]
    )
    document = ingest_bytes(data, "report.pdf")
    assert (document.source_format, document.pages) == ("pdf", 2)
    assert "Governments should impose targeted visa bans on officials." in document.normalized
    assert "Second page." in document.normalized
    assert document.notices == ()


def test_a_pdf_with_some_image_only_pages_warns_and_goes_on() -> None:
    document = ingest_bytes(pdf_bytes([["Text on page one."], None]), "mixed.pdf")
    assert "Text on page one." in document.normalized
    assert [notice.code for notice in document.notices] == [Code.PAGES_WITHOUT_TEXT]
    assert "page(s) 2" in str(document.notices[0])


def test_a_pdf_is_recognised_by_its_content_whatever_its_name() -> None:
    document = ingest_bytes(pdf_bytes([["Hidden in a text file."]]), "misnamed.txt")
    assert document.source_format == "pdf"


def test_a_real_docx_keeps_headings_lists_and_tables() -> None:
    def build(document) -> None:
        document.add_heading("Restart legal dialogues", level=1)
        document.add_paragraph("The administration should restart the dialogues.")
        document.add_paragraph("Fund legal aid", style="List Bullet")
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text = "Cell one."
        table.rows[0].cells[1].text = "Cell two."

    document = ingest_bytes(docx_bytes(build), "brief.docx")
    assert document.source_format == "docx"
    paragraphs = document.text.split("\n\n")
    assert paragraphs[:3] == [
        "Restart legal dialogues",
        "The administration should restart the dialogues.",
        "• Fund legal aid",
    ]
    assert "Cell one." in paragraphs
    assert "Cell two." in paragraphs


def test_ingest_file_reads_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(BODY, encoding="utf-8")
    assert ingest_file(path).normalized == normalize_text(BODY)


# --- bad input: one code and key path each ----------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    found = assert_fails(Code.EMPTY_DOCUMENT, "text", ingest_bytes, data, "empty.txt")
    assert found.file == "empty.txt"


def test_empty_pasted_text_is_refused() -> None:
    assert_fails(Code.EMPTY_DOCUMENT, "text", ingest_text, "  \n ")


def test_a_docx_without_text_is_empty() -> None:
    assert_fails(
        Code.EMPTY_DOCUMENT, "text", ingest_bytes, docx_bytes(lambda d: None), "blank.docx"
    )


def test_a_page_of_furniture_only_is_empty() -> None:
    found = assert_fails(
        Code.EMPTY_DOCUMENT, "text", ingest_text, "Skip to main content\nSupport Us\n"
    )
    assert "furniture" in found.found


def _xlsx_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "found"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "photo.png", "a PNG image"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 20, "data.txt", "binary data, not text"),
        (_xlsx_like(), "sheet.xlsx", "an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "old.doc", "an old Office file"),
        (b"<html><body>Hi</body></html>", "page.html", "a .html file"),
    ],
)
def test_binary_and_unsupported_files_are_refused(data: bytes, name: str, found: str) -> None:
    refused = assert_fails(Code.UNSUPPORTED_FILE, "format", ingest_bytes, data, name)
    assert refused.found.startswith(found)
    assert ".pdf" in refused.expected
    assert ".docx" in refused.expected


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"just some text", "fake.pdf"), (b"%PDF-1.7\nthis is not really a pdf", "broken.pdf")],
)
def test_a_file_that_claims_to_be_pdf_but_is_not_is_unreadable(data: bytes, name: str) -> None:
    assert_fails(Code.FILE_UNREADABLE, "format", ingest_bytes, data, name)


def test_a_pdf_without_a_text_layer_says_so_and_suggests_ocr() -> None:
    found = assert_fails(
        Code.PDF_NO_TEXT, "pages", ingest_bytes, pdf_bytes([None, None]), "scan.pdf"
    )
    assert "2 pages" in found.found
    assert "OCR" in found.hint


def test_the_default_size_limit_is_20_megabytes() -> None:
    assert DEFAULT_MAX_BYTES == 20 * 1024 * 1024


def test_a_file_above_the_size_limit_is_refused_before_parsing() -> None:
    data = pdf_bytes([["A perfectly good page."]])
    found = assert_fails(
        Code.FILE_TOO_LARGE, "size", ingest_bytes, data, "big.pdf", max_bytes=len(data) - 1
    )
    assert f"{len(data)} bytes" in found.found


def test_pasted_text_above_the_limit_is_refused() -> None:
    assert_fails(Code.FILE_TOO_LARGE, "size", ingest_text, "x" * 101, max_bytes=100)


def test_a_large_file_on_disk_is_refused_without_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: no 20 MB written to disk

    def never(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", never)
    found = assert_fails(Code.FILE_TOO_LARGE, "size", ingest_file, path)
    assert found.expected == "at most 20.0 MB"


def test_a_missing_file_is_named() -> None:
    assert_fails(Code.FILE_MISSING, "", ingest_file, "/nonexistent/doc.txt")


def test_windows_1252_text_says_utf8_failed_and_what_it_probably_is() -> None:
    data = "Caf\u00e9 diplomacy should end.".encode("cp1252")
    found = assert_fails(Code.NOT_UTF8, "encoding", ingest_bytes, data, "legacy.txt")
    assert "decoding as UTF-8 failed at byte 3 (0xe9)" in found.found
    assert "Windows-1252" in found.found
    assert "UTF-8" in found.hint


def test_utf16_text_is_named_as_such() -> None:
    data = BODY.encode("utf-16")  # with a byte-order mark
    found = assert_fails(Code.NOT_UTF8, "encoding", ingest_bytes, data, "wide.txt")
    assert "UTF-16" in found.found


def test_utf16_without_a_bom_is_not_mistaken_for_binary() -> None:
    found = assert_fails(
        Code.NOT_UTF8, "encoding", ingest_bytes, BODY.encode("utf-16-le"), "wide.txt"
    )
    assert "UTF-16" in found.found


# --- page furniture ----------------------------------------------------------------------------


def test_furniture_lines_go_and_body_text_stays() -> None:
    text = "\n".join(
        [
            "Skip to main content",
            "Home | News | Asia | Contact",
            "Tom Sloan—AFP/Getty Images",
            "Governments should act before the summit.",
            "Donations to the campaign fell sharply in 2019, the report found.",
            "Your tax deductible gift can help stop abuses.",
            "Region / Country",
            "© 2024 Example Foundation. All rights reserved.",
        ]
    )
    kept, removed = strip_furniture(text)
    assert [r.reason for r in removed] == [
        "navigation",
        "navigation",
        "caption credit",
        "donation appeal",
        "footer",
        "footer",
    ]
    assert normalize_text(kept).strip() == (
        "Governments should act before the summit. "
        "Donations to the campaign fell sharply in 2019, the report found."
    )
    assert [r.line for r in removed][:3] == [1, 2, 3]


def test_running_heads_repeated_on_pdf_pages_are_removed() -> None:
    pages = [
        ["Annual Report 2024", f"Finding {n}: the courts should publish rulings."] for n in range(3)
    ]
    document = ingest_bytes(pdf_bytes(pages), "report.pdf")
    assert "Annual Report 2024" not in document.normalized
    assert {r.reason for r in document.removed} == {"running header or footer"}
    assert document.normalized.count("should publish rulings") == 3


def test_ingesting_the_seeds_loses_no_curated_quote() -> None:
    catalog = load_catalog(REPO_ROOT)
    lost = []
    for document in catalog.documents:
        ingested = ingest_file(REPO_ROOT / "seeds" / document.name)
        lost += [
            rec.id
            for rec in catalog.recommendations
            if rec.document == document.name and find_span(ingested.normalized, rec.quote) is None
        ]
    assert lost == []


def test_the_seeds_furniture_is_what_their_curators_named() -> None:
    removed = {
        name: [r.text for r in ingest_file(REPO_ROOT / "seeds" / name).removed]
        for name in ("002_ca33a1e53a6416ad.txt", "003_8e3f2574e417acbc.txt")
    }
    assert removed["002_ca33a1e53a6416ad.txt"] == ["Tom Sloan—AFP/Getty Images"]
    assert removed["003_8e3f2574e417acbc.txt"] == [
        "Skip to main content",
        "Your tax deductible gift can help stop human rights violations and save lives around "
        "the world.",
        "Region / Country",
    ]
