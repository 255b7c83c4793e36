"""Hostile and accidental input (issue 15): no hang, no traceback, no lost edit.

Every hostile input is generated here, never committed. Each case asserts the problem's code,
that its message names the file and a fix, and, through the CLI, exit status 2 where the
input stops the command.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from scoring.cli import main
from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.io import MAX_ALIAS_NODES, MAX_YAML_DEPTH, read_yaml, short_repr
from scoring.loading import load_catalog
from scoring.model import Catalog
from scoring.option_sets import delete_user_set
from scoring.saved_profiles import delete_profile, profile_id_for, rename_profile, save_profile
from scoring.score_edits import revert_overrides, save_score_edits
from scoring.workspace import Workspace, load_workspace

from conftest import REPO_ROOT, ProjectMaker, score


@pytest.fixture
def catalog(make_project: ProjectMaker) -> Catalog:
    return load_catalog(make_project())


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def laughs(levels: int = 9) -> str:
    """A 'billion laughs': nine aliases of nine aliases of ... a few bytes each."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


def read(path: Path, text: str) -> tuple[Any, list[Problem]]:
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    return read_yaml(path, path.name, problems), problems


# --- YAML ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "key_path"),
    [
        (laughs(), Code.YAML_ALIASES, "l4[0]"),
        ("a: &a [1, *a]\n", Code.YAML_ALIASES, "a[1]"),
        ("overrides: " + "[" * 100_000 + "]" * 100_000 + "\n", Code.YAML_TOO_DEEP, "overrides"),
        (
            "x:\n" + "".join("  " * i + "k:\n" for i in range(1, 200)),
            Code.YAML_TOO_DEEP,
            "x.k.k",
        ),
        ("overrides:\n  r:\n    c: 1\n    c: 2\n", Code.DUPLICATE_KEY, "overrides.r.c"),
        ("a: 1\n'a': 2\n", Code.DUPLICATE_KEY, "a"),
        ("", Code.EMPTY_FILE, ""),
        ("# only a comment\n", Code.EMPTY_FILE, ""),
    ],
)
def test_hostile_yaml_is_refused_with_the_file_the_key_and_a_fix(
    tmp_path: Path, text: str, code: Code, key_path: str
) -> None:
    data, problems = read(tmp_path / "hostile.yaml", text)
    assert data is None
    [problem] = problems
    assert problem.code == code
    assert problem.file == "hostile.yaml"
    assert problem.key_path.startswith(key_path)
    assert problem.hint
    assert len(str(problem)) < 1_000, "the message is bounded"


def test_ordinary_aliases_merge_keys_and_distinct_keys_still_load(tmp_path: Path) -> None:
    text = "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n1: int\n'1': str\nlist: [*b, *b]\n"
    data, problems = read(tmp_path / "fine.yaml", text)
    assert problems == []
    assert data["m"] == {"x": 1, "y": 2}
    assert data[1] == "int"
    assert data["1"] == "str"


def test_the_limits_are_small_but_fit_every_bundled_file() -> None:
    assert MAX_YAML_DEPTH <= 64
    assert MAX_ALIAS_NODES <= 100_000
    for path in [*REPO_ROOT.glob("seeds/*.yaml"), *REPO_ROOT.glob("criteria/**/*.yaml")]:
        problems: list[Problem] = []
        assert read_yaml(path, path.name, problems) is not None, problems


def test_short_repr_is_bounded_on_a_huge_nested_value() -> None:
    shared: list[Any] = ["lol"] * 9
    for _ in range(12):  # 9**12 leaves if walked; reprlib looks at a few
        shared = [shared] * 9
    assert len(short_repr(shared)) <= 80


@pytest.mark.parametrize(
    ("text", "code"),
    [(laughs(), Code.YAML_ALIASES), ("", Code.EMPTY_FILE), ("a: 1\na: 2\n", Code.DUPLICATE_KEY)],
)
def test_a_hostile_criteria_file_stops_the_cli_with_exit_2(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker, text: str, code: Code
) -> None:
    root = make_project()
    (root / "criteria" / "criteria.yaml").write_text(text, encoding="utf-8")
    status, _, err = run(capsys, "--root", str(root), "rank")
    assert status == 2
    assert "criteria.yaml" in err
    assert "fix:" in err
    assert "0 problems" not in err
    assert "Traceback" not in err


def test_an_empty_seed_is_a_problem_not_a_silently_dropped_document(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker
) -> None:
    root = make_project()
    [seed] = sorted((root / "seeds").glob("*.yaml"))
    seed.write_text("", encoding="utf-8")
    status, _, err = run(capsys, "--root", str(root), "validate")
    assert status == 2
    assert seed.name in err
    assert "empty" in err
    assert "fix:" in err


