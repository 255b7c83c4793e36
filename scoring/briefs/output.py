"""Bytes per format, and files written whole or not at all.

:func:`render_brief` is what fronts call: the app offers its bytes as downloads, the CLI
hands them to :func:`write_atomically`, which writes a temporary file in the target's
folder and moves it into place with ``os.replace``, so a reader never sees half a brief
and a failed write leaves no file behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from scoring.briefs.content import FORMATS, Brief, BriefSpec, Overrides, build_brief
from scoring.errors import Code, InputError
from scoring.io import write_bytes_atomically
from scoring.model import Catalog, WeightProfile
from scoring.option_sets import Interactions, OptionSet

__all__ = [
    "MEDIA_TYPES",
    "SUFFIXES",
    "brief_files",
    "render_brief",
    "render_briefs",
    "write_atomically",
]

SUFFIXES = {fmt: f".{fmt}" for fmt in FORMATS}
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _renderer(fmt: str) -> Callable[[Brief], bytes]:
    # Imported on demand: each format's library (python-docx, ReportLab, openpyxl) loads
    # only when that format is asked for.
    if fmt == "md":
        from scoring.briefs.render_markdown import render_markdown

        return render_markdown
    if fmt == "html":
        from scoring.briefs.render_html import render_html

        return render_html
    if fmt == "docx":
        from scoring.briefs.render_docx import render_docx

        return render_docx
    if fmt == "pdf":
        from scoring.briefs.render_pdf import render_pdf

        return render_pdf
    if fmt == "csv":
        from scoring.briefs.render_tables import render_csv

        return render_csv
    if fmt == "xlsx":
        from scoring.briefs.render_tables import render_xlsx

        return render_xlsx
    raise InputError(
        Code.BAD_VALUE, "brief", "format", f"one of {list(FORMATS)}", repr(fmt), "pick a format"
    )


def render_brief(brief: Brief, fmt: str) -> bytes:
    """The brief in one format (md, html, docx, pdf, csv or xlsx) as bytes."""
    return _renderer(fmt)(brief)


def render_briefs(brief: Brief, formats: Iterable[str] | None = None) -> dict[str, bytes]:
    """The brief in each format asked for (default: the spec's formats), as bytes."""
    chosen = tuple(formats) if formats is not None else brief.spec.formats
    renderers = {fmt: _renderer(fmt) for fmt in chosen}  # fail on a bad format before rendering
    return {fmt: render(brief) for fmt, render in renderers.items()}


def brief_files(
    catalog: Catalog,
    spec: BriefSpec,
    *,
    profiles: Mapping[str, WeightProfile] | None = None,
    overrides: Overrides | None = None,
    interactions: Interactions | None = None,
    sets: Sequence[OptionSet] = (),
    generated: datetime | None = None,
) -> dict[str, bytes]:
    """One call for fronts: build the brief once and render it in each of ``spec.formats``.

    Arguments are those of :func:`~scoring.briefs.content.build_brief`; the dashboard passes
    its session's profiles, score edits, interactions and saved sets.
    """
    brief = build_brief(
        catalog,
        spec,
        profiles=profiles,
        overrides=overrides,
        interactions=interactions,
        sets=sets,
        generated=generated,
    )
    return render_briefs(brief)


def write_atomically(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole: temporary file in the same folder, then rename.

    Raises InputError (OUTPUT_UNWRITABLE) naming the path when the folder is missing or
    not writable, or the path is a folder; nothing is left behind on failure.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")

    def unwritable(found: str, hint: str) -> InputError:
        return InputError(
            Code.OUTPUT_UNWRITABLE,
            str(path),
            "",
            "a file path that can be written",
            found,
            hint,
            in_file=True,
        )

    if path.is_dir():
        raise unwritable("a folder", "name a file inside the folder, e.g. brief.pdf")
    if not folder.is_dir():
        raise unwritable(f"no folder {folder}", "create the folder first or pick another path")
    try:
        write_bytes_atomically(path, data)
    except OSError as exc:
        raise unwritable(exc.strerror or str(exc), "pick a path you can write to") from None
    return path
