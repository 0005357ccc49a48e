"""The exporters read what a notebook ran with: its place, parameters and data version."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from conftest import ROOT
from maslihat import exporters
from maslihat.data import DATA_DIR_ENV, data_version
from maslihat.display import CONTEXT_MIMETYPE, report_context


def lab_notebook(parameters: str, outputs: list | None = None) -> nbformat.NotebookNode:
    """A report notebook as JupyterLab saves it: no papermill metadata, no injected cell."""
    cells = [
        new_markdown_cell("# Lab title\n\nIntro."),
        new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        new_code_cell("setup()", outputs=outputs or []),
        new_code_cell(
            "say()",
            outputs=[new_output("display_data", data={"text/markdown": "About the place."})],
        ),
    ]
    return new_notebook(cells=cells, metadata={"maslihat": {"title": "Lab title"}})


def context_output(region: str, version: str) -> nbformat.NotebookNode:
    context = {"region": region, "data_version": version, "parameters": {}}
    return new_output("display_data", data={CONTEXT_MIMETYPE: context})


def title_block(page: str) -> tuple[str, str, str, str]:
    """Region, data version, <title> and the printed footer text of an exported page."""
    region = re.search(r'class="maslihat-region">([^<]*)<', page)[1]
    version = re.search(r'class="maslihat-data-version">([^<]*)<', page)[1]
    title = re.search(r"<title>([^<]*)</title>", page)[1]
    footer = re.search(r"@bottom-left \{ content: ([^;]*);", page)[1]
    return region, version, title, footer


def test_a_parameters_cell_edited_in_lab_names_the_region():
    nb = lab_notebook('# Parameters\nregion = "Turkistan"  # a region\nas_of = "22:00"\n')
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    region, _, title, footer = title_block(page)
    assert region == "Turkistan" and title == "Lab title – Turkistan"
    assert "Turkistan" in footer and "whole country" not in page


def test_a_region_typed_in_another_spelling_is_named_canonically():
    nb = lab_notebook('region = "zhambyl"')
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    assert title_block(page)[0] == "Jambyl"


def test_injected_parameters_win_over_the_parameters_cell():
    nb = lab_notebook('region = "All"')
    nb.cells.insert(2, new_code_cell('region = "Turkistan"\n',
                                     metadata={"tags": ["injected-parameters"]}))  # fmt: skip
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    assert title_block(page)[0] == "Turkistan"


def test_the_recorded_run_context_names_the_region_and_data_version():
    nb = lab_notebook('region = "All"', [context_output("Shymkent", "9.9.9 (abc)")])
    exporter = exporters.ReportHTMLExporter()
    exporter.data_version = "current folder's version"
    page, _ = exporter.from_notebook_node(nb)
    region, version, title, footer = title_block(page)
    assert (region, version) == ("Shymkent", "9.9.9 (abc)")
    assert title.endswith("Shymkent") and "Shymkent" in footer
    assert CONTEXT_MIMETYPE not in page and "9.9.9 (abc)" not in page.split("</header>")[1]


def test_without_a_recorded_context_the_current_data_version_is_stamped():
    nb = lab_notebook('region = "All"')
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    assert title_block(page)[0] == "Kazakhstan (whole country)"
    assert title_block(page)[1] == exporters.data_version_label()


def test_report_context_displays_only_the_invisible_context(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append((obj, raw)))
    report_context("Turkistan", "2.0.0 (x)", as_of="22:00", threshold_pct=7.0, odd=object())
    ((bundle, raw),) = shown
    assert raw and list(bundle) == [CONTEXT_MIMETYPE]  # no text/plain: JupyterLab shows nothing
    context = bundle[CONTEXT_MIMETYPE]
    assert context["region"] == "Turkistan" and context["data_version"] == "2.0.0 (x)"
    assert context["parameters"]["as_of"] == "22:00"
    assert context["parameters"]["threshold_pct"] == 7.0
    assert context["parameters"]["odd"].startswith("<object")


def run_as_in_lab(notebook: Path, region: str) -> nbformat.NotebookNode:
    """Run a copy of a report notebook as JupyterLab does: its parameters cell edited, no
    papermill, with the set-up cell calling report_context as the report notebooks do."""
    nb = nbformat.read(notebook, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source = re.sub(r'^region = "[^"]*"', f"region = {region!r}", params.source, flags=re.M)
    setup = nb.cells[nb.cells.index(params) + 1]
    if "report_context(" not in setup.source:
        setup.source += "\nfrom maslihat.display import report_context\n\nreport_context(region)\n"
    from nbclient import NotebookClient

    NotebookClient(nb, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(notebook.parent)}}).execute()  # fmt: skip
    return nb


@pytest.mark.slow
def test_a_notebook_run_in_lab_exports_its_region_and_the_data_it_ran_with(
    tmp_path, data_copy, monkeypatch
):
    descriptor = data_copy / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["version"] = "9.9.9-run"
    descriptor.write_text(json.dumps(package, indent=2), encoding="utf-8")
    ran_with = data_version(data_copy)
    assert ran_with != data_version()

    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))  # the kernel reads the copy ...
    nb = run_as_in_lab(ROOT / "notebooks" / "00-briefing.ipynb", "Turkistan")
    monkeypatch.delenv(DATA_DIR_ENV)  # ... the export happens later, beside the project's data
    assert not nb.metadata.get("papermill")
    executed = tmp_path / "briefing.ipynb"
    nbformat.write(nb, executed)
    jupyter = ROOT / ".venv" / "bin" / "jupyter"
    for to in ("maslihat_html", "maslihat_pdf"):
        subprocess.run([str(jupyter), "nbconvert", "--to", to, str(executed)], check=True,
                       capture_output=True, timeout=300)  # fmt: skip
    page = (tmp_path / "briefing.html").read_text(encoding="utf-8")
    region, version, title, footer = title_block(page)
    assert (region, version) == ("Turkistan", ran_with)
    assert title.endswith("Turkistan") and "Turkistan" in footer
    assert "whole country" not in page
    links = re.findall(r'href="(briefing\.data/[^"]+\.csv)"', page)
    assert links and all((tmp_path / link).is_file() for link in links)  # nbconvert wrote them
    pdf = tmp_path / "briefing.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Title:.*Turkistan", info.stdout, re.M)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "Region: Turkistan" in text and "9.9.9-run" in text


def report_with_table_and_chart() -> nbformat.NotebookNode:
    """A report with a heading, a paragraph, a chart (two datasets) and a table from text.table."""
    from maslihat.display import VEGALITE_MIMETYPE
    from maslihat.text import table

    spec = {
        "title": "Seats by party",
        "description": "Bars of seats per party; Nur Otan leads.",
        "data": {"name": "main"},
        "datasets": {"other": [{"x": 1}], "main": [{"party": "Nur Otan", "seats": 3083}]},
        "mark": "bar",
    }
    shown = table(__import__("pandas").DataFrame({"party": ["A"], "seats": [1]}),
                  {"party": "Party", "seats": "Seats"})  # fmt: skip
    from IPython.core.formatters import DisplayFormatter

    data, metadata = DisplayFormatter().format(shown)
    nb = lab_notebook('region = "All"')
    nb.cells += [
        new_markdown_cell("## Seats\n\nHow the seats fell."),
        new_code_cell("chart", outputs=[new_output("display_data", data={
            VEGALITE_MIMETYPE: spec, "text/plain": "Chart"})]),  # fmt: skip
        new_code_cell("table", outputs=[new_output("execute_result", data=data,
                                                   metadata=metadata, execution_count=3)]),
    ]
    return nb


def test_tables_and_charts_link_their_data_and_images():
    page, resources = exporters.ReportHTMLExporter().from_notebook_node(
        report_with_table_and_chart(), {"metadata": {"name": "brief--all"}}
    )
    files = resources["outputs"]
    assert sorted(files) == [
        "brief--all.data/01-seats-by-party-2.csv",
        "brief--all.data/01-seats-by-party.csv",
        "brief--all.data/02-seats.csv",
    ]
    assert files["brief--all.data/01-seats-by-party.csv"].decode().splitlines() == [
        "party,seats", "Nur Otan,3083"]  # fmt: skip
    assert files["brief--all.data/02-seats.csv"].decode().splitlines() == ["Party,Seats", "A,1"]
    links = re.findall(r'<a download="" href="([^"#]+)">', page)
    assert links == ["brief--all.data/01-seats-by-party.csv",
                     "brief--all.data/01-seats-by-party-2.csv", "brief--all.data/02-seats.csv"]
    assert 'data-format="svg" download="01-seats-by-party.svg" href="#">Chart (SVG)' in page
    assert 'data-format="png"' in page
    # the chart's description: printed under it, and its figure's accessible name
    assert 'aria-label="Bars of seats per party; Nur Otan leads."' in page
    assert 'aria-hidden="true" class="maslihat-chart-description">Bars of seats' in page
    # the heading, its paragraph and its chart are kept on one page
    keep = page.split('<div class="maslihat-keep">')[1]
    assert keep.index("How the seats fell") < keep.index("maslihat-chart-spec")
    assert 'class="maslihat-num"' in page and 'style="text-align' not in page


def test_a_subtitle_of_several_lines_keeps_them_in_the_caption():
    """A map's subtitle says what it shows, then credits its map data: two lines, not one run-on
    sentence ('10 January 2021 Map data: amCharts')."""
    from maslihat.display import VEGALITE_MIMETYPE

    spec = {"title": {"text": "Turnout by region", "subtitle": ["10 January 2021 <CEC>",
                                                                 "Map data: amCharts [7]"]},
            "data": {"values": [{"x": 1}]}, "mark": "bar"}  # fmt: skip
    nb = lab_notebook('region = "All"')
    nb.cells.append(new_code_cell("chart", outputs=[new_output("display_data", data={
        VEGALITE_MIMETYPE: spec, "text/plain": "Chart"})]))  # fmt: skip
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    subtitle = re.search(r'<span class="maslihat-caption-subtitle">(.*?)</span>', page)[1]
    lines = re.split(r"<br/?>", subtitle)
    assert lines == ["10 January 2021 &lt;CEC&gt;", "Map data: amCharts [7]"]
    assert 'class="maslihat-caption-text">Turnout by region</span>' in page


def test_a_headings_block_ends_at_its_first_table_or_chart():
    """Heading, a paragraph with its table, then a chart: the block printed on one page ends at
    the table (a block reaching on to the chart would move whole to the next page)."""
    nb = report_with_table_and_chart()
    heading, chart, shown = nb.cells[-3:]
    nb.cells[-3:] = [heading, shown, chart]  # the table before the chart
    from bs4 import BeautifulSoup

    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    [block] = BeautifulSoup(page, "html.parser").select("div.maslihat-keep")
    assert "How the seats fell" in block.get_text() and block.select("table")
    assert not block.select("figure.maslihat-chart")


def test_a_long_table_is_not_held_with_its_heading():
    """A table longer than a short one breaks across pages: no block holds it whole with its
    heading (the block would move whole to the next page, leaving the page before half empty)."""
    from bs4 import BeautifulSoup
    from IPython.core.formatters import DisplayFormatter

    from maslihat.text import table

    nb = report_with_table_and_chart()
    rows = exporters.SHORT_TABLE_ROWS + 3
    frame = __import__("pandas").DataFrame({"party": [f"P{i}" for i in range(rows)],
                                            "seats": range(rows)})  # fmt: skip
    data, metadata = DisplayFormatter().format(table(frame, {"party": "Party", "seats": "Seats"}))
    nb.cells[-2:] = [new_code_cell("table", outputs=[new_output(
        "execute_result", data=data, metadata=metadata, execution_count=2)])]  # fmt: skip
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.select("table tbody tr")) >= rows and not soup.select("div.maslihat-keep")
    assert not soup.select("figure.maslihat-short-table")


def test_a_heading_shown_by_a_code_cell_keeps_its_chart():
    """text.heading in a code cell (a section only some reports have) keeps its chart on its page
    as a Markdown heading does."""
    from bs4 import BeautifulSoup

    nb = report_with_table_and_chart()
    nb.cells[-3] = new_code_cell("heading", outputs=[new_output("display_data", data={
        "text/markdown": "## Seats", "text/plain": "Seats"})])  # fmt: skip
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    [block] = BeautifulSoup(page, "html.parser").select("div.maslihat-keep")
    assert block.find("h2").get_text(strip=True).startswith("Seats")
    assert block.select("figure.maslihat-chart")


def test_the_pdf_exporter_writes_no_data_files():
    exporter = exporters.ReportHTMLExporter()
    assert exporter.data_downloads
    _, resources = exporters.ReportHTMLExporter(data_downloads=False).from_notebook_node(
        report_with_table_and_chart())
    assert not resources["outputs"] and 'class="maslihat-downloads"' not in _


# --- the printed reports: labels once, type sizes, full pages --------------------------------


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Three real reports as PDF, one in each language: the briefing for the country in Kazakh
    (its nine-column results table), the turnout of Akmola in Russian (map, bars with the national
    line, dumbbell) and the seat shares for the country in English (dot plot, panels, tables)."""
    import os

    from maslihat import render

    os.environ.pop(render.DATA_DIR_ENV, None)
    out = tmp_path_factory.mktemp("printed")
    for notebook, region, lang in (("00-briefing", "All", "kk"), ("01-turnout", "Akmola", "ru"),
                                   ("03-seat-shares", "All", "en")):  # fmt: skip
        summary = render.render_reports([notebook], [region], formats=["pdf"], out_dir=out,
                                        languages=[lang], progress=False)  # fmt: skip
        assert summary.ok, summary.describe()
    return sorted(out.glob("*.pdf"))


