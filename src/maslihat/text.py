"""Prose helpers for notebooks: numbers formatted one way, data text escaped before display.

Every value put into a sentence goes through `md`, which escapes text from the data so that it shows
as written: a `<script>` in a CSV does not run, and `[name](https://…)`, `# heading`, `![image](…)`
or a table in Markdown stay text, not a link, a heading, an image or a table.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from numbers import Number

import pandas as pd
from babel.lists import format_list
from IPython.display import HTML, Markdown, display

from maslihat import i18n
from maslihat.i18n import _
from maslihat.i18n.abbreviations import spelled_out
from maslihat.names import localised, prose
from maslihat.xref import FIGURE_METADATA, Reference, figure_metadata, source_anchor


class MissingFigure(ValueError):
    """A figure to print is missing (NaN, None) or not finite: the prose would say 'NaN'."""


def checked_figure(value: object, what: str = "the value") -> float:
    """`value` as a number to print; MissingFigure naming `what` when it is missing or infinite.

    A missing figure in a sentence is a question asked of the data that it cannot answer (an
    unknown count or place, a filter that kept no row): the report stops there, saying so, rather
    than print 'NaN'. A table shows a missing value as '–' instead.
    """
    missing = value is None or value is pd.NA or value is pd.NaT
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        if missing:
            number = math.nan
        else:
            raise MissingFigure(f"{what} is {value!r}, not a number") from None
    if math.isnan(number) or missing:
        raise MissingFigure(
            f"{what} is missing ({value!r}): the data has no figure for what was asked (an "
            "unknown count, level or place, or a filter that kept no row?). A sentence cannot "
            "print it; check the frame it comes from"
        )
    if math.isinf(number):
        raise MissingFigure(f"{what} is {value!r}, not a finite number (a division by zero?)")
    return number


def num(value: float, digits: int = 0) -> str:
    """A number in the report's language: 3246 → '3,246' (en), '3 246' (ru); a missing one
    (NaN) raises MissingFigure."""
    return i18n.number(checked_figure(value, "num(): the number"), digits)


def pct(value: float, digits: int | None = 1) -> str:
    """A percentage: 81.595 → '81.6%' (ru '81,6 %'); digits=None keeps a set value as given:
    7.0 → '7%'. A missing one (NaN) raises MissingFigure."""
    return i18n.percent(checked_figure(value, "pct(): the percentage"), digits)


def pts(value: float, digits: int = 1) -> str:
    """A signed difference in percentage points: -5.2 → '−5.2 points' (ru '−5,2 п. п.')."""
    return _("{difference} points", difference=signed(value, digits))


def signed(value: float, digits: int = 1) -> str:
    """A number with its sign always written: +2.0, −5.2; one that rounds to zero has none
    (0.0, not +0.0), in the report's language."""
    value = checked_figure(value, "the difference")
    rounded = i18n.rounded(value, digits)
    sign = "+" if rounded > 0 else "−" if rounded < 0 else ""
    return sign + i18n.number(abs(value), digits)


def capitalised(text: str) -> str:
    """Text that opens a table header or a sentence: its first letter upper-case, the rest as
    written ('метод д’Ондта' → 'Метод д’Ондта'; str.capitalize would lower 'Хэра')."""
    return text[:1].upper() + text[1:]


