"""Files: YAML reading, schema versions, problems from validation, atomic locked writes.

Every store (``scoring.loading`` for the bundled data, ``scoring.workspace`` for overrides
and profiles, ``scoring.option_sets`` for saved sets, ``scoring.intake`` for added
documents, ``scoring.briefs`` for written briefs) reads and writes through these, so a file
is read one way, a fault is worded one way and a write is whole or absent one way.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import filelock
import pydantic
import yaml
from pydantic_core import PydanticCustomError

from scoring.errors import Code, InputError, Problem

__all__ = [
    "HINTS",
    "SCHEMA_VERSION",
    "check_schema_version",
    "id_mismatch",
    "key_path",
    "locked",
    "not_a_mapping",
    "problems_from_pydantic",
    "read_yaml",
    "short_repr",
    "unknown_criterion",
    "write_bytes_atomically",
    "write_yaml_atomically",
    "yaml_text",
]

SCHEMA_VERSION = 1  # every file recscore writes or reads carries this

# Pydantic's own error types, mapped to our stable codes; our validators raise our codes directly.
_PYDANTIC_CODES = {
    "missing": Code.MISSING_KEY,
    "extra_forbidden": Code.UNKNOWN_KEY,
    "literal_error": Code.BAD_VALUE,
    "string_pattern_mismatch": Code.BAD_VALUE,
    "string_too_short": Code.BAD_VALUE,
    "too_short": Code.BAD_VALUE,
}
HINTS = {
    Code.MISSING_KEY: "add the key",
    Code.UNKNOWN_KEY: "remove the key or correct its spelling",
    Code.WRONG_TYPE: "write a value of the expected type",
    Code.BAD_VALUE: "use one of the allowed values",
    Code.SCORE_OUT_OF_RANGE: "scores are on the anchored 1-5 scale",
    Code.RANGE_ORDER: "set low <= value <= high",
    Code.EMPTY_RATIONALE: "say in one line why this score fits this recommendation",
    Code.NAN_WEIGHT: "write a number, e.g. 1",
    Code.NEGATIVE_WEIGHT: "use 0 to ignore a criterion; weights cannot be negative",
    Code.ZERO_WEIGHTS: "give at least one criterion a weight above 0",
    Code.SCHEMA_VERSION: "set schema_version: 1",
}


# --- reading ---------------------------------------------------------------------------------


def read_yaml(path: Path, display: str, problems: list[Problem]) -> Any | None:
    """Return the parsed YAML at ``path`` (safe_load), or None after recording why not.

    ``display`` names the file in problems (a path relative to its root).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(
            Problem(
                code=Code.FILE_MISSING,
                file=display,
                key_path="",
                expected="a file",
                found="nothing",
                hint="create it",
            )
        )
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(
            Problem(
                code=Code.FILE_UNREADABLE,
                file=display,
                key_path="",
                expected="a readable UTF-8 file",
                found=str(exc),
            )
        )
        return None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(
            Problem(
                code=Code.YAML_SYNTAX,
                file=display,
                key_path=where,
                expected="valid YAML",
                found=reason,
                hint="check indentation, colons and quotes near that line",
            )
        )
        return None


def check_schema_version(version: int) -> int:
    """A pydantic field validator for ``schema_version``: the one supported version."""
    if version != SCHEMA_VERSION:
        raise PydanticCustomError(
            Code.SCHEMA_VERSION.value,
            "schema_version {found} is not supported; this recscore reads {supported}",
            {"found": version, "supported": SCHEMA_VERSION},
        )
    return version


# --- problems --------------------------------------------------------------------------------


def problems_from_pydantic(
    exc: pydantic.ValidationError,
    display: str,
    data: Mapping[str, Any],
    loc_prefix: tuple[int | str, ...] = (),
    *,
    in_file: bool = True,
) -> list[Problem]:
    """One problem per pydantic error, with our codes, hints and readable key paths.

    ``data`` is the whole file's data, used to name list items by id in key paths;
    ``loc_prefix`` places the validated part inside it. ``display`` names the file, or with
    ``in_file=False`` the form or option the data came from.
    """
    place = {"file": display} if in_file else {"where": display}
    problems = []
    for error in exc.errors(include_url=False):
        kind = error["type"]
        code = _code_for(kind)
        expected = error["msg"].removeprefix("Input should be ").removeprefix("Value error, ")
        found = "nothing" if kind == "missing" else short_repr(error.get("input"))
        problems.append(
            Problem(
                code=code,
                key_path=key_path((*loc_prefix, *error["loc"]), data),
                expected=expected,
                found=found,
                hint=HINTS[code],
                **place,
            )
        )
    return problems