def pdf_words(path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words with their boxes (x0, y0, x1, y1, in points), as pdftotext finds them."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    box = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [[(text, float(x0), float(y0), float(x1), float(y1))
             for x0, y0, x1, y1, text in re.findall(box, page)]
            for page in out.split("<page ")[1:]]  # fmt: skip


def type_sizes(path: Path) -> list[dict[float, int]]:
    """Each page's text sizes in points (the font size times the text and page matrices), with
    the number of characters set in each."""
    from collections import Counter

    from pypdf import PdfReader

    def times(m, n):
        return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
                m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3]]  # fmt: skip

    pages = []
    for page in PdfReader(path).pages:
        sizes: Counter = Counter()

        def visit(text, cm, tm, font, size, sizes=sizes):
            if text.strip():
                m = times(tm, cm)
                sizes[round(abs(size) * (m[0] ** 2 + m[2] ** 2) ** 0.5, 1)] += len(text.strip())

        page.extract_text(visitor_text=visit)
        pages.append(dict(sizes))
    return pages


@pytest.mark.slow
def test_a_labels_backdrop_is_no_second_copy_of_its_text(printed):
    """A halo drawn as the same text stroked white was read twice ("1.66 1.66"): no word of a
    printed report stands again at its own place."""
    for path in printed:
        twice = []
        for number, words in enumerate(pdf_words(path), start=1):
            seen: dict[tuple[str, int], list[float]] = {}
            for text, x0, y0, _x1, y1 in words:
                middle = (y0 + y1) / 2
                key = (text, round(x0))
                if any(abs(middle - other) < 2 for other in seen.get(key, [])):
                    twice.append((number, text))
                seen.setdefault(key, []).append(middle)
        assert twice == [], (path.name, twice[:5])
    turnout = next(p for p in printed if p.name.startswith("01-turnout"))
    chart_words = {w[0] for page in pdf_words(turnout) for w in page}
    assert "72,8" in chart_words and "Акмолинская" in chart_words  # the labels are there, once


