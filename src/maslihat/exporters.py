"""nbconvert exporters of the reports: HTML (offline, no code, a title block) and PDF (Chromium).

Registered as the nbconvert exporters `maslihat_html` and `maslihat_pdf`, so `jupyter nbconvert
--to maslihat_pdf` and JupyterLab's "Export Notebook As" make the same reports as `maslihat render`.
Every output is sanitised: text from the data cannot become markup, and nothing loads from the
network.
"""

from __future__ import annotations

import ast
import copy
import re
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import bleach
import nbformat
from nbconvert.exporters import HTMLExporter
from traitlets import Bool, Enum, Unicode, default
from traitlets.config import Config

from maslihat import __version__, i18n
from maslihat.chromium import Chromium
from maslihat.display import (
    CONTEXT_MIMETYPE,
    chart_mimetype,
    is_chart_mimetype,
    script_json,
    vega_bundle,
)
from maslihat.downloads import data_files
from maslihat.i18n import DEFAULT, LANGUAGES, _, date_time, language, long_date, p_
from maslihat.names import shown
from maslihat.params import ALL, shown_parameters
from maslihat.xref import finish_report

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
TEMPLATE_NAME = "maslihat_html"
CHART_MIMETYPES = [
    "application/vnd.vegalite.v5+json",
    "application/vnd.vegalite.v6+json",
    "application/vnd.vegalite.v6.json",
]

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "*": ["class", "id", "title", "lang", "dir", "role", "aria-label", "aria-describedby"],
    "a": ["href", "name"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan", "headers"],
    "th": ["colspan", "rowspan", "scope", "headers"],
    "col": ["span"],
    "colgroup": ["span"],
    "time": ["datetime"],
    "ol": ["start"],
}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Keep listed attributes; an image may only be a data: URI, so a report loads nothing, and a
    link only an http(s) address."""
    if tag == "img" and name == "src":
        return value.startswith("data:image/")
    if tag == "a" and name == "href":
        return value.strip().lower().startswith(("http://", "https://")) or bool(
            _FRAGMENT.fullmatch(value)
        )  # a link within the report: a reference to a figure ('#fig-turnout'), a note
    if tag == "li" and name == "data-number":
        return value.isdigit()
    return name in _ALLOWED_ATTRIBUTES.get(tag, []) or name in _ALLOWED_ATTRIBUTES["*"]


def clean_report_html(markup: str) -> str:
    """Sanitise output HTML: markup from data shows as text, scripts and remote loads are gone."""
    cleaned = bleach.clean(
        str(markup),
        tags=_ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols={"http", "https", "data"},
        strip=False,
    )
    return _IMG_WITHOUT_SRC.sub("", cleaned)  # a remote image lost its src: drop the empty tag


_FRAGMENT = re.compile(r"#[A-Za-z][A-Za-z0-9_-]*")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


SHORT_TABLE_ROWS = 16  # a table of up to this many rows (header too) is printed on one page
REMOVED_TAGS = {"remove-cell", "remove_cell", "remove-output", "remove_output"}
KEEP_WITH_HEADING = 1  # cells after a heading kept on its page with it, up to a chart or table:
# a heading with its first lines ends a page well (report.css keeps room for them), the chart
# after them may start the next; a block of heading, paragraphs and chart would move whole to
# the next page and leave the page before it half empty


def _is_chart(cell: nbformat.NotebookNode) -> bool:
    return any(chart_mimetype(o.get("data", {})) for o in cell.get("outputs", []))


def _has_table(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell shows a short table (printed whole: it may end the block a heading keeps;
    a longer one breaks across pages, its rows free to start under the heading)."""
    tables = ["".join(o.get("data", {}).get("text/html", "")) for o in cell.get("outputs", [])]
    return any("<table" in t and t.count("<tr") <= SHORT_TABLE_ROWS for t in tables)


