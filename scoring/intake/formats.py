"""Reading each kind of input: format detection from the bytes, text encodings, Markdown,
PDF text layers and DOCX paragraphs, with the limits on what an input expands to.

Limits are on expanded size, not file size (a small .docx can unpack to gigabytes):
``$RECSCORE_MAX_EXPANDED_MB``, ``$RECSCORE_MAX_DOCX_PARTS`` and ``$RECSCORE_MAX_PDF_PAGES``,
checked before parsing. Every failure is an :class:`~scoring.errors.InputError` naming the
file and the fix. Used by :mod:`scoring.intake.ingest`.
"""

from __future__ import annotations

import codecs
import io
import math
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from scoring.errors import Code, InputError, Notice
from scoring.io import short_text

SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".pdf", ".docx")
_SUFFIX_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".pdf": "pdf",
    ".docx": "docx",
}
_SUPPORTED_LIST = ", ".join(SUPPORTED_SUFFIXES)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 100 * 1024 else f"{size} bytes"


# Signatures of files people upload by mistake, so the message can say what was found.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG", "a PNG image", "upload the document, or run OCR on the image first"),
    (b"\xff\xd8\xff", "a JPEG image", "upload the document, or run OCR on the image first"),
    (b"GIF8", "a GIF image", "upload the document, or run OCR on the image first"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls)", "save it as .docx or PDF first"),
    (b"{\\rtf", "an RTF file", "save it as .docx or PDF first"),
    (b"\x1f\x8b", "a gzip archive", "unpack it and upload the document inside"),
    (b"\x7fELF", "a program (ELF binary)", "upload a document"),
    (b"MZ", "a Windows program", "upload a document"),
)


def _detect_format(data: bytes, filename: str) -> str:
    """The format by content first (a PDF named .txt is still a PDF), then by suffix."""
    suffix = Path(filename).suffix.lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, filename)
    for signature, found, hint in _SIGNATURES:
        if data.startswith(signature):
            raise _unsupported(filename, found, hint)
    if suffix in (".pdf", ".docx"):
        kind = "PDF" if suffix == ".pdf" else "Word (.docx)"
        raise InputError(
            Code.FILE_UNREADABLE,
            filename,
            "format",
            f"a {kind} file",
            f"a file named {suffix} whose content is not {kind}",
            "export the document again, or upload it as it really is",
            in_file=True,
        )
    if suffix and suffix not in _SUFFIX_FORMATS:
        raise _unsupported(filename, f"a {suffix} file", "save the document as PDF, DOCX or text")
    if _looks_binary(data):
        raise _unsupported(filename, "binary data, not text", "upload a document")
    return _SUFFIX_FORMATS.get(suffix, "txt")


def _env_limit(variable: str, default: float) -> float:
    """A positive, finite number from the environment variable ``variable``, else ``default``."""
    try:
        value = float(os.environ.get(variable, ""))
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


# Limits on what an upload expands to, checked before parsing (README "Limits"): a 100 KB
# .docx can hold gigabytes of XML, a short PDF thousands of pages.
MAX_EXPANDED_MB = _env_limit("RECSCORE_MAX_EXPANDED_MB", 50.0)
MAX_ZIP_PARTS = int(_env_limit("RECSCORE_MAX_DOCX_PARTS", 1000))
MAX_PDF_PAGES = int(_env_limit("RECSCORE_MAX_PDF_PAGES", 1000))