def test_a_billion_laughs_profile_in_the_workspace_warns_and_rank_goes_on(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker, tmp_path: Path
) -> None:
    root = make_project()
    profiles = tmp_path / "ws" / "profiles"
    profiles.mkdir(parents=True)
    (profiles / "lol.yaml").write_text(laughs(), encoding="utf-8")
    (tmp_path / "ws" / "overrides.yaml").write_text(
        "overrides: " + "[" * 50_000 + "\n", encoding="utf-8"
    )
    for _ in range(2):  # and again: nothing was moved, nothing is worse
        status, out, err = run(
            capsys, "--root", str(root), "--workspace", str(tmp_path / "ws"), "rank"
        )
        assert status == 0
        assert "t-restart" in out
        assert "profiles/lol.yaml" in err
        assert "yaml_aliases" not in out
        assert "overrides.yaml" in err
    assert (profiles / "lol.yaml").read_text(encoding="utf-8") == laughs()


# --- overrides, cell by cell -----------------------------------------------------------------


def test_one_bad_cell_is_reported_and_skipped_the_others_apply_and_survive_a_save(
    workspace: Workspace, catalog: Catalog
) -> None:
    workspace.root.mkdir(parents=True)
    data = {
        "schema_version": 1,
        "overrides": {
            "t-costs": {"leverage": score(2, 1, 3, "alice"), "risk": {"value": 9}},
            "t-restart": {"buy_in": score(5, 4, 5, "bob")},
        },
    }
    workspace.overrides_path.write_text(yaml.safe_dump(data), encoding="utf-8")
    state = load_workspace(workspace, catalog)
    assert set(state.overrides) == {("t-costs", "leverage"), ("t-restart", "buy_in")}
    bad = [p for p in state.problems if p.key_path.startswith("overrides.t-costs.risk")]
    assert bad
    assert all(p.file.endswith("overrides.yaml") for p in bad)
    assert all("the others apply" in p.hint for p in bad)
    # A colleague saves another cell: every valid edit survives, the bad cell is kept as written.
    save_score_edits(workspace, catalog, {("t-restart", "risk"): score(1, 1, 2, "carol")})
    kept = yaml.safe_load(workspace.overrides_path.read_text(encoding="utf-8"))["overrides"]
    assert kept["t-costs"] == data["overrides"]["t-costs"]
    assert kept["t-restart"]["buy_in"]["rationale"] == "bob"
    assert kept["t-restart"]["risk"]["rationale"] == "carol"
    assert not list(workspace.root.glob("*.corrupt-*")), "nothing set aside"
    # Fixing the cell in the editor replaces it; reverting it removes it.
    save_score_edits(workspace, catalog, {("t-costs", "risk"): score(4, 3, 5)})
    assert ("t-costs", "risk") in load_workspace(workspace, catalog).overrides
    revert_overrides(workspace, [("t-costs", "risk")])
    assert ("t-costs", "risk") not in load_workspace(workspace, catalog).overrides


def test_loading_is_read_only_it_takes_no_lock_and_moves_nothing(
    workspace: Workspace, catalog: Catalog
) -> None:
    workspace.root.mkdir(parents=True)
    workspace.overrides_path.write_text("overrides: [unclosed\n", encoding="utf-8")
    before = sorted(p.name for p in workspace.root.iterdir())
    load_workspace(workspace, catalog)
    load_workspace(workspace, catalog)
    assert sorted(p.name for p in workspace.root.iterdir()) == before
    assert not (workspace.root / ".lock").exists()


# --- a shared workspace ----------------------------------------------------------------------


def test_files_and_the_lock_follow_the_umask(workspace: Workspace, catalog: Catalog) -> None:
    old = os.umask(0o002)
    try:
        save_score_edits(workspace, catalog, {("t-costs", "risk"): score(2, 1, 3)})
        save_profile(workspace, catalog, "Team view", {"leverage": 1})
    finally:
        os.umask(old)
    for path in (
        workspace.overrides_path,
        workspace.root / ".lock",
        workspace.profile_path("team_view"),
    ):
        assert path.stat().st_mode & 0o777 == 0o664, path
    assert workspace.root.stat().st_mode & 0o777 == 0o775


