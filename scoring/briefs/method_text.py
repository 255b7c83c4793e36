"""The brief's method section in words: how the aggregation method made its totals.

Each method explains itself (:meth:`scoring.methods.Method.paragraphs`: its documented
formula with the settings the ranking actually used, what its range beside each total means,
and how its per-criterion figures relate to the total). Settings other than the method's
defaults are also stated in a few words of their own (:func:`settings_text`), so a reader
sees at once that the brief departs from them. The same wording serves every format, so it
keeps to characters the PDF's embedded font can draw (no Greek).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scoring.methods import DEFAULT_METHOD, Method, names, registry, spec_settings

__all__ = ["default_settings", "method_text", "settings_hint", "settings_text", "with_settings"]

_JUDGEMENTS = (
    "Scores are judgements on anchored scales, grounded in the quoted text; they place "
    "recommendations against fixed scale ends, not against a do-nothing baseline."
)


def with_settings(method: str, settings: Mapping[str, Any]) -> Method:
    """Method ``method`` with ``settings`` (keyed like ``Ranking.settings``; missing ones
    take their defaults)."""
    return registry.get(method)(**{**default_settings(method), **settings})


def method_text(method: str, count: int, settings: Mapping[str, Any]) -> tuple[str, ...]:
    """Paragraphs of the method section for ``method`` (a registered name).

    ``count`` is how many recommendations were ranked; ``settings`` the ranking's method
    settings (TOPSIS anchors; PROMETHEE preference function and thresholds).
    """
    paragraphs = with_settings(method, settings).paragraphs()
    if dict(settings) != default_settings(method):
        paragraphs += (
            f"Settings chosen for this brief: {settings_text(method, settings)}, instead of "
            f"the defaults ({settings_text(method, default_settings(method))}).",
        )
    ranked = f"{count} recommendation{'s' if count != 1 else ''} ranked."
    return (*paragraphs, _JUDGEMENTS, ranked)


def default_settings(method: str) -> dict[str, Any]:
    """Every setting of ``method`` (a registered name) at its default, by name."""
    return spec_settings(method)


def settings_text(method: str, settings: Mapping[str, Any]) -> str:
    """The settings in a few words, e.g. ``level preference, q = 0.5, p = 1.5`` or ``ideal
    points at the observed extremes``; "" for the weighted sum, which has none.

    ``settings`` are keyed like ``Ranking.settings``; missing ones take their defaults.
    """
    return with_settings(method, settings).settings_text()


def settings_hint() -> str:
    """Which settings each method takes, for an error's fix: "TOPSIS takes anchors ('scale'
    or 'observed'); PROMETHEE II takes preference, q and p (e.g. ...); the weighted sum
    takes none"."""
    parts, bare = [], []
    for name in names():
        method = registry.get(name)
        schema = method.settings_schema()
        if not schema:
            bare.append(("the " if name == DEFAULT_METHOD else "") + method.inline_name)
        elif len(schema) == 1 and schema[0].choices:
            choices = " or ".join(f"'{choice}'" for choice in schema[0].choices)
            parts.append(f"{method.display_name} takes {schema[0].name} ({choices})")
        else:
            listed = ", ".join(s.name for s in schema[:-1]) + f" and {schema[-1].name}"
            example = ", ".join(
                f"{s.name}: {s.default:g}" if not s.choices else f"{s.name}: {s.default}"
                for s in schema
            )
            parts.append(f"{method.display_name} takes {listed} (e.g. {example})")
    if bare:
        parts.append(f"{' and '.join(bare)} take{'s' if len(bare) == 1 else ''} none")
    return "; ".join(parts)
