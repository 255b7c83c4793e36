"""The brief's method section in words: how each aggregation method makes its totals.

One function per method, each stating the documented formula of :mod:`scoring.methods`
with the settings the ranking actually used (``Ranking.settings``), what its range beside
each total means, and how its per-criterion figures relate to the total. Settings other
than the method's defaults are also stated in a few words of their own (:func:`settings_text`),
so a reader sees at once that the brief departs from them. The same wording serves every
format, so it keeps to characters the PDF's embedded font can draw (no Greek).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scoring.methods import spec_settings

__all__ = ["METHOD_DESCRIPTIONS", "default_settings", "method_text", "settings_text"]

# One line per method for "Method: ..."; keys are scoring.methods.METHODS.
METHOD_DESCRIPTIONS = {
    "weighted_sum": "weighted sum of normalised scores",
    "topsis": "TOPSIS, closeness to the ideal point",
    "promethee_ii": "PROMETHEE II, net outranking flow",
}

_NORMALISED = (
    "Each 1–5 score is mapped onto 0–1 on the scale's fixed ends (1 becomes 0 and 5 "
    "becomes 1), with cost criteria reversed"
)
_JUDGEMENTS = (
    "Scores are judgements on anchored scales, grounded in the quoted text; they place "
    "recommendations against fixed scale ends, not against a do-nothing baseline."
)
_RANK_RANGE = (
    "the rank range is the best and worst rank those ranges allow. Where two ranges overlap, "
    "the order between them is not settled."
)


def method_text(method: str, count: int, settings: Mapping[str, Any]) -> tuple[str, ...]:
    """Paragraphs of the method section for ``method`` (a name from ``METHODS``).

    ``count`` is how many recommendations were ranked; ``settings`` the ranking's method
    settings (TOPSIS anchors; PROMETHEE preference function and thresholds).
    """
    paragraphs = _PARAGRAPHS[method](settings)
    if dict(settings) != default_settings(method):
        paragraphs += (
            f"Settings chosen for this brief: {settings_text(method, settings)}, instead of "
            f"the defaults ({settings_text(method, default_settings(method))}).",
        )
    ranked = f"{count} recommendation{'s' if count != 1 else ''} ranked."
    return (*paragraphs, _JUDGEMENTS, ranked)


def default_settings(method: str) -> dict[str, Any]:
    """Every setting of ``method`` (a name from ``METHODS``) at its default, by name."""
    return spec_settings(method)


# The preference functions' names as a sentence gives them (scoring.methods.PREFERENCE_FUNCTIONS).
_PREFERENCE_NAMES = {
    "usual": "usual",
    "u_shape": "U-shape",
    "v_shape": "V-shape",
    "level": "level",
    "linear": "linear",
}
# The thresholds each preference function uses (usual none, U-shape q, V-shape p).
_THRESHOLDS_USED = {
    "usual": (),
    "u_shape": ("q",),
    "v_shape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
}


def settings_text(method: str, settings: Mapping[str, Any]) -> str:
    """The settings in a few words, e.g. ``level preference, q = 0.5, p = 1.5`` or ``ideal
    points at the observed extremes``; "" for the weighted sum, which has none.

    ``settings`` are keyed like ``Ranking.settings``; missing ones take their defaults.
    """
    if method == "topsis":
        anchors = settings.get("anchors", "scale")
        return "ideal points at the " + (
            "scale ends" if anchors == "scale" else "observed extremes"
        )
    if method != "promethee_ii":
        return ""
    kind = settings.get("preference", "linear")
    words = [f"{_PREFERENCE_NAMES.get(kind, kind)} preference"]
    for name in _THRESHOLDS_USED.get(kind, ("q", "p")):
        value = settings.get(name, default_settings(method)[name])
        if isinstance(value, Mapping):
            words.append(f"{name} per criterion ({_threshold(value, name)})")
        else:
            words.append(f"{name} = {_threshold(value, name)}")
    return ", ".join(words)


def _weighted_sum(settings: Mapping[str, Any]) -> tuple[str, ...]:
    return (
        f"Method: {METHOD_DESCRIPTIONS['weighted_sum']}. {_NORMALISED}, and multiplied by "
        "its criterion's weight; weights sum to 1, so totals run from 0 (worst on everything) "
        "to 1.",
        "The range beside each total is the total when every score moves to the worst or to "
        f"the best end of its evidence range; {_RANK_RANGE} Equal totals are ordered by "
        "recommendation id.",
    )


def _topsis(settings: Mapping[str, Any]) -> tuple[str, ...]:
    if settings.get("anchors", "scale") == "scale":
        anchors = (
            "The ideal point is every criterion at the best end of its scale and the "
            "anti-ideal every criterion at the worst end (the scale's anchors, not the best "
            "and worst in the catalog), so one recommendation's closeness does not depend on "
            "which others are ranked."
        )
        interval = (
            "The range beside each closeness is the closeness when every score moves to the "
            "worst or to the best end of its evidence range"
        )
    else:
        anchors = (
            "The ideal point is the best weighted value observed on each criterion and the "
            "anti-ideal the worst observed (the textbook form), so adding or removing a "
            "recommendation can change the others' closeness."
        )
        interval = (
            "The range beside each closeness is the closeness when that recommendation's "
            "scores move to the worst or to the best end of their evidence ranges while the "
            "others keep theirs"
        )
    return (
        f"Method: {METHOD_DESCRIPTIONS['topsis']} (Hwang and Yoon). {_NORMALISED}, and "
        "multiplied by its criterion's weight (weights sum to 1). "
        f"{anchors} With D+ the straight-line (Euclidean) distance of a recommendation's "
        "weighted scores from the ideal point and D− from the anti-ideal, its closeness is "
        "D− / (D− + D+): 0 at the anti-ideal, 1 at the ideal.",
        "The per-criterion figures (the coloured parts of the chart's tracks) are the weighted "
        "normalised scores from which those distances are measured; they do not add up to "
        "the closeness.",
        f"{interval}; {_RANK_RANGE} Equal closeness values are ordered by recommendation id.",
    )


def _threshold(value: Any, name: str) -> str:
    """A threshold as a number, or per criterion with the default for those not listed."""
    if isinstance(value, Mapping):
        listed = ", ".join(f"{key} {number:g}" for key, number in value.items())
        otherwise = f"{default_settings('promethee_ii')[name]:g}"
        return f"{listed}, otherwise {otherwise}" if listed else otherwise
    return f"{value:g}"


def _preference_words(settings: Mapping[str, Any]) -> str:
    kind = settings.get("preference", "linear")
    q, p = _threshold(settings.get("q", 0.0), "q"), _threshold(settings.get("p", 2.0), "p")
    if kind == "usual":
        return "the usual preference function: any difference is a full preference"
    if kind == "u_shape":
        return (
            f"a U-shape preference function: a difference above q = {q} scale points is a "
            "full preference, smaller ones count for nothing"
        )
    if kind == "v_shape":
        return (
            "a V-shape preference function: the preference grows in proportion to the "
            f"difference and is full from p = {p} scale points"
        )
    if kind == "level":
        return (
            f"a level preference function: a difference above q = {q} scale points is half "
            f"a preference, above p = {p} a full one"
        )
    words = (
        f"a linear preference function with indifference threshold q = {q} and preference "
        f"threshold p = {p} scale points: P(d) = 0 up to q, (d − q) / (p − q) between, 1 "
        "from p"
    )
    if (settings.get("q", 0.0), settings.get("p", 2.0)) == (0.0, 2.0):
        words += " (one level better is half a preference, two or more a full one)"
    return words


def _promethee(settings: Mapping[str, Any]) -> tuple[str, ...]:
    return (
        f"Method: {METHOD_DESCRIPTIONS['promethee_ii']} (Brans). Every pair of "
        "recommendations is compared criterion by criterion on the 1–5 scale, cost criteria "
        "reversed. A difference d in one's favour gives it a preference P(d) from 0 to 1, by "
        f"{_preference_words(settings)}.",
        "A recommendation's net flow is the weighted sum, over the criteria, of its average "
        "preference over each other recommendation minus theirs over it: "
        "net flow(a) = sum over criteria c of w_c × (sum over the others b of "
        "[P_c(a, b) − P_c(b, a)]) / (n − 1). It runs from −1 (every other "
        "recommendation fully preferred on every criterion) to +1; 0 is even. The "
        "per-criterion figures (the chart's segments) are each weight times that "
        "criterion's own net flow, so they add up to the net flow; a negative one is a "
        "criterion on which the others are preferred.",
        "Net flows compare the recommendations ranked with one another: a filter, or adding "
        "or removing a recommendation, can change them and their order.",
        "The range beside each net flow is the net flow when that recommendation's scores "
        "move to the worst or to the best end of their evidence ranges while the others keep "
        f"theirs; {_RANK_RANGE} Equal net flows are ordered by recommendation id.",
    )


_PARAGRAPHS: dict[str, Callable[[Mapping[str, Any]], tuple[str, ...]]] = {
    "weighted_sum": _weighted_sum,
    "topsis": _topsis,
    "promethee_ii": _promethee,
}
