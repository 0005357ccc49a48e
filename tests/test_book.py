"""Briefing books: cover, contents, one section per place in order, page numbers, bookmarks."""

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
                          'from IPython.display import Markdown\nMarkdown(f"Text for {region}.")'),
        ],  # fmt: skip
        metadata={"maslihat": {"title": "Partial", "description": "Fails for one region."},
                  "kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}},  # fmt: skip
    )
    folder.mkdir(exist_ok=True)
    nbformat.write(nb, folder / "partial.ipynb")
    return folder


@pytest.fixture(autouse=True)
def use_project_data(monkeypatch):
    monkeypatch.delenv(render.DATA_DIR_ENV, raising=False)


def test_a_book_needs_the_pdf_reports(tmp_path, capsys):
    with pytest.raises(render.RenderInputError, match="add pdf to the formats"):
        render.render_reports(["parameters"], formats=["html"], book=True, out_dir=tmp_path,
                              notebooks_dir=FIXTURES)  # fmt: skip
    status = main(["render", "parameters", "--format", "html", "--book", "--out", str(tmp_path),
                   "--notebooks-dir", str(FIXTURES)])  # fmt: skip
    assert status == 2 and "a book is made of the PDF reports" in capsys.readouterr().err


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


def test_the_cover_names_the_report_and_its_places():
    data = render.election_data()
    order = render._place_order(lambda: data)  # noqa: SLF001
    cities = render._cities(lambda: data)  # noqa: SLF001
    assert render_book.places_line(order, order, cities) == (
        "All places: the whole country, 14 regions, 3 cities")
    assert render_book.places_line(["All", "Akmola", "Almaty (city)"], order, cities) == (
        "Places: the whole country, 1 region, 1 city")
    assert render_book.places_line(["Aktobe", "Akmola"], order, cities) == "Places: 2 regions"
    cover = {"heading": "Briefing", "places": "All places: the whole country, 14 regions, 3 cities"}
    page = render_book._front_matter_html("Briefing book: Briefing", cover, [], {}, 110)  # noqa: SLF001
    assert '<h1 class="maslihat-title">Briefing</h1>' in page and "briefing book" not in page
    assert "All places: the whole country, 14 regions, 3 cities · 110 pages" in page
    assert render_book.page_stamp("Akmola", 52, 110) == "Akmola · book page 52 of 110"


@pytest.mark.slow
def test_book_has_cover_contents_sections_page_numbers_and_bookmarks(tmp_path):
    out = tmp_path / "out"
    summary = render.render_reports(["parameters"], PLACES, formats=["pdf"], out_dir=out,
                                    notebooks_dir=FIXTURES, book=True, progress=False)  # fmt: skip
    assert summary.ok, summary.describe()
    path = out / "parameters--book.en.pdf"
    assert [b.path for b in summary.books] == [path] and f"book (made): {path}" in (
        summary.describe()
    )
    members = [PdfReader(out / f"parameters--{s}.en.pdf") for s in ("all", "east-kazakhstan")]
    book = PdfReader(path)
    front = 2  # the cover, and the contents on one page
    assert len(book.pages) == front + sum(len(m.pages) for m in members)
    assert top_outline(path) == ["Kazakhstan (whole country)", "East Kazakhstan"]
    # each place's bookmark points at its first page; its headings are nested under it
    starts = [book.get_destination_page_number(i) for i in book.outline if not isinstance(i, list)]
    assert starts == [front, front + len(members[0].pages)]
    assert any(isinstance(i, list) and i for i in book.outline)
    contents = page_text(path, 2)
    assert "Book page" in contents
    assert re.search(r"Kazakhstan \(whole country\)\s+3\b", contents)
    east = 3 + len(members[0].pages)
    assert re.search(rf"East Kazakhstan\s+{east}\b", contents)
    last = len(book.pages)
    cover = " ".join(page_text(path, 1).split())
    assert "Fixture parameters Briefing book" in cover and "briefing book" not in cover
    assert f"Places: the whole country, 1 region · {last} pages" in cover
    assert "book page" not in cover and book.metadata.title == "Briefing book: Fixture parameters"
    # the stamp at the top of each page says its section and its page of the book, the numbers
    # of the contents; the member report's own footer ('Page 1 of 2') stays as printed
    assert f"Contents · book page 2 of {last}" in contents
    assert f"Kazakhstan (whole country) · book page 3 of {last}" in page_text(path, 3)
    assert f"East Kazakhstan · book page {east} of {last}" in page_text(path, east)
    assert f"East Kazakhstan · book page {last} of {last}" in page_text(path, last)
    assert "Region: East Kazakhstan" in page_text(path, starts[1] + 1)

    index = (out / "index.html").read_text()
    assert 'href="parameters--book.en.pdf"' in index and "All places (book)" in index

    made = path.read_bytes()
    again = render.render_reports(["parameters"], PLACES, formats=["pdf"], out_dir=out,
                                  notebooks_dir=FIXTURES, book=True, progress=False)  # fmt: skip
    assert [b.status for b in again.books] == ["cached"] and path.read_bytes() == made


@pytest.mark.slow
def test_a_failed_place_is_listed_and_a_failed_book_keeps_the_earlier_one(tmp_path, monkeypatch):
    notebooks = partial_notebook(tmp_path / "notebooks")
    out = tmp_path / "out"
    args = dict(formats=["pdf"], out_dir=out, notebooks_dir=notebooks, book=True, progress=False)
    summary = render.render_reports(["partial"], PLACES, **args)
    assert [r.name for r in summary.failed] == ["partial--east-kazakhstan.en"]
    (made,) = summary.books
    assert made.ok and made.failed_places == ["East Kazakhstan"]
    path = out / "partial--book.en.pdf"
    assert top_outline(path) == ["Kazakhstan (whole country)"]
    contents = page_text(path, 2)
    failed = "East Kazakhstan – the report failed and is not in this book (running the notebook)"
    assert failed in contents
    assert "without East Kazakhstan (failed)" in summary.describe()
    index = (out / "index.html").read_text()
    assert "failed while running the notebook" in index and "Fails for one region." in index

    good = path.read_bytes()
    shutil.copy(ROOT / "README.md", notebooks / "unrelated.txt")  # nothing the book depends on

    def broken(*args, **kwargs):
        raise ValueError("cannot join the pages")

    monkeypatch.setattr(render_book, "_assemble", broken)
    monkeypatch.setattr(render_book, "BOOK_FORMAT", render_book.BOOK_FORMAT + 1)  # must rebuild
    again = render.render_reports(["partial"], PLACES, **args)
    assert not again.ok and "FAILED book partial--book.en.pdf: ValueError: cannot join" in (
        again.describe()
    )
    assert path.read_bytes() == good and not list(out.glob(".*tmp*"))
    assert "book failed: ValueError: cannot join the pages (the earlier book is kept)" in (
        out / "index.html"
    ).read_text()
