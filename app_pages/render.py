"""Small drawing helpers shared by pages: names, markers, problems and escaped HTML.

Document text is escaped with :func:`html.escape` before any tag is added, so a quote that
contains ``<`` or ``&`` is shown as written and can never inject markup.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

import streamlit as st

from app_pages.state import View
from scoring.errors import Problem, RecscoreError, ValidationError
from scoring.methods import MethodSpec
from scoring.model import Catalog, Recommendation, Score, SourceDocument
from scoring.sources import Passage, Segment
from scoring.wording import weight_text

__all__ = [
    "MARK_COLOR",
    "SELECTED_COLOR",
    "change_text",
    "document_html",
    "md",
    "method_sentence",
    "passage_html",
    "percent",
    "problem_text",
    "range_text",
    "rank_text",
    "score_text",
    "scores_html",
    "short_document_name",
    "show_flash",
    "show_problems",
    "stop_if_none_shown",
    "tie_text",
    "truncate",
]

MARK_COLOR = "#fde68a"  # amber 200: a quote
SELECTED_COLOR = "#f59e0b"  # amber 500: the quote being read
SELECTED_ANCHOR = "rs-selected"
# Scrolls the nearest scrolling box (the text's container), not the page, to the picked quote.
_SCROLL_TO_SELECTED = f"""<script>
(() => {{
  const mark = document.getElementById("{SELECTED_ANCHOR}");
  let box = mark && mark.parentElement;
  while (box && !/(auto|scroll)/.test(getComputedStyle(box).overflowY)) box = box.parentElement;
  if (box) box.scrollTop += mark.getBoundingClientRect().top - box.getBoundingClientRect().top - 80;
}})();
</script>"""
_PARENTHESIS = re.compile(r"\(([^()]*)\)\s*$")

_STYLE = """
<style>
.rs-passage {font-size: 1rem; line-height: 1.6; border-left: 4px solid #d1d5db;
  padding: 0.25rem 0 0.25rem 1rem; margin: 0.25rem 0 1rem 0; color: #374151;}
.rs-passage mark {background: #fde68a; color: #111827; padding: 0 2px; border-radius: 2px;}
.rs-doc p {line-height: 1.6; margin: 0 0 0.8rem 0;}
.rs-doc mark {padding: 0 1px; border-radius: 2px; color: #111827;}
.rs-doc sup {font-weight: 600; color: #92400e; margin-left: 1px;}
.rs-scores {border-collapse: collapse; width: 100%; font-size: 0.9rem;}
.rs-scores th {text-align: left; border-bottom: 2px solid #d1d5db; padding: 4px 6px;}
.rs-scores td {border-bottom: 1px solid #e5e7eb; padding: 4px 6px; vertical-align: top;}
.rs-scores td.num {white-space: nowrap; text-align: right;}
.rs-override {color: #b45309; font-weight: 600; white-space: nowrap;}
</style>
"""


def short_document_name(document: SourceDocument) -> str:
    """The kind of document in the label's parenthesis ("ChinaFile conversation")."""
    match = _PARENTHESIS.search(document.meta.label)
    name = match.group(1) if match else document.meta.doc_type
    if not name or name == "unknown":
        name = document.name
    return name[0].upper() + name[1:]


BASELINE_SOURCE = "Status quo (baseline)"


def document_names(catalog: Catalog) -> dict[str, str]:
    """Each document's short name by file name; the status quo's empty name is the baseline."""
    names = {doc.name: short_document_name(doc) for doc in catalog.documents}
    return {**names, "": BASELINE_SOURCE} if catalog.baseline is not None else names


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|$~])")


def md(text: str) -> str:
    """``text`` shown as written inside Markdown: no emphasis, links, HTML, LaTeX ($), emoji
    codes or autolinked addresses."""
    return inert_markdown(_MARKDOWN_SPECIAL.sub(r"\\\1", text))


# Streamlit's Markdown goes beyond CommonMark on text that is already parsed, where a backslash
# escape cannot reach: it links bare addresses (``http://``, ``www.``, e-mail) and turns
# ``:name:``, ``:material/name:`` and ``:red[...]`` into emoji, icons and colours. A word
# joiner (U+2060, invisible) after the colon or inside the address breaks each pattern. Code
# is left alone: Streamlit does not touch it, and the scenario in it must stay exact.
WORD_JOINER = "\u2060"
_STREAMLIT_MARKUP = re.compile(
    r"(?<=:)(?=[\w+\-\\/])"  # :smile:, :+1:, :material/x:, :red[, "://" (or ":\/\/")
    r"|(?<=www)(?=\\?\.)"  # www.example
    r"|(?<=@)(?=[A-Za-z0-9])"  # name@example.org
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")


def _inert_line(line: str) -> str:
    parts, start = [], 0
    for span in _CODE_SPAN.finditer(line):
        parts.append(_STREAMLIT_MARKUP.sub(WORD_JOINER, line[start : span.start()]))
        parts.append(span.group(0))
        start = span.end()
    parts.append(_STREAMLIT_MARKUP.sub(WORD_JOINER, line[start:]))
    return "".join(parts)


def inert_markdown(text: str) -> str:
    """CommonMark that is already escaped (the brief's, or :func:`md`'s) made inert for Streamlit.

    Outside code blocks and code spans, breaks the patterns Streamlit links or replaces after
    parsing; what a reader sees is unchanged.
    """
    lines, fence = [], ""
    for line in text.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                fence = ""
            lines.append(line)
        elif opening:
            fence = opening.group(1)
            lines.append(line)
        else:
            lines.append(_inert_line(line))
    return "\n".join(lines)


def percent(share: float) -> str:
    """A weight share as ``12.5%`` or ``30%`` (:func:`scoring.wording.weight_text`)."""
    return weight_text(share)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def score_text(value: float, signed: bool = False) -> str:
    """A total to two decimals; ``signed`` (net flows) adds + and never shows -0.00."""
    rounded = round(value, 2) + 0.0  # -0.0 + 0.0 is 0.0
    return f"{rounded:+.2f}" if signed else f"{rounded:.2f}"


def range_text(score: Score) -> str:
    """A score with the range the evidence allows: ``3 [2–4]``."""
    return f"{score.value:g} [{score.low:g}–{score.high:g}]"


def change_text(change: int) -> str:
    """Places gained against the profile's own ranking: ▲ up, ▼ down, nothing if unchanged."""
    if change > 0:
        return f"▲ {change}"
    if change < 0:
        return f"▼ {-change}"
    return ""


def rank_text(rank: int, tied: int) -> str:
    """A competition rank: ``3``, or ``3= (4)`` for a tie of four at rank 3."""
    return f"{rank}= ({tied})" if tied > 1 else str(rank)


def tie_text(exact: bool, near: bool) -> str:
    """``=`` the same score as the next row, ``≈`` a near-tie with it: the draws rank it above
    the next in 40-60% of them (``scoring.robustness.NEAR_TIE``)."""
    if exact:
        return "="
    if near:
        return "≈"
    return ""


def problem_text(problem: Problem) -> str:
    where = f"{problem.place}: {problem.key_path}" if problem.key_path else problem.place
    text = f"**{md(where)}** — expected {md(problem.expected)}, found {md(problem.found)}"
    return f"{text}. *Fix:* {md(problem.hint)}" if problem.hint else text


def show_problems(problems: Sequence[Problem], heading: str, kind: str = "error") -> None:
    """One box listing every problem (where, expected, found, fix)."""
    body = heading + "\n\n" + "\n".join(f"- {problem_text(p)}" for p in problems)
    (st.error if kind == "error" else st.warning)(body)


def show_failure(exc: RecscoreError, heading: str, kind: str = "error") -> None:
    """How every page shows an engine failure: each problem listed under ``heading``.

    Every error the engine raises on purpose carries its problems; any other says itself.
    """
    if isinstance(exc, ValidationError):
        show_problems(exc.problems, heading, kind)
    else:
        (st.error if kind == "error" else st.warning)(f"{heading} {md(str(exc))}".strip())


def stop_if_none_shown(view: View) -> None:
    """Guard for a page drawn from the ranking: a short note, then stop, when the sidebar's
    filters leave no recommendation."""
    if len(view.comparison.ranking) == 0:
        st.info("No recommendation passes the filters in the sidebar.")
        st.stop()


def show_flash() -> None:
    """Messages left by an action before it reran the app; shown once."""
    for kind, message in st.session_state["flash"]:
        {"success": st.success, "warning": st.warning, "error": st.error}[kind](message)
    st.session_state["flash"] = []


def passage_html(passage: Passage) -> str:
    """The quote marked inside its paragraph."""
    return (
        f"{_STYLE}<div class='rs-passage'>{'… ' if passage.before else ''}"
        f"{html.escape(passage.before)}<mark>{html.escape(passage.quote)}</mark>"
        f"{html.escape(passage.after)}</div>"
    )


def document_html(
    paragraphs: Sequence[Sequence[Segment]],
    numbers: Mapping[str, int],
    titles: Mapping[str, str],
    selected: str | None,
) -> str:
    """The document with each quote marked and numbered; the selected one stands out.

    With a selection, a short script (no data in it) scrolls the text's box to that quote;
    draw it with ``st.html(..., unsafe_allow_javascript=True)``.
    """
    ends: dict[str, int] = {}
    for segments in paragraphs:
        for segment in segments:
            for rec_id in segment.recommendation_ids:
                ends[rec_id] = max(ends.get(rec_id, 0), segment.end)
    parts = [_STYLE, "<div class='rs-doc'>"]
    anchored = False
    for segments in paragraphs:
        parts.append("<p>")
        for segment in segments:
            text = html.escape(segment.text)
            ids = segment.recommendation_ids
            if not ids:
                parts.append(text)
                continue
            color = SELECTED_COLOR if selected in ids else MARK_COLOR
            tip = html.escape(" / ".join(f"{numbers[i]}. {titles[i]}" for i in ids), quote=True)
            anchor = ""
            if selected in ids and not anchored:
                anchor, anchored = f" id='{SELECTED_ANCHOR}'", True
            parts.append(f"<mark{anchor} style='background:{color}' title=\"{tip}\">{text}</mark>")
            ending = [i for i in ids if segment.end == ends[i]]
            if ending:
                parts.append(f"<sup>[{', '.join(str(numbers[i]) for i in ending)}]</sup>")
        parts.append("</p>")
    parts.append("</div>")
    if anchored:
        parts.append(_SCROLL_TO_SELECTED)
    return "".join(parts)


def scores_html(
    rec: Recommendation, bundled: Recommendation, catalog: Catalog, shares: Mapping[str, float]
) -> str:
    """Each criterion's score, range, weight and rationale; overrides next to the original."""
    rows = []
    for criterion in catalog.criteria:
        score, original = rec.scores[criterion.id], bundled.scores[criterion.id]
        name = html.escape(criterion.name) + (" <small>(cost)</small>" if criterion.is_cost else "")
        override = ""
        if score != original:
            override = (
                f"<div class='rs-override'>✎ edited; bundled {original.value:g} "
                f"[{original.low:g}–{original.high:g}]</div>"
            )
        rows.append(
            f"<tr><td>{name}</td><td class='num'><b>{score.value:g}</b></td>"
            f"<td class='num'>{score.low:g}–{score.high:g}</td>"
            f"<td class='num'>{percent(shares[criterion.id])}</td>"
            f"<td>{html.escape(score.rationale)}{override}</td></tr>"
        )
    return (
        f"{_STYLE}<table class='rs-scores'><thead><tr><th>Criterion</th><th>Score</th>"
        "<th>Range</th><th>Weight</th><th>Rationale</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def method_sentence(spec: MethodSpec) -> str:
    """One sentence on how the scores were made, for the page's caption."""
    return spec.caption()