def unknown_criterion(
    key: object,
    criterion_ids: Sequence[str],
    *,
    file: str = "",
    where: str = "",
    key_path: str | None = None,
    hint: str = "correct the criterion id",
) -> Problem:
    """The problem of a criterion id no criterion has (``key_path`` defaults to the key)."""
    return Problem(
        code=Code.UNKNOWN_CRITERION,
        file=file,
        where=where,
        key_path=str(key) if key_path is None else key_path,
        expected=f"one of {list(criterion_ids)}",
        found=repr(key),
        hint=hint,
    )


def id_mismatch(display: str, stem: str, found_id: str) -> Problem:
    """The problem of a file whose ``id`` is not its file name's stem (profiles, sets)."""
    return Problem(
        code=Code.BAD_VALUE,
        file=display,
        key_path="id",
        expected=f"the file name's stem {stem!r}",
        found=repr(found_id),
        hint=f"rename the file to {found_id}.yaml or set id: {stem}",
    )


def not_a_mapping(display: str, data: object, expected: str, hint: str) -> Problem:
    """The problem of a file (or part of one) that is not the mapping its schema wants."""
    return Problem(
        code=Code.WRONG_TYPE,
        file=display,
        expected=expected,
        found=type(data).__name__,
        hint=hint,
    )


def _code_for(pydantic_type: str) -> Code:
    if pydantic_type in Code._value2member_map_:
        return Code(pydantic_type)
    if pydantic_type in _PYDANTIC_CODES:
        return _PYDANTIC_CODES[pydantic_type]
    return Code.WRONG_TYPE


def key_path(loc: Iterable[int | str], data: Mapping[str, Any]) -> str:
    """Render a pydantic location as ``recommendations[3] (id d000-x).scores.leverage``."""
    parts: list[str] = []
    node: Any = data
    for step in loc:
        if isinstance(step, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{step}]"]
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                parts[-1] += f" (id {node['id']})"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts)


def short_repr(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters for a problem's "found"."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- writing ---------------------------------------------------------------------------------


@contextmanager
def locked(
    folder: Path, lock_file: Path, timeout: float, *, display: str, unwritable_hint: str
) -> Iterator[None]:
    """Hold the lock ``lock_file`` (inside ``folder``, created if needed) for a write.

    ``display`` names the folder in problems; ``unwritable_hint`` says where else to write.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            Code.WORKSPACE_UNWRITABLE,
            display,
            "",
            "a folder recscore can create and write",
            str(exc),
            unwritable_hint,
            in_file=True,
        ) from None
    lock = filelock.FileLock(str(lock_file), timeout=timeout)
    try:
        with lock:
            yield
    except filelock.Timeout:
        raise InputError(
            Code.WORKSPACE_LOCKED,
            f"{display}/{lock_file.name}",
            "",
            f"the lock free within {timeout:g} s",
            "held by another session",
            "try again; if no recscore is running, delete the .lock file",
            in_file=True,
        ) from None


class _Dumper(yaml.SafeDumper):
    """Safe YAML whose strings read back exactly.

    PyYAML writes some line breaks (NEL, U+2028) and control characters raw in plain or
    single-quoted scalars, where reading folds them into spaces; double quotes escape them.
    """


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    needs_escapes = any(not ch.isprintable() for ch in text)
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style='"' if needs_escapes else None
    )


_Dumper.add_representer(str, _represent_str)


def yaml_text(data: Mapping[str, Any]) -> str:
    """``data`` as safe YAML in its own key order, strings that read back exactly."""
    return yaml.dump(dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then replace ``path``.

    A reader sees the old file or the new one, never half of one; nothing is left behind on
    failure. The file keeps the mode of the one it replaces (a new one: 0666 less the umask,
    as ``open`` would give; ``mkstemp`` alone would give 0600). The folder must exist;
    OSError goes to the caller, which words it.
    """
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    """The process's umask, read without changing it (Linux); 0o022 where unknown."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def write_yaml_atomically(path: Path, data: Mapping[str, Any]) -> None:
    """:func:`write_bytes_atomically` of ``data`` as YAML, creating the folder if needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomically(path, yaml_text(data).encode("utf-8"))
