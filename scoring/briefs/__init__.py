"""Ranked briefs: one content model built from the engine, rendered to six formats.

- :class:`BriefSpec` is what a user asks for; :func:`build_brief` validates it, ranks once
  and returns the :class:`Brief` (content only, no layout). :func:`method_settings` turns a
  method object (``scoring.methods.Topsis``, ``PrometheeII``) into the spec's settings.
- :func:`render_brief` lays a brief out as Markdown, HTML, Word, PDF, CSV or Excel bytes;
  :func:`brief_files` does both for every format of the spec (what the app page calls).
- :func:`write_atomically` writes a file whole or not at all (what the CLI calls).
- :func:`load_scenario` and :func:`brief_from_scenario` rebuild a brief from the scenario
  in its reproducibility record.

Format libraries are imported only when their format is rendered, and each name here only
when first used (PEP 562): ``scoring.briefs.escape`` is what the CLI's tables need, and it
should not cost the content model's imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scoring.briefs.content import (
        FORMATS,
        METHODS,
        Brief,
        BriefSpec,
        Filters,
        apply_overrides,
        build_brief,
        method_settings,
    )
    from scoring.briefs.output import (
        MEDIA_TYPES,
        SUFFIXES,
        brief_files,
        render_brief,
        render_briefs,
        write_atomically,
    )
    from scoring.briefs.reproducibility import catalog_sha256
    from scoring.briefs.scenario import Scenario, brief_from_scenario, load_scenario, parse_scenario

# Each public name and the module that defines it.
_EXPORTS: dict[str, str] = {
    "FORMATS": "scoring.briefs.content",
    "METHODS": "scoring.briefs.content",
    "Brief": "scoring.briefs.content",
    "BriefSpec": "scoring.briefs.content",
    "Filters": "scoring.briefs.content",
    "apply_overrides": "scoring.briefs.content",
    "build_brief": "scoring.briefs.content",
    "method_settings": "scoring.briefs.content",
    "MEDIA_TYPES": "scoring.briefs.output",
    "SUFFIXES": "scoring.briefs.output",
    "brief_files": "scoring.briefs.output",
    "render_brief": "scoring.briefs.output",
    "render_briefs": "scoring.briefs.output",
    "write_atomically": "scoring.briefs.output",
    "catalog_sha256": "scoring.briefs.reproducibility",
    "Scenario": "scoring.briefs.scenario",
    "brief_from_scenario": "scoring.briefs.scenario",
    "load_scenario": "scoring.briefs.scenario",
    "parse_scenario": "scoring.briefs.scenario",
}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'scoring.briefs' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "METHODS",
    "SUFFIXES",
    "Brief",
    "BriefSpec",
    "Filters",
    "Scenario",
    "apply_overrides",
    "brief_files",
    "brief_from_scenario",
    "build_brief",
    "catalog_sha256",
    "load_scenario",
    "method_settings",
    "parse_scenario",
    "render_brief",
    "render_briefs",
    "write_atomically",
]