def listing(items: list[str]) -> str:
    """Join words as prose in the report's language: ['a', 'b', 'c'] → 'a, b and c' (names of
    places and parties as a sentence names them, in that language too)."""
    items = [prose(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    if i18n.current() == "kk" and len(items) > 2:
        # CLDR's Kazakh list ends 'a, b, c'; the Kazakh press joins the last two as a pair does:
        # 'a, b және c'
        pair = i18n.locale().list_patterns["standard"]["2"]
        return pair.format(", ".join(items[:-1]), items[-1])
    return format_list(items, locale=i18n.locale())


_SPEC = re.compile(r"^(?P<sign>\+)?,?(?:\.(?P<digits>\d+)(?P<trim>~)?)?[fd%]?$")


def formatted(value: float, spec: str = ",") -> str:
    """A number by a format spec of the tables ('+.1f', '.2~f', ','), in the report's language."""
    found = _SPEC.match(spec)
    if not found:
        raise ValueError(f"unsupported number format {spec!r}: use e.g. ',', '.1f', '+.1f', '.2~f'")
    digits = int(found["digits"] or 0)
    if found["trim"]:
        digits = min(digits, len(f"{value:.{digits}f}".rstrip("0").partition(".")[2]))
    if found["sign"]:
        return signed(value, digits)
    text = i18n.number(abs(value), digits)
    return "−" + text if value < 0 and round(abs(value), digits) > 0 else text


# Characters with a meaning in Markdown wherever they stand get a backslash (or become entities:
# a backslash before & would still start an entity); "://" loses its bare-URL link by one on ":".
# Runs of white space and control characters become one space, so a value never starts a new block
# (HTML shows them as one space anyway), and a value that begins like a list item or a heading
# gets a backslash there. Other punctuation is left as it is, readable in the Markdown source.
_INLINE = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]~$|#!"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
)
# No-break spaces stay: they hold "3 246" and "57,26 %" together in Kazakh and Russian.
_SPACE = re.compile(r"(?:[^\S\u00a0\u202f]|[\x00-\x1f\x7f-\x9f])+")
_BLOCK_START = re.compile(r"^(\d{1,9}|)([.)]|(?<![0-9])[-+])(?=\s|$)")  # "1. ", "2) ", "- ", "+ "


def literal(text: object) -> str:
    """Text as Markdown that shows exactly this text: no markup, link, image or HTML in it acts."""
    flat = _SPACE.sub(" ", str(text)).strip().translate(_INLINE).replace("://", "\\://")
    return _BLOCK_START.sub(r"\1\\\2", flat)


def _escape(name: str, value: object) -> str:
    if isinstance(value, Reference):
        return value.markdown()  # a link the exporter numbers: 'Figure 2'
    if value is pd.NA or isinstance(value, Number) and not isinstance(value, bool):
        number = checked_figure(value, f"the value of {{{name}}}")
        return num(number) if number.is_integer() else num(number, 2)
    named = value if isinstance(value, i18n.Inflected) else prose(value)
    if isinstance(named, i18n.Inflected):  # a name with its forms: each form escaped
        return i18n.Inflected(literal(named), {k: literal(v) for k, v in named.forms.items()})
    return literal(named)


def md(template: str, **values: object) -> Markdown:
    """Markdown from a template in the report's language whose values are escaped (text) or
    formatted (numbers)."""
    return _markdown(i18n.translations(i18n.current()).gettext(template), values)


def md_n(singular: str, plural: str, count: int, **values: object) -> Markdown:
    """`md` for a sentence whose words agree with `count`: the translation has a form for each
    plural category of its language (Russian: 21 мандат, 22 мандата, 25 мандатов)."""
    count = int(checked_figure(count, "the count that picks the plural form"))
    return _markdown(i18n.translations(i18n.current()).ngettext(singular, plural, count), values)


def _markdown(template: str, values: dict[str, object]) -> Markdown:
    # The text is set afterwards: given text that begins with "http" or names an existing file,
    # IPython would fetch that address or read that file instead.
    markdown = Markdown("")
    text = i18n.fill(template, **{k: _escape(k, v) for k, v in values.items()})
    markdown.data = spelled_out(text)  # 'НПК (Народная партия Казахстана)' the first time
    return markdown


def say(template: str, **values: object) -> None:
    """Display one paragraph of computed prose, its template in the report's language."""
    display(md(template, **values))


def say_n(singular: str, plural: str, count: int, **values: object) -> None:
    """Display one paragraph whose words agree with `count` ('{n} seats' → 'мест' or 'места'):
    a count before its noun is always such a sentence, never 'seats: {n}'."""
    display(md_n(singular, plural, count, **values))


def bullets(*items: Markdown) -> None:
    """Display one bulleted list whose items are `md(...)` sentences (each translated whole)."""
    display(Markdown("\n".join(f"- {item.data}" for item in items)))


