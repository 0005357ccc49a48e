"""The election book: cover, linked contents with real pages, the national chapter once, each
place's own cells, back matter and one source list; tagged, bookmarked, made in one print."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from pypdf import PdfReader

from conftest import ROOT
from maslihat import render
from maslihat.cli import main
from maslihat.render import book as render_book

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
PLACES = ["East Kazakhstan", "All"]  # asked out of order: the book puts the country first
KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}


def top_outline(path: Path) -> list[str]:
    return [item.title for item in PdfReader(path).outline if not isinstance(item, list)]


def page_text(path: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path),
                           "-"], capture_output=True, text=True, check=True).stdout  # fmt: skip


def partial_notebook(folder: Path) -> Path:
    """A report notebook that fails for East Kazakhstan only."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Partial report\n\n## Section"),
            new_code_cell('region = "All"', metadata={"tags": ["parameters"]}),
            new_code_cell('if region == "East Kazakhstan":\n    raise ValueError("no data")\n'
                          'from IPython.display import Markdown\nMarkdown(f"Text for {region}.")',
                          metadata={"tags": ["place-own"]}),
        ],  # fmt: skip
        metadata={"maslihat": {"title": "Partial", "description": "Fails for one region."},
                  "kernelspec": KERNEL},  # fmt: skip
    )
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / "partial.ipynb")
    return folder


SETUP = """\
import altair as alt
import pandas as pd
from maslihat.data import load_all
from maslihat.display import enable_report_charts
from maslihat.sources import Citations
from maslihat.text import say, show_sources
from maslihat.xref import figure, ref
enable_report_charts()
data = load_all()
cite = Citations(data)
first, second, third = list(data.sources["source_id"])[:3]
"""
OWN_CHART = """\
frame = pd.DataFrame({"party": ["A", "B"], "seats": [3, 1]})
figure(alt.Chart(frame, title=f"Seats of {region}", description="Bars.").mark_bar().encode(
    x="seats:Q", y="party:N"), label="fig-own", source=cite(second))
"""


