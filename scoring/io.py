"""Files: YAML reading, schema versions, problems from validation, atomic locked writes.

Every store (``scoring.loading`` for the bundled data, ``scoring.workspace`` for overrides
and profiles, ``scoring.option_sets`` for saved sets, ``scoring.intake`` for added
documents, ``scoring.briefs`` for written briefs) reads and writes through these, so a file
is read one way, a fault is worded one way and a write is whole or absent one way.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import math
import os
import reprlib
import socket
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import filelock
import pydantic
import yaml
from pydantic_core import PydanticCustomError

from scoring.errors import Code, InputError, Problem

__all__ = [
    "HINTS",
    "MAX_ALIAS_NODES",
    "MAX_YAML_DEPTH",
    "MAX_YAML_MB",
    "SCHEMA_VERSION",
    "SafeLoader",
    "check_schema_version",
    "id_mismatch",
    "key_path",
    "locked",
    "not_a_mapping",
    "problems_from_pydantic",
    "read_yaml",
    "short_repr",
    "short_text",
    "unknown_criterion",
    "write_bytes_atomically",
    "write_failure",
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


def _limit(variable: str, default: float) -> float:
    """A limit from the environment variable ``variable`` (a positive number), else ``default``."""
    try:
        value = float(os.environ.get(variable, ""))
    except ValueError:
        return default
    return value if math.isfinite(value) and value > 0 else default


# Limits on what a YAML file may expand to, checked on the parser's events before anything is
# built (README "Limits"): bytes read, nesting depth, and the nodes aliases may add.
MAX_YAML_MB = _limit("RECSCORE_YAML_MAX_MB", 16.0)
MAX_YAML_DEPTH = int(_limit("RECSCORE_YAML_MAX_DEPTH", 32))
MAX_ALIAS_NODES = int(_limit("RECSCORE_YAML_ALIAS_BUDGET", 10_000))

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeLoader(_BaseLoader):  # type: ignore[valid-type,misc,unused-ignore]
    """The C safe loader where PyYAML has libyaml, else the pure-Python one.

    Only ``safe_load`` semantics: no tags beyond YAML's own. :func:`read_yaml` runs
    :func:`_refusal` over the file's events before loading with it, so aliases, depth and
    duplicate keys are judged before a single object is built.
    """


class _RefusedError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.found)
        self.problem = problem


@dataclass
class _Frame:
    """An open mapping or sequence while scanning events."""

    mapping: bool
    anchor: str | None
    label: str  # its key path
    size: int = 1  # nodes inside it once expanded, itself included
    expect_key: bool = True
    key: str = ""
    index: int = 0
    keys: set[tuple[str, str]] = field(default_factory=set)

    def child_label(self) -> str:
        if self.mapping:
            return f"{self.label}.{self.key}" if self.label else self.key
        return f"{self.label}[{self.index}]"


_resolver = yaml.resolver.Resolver()


def _refusal(text: str, display: str) -> Problem | None:
    """Why ``text`` must not be loaded (aliases, depth, duplicate keys), or None.

    One pass over the parser's events, linear in the text: each anchor's expanded size is
    known when it closes, so an alias adds that many nodes without anything being expanded.
    """
    anchors: dict[str, int] = {}
    stack: list[_Frame] = []
    added = 0

    def refuse(code: Code, where: str, expected: str, found: str, hint: str) -> _RefusedError:
        return _RefusedError(
            Problem(
                code=code, file=display, key_path=where, expected=expected, found=found, hint=hint
            )
        )

    def place(node_size: int, scalar: yaml.ScalarEvent | None, mark: Any) -> None:
        if not stack:
            return
        top = stack[-1]
        top.size += node_size
        if not top.mapping:
            top.index += 1
        elif top.expect_key:
            top.key = short_text(scalar.value, 40) if scalar is not None else "?"
            if scalar is not None and scalar.value != "<<":
                plain = scalar.implicit[0] and scalar.tag is None
                tag = _resolver.resolve(yaml.ScalarNode, scalar.value, (plain, False))
                identity = (scalar.tag or tag, scalar.value)
                if identity in top.keys:
                    raise refuse(
                        Code.DUPLICATE_KEY,
                        top.child_label(),
                        "each key once in a mapping",
                        f"{short_repr(scalar.value, 40)} again at line {mark.line + 1}",
                        "merge the two entries into one or delete one; YAML keeps only the last",
                    )
                top.keys.add(identity)
            top.expect_key = False
        else:
            top.expect_key = True

    try:
        for event in yaml.parse(text, Loader=SafeLoader):
            if isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    anchors[event.anchor] = 1
                place(1, event, event.start_mark)
            elif isinstance(event, yaml.AliasEvent):
                if any(frame.anchor == event.anchor for frame in stack):
                    raise refuse(
                        Code.YAML_ALIASES,
                        stack[-1].child_label(),
                        "no alias inside the node it names",
                        f"*{short_text(event.anchor, 40)} refers to itself",
                        "write the value out instead of the alias",
                    )
                size = anchors.get(event.anchor, 1)  # an unknown alias: the loader words it
                added += size
                if added > MAX_ALIAS_NODES:
                    where = stack[-1].child_label() if stack else ""
                    raise refuse(
                        Code.YAML_ALIASES,
                        where,
                        f"aliases expanding to at most {MAX_ALIAS_NODES} nodes",
                        f"more than {MAX_ALIAS_NODES} (nested aliases, a 'billion laughs')",
                        "write the values out instead of aliases; recscore files need none "
                        "(or raise RECSCORE_YAML_ALIAS_BUDGET)",
                    )
                place(size, None, event.start_mark)
            elif isinstance(event, yaml.CollectionStartEvent):
                label = stack[-1].child_label() if stack else ""
                if len(stack) >= MAX_YAML_DEPTH:
                    raise refuse(
                        Code.YAML_TOO_DEEP,
                        short_text(label, 120),
                        f"at most {MAX_YAML_DEPTH} levels of nesting",
                        f"deeper, at line {event.start_mark.line + 1}",
                        "flatten the structure; recscore files need a few levels "
                        "(or raise RECSCORE_YAML_MAX_DEPTH)",
                    )
                mapping = isinstance(event, yaml.MappingStartEvent)
                stack.append(_Frame(mapping, event.anchor, label))
            elif isinstance(event, yaml.CollectionEndEvent):
                frame = stack.pop()
                if frame.anchor:
                    anchors[frame.anchor] = frame.size
                place(frame.size, None, event.start_mark)
    except _RefusedError as refused:
        return refused.problem
    except yaml.YAMLError:
        return None  # a syntax error: the loader reports it with its line
    return None


def _python_loader_error(text: str) -> BaseException | None:
    """The pure-Python loader's error on ``text`` (only after the C loader failed on it)."""
    try:
        yaml.load(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError) as exc:
        return exc
    return None


