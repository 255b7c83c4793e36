"""Saved weight profiles: the workspace's ``profiles/<id>.yaml``, one profile a file.

Saved, renamed and deleted under the workspace's lock with its atomic writes
(:mod:`scoring.workspace`); read back by :func:`scoring.workspace.load_workspace` with the
loader's rules, so a profile the loader would reject can never be saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from scoring.errors import Code, InputError, Problem, ValidationError
from scoring.io import write_yaml_atomically
from scoring.loading import load_profile_file
from scoring.model import Catalog, WeightProfile
from scoring.weights import normalized_weights
from scoring.workspace import (
    Workspace,
    display_path,
    require_usable_id,
    slug,
    write_named_yaml,
    writing,
)

__all__ = ["delete_profile", "profile_id_for", "rename_profile", "save_profile"]


def profile_id_for(name: str) -> str:
    """The file-safe id (slug) of a profile name: ``"Alice's view"`` -> ``"alice_s_view"``.

    Any script is welcome in a name; the id keeps the ASCII letters and digits it folds to
    (``"Café"`` -> ``"cafe"``) and is, for a name with none (``"人权优先"``), ``profile_``
    and a short hash of the name. The name itself is stored as written.
    """
    return slug(name, "_", "profile")


def save_profile(
    workspace: Workspace,
    catalog: Catalog,
    name: str,
    weights: Mapping[str, float],
    description: str = "",
    *,
    replace: bool = False,
) -> WeightProfile:
    """Save ``weights`` as a user profile named ``name``; return it.

    The id is derived from the name. Raises InputError if the name gives no usable id, the
    id is a bundled profile's, or a user profile has it and ``replace`` is False; raises
    ValidationError for unusable weights. Criteria missing from ``weights`` get weight 0.
    """
    source = "profile name"
    profile_id = profile_id_for(name)
    require_usable_id(profile_id, name, source, example="Alice's view")
    if profile_id in catalog.profiles:
        raise InputError(
            Code.DUPLICATE_ID,
            source,
            "name",
            "a name no bundled profile uses",
            repr(name),
            "choose another name; bundled profiles cannot be replaced",
        )
    normalized_weights(weights, catalog.criterion_ids, source="weights")
    full = {cid: float(weights.get(cid, 0.0)) for cid in catalog.criterion_ids}
    profile = WeightProfile(
        id=profile_id,
        name=name.strip(),
        description=description.strip() or _default_description(),
        weights=full,
    )
    path = workspace.profile_path(profile_id)
    write_named_yaml(
        workspace, path, profile.model_dump(), source, name, kind="profile", replace=replace
    )
    return profile


def _default_description() -> str:
    return f"Saved from the dashboard on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC."


def rename_profile(
    workspace: Workspace, catalog: Catalog, profile_id: str, new_name: str
) -> WeightProfile:
    """Give a saved profile a new display name; its id (and so shared links) stays the same."""
    if not new_name.strip():
        raise InputError(
            Code.BAD_VALUE, "profile name", "name", "a non-empty name", repr(new_name), ""
        )
    path = workspace.profile_path(profile_id)
    with workspace.locked():
        problems: list[Problem] = []
        if not path.exists():
            raise _unknown_profile(workspace, profile_id)
        profile = load_profile_file(path, display_path(path), catalog.criterion_ids, problems)
        if profile is None:
            raise ValidationError(problems)
        renamed = profile.model_copy(update={"name": new_name.strip()})
        with writing(path):
            write_yaml_atomically(path, renamed.model_dump())
    return renamed


def delete_profile(workspace: Workspace, profile_id: str) -> None:
    """Delete a saved profile at the user's request (bundled profiles are not in the workspace)."""
    path = workspace.profile_path(profile_id)
    with workspace.locked():
        if not path.exists():
            raise _unknown_profile(workspace, profile_id)
        with writing(path):
            path.unlink()


def _unknown_profile(workspace: Workspace, profile_id: str) -> InputError:
    return InputError(
        Code.UNKNOWN_PROFILE,
        display_path(workspace.profiles_dir),
        profile_id,
        "a saved profile",
        repr(profile_id),
        "it may have been deleted in another session; reload the page",
        in_file=True,
    )
