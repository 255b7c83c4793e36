"""Ranked briefs: one content model built from the engine, rendered to six formats.

- :class:`BriefSpec` is what a user asks for; :func:`build_brief` validates it, ranks once
  and returns the :class:`Brief` (content only, no layout). :func:`method_settings` turns a
  method object (``scoring.methods.Topsis``, ``PrometheeII``) into the spec's settings.
- :func:`render_brief` lays a brief out as Markdown, HTML, Word, PDF, CSV or Excel bytes;
  :func:`brief_files` does both for every format of the spec (what the app page calls).
- :func:`write_atomically` writes a file whole or not at all (what the CLI calls).
- :func:`load_scenario` and :func:`brief_from_scenario` rebuild a brief from the scenario
  in its reproducibility record.

Format libraries are imported only when their format is rendered.
"""

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
