"""Bring your own documents: file bytes or pasted text in, clean text out.

Longer than most modules (about 630 lines): most of it is the page-furniture patterns
(navigation, donation appeals, photo credits, footers), which are read and tuned together.

One entry point per kind of input (:func:`ingest_file`, :func:`ingest_bytes`,
:func:`ingest_text`), all returning an :class:`IngestedDocument`. Its ``text`` keeps the line
structure of the source (extraction reads headings, bullets and paragraphs from it) with page
furniture removed line by line; its ``normalized`` text follows the catalog's rule
(:func:`scoring.text.normalize_text`), and candidate spans point into it.

Every way an input can be unusable raises an :class:`~scoring.errors.InputError` with a stable
code: an empty file, a binary or unsupported file, a PDF without a text layer, a file above the
size limit, text that is not UTF-8. Nothing here writes anything.
"""

from __future__ import annotations

import codecs
import io
import math
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from scoring.errors import Code, InputError, Notice
from scoring.io import short_text
from scoring.text import normalize_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "IngestedDocument",
    "RemovedLine",
    "ingest_bytes",
    "ingest_file",
    "ingest_text",
    "strip_furniture",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".pdf", ".docx")
PASTED = "pasted text"
_SUFFIX_FORMATS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".pdf": "pdf",
    ".docx": "docx",
}
_SUPPORTED_LIST = ", ".join(SUPPORTED_SUFFIXES)


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line taken out as page furniture: where it was, what it said and why it went."""

    line: int  # 1-based, in the text as extracted from the file
    text: str
    reason: str


@dataclass(frozen=True)
class IngestedDocument:
    """A document's text as read, with page furniture removed, ready for extraction."""

    name: str
    source_format: str  # txt, md, pdf, docx or pasted
    text: str
    removed: tuple[RemovedLine, ...] = ()
    notices: tuple[Notice, ...] = ()
    pages: int | None = None

    @cached_property
    def normalized(self) -> str:
        """The text under the catalog's normalisation rule; spans are offsets into it."""
        return normalize_text(self.text)


