"""The charts' check in Chromium: a chart that draws nothing, or whose Vega view warns, fails its
report with a message naming the chart (slow: headless Chromium)."""

from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from conftest import MAP_LABELS_JS, overlapping
from maslihat import chromium, exporters
from maslihat.cli import main
from maslihat.display import enable_report_charts

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


def page_of(charts: list[alt.TopLevelMixin], path: Path) -> Path:
    """A report page with these charts, as the exporter makes it."""
    enable_report_charts()
    cells = []
    for chart in charts:
        bundle = chart._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        cells.append(new_code_cell("chart", outputs=[new_output("display_data", data=data)]))
    nb: nbformat.NotebookNode = new_notebook(cells=cells, metadata={"maslihat": {"title": "t"}})
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    path.write_text(page, encoding="utf-8")
    return path


def test_a_chart_of_a_missing_field_or_of_no_data_fails_naming_it(tmp_path):
    rows = pd.DataFrame({"name": ["a", "b"], "value": [1, 2]})
    good = alt.Chart(rows, title="Values").mark_bar().encode(x="value:Q", y="name:N")
    field = alt.Chart(rows, title="Turnout by region").mark_bar().encode(x="turnout:Q", y="name:N")
    empty = alt.Chart(rows.iloc[:0], title="Turnout at 21:00").mark_bar().encode(
        x="value:Q", y="name:N")
    with chromium.Chromium(timeout=60) as browser:
        browser.check_page(page_of([good], tmp_path / "good.html"))  # draws, nothing to say
        with pytest.raises(chromium.PageError) as caught:
            browser.check_page(page_of([good, field, empty], tmp_path / "wrong.html"))
    message = str(caught.value)
    assert message.startswith("wrong.html: 2 of 3 charts are wrong: ")
    assert 'chart 2 of 3 (“Turnout by region”): Vega warned: Infinite extent for field ' \
        '"turnout' in message
    assert "chart 3 of 3 (“Turnout at 21:00”): " in message
    assert message.endswith("it draws nothing (no data?)")
    assert "chart 1 of 3" not in message


def test_a_wrong_chart_fails_its_report_and_leaves_the_earlier_one(tmp_path, capsys):
    out = tmp_path / "reports"
    ask = ["render", "badchart", "--notebooks-dir", str(FIXTURES), "--format", "html", "pdf",
           "--out", str(out)]  # fmt: skip
    assert main(ask) == 0
    for problem in ("field", "empty"):
        capsys.readouterr()
        assert main([*ask, "-p", f"problem={problem}"]) == 1
        printed = capsys.readouterr().out
        name = f"badchart--all--problem-{problem}.en"
        assert f"FAILED {name} while printing the PDF: " in printed
        assert "1 of 1 charts are wrong: chart 1 of 1 (“Values of a”): " in printed
        assert not (out / f"{name}.html").exists() and not (out / f"{name}.pdf").exists()
    assert (out / "badchart--all.en.pdf").exists()


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext puts a form feed between pages)."""
    import subprocess

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    return text.split("\f")[:-1]


def test_a_tall_chart_of_panels_breaks_between_panels_and_starts_below_its_heading(tmp_path):
    """14 rows of panels (taller than a page): page 1 holds the heading, its paragraph and the
    first panels; every page holds whole panels (each has its region, its first and last party);
    no page is blank. 6 rows fit a page: the chart is printed whole."""
    pages_dir = Path(__file__).parent / "fixtures" / "pages"
    out = tmp_path / "reports"
    ask = ["render", "tall", "--notebooks-dir", str(pages_dir), "--format", "pdf", "--out",
           str(out)]  # fmt: skip
    assert main(ask) == 0 and main([*ask, "-p", "panels=6"]) == 0
    with open(Path(__file__).parents[1] / "data" / "regional_seats.csv", encoding="utf-8") as f:
        import csv

        regions = list(dict.fromkeys(row["region"] for row in csv.DictReader(f)))
    pages = pdf_pages(out / "tall--all.en.pdf")
    assert "Seats of every regional mäslihat" in pages[0] and "Seats by region and party" in \
        pages[0]
    assert regions[0] in pages[0]  # the chart starts on the heading's page
    assert all(len(page.split()) > 20 for page in pages)  # no page holds only its footer
    seen = []
    for page in pages:
        here = [r for r in regions if f"\n{r}\n" in f"\n{page}\n"]
        seen += here
        assert page.count("Nur Otan") == page.count("Adal") == len(here), page
    assert seen == regions and "After the chart" in pages[-1]
    assert len(pages) <= 3
    # 6 rows fit a page: the chart is printed whole on one page, its heading with its first
    # lines (a heading may end a page with its paragraph, the chart starting the next)
    six = pdf_pages(out / "tall--all--panels-6.en.pdf")
    heading = [page for page in six if "Seats of every regional mäslihat" in page]
    assert len(heading) == 1 and "Each row of bars is one regional" in heading[0]
    whole = [page for page in six if all(f"\n{r}\n" in f"\n{page}\n" for r in regions[:6])]
    assert len(whole) == 1 and whole[0].count("Nur Otan") == 6


def test_the_charts_as_drawn_are_kept_with_their_gradients_made_local(tmp_path):
    rows = pd.DataFrame({"name": ["a", "b"], "value": [1, 2]})
    bars = alt.Chart(rows, title="Values").mark_bar().encode(x="value:Q", y="name:N")
    shaded = bars.encode(color="value:Q")  # a colour scale: its legend is a gradient
    page = page_of([bars, shaded], tmp_path / "page.html")
    with chromium.Chromium(timeout=60, keep_drawings=True) as browser:
        browser.check_page(page)
        plain, legend = browser.drawings
        browser.check_page(page_of([], tmp_path / "none.html"))
        assert browser.drawings == []  # a page without charts keeps none (not the last page's)
    assert plain.startswith("<svg") and "<text" in plain and "gradient" not in plain
    gradient = re.search(r'<linearGradient id="([^"]+)"', legend)[1]
    assert f'fill="url(#{gradient})"' in legend and "file:" not in legend
    with chromium.Chromium(timeout=60) as browser:
        browser.check_page(page)
        assert browser.drawings == []  # kept only when asked for


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_the_maps_labels_stand_apart(tmp_path, lang):
    """No place's name or value on the country's maps runs into another's, in any language
    (the southern regions and Shymkent's point stand close together)."""
    from maslihat import maps
    from maslihat.data import load_all
    from maslihat.i18n import language

    data = load_all()
    with language(lang):
        page = page_of([maps.seat_share_map(data), maps.turnout_map(data)], tmp_path / "m.html")
    found: list = []
    with chromium.Chromium(timeout=60) as browser:
        browser._with_page(page, lambda sid: found.append(browser._call(  # noqa: SLF001
            "Runtime.evaluate", {"expression": MAP_LABELS_JS, "returnByValue": True}, sid)))
    charts = found[0]["result"]["value"]
    assert len(charts) == 2 and all(len(lines) >= 17 for lines in charts)
    for lines in charts:
        assert overlapping(lines) == [], overlapping(lines)