def _zip_format(data: bytes, filename: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
        names = {part.filename for part in parts}
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(
            Code.FILE_UNREADABLE,
            filename,
            "format",
            "a complete .docx file",
            f"a damaged ZIP container ({exc})",
            "save the document again and re-upload it",
            in_file=True,
        ) from None
    _check_expanded(parts, filename)
    if "word/document.xml" in names:
        return "docx"
    found = "a ZIP archive"
    if any(name.startswith("xl/") for name in names):
        found = "an Excel workbook"
    elif any(name.startswith("ppt/") for name in names):
        found = "a PowerPoint file"
    elif "content.xml" in names:
        found = "an OpenDocument file"
    raise _unsupported(filename, found, "save the document as PDF or DOCX")


def _check_expanded(parts: list[zipfile.ZipInfo], filename: str) -> None:
    """Refuse an archive of too many parts or too many bytes once unpacked, before parsing.

    The sizes are the archive's own declarations; :mod:`zipfile` never reads past them (and
    fails on a part that claims less than it holds), so they bound the work.
    """
    expanded = sum(part.file_size for part in parts)
    if len(parts) > MAX_ZIP_PARTS:
        found, limit = f"{len(parts)} parts", f"at most {MAX_ZIP_PARTS} parts"
        variable = "RECSCORE_MAX_DOCX_PARTS"
    elif expanded > MAX_EXPANDED_MB * 1024 * 1024:
        found = f"{_megabytes(expanded)} once unpacked (a compression bomb?)"
        limit, variable = (
            f"at most {MAX_EXPANDED_MB:g} MB once unpacked",
            "RECSCORE_MAX_EXPANDED_MB",
        )
    else:
        return
    raise InputError(
        Code.FILE_TOO_LARGE,
        filename,
        "size",
        limit,
        found,
        f"save the document again from Word, or paste its text (the limit is ${variable})",
        in_file=True,
    )


def _unsupported(filename: str, found: str, hint: str) -> InputError:
    return InputError(
        Code.UNSUPPORTED_FILE,
        filename,
        "format",
        f"a document ({_SUPPORTED_LIST}) or pasted text",
        found,
        hint,
        in_file=True,
    )


def _looks_binary(data: bytes) -> bool:
    """NUL bytes outside UTF-16/32 text, or mostly control characters: not a text file."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return not _looks_utf16(head)  # a NUL in every other byte: text, wrongly encoded
    controls = sum(byte < 32 and byte not in (9, 10, 12, 13) for byte in head)
    return controls > len(head) * 0.1


_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _decode(data: bytes, filename: str) -> str:
    """Decode UTF-8 (a BOM is allowed); anything else is refused with a guess at what it is."""
    data = data.removeprefix(codecs.BOM_UTF8)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            raise _not_utf8(
                filename, f"{encoding} text (it starts with a {encoding} byte-order mark)"
            )
    if _looks_utf16(data):  # NUL bytes are valid UTF-8, so UTF-16 would "decode" as garbage
        raise _not_utf8(filename, "UTF-16 text without a byte-order mark (every other byte is 0)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        found = (
            f"bytes that are not UTF-8: decoding as UTF-8 failed at byte {exc.start} (0x{bad}); "
            f"{_guess_encoding(data)}"
        )
        raise _not_utf8(filename, found) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_utf16(data: bytes) -> bool:
    head = data[:8192]
    return len(head) >= 4 and (
        head[1::2].count(0) > len(head) * 0.2 or head[0::2].count(0) > len(head) * 0.2
    )


def _guess_encoding(data: bytes) -> str:
    head = data[:8192]
    try:
        head.decode("cp1252")
    except UnicodeDecodeError:
        return "it is not Windows-1252 either; the encoding could not be guessed"
    return "it decodes as Windows-1252 (Western European), probably its real encoding"


def _not_utf8(filename: str, found: str) -> InputError:
    return InputError(
        Code.NOT_UTF8,
        filename,
        "encoding",
        "UTF-8 text",
        found,
        "save the file again as UTF-8 (most editors: Save As, encoding UTF-8), or paste its text",
        in_file=True,
    )


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^(\s*)[-*+]\s+")
_MD_QUOTE = re.compile(r"^\s*>\s?")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")


def _markdown_to_text(text: str) -> str:
    """Keep the words and the structure, drop the markup: a heading becomes its own paragraph,
    a bullet a "•" line; links keep their text; emphasis markers go."""
    lines = []
    for line in text.split("\n"):
        if _MD_FENCE.match(line) or _MD_RULE.match(line):
            lines.append("")
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            lines += ["", heading.group(1), ""]
            continue
        line = _MD_QUOTE.sub("", line)
        line = _MD_BULLET.sub(r"\1• ", line)
        line = _MD_IMAGE.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_STRONG.sub(r"\2", line)
        line = _MD_EMPHASIS.sub(r"\1", line)
        lines.append(line)
    return "\n".join(lines)


def _pdf_text(data: bytes, filename: str) -> tuple[str, int, tuple[Notice, ...]]:
    """The text layer, page by page (pages are separated by a blank line)."""
    from pypdf import PdfReader  # imported here: only PDF uploads pay for it

    try:
        reader = PdfReader(io.BytesIO(data))
        # An owner password alone (printing or copying restricted) opens with "".
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(
                Code.ENCRYPTED_PDF,
                filename,
                "format",
                "a PDF that opens without a password",
                "a PDF that asks for a password to open",
                "open it with its password and print it to a new PDF, or paste its text",
                in_file=True,
            )
        count = len(reader.pages)
        if count > MAX_PDF_PAGES:
            raise InputError(
                Code.FILE_TOO_LARGE,
                filename,
                "pages",
                f"at most {MAX_PDF_PAGES} pages",
                f"{count} pages",
                "split the PDF, or paste the part you need (the limit is $RECSCORE_MAX_PDF_PAGES)",
                in_file=True,
            )
        texts = []
        budget = MAX_EXPANDED_MB * 1024 * 1024
        for page in reader.pages:
            texts.append(page.extract_text() or "")
            budget -= len(texts[-1])
            if budget < 0:
                raise InputError(
                    Code.FILE_TOO_LARGE,
                    filename,
                    "size",
                    f"at most {MAX_EXPANDED_MB:g} MB of text",
                    f"more, by page {len(texts)}",
                    "split the PDF (the limit is $RECSCORE_MAX_EXPANDED_MB)",
                    in_file=True,
                )
    except InputError:
        raise
    except Exception as exc:  # pypdf raises many types (PdfReadError, KeyError, ...) on bad files
        raise InputError(
            Code.FILE_UNREADABLE,
            filename,
            "format",
            "a readable PDF",
            f"a damaged or unusual PDF ({type(exc).__name__}: {short_text(str(exc), 200)})",
            "open it and export it to PDF again, or paste its text",
            in_file=True,
        ) from None
    empty = [number for number, text in enumerate(texts, start=1) if not text.strip()]
    if len(empty) == len(texts):
        count = len(texts)
        raise InputError(
            Code.PDF_NO_TEXT,
            filename,
            "pages",
            "a PDF with a text layer",
            f"{count} page{'s' if count != 1 else ''} of images with no text layer (a scan?)",
            "run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`) and upload the result, "
            "or paste the text",
            in_file=True,
        )
    notices: tuple[Notice, ...] = ()
    if empty:
        listed = ", ".join(map(str, empty[:10])) + (" ..." if len(empty) > 10 else "")
        notices = (
            Notice(
                Code.PAGES_WITHOUT_TEXT,
                f"{filename}: page(s) {listed} have no text layer and were skipped; "
                "run OCR on the PDF if they hold text",
            ),
        )
    return "\n\n".join(text.replace("\r\n", "\n") for text in texts), len(texts), notices


def _docx_text(data: bytes, filename: str) -> str:
    """Body paragraphs and table cells in document order; headings and list items keep their
    shape (a heading is its own paragraph, a list item starts with "•"). Headers and footers
    are page furniture and are not read."""
    import docx  # imported here: only Word uploads pay for it

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = list(_docx_paragraphs(document))
    # Besides PackageNotFoundError and BadZipFile, python-docx passes on lxml's XMLSyntaxError,
    # KeyError and others for a malformed part: every one means the file cannot be read.
    except Exception as exc:
        raise InputError(
            Code.FILE_UNREADABLE,
            filename,
            "format",
            "a readable Word (.docx) file",
            f"a damaged .docx ({type(exc).__name__}: {short_text(str(exc), 200)})",
            "open it in Word and save it again, or paste its text",
            in_file=True,
        ) from None
    return "\n\n".join(paragraphs)


def _docx_paragraphs(document: object) -> Iterator[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    def walk(items: Iterator[object]) -> Iterator[str]:
        for item in items:
            if isinstance(item, Paragraph):
                text = item.text.strip()
                if not text:
                    continue
                style = (item.style.name if item.style is not None else "") or ""
                numbered = item._p.pPr is not None and item._p.pPr.numPr is not None
                yield f"• {text}" if numbered or style.startswith("List") else text
            elif isinstance(item, Table):
                for row in item.rows:
                    for cell in row.cells:
                        yield from walk(cell.iter_inner_content())

    yield from walk(document.iter_inner_content())  # type: ignore[attr-defined]