# A cell that reads as a number once formatted, in any of the languages: 3,083 · 3 083 · −13.5 ·
# +2,0 · 57.26% · 57,26 % · –  (right-aligned).
_NUMBER = re.compile(r"^[−+±-]?\d{1,3}([,\s\u00a0\u202f]?\d{3})*([.,]\d+)?[\s\u00a0]?%?$|^–$")
# Inline alignment for JupyterLab (whose tables right-align every cell); the reports' sanitiser
# drops inline styles, and report.css aligns by the classes instead. Numbers and short words
# ("inconsistent") are not broken across lines; long text wraps anywhere.
SHORT = 20  # characters: a column whose every value is at most this long is kept on one line
_CELL = {
    "num": ' class="maslihat-num" style="text-align: right; white-space: nowrap;"',
    "short": ' class="maslihat-text maslihat-short" style="text-align: left; white-space: nowrap;"',
    "text": ' class="maslihat-text" style="text-align: left;"',
}


class Table(HTML):
    """An HTML table that also carries its data as CSV (`text/csv`), which reports offer for
    download beside the table."""

    def __init__(self, html: str, csv: str, name: str | None = None,
                 figure: dict | None = None):  # fmt: skip
        super().__init__(html)
        self.csv = csv
        self.name = name
        self.figure = figure or figure_metadata("table", None, None, None)

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        """The CSV next to the HTML and plain-text forms IPython adds; the caption's facts (label,
        caption, source) in the metadata."""
        metadata: dict = {FIGURE_METADATA: self.figure}
        if self.name:
            metadata["text/csv"] = {"name": self.name}
        return {"text/csv": self.csv}, metadata

    def display(self) -> None:
        """Show the table now: inside an `if` or a loop a cell shows only its last expression."""
        from IPython.display import display

        display(self)


def _html_table(shown: pd.DataFrame, kinds: list[str]) -> str:
    """The table's markup: every cell escaped, numbers right-aligned, text left-aligned."""
    pairs = zip(shown.columns, kinds, strict=True)
    head = "".join(f"<th{_CELL[k]}>{html.escape(str(c))}</th>" for c, k in pairs)
    body = "".join(
        "<tr>" + "".join(
            f"<td{_CELL[k]}>{html.escape(str(v))}</td>" for v, k in zip(row, kinds, strict=True)
        ) + "</tr>\n"
        for row in shown.itertuples(index=False, name=None)
    )  # fmt: skip
    return (
        f'<table class="dataframe maslihat-table">\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}</tbody>\n</table>"
    )


def table(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    formats: Mapping[str, str] | None = None,
    name: str | None = None,
    label: str | None = None,
    caption: str | None = None,
    source: str | None = None,
) -> Table:
    """An HTML table of chosen columns with readable headers; cell text is escaped.

    The report numbers it ("Table 2."), with `caption` after the number and `source` (e.g.
    `cite("cec_2021")`) on a line under it; `label` ('tbl-…') is what `xref.ref` refers to.

    Numbers are written as in the prose: whole numbers with thousands separators (3,083), other
    numbers with the column's format spec, negatives with a minus sign (−6.7); True/False as yes/no.
    Numbers are right-aligned, text left-aligned. The output also holds the chosen columns, under
    their headers and unformatted, as CSV (`name` names its file in the report's downloads).
    """
    raw = localised(frame[list(columns)], tuple(columns))
    csv = raw.rename(columns=dict(columns)).to_csv(index=False)
    shown = raw.copy()
    specs = {
        column: ","
        for column in shown.columns
        if pd.api.types.is_integer_dtype(shown[column])
        and not pd.api.types.is_bool_dtype(shown[column])
    }
    specs.update(formats or {})
    for column in shown.columns[shown.dtypes.map(pd.api.types.is_bool_dtype)]:
        shown[column] = shown[column].map(
            lambda v: "–" if pd.isna(v) else _("yes") if v else _("no")
        )
    for column, spec in specs.items():
        shown[column] = shown[column].map(
            lambda v, s=spec: "–" if pd.isna(v) else formatted(v, s)
        )
    shown = shown.fillna("–").astype(str)
    numeric = [
        (column in specs or pd.api.types.is_numeric_dtype(raw[column]))
        and not pd.api.types.is_bool_dtype(raw[column])
        or (len(shown) > 0 and bool(shown[column].str.strip().str.fullmatch(_NUMBER).all()))
        for column in shown.columns
    ]
    kinds = [
        "num" if is_number else "short" if shown[column].str.len().max() <= SHORT else "text"
        for column, is_number in zip(shown.columns, numeric, strict=True)
    ] if len(shown) else ["num" if n else "text" for n in numeric]  # fmt: skip
    figure = figure_metadata("table", label, caption, source)
    shown = shown.rename(columns=dict(columns))
    return Table(_html_table(shown, kinds), csv, name, figure)


