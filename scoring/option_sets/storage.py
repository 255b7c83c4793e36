"""Saved option sets in the workspace (sets/<id>.yaml): the one module reading and writing them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pydantic

from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.io import (
    id_mismatch,
    not_a_mapping,
    problems_from_pydantic,
    read_yaml,
    write_yaml_atomically,
)
from scoring.model import Catalog
from scoring.workspace import Workspace, require_usable_id, write_named_yaml

if TYPE_CHECKING:
    pass
from scoring.option_sets.sets import (
    SETS_DIR,
    OptionSet,
    builtin_sets,
    set_id_for,
    set_member_problems,
)

__all__ = [
    "delete_user_set",
    "drop_members",
    "load_user_sets",
    "save_user_set",
    "user_sets_holding",
]


def _sets_dir(workspace: Workspace) -> Path:
    return workspace.root / SETS_DIR


def _set_path(workspace: Workspace, set_id: str) -> Path:
    """The file of a saved set; an id that could name a file elsewhere is refused."""
    return workspace.named_path(_sets_dir(workspace), set_id, "set")


def save_user_set(
    workspace: Workspace,
    catalog: Catalog,
    name: str,
    members: Sequence[str],
    description: str = "",
    *,
    set_id: str | None = None,
    replace: bool = False,
) -> OptionSet:
    """Validate and save a user set as ``sets/<id>.yaml`` in the workspace; return it.

    The id is derived from the name unless given (editing a set keeps its id). Raises
    ValidationError for unknown or repeated members, InputError for a name that gives no id,
    an id a built-in set uses, or an existing user set when ``replace`` is False. A set whose
    members conflict is saved: it is flagged when evaluated, not refused.
    """
    source = "set name"
    chosen_id = set_id or set_id_for(name)
    require_usable_id(chosen_id, name, source, example="Quiet engagement")
    if chosen_id in {s.id for s in builtin_sets(catalog)}:
        raise InputError(
            Code.DUPLICATE_ID,
            source,
            "name",
            "a name no built-in set uses",
            repr(name),
            "choose another name; built-in sets cannot be replaced",
        )
    try:
        option_set = OptionSet(
            id=chosen_id,
            name=name,
            description=description.strip(),
            members=tuple(members),
            origin="user",
        )
    except pydantic.ValidationError as exc:
        data = {"name": name, "members": list(members)}
        raise ValidationError(problems_from_pydantic(exc, source, data, in_file=False)) from None
    problems = set_member_problems(option_set, catalog, source)
    if problems:
        raise ValidationError(problems)
    path = _set_path(workspace, chosen_id)
    write_named_yaml(
        workspace, path, _set_file_data(option_set), source, name, kind="set", replace=replace
    )
    return option_set


def _set_file_data(option_set: OptionSet) -> dict[str, Any]:
    data = option_set.model_dump(mode="json", exclude={"origin"})
    data["members"] = list(option_set.members)
    return data


def load_user_sets(
    workspace: Workspace, catalog: Catalog
) -> tuple[tuple[OptionSet, ...], tuple[Problem, ...]]:
    """The user's saved sets and the problems of any that cannot be used.

    Never raises for bad content: a set file that does not parse, breaks the schema, names a
    recommendation the catalog lacks or takes a built-in set's id is reported in the problems
    (warnings) and left out; the file stays as it is for the user to repair.
    """
    folder = _sets_dir(workspace)
    if not folder.is_dir():
        return (), ()
    builtin_ids = {s.id for s in builtin_sets(catalog)}
    sets: list[OptionSet] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        display = path.as_posix()
        found: list[Problem] = []
        data = read_yaml(path, display, found)
        option_set = None
        if not found and not isinstance(data, dict):
            found.append(
                not_a_mapping(
                    display,
                    data,
                    "a mapping with id, name and members",
                    "save the set again from the app",
                )
            )
        elif not found and isinstance(data, dict):
            try:
                option_set = OptionSet.model_validate({**data, "origin": "user"})
            except pydantic.ValidationError as exc:
                found += problems_from_pydantic(exc, display, data)
        if option_set is not None:
            found += set_member_problems(option_set, catalog, display)
            if option_set.id != path.stem:
                found.append(id_mismatch(display, path.stem, option_set.id))
            if option_set.id in builtin_ids:
                found.append(
                    Problem(
                        code=Code.DUPLICATE_ID,
                        file=display,
                        key_path="id",
                        expected="an id no built-in set uses",
                        found=repr(option_set.id),
                        hint="rename the set; the built-in one is used instead",
                    )
                )
        problems += found
        if option_set is not None and not found:
            sets.append(option_set)
    return tuple(sets), tuple(problems)


def delete_user_set(workspace: Workspace, set_id: str) -> None:
    """Delete a saved set at the user's request (built-in sets are not in the workspace)."""
    path = _set_path(workspace, set_id)
    with workspace.locked():
        if not path.exists():
            raise InputError(
                Code.UNKNOWN_SET,
                _sets_dir(workspace).as_posix(),
                set_id,
                "a saved set",
                repr(set_id),
                "it may have been deleted in another session; reload",
                in_file=True,
            )
        path.unlink()


def user_sets_holding(
    workspace: Workspace, ids: Iterable[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The saved sets (ids) holding any of ``ids``: those that would keep other members, and
    those that would be left empty (see :func:`drop_members`)."""
    gone = set(ids)
    changed: list[str] = []
    emptied: list[str] = []
    for path, members in _raw_set_files(workspace):
        if gone & set(members):
            (changed if set(members) - gone else emptied).append(path.stem)
    return tuple(changed), tuple(emptied)


def drop_members(workspace: Workspace, ids: Iterable[str]) -> None:
    """Under the workspace's lock: take ``ids`` out of every saved set; a set left empty is
    deleted (a removed document's recommendations leave every set)."""
    gone = set(ids)
    for path, members in _raw_set_files(workspace):
        if not gone & set(members):
            continue
        rest = [m for m in members if m not in gone]
        if not rest:
            path.unlink()
            continue
        data = read_yaml(path, path.as_posix(), [])
        write_yaml_atomically(path, {**(data or {}), "members": rest})


def _raw_set_files(workspace: Workspace) -> list[tuple[Path, list[str]]]:
    """Every saved set file with its members as written (valid for the catalog or not)."""
    folder = _sets_dir(workspace)
    files = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        data = read_yaml(path, path.as_posix(), [])
        members = data.get("members") if isinstance(data, dict) else None
        if isinstance(members, list):
            files.append((path, [m for m in members if isinstance(m, str)]))
    return files
