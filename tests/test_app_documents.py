"""The Documents page under AppTest: upload, review, save, see it ranked, remove; bad input.

Each test gets its own workspace (``RECSCORE_WORKSPACE``); documents are written by the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from documents import pdf_bytes
from streamlit.testing.v1 import AppTest

from app_pages.views.documents_merges import DECISION_MARK
from scoring.intake import (
    MAX_BYTES_VARIABLE,
    DocumentInfo,
    accept_all,
    load_with_documents,
    start_review,
    store_document,
    user_documents,
)
from scoring.intake.ingest import ingest_text
from scoring.intake.merge_decisions import DECISIONS_FILE, load_decisions, merge_identity
from scoring.methods import rank
from scoring.model import Catalog
from scoring.scope import DEFAULT_DECISION_MAKER, scoped
from scoring.tables import display_ids
from scoring.workspace import ENV_VARIABLE, Workspace, apply_overrides

from conftest import REPO_ROOT, front_catalog, snapshot

TIMEOUT = 120
ADVICE = (
    "Rebuilding trust\n\n"
    "Over the past decade, official legal exchanges have withered.\n\n"
    "Donors should fund independent legal aid clinics for lawyers.\n\n"
    "The United States must restore academic dialogue with Chinese universities. "
    "Exchanges matter.\n"
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return front_catalog()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv(ENV_VARIABLE, str(tmp_path / "ws"))
    return Workspace(tmp_path / "ws")


def start() -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("app_pages/documents.py").run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert [e.value for e in at.exception] == []
    assert [e.value for e in at.error] == []


def upload(at: AppTest, name: str, data: bytes, title: str = "") -> AppTest:
    at.file_uploader(key="docs_file").set_value((name, data, "application/octet-stream"))
    at.text_input(key="docs_title").set_value(title)
    at.run()
    at.button(key="docs_read").click().run()
    return at


def card_titles(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith("**") and ". " in m.value]


def html_bodies(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html")]


def ranked_ids(at: AppTest) -> list[str]:
    [table] = [t for t in at.dataframe if (t.key or "").startswith("rankings_table_")]
    return table.value["id"].tolist()


def store(workspace: Workspace, catalog: Catalog, text: str = ADVICE) -> str:
    review = start_review(ingest_text(text), catalog, DocumentInfo.of("Stored", None, None))
    return store_document(workspace, catalog, accept_all(review)).document.name


@pytest.mark.usefixtures("workspace")
def test_page_renders_with_the_upload_form() -> None:
    at = start()
    assert [t.value for t in at.title] == ["Documents"]
    assert at.file_uploader(key="docs_file") is not None
    assert any("None yet" in c.value for c in at.caption)


def test_upload_review_accept_save_and_rank(workspace: Workspace, catalog: Catalog) -> None:
    at = upload(start(), "trust.txt", ADVICE.encode(), title="Rebuilding trust")
    assert_clean(at)
    assert card_titles(at) == [
        "**1. Fund independent legal aid clinics for lawyers**",
        "**2. Restore academic dialogue with Chinese universities**",
    ]
    # Each candidate is shown marked inside the text around it.
    bodies = html_bodies(at)
    assert any(
        "<mark" in body
        and "Donors should fund independent legal aid clinics for lawyers." in body
        and "official legal exchanges have withered" in body
        for body in bodies
    )
    # The U.S. executive's option, so the default scope ranks it (c1 asks donors: context).
    at.button(key="docs_accept_c2").click().run()
    assert_clean(at)
    assert any("1 accepted" in c.value for c in at.caption)
    assert any("scores are suggestions" in c.value for c in at.caption)
    at.button(key="docs_save").click().run()
    assert_clean(at)
    assert any("Saved “Rebuilding trust” with 1 recommendation" in s.value for s in at.success)

    merged, state = load_with_documents(workspace, catalog)
    [document] = user_documents(merged)
    [new_id] = [r.id for r in merged.recommendations if r.document == document.name]
    at.switch_page("app_pages/rankings.py").run()
    assert_clean(at)
    scored = scoped(apply_overrides(merged, state.overrides), DEFAULT_DECISION_MAKER)
    expected = rank(scored, catalog.profiles["balanced"].weights)
    assert ranked_ids(at) == display_ids(scored, expected)
    assert new_id in ranked_ids(at)


def test_edit_merge_split_and_reject(workspace: Workspace) -> None:
    at = upload(start(), "trust.txt", ADVICE.encode())
    # A reworded quote is refused with a message; nothing changes.
    at.text_area(key="docs_edit_c1_quote").set_value("Donors should pay for legal aid.")
    next(b for b in at.button if b.label == "Apply").click().run()
    assert [e.value for e in at.exception] == []
    assert any("quote" in e.value and "verbatim" in e.value for e in at.error)
    # A new instrument is taken.
    at.selectbox(key="docs_edit_c1_instrument").set_value("expertise")
    at.text_area(key="docs_edit_c1_quote").set_value("fund independent legal aid clinics")
    next(b for b in at.button if b.label == "Apply").click().run()
    assert_clean(at)
    assert any("instrument: Expertise and capacity building" in c.value for c in at.caption)
    # Merge the two, then split them again at the sentence end.
    at.button(key="docs_merge_c1").click().run()
    assert_clean(at)
    assert len(card_titles(at)) == 1
    at.button(key="docs_split_c1+c2").click().run()
    assert_clean(at)
    assert len(card_titles(at)) == 2
    at.button(key="docs_reject_c1+c2.1").click().run()
    assert any("1 rejected" in c.value for c in at.caption)
    assert not workspace.root.exists()  # nothing is written before Save


def test_a_document_without_advice_shows_the_notice_and_no_candidate(
    workspace: Workspace,
) -> None:
    at = upload(start(), "note.txt", b"The weather was fine. The river rose.\n")
    assert_clean(at)
    assert at.error == []
    assert any("no explicit advice found" in w.value for w in at.warning)
    assert card_titles(at) == []
    assert "docs_save" not in {b.key for b in at.button}  # nothing to save
    assert not workspace.root.exists()


SECOND = b"The State Department should fund independent legal aid clinics for lawyers.\n"
UNRELATED = b"The Commerce Department should list surveillance camera makers.\n"


def upload_several(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader(key="docs_file").set_value([(n, d, "text/plain") for n, d in files])
    at.run()
    at.button(key="docs_read").click().run()
    assert_clean(at)
    return at


def test_several_uploads_are_reviewed_one_after_another() -> None:
    at = upload_several(start(), [("first.txt", ADVICE.encode()), ("second.txt", UNRELATED)])
    assert not any("Proposed merges" in h.value for h in at.subheader)  # nothing alike
    assert any("Review candidates: first.txt" in h.value for h in at.subheader)
    assert any("1 more uploaded document(s) wait: second.txt" in c.value for c in at.caption)
    at.button(key="docs_discard").click().run()
    assert any("Review candidates: second.txt" in h.value for h in at.subheader)


def merge_marks(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value in DECISION_MARK.values()]


def test_a_proposed_merge_is_accepted_saved_undone_and_split(workspace: Workspace) -> None:
    at = upload_several(start(), [("first.txt", ADVICE.encode()), ("second.txt", SECOND)])
    assert any("Proposed merges across 2 documents" in h.value for h in at.subheader)
    assert any("Proposed merge 1" in m.value for m in at.markdown)
    assert any("first.txt" in m.value and "Donors should fund" in m.value for m in at.markdown)
    assert merge_marks(at) == ["○ pending"]
    log = workspace.root / DECISIONS_FILE

    at.button(key="docs_merge_accept_0").click().run()
    assert_clean(at)
    assert merge_marks(at) == ["✓ merged"]
    assert load_decisions(workspace).current() == {
        merge_identity(at.session_state["docs_batch"].merges[0]): "accepted"
    }
    at.button(key="docs_merge_undo").click().run()
    assert merge_marks(at) == ["○ pending"]
    assert load_decisions(workspace).entries == ()
    at.button(key="docs_merge_split_0").click().run()
    assert merge_marks(at) == ["↔ kept apart"]
    at.button(key="docs_merge_accept_0").click().run()
    at.button(key="docs_merge_undo").click().run()  # back to the decision before: split
    assert merge_marks(at) == ["↔ kept apart"]
    assert [e.decision for e in load_decisions(workspace).entries] == ["split"]
    assert log.is_file()

    # Reading the same documents again restores the saved decision.
    again = upload_several(start(), [("first.txt", ADVICE.encode()), ("second.txt", SECOND)])
    assert merge_marks(again) == ["↔ kept apart"]


def test_an_accepted_merge_is_one_option_with_two_sources(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = upload_several(start(), [("first.txt", ADVICE.encode()), ("second.txt", SECOND)])
    at.button(key="docs_merge_accept_0").click().run()
    at.button(key="docs_merge_continue").click().run()
    assert_clean(at)
    # The merged candidate left the first document's review; the second one carries both.
    assert card_titles(at) == ["**1. Restore academic dialogue with Chinese universities**"]
    at.button(key="docs_discard").click().run()
    assert any("Review candidates: second.txt" in h.value for h in at.subheader)
    assert any("2 sources (merged)" in c.value for c in at.caption)
    assert any("Also in first.txt: “Donors should fund" in c.value for c in at.caption)
    at.button(key="docs_accept_all").click().run()
    at.button(key="docs_save").click().run()
    assert_clean(at)
    merged, _ = load_with_documents(workspace, catalog)
    [rec] = [r for r in merged.recommendations if r.sources]
    assert rec.source_count == 2
    assert rec.quote == SECOND.decode().strip()
    assert rec.sources[0].quote == "Donors should fund independent legal aid clinics for lawyers."
    assert rec.sources[0].span is not None
    # Rankings show the merged option once, with its number of sources.
    at.switch_page("app_pages/rankings.py").run()
    assert_clean(at)
    [table] = [t for t in at.dataframe if (t.key or "").startswith("rankings_table_")]
    titles = table.value["title"].tolist()
    assert [t for t in titles if "legal aid clinics" in t] == [f"{rec.title} (2 sources)"]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.txt", b"", "empty file"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "a PNG image"),
        ("latin.txt", "Les États doivent agir.".encode("cp1252"), "UTF-8"),
        ("scan.pdf", pdf_bytes([None]), "no text layer"),
        ("big.txt", ADVICE.encode() * 20, "at most"),
    ],
)
def test_bad_upload_shows_a_message_and_loses_nothing(
    workspace: Workspace,
    catalog: Catalog,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    data: bytes,
    expected: str,
) -> None:
    store(workspace, catalog)
    before = snapshot(workspace.root)
    if name == "big.txt":
        monkeypatch.setenv(MAX_BYTES_VARIABLE, "0.001")  # about 1 kB
    at = upload(start(), name, data)
    assert [e.value for e in at.exception] == []
    [error] = at.error
    assert "This document cannot be used" in error.value
    assert expected in error.value
    assert snapshot(workspace.root) == before
    assert any("Your documents (1)" in h.value for h in at.subheader)
    # The app stays up: another page still works.
    at.switch_page("app_pages/rankings.py").run()
    assert_clean(at)


@pytest.mark.usefixtures("workspace")
def test_choosing_nothing_says_so() -> None:
    at = start()
    at.button(key="docs_read").click().run()
    assert [e.value for e in at.exception] == []
    assert any("Choose a file first" in e.value for e in at.error)


def test_remove_after_confirmation(workspace: Workspace, catalog: Catalog) -> None:
    name = store(workspace, catalog)
    at = start()
    assert any("Your documents (1)" in h.value for h in at.subheader)
    at.button(key=f"docs_remove_{name}").click().run()
    assert any("Remove this document?" in w.value for w in at.warning)
    at.button(key="docs_remove_no").click().run()
    assert (workspace.documents_dir / name).exists()
    at.button(key=f"docs_remove_{name}").click().run()
    at.button(key="docs_remove_yes").click().run()
    assert_clean(at)
    assert not (workspace.documents_dir / name).exists()
    assert any(f"Removed {name}" in s.value for s in at.success)
    assert any("Your documents (0)" in h.value for h in at.subheader)
    at.switch_page("app_pages/rankings.py").run()
    assert len(ranked_ids(at)) == len(catalog.recommendations)


def test_a_corrupt_document_is_reported_and_the_app_stays_up(
    workspace: Workspace, catalog: Catalog
) -> None:
    name = store(workspace, catalog)
    (workspace.documents_dir / name).with_suffix(".yaml").write_text("schema_version: [\n")
    at = start()
    assert [e.value for e in at.exception] == []
    warnings: list[Any] = [w.value for w in at.warning]
    assert any("needs attention" in w and "corrupt" in w for w in warnings)
    assert any("Your documents (0)" in h.value for h in at.subheader)
