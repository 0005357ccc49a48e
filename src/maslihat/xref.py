"""Figures, tables and the references to them: numbered captions, "see Figure 2", note links.

In a notebook, a chart or table gets a label, a caption and a source line:

    figure(charts.turnout_chart(...), label="fig-turnout", caption=_("Turnout by region"),
           source=cite("kazinform_2200"))
    table(frame, columns, label="tbl-seats", caption=_("Seats by party"), source=cite("cec"))

and the prose refers to it with `ref`: `say("Turnout fell ({see}).", see=ref("fig-turnout"))` or,
in a Markdown cell, `@fig-turnout`. A label starts with `fig-` (a figure) or `tbl-` (a table).

When a report is exported, `finish_report` numbers every chart ("Figure 1", …) and every table of
`maslihat.text.table` ("Table 1", …) in reading order, writes each reference as a link to its
figure ("Figure 2"), fails naming a reference whose label no figure or table has, gives the
headings ids and a report of several sections a table of contents, and links every note marker
[3] to its entry in the source list (by the source's id, so a book that numbers its sources
afresh keeps the links).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from maslihat.i18n import _

FIGURE_METADATA = "maslihat_figure"  # output metadata key: label, caption, source of a figure
LABEL = re.compile(r"^(fig|tbl)-[A-Za-z0-9][A-Za-z0-9_-]*$")
KINDS = {"fig": "figure", "tbl": "table"}
SOURCE_ANCHOR = "source-"  # the source list's entries are <li id="source-<source_id>">
TOC_MIN_SECTIONS = 3  # a report with this many sections (## headings) or more opens with contents


class ReferenceError_(ValueError):
    """A report refers to a label that no figure or table carries, or a label is malformed."""


def check_label(label: str | None, kind: str | None = None) -> str | None:
    """A label as given if it is well formed ('fig-…' for a figure, 'tbl-…' for a table)."""
    if label is None:
        return None
    found = LABEL.match(str(label))
    if not found:
        raise ReferenceError_(
            f"label {label!r}: a label is 'fig-' (a figure) or 'tbl-' (a table) followed by "
            "letters, digits and hyphens, e.g. 'fig-turnout'"
        )
    if kind and KINDS[found.group(1)] != kind:
        prefix = "fig-" if kind == "figure" else "tbl-"
        raise ReferenceError_(f"label {label!r} of a {kind} must start with {prefix!r}")
    return str(label)


def source_anchor(source_id: str) -> str:
    """The id of a source's entry in a source list: 'source-kursiv_2021'."""
    return SOURCE_ANCHOR + re.sub(r"[^A-Za-z0-9_-]", "-", str(source_id))


@dataclass(frozen=True)
class Reference:
    """A reference to a labelled figure or table, resolved to 'Figure 2' when exported."""

    label: str

    def markdown(self) -> str:
        """The reference in Markdown: a link the exporter gives its figure's number."""
        return f"[@{self.label}](#{self.label})"

    def __str__(self) -> str:
        return self.markdown()


def ref(label: str) -> Reference:
    """A reference to a figure or table by its label, for `say`: 'see {fig}' → 'see Figure 2'."""
    return Reference(check_label(label))


def figure_metadata(
    kind: str, label: str | None, caption: str | None, source: str | None
) -> dict[str, Any]:
    """What an output carries for its caption: its kind, label, caption and source line."""
    return {
        "kind": kind,
        "label": check_label(label, kind),
        "caption": None if caption is None else str(caption),
        "source": None if source is None else str(source),
    }


class Figure:
    """A chart with a label, a caption and a source line (see `figure`)."""

    def __init__(self, chart: Any, label: str | None, caption: str | None, source: str | None):
        self.chart = chart
        self.metadata = figure_metadata("figure", label, caption, source)

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        """The chart's own output, its metadata telling the report how to caption it."""
        bundle = self.chart._repr_mimebundle_(include, exclude)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        return data, {**(metadata or {}), FIGURE_METADATA: self.metadata}


def figure(
    chart: Any, label: str | None = None, caption: str | None = None, source: str | None = None
) -> Figure:
    """A chart as a numbered figure: `label` ('fig-…') for `ref`, `caption` (else the chart's
    title), `source` (the line under it, e.g. `cite("cec_2021")`)."""
    return Figure(chart, label, caption, source)


# --- Export: numbering, references, contents, note links (on the report's HTML) -------------

_MARKER = re.compile(r"\[(\d+(?:,\s*\d+)*)\]")
_BARE_REF = re.compile(r"(?<![\w@/#])@((?:fig|tbl)-[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9])")
_SKIP = {"script", "style", "a", "svg", "code", "pre", "title"}


def number_label(kind: str, n: int, caption: bool = False) -> str:
    """'Figure 2' / 'Table 1' in the report's language ('Figure 2.' before a caption)."""
    if kind == "figure":
        text = _("Figure {n}", n=n)
    else:
        text = _("Table {n}", n=n)
    return text + "." if caption else text


def _texts(node) -> Iterable[Any]:
    """Text nodes under a node that may get links (not inside links, scripts, code or SVG)."""
    from bs4 import NavigableString

    for child in list(node.descendants):
        if isinstance(child, NavigableString) and type(child) is NavigableString:
            if not any(p.name in _SKIP for p in child.parents if p is not None):
                yield child


