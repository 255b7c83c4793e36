"""``extract`` and ``ingest``: candidate recommendations in a user's document."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from pathlib import Path

import pandas as pd

from scoring.cli import CommandParsers
from scoring.cli.common import (
    table_text,
    warn,
)
from scoring.intake import (
    DocumentInfo,
    accept_all,
    load_with_documents,
    max_document_bytes,
    start_review,
    store_document,
)
from scoring.intake.extraction import DEFAULT_MIN_CONFIDENCE, extract_candidates, no_advice_notice
from scoring.intake.ingest import DEFAULT_MAX_BYTES, IngestedDocument, ingest_file, ingest_text
from scoring.model import Catalog
from scoring.workspace import (
    Workspace,
)


def add_commands(commands: CommandParsers) -> None:
    """The group's commands, each with its options and handler."""
    _add_extract_command(commands)
    _add_ingest_command(commands)


def _add_extract_command(commands: CommandParsers) -> None:
    extract = commands.add_parser(
        "extract",
        description="Read a document, strip page furniture and list the passages that give "
        "advice, each with its span in the normalised text, form, actor, instrument and "
        "confidence. Nothing is written.",
    )
    extract.add_argument("file", type=Path, metavar="FILE", help="the document, or - for stdin")
    extract.add_argument("--format", choices=("table", "json"), default="table")
    extract.add_argument(
        "--min-confidence",
        type=_unit_interval,
        default=DEFAULT_MIN_CONFIDENCE,
        metavar="X",
        help=f"leave out candidates below X, 0-1 (default {DEFAULT_MIN_CONFIDENCE})",
    )
    extract.add_argument(
        "--max-size-mb",
        type=_megabytes,
        default=DEFAULT_MAX_BYTES / 2**20,
        metavar="MB",
        help=f"refuse larger files (default {DEFAULT_MAX_BYTES // 2**20})",
    )
    extract.set_defaults(handler=_extract)


def _megabytes(text: str) -> float:
    """A size limit in MB: a finite number above 0 (nan, inf and negatives are refused)."""
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and 0 < number <= 100_000):
        raise argparse.ArgumentTypeError(
            f"expected a size in MB above 0 and at most 100000, e.g. 20; got {text!r}"
        )
    return number


