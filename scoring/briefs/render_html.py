"""The brief as one self-contained HTML file: inline CSS, charts as inline SVG, no network.

Every string from the brief goes through :func:`html_text`; the only markup not written
here is the charts' SVG, which is checked element by element before it is embedded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from xml.etree import ElementTree

from scoring.briefs.charts import render_svg
from scoring.briefs.content import (
    MATRIX_INTRO,
    SMAA_INTRO,
    SOURCES_INTRO,
    WEIGHTS_INTRO,
    Brief,
    Card,
    Chart,
    Text,
)
from scoring.briefs.escape import html_text as esc
from scoring.briefs.formatting import (
    level_text,
    rank_interval_text,
    score_name,
    score_text,
)
from scoring.briefs.memo import (
    CLASSIFICATION_BLANK,
    DECISION_LINE,
    implementation_text,
    memo_option_heading,
)

__all__ = ["render_html", "safe_svg"]

_CSS = """
body { font-family: "Segoe UI", "Helvetica Neue", Arial, sans-serif; color: #1a1a1a;
  max-width: 56rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: .4rem; }
.handling { text-align: center; font-weight: bold; }
.option ul { margin: .2rem 0; } .option li { margin: 0; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #1f3b5c; padding-bottom: .2rem;
  margin-top: 2.2rem; color: #1f3b5c; }
h3 { font-size: 1.05rem; margin-top: 1.6rem; }
dl.header { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
dl.header dt { font-weight: 600; }
dl.header dd { margin: 0; }
.bluf { background: #eef3f8; border-left: 4px solid #1f3b5c; padding: .6rem 1rem; }
.bluf li { margin: .25rem 0; }
blockquote { margin: .6rem 0; padding: .4rem 1rem; border-left: 3px solid #999;
  background: #f7f7f7; font-style: italic; }
blockquote footer { font-style: normal; font-size: .9rem; color: #444; margin-top: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0; font-size: .88rem; }
th, td { border: 1px solid #ccc; padding: .25rem .45rem; vertical-align: top; text-align: left; }
th { background: #f0f0f0; }
td.num, th.num { text-align: right; white-space: nowrap; }
.card { border: 1px solid #ccc; border-radius: 4px; padding: .2rem 1rem .8rem; margin: 1rem 0; }
.decision { font-weight: 600; letter-spacing: .02em; }
.note { color: #444; font-size: .9rem; }
figure { margin: 1rem 0; }
figure svg { width: 100%; max-width: 46rem; height: auto; }
figcaption { font-size: .85rem; color: #444; }
pre { background: #f7f7f7; padding: .6rem; overflow-x: auto; font-size: .8rem; }
@media print { h2 { break-after: avoid; } .card, figure { break-inside: avoid; }
  .annex { break-before: page; } }
"""


def _rich(text: Text) -> str:
    return "".join(f"<strong>{esc(r.text)}</strong>" if r.strong else esc(r.text) for r in text)


def _table(
    header: Iterable[str], rows: Iterable[Iterable[str]], numeric: Iterable[int] = ()
) -> str:
    """An HTML table from already-escaped cells; ``numeric`` columns align right."""
    numeric = set(numeric)
    head = "".join(
        f'<th class="num">{cell}</th>' if i in numeric else f"<th>{cell}</th>"
        for i, cell in enumerate(header)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_SVG_NS = "{http://www.w3.org/2000/svg}"
_FORBIDDEN_TAGS = {"script", "foreignobject", "iframe", "object", "embed", "a", "image", "use"}


def safe_svg(svg: str) -> str:
    """Return ``svg`` if it holds no scripts, event handlers, links or external references.

    Vega escapes chart text itself; this is a second lock, so a future renderer change
    cannot smuggle document text into markup. Raises RuntimeError (a bug, not bad input).
    """
    root = ElementTree.fromstring(svg)
    for element in root.iter():
        tag = element.tag.removeprefix(_SVG_NS).lower() if isinstance(element.tag, str) else ""
        if tag in _FORBIDDEN_TAGS:
            raise RuntimeError(f"chart SVG contains a <{tag}> element")
        for name in element.attrib:
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or local == "href":
                raise RuntimeError(f"chart SVG carries a {local} attribute")
    return svg


def _figure(chart: Chart) -> str:
    svg = safe_svg(render_svg(chart))
    return (
        f'<figure role="img" aria-label="{esc(chart.description)}">'
        f"<figcaption><strong>{esc(chart.title)}.</strong> {esc(chart.description)}"
        f"</figcaption>{svg}</figure>"
    )


def render_html(brief: Brief) -> bytes:
    """The whole brief as one UTF-8 HTML document."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No network: nothing may load from anywhere, and no script may run.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">",
        f"<title>{esc(brief.title)}</title><style>{_CSS}</style></head><body>",
        *(part for key in brief.body_sections() for part in _SECTIONS[key](brief)),
        *_annexes(brief),
        "</body></html>",
    ]
    return "\n".join(parts).encode("utf-8")


def _header(brief: Brief) -> list[str]:
    header = brief.memo.header
    items = [*header.lines(), ("Decision asked", brief.question)]
    rows = "".join(f"<dt>{esc(name)}</dt><dd>{esc(value)}</dd>" for name, value in items)
    handling = esc(header.classification or CLASSIFICATION_BLANK)
    return [
        f'<p class="handling">{handling}</p>',
        f"<h1>{esc(brief.title)}</h1>",
        f'<dl class="header">{rows}</dl>',
    ]


def _options(brief: Brief) -> list[str]:
    parts = ["<h2>Options for decision</h2>"]
    for option in brief.memo.options:
        items = [f"<li>{_rich(line)}</li>" for line in option.lines]
        if option.overtaken:
            items.append(f"<li><strong>Overtaken by events:</strong> {esc(option.overtaken)}</li>")
        if option.implementation:
            items.append(f"<li>{esc(implementation_text(option))}</li>")
        parts.append(
            f'<section class="option"><h3>{esc(memo_option_heading(option))}</h3>'
            f'<ul>{"".join(items)}</ul><p class="decision">{esc(DECISION_LINE)}</p></section>'
        )
    return parts


def _authority(brief: Brief) -> list[str]:
    return [f"<p>{_rich(brief.memo.authority)}</p>"]


def _card(brief: Brief, card: Card) -> str:
    perspectives = (
        "<ul>" + "".join(f"<li>{_rich(line)}</li>" for line in card.perspectives) + "</ul>"
        if card.perspectives
        else ""
    )
    scores = _plain_table(card.scores_table(), numeric=[2])
    overtaken = (
        f"<p><strong>Overtaken by events:</strong> {esc(card.overtaken)}</p>"
        if card.overtaken
        else ""
    )
    return (
        f'<section class="card"><h3>{card.rank}. {esc(card.title)}</h3>'
        f"<p>{esc(card.summary)}</p>"
        f"<blockquote><p>“{esc(card.quote)}”</p><footer>— "
        f"{esc(card.citation or card.document)}</footer></blockquote>"
        f"<p><strong>{score_name(brief.method)}</strong> "
        f"{esc(score_text(card.score, card.low, card.high, brief.method))}; "
        f"<strong>rank interval</strong> {rank_interval_text(card.rank_p5, card.rank_p95)} "
        f"of {brief.count}. <strong>Instrument:</strong> {esc(card.instrument)}. "
        f"<strong>Who:</strong> {esc(card.provenance)}.</p>"
        f"{overtaken}{perspectives}{scores}"
        '<p class="decision">Approve ______ &nbsp; Disapprove ______ &nbsp; Discuss ______</p>'
        "</section>"
    )


def _ranked(brief: Brief) -> list[str]:
    table = _plain_table(brief.ranked_table(), numeric=[0])
    caveats = "".join(f'<li class="note">{esc(c)}</li>' for c in brief.caveats)
    return [table, f"<ul>{caveats}</ul>" if caveats else ""]


def _tradeoffs(brief: Brief) -> list[str]:
    parts: list[str] = []
    parts += [f"<p>{_rich(line)}</p>" for line in brief.tradeoffs]
    matrix = brief.performance_matrix()
    parts.append(f'<p class="note">{esc(MATRIX_INTRO)}</p>')
    parts.append(_plain_table(matrix, numeric=range(1, len(matrix[0]))))
    parts.append(_figure(brief.charts[0]))
    return parts


def _perspectives(brief: Brief) -> list[str]:
    view = brief.perspectives
    assert view is not None
    parts = ["<ul>"]
    parts += [f"<li>{_rich(line)}</li>" for line in view.summary]
    parts.append("</ul>")
    if len(brief.charts) > 1:
        parts.append(_figure(brief.charts[1]))
    parts.append(f'<p class="note">{view.intro}</p>')
    parts.append(_plain_table(view.table(), numeric=range(1, 1 + len(view.profiles))))
    return parts


def _plain_table(table: tuple[list[str], list[list[str]]], numeric: Iterable[int] = ()) -> str:
    header, rows = table
    return _table([esc(h) for h in header], ([esc(c) for c in row] for row in rows), numeric)


def _items(lines: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"


def _option_sets(brief: Brief) -> list[str]:
    section = brief.option_sets
    assert section is not None
    parts = [_items(section.summary)]
    parts.append(_plain_table(section.table(), numeric=range(2, 7)))
    if section.interactions:
        parts.append(_items(section.interactions))
    parts.append(f'<p class="note">{esc(section.settings)}</p>')
    return parts


def _robustness(brief: Brief) -> list[str]:
    section = brief.robustness
    assert section is not None
    first = esc(brief.ranking[0].title)
    return [
        _items(section.summary),
        f'<p class="note">Where first place holds as each weight moves alone (first: {first}):</p>',
        _plain_table(section.intervals_table(), numeric=[1]),
        f'<p class="note">{SMAA_INTRO}</p>',
        _plain_table(section.acceptability_table(), numeric=range(1, 5)),
        _items(section.notes) if section.notes else "",
        f'<p class="note">{esc(section.settings)}</p>',
    ]


def _method(brief: Brief) -> list[str]:
    parts: list[str] = []
    parts += [f"<p>{esc(text)}</p>" for text in brief.method_text]
    parts.append(f'<p class="note">{esc(WEIGHTS_INTRO)}</p><ul>')
    for profile in brief.profiles:
        note = " (adjusted for this brief)" if profile.adjusted else ""
        parts.append(
            f"<li><strong>{esc(profile.name)}</strong>{note}: {esc(profile.description)}</li>"
        )
    parts.append("</ul>")
    parts.append(_plain_table(brief.weights_table(), numeric=range(2, 2 + len(brief.profiles))))
    parts.append(f"<p>{esc(brief.scales_pointer)}</p>")
    return parts


def _bottom_line(brief: Brief) -> list[str]:
    return [
        '<h2>Bottom line</h2><ul class="bluf">',
        *(f"<li>{_rich(line)}</li>" for line in brief.bottom_line),
        "</ul>",
    ]


def _cards(brief: Brief) -> list[str]:
    return [_card(brief, c) for c in brief.cards]


def _annexes(brief: Brief) -> list[str]:
    build = {
        "ranked": _ranked,
        "cards": _cards,
        "tradeoffs": _tradeoffs,
        "perspectives": _perspectives,
        "option_sets": _option_sets,
        "robustness": _robustness,
        "method": _method,
        "criteria": _criteria,
        "ranking": _full_ranking,
        "sources": _sources,
        "record": _record,
    }
    parts = []
    for key, heading in brief.annexes():
        parts += [f'<h2 class="annex">{esc(heading)}</h2>', *build[key](brief)]
    return parts


def _criteria(brief: Brief) -> list[str]:
    parts = []
    for c in brief.criteria:
        levels = "".join(f"<li>{esc(text)}</li>" for _, text in c.scale)
        parts.append(f"<h3>{esc(c.name)}</h3><p>{esc(c.definition)}</p><ol>{levels}</ol>")
    return parts


def _full_ranking(brief: Brief) -> list[str]:
    return [_plain_table(brief.full_ranking_table(), numeric=[0])]


def _sources(brief: Brief) -> list[str]:
    parts = [f"<p>{SOURCES_INTRO}</p>"]
    for entry in brief.sources:
        details = "; ".join(
            [
                *(f"{name}: {esc(value)}" for name, value in entry.details),
                f"file: {esc(entry.file)}",
            ]
        )
        parts.append(f"<h3>{esc(entry.label)}</h3><p>{details}.<br>Stance: {esc(entry.stance)}</p>")
        for quote in entry.quotes:
            place = f"{esc(quote.place)}; " if quote.place else ""
            parts.append(
                f"<blockquote><p>“{esc(quote.quote)}”</p><footer>{place}rank {quote.rank}, "
                f"{esc(quote.title)} ({esc(quote.id)})</footer></blockquote>"
            )
    return parts


def _record(brief: Brief) -> list[str]:
    record = brief.record
    parts = [
        f"<p>recscore {esc(record.tool_version)}, generated {esc(record.generated)}.</p>",
        _table(
            ["SHA-256 of", "Hash"],
            ([name, f"<code>{value}</code>"] for name, value in record.hashes),
        ),
    ]
    if record.overrides:
        items = "".join(
            f"<li>{esc(rec_id)} / {esc(criterion)}: {esc(level_text(value, low, high))}</li>"
            for rec_id, criterion, value, low, high in record.overrides
        )
        parts.append(f"<p>Score edits applied on top of the catalog:</p><ul>{items}</ul>")
    parts.append(
        "<p>Save the scenario below as <code>scenario.yaml</code>; with the same catalog, "
        "<code>recscore brief --scenario scenario.yaml --format html -o brief.html</code> "
        "rebuilds this brief's ranking and hashes.</p>"
    )
    parts.append(f"<pre>{esc(record.scenario_yaml)}</pre>")
    return parts


_SECTIONS: dict[str, Callable[[Brief], list[str]]] = {
    "header": _header,
    "bottom_line": _bottom_line,
    "options": _options,
    "authority": _authority,
}