def read_yaml(path: Path, display: str, problems: list[Problem]) -> Any | None:
    """Return the parsed YAML at ``path`` (safe), or None after recording why not.

    ``display`` names the file in problems (a path relative to its root). Refused, each as
    a problem naming the file and the key: a file over ``RECSCORE_YAML_MAX_MB``, aliases
    adding more than ``RECSCORE_YAML_ALIAS_BUDGET`` nodes, nesting deeper than
    ``RECSCORE_YAML_MAX_DEPTH``, a key twice in one mapping, and an empty document.
    """

    def fault(code: Code, expected: str, found: str, hint: str, where: str = "") -> None:
        problems.append(
            Problem(
                code=code, file=display, key_path=where, expected=expected, found=found, hint=hint
            )
        )

    try:
        size = path.stat().st_size
        if size > MAX_YAML_MB * 1_000_000:
            fault(
                Code.FILE_TOO_LARGE,
                f"a YAML file of at most {MAX_YAML_MB:g} MB",
                f"{size / 1_000_000:.1f} MB",
                "split or shorten the file (or raise RECSCORE_YAML_MAX_MB)",
            )
            return None
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fault(Code.FILE_MISSING, "a file", "nothing", "create it")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        fault(
            Code.FILE_UNREADABLE,
            "a readable UTF-8 file",
            short_text(str(exc), 200),
            "check the file's permissions, or save it as UTF-8",
        )
        return None
    refusal = _refusal(text, display)
    if refusal is not None:
        problems.append(refusal)
        return None
    try:
        data = yaml.load(text, Loader=SafeLoader)  # SafeLoader: safe_load semantics
    except (yaml.YAMLError, RecursionError) as exc:
        exc = _python_loader_error(text) or exc  # its marks point nearer the fault
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or (str(exc).splitlines() or ["?"])[0]
        fault(
            Code.YAML_SYNTAX,
            "valid YAML",
            short_text(reason, 200),
            "check indentation, colons and quotes near that line",
            where,
        )
        return None
    if data is None:
        fault(
            Code.EMPTY_FILE,
            "a YAML document",
            "an empty file" if not text.strip() else "no content (only comments or null)",
            "restore the file's content from a backup or delete the file",
        )
        return None
    return data


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


