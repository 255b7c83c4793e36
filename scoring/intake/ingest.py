"""Bring your own documents: file bytes or pasted text in, clean text out.

Each format is read in :mod:`scoring.intake.formats` (with the limits on expanded size) and
page furniture is removed in :mod:`scoring.intake.furniture`; this module is the entry point.

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

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from scoring.errors import Code, InputError, Notice
from scoring.intake.formats import (
    SUPPORTED_SUFFIXES,
    _decode,
    _detect_format,
    _docx_text,
    _markdown_to_text,
    _megabytes,
    _pdf_text,
)
from scoring.intake.furniture import RemovedLine, strip_furniture
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
PASTED = "pasted text"


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