def book_notebook(folder: Path) -> Path:
    """A report with a place's own cells (tagged), a national paragraph, a data-quality section
    and a source list: what a book takes once, and what it takes for each place."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Book fixture"),
            new_code_cell('region = "All"', metadata={"tags": ["parameters"]}),
            new_code_cell(SETUP),
            new_markdown_cell("## Overview"),
            new_code_cell('say("Own paragraph of {p} {c}, see {f}.", p=region, c=cite(first), '
                          'f=ref("fig-own"))', metadata={"tags": ["place-own"]}),
            new_markdown_cell("## Own seats"),
            new_code_cell(OWN_CHART, metadata={"tags": ["place-own"]}),
            new_code_cell('say("National paragraph written for {p} {c}.", p=region, '
                          'c=cite(third))'),
            new_markdown_cell("## Data quality"),
            new_code_cell('say("Quality note of the data.")'),
            new_markdown_cell("## Sources"),
            new_code_cell("show_sources(cite.cited())"),
        ],  # fmt: skip
        metadata={"maslihat": {"title": "Book fixture"}, "kernelspec": KERNEL},
    )
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / "bookfix.ipynb")
    return folder


@pytest.fixture(autouse=True)
def use_project_data(monkeypatch):
    monkeypatch.delenv(render.DATA_DIR_ENV, raising=False)


def test_a_book_needs_the_html_reports(tmp_path, capsys):
    with pytest.raises(render.RenderInputError, match="add html to the formats"):
        render.render_reports(["parameters"], formats=["pdf"], book=True, out_dir=tmp_path,
                              notebooks_dir=FIXTURES)  # fmt: skip
    status = main(["render", "parameters", "--format", "pdf", "--book", "--out", str(tmp_path),
                   "--notebooks-dir", str(FIXTURES)])  # fmt: skip
    assert status == 2 and "a book is made of the HTML reports" in capsys.readouterr().err


def test_places_are_ordered_country_first_then_as_the_data_lists_them():
    order = ["All", "Abai", "Akmola", "Shymkent"]
    assert render_book.order_places(["Shymkent", "Zed", "Akmola", "All"], order) == [
        "All", "Akmola", "Shymkent", "Zed"]  # fmt: skip


def test_books_and_the_index_list_the_regions_a_to_z_then_the_cities():
    order = render._place_order(render.election_data)  # noqa: SLF001
    assert order[:3] == ["All", "Akmola", "Aktobe"] and order[-3:] == [
        "Almaty (city)", "Nur-Sultan (city)", "Shymkent (city)"]  # fmt: skip
    assert render_book.order_places(["Shymkent (city)", "Aktobe", "All", "Akmola"], order) == [
        "All", "Akmola", "Aktobe", "Shymkent (city)"]  # fmt: skip


def test_the_cover_names_the_places():
    data = render.election_data()
    order = render._place_order(lambda: data)  # noqa: SLF001
    cities = render._cities(lambda: data)  # noqa: SLF001
    # the cities by name: the capital is not one of the cities of republican significance
    assert render_book.places_line(order, order, cities) == (
        "All places: the whole country, 14 regions, the cities of Almaty, Nur-Sultan and "
        "Shymkent")
    assert render_book.places_line(["All", "Akmola", "Almaty (city)"], order, cities) == (
        "Places: the whole country, 1 region, the city of Almaty")
    assert render_book.places_line(["Aktobe", "Akmola"], order, cities) == "Places: 2 regions"


@pytest.mark.slow
def test_the_book_holds_the_nation_once_each_place_its_own_and_one_source_list(tmp_path):
    notebooks = book_notebook(tmp_path / "notebooks")
    out = tmp_path / "out"
    places = ["East Kazakhstan", "All", "Akmola"]
    summary = render.render_reports(["bookfix"], places, out_dir=out, notebooks_dir=notebooks,
                                    book=True, progress=False)  # fmt: skip
    assert summary.ok, summary.describe()
    # each report's chart as its print drew it, kept for the book's print
    from maslihat.render.cache import fingerprint
    from maslihat.render.drawings import read_drawings

    reports = sorted(out.glob("bookfix--*.en.html"))
    assert len(reports) == 3
    for report in reports:
        (drawn,) = read_drawings(report, fingerprint(report)["sha256"])
        assert drawn.startswith("<svg") and ">party</text>" in drawn
    path, page = out / "book.en.pdf", out / "book.en.html"
    assert [b.path for b in summary.books] == [path] and page.is_file()
    assert f"book (made): {path}" in summary.describe()
    assert not list(out.glob("*--book.*"))  # no book per notebook
    reader = PdfReader(path)
    # one print: tagged like the reports, in the book's language, bookmarks per chapter and place
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in root and root["/Lang"] == "en"
    tagged = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", tagged)
    assert top_outline(path) == ["Contents", "Kazakhstan (whole country)", "Akmola",
                                 "East Kazakhstan", "Data quality", "Corrections", "Sources"]
    # the contents give each chapter's real page and link to it
    starts = {item.title: reader.get_destination_page_number(item) + 1
              for item in reader.outline if not isinstance(item, list)}  # fmt: skip
    contents = page_text(path, 2)
    for title, start in starts.items():
        if title != "Contents":
            assert re.search(rf"{re.escape(title)}[ .]*{start}\s*$", contents, re.M), title
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    targets = sorted(reader.get_destination_page_number(reader.named_destinations[a["/Dest"]])
                     + 1 if isinstance(a["/Dest"], str) else None
                     for a in links if a.get("/Subtype") == "/Link" and "/Dest" in a)  # fmt: skip
    assert len(targets) >= len(starts) - 1
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    # the national paragraph and the data-quality note once; each place's own paragraph
    assert text.count("National paragraph written for") == 1
    assert text.count("Quality note of the data.") == 1
    assert "Own paragraph of Akmola" in text and "Own paragraph of East Kazakhstan" in text
    assert "Seats of Akmola" in text and "Seats of East Kazakhstan" in text
    # figures numbered through the book; a place's reference names its own figure
    html = page.read_text()
    captions = re.findall(r'class="maslihat-caption-number">([^<]+)<', html)
    assert captions == ["Figure 1.", "Figure 2.", "Figure 3."]
    refs = re.findall(r'<a class="maslihat-ref" href="#([^"]+)">([^<]+)</a>', html)
    ids = re.findall(r'<figure [^>]*data-kind="figure" id="([^"]+)"', html)
    figures = {fid: f"Figure {n}" for n, fid in enumerate(ids, start=1)}
    assert refs and all(figures[target] == label for target, label in refs)
    # a heading and its chart, printed on one page in the report, are one block in the book
    # too: in the national chapter and in each place's section
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    headings = [h for h in soup.find_all(["h3", "h4"]) if h.get_text(strip=True) == "Own seats"]
    assert len(headings) == 3
    for heading in headings:
        block = heading.find_parent("div", class_="maslihat-keep")
        assert block is not None and block.select_one("figure.maslihat-chart") is not None
    # one source list; every marker names its entry by the book's number
    entries = re.findall(r'<li data-number="(\d+)" id="(source-[^"]+)"', html)
    assert [int(n) for n, _ in entries] == list(range(1, len(entries) + 1)) and len(entries) == 3
    numbers = {anchor: n for n, anchor in entries}
    notes = re.findall(r'<a class="maslihat-note" href="#(source-[^"]+)">(\d+)</a>', html)
    assert notes and all(numbers[anchor] == n for anchor, n in notes)
    assert html.count('class="maslihat-sources') == 1
    # no spill page: every page after the cover has more than a few lines
    for number in range(2, len(reader.pages) + 1):
        lines = [line for line in page_text(path, number).splitlines() if line.strip()]
        assert len(lines) > 3, (number, lines)
    # one page number per page
    assert len(re.findall(r"Page \d+ of \d+", page_text(path, 3))) == 1
    index = (out / "index.html").read_text()
    assert 'href="book.en.pdf"' in index and 'href="book.en.html"' in index

    made = path.read_bytes()
    again = render.render_reports(["bookfix"], places, out_dir=out, notebooks_dir=notebooks,
                                  book=True, progress=False)  # fmt: skip
    assert [b.status for b in again.books] == ["cached"] and path.read_bytes() == made


@pytest.mark.slow
def test_a_failed_place_is_listed_and_a_failed_book_keeps_the_earlier_one(tmp_path, monkeypatch):
    notebooks = partial_notebook(tmp_path / "notebooks")
    out = tmp_path / "out"
    args = dict(formats=["html"], out_dir=out, notebooks_dir=notebooks, book=True, progress=False)
    summary = render.render_reports(["partial"], PLACES, **args)
    assert [r.name for r in summary.failed] == ["partial--east-kazakhstan.en"]
    (made,) = summary.books
    assert made.ok and made.failed_places == ["East Kazakhstan"]
    path = out / "book.en.pdf"
    assert top_outline(path)[:3] == ["Contents", "Kazakhstan (whole country)", "East Kazakhstan"]
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                   text=True).stdout.split())  # fmt: skip
    assert "Partial: the report failed and is not in this book (running the notebook)." in text
    assert "without East Kazakhstan (failed)" in summary.describe()
    index = (out / "index.html").read_text()
    assert "failed while running the notebook" in index

    good = path.read_bytes()
    shutil.copy(ROOT / "README.md", notebooks / "unrelated.txt")  # nothing the book depends on

    def broken(*args, **kwargs):
        raise ValueError("cannot print the book")

    monkeypatch.setattr(render_book, "_print_book", broken)
    monkeypatch.setattr(render_book, "BOOK_FORMAT", render_book.BOOK_FORMAT + 1)  # must rebuild
    again = render.render_reports(["partial"], PLACES, **args)
    assert not again.ok and "FAILED book book.en.pdf: ValueError: cannot print" in (
        again.describe()
    )
    assert path.read_bytes() == good and not list(out.glob(".*tmp*"))
    assert "book failed: ValueError: cannot print the book (the earlier book is kept)" in (
        out / "index.html"
    ).read_text()


def report_page(title: str, body: str) -> str:
    """A report page as the exporter writes it, reduced to what a book takes: <main> of cells."""
    heading = f'<div class="maslihat-cell"><h1>{title}</h1></div>'
    return f"<html><body><main>{heading}{body}</main></body></html>"


@pytest.mark.slow
def test_the_contents_give_a_reports_page_not_that_of_a_section_of_its_name(tmp_path):
    """'Turnout' is a section of the briefing and the next report: the contents give the page
    the report starts on, not the page of the section before it."""
    from maslihat.chromium import Chromium

    para = "<p>" + "A paragraph of the briefing long enough to fill a few lines. " * 6 + "</p>"
    cells = [f'<div class="maslihat-cell"><h2 id="sec-turnout">Turnout</h2>{para}</div>',
             *[f'<div class="maslihat-cell">{para}</div>' for _ in range(30)]]  # fmt: skip
    first, second = tmp_path / "briefing.html", tmp_path / "turnout.html"
    first.write_text(report_page("Briefing", "".join(cells)))
    second.write_text(report_page("Turnout", f'<div class="maslihat-cell">{para}</div>'))
    members = [render_book.Member("00-briefing", "All", first, "Briefing"),
               render_book.Member("01-turnout", "All", second, "Turnout")]  # fmt: skip
    facts = render_book.book_facts("v")
    cover = {"title": "The book", "places": "The country"}
    with Chromium(timeout=60) as browser:
        _html, pdf = render_book._print_book(members, facts, cover, browser, tmp_path, None)
    reader = PdfReader(pdf)
    starts = {str(name).lstrip("/"): reader.get_destination_page_number(dest) + 1
              for name, dest in reader.named_destinations.items()}  # fmt: skip
    section = next(n for n, page in enumerate(reader.pages, start=1)
                   if "Turnout" in page.extract_text() and n > 2)  # fmt: skip
    report = starts["m2-report"]
    assert report > section  # the briefing's section 'Turnout' is pages before the report
    contents = page_text(pdf, 2)
    assert re.search(rf"^\s*Turnout[ .]*{report}\s*$", contents, re.M), contents


def test_a_changed_book_template_or_style_changes_the_books_key(tmp_path, monkeypatch):
    # The members' HTML can be byte for byte the same while the book's own template changed:
    # the key must still change, or the earlier book would be kept.
    package = tmp_path / "maslihat"
    (package / "templates").mkdir(parents=True)
    template = package / "templates" / "book.html.j2"
    template.write_text("<html>{{ body }}</html>")
    monkeypatch.setattr(render_book, "PACKAGE_DIR", package)
    key = render_book._book_key("en", [], {"data_version": "2.3.0"}, {}, None)
    assert render_book._book_key("en", [], {"data_version": "2.3.0"}, {}, None) == key
    template.write_text("<html><main>{{ body }}</main></html>")
    assert render_book._book_key("en", [], {"data_version": "2.3.0"}, {}, None) != key


def test_the_national_chapter_leaves_out_a_summary_of_a_report_it_holds_in_full(tmp_path):
    def report(name: str, cells: str) -> Path:
        path = tmp_path / f"{name}.html"
        path.write_text(f"<html><body><main>{cells}</main></body></html>", encoding="utf-8")
        return path

    def cell(text: str, tags: str = "") -> str:
        attribute = f' data-tags="{tags}"' if tags else ""
        return f'<div class="maslihat-cell"{attribute}><p>{text}</p></div>'

    briefing = report("briefing", cell("The result in brief.")
                      + cell("Turnout in brief.", "place-own summary-of-01-turnout"))
    turnout = report("turnout", cell("Turnout in full."))
    facts = {"data_version": "2.3.0"}

    def national_text(members) -> str:
        return render_book.compose(members, facts, {"title": "Book", "places": ""}).page()

    both = national_text([render_book.Member("00-briefing", "All", briefing),
                          render_book.Member("01-turnout", "All", turnout)])
    assert "The result in brief." in both and "Turnout in full." in both
    assert "Turnout in brief." not in both  # the turnout report holds it in full
    alone = national_text([render_book.Member("00-briefing", "All", briefing)])
    assert "Turnout in brief." in alone  # without the turnout report the summary stays
    place = national_text([render_book.Member("00-briefing", "Akmola", briefing),
                           render_book.Member("01-turnout", "Akmola", turnout),
                           render_book.Member("00-briefing", "Aktobe", briefing)])
    akmola, aktobe = place.split("Aktobe")[-2:]
    assert "Turnout in brief." not in akmola and "Turnout in brief." in aktobe


def chart_report(path: Path, charts: int) -> Path:
    """A report page of `charts` charts, their boxes empty as the exporter writes them."""
    figure = ('<figure class="maslihat-chart" data-kind="figure" id="fig-{n}"><div '
              'class="maslihat-chart-view"></div><script class="maslihat-chart-spec" '
              'type="application/json">{{}}</script></figure>')  # fmt: skip
    cells = "".join(f'<div class="maslihat-cell">{figure.format(n=n)}</div>' for n in range(charts))
    path.write_text(f"<html><body><main>{cells}</main></body></html>", encoding="utf-8")
    (path.parent / "executed").mkdir(exist_ok=True)
    return path


def test_the_printed_book_sets_the_charts_its_reports_drew_and_its_html_draws_them(tmp_path):
    from maslihat.render.cache import fingerprint
    from maslihat.render.drawings import write_drawings

    briefing = chart_report(tmp_path / "00-briefing--all.en.html", 2)
    turnout = chart_report(tmp_path / "01-turnout--all.en.html", 1)
    legend = ('<svg class="marks"><defs><linearGradient id="gradient_0"/></defs>'
              '<path fill="url(#gradient_0)"/></svg>')  # fmt: skip
    write_drawings(briefing, fingerprint(briefing)["sha256"], [legend, legend])
    write_drawings(turnout, fingerprint(turnout)["sha256"], ["<svg>turnout</svg>"])
    members = [render_book.Member("00-briefing", "All", briefing),
               render_book.Member("01-turnout", "All", turnout)]  # fmt: skip
    composed = render_book.compose(members, {"data_version": "2.3.0"}, {"title": "B", "places": ""})
    printed = composed.page(drawn=True)
    views = re.findall(r'<div class="maslihat-chart-view">(.*?)</div>', printed)
    # each drawing in its own chart's box, its ids its report's own in the book
    assert views == [legend.replace("gradient_0", "m1-gradient_0"),
                     legend.replace("gradient_0", "m1-gradient_0"), "<svg>turnout</svg>"]
    assert composed.bundle and composed.bundle not in printed  # nothing left for Vega to draw
    assert "maslihat-chart-view svg" in printed and "paginate(figure)" in printed  # charts.js
    assert "<script class=\"maslihat-chart-spec\"" not in printed  # nor their specs
    # the draft (read only for its pages): the drawings' boxes, of their size, left empty
    draft = composed.page(drawn=True, draft=True)
    assert re.findall(r'<div class="maslihat-chart-view">(.*?)</div>', draft) == [
        '<svg class="marks"></svg>', '<svg class="marks"></svg>', "<svg></svg>"]
    # the book's HTML page draws its charts when it opens
    page = composed.page()
    assert composed.bundle in page and "data-drawing" not in page
    assert re.findall(r'<div class="maslihat-chart-view">(.*?)</div>', page) == ["", "", ""]
    assert page.count('<script class="maslihat-chart-spec"') == 3

    # a report edited after it was drawn, or drawn with another number of charts: Vega draws it
    turnout.write_text(turnout.read_text().replace("<main>", "<main><p>Edited.</p>"))
    write_drawings(briefing, fingerprint(briefing)["sha256"], [legend])
    again = render_book.compose(members, {"data_version": "2.3.0"}, {"title": "B", "places": ""})
    printed = again.page(drawn=True)
    assert re.findall(r'<div class="maslihat-chart-view">(.*?)</div>', printed) == ["", "", ""]
    assert again.bundle in printed


def test_a_book_composed_ahead_in_its_own_process_is_the_book_composed_here(tmp_path):
    from maslihat.i18n import language
    from maslihat.render.cache import fingerprint
    from maslihat.render.drawings import write_drawings

    briefing = chart_report(tmp_path / "00-briefing--all.kk.html", 2)
    write_drawings(briefing, fingerprint(briefing)["sha256"], ["<svg>1</svg>", None])
    members = [render_book.Member("00-briefing", "All", briefing, "Briefing")]
    facts, cover = {"data_version": "2.3.0"}, {"title": "Кітап", "places": ""}
    with language("kk"):
        here = render_book.compose(members, facts, cover)
    with render_book.BookComposer() as composer:
        # composed in Kazakh, asked in English
        ahead = composer.ahead("kk", members, facts, cover, draft=False)
        assert ahead is not None
        composed = ahead()
    assert composed == here and "Қазақстан" in composed.body
    assert composed.page(drawn=True) == here.page(drawn=True)


@pytest.mark.slow
def test_the_drafted_pages_are_the_printed_books_whether_drafted_here_or_ahead(tmp_path):
    """The draft print leaves the drawings' boxes empty: a tall chart still pushes the next
    report to the page the book prints it on, and the composer's draft finds the same pages
    as the book's own Chromium."""
    from maslihat.chromium import Chromium
    from maslihat.render.cache import fingerprint
    from maslihat.render.drawings import write_drawings

    para = "<p>" + "A paragraph long enough to fill a few lines of the page. " * 6 + "</p>"
    tall = ('<svg width="500" height="700" viewBox="0 0 500 700"><rect width="500" height="700" '
            'fill="#ccc"/></svg>')  # fmt: skip
    panels = ('<svg width="500" height="300"><g class="mark-group role-scope cell"><g><rect '
              'width="500" height="300"/></g></g></svg>')  # fmt: skip
    briefing = chart_report(tmp_path / "00-briefing--all.en.html", 2)
    briefing.write_text(briefing.read_text().replace("<main>", f"<main>{para * 3}"))
    write_drawings(briefing, fingerprint(briefing)["sha256"], [tall, panels])
    turnout = tmp_path / "01-turnout--all.en.html"
    turnout.write_text(report_page("Turnout", f'<div class="maslihat-cell">{para}</div>'))
    members = [render_book.Member("00-briefing", "All", briefing, "Briefing"),
               render_book.Member("01-turnout", "All", turnout, "Turnout")]  # fmt: skip
    facts, cover = render_book.book_facts("v"), {"title": "The book", "places": ""}
    with render_book.BookComposer() as composer:
        ahead = composer.ahead("en", members, facts, cover)
        assert ahead is not None
        composed = ahead()
    assert composed.pages and composed.pages["m2-report"] > 3  # the charts fill pages
    draft = composed.page(drawn=True, draft=True)  # panels kept: charts.js cuts between them
    assert '<svg width="500" height="700" viewBox="0 0 500 700"></svg>' in draft
    assert 'role-scope cell"><g><rect' in draft
    with Chromium(timeout=60) as browser:
        assert render_book.contents_pages(composed, browser, tmp_path) == composed.pages
        _html, pdf = render_book._print_book(members, facts, cover, browser, tmp_path, None,
                                             lambda: composed)  # fmt: skip
    reader = PdfReader(pdf)
    printed = {str(name).lstrip("/"): reader.get_destination_page_number(dest) + 1
               for name, dest in reader.named_destinations.items()}  # fmt: skip
    assert {anchor: printed[anchor] for anchor in composed.pages} == composed.pages
    assert re.search(rf"Turnout[ .]*{printed['m2-report']}\s*$", page_text(pdf, 2), re.M)
