"""Many documents as one folder: time to ingest the shared corpus, merges proposed.

Copies ``../shared/corpus/docs/*.txt`` without their two corpus header lines (SOURCE and the
BEGIN marker, which are corpus scaffolding, not the documents) into a temporary folder, runs
``recscore ingest <folder>`` into a temporary workspace, and prints the wall time beside a
reference measured in the same run (extracting the same texts alone), the number of merges
proposed at scoring.intake.duplicates_across.MERGE_THRESHOLD and a few examples.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from pathlib import Path

from scoring.cli import main
from scoring.intake.batch import proposed, start_batch
from scoring.intake.duplicates_across import MERGE_THRESHOLD
from scoring.intake.extraction import extract_candidates
from scoring.intake.ingest import ingest_file
from scoring.loading import load_catalog

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "docs"


def run() -> None:
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return
    catalog = load_catalog(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for path in sorted(CORPUS.glob("*.txt")):
            lines = path.read_text(encoding="utf-8").split("\n")
            (folder / path.name).write_text("\n".join(lines[2:]), encoding="utf-8")
        started = time.perf_counter()
        for path in sorted(folder.iterdir()):
            extract_candidates(ingest_file(path).text, catalog.instruments)
        reference = time.perf_counter() - started
        out, err = io.StringIO(), io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(["--root", str(ROOT), "--workspace", f"{tmp}/ws", "ingest", str(folder)])
        elapsed = time.perf_counter() - started
        print(
            f"recscore ingest <folder of {len(list(folder.iterdir()))}>: exit {status}, "
            f"{elapsed:.1f} s (reference, extraction alone: {reference:.1f} s; limit 60 s)"
        )
        documents = [ingest_file(p) for p in sorted(folder.iterdir())]
        batch = proposed(start_batch(documents, catalog).reviews, catalog)
        drafts = sum(len(r.drafts) for r in batch.reviews)
        print(
            f"{drafts} candidates; threshold {MERGE_THRESHOLD}: {len(batch.merges)} merge(s) "
            f"across documents, {len(batch.known)} match(es) with the catalog"
        )
        for merge in (*batch.merges, *batch.known)[:5]:
            print(f"  {merge.similarity:.2f}: " + " | ".join(p.text[:80] for p in merge.members))


if __name__ == "__main__":
    run()