def test_a_lock_wait_that_times_out_says_who_holds_it(
    workspace: Workspace, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scoring.workspace as module

    monkeypatch.setattr(module, "LOCK_TIMEOUT_SECONDS", 0.05)
    workspace.root.mkdir(parents=True)
    holder = subprocess.Popen(  # another process holds the lock until we close its stdin
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys
                from scoring.workspace import Workspace
                with Workspace({str(workspace.root)!r}).locked():
                    print("held", flush=True)
                    sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(InputError) as caught:
            save_score_edits(workspace, catalog, {("t-costs", "risk"): score(2, 1, 3)})
    finally:
        holder.communicate("")
    [problem] = caught.value.problems
    assert problem.code == Code.WORKSPACE_LOCKED
    assert problem.file.endswith(".lock")
    assert f"process {holder.pid}" in problem.found
    assert "do not delete" in problem.hint
    assert not workspace.overrides_path.exists(), "nothing half-written"


def _two_users() -> tuple[str, str, str] | None:
    if os.geteuid() != 0 or not shutil.which("useradd") or not shutil.which("runuser"):
        return None
    group, users = "rsteam", ("rsalice", "rsbob")
    subprocess.run(["groupadd", "-f", group], check=True, capture_output=True)
    for user in users:
        if subprocess.run(["id", user], capture_output=True).returncode != 0:
            subprocess.run(
                ["useradd", "-M", "-N", "-g", group, "-s", "/bin/sh", user],
                check=True,
                capture_output=True,
            )
    return group, *users


def _interpreter_for(user: str) -> tuple[str, str] | None:
    """A Python the account can run with recscore's dependencies, and the PYTHONPATH for it.

    The test's own interpreter may live under a private home; a system Python of the same
    version can use the same site-packages (the same ABI).
    """
    site = next(p for p in sys.path if p.endswith("site-packages"))
    path = f"{REPO_ROOT}{os.pathsep}{site}"
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys.executable, f"/usr/bin/python{version}", "/usr/bin/python3"):
        check = subprocess.run(
            ["runuser", "-u", user, "--", candidate, "-c", "import pydantic, numpy, yaml"],
            env={**os.environ, "PYTHONPATH": path},
            cwd="/",
            capture_output=True,
        )
        if check.returncode == 0:
            return candidate, path
    return None


def test_two_users_in_one_group_edit_different_scores_and_both_edits_survive(
    make_project: ProjectMaker,
) -> None:
    accounts = _two_users()
    if accounts is None:
        pytest.skip("needs root, useradd and runuser to create two accounts in one group")
    group, *users = accounts
    interpreter = _interpreter_for(users[0])
    if interpreter is None:
        pytest.skip("no Python with recscore's dependencies that the test accounts can run")
    python, python_path = interpreter
    base = Path(tempfile.mkdtemp(prefix="recscore-team-"))  # outside pytest's 0700 folders
    try:
        base.chmod(0o755)
        root = Path(shutil.copytree(make_project(), base / "project"))
        for path in (root, *root.rglob("*")):
            path.chmod(path.stat().st_mode | 0o005)  # the accounts read the project
        shared = base / "shared"
        shared.mkdir()
        shutil.chown(shared, group=group)
        shared.chmod(0o2775)  # group-writable; new files take its group (README "Limits")
        script = textwrap.dedent(
            """
            import os, sys
            os.umask(0o002)
            from scoring.loading import load_catalog
            from scoring.score_edits import save_score_edits
            from scoring.workspace import Workspace, load_workspace
            catalog = load_catalog(sys.argv[1])
            ws = Workspace(sys.argv[2])
            for step in range(5):
                load_workspace(ws, catalog)  # a read-only look between saves
                cell = {"value": 2, "low": 1, "high": 3, "rationale": f"{sys.argv[4]} {step}"}
                save_score_edits(ws, catalog, {("t-costs", sys.argv[3]): cell})
            """
        )
        processes = [
            subprocess.Popen(
                [
                    "runuser",
                    "-u",
                    user,
                    "--",
                    python,
                    "-c",
                    script,
                    str(root),
                    str(shared),
                    criterion,
                    user,
                ],
                env={**os.environ, "PYTHONPATH": python_path},
                cwd="/",
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for user, criterion in zip(users, ("risk", "buy_in"), strict=True)
        ]
        outputs = [process.communicate() for process in processes]
        assert [p.returncode for p in processes] == [0, 0], outputs
        state = load_workspace(Workspace(shared), load_catalog(root))
        assert state.overrides[("t-costs", "risk")].rationale == f"{users[0]} 4"
        assert state.overrides[("t-costs", "buy_in")].rationale == f"{users[1]} 4"
        assert not list(shared.glob("*.corrupt-*"))
        assert state.problems == ()
    finally:
        shutil.rmtree(base, ignore_errors=True)


# --- names and paths -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["../../outside", "../x", "a/b", "/etc/passwd", "", ".."])
def test_engine_functions_refuse_ids_that_leave_the_workspace(
    workspace: Workspace, catalog: Catalog, tmp_path: Path, bad: str
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("precious", encoding="utf-8")
    for action in (
        lambda: delete_profile(workspace, bad),
        lambda: rename_profile(workspace, catalog, bad, "New"),
        lambda: delete_user_set(workspace, bad),
    ):
        with pytest.raises(InputError) as caught:
            action()
        [problem] = caught.value.problems
        assert problem.code in {Code.BAD_VALUE, Code.UNKNOWN_PROFILE}
        assert problem.hint
    assert outside.read_text(encoding="utf-8") == "precious"


def test_names_in_any_script_are_allowed_with_a_separate_slug(
    workspace: Workspace, catalog: Catalog
) -> None:
    saved = save_profile(workspace, catalog, "人权优先", {"leverage": 1})
    assert saved.name == "人权优先"
    assert saved.id == profile_id_for("人权优先")
    assert saved.id.startswith("profile_")
    assert profile_id_for("Café") == "cafe"
    assert profile_id_for("人权优先") != profile_id_for("法治优先")
    assert load_workspace(workspace, catalog).profiles[saved.id].name == "人权优先"
    with pytest.raises(ValidationError):
        save_profile(workspace, catalog, "???", {"leverage": 1})


@pytest.mark.parametrize(
    ("error", "fix"),
    [
        (errno.ENOSPC, "free some disk space"),
        (errno.EROFS, "read-only"),
        (errno.EACCES, "writable"),
        (errno.ENAMETOOLONG, "shorter name"),
    ],
)
def test_write_failures_are_typed_with_the_path_and_a_fix_and_leave_the_old_file(
    workspace: Workspace, catalog: Catalog, monkeypatch: pytest.MonkeyPatch, error: int, fix: str
) -> None:
    save_score_edits(workspace, catalog, {("t-costs", "risk"): score(2, 1, 3, "first")})
    before = workspace.overrides_path.read_bytes()

    def fail(*_: Any) -> None:
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(InputError) as caught:
        save_score_edits(workspace, catalog, {("t-costs", "risk"): score(3, 2, 4, "second")})
    [problem] = caught.value.problems
    assert problem.code == Code.WORKSPACE_UNWRITABLE
    assert problem.file.endswith("overrides.yaml")
    assert fix in problem.hint
    assert workspace.overrides_path.read_bytes() == before
    assert not list(workspace.root.glob("*.tmp"))


def test_a_name_too_long_for_the_file_system_is_a_typed_error(
    workspace: Workspace, catalog: Catalog
) -> None:
    with pytest.raises(InputError) as caught:
        save_profile(workspace, catalog, "x" * 300, {"leverage": 1})
    [problem] = caught.value.problems
    assert problem.code == Code.WORKSPACE_UNWRITABLE
    assert "shorter name" in problem.hint


# --- uploads ---------------------------------------------------------------------------------


def _docx_bytes(document_xml: bytes, *, extra_parts: int = 0) -> bytes:
    """A .docx whose word/document.xml is replaced by ``document_xml`` (built, not committed)."""
    import io
    import zipfile

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = document_xml if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data)
        for number in range(extra_parts):
            target.writestr(f"word/media/part{number}.xml", b"<a/>")
    return out.getvalue()


def _paragraphs_xml(paragraphs: int) -> bytes:
    body = b"<w:p><w:r><w:t>The United States should act now.</w:t></w:r></w:p>" * paragraphs
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>" + body + b"</w:body></w:document>"
    )


def test_a_docx_decompression_bomb_is_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scoring.intake.formats import MAX_EXPANDED_MB
    from scoring.intake.ingest import ingest_bytes

    bomb = _docx_bytes(_paragraphs_xml(int(MAX_EXPANDED_MB * 1024 * 1024 / 60) + 1000))
    assert len(bomb) < 1_000_000 < MAX_EXPANDED_MB * 1024 * 1024, "small packed, huge unpacked"
    with pytest.raises(InputError) as caught:
        ingest_bytes(bomb, "bomb.docx")
    [problem] = caught.value.problems
    assert (problem.code, problem.file) == (Code.FILE_TOO_LARGE, "bomb.docx")
    assert "RECSCORE_MAX_EXPANDED_MB" in problem.hint
    path = tmp_path / "bomb.docx"
    path.write_bytes(bomb)
    status, _, err = run(capsys, "--root", str(REPO_ROOT), "extract", str(path))
    assert status == 2
    assert "bomb.docx" in err
    assert "fix:" in err


def test_a_docx_of_too_many_parts_and_a_malformed_docx_are_typed_errors() -> None:
    from scoring.intake.formats import MAX_ZIP_PARTS
    from scoring.intake.ingest import ingest_bytes

    with pytest.raises(InputError) as caught:
        ingest_bytes(_docx_bytes(_paragraphs_xml(1), extra_parts=MAX_ZIP_PARTS), "parts.docx")
    assert caught.value.codes == {Code.FILE_TOO_LARGE}
    with pytest.raises(InputError) as caught:
        ingest_bytes(_docx_bytes(b"<w:document><not xml"), "broken.docx")
    [problem] = caught.value.problems
    assert (problem.code, problem.file) == (Code.FILE_UNREADABLE, "broken.docx")
    assert problem.hint


@pytest.mark.parametrize("size", ["nan", "inf", "-1", "0", "lots"])
def test_max_size_mb_refuses_nonsense_with_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, size: str
) -> None:
    path = tmp_path / "doc.txt"
    path.write_text("The United States should act.\n", encoding="utf-8")
    with pytest.raises(SystemExit) as caught:
        main(["--root", str(REPO_ROOT), "extract", str(path), "--max-size-mb", size])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "--max-size-mb" in err
    assert "above 0" in err
    assert "Traceback" not in err


