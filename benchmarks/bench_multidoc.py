"""Many documents as one folder: time to ingest the shared corpus, merges proposed.

Copies ``../shared/corpus/docs/*.txt`` without their two corpus header lines (SOURCE and the
BEGIN marker, which are corpus scaffolding, not the documents) into a temporary folder, runs
``recscore ingest <folder>`` into a temporary workspace, and prints the wall time beside a
reference measured in the same run (extracting the same texts alone), the number of merges
proposed at scoring.intake.duplicates_across.MERGE_THRESHOLD and a few examples; the same for
the seeds' texts and for corpus + seeds, with the nearest cross-document pairs to judge the
threshold by.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from pathlib import Path

from scoring.cli import main
from scoring.intake.batch import Batch, proposed, start_batch
from scoring.intake.duplicates_across import MERGE_THRESHOLD, Passage, similarity_matrix
from scoring.intake.extraction import extract_candidates
from scoring.intake.ingest import ingest_file
from scoring.intake.review import Review
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
        print_nearest(batch)
    seeds = [ingest_file(p) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for label, docs in (("seeds", seeds), ("corpus + seeds", documents + seeds)):
        batch = start_batch(docs, catalog)
        own = sum(len({p.document.split(":", 1)[-1] for p in m.members}) == 1 for m in batch.known)
        print(
            f"{label}: {sum(len(r.drafts) for r in batch.reviews)} candidates; threshold "
            f"{MERGE_THRESHOLD}: {len(batch.merges)} merge(s) across documents, "
            f"{len(batch.known)} match(es) with the catalog ({own} with the curated record of "
            "the same document, i.e. a seed re-read)"
        )
        print_nearest(batch)


def print_nearest(batch: Batch, count: int = 3) -> None:
    """The most similar pairs of candidates from different documents, to judge the threshold."""
    passages = [(p.document, p.text) for r in batch.reviews for p in _passages(r)]
    sims = similarity_matrix([text for _, text in passages])
    pairs = sorted(
        (
            (float(sims[i, j]), i, j)
            for i in range(len(passages))
            for j in range(i + 1, len(passages))
            if passages[i][0] != passages[j][0]
        ),
        reverse=True,
    )[:count]
    for similarity, i, j in pairs:
        print(f"  nearest pair {similarity:.2f}: {passages[i][1][:70]} | {passages[j][1][:70]}")


def _passages(review: Review) -> list[Passage]:
    return [Passage(d.key, review.document.name, d.quote) for d in review.drafts]


if __name__ == "__main__":
    run()
