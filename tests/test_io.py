"""scoring.io: YAML reading, the schema version, problem helpers and atomic, locked writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pydantic
import pytest

from scoring.errors import Code, InputError, Problem
from scoring.io import (
    SCHEMA_VERSION,
    check_schema_version,
    id_mismatch,
    locked,
    not_a_mapping,
    problems_from_pydantic,
    read_yaml,
    unknown_criterion,
    write_bytes_atomically,
    write_yaml_atomically,
)


def test_read_yaml_records_why_not(tmp_path: Path) -> None:
    problems: list[Problem] = []
    assert read_yaml(tmp_path / "nothing.yaml", "nothing.yaml", problems) is None
    (tmp_path / "bad.yaml").write_text("a: [1, 2\n", encoding="utf-8")
    assert read_yaml(tmp_path / "bad.yaml", "bad.yaml", problems) is None
    assert [(p.code, p.file) for p in problems] == [
        (Code.FILE_MISSING, "nothing.yaml"),
        (Code.YAML_SYNTAX, "bad.yaml"),
    ]
    assert problems[1].key_path.startswith("line ")


def test_a_yaml_round_trip_keeps_order_and_odd_strings(tmp_path: Path) -> None:
    data = {"schema_version": SCHEMA_VERSION, "z": "line\u2028break", "a": [1, 2]}
    path = tmp_path / "deep" / "file.yaml"
    write_yaml_atomically(path, data)
    assert read_yaml(path, "file.yaml", []) == data
    assert list(read_yaml(path, "file.yaml", [])) == ["schema_version", "z", "a"]


class _Versioned(pydantic.BaseModel):
    schema_version: int
    _version = pydantic.field_validator("schema_version")(check_schema_version)


def test_one_schema_version_check_gives_one_code_and_key_path() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        _Versioned.model_validate({"schema_version": 2})
    [problem] = problems_from_pydantic(caught.value, "x.yaml", {"schema_version": 2})
    assert (problem.code, problem.file, problem.key_path) == (
        Code.SCHEMA_VERSION,
        "x.yaml",
        "schema_version",
    )
    [form] = problems_from_pydantic(caught.value, "form", {}, in_file=False)
    assert (form.file, form.where) == ("", "form")


def test_unknown_criterion_names_the_choices() -> None:
    problem = unknown_criterion("levrage", ["leverage", "buy_in"], where="--weights")
    assert problem.code == Code.UNKNOWN_CRITERION
    assert (problem.where, problem.key_path, problem.found) == ("--weights", "levrage", "'levrage'")
    assert "leverage" in problem.expected
    assert str(problem).startswith("--weights: levrage: expected one of")


def test_an_atomic_write_keeps_the_old_mode_and_leaves_nothing_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "out.bin"
    write_bytes_atomically(path, b"one")
    os.chmod(path, 0o640)
    write_bytes_atomically(path, b"two")
    assert path.read_bytes() == b"two"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640

    def refuse(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("scoring.io.os.replace", refuse)
    with pytest.raises(OSError, match="No space"):
        write_bytes_atomically(path, b"three")
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
    assert path.read_bytes() == b"two"


def test_a_lock_held_elsewhere_times_out_as_an_input_error(tmp_path: Path) -> None:
    lock_file = tmp_path / "ws" / ".lock"
    with locked(tmp_path / "ws", lock_file, 5, display="ws", unwritable_hint="elsewhere"):
        import filelock

        other = filelock.FileLock(str(lock_file), timeout=0)
        with pytest.raises(filelock.Timeout):
            other.acquire()
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with (
        pytest.raises(InputError) as caught,
        locked(blocker / "ws", blocker / "ws" / ".lock", 1, display="x", unwritable_hint="h"),
    ):
        pass
    assert caught.value.codes == {Code.WORKSPACE_UNWRITABLE}


def test_file_shape_problems_are_worded_once() -> None:
    problem = id_mismatch("sets/a.yaml", "a", "b")
    assert (problem.code, problem.key_path, problem.found) == (Code.BAD_VALUE, "id", "'b'")
    assert problem.hint == "rename the file to b.yaml or set id: a"
    wrong = not_a_mapping("x.yaml", [1], "a mapping", "start again")
    assert (wrong.code, wrong.file, wrong.found) == (Code.WRONG_TYPE, "x.yaml", "list")
