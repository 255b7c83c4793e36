"""Fixtures that build small, valid projects in code; tests break them one fault at a time."""

from __future__ import annotations

import os as _os
import tempfile as _tempfile

# Parsed catalogs are cached on disk (scoring.loading); keep the tests' out of ~/.cache.
_os.environ.setdefault("RECSCORE_CACHE", _tempfile.mkdtemp(prefix="recscore-test-cache-"))

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scoring.loading import load_catalog
from scoring.model import Catalog
from scoring.scope import DEFAULT_DECISION_MAKER, scoped
from scoring.workspace import ENV_VARIABLE, Workspace

REPO_ROOT = Path(__file__).resolve().parent.parent

CRITERIA: dict[str, Any] = {
    "schema_version": 1,
    "default_profile": "balanced",
    "instruments": {"dialogue": "Dialogue and engagement", "conditionality": "Conditionality"},
    "criteria": [
        {
            "id": criterion_id,
            "name": criterion_id.title(),
            "question": f"How good is it on {criterion_id}?",
            "definition": f"The {criterion_id} criterion.",
            "direction": direction,
            "scale": {level: f"level {level} of {criterion_id}" for level in range(1, 6)},
        }
        for criterion_id, direction in [
            ("leverage", "benefit"),
            ("buy_in", "benefit"),
            ("risk", "cost"),
        ]
    ],
}

DOCUMENT_TEXT = (
    "The government should restart legal\ndialogues with its counter-\nparts at once.\n\n"
    "It must also   impose costs until\nreforms are made.\n"
)


def _score(value: int, tag: str) -> dict[str, Any]:
    return {
        "value": value,
        "low": max(1, value - 1),
        "high": min(5, value + 1),
        "rationale": f"reason {tag}",
    }


SEED: dict[str, Any] = {
    "schema_version": 1,
    "document": "doc.txt",
    "label": "A test document",
    "title": "unknown",
    "stance": "Argues for both dialogue and costs.",
    "recommendations": [
        {
            "id": "t-restart",
            "title": "Restart legal dialogues",
            "summary": "Restart dialogues.",
            "quote": "restart legal dialogues with its counter-parts at once.",
            "actor": "The government",
            "instrument": "dialogue",
            "kind": "explicit",
            "scores": {
                "leverage": _score(2, "a"),
                "buy_in": _score(4, "b"),
                "risk": _score(1, "c"),
            },
        },
        {
            "id": "t-costs",
            "title": "Impose costs until reforms",
            "summary": "Impose costs.",
            "quote": "It must also impose costs until reforms are made.",
            "actor": "The government",
            "instrument": "conditionality",
            "kind": "explicit",
            "scores": {
                "leverage": _score(4, "d"),
                "buy_in": _score(1, "e"),
                "risk": _score(4, "f"),
            },
        },
    ],
}

PROFILES: dict[str, dict[str, Any]] = {
    "balanced": {
        "schema_version": 1,
        "id": "balanced",
        "name": "Balanced",
        "description": "Equal weights.",
        "weights": {"leverage": 1, "buy_in": 1, "risk": 1},
    },
    "pressure": {
        "schema_version": 1,
        "id": "pressure",
        "name": "Pressure",
        "description": "Leverage first.",
        "weights": {"leverage": 5, "buy_in": 0, "risk": 1},
    },
}

ProjectMaker = Callable[..., Path]


def write_yaml(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture
def make_project(tmp_path: Path) -> ProjectMaker:
    """Return a function writing a small valid project; keyword edits break one part of it.

    ``criteria``, ``seed`` and ``profiles`` receive deep copies of the valid data to mutate.
    """

    def make(
        criteria: Callable[[dict[str, Any]], Any] | None = None,
        seed: Callable[[dict[str, Any]], Any] | None = None,
        profiles: Callable[[dict[str, dict[str, Any]]], Any] | None = None,
    ) -> Path:
        root = tmp_path / "project"
        criteria_data, seed_data, profile_data = (
            copy.deepcopy(CRITERIA),
            copy.deepcopy(SEED),
            copy.deepcopy(PROFILES),
        )
        for edit, data in [(criteria, criteria_data), (seed, seed_data), (profiles, profile_data)]:
            if edit is not None:
                edit(data)
        write_yaml(root / "criteria" / "criteria.yaml", criteria_data)
        for profile_id, profile in profile_data.items():
            write_yaml(root / "criteria" / "profiles" / f"{profile_id}.yaml", profile)
        (root / "seeds").mkdir(parents=True, exist_ok=True)
        (root / "seeds" / "doc.txt").write_text(DOCUMENT_TEXT, encoding="utf-8")
        write_yaml(root / "seeds" / "doc.yaml", seed_data)
        return root

    return make


def score(value: float, low: float, high: float, rationale: str = "edited") -> dict[str, Any]:
    """One score edit's fields, as the score editor sends them."""
    return {"value": value, "low": low, "high": high, "rationale": rationale}


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, to prove that nothing was written."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def front_catalog() -> Catalog:
    """The bundled catalog as the CLI, app and briefs rank it by default (see ``catalog``)."""
    return scoped(load_catalog(REPO_ROOT), DEFAULT_DECISION_MAKER)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The repository's own catalog as every front ranks it by default: the U.S. executive's
    options and the status quo, the rest as context (loaded once per module; a module may
    define its own)."""
    return front_catalog()


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """An empty workspace under ``tmp_path``, which the app finds through its variable."""
    monkeypatch.setenv(ENV_VARIABLE, str(tmp_path / "ws"))
    return Workspace(tmp_path / "ws")