def ingest_file(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestedDocument:
    """Read the file at ``path``; its size is checked before a byte of it is read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError(path)
        _check_size(size, path.name, max_bytes)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            Code.FILE_MISSING,
            str(path),
            "",
            "a file",
            "nothing at this path",
            "check the path",
            in_file=True,
        ) from None
    except OSError as exc:
        raise InputError(
            Code.FILE_UNREADABLE, str(path), "", "a readable file", str(exc), "", in_file=True
        ) from None
    return ingest_bytes(data, path.name, max_bytes=max_bytes)


def ingest_bytes(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> IngestedDocument:
    """Read an uploaded file's bytes; ``filename`` gives its type and names it in messages."""
    _check_size(len(data), filename, max_bytes)
    if not data.strip():
        raise InputError(
            Code.EMPTY_DOCUMENT,
            filename,
            "text",
            "a document with text",
            "an empty file" if not data else "only whitespace",
            "choose the file that holds the document",
            in_file=True,
        )
    source_format = _detect_format(data, filename)
    pages: int | None = None
    notices: tuple[Notice, ...] = ()
    if source_format == "pdf":
        text, pages, notices = _pdf_text(data, filename)
    elif source_format == "docx":
        text = _docx_text(data, filename)
    else:
        text = _decode(data, filename)
        if source_format == "md":
            text = _markdown_to_text(text)
    return _finish(filename, source_format, text, pages, notices)


def ingest_text(
    text: str, name: str = PASTED, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> IngestedDocument:
    """Take pasted text as it is (it is already decoded); the size limit still applies."""
    _check_size(len(text.encode("utf-8", errors="replace")), name, max_bytes)
    if not text.strip():
        raise InputError(
            Code.EMPTY_DOCUMENT,
            name,
            "text",
            "a document with text",
            "nothing" if not text else "only whitespace",
            "paste the document's text",
            in_file=True,
        )
    return _finish(name, "pasted", text.replace("\r\n", "\n"), None, ())


def _finish(
    name: str, source_format: str, text: str, pages: int | None, notices: tuple[Notice, ...]
) -> IngestedDocument:
    if not text.strip():
        raise InputError(
            Code.EMPTY_DOCUMENT,
            name,
            "text",
            "a document with text",
            "a file with no text in it",
            "check that the file holds the document's text",
            in_file=True,
        )
    kept, removed = strip_furniture(text, repeated_lines=source_format == "pdf")
    if not kept.strip():
        raise InputError(
            Code.EMPTY_DOCUMENT,
            name,
            "text",
            "body text",
            f"only page furniture ({', '.join(sorted({r.reason for r in removed}))})",
            "upload the document itself, not a page of links or appeals",
            in_file=True,
        )
    return IngestedDocument(name, source_format, kept, removed, notices, pages)


def _check_size(size: int, name: str, max_bytes: int) -> None:
    if size > max_bytes:
        raise InputError(
            Code.FILE_TOO_LARGE,
            name,
            "size",
            f"at most {_megabytes(max_bytes)}",
            _megabytes(size),
            "split the document, or raise the limit (--max-size-mb in the CLI, "
            "$RECSCORE_MAX_DOCUMENT_MB for the app)",
            in_file=True,
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 100 * 1024 else f"{size} bytes"


# --- format detection -------------------------------------------------------------------------

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


# --- text -------------------------------------------------------------------------------------

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


# --- PDF and DOCX -----------------------------------------------------------------------------


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


# --- page furniture ---------------------------------------------------------------------------

_NAVIGATION = {
    "skip to main content",
    "skip to content",
    "skip to navigation",
    "skip navigation",
    "main menu",
    "menu",
    "toggle navigation",
    "search",
    "home",
    "back to top",
    "share",
    "share this",
    "share this page",
    "print",
    "print this page",
    "email",
    "tweet",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "sign in",
    "log in",
    "login",
    "subscribe",
    "sign up",
    "newsletter",
    "connect with us",
    "follow us",
    "contact us",
    "related",
    "related content",
    "related articles",
    "read more",
    "see more",
    "previous",
    "next",
}
_NAV_PREFIX = re.compile(r"^(skip to|jump to|go to)\b", re.IGNORECASE)
_NAV_SEPARATORS = re.compile(r"\s+[|·•»›]\s+")
_DONATION_CUE = re.compile(
    r"\b(donat(e|es|ed|ing|ion|ions)|tax[- ]deductible|support us|support our work|give (now|today)"
    r"|make a (gift|donation)|in-kind contributions|become a (member|supporter))\b",
    re.IGNORECASE,
)
_APPEAL_VOICE = re.compile(
    r"\b(you|your|us|our|tax[- ]deductible|501\(c\)|welcomes)\b", re.IGNORECASE
)
_CREDIT_AGENCIES = (
    r"AFP|Getty(?: Images)?|Reuters|AP|Associated Press|Xinhua|EPA|Bloomberg|Shutterstock"
    r"|Imaginechina|Corbis|Alamy|NurPhoto|Sipa|Kyodo|Yonhap|VCG|Zuma|Anadolu|Pool"
)
_CAPTION_CREDIT = re.compile(
    rf"^(?:(?:photo|image|picture|photograph)(?: credit)?\s*(?::|by)\s*.{{1,80}}"
    rf"|.{{0,60}}[—–/-]\s*(?:{_CREDIT_AGENCIES})\b.{{0,40}}"
    rf"|\(?(?:{_CREDIT_AGENCIES})(?:\s*/\s*[\w .]+)?\)?)$",
    re.IGNORECASE,
)
_LEGAL_FOOTER = re.compile(
    r"^(©|copyright\b|all rights reserved|privacy policy|terms of (use|service)"
    r"|cookie (policy|settings)|we use cookies)",
    re.IGNORECASE,
)
_TAXONOMY_FOOTER = re.compile(
    r"^(tags|topics?|filed under|categories|keywords|related topics?)\s*:?(\s|$)", re.IGNORECASE
)
_PAGE_NUMBER = re.compile(
    r"^(page\s+)?\d{1,4}(\s+(of|/)\s+\d{1,4})?$|^[-–]\s*\d{1,4}\s*[-–]$", re.I
)
_TERMINAL = re.compile(r"[.!?:;,][\"'”’)\]]*\d*$")


def strip_furniture(
    text: str, *, repeated_lines: bool = False
) -> tuple[str, tuple[RemovedLine, ...]]:
    """Remove whole lines that are page furniture; return the kept text and what went.

    Only whole, short lines are removed, so body text is never cut: navigation links ("Skip to
    main content"), donation appeals, photo credits ("Name—AFP/Getty Images"), breadcrumb and
    taxonomy footers ("Region / Country"), copyright lines and bare page numbers. With
    ``repeated_lines`` (PDFs), a short line repeated on three or more pages is a running head.
    """
    lines = text.split("\n")
    repeated = _repeated_short_lines(lines) if repeated_lines else set()
    kept: list[str] = []
    removed: list[RemovedLine] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        reason = _furniture_reason(stripped) if stripped else None
        if reason is None and stripped in repeated:
            reason = "running header or footer"
        if reason is None:
            kept.append(line)
        else:
            removed.append(RemovedLine(number, stripped, reason))
            kept.append("")
    return "\n".join(kept), tuple(removed)


def _furniture_reason(line: str) -> str | None:
    words = len(line.split())
    bare = line.strip(" \t»›>|").rstrip(".").lower()
    rules: tuple[tuple[int, Callable[[], bool], str], ...] = (
        (6, lambda: bare in _NAVIGATION or bool(_NAV_PREFIX.match(bare)), "navigation"),
        (40, lambda: _is_nav_bar(line), "navigation"),
        (
            80,
            lambda: bool(_DONATION_CUE.search(line) and _APPEAL_VOICE.search(line)),
            "donation appeal",
        ),
        (14, lambda: bool(_CAPTION_CREDIT.match(line)), "caption credit"),
        (30, lambda: bool(_LEGAL_FOOTER.match(line)), "footer"),
        (12, lambda: bool(_TAXONOMY_FOOTER.match(line)), "footer"),
        (8, lambda: _is_breadcrumb(line), "footer"),
        (4, lambda: bool(_PAGE_NUMBER.match(line)), "page number"),
    )
    for max_words, test, reason in rules:
        if words <= max_words and test():
            return reason
    return None


def _is_nav_bar(line: str) -> bool:
    """ "Home | About | Contact": three or more short links in a row."""
    parts = _NAV_SEPARATORS.split(line)
    return len(parts) >= 3 and all(0 < len(part.split()) <= 3 for part in parts)


def _is_breadcrumb(line: str) -> bool:
    """ "Region / Country", "News > Asia": short capitalised labels joined by / or >."""
    parts = re.split(r"\s+[/>]\s+", line)
    return (
        len(parts) >= 2
        and not _TERMINAL.search(line)
        and all(part[:1].isupper() and len(part.split()) <= 3 for part in parts)
    )


def _repeated_short_lines(lines: list[str]) -> set[str]:
    counts = Counter(line.strip() for line in lines if 0 < len(line.split()) <= 12)
    return {
        line
        for line, count in counts.items()
        if count >= 3 and any(c.isalpha() for c in line) and not line.isupper()
    }