_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = _REPR.maxother = 200
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6


def short_repr(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters for a problem's "found".

    Bounded however large ``value`` is: :mod:`reprlib` looks at a few items of a few levels,
    never the whole (a value built from nested aliases may be gigabytes once walked).
    """
    return short_text(_REPR.repr(value), limit)


def short_text(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- writing ---------------------------------------------------------------------------------


@contextmanager
def locked(
    folder: Path, lock_file: Path, timeout: float, *, display: str, unwritable_hint: str
) -> Iterator[None]:
    """Hold the lock ``lock_file`` (inside ``folder``, created if needed) for a write.

    ``display`` names the folder in problems; ``unwritable_hint`` says where else to write.
    The folder and the lock are created as ``open`` would (0777/0666 less the umask), so a
    team sharing a workspace under umask 002 can all take the lock. The holder writes who
    it is into the lock file, so a wait that times out can say who holds it; a lock frees
    itself when its process ends (``flock``), so deleting it is never the fix.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_failure(folder, exc, display=display, hint=unwritable_hint) from None
    lock = filelock.FileLock(str(lock_file), timeout=timeout)
    try:
        with lock:
            _record_holder(lock_file)
            yield
    except filelock.Timeout:
        raise InputError(
            Code.WORKSPACE_LOCKED,
            f"{display}/{lock_file.name}",
            "",
            f"the lock free within {timeout:g} s",
            f"held by {_holder(lock_file)}",
            "wait for that session to finish its save and try again; the lock frees itself "
            "when its process ends, so do not delete the lock file",
            in_file=True,
        ) from None
    except PermissionError as exc:
        if exc.filename is not None and Path(exc.filename) != lock_file:
            raise
        raise InputError(
            Code.WORKSPACE_UNWRITABLE,
            f"{display}/{lock_file.name}",
            "",
            "a lock file every user of the workspace can write",
            short_text(str(exc), 200),
            f"ask its owner to run 'chmod g+w {lock_file}' (and to work under umask 002); "
            "read-only commands need no lock",
            in_file=True,
        ) from None


def _record_holder(lock_file: Path) -> None:
    """Write who holds the lock into it (best effort: the lock works without it)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    since = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    text = f"process {os.getpid()} of {user} on {socket.gethostname()} since {since}\n"
    with contextlib.suppress(OSError), open(lock_file, "w", encoding="utf-8") as stream:
        stream.write(text)


def _holder(lock_file: Path) -> str:
    try:
        text = lock_file.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return short_text(text, 200) if text else "another session"


def write_failure(path: Path, exc: OSError, *, display: str = "", hint: str = "") -> InputError:
    """A failed write as a typed error naming the path and a fix for its cause."""
    fixes = {
        errno.EACCES: "make the folder writable for you (for a team: chmod -R g+w and umask "
        "002), or set RECSCORE_WORKSPACE to a writable folder",
        errno.EPERM: "make the folder writable for you, or set RECSCORE_WORKSPACE elsewhere",
        errno.EROFS: "the disk is read-only; set RECSCORE_WORKSPACE to a writable folder",
        errno.ENOSPC: "free some disk space and try again; nothing was half-written",
        errno.EDQUOT: "free some of your disk quota and try again; nothing was half-written",
        errno.ENAMETOOLONG: "choose a shorter name",
    }
    return InputError(
        Code.WORKSPACE_UNWRITABLE,
        display or path.as_posix(),
        "",
        "a file recscore can write",
        short_text(f"{exc.strerror or exc} ({path.name})", 200),
        fixes.get(exc.errno or 0, hint or "check the folder's permissions and free space"),
        in_file=True,
    )


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