_ADDRESS = re.compile(r"https://[^\s()<>\[\]\\]+")


def _closed(title: str) -> str:
    """A title ending its sentence: a full stop added unless it ends in one already ('… 10:00
    a.m.', '… выборы?'), so that no entry prints '..'."""
    title = str(title)
    return title if title.endswith((".", "?", "!", "…")) else title + "."


def source_entry(title: str, publisher: str, published: str | None, address: str | None) -> str:
    """One source as Markdown: its text escaped, its date in the language's form ('январь 2021',
    '03.08.2026'), its address (https only) the one live link."""
    date = i18n.published_date(published) if isinstance(published, str) and published else _(
        "undated"
    )
    publisher = i18n.sentence_start(str(publisher))
    text = f"{literal(_closed(title))} {literal(publisher)}, {literal(date)}."
    if isinstance(address, str) and _ADDRESS.fullmatch(address):
        return f"{text} [{literal(address)}]({address})"
    return text + (f" {literal(address)}" if isinstance(address, str) and address else "")


def _source_html(title: str, publisher: str, published: str | None, address: str | None) -> str:
    """One source as HTML, as `source_entry` writes it in Markdown: text escaped, the address
    (https only) the one live link."""
    date = i18n.published_date(published) if isinstance(published, str) and published else _(
        "undated"
    )
    text = f"{html.escape(_closed(title))} {html.escape(i18n.sentence_start(str(publisher)))}, "
    text += f"{html.escape(date)}."
    if isinstance(address, str) and _ADDRESS.fullmatch(address):
        shown_address = html.escape(address)
        return f'{text} <a href="{shown_address}">{shown_address}</a>'
    return text + (f" {html.escape(address)}" if isinstance(address, str) and address else "")


SHORT_SOURCE_LIST = 20  # entries: a list this short is printed whole, never split over two pages


def show_sources(cited: pd.DataFrame) -> None:
    """Display the numbered source list of a report (input: sources.Citations.cited()); each
    entry has the id its note markers link to ('source-<source_id>')."""
    if cited.empty:
        display(Markdown(_("No source is cited.")))
        return
    site = " " + _("(the publisher's site: the item's own address is not known)")
    lines, items = [], []
    for row in cited.itertuples():
        note = site if row.kind == "site" else ""
        lines.append(f"{row.number}. "
                     + source_entry(row.title, row.publisher, row.published, row.address) + note)
        items.append(
            f'<li id="{source_anchor(row.source_id)}" data-number="{row.number}">'
            + _source_html(row.title, row.publisher, row.published, row.address)
            + html.escape(note) + "</li>\n"
        )
    short = " maslihat-short-list" if len(items) <= SHORT_SOURCE_LIST else ""
    page = f'<ol class="maslihat-sources{short}">\n{"".join(items)}</ol>'
    display({"text/html": page, "text/markdown": "\n".join(lines)}, raw=True)


def heading(text: str, level: int = 2) -> None:
    """Display a section heading from a code cell, for a section that only some reports have
    (the text in the report's language: pass `_("...")`)."""
    if level not in range(1, 7):
        raise ValueError(f"heading level must be 1 to 6, got {level!r}")
    display(Markdown("#" * level + " " + literal(text)))
