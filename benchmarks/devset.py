"""The extraction development set: the five seeds and ``../shared/corpus``, with gold spans.

Both are read at run time (the corpus texts are third-party and never copied into the repo).
Every document goes through the upload path (``scoring.intake.ingest``), and each gold item is
located in the ingested text's normalised form, the coordinates candidate spans use:

* **seeds**: the catalog's curated quotes (``seeds/*.yaml``), found with ``find_span``;
* **corpus**: ``gold.yaml``'s anchors, exact substrings of the body after collapsing whitespace.

A gold item that cannot be located (its text was lost to furniture stripping) keeps ``span``
None and counts as a miss.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml

from scoring.intake.ingest import IngestedDocument, ingest_bytes, ingest_file
from scoring.loading import load_catalog
from scoring.text import find_span

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BEGIN = "===== BEGIN VERBATIM TEXT ====="


@dataclass(frozen=True)
class GoldItem:
    """One hand-made recommendation: its id, kind and span in the normalised text."""

    id: str
    kind: str  # explicit or implicit
    span: tuple[int, int] | None
    actor: str


@dataclass(frozen=True)
class DevDocument:
    """A development document: which set it belongs to, its ingested text and its gold."""

    collection: str  # "seeds" or "corpus"
    name: str
    document: IngestedDocument
    gold: tuple[GoldItem, ...]

    @property
    def text(self) -> str:
        """The text extraction reads (line structure kept), as the upload path gives it."""
        return self.document.text


def seed_documents(root: Path = ROOT) -> list[DevDocument]:
    """The seeds, each with its catalog recommendations as gold."""
    catalog = load_catalog(root)
    documents = []
    for meta in catalog.documents:
        ingested = ingest_file(root / "seeds" / meta.name)
        gold = tuple(
            GoldItem(rec.id, rec.kind, find_span(ingested.normalized, rec.quote), rec.actor)
            for rec in catalog.recommendations
            if rec.document == meta.name
        )
        documents.append(DevDocument("seeds", meta.name, ingested, gold))
    return documents


def corpus_documents(corpus: Path = CORPUS) -> list[DevDocument]:
    """The corpus documents with their gold anchors; empty when the folder is absent."""
    gold_file = corpus / "gold.yaml"
    if not gold_file.is_file():
        return []
    gold = yaml.safe_load(gold_file.read_text(encoding="utf-8"))
    documents = []
    for name in sorted(gold):
        raw = (corpus / "docs" / name).read_text(encoding="utf-8")
        body = raw.split(BEGIN, 1)[1].lstrip("\n")
        ingested = ingest_bytes(body.encode("utf-8"), name)
        items = tuple(
            GoldItem(
                item["id"],
                item["kind"],
                find_span(ingested.normalized, item["anchor"]),
                str(item.get("actor", "")),
            )
            for item in gold[name] or ()
        )
        documents.append(DevDocument("corpus", name, ingested, items))
    return documents


def development_set(root: Path = ROOT, corpus: Path = CORPUS) -> list[DevDocument]:
    """Seeds then corpus documents."""
    return seed_documents(root) + corpus_documents(corpus)


def data_hash(documents: list[DevDocument]) -> str:
    """SHA-256 over every document's text and gold, in order: the training data's identity."""
    digest = hashlib.sha256()
    for doc in documents:
        digest.update(f"{doc.collection}/{doc.name}\n".encode())
        digest.update(doc.text.encode("utf-8"))
        for item in doc.gold:
            digest.update(f"\n{item.id}|{item.kind}|{item.span}".encode())
        digest.update(b"\n\x00")
    return digest.hexdigest()
