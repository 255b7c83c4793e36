"""The decision memo: two pages before the annexes, provenance, citations, type."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from scoring.briefs import BriefSpec, build_brief
from scoring.briefs.brief_model import Brief
from scoring.briefs.citations import citation_text, passage_place
from scoring.briefs.memo import IMPLEMENTATION_LINES, MEMO_OPTIONS
from scoring.briefs.render_docx import render_docx
from scoring.briefs.render_markdown import render_markdown
from scoring.briefs.render_pdf import render_pdf
from scoring.briefs.scenario import brief_from_scenario, parse_scenario
from scoring.intake.suggestions import SUGGESTION_MARK
from scoring.model import Catalog, Score
from scoring.text import normalize_text

from conftest import front_catalog

LIKELIHOOD = (
    "almost no chance",
    "very unlikely",
    "unlikely",
    "roughly even",
    "likely",
    "very likely",
    "almost certain",
)
GENERATED = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
HEADER = {
    "audience": "The Deputy Secretary",
    "sender": "China Policy Unit",
    "subject": "Which rule-of-law step to take first",
    "date": "4 December 2026",
    "classification": "UNCLASSIFIED // FOR DISCUSSION",
    "decide_by": "11 December 2026",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return front_catalog()


def _pdf_pages_before_annexes(pdf: bytes) -> int:
    from pypdf import PdfReader

    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]
    return next(index for index, text in enumerate(pages) if "Annex A:" in text)


def _two_profiles(catalog: Catalog) -> tuple[str, str]:
    first, second = list(catalog.profiles)[:2]
    return first, second


# --- ranks and ties --------------------------------------------------------------------------


def test_memo_ranks_are_the_rankings_competition_ranks(catalog: Catalog) -> None:
    from scoring.methods import rank_by

    brief = build_brief(catalog, BriefSpec(robustness=False))
    ranking = rank_by(catalog, dict(brief.profile.raw_weights), brief.spec.method_spec)
    ranks = dict(zip(ranking.ids.tolist(), ranking.competition_ranks.tolist(), strict=True))
    sizes = dict(zip(ranking.ids.tolist(), ranking.tie_sizes.tolist(), strict=True))
    for option in brief.memo.options:
        expected = f"{ranks[option.id]}" + ("=" if sizes[option.id] > 1 else "")
        assert option.rank == expected


def test_a_tie_for_first_recommends_no_one(catalog: Catalog) -> None:
    # Every score equal: everything ties for first.
    flat = Score(value=3, low=3, high=3, rationale="flat")
    recs = tuple(
        rec.model_copy(update={"scores": dict.fromkeys(rec.scores, flat)})
        for rec in catalog.recommendations
    )
    tied = replace(catalog, recommendations=recs)
    brief = build_brief(tied, BriefSpec(robustness=False), generated=GENERATED)
    text = render_markdown(brief).decode()
    bottom = text[text.index("## Bottom line") : text.index("## Options for decision")]
    assert "No single option stands out" in bottom
    assert "Recommend" not in bottom
    assert all(option.rank == "1=" for option in brief.memo.options)


def test_a_tie_for_second_is_named_as_a_tie_not_by_one_member(catalog: Catalog) -> None:
    from scoring.briefs.brief_model import plain

    def flat(value: int) -> Score:
        return Score(value=value, low=value, high=value, rationale=f"flat {value}")

    values = {0: 5, 1: 4, 2: 4, 3: 4}
    recs = tuple(
        rec.model_copy(update={"scores": dict.fromkeys(rec.scores, flat(values.get(i, 2)))})
        for i, rec in enumerate(catalog.recommendations)
    )
    brief = build_brief(
        replace(catalog, recommendations=recs), BriefSpec(robustness=False), generated=GENERATED
    )
    line = next(plain(text) for text in brief.bottom_line if plain(text).startswith("Runner"))
    assert line.startswith("Runners-up: 3 options tie at")
    for rec in recs[1:4]:
        assert rec.title in line
    assert "alphabetical" in line


def test_a_first_place_the_robustness_check_does_not_bear_out_is_not_recommended(
    catalog: Catalog,
) -> None:
    from scoring.briefs.brief_model import plain
    from scoring.briefs.sections import FIRM_FIRST

    brief = build_brief(catalog, BriefSpec(), generated=GENERATED)
    assert brief.robustness is not None
    share = brief.robustness.share_of(brief.ranking[0].id)
    assert share is not None
    opening = plain(brief.bottom_line[0])
    if share[0] < FIRM_FIRST:
        assert opening.startswith("Leads, not firmly:")
        assert "the top of the ranking is not settled" in opening
    else:
        assert opening.startswith("Recommend ")


# --- the memo --------------------------------------------------------------------------------


def test_the_memo_puts_up_to_three_options_and_the_status_quo(catalog: Catalog) -> None:
    brief = build_brief(catalog, BriefSpec(**HEADER), generated=GENERATED)
    options = brief.memo.options
    assert len(options) == MEMO_OPTIONS + 1
    assert [o.baseline for o in options] == [False] * MEMO_OPTIONS + [True]
    assert options[-1].id == catalog.baseline.id
    assert len(brief.bottom_line) <= 4
    for option in options:
        labels = [line[0].text for line in option.lines]
        assert labels[:6] == [
            "Score: ",
            "Rank: ",
            "Biggest trade-off: ",
            "Robustness: ",
            "Perspectives: ",
            "Provenance: ",
        ]
        robustness = "".join(run.text for run in option.lines[3])
        assert re.search(rf"\(({'|'.join(LIKELIHOOD)})\)", robustness), robustness
    for option in options[:-1]:
        assert [label for label, _ in option.implementation] == list(IMPLEMENTATION_LINES)
        assert {value for _, value in option.implementation} == {"________"}
    text = render_markdown(brief).decode()
    memo = text[: text.index("Annex A:")]
    for value in HEADER.values():
        assert value in memo
    assert memo.count("Approve") == len(options)
    assert "Weights and scores:" in memo


def test_provenance_says_who_voiced_it_to_whom_and_how_its_scores_stand(
    catalog: Catalog,
) -> None:
    first = build_brief(catalog, BriefSpec(robustness=False)).ranking[0].id
    rec = catalog.recommendation(first)
    criterion = catalog.criterion_ids[0]
    kept = rec.scores[criterion]  # the same value, so the option stays in the memo
    overrides = {(first, criterion): kept.model_copy(update={"rationale": "user"})}
    # A suggested score on another criterion of the same option.
    other = catalog.criterion_ids[1]
    old = rec.scores[other]
    suggested = old.model_copy(update={"rationale": f"{SUGGESTION_MARK}: median of peers"})
    changed = rec.model_copy(update={"scores": {**rec.scores, other: suggested}})
    recs = tuple(changed if r.id == first else r for r in catalog.recommendations)
    edited = replace(catalog, recommendations=recs)
    brief = build_brief(edited, BriefSpec(robustness=False), overrides=overrides)
    option = next(o for o in brief.memo.options if o.id == first)
    provenance = "".join(run.text for run in option.lines[5])
    assert "voiced by" in provenance
    assert "addressed to" in provenance
    assert rec.kind in provenance
    assert f"edited in the workspace on {criterion}" in provenance
    assert f"suggested, not yet reviewed, on {other}" in provenance
    assert "reviewed on the other" in provenance


def test_overtaken_items_carry_their_note_in_the_memo(catalog: Catalog) -> None:
    brief = build_brief(catalog, BriefSpec(robustness=False))
    first = brief.memo.options[0].id
    recs = tuple(
        r.model_copy(update={"overtaken": "Superseded by the 2025 agreement."})
        if r.id == first
        else r
        for r in catalog.recommendations
    )
    brief = build_brief(replace(catalog, recommendations=recs), BriefSpec(robustness=False))
    memo = render_markdown(brief).decode().split("Annex A:")[0]
    assert "Superseded by the 2025 agreement." in memo


def test_the_memo_header_survives_the_scenario_round_trip(catalog: Catalog) -> None:
    spec = BriefSpec(**HEADER, paper="a4")
    brief = build_brief(catalog, spec, generated=GENERATED)
    scenario = parse_scenario(yaml.safe_load(brief.record.scenario_yaml))
    assert scenario.spec == replace(spec, profiles=(catalog.default_profile,))
    rebuilt = brief_from_scenario(catalog, scenario)
    assert rebuilt.memo.header == brief.memo.header


# --- citations -------------------------------------------------------------------------------


def test_every_paragraph_citation_lands_on_the_paragraph_holding_the_quote(
    catalog: Catalog,
) -> None:
    documents = {doc.name: doc for doc in catalog.documents}
    checked = 0
    for rec in catalog.recommendations:
        document = documents.get(rec.document)
        if document is None or rec.span is None:
            continue
        place = passage_place(document, rec.span)
        assert place is not None
        blocks = re.split(r"\n\s*\n", document.text) if "\n\n" in document.text else None
        paragraphs = [b for b in blocks if b.strip()] if blocks else document.text.splitlines()
        paragraphs = [p for p in paragraphs if p.strip()]
        assert place.paragraphs == len(paragraphs)
        assert normalize_text(rec.quote).strip()[:40] in normalize_text(
            paragraphs[place.paragraph - 1]
        ), rec.id
        checked += 1
    assert checked > 20


def test_citations_name_the_document_and_paragraph_not_files_or_offsets(
    catalog: Catalog,
) -> None:
    brief = build_brief(catalog, BriefSpec(robustness=False))
    text = render_markdown(brief).decode()
    assert "characters " not in text
    for card in brief.cards:
        assert re.search(r"para\. \d+ of \d+", card.citation)
        assert not re.search(r"\d{3}_[0-9a-f]{16}", card.citation)
    rec = catalog.recommendation(brief.cards[0].id)
    document = next(d for d in catalog.documents if d.name == rec.document)
    meta = document.meta
    title = meta.title if meta.title != "unknown" else meta.label
    assert citation_text(document, rec.span).startswith(title)


@pytest.mark.parametrize("profiles", [(), "two"])
def test_the_sources_annex_covers_every_option_named_in_the_brief(
    catalog: Catalog, profiles: object
) -> None:
    chosen = _two_profiles(catalog) if profiles == "two" else ()
    brief = build_brief(catalog, BriefSpec(profiles=chosen, top=5))
    text = render_markdown(brief).decode()
    annex = text.index(brief.annex("sources"))
    sourced = {quote.id for entry in brief.sources for quote in entry.quotes}
    named = {
        rec.id for rec in catalog.recommendations if not rec.baseline and rec.title in text[:annex]
    }
    assert named
    assert named <= sourced
    for rec_id in named:
        assert f"({rec_id})" in text[annex:]


# --- type, metadata, any --top ---------------------------------------------------------------


def test_chinese_characters_in_a_quote_are_drawn_in_the_pdf(catalog: Catalog) -> None:
    from pypdf import PdfReader

    first = build_brief(catalog, BriefSpec(robustness=False)).ranking[0].id
    quote = "Both sides should respect 法治 (the rule of law) and 人权."
    recs = tuple(
        r.model_copy(update={"quote": quote}) if r.id == first else r
        for r in catalog.recommendations
    )
    brief = build_brief(replace(catalog, recommendations=recs), BriefSpec(robustness=False))
    reader = PdfReader(io.BytesIO(render_pdf(brief)))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "法治" in text
    assert "人权" in text
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("WenQuanYi" in name or "RecscoreCJK" in name for name in fonts), fonts


def test_docx_core_properties_come_from_the_header(catalog: Catalog) -> None:
    import docx

    brief = build_brief(catalog, BriefSpec(**HEADER, robustness=False), generated=GENERATED)
    properties = docx.Document(io.BytesIO(render_docx(brief))).core_properties
    assert properties.title == HEADER["subject"]
    assert properties.author == HEADER["sender"]
    assert properties.created == GENERATED


@pytest.mark.parametrize("top", [60, 1000])
def test_any_top_renders_every_format(catalog: Catalog, top: int) -> None:
    brief = build_brief(catalog, BriefSpec(top=top, robustness=False))
    assert len(brief.cards) == min(top, brief.count)
    assert render_pdf(brief).startswith(b"%PDF")
    assert render_docx(brief)[:2] == b"PK"


# --- two pages before the annexes ------------------------------------------------------------


def _memo_specs(catalog: Catalog) -> list[tuple[str, BriefSpec]]:
    return [
        (f"{name}-{paper}", BriefSpec(profiles=profiles, paper=paper, **HEADER))
        for name, profiles in (("default", ()), ("two-profiles", _two_profiles(catalog)))
        for paper in ("letter", "a4")
    ]


def test_the_pdf_memo_is_at_most_two_pages(catalog: Catalog) -> None:
    for name, spec in _memo_specs(catalog):
        brief = build_brief(catalog, spec, generated=GENERATED)
        assert _pdf_pages_before_annexes(render_pdf(brief)) <= 2, name


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is needed to lay the Word file out into pages; "
    "apt-get install libreoffice-writer-nogui",
)
def test_the_word_memo_is_at_most_two_pages(catalog: Catalog, tmp_path: Path) -> None:
    for name, spec in _memo_specs(catalog):
        brief: Brief = build_brief(catalog, spec, generated=GENERATED)
        source = tmp_path / f"{name}.docx"
        source.write_bytes(render_docx(brief))
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        pdf = (tmp_path / f"{name}.pdf").read_bytes()
        assert _pdf_pages_before_annexes(pdf) <= 2, name
