"""A brief cites every source of an option merged from several documents."""

from __future__ import annotations

from pathlib import Path

from scoring.briefs import BriefSpec, build_brief
from scoring.briefs.citations import recommendation_citation
from scoring.intake import accept_all, load_with_documents
from scoring.intake.batch import Batch, proposed, store_batch
from scoring.intake.ingest import ingest_text
from scoring.intake.review import DocumentInfo, start_review
from scoring.workspace import Workspace

from conftest import front_catalog

FIRST = (
    "Donors should fund independent legal aid clinics for lawyers.\n\n"
    "The United States must restore academic dialogue with Chinese universities.\n"
)
SECOND = "Congress should fund independent legal aid clinics for lawyers.\n"


def test_a_merged_option_cites_each_document_in_its_card_and_in_the_sources(
    tmp_path: Path,
) -> None:
    bundled = front_catalog()
    workspace = Workspace(tmp_path / "ws")
    reviews = tuple(
        accept_all(
            start_review(ingest_text(text, name=name), bundled, DocumentInfo.of(t, None, None))
        )
        for text, name, t in (
            (FIRST, "first.txt", "First paper"),
            (SECOND, "second.txt", "Second paper"),
        )
    )
    batch = proposed(reviews, bundled)
    [merge] = batch.merges
    store_batch(workspace, bundled, Batch(batch.reviews, batch.merges, {0: "accepted"}))
    catalog, _ = load_with_documents(workspace, bundled)
    [merged] = [rec for rec in catalog.recommendations if rec.sources]

    documents = {d.name: d for d in catalog.documents}
    citation = recommendation_citation(documents, merged)
    assert citation.startswith("Second paper, para. 1 of 1; also First paper, para. 1 of 2")

    brief = build_brief(catalog, BriefSpec(robustness=False, top=200, decision_maker="all"))
    [card] = [c for c in brief.cards if c.id == merged.id]
    assert card.citation == citation
    quoted = {
        (entry.label, quote.quote)
        for entry in brief.sources
        for quote in entry.quotes
        if quote.id == merged.id
    }
    assert {q for _, q in quoted} == {p.text for p in merge.members}
    assert len({label for label, _ in quoted}) == 2
    assert all(
        quote.place for entry in brief.sources for quote in entry.quotes if quote.id == merged.id
    )