def _pdf(tmp_path: Path, *, user_password: str, owner_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    from scoring.briefs.render_pdf import render_pdf  # noqa: F401 - reportlab is a dependency

    plain = tmp_path / "plain.pdf"
    page = canvas.Canvas(str(plain))
    page.drawString(72, 720, "The United States should restore the human rights dialogue.")
    page.save()
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    out = tmp_path / "locked.pdf"
    with out.open("wb") as stream:
        writer.write(stream)
    return out.read_bytes()


def test_an_aes_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    from scoring.intake.ingest import ingest_bytes

    document = ingest_bytes(_pdf(tmp_path, user_password="", owner_password="o"), "owner.pdf")
    assert "human rights dialogue" in document.text


def test_a_pdf_that_needs_a_password_says_so_not_damaged(tmp_path: Path) -> None:
    from scoring.intake.ingest import ingest_bytes

    with pytest.raises(InputError) as caught:
        ingest_bytes(_pdf(tmp_path, user_password="u", owner_password="o"), "secret.pdf")
    [problem] = caught.value.problems
    assert (problem.code, problem.file) == (Code.ENCRYPTED_PDF, "secret.pdf")
    assert "password" in problem.hint


def test_sentence_splitting_of_one_long_line_matches_paragraphs_and_stays_linear() -> None:
    """Counted, not timed: every segment handed to pysbd is bounded, so work is linear."""
    import scoring.intake.segmentation as extraction

    sentences = [f"The United States should sanction official {i} today." for i in range(600)]
    one_line = " ".join(sentences)
    seen: list[int] = []
    original = extraction._segment_sentences

    def counting(normalized: str, start: int, end: int) -> list[tuple[int, int]]:
        seen.append(end - start)
        return original(normalized, start, end)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(extraction, "_segment_sentences", counting)
        spans = extraction._sentences(one_line, 0, len(one_line))
    assert max(seen) <= extraction.MAX_SEGMENT
    assert [one_line[a:b] for a, b in spans] == sentences


# --- exports ---------------------------------------------------------------------------------


def test_every_cli_csv_neutralises_formulas_and_shows_bidi_controls(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker
) -> None:
    def hostile(seed: dict[str, Any]) -> None:
        seed["recommendations"][0]["title"] = '=HYPERLINK("http://x.example","click")'
        seed["recommendations"][1]["title"] = "Costs \u202egnp.exe"

    root = make_project(seed=hostile)
    for argv in (
        ["rank", "--format", "csv"],
        ["recommendations", "--format", "csv"],
        ["smaa", "--format", "csv", "--samples", "50"],
    ):
        status, out, err = run(capsys, "--root", str(root), *argv)
        assert status == 0, err
        assert "\u202e" not in out
        for line in out.splitlines():
            for cell in line.split(","):
                assert not cell.lstrip('"').startswith(("=", "@", "+")), (argv, cell)
    status, out, _ = run(capsys, "--root", str(root), "rank", "--format", "csv")
    assert "'=HYPERLINK" in out
    assert "[U+202E]" in out


def test_promethee_p_beyond_the_scale_is_refused_with_exit_2(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker
) -> None:
    root = make_project()
    status, _, err = run(
        capsys, "--root", str(root), "rank", "--method", "promethee_ii", "--p", "1e308"
    )
    assert status == 2
    assert "p" in err
    assert "from 0 to 4" in err
    assert "fix:" in err