def _shows(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell shows anything in a report (code is never shown, only outputs)."""
    if cell.get("cell_type") == "markdown":
        return bool(str(cell.get("source", "")).strip())
    return any(o.get("output_type") != "stream" or o.get("name") == "stdout"
               for o in cell.get("outputs", []))  # fmt: skip


def keep_headings_with_charts(nb: nbformat.NotebookNode) -> None:
    """Mark a heading's cell and the cells after it, up to its first chart or table, to be
    printed on one page (the template wraps them in <div class="maslihat-keep">): a heading and
    its first paragraph never end a page with their chart or table on the next; a heading
    followed by a short source list is printed with it, whole."""
    cells = nb.cells
    for start, cell in enumerate(cells):
        if not _heading_cell(cell, alone=cell.get("cell_type") == "code"):
            continue
        shown = 0
        for end in range(start + 1, len(cells)):
            following = cells[end]
            if not _shows(following):
                continue
            if _heading_cell(following):
                break  # the next heading: no chart in this section to keep with
            shown += 1
            # the block ends at its first chart or table: a heading's block that reached past a
            # table to a chart would move whole to the next page and leave a page half empty
            if _is_chart(following) or _has_table(following):
                cell.metadata["maslihat_keep"] = "open"
                following.metadata["maslihat_keep_close"] = True
                break
            if shown >= KEEP_WITH_HEADING:
                break
        if cell.metadata.get("maslihat_keep"):
            continue
        # A heading followed by a block printed whole (a short source list or table): the two
        # together, so the heading never ends a page with its block on the next.
        following = next((c for c in cells[start + 1:] if _shows(c)), None)
        if following is not None and _printed_whole(following):
            cell.metadata["maslihat_keep"] = "whole"
            following.metadata["maslihat_keep_close"] = True


def _heading_cell(cell: nbformat.NotebookNode, alone: bool = False) -> bool:
    """Whether a cell shows a heading: a Markdown cell with one, or a code cell whose first output
    is one (text.heading, for a section only some reports have); `alone`: a code cell showing
    nothing else. (A heading with its first paragraph below it in its cell does not end a page
    alone: report.css keeps room for a few lines under it; one alone in its cell is kept with
    what follows.)"""
    if cell.get("cell_type") == "markdown":
        return bool(re.search(r"^\s{0,3}#", cell.source, re.M))
    shown = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream"]
    text = shown[0].get("data", {}).get("text/markdown", "") if shown else ""
    return bool(re.match(r"\s{0,3}#", "".join(text))) and (len(shown) == 1 or not alone)


def _printed_whole(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell's output is a short source list (never broken across pages)."""
    return any("maslihat-short-list" in str(o.get("data", {}).get("text/html", ""))
               for o in cell.get("outputs", []))  # fmt: skip


def _title_parts(title: Any) -> tuple[str, str]:
    """A Vega-Lite title (text, list of lines or {text, subtitle}) as its text and subtitle; the
    subtitle's lines (what a map says of its figures, then its map data's credit) stay lines."""
    def joined(value: Any, between: str = " ") -> str:
        return between.join(map(str, value)) if isinstance(value, list) else str(value or "")

    if isinstance(title, dict):
        return joined(title.get("text")), joined(title.get("subtitle"), "\n")
    return joined(title), ""


def split_chart_title(spec: dict[str, Any]) -> dict[str, Any]:
    """A chart's title and subtitle as text for its caption, and its spec without them (the
    caption shows them as text that wraps, not as a line of the chart that a phone clips). A
    layered chart's layers repeating the title lose it too."""
    if not isinstance(spec, dict):
        return {"spec": spec, "title": "", "subtitle": ""}
    layers = spec.get("layer") if isinstance(spec.get("layer"), list) else []
    title = spec.get("title") or next(
        (layer.get("title") for layer in layers if isinstance(layer, dict) and layer.get("title")),
        None,
    )
    text, subtitle = _title_parts(title)
    if not text:
        return {"spec": spec, "title": "", "subtitle": ""}
    stripped = {k: v for k, v in spec.items() if k != "title"}
    if layers:
        stripped["layer"] = [
            {k: v for k, v in layer.items() if k != "title"}
            if isinstance(layer, dict) and _title_parts(layer.get("title"))[0] == text else layer
            for layer in layers
        ]  # fmt: skip
    return {"spec": stripped, "title": text, "subtitle": subtitle}


# The parts of a report a book has once, by the English heading that opens them (or a cell tag of
# the same name): data quality, methodology, corrections, sources.
BOOK_SECTIONS = {
    "data-quality": re.compile(r"data.quality", re.I),
    "methodology": re.compile(r"methodology|how .* (computed|counted)", re.I),
    "corrections": re.compile(r"corrections?|what changed", re.I),
    "sources": re.compile(r"^sources?$", re.I),
}
_SECTION_HEADING = re.compile(r"^\s{0,3}##\s+(.+?)\s*#*\s*$", re.M)


def mark_book_sections(nb: nbformat.NotebookNode) -> None:
    """Mark each cell with the part of the report it belongs to (`maslihat_section`: data-quality,
    methodology, corrections, sources) when its `##` section is one of those, read from the
    heading as written (before translation), or when the cell is tagged so."""
    section = None
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            found = _SECTION_HEADING.search(str(cell.get("source", "")))
            if found:
                section = next((name for name, pattern in BOOK_SECTIONS.items()
                                if pattern.search(found.group(1))), None)  # fmt: skip
        tagged = [t for t in cell.get("metadata", {}).get("tags", []) if t in BOOK_SECTIONS]
        if tagged or section:
            cell.metadata["maslihat_section"] = tagged[0] if tagged else section


def css_string(text: str) -> str:
    """Quote text as a CSS string that cannot end the string or the <style> element."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>&' or ord(c) < 32 else c for c in str(text))
    return f'"{escaped}"'


ELECTION = "Election of 10 January 2021"  # in English; election_label() in the report's language


def page_counter(text: str) -> str:
    """CSS `content` for a page footer such as 'Page {page} of {pages}', in any word order."""
    parts = re.split(r"(\{pages?\})", text)
    return " ".join(
        "counter(pages)" if part == "{pages}" else "counter(page)" if part == "{page}"
        else css_string(part)
        for part in parts if part
    )  # fmt: skip


def region_label(region: str) -> str:
    """How a report names its region, in the current language: 'All' is the whole country."""
    return _("Kazakhstan (whole country)") if region == ALL else shown(region)


def election_label() -> str:
    """The election a report is about, in the current language."""
    from maslihat.data import election_day

    try:
        day = election_day()
    except Exception:  # noqa: BLE001 - unreadable data: the date the package is about
        day = date(2021, 1, 10)
    return _("Election of {date}", date=long_date(day))


def translate_markdown(nb: nbformat.NotebookNode) -> None:
    """Markdown cells (headings, fixed prose) in the current language, from the catalogs."""
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown" and str(cell.get("source", "")).strip():
            cell.source = _(str(cell.source).strip())


def report_language(nb: nbformat.NotebookNode) -> str:
    """The language a notebook ran in (recorded by report_context, else its `lang` parameter)."""
    context = run_context(nb) or {}
    lang = context.get("lang") or _notebook_parameters(nb).get("lang") or DEFAULT
    return lang if lang in LANGUAGES else DEFAULT


def _assignments(source: str) -> dict[str, Any]:
    """Literal assignments of a parameters cell: `region = "Turkistan"` → {'region': 'Turkistan'}.

    Only `name = literal` (and `name: type = literal`) count; anything else in the cell is skipped.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    values: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        try:
            literal = ast.literal_eval(value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                values[target.id] = literal
    return values


def _tagged_source(nb: nbformat.NotebookNode, tag: str) -> str | None:
    """Source of the first code cell with a tag, or None."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code" and tag in cell.get("metadata", {}).get("tags", []):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else str(source)
    return None


def _notebook_parameters(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """Parameter values a notebook ran with: the `parameters` cell as edited, then papermill's
    injected values over it (its cell, or its metadata when the cell was removed)."""
    values: dict[str, Any] = {}
    for tag in ("parameters", "injected-parameters"):
        source = _tagged_source(nb, tag)
        if source is not None:
            values.update(_assignments(source))
    if _tagged_source(nb, "injected-parameters") is None:
        injected = (nb.metadata.get("papermill") or {}).get("parameters")
        if isinstance(injected, dict):
            values.update(injected)
    return values


def report_variant(nb: nbformat.NotebookNode) -> list[tuple[str, Any]]:
    """The parameters a notebook ran with that differ from its `parameters` cell's defaults (the
    place and the language apart, which the title block shows anyway), by name."""
    defaults = _assignments(_tagged_source(nb, "parameters") or "")
    given = _notebook_parameters(nb)
    missing = object()
    return sorted(((name, value) for name, value in given.items()
                   if name not in ("region", "lang") and defaults.get(name, missing) != value),
                  key=lambda item: item[0])  # fmt: skip


def _resolved(region: Any) -> Any:
    """A region as typed in a parameters cell, in its canonical spelling when the data knows it."""
    if region == ALL or not isinstance(region, str):
        return region
    try:
        from maslihat.data import load_all
        from maslihat.params import resolve_region

        return resolve_region(region, load_all())
    except Exception:  # noqa: BLE001 - unreadable data or an unknown name: show it as typed
        return region


def run_context(nb: nbformat.NotebookNode) -> dict[str, Any] | None:
    """What `maslihat.display.report_context` recorded when the notebook ran (the last call)."""
    found = None
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            context = output.get("data", {}).get(CONTEXT_MIMETYPE)
            if isinstance(context, dict) and isinstance(context.get("region"), str):
                found = context
    return found


def _drop_context_outputs(nb: nbformat.NotebookNode) -> None:
    """Remove the recorded run context from the outputs (nothing shows it)."""
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = [
                o for o in cell.outputs if CONTEXT_MIMETYPE not in o.get("data", {})
            ]


def _split_title_cell(nb: nbformat.NotebookNode) -> str | None:
    """Remove the notebook's own '# Title' line (the title block shows it); return its text."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            return None
        lines = cell.source.splitlines()
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is None:
            continue
        match = re.fullmatch(r"#\s+(.+?)\s*#*\s*", lines[first])
        if not match:
            return None
        cell.source = "\n".join(lines[first + 1 :]).strip()
        if not cell.source:
            nb.cells.remove(cell)
        return match.group(1)
    return None


def data_version_label() -> str:
    """The data version for the title block, or 'unknown' when the data cannot be read."""
    try:
        from maslihat.data import data_version

        return data_version()
    except Exception:  # noqa: BLE001 - a missing version must not stop a report
        return "unknown"


class ReportHTMLExporter(HTMLExporter):
    """HTML report: outputs only, title block, print CSS, offline charts (maslihat_html)."""

    export_from_notebook = "Mäslihat report (HTML)"
    data_version = Unicode("", help="Data version shown in the title block (default: computed).")
    generated_at = Unicode("", help="ISO timestamp shown as 'Generated' (default: now).")
    data_downloads = Bool(
        True,
        help="Link a CSV file of each table's and chart's data under it, and SVG/PNG downloads "
        "of each chart; the files are in resources['outputs'] (nbconvert writes them).",
    ).tag(config=True)
    foreign_notebooks = Enum(
        ["plain", "report"],
        "plain",
        help="How to export a notebook that is not a maslihat report (no 'maslihat' metadata): "
        "'plain', without the election's title block, or 'report', as a report.",
    ).tag(config=True)

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE_NAME

    @default("optimistic_validation")
    def _optimistic_validation_default(self) -> bool:
        # the notebook is checked once, after all the preprocessors, not after each (a quarter
        # of an export's time); an invalid result still fails the export
        return True

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATE_DIR)]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    @default("exclude_anchor_links")
    def _exclude_anchor_links_default(self) -> bool:
        return True

    @property
    def default_config(self) -> Config:
        """Prefer chart outputs over everything; drop cells tagged as not for the report."""
        config = super().default_config
        priority = list(config.NbConvertBase.display_data_priority)
        config.NbConvertBase.display_data_priority = CHART_MIMETYPES + priority
        config.TagRemovePreprocessor.enabled = True
        config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell", "remove_cell"}
        config.TagRemovePreprocessor.remove_all_outputs_tags = REMOVED_TAGS - {"remove-cell",
                                                                                "remove_cell"}
        return config

    def default_filters(self):
        """nbconvert's filters plus the report's sanitiser and escapers."""
        yield from super().default_filters()
        yield ("report_clean", clean_report_html)
        yield ("script_json", script_json)
        yield ("css_string", css_string)
        yield ("chart_mimetype", chart_mimetype)
        yield ("split_chart_title", split_chart_title)

    def from_notebook_node(self, nb, resources=None, **kw):
        """Export with the title block's facts in resources['maslihat']."""
        nb = copy.deepcopy(nb)
        lang = report_language(nb)
        with language(lang):
            return self._export(nb, resources, lang, **kw)

    def _export(self, nb, resources, lang: str, **kw):
        """Export in the report's language (its headings, title block and labels)."""
        heading = _split_title_cell(nb) if self._is_report(nb) else None
        if self._is_report(nb):
            mark_book_sections(nb)
            translate_markdown(nb)
        resources = dict(resources or {})
        name = resources.get("metadata", {}).get("name") or "report"
        resources["maslihat"] = self._report_context(nb, heading or name)
        for cell in nb.cells:  # cells the report leaves out have no downloads and no grouping
            if set(cell.get("metadata", {}).get("tags", [])) & REMOVED_TAGS:
                cell.outputs = []
        files = data_files(nb, name) if self.data_downloads else {}
        resources["maslihat"]["data_files"] = files
        resources["maslihat"]["short_table_rows"] = SHORT_TABLE_ROWS
        outputs = dict(resources.get("outputs") or {})
        outputs.update({path: text.encode() for path, text in files.items()})
        resources["outputs"] = outputs
        keep_headings_with_charts(nb)
        page, resources = super().from_notebook_node(nb, resources, **kw)
        return finish_report(page), resources

    def _is_report(self, nb: nbformat.NotebookNode) -> bool:
        """A maslihat report notebook (it has 'maslihat' metadata), or exported as one."""
        return isinstance(nb.metadata.get("maslihat"), dict) or self.foreign_notebooks == "report"

    def _report_context(self, nb: nbformat.NotebookNode, fallback_title: str) -> dict[str, Any]:
        """Title, region, timestamps, data version and charts of one report."""
        report = self._is_report(nb)
        title = _(str((nb.metadata.get("maslihat") or {}).get("title") or fallback_title))
        context = run_context(nb) or {}
        _drop_context_outputs(nb)
        typed = _notebook_parameters(nb).get("region", ALL)
        region = str(context.get("region") or _resolved(typed))
        version = str(context.get("data_version") or self.data_version or data_version_label())
        generated = (
            datetime.fromisoformat(self.generated_at)
            if self.generated_at
            else datetime.now().astimezone()
        )
        charts = sum(
            any(is_chart_mimetype(m) for m in output.get("data", {}))
            for cell in nb.cells
            for output in cell.get("outputs", [])
        )
        election = election_label()
        return {
            "title": title,
            "region": region,
            "region_label": region_label(region),
            "parameters": shown_parameters(report_variant(nb)),
            "election": election,
            "lang": i18n.current(),
            "labels": {
                "region": p_("title block", "Region"),  # any place: the country too
                "generated": _("Generated"),
                "data_version": _("Data version"),
                "chart_svg": _("Chart (SVG)"),
                "chart_png": _("Chart (PNG)"),
                "source": _("Source:"),
            },
            "page_counter": page_counter(_("Page {page} of {pages}")),
            "generated_at": date_time(generated),
            "generated_iso": generated.isoformat(timespec="seconds"),
            "data_version": version,
            "package_version": __version__,
            "footer_text": f"{title} · {region_label(region)} · {election}" if report else title,
            "plain": not report,
            "chart_count": charts,
            "downloads": self.data_downloads,
            "vega_bundle": vega_bundle() if charts else "",
        }


class ReportPDFExporter(ReportHTMLExporter):
    """PDF report: the HTML report printed to A4 by headless Chromium."""

    export_from_notebook = "Mäslihat report (PDF)"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    @default("template_extension")
    def _template_extension_default(self) -> str:
        return ".html.j2"

    def from_notebook_node(self, nb, resources=None, **kw):
        """Print the HTML report with Chromium and return the PDF bytes."""
        page, resources = super().from_notebook_node(nb, resources, **kw)
        data = resources["maslihat"].get("data_files", {})  # the PDF links no files: none written
        resources["outputs"] = {k: v for k, v in resources["outputs"].items() if k not in data}
        with tempfile.TemporaryDirectory(prefix="maslihat-pdf-") as tmp:
            source = Path(tmp) / "report.html"
            target = Path(tmp) / "report.pdf"
            source.write_text(page, encoding="utf-8")
            with Chromium() as browser:
                browser.print_pdf(source, target)
            pdf = target.read_bytes()
        resources["output_extension"] = ".pdf"
        return pdf, resources