@pytest.mark.slow
def test_body_text_is_one_size_in_every_language_and_chart_text_at_least_7_pt(printed):
    """Nothing is shrunk to fit: the prose is 10.5 pt in English, Kazakh and Russian alike (a page
    the printer scaled down to fit a wide table or chart would print it smaller), and no text of
    a chart, table or note is under 7 pt on the A4 page."""
    for path in printed:
        pages = type_sizes(path)
        totals: dict[float, int] = {}
        for sizes in pages:
            for size, count in sizes.items():
                totals[size] = totals.get(size, 0) + count
        # the prose (hundreds of characters) at 10.5 pt: a page scaled by 0.97 would set it at 10.2
        assert totals.get(10.5, 0) > 1000, (path.name, sorted(totals.items()))
        assert min(totals) >= 7.0, (path.name, sorted(totals.items())[:4])


FEW_LINES = 8  # a page after the first with fewer lines of text is a spill page
HALF = 0.5  # a page other than the last filled less than this far down is half empty


@pytest.mark.slow
def test_pages_are_full_headings_go_with_their_text_and_each_has_one_number(printed):
    """No spill page of a few lines (a source list's or a table's tail), no page half empty
    because a chart did not fit, no heading at the foot of a page, one page number a page."""
    from pypdf import PdfReader

    from maslihat import i18n

    for path in printed:
        lang = path.suffixes[-2].lstrip(".")
        with i18n.language(lang):
            counter = re.escape(i18n._("Page {page} of {pages}")).replace(
                r"\{page\}", r"\d+").replace(r"\{pages\}", r"\d+")  # fmt: skip
        pages = pdf_words(path)
        height = float(PdfReader(path).pages[0].mediabox.height)
        top, bottom = 18 / 25.4 * 72, height - 20 / 25.4 * 72  # report.css's page margins
        for number, words in enumerate(pages, start=1):
            body = [w for w in words if w[4] <= bottom + 1]
            lines = sorted({round(w[2]) for w in body})
            if number > 1:
                assert len(lines) >= FEW_LINES, (path.name, number, lines)
            if number < len(pages):
                filled = (max(w[4] for w in body) - top) / (bottom - top)
                assert filled >= HALF, (path.name, number, round(filled, 2))
            text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(path),
                                   "-"], capture_output=True, text=True).stdout  # fmt: skip
            assert len(re.findall(counter, text)) == 1, (path.name, number)
        for number, sizes in enumerate(_line_sizes(path), start=1):
            if number < len(pages) and sizes:
                assert sizes[-1] < 13, (path.name, number, "ends with a heading")


def _line_sizes(path: Path) -> list[list[float]]:
    """Each page's text sizes (points) line by line from the top, leaving out the footer."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(path).pages:
        height = float(page.mediabox.height)
        found: dict[int, float] = {}

        def visit(text, cm, tm, font, size, found=found, height=height):
            y = tm[5] * cm[3] + cm[5]
            if text.strip() and y > 20 / 25.4 * 72:  # above the bottom margin: not the footer
                scale = (tm[0] * cm[0]) ** 2 + (tm[1] * cm[0]) ** 2
                found[round(height - y)] = round(abs(size) * scale ** 0.5, 1)

        page.extract_text(visitor_text=visit)
        pages.append([found[y] for y in sorted(found)])
    return pages
