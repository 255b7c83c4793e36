"""scoring.errors: problems say where, expected, found and fix; errors carry every problem."""

from __future__ import annotations

import dataclasses

import pytest

from scoring.errors import Code, InputError, Problem, ValidationError


def test_a_problem_is_built_by_keyword_and_cannot_change() -> None:
    with pytest.raises(TypeError):
        Problem(Code.BAD_VALUE, "f.yaml", "", "k", "x", "y")  # type: ignore[misc]
    problem = Problem(code=Code.BAD_VALUE, file="f.yaml", expected="x", found="y")
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.found = "z"  # type: ignore[misc]


def test_a_problem_names_its_file_or_else_its_place() -> None:
    in_file = Problem(
        code=Code.BAD_VALUE,
        file="criteria/c.yaml",
        key_path="a[0]",
        expected="1",
        found="2",
        hint="use 1",
    )
    elsewhere = Problem(code=Code.BAD_VALUE, where="--weights", expected="1", found="2")
    assert in_file.place == "criteria/c.yaml"
    assert str(in_file) == "criteria/c.yaml: a[0]: expected 1, found 2 (fix: use 1)"
    assert elsewhere.place == "--weights"
    assert str(elsewhere) == "--weights: expected 1, found 2"


def test_a_validation_error_carries_every_problem_and_their_codes() -> None:
    problems = [
        Problem(code=Code.BAD_VALUE, where="form", expected="1", found="2"),
        Problem(code=Code.UNKNOWN_CRITERION, where="form", expected="an id", found="'x'"),
    ]
    error = ValidationError(problems)
    assert error.problems == tuple(problems)
    assert error.codes == {Code.BAD_VALUE, Code.UNKNOWN_CRITERION}
    assert str(error).splitlines()[0] == "2 problems found:"


def test_an_input_error_puts_its_place_in_file_only_when_told() -> None:
    option = InputError(Code.BAD_VALUE, "--top", "", "a whole number", "'x'")
    named = InputError(Code.BAD_VALUE, "ws/overrides.yaml", "k", "a", "b", in_file=True)
    assert (option.problems[0].file, option.problems[0].where) == ("", "--top")
    assert (named.problems[0].file, named.problems[0].where) == ("ws/overrides.yaml", "")