def _unit_interval(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return number


def _extract(catalog: Catalog, args: argparse.Namespace) -> str:
    max_bytes = int(args.max_size_mb * 2**20)
    document = _read_document(args.file, max_bytes)
    extraction = extract_candidates(
        document.text, catalog.instruments, min_confidence=args.min_confidence
    )
    # No advice is a valid result (a news story, a fact sheet): an empty list and a notice.
    notices = [*document.notices, *filter(None, [no_advice_notice(extraction, document.name)])]
    if args.format == "json":
        record = {
            "document": {
                "name": document.name,
                "format": document.source_format,
                "pages": document.pages,
                "characters": len(extraction.normalized),
            },
            "furniture_removed": [
                {"line": r.line, "text": r.text, "reason": r.reason} for r in document.removed
            ],
            "notices": [{"code": n.code.value, "message": n.message} for n in notices],
            "min_confidence": extraction.min_confidence,
            "candidates": [c.record() for c in extraction.candidates],
        }
        return json.dumps(record, indent=2, ensure_ascii=False)
    shown = pd.DataFrame(
        {
            "#": range(1, len(extraction.candidates) + 1),
            "span": [f"{c.start}-{c.end}" for c in extraction.candidates],
            "conf": [f"{c.confidence:.2f}" for c in extraction.candidates],
            "form": [c.form for c in extraction.candidates],
            "actor": [c.actor for c in extraction.candidates],
            "addressee": [c.addressee for c in extraction.candidates],
            "instrument": [c.instrument for c in extraction.candidates],
            "text": [
                c.text if len(c.text) <= 90 else c.text[:87] + "..." for c in extraction.candidates
            ],
        }
    )
    removed = f"; {len(document.removed)} furniture line(s) removed" if document.removed else ""
    header = (
        f"{document.name}: {len(extraction.candidates)} candidate recommendation(s), "
        f"confidence >= {extraction.min_confidence:.2f}{removed}"
    )
    note = "span: characters in the normalised text; --format json gives every field"
    if not extraction.candidates:
        return "\n".join([header, *(f"notice: {n.message}" for n in notices)])
    return "\n".join([header, note, "", table_text(shown)])


def _add_ingest_command(commands: CommandParsers) -> None:
    ingest = commands.add_parser(
        "ingest",
        description="Read a document (txt, md, pdf, docx; - for stdin), extract its candidate "
        "recommendations and store it in the workspace's documents/ folder, every candidate "
        "with an identified instrument accepted, with suggested scores marked as such. "
        "`rank` and `recommendations` then include them; review them in the app's Documents "
        "page or edit the stored YAML.",
    )
    ingest.add_argument("file", type=Path, metavar="FILE", help="the document, or - for stdin")
    ingest.add_argument("--title", help="the document's title (default: unknown)")
    ingest.add_argument("--author", help="its author (default: unknown)")
    ingest.add_argument("--date", help="its date, as written (default: unknown)")
    ingest.add_argument(
        "--min-confidence",
        type=_unit_interval,
        default=DEFAULT_MIN_CONFIDENCE,
        metavar="X",
        help=f"accept only candidates at or above X, 0-1 (default {DEFAULT_MIN_CONFIDENCE})",
    )
    ingest.add_argument(
        "--max-size-mb",
        type=_megabytes,
        metavar="MB",
        help="refuse larger files (default $RECSCORE_MAX_DOCUMENT_MB, else 20)",
    )
    ingest.add_argument(
        "--replace", action="store_true", help="replace the document if it is already stored"
    )
    ingest.set_defaults(handler=_ingest)


def _read_document(file: Path, max_bytes: int) -> IngestedDocument:
    """The document at ``file``, or stdin for ``-``; its notices are printed as warnings."""
    if str(file) == "-":
        document = ingest_text(sys.stdin.read(), max_bytes=max_bytes)
    else:
        document = ingest_file(file, max_bytes=max_bytes)
    warn(document.notices)
    return document


def _ingest(catalog: Catalog, args: argparse.Namespace) -> str:
    max_bytes = max_document_bytes() if args.max_size_mb is None else int(args.max_size_mb * 2**20)
    document = _read_document(args.file, max_bytes)
    workspace = Workspace.locate(args.workspace)
    catalog, _ = load_with_documents(workspace, catalog)
    info = DocumentInfo.of(args.title, args.author, args.date)
    review = accept_all(start_review(document, catalog, info, min_confidence=args.min_confidence))
    warn(
        f"left out (no instrument identified; add it in the app): {d.quote[:100]}"
        for d in review.drafts
        if d.instrument not in catalog.instruments
    )
    placed = tuple(d for d in review.drafts if d.instrument in catalog.instruments)
    review = dataclasses.replace(review, drafts=placed)
    stored = store_document(workspace, catalog, review, replace_existing=args.replace)
    shown = pd.DataFrame(
        {
            "id": [rec.id for rec in stored.recommendations],
            "instrument": [rec.instrument for rec in stored.recommendations],
            "actor": [rec.actor for rec in stored.recommendations],
            "title": [rec.title for rec in stored.recommendations],
        }
    )
    where = (workspace.documents_dir / stored.document.name).as_posix()
    header = (
        f"{'replaced' if stored.replaced else 'stored'} {where}: "
        f"{len(stored.recommendations)} recommendation(s) accepted, "
        f"{stored.suggested_cells} score(s) suggested from curated medians (marked "
        "'Suggested' in their rationale; review them in the app or edit the YAML)"
    )
    return "\n".join([header, "", table_text(shown)])