def _replace_text(soup, node, pattern: re.Pattern, make) -> None:
    """Replace each match of `pattern` in a text node with what `make(match)` returns (nodes or
    text), leaving the text around it."""
    text = str(node)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        made = make(match)
        if made is None:
            continue
        pieces += [text[last:match.start()], *made]
        last = match.end()
    if not pieces:
        return
    pieces.append(text[last:])
    for piece in pieces:
        if piece == "":
            continue
        node.insert_before(soup.new_string(piece) if isinstance(piece, str) else piece)
    node.extract()


def number_figures(root) -> dict[str, tuple[str, int]]:
    """Number the figures and tables under `root` in reading order; write 'Figure 2.' into each
    caption; return label → (kind, number)."""
    counters = {"figure": 0, "table": 0}
    labels: dict[str, tuple[str, int]] = {}
    for fig in root.select("figure[data-kind]"):
        kind = fig["data-kind"]
        counters[kind] = counters.get(kind, 0) + 1
        n = counters[kind]
        label = fig.get("id")
        if label:
            if label in labels:
                raise ReferenceError_(f"label {label!r} is given to two figures or tables")
            labels[label] = (kind, n)
        else:
            fig["id"] = f"{kind}-{n}"
        number = fig.select_one(".maslihat-caption-number")
        if number is not None:
            number.string = number_label(kind, n, caption=True)
    return labels


def resolve_references(soup, root, labels: dict[str, tuple[str, int]]) -> None:
    """Write every reference as a link 'Figure 2'; raise naming a label nothing carries."""
    known = ", ".join(sorted(labels)) or "none"

    def target(label: str) -> tuple[str, int]:
        if label not in labels:
            raise ReferenceError_(
                f"the report refers to {label!r}, which no figure or table carries "
                f"(labels in this report: {known})"
            )
        return labels[label]

    for link in root.select('a[href^="#fig-"], a[href^="#tbl-"]'):
        text = link.get_text()
        if text.startswith("@"):
            kind, n = target(link["href"][1:])
            link.string = number_label(kind, n)
            link["class"] = [*link.get("class", []), "maslihat-ref"]
    for node in list(_texts(root)):
        def linked(match: re.Match) -> list:
            kind, n = target(match.group(1))
            a = soup.new_tag("a", href=f"#{match.group(1)}", attrs={"class": "maslihat-ref"})
            a.string = number_label(kind, n)
            return [a]

        _replace_text(soup, node, _BARE_REF, linked)


def link_notes(soup, root) -> None:
    """Make each note marker [3] or [1, 4] under `root` link to its source list entry."""
    entries = root.select(f'ol.maslihat-sources > li[id^="{SOURCE_ANCHOR}"]')
    by_number = {}
    for li in entries:
        number = li.get("data-number")
        if number and number.isdigit():
            by_number[int(number)] = li["id"]
    if not by_number:
        return
    lists = set(map(id, root.select("ol.maslihat-sources")))

    def linked(match: re.Match) -> list | None:
        numbers = [int(n) for n in re.split(r",\s*", match.group(1))]
        if not all(n in by_number for n in numbers):
            return None
        made: list = ["["]
        for i, n in enumerate(numbers):
            if i:
                made.append(", ")
            a = soup.new_tag("a", href=f"#{by_number[n]}", attrs={"class": "maslihat-note"})
            a.string = str(n)
            made.append(a)
        made.append("]")
        return made

    for node in list(_texts(root)):
        if any(id(p) in lists for p in node.parents):
            continue
        _replace_text(soup, node, _MARKER, linked)


def heading_ids(root, prefix: str = "sec") -> list[Any]:
    """Give every section heading (h2, h3) under `root` an id; return them in order."""
    headings = root.select("h2, h3")
    for n, heading in enumerate(headings, start=1):
        if not heading.get("id"):
            heading["id"] = f"{prefix}-{n}"
    return headings


def contents(soup, headings: list[Any], title: str):
    """A table of contents: a list of links to the given headings."""
    nav = soup.new_tag("nav", attrs={"class": "maslihat-toc", "aria-labelledby": "toc-title"})
    heading = soup.new_tag("p", id="toc-title", attrs={"class": "maslihat-toc-title"})
    heading.string = title
    nav.append(heading)
    items = soup.new_tag("ol")
    nav.append(items)
    for h in headings:
        item = soup.new_tag("li")
        link = soup.new_tag("a", href=f"#{h['id']}")
        link.string = h.get_text(" ", strip=True)
        item.append(link)
        items.append(item)
    return nav


def finish_report(html: str) -> str:
    """The exported report with its apparatus: numbered captions, resolved references, heading
    ids, contents (several sections) and linked note markers. Works on the <main> element."""
    from bs4 import BeautifulSoup

    start = html.find('<main class="maslihat-content">')
    end = html.rfind("</main>")
    if start < 0 or end < 0:
        return html
    end += len("</main>")
    soup = BeautifulSoup(html[start:end], "html.parser")
    main = soup.main
    labels = number_figures(main)
    resolve_references(soup, main, labels)
    link_notes(soup, main)
    headings = heading_ids(main)
    if sum(h.name == "h2" for h in headings) >= TOC_MIN_SECTIONS:
        main.insert(0, contents(soup, [h for h in headings if h.name == "h2"], _("Contents")))
    return html[:start] + str(soup) + html[end:]
