"""``extract`` and ``ingest``: candidate recommendations in a user's document."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from scoring.cli import CommandParsers
from scoring.cli.common import (
    table_text,
    warn,
)
from scoring.errors import Code, InputError
from scoring.intake import (
    DocumentInfo,
    accept_all,
    load_with_documents,
    max_document_bytes,
)
from scoring.intake.batch import decisions_of, merge_summary, proposed, start_batch, store_batch
from scoring.intake.extraction import DEFAULT_MIN_CONFIDENCE, extract_candidates, no_advice_notice
from scoring.intake.ingest import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    IngestedDocument,
    ingest_file,
    ingest_text,
)
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
        document.text, catalog.instruments, min_confidence=args.min_confidence, where=document.name
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
        description="Read documents (txt, md, pdf, docx; a folder means every such file in "
        "it; - for stdin), extract their candidate recommendations and store each in the "
        "workspace's documents/ folder, every candidate with an identified instrument "
        "accepted, with suggested scores marked as such. Near-duplicates across the documents "
        "are listed as proposed merges (one option, several sources); --merge-duplicates "
        "accepts them all, else they stay apart (review them in the app's Documents page). "
        "A document without explicit advice is reported and skipped, not an error.",
    )
    ingest.add_argument(
        "files", type=Path, nargs="+", metavar="FILE", help="documents or folders, or -"
    )
    ingest.add_argument("--title", help="the document's title (one document only)")
    ingest.add_argument("--author", help="its author (one document only)")
    ingest.add_argument("--date", help="its date, as written (one document only)")
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
        "--merge-duplicates",
        action="store_true",
        help="accept every proposed merge of near-duplicates across the documents",
    )
    ingest.add_argument(
        "--replace", action="store_true", help="replace a document if it is already stored"
    )
    ingest.set_defaults(handler=_ingest)


def _document_paths(files: list[Path]) -> list[Path]:
    """The files named, a folder's supported files in name order; a folder with none is an
    error naming it."""
    paths: list[Path] = []
    for file in files:
        if str(file) != "-" and file.is_dir():
            inside = sorted(
                p for p in file.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
            )
            if not inside:
                raise InputError(
                    Code.FILE_MISSING,
                    str(file),
                    "",
                    f"a folder holding documents ({', '.join(SUPPORTED_SUFFIXES)})",
                    "no such file in it",
                    "name the files, or the folder that holds them",
                    in_file=True,
                )
            paths += inside
        else:
            paths.append(file)
    return paths


def _progress(action: str) -> Callable[[int, int, str], None]:
    def report(number: int, total: int, name: str) -> None:
        print(f"recscore: [{number}/{total}] {action} {name}", file=sys.stderr, flush=True)

    return report


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
    paths = _document_paths(args.files)
    given = [name for name in ("title", "author", "date") if getattr(args, name)]
    if given and len(paths) > 1:
        raise InputError(
            Code.BAD_VALUE,
            "command line",
            f"--{given[0]}",
            "one document when a title, author or date is given",
            f"{len(paths)} documents",
            "ingest that document on its own, or leave the option out",
        )
    read = _progress("reading")
    documents = []
    for number, path in enumerate(paths, start=1):
        read(number, len(paths), "stdin" if str(path) == "-" else path.name)
        documents.append(_read_document(path, max_bytes))
    workspace = Workspace.locate(args.workspace)
    catalog, _ = load_with_documents(workspace, catalog)
    info = DocumentInfo.of(args.title, args.author, args.date)
    batch = start_batch(
        documents,
        catalog,
        [info] * len(documents),
        min_confidence=args.min_confidence,
        progress=_progress("extracting"),
    )
    reviews = []
    for review in batch.reviews:
        warn(review.notices)
        warn(
            f"{review.document.name}: left out (no instrument identified; add it in the app): "
            f"{d.quote[:100]}"
            for d in review.drafts
            if d.instrument not in catalog.instruments
        )
        placed = tuple(d for d in review.drafts if d.instrument in catalog.instruments)
        reviews.append(accept_all(dataclasses.replace(review, drafts=placed)))
    batch = proposed(tuple(reviews), catalog)
    batch = decisions_of(batch, "accepted" if args.merge_duplicates else "split")
    stored = store_batch(
        workspace, catalog, batch, replace_existing=args.replace, progress=_progress("storing")
    )
    lines = []
    for item in stored:
        where = (workspace.documents_dir / item.document.name).as_posix()
        lines.append(
            f"{'replaced' if item.replaced else 'stored'} {where}: "
            f"{len(item.recommendations)} recommendation(s) accepted, "
            f"{item.suggested_cells} score(s) suggested from curated medians (marked "
            "'Suggested' in their rationale; review them in the app or edit the YAML)"
        )
    skipped = len(batch.reviews) - len(stored)
    if skipped:
        lines.append(f"{skipped} document(s) without an accepted candidate, not stored")
    merged = sum(batch.decision(i) == "accepted" for i in range(len(batch.merges)))
    lines.append(
        f"{len(batch.merges)} merge(s) of near-duplicates proposed, {merged} accepted"
        + ("" if args.merge_duplicates or not batch.merges else " (--merge-duplicates accepts)")
    )
    lines += merge_summary(batch)
    recommendations = [rec for item in stored for rec in item.recommendations]
    shown = pd.DataFrame(
        {
            "id": [rec.id for rec in recommendations],
            "instrument": [rec.instrument for rec in recommendations],
            "actor": [rec.actor for rec in recommendations],
            "sources": [rec.source_count for rec in recommendations],
            "title": [rec.title for rec in recommendations],
        }
    )
    return "\n".join([*lines, "", table_text(shown)] if recommendations else lines)
