"""The election book: one document per language of every report rendered, for the places chosen.

`<out>/book.<lang>.html` and `<out>/book.<lang>.pdf` hold a cover, a contents page (each entry a
link, with its page), the national chapter (the whole country's report of each notebook, once),
one section per place with only the cells of its reports tagged `place-own` (and the heading each
follows; in either, a cell tagged `summary-of-<notebook>` is left out when the chapter holds that
notebook's report too), then methodology, data quality and corrections (the reports' sections of
those names, once each; corrections from `data/CHANGELOG.md` when no report has them) and one
numbered source list for the whole book, every note marker numbered and linked anew by its
source's id.

The book is composed from the HTML reports (their apparatus already resolved: numbered figures,
note links by source id) and printed by Chromium in one pass, so the PDF is tagged like the
reports and its bookmarks follow the chapters and places; its contents' page numbers are read
from where a draft print (the same page with the drawings' boxes left empty) put each entry's
anchor. The printed page holds the charts as the reports' own prints drew them
(render.drawings; Vega draws only those not kept), the book's HTML page draws them when it
opens. It is written atomically and made again only when a member report or what the front
matter shows changed.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from maslihat import __version__, i18n
from maslihat.chromium import Chromium
from maslihat.exporters import TEMPLATE_DIR, TEMPLATE_NAME, election_label, region_label
from maslihat.i18n import _, long_date, n_, number
from maslihat.params import ALL
from maslihat.render.cache import PACKAGE_FILES, file_matches, fingerprint
from maslihat.render.drawings import read_drawings, with_prefixed_ids
from maslihat.render.files import temporary_path, write_atomic
from maslihat.render.jobs import PACKAGE_DIR, WORKER_DIED, RenderOutputError
from maslihat.reuse import tree_digest
from maslihat.xref import SOURCE_ANCHOR, number_label

BOOKS_FILE = ".books.json"
BOOK_TEMPLATE = "book.html.j2"
BOOK_FORMAT = 4  # bump when the book's layout changes: every book is made again
BOOK_TIMEOUT = 300.0  # seconds a book's print may take at least: a book is many reports' pages
PLACE_OWN = "place-own"  # the cell tag of what belongs to a place itself (its section keeps it)
# A cell tagged 'summary-of-<notebook>' sums up what that notebook's report covers in full: a
# chapter leaves it out when it holds that report for the same place (no chart printed twice).
SUMMARY_OF = "summary-of-"
BACK_MATTER = ("methodology", "data-quality", "corrections")


def book_id(lang: str = "en", suffix: str = "") -> str:
    """What the book records call the book of a language: 'book.ru'; of reports made with other
    parameters than the defaults, named with them: 'book--as-of-20-00.ru'."""
    return f"book{suffix}.{lang}"


def book_name(book: str) -> str:
    """Base file name of a book: 'book.ru' (the PDF is book.ru.pdf, the page book.ru.html)."""
    return book


@dataclass(frozen=True)
class Member:
    """One report of a book (a notebook for a place): its HTML report, or why it failed."""

    notebook: str
    place: str
    html: Path | None
    title: str = ""
    failure: str | None = None


@dataclass
class BookResult:
    """What became of one book."""

    lang: str
    title: str
    path: Path
    status: str  # "made", "cached" or "failed"
    places: list[str]
    failed_places: list[str]
    error: str | None = None
    pages: int = 0
    html: Path | None = None
    suffix: str = ""  # the parameters other than the defaults, as file names write them
    seconds: float = 0.0  # to check it, and make it when a member changed

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def notebook(self) -> str:
        """The record key of the book ('book.en'), as the index names books."""
        return book_id(self.lang, self.suffix)


def order_places(places: Sequence[str], order: Sequence[str]) -> list[str]:
    """Places in the order of `order` (the whole country, regions, cities); others after, A–Z."""
    rank = {place: i for i, place in enumerate(order)}
    return sorted(places, key=lambda p: (rank.get(p, len(rank)), p))


def read_books(out_dir: Path) -> dict[str, dict[str, Any]]:
    """What the last renders recorded of each book (its key and files), by book id."""
    try:
        books = json.loads((out_dir / BOOKS_FILE).read_text(encoding="utf-8"))
        return {k: v for k, v in books.items() if isinstance(v, dict) and k.startswith("book")}
    except (OSError, ValueError, AttributeError):
        return {}


def _write_books(out_dir: Path, books: dict[str, dict[str, Any]]) -> None:
    write_atomic(out_dir / BOOKS_FILE, json.dumps(books, indent=1, sort_keys=True))


def current_books(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Books on disk as recorded (for the index): book id → record with 'href' (PDF) and
    'html_href'."""
    found = {}
    for key, record in read_books(out_dir).items():
        pdf, html = out_dir / f"{key}.pdf", out_dir / f"{key}.html"
        if file_matches(pdf, record.get("file") or {}) and file_matches(
            html, record.get("html_file") or {}
        ):
            found[key] = {**record, "href": quote(pdf.name), "html_href": quote(html.name)}
    return found


def places_line(places: Sequence[str], order: Sequence[str], cities: Collection[str]) -> str:
    """Which places a book holds, for its cover: 'All places: the whole country, 14 regions,
    Almaty, Nur-Sultan and Shymkent' when it holds every place of `order`, else 'Places: the whole
    country, 1 region'. The cities by their names: the capital is not one of the cities of
    republican significance, and a count of "cities" would say so."""
    from maslihat.names import shown
    from maslihat.text import listing

    regions = [p for p in places if p != ALL and p not in cities]
    towns = [p for p in places if p != ALL and p in cities]
    parts = [_("the whole country")] if ALL in places else []
    if regions:
        parts.append(n_("{n} region", "{n} regions", len(regions), n=number(len(regions))))
    if towns:
        bare = [shown(t).removesuffix(" (city)") for t in towns]
        parts.append(n_("the city of {names}", "the cities of {names}", len(towns),
                        names=listing(bare)))  # fmt: skip
    listed = ", ".join(parts)
    if order and set(order) <= set(places):
        return _("All places: {places}", places=listed)
    return _("Places: {places}", places=listed)


# --- Composing the book from the reports' HTML -------------------------------------------------


def _main(path: Path):
    """The <main> element of an HTML report, parsed."""
    from bs4 import BeautifulSoup

    page = path.read_text(encoding="utf-8")
    start, end = page.find("<main"), page.rfind("</main>")
    if start < 0 or end < 0:
        raise ValueError(f"{path.name} is not a report page (it has no <main>)")
    return BeautifulSoup(page[start:end + len("</main>")], "html.parser").main


_LOCAL_LINK = re.compile(r"^#")  # a link within the page


def _prefix_ids(root, prefix: str) -> None:
    """Make a member's ids unique in the book: 'sec-2' → 'm3-sec-2', and its links with them;
    links to sources stay (the book has one source list)."""
    for element in root.find_all(id=True):
        if not element["id"].startswith(SOURCE_ANCHOR):
            element["id"] = prefix + element["id"]
    for element in root.find_all(attrs={"aria-labelledby": True}):
        element["aria-labelledby"] = prefix + element["aria-labelledby"]
    for link in root.find_all("a", href=_LOCAL_LINK):
        if not link["href"].startswith("#" + SOURCE_ANCHOR):
            link["href"] = "#" + prefix + link["href"][1:]


def _demote(root, levels: int = 1) -> None:
    """Headings one level down (a report's sections sit under a chapter and a report title)."""
    for heading in root.find_all(["h1", "h2", "h3", "h4", "h5"]):
        heading.name = f"h{min(6, int(heading.name[1]) + levels)}"


KEEP = "data-keep"  # the id of the block printed on one page a cell was taken out of


def _cells(root, prefix: str = "") -> list[Any]:
    """A report's cells in reading order; those of a block printed on one page (a heading with
    its first paragraphs and chart, div.maslihat-keep) marked with the block's id and class, so
    the book can hold together what it keeps of the block (_rejoin)."""
    for n, block in enumerate(root.find_all("div", class_="maslihat-keep")):
        for cell in block.find_all("div", class_="maslihat-cell"):
            cell[KEEP] = f"{prefix}{n}"
            cell["data-keep-class"] = " ".join(block.get("class", []))
    return root.find_all("div", class_="maslihat-cell")


def _rejoin(soup, parts: list[Any]) -> list[Any]:
    """Parts in order, the neighbouring cells of one report's block printed on one page wrapped
    in a block again (the book takes cells out of their report's blocks)."""
    joined: list[Any] = []
    for part in parts:
        block = part.get(KEEP)
        last = joined[-1] if joined else None
        if block and last is not None and last.get(KEEP) == block:
            if last.name != "div" or "maslihat-keep" not in last.get("class", []):
                wrapper = soup.new_tag("div", attrs={"class": last["data-keep-class"],
                                                     KEEP: block})  # fmt: skip
                wrapper.append(last)
                joined[-1] = last = wrapper
            last.append(part)
        else:
            joined.append(part)
    return joined


def _is_heading_cell(cell) -> bool:
    return cell.find(["h2", "h3", "h4", "h5"]) is not None


def _text(cell) -> str:
    return " ".join(cell.get_text(" ").split())


def _only_heading(cell) -> bool:
    """A cell that is nothing but its heading ('## Methodology'): a chapter has its own."""
    heading = cell.find(["h2", "h3", "h4", "h5"])
    return heading is not None and _text(cell) == " ".join(heading.get_text(" ").split())


def _summarised_elsewhere(cell, reports: set[str]) -> bool:
    """A cell tagged as a summary of another notebook whose report is in the national chapter."""
    tags = cell.get("data-tags", "").split()
    return any(t.startswith(SUMMARY_OF) and t[len(SUMMARY_OF):] in reports for t in tags)


def place_cells(cells: list[Any]) -> list[Any]:
    """The cells of a place's report its book section keeps: those tagged `place-own`, each
    after the heading it follows (once)."""
    kept, heading, shown = [], None, False
    for cell in cells:
        tags = cell.get("data-tags", "").split()
        if PLACE_OWN in tags:
            if heading is not None and not shown and heading is not cell:
                kept.append(heading)
            kept.append(cell)
            shown = True
            if _is_heading_cell(cell):
                heading, shown = cell, True
        elif _is_heading_cell(cell):
            heading, shown = cell, False
    return kept


@dataclass
class Chapter:
    """A part of the book with an h1: the national chapter, a place, the back matter."""

    id: str
    title: str
    body: list[Any] = field(default_factory=list)
    entries: list[tuple[str, str]] = field(default_factory=list)  # (id, title) listed under it
    page_break: bool = False
    note: str | None = None
    failures: list[str] = field(default_factory=list)


def _changelog_html(path: Path) -> str:
    """The data package's changelog as HTML (its first heading left to the chapter)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    from maslihat.exporters import clean_report_html

    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\A\s*#\s+[^\n]*\n", "", text)  # the file's own title
    text = re.sub(r"^(#{2,5}) ", r"#\1 ", text, flags=re.M)  # under the chapter's heading
    return re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "",
                  clean_report_html(markdown2html_mistune(text)))


# A chart's box in a composed book's body, marked with the key of the drawing its report kept, and
# the chart's spec after it (which a page showing the drawing does not need).
_DRAWING_BOX = re.compile(
    r'<div class="maslihat-chart-view" data-drawing="([^"]+)"></div>'
    r'(\n?<script class="maslihat-chart-spec" type="application/json">.*?</script>)?',
    re.S,
)
_SVG_START = re.compile(r"<svg\b[^>]*>")


@dataclass
class Composition:
    """A book composed: its body, its contents entries (id, title, level) and the front matter,
    to be set as one page with or without the contents' page numbers."""

    body: str
    entries: list[dict[str, Any]]
    facts: dict[str, str]
    cover: dict[str, str]
    bundle: str  # the Vega bundle, when the book has charts
    charts: int = 0  # how many
    drawings: dict[str, str] = field(default_factory=dict)  # key → a chart as its report drew it
    pages: dict[str, int] | None = None  # the contents' pages, where a draft was printed ahead

    def page(self, pages: dict[str, int] | None = None, drawn: bool = False,
             draft: bool = False) -> str:  # fmt: skip
        """The book's HTML page, each contents entry with its page from `pages` (if known).
        `drawn`: the page to print, with the charts its reports drew set in it (Vega draws only
        those that were not kept); else each chart is drawn when the page opens. `draft`: the
        drawn page with each drawing's box left empty (the same size, so the same pages), to
        be printed only for where things fall, in a quarter of the time."""
        entries = [{**e, "page": (pages or {}).get(e["id"])} for e in self.entries]

        def box(found: re.Match) -> str:
            if not drawn:
                return f'<div class="maslihat-chart-view"></div>{found[2] or ""}'
            drawing = self.drawings[found[1]]
            if draft and "role-scope cell" not in drawing:  # panels: charts.js cuts between rows
                drawing = _SVG_START.match(drawing)[0] + "</svg>"
            return f'<div class="maslihat-chart-view">{drawing}</div>'

        body = _DRAWING_BOX.sub(box, self.body)
        bundle = self.bundle if not drawn or len(self.drawings) < self.charts else ""
        return _page(body, entries, self.facts, self.cover, bundle, self.charts > 0)


def compose(
    members: list[Member],
    facts: dict[str, str],
    cover: dict[str, str],
    changelog: Path | None = None,
) -> Composition:
    """The book composed from its members' HTML (each read and parsed once)."""
    from bs4 import BeautifulSoup

    from maslihat.display import vega_bundle

    soup = BeautifulSoup("", "html.parser")
    national = Chapter("book-national", region_label(ALL), page_break=True)
    places: dict[str, Chapter] = {}
    back = {
        "methodology": Chapter("book-methodology", _("Methodology")),
        "data-quality": Chapter("book-data-quality", _("Data quality")),
        "corrections": Chapter("book-corrections", _("Corrections")),
    }
    seen_back: set[str] = set()
    reports_of: dict[str, set[str]] = {}  # place → the notebooks whose report the book holds
    for m in members:
        if m.html is not None:
            reports_of.setdefault(m.place, set()).add(m.notebook)
    sources: dict[str, Any] = {}
    charts = 0
    drawings: dict[str, str] = {}
    for k, member in enumerate(members, start=1):
        if member.html is None:
            chapter = national if member.place == ALL else places.setdefault(member.place, Chapter(
                f"book-place-{len(places) + 1}", region_label(member.place)))  # fmt: skip
            chapter.failures.append(_(
                "{report}: the report failed and is not in this book ({stage}).",
                report=_(member.title) if member.title else member.notebook,
                stage=_(member.failure or WORKER_DIED),
            ))
            continue
        main = _main(member.html)
        views = main.find_all("div", class_="maslihat-chart-view")
        charts += len(views)
        drawn = read_drawings(member.html, _page_sha256(member.html))
        if drawn is not None and len(drawn) == len(views):
            for n, (view, svg) in enumerate(zip(views, drawn, strict=True)):
                if svg and not view.contents:
                    view["data-drawing"] = key = f"m{k}-{n}"
                    drawings[key] = with_prefixed_ids(svg, f"m{k}-")
        for nav in main.find_all("nav", class_="maslihat-toc"):
            nav.decompose()
        _prefix_ids(main, f"m{k}-")
        for listed in main.find_all("ol", class_="maslihat-sources"):
            for li in listed.find_all("li", id=True, recursive=False):
                sources.setdefault(li["id"], li)
        _demote(main)
        title = _(member.title) if member.title else member.notebook
        cells = _cells(main, f"m{k}-")
        if member.place == ALL:
            body = []
            for cell in cells:
                section = cell.get("data-section")
                if section == "sources" or _summarised_elsewhere(cell, reports_of[ALL]):
                    continue
                if section in back:
                    if not _only_heading(cell) and _text(cell) not in seen_back:
                        seen_back.add(_text(cell))
                        back[section].body.append(cell)
                    continue
                body.append(cell)
            anchor = f"m{k}-report"
            national.entries.append((anchor, title))
            national.body += [_heading(soup, "h2", anchor, title), *body]
        else:
            kept = place_cells([c for c in cells if c.get("data-section") != "sources"
                                and not _summarised_elsewhere(c, reports_of[member.place])])
            chapter = places.setdefault(member.place, Chapter(
                f"book-place-{len(places) + 1}", region_label(member.place)))  # fmt: skip
            if kept:
                chapter.body += [_heading(soup, "h2", f"m{k}-report", title), *kept]
    for chapter in places.values():
        if not chapter.body and not chapter.failures:
            chapter.note = _("This place has nothing of its own in these reports beyond the "
                             "national chapter.")  # fmt: skip
    if not back["corrections"].body and changelog is not None and changelog.is_file():
        back["corrections"].body.append(BeautifulSoup(_changelog_html(changelog), "html.parser"))
    chapters = [national] if national.body or national.failures else []
    chapters += list(places.values())
    # After the national chapter, which starts a page, every chapter runs on from the one before:
    # a chapter that started a page would leave the last lines of the one before on a page of
    # their own.
    appendix = [c for c in back.values() if c.body]
    chapters += appendix

    body = soup.new_tag("div", attrs={"class": "maslihat-book-body"})
    for chapter in chapters:
        section = soup.new_tag("section", attrs={"class": "maslihat-book-chapter"
                                                 + (" maslihat-break" if chapter.page_break
                                                    else "")})  # fmt: skip
        section.append(_heading(soup, "h1", chapter.id, chapter.title))
        for text in [*chapter.failures, *([chapter.note] if chapter.note else [])]:
            note = soup.new_tag("p", attrs={"class": "maslihat-book-note"})
            note.string = text
            section.append(note)
        for part in _rejoin(soup, chapter.body):
            section.append(part)
        body.append(section)

    listed = _number_sources(soup, body, sources)
    if listed is not None:
        chapter = Chapter("book-sources", _("Sources"))
        chapters.append(chapter)
        section = soup.new_tag("section", attrs={"class": "maslihat-book-chapter"})
        section.append(_heading(soup, "h1", chapter.id, chapter.title))
        section.append(listed)
        body.append(section)
    _renumber_figures(body)

    entries = []
    for chapter in chapters:
        entries.append({"id": chapter.id, "title": chapter.title, "level": 1})
        entries += [{"id": anchor, "title": title, "level": 2}
                    for anchor, title in chapter.entries]  # fmt: skip
    return Composition(str(body), entries, facts, cover, vega_bundle() if charts else "", charts,
                       drawings)  # fmt: skip


def _heading(soup, name: str, anchor: str, text: str):
    heading = soup.new_tag(name, id=anchor)
    heading.string = text
    return heading


def _number_sources(soup, body, sources: dict[str, Any]):
    """Number the book's sources in the order its markers first cite them, write each marker
    with its new number, and return the one source list (None when nothing is cited)."""
    for old in body.find_all("ol", class_="maslihat-sources"):
        old.decompose()
    order: list[str] = []
    for link in body.find_all("a", class_="maslihat-note"):
        target = link["href"][1:]
        if target in sources and target not in order:
            order.append(target)
        if target in sources:
            link.string = str(order.index(target) + 1)
    order += [s for s in sources if s not in order]
    if not order:
        return None
    listed = soup.new_tag("ol", attrs={"class": "maslihat-sources"})
    for n, anchor in enumerate(order, start=1):
        item = sources[anchor]
        item["data-number"] = str(n)
        listed.append(item)
    return listed


def _renumber_figures(body) -> None:
    """Number the book's figures and tables through the whole book; references follow."""
    counters = {"figure": 0, "table": 0}
    numbers = {}
    for fig in body.find_all("figure", attrs={"data-kind": True}):
        kind = fig["data-kind"]
        counters[kind] = counters.get(kind, 0) + 1
        numbers[fig.get("id")] = (kind, counters[kind])
        caption = fig.find(class_="maslihat-caption-number")
        if caption is not None:
            caption.string = number_label(kind, counters[kind], caption=True)
    for link in body.find_all("a", class_="maslihat-ref"):
        found = numbers.get(link["href"][1:])
        if found:
            link.string = number_label(*found)


def _page(body: str, entries: list[dict[str, Any]], facts: dict[str, str],
          cover: dict[str, str], bundle: str, charts: bool) -> str:  # fmt: skip
    """The book's page: cover, contents and body, its CSS and (with charts) the script that draws
    and paginates them, and the Vega bundle when one is to be drawn."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(default=True)
    )
    static = TEMPLATE_DIR / TEMPLATE_NAME / "static"
    labels = {"made": _("Made"), "data_version": _("Data version"), "contents": _("Contents")}
    from maslihat.exporters import css_string, page_counter

    return env.get_template(BOOK_TEMPLATE).render(
        title=cover["title"], places=cover["places"], entries=entries, election=election_label(),
        css=Markup((static / "report.css").read_text(encoding="utf-8")),
        charts_js=Markup((static / "charts.js").read_text(encoding="utf-8")) if charts else "",
        bundle=Markup(bundle), body=Markup(body), labels=labels, lang=i18n.current(),
        footer=Markup(css_string(cover["title"])),
        page_counter=Markup(page_counter(_("Page {page} of {pages}"))), **facts,
    )  # fmt: skip


def _anchor_pages(path: Path) -> dict[str, int]:
    """The page (1-based) of each anchor a PDF's links lead to, by its id: Chromium writes a named
    destination for every target of an internal link, the contents' entries among them."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    return {str(name).lstrip("/"): reader.get_destination_page_number(destination) + 1
            for name, destination in reader.named_destinations.items()}  # fmt: skip


def _pages_of(entries: list[dict[str, Any]], anchors: dict[str, int]) -> dict[str, int]:
    """The page of each contents entry: where its anchor is (not the first bookmark of its
    title, which a section of the same name before it would have)."""
    return {entry["id"]: anchors[entry["id"]] for entry in entries if entry["id"] in anchors}


def _page_sha256(path: Path) -> str:
    """The SHA-256 of a member's page, hashed once while it is the same file (a report written
    again is a new file: it is written under another name and moved into place)."""
    stat = path.stat()
    return _sha256_of(path, stat.st_ino, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4096)
def _sha256_of(path: Path, inode: int, size: int, modified: int) -> str:
    return fingerprint(path)["sha256"]


def _book_key(lang: str, members: list[Member], facts: dict[str, str], cover: dict[str, str],
              changelog: Path | None) -> str:  # fmt: skip
    """What a book is made from: its members' HTML (by hash) or failures, its front matter, and
    the package's code, templates and styles (a changed book template or style alone changes
    the book while every member's HTML stays the same)."""
    log = fingerprint(changelog)["sha256"] if changelog and changelog.is_file() else None
    parts = [
        BOOK_FORMAT, __version__, lang, cover, facts.get("data_version"), log,
        tree_digest(PACKAGE_DIR, PACKAGE_FILES),
        [(m.notebook, m.place, _page_sha256(m.html) if m.html else None, m.failure)
         for m in members],
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _print_book(
    members: list[Member],
    facts: dict[str, str],
    cover: dict[str, str],
    browser: Chromium,
    folder: Path,
    changelog: Path | None,
    composed: Callable[[], Composition] | None = None,
) -> tuple[str, Path]:
    """Print the book: first its draft page, read only for where the contents' anchors fall,
    then the page with their pages written in and the charts its reports drew; return its HTML
    (with those pages) and the PDF. `composed` gives the book composed elsewhere (ahead, while
    the book before was printed)."""
    composed_book = composed() if composed else compose(members, facts, cover, changelog)
    pages = composed_book.pages
    if pages is None:
        pages = contents_pages(composed_book, browser, folder)
    source, target = folder / "book.html", folder / "book.pdf"
    source.write_text(composed_book.page(pages, drawn=True), encoding="utf-8")
    browser.print_pdf(source, target)
    return composed_book.page(pages), target


def contents_pages(composed_book: Composition, browser: Chromium, folder: Path) -> dict[str, int]:
    """The page of each contents entry: where a draft print of the book puts its anchor."""
    draft, printed = folder / "draft.html", folder / "draft.pdf"
    draft.write_text(composed_book.page(drawn=True, draft=True), encoding="utf-8")
    browser.print_pdf(draft, printed, draft=True)
    return _pages_of(composed_book.entries, _anchor_pages(printed))


def _compose_in(lang: str, members: list[Member], facts: dict[str, str], cover: dict[str, str],
                changelog: Path | None, draft_timeout: float | None = None,
                ) -> Composition:  # fmt: skip
    """compose() in the book's language (in the composer's process). `draft_timeout`: also find
    the contents' pages with a draft print by a Chromium of the composer's own (given that long),
    while the book before is printed; where that fails, the pages are left to the book's print."""
    with i18n.language(lang):
        composed_book = compose(members, facts, cover, changelog)
    if draft_timeout is not None:
        try:
            with tempfile.TemporaryDirectory(prefix="maslihat-book-") as tmp, \
                    Chromium(timeout=draft_timeout) as browser:  # fmt: skip
                composed_book.pages = contents_pages(composed_book, browser, Path(tmp))
        except Exception:  # noqa: BLE001 - printing the book finds them, or says what is wrong
            composed_book.pages = None
    return composed_book


def _composer_started() -> None:
    """Set up the composer's process: it dies with the render, and Ctrl-C stops the render."""
    import signal

    from maslihat.chromium import die_with_parent

    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class BookComposer:
    """Composes books ahead in a process of its own (forked where the system can): the next book
    is composed (every member page parsed, ~1.5 s) and its contents' pages found with a draft
    print (~0.7 s) while Chromium prints the one before."""

    def __init__(self, timeout: float = BOOK_TIMEOUT) -> None:
        self.timeout = timeout  # what a draft print may take, as the book's own print
        self._pool: Any = None

    def __enter__(self) -> BookComposer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def ahead(self, lang: str, members: list[Member], facts: dict[str, str],
              cover: dict[str, str], changelog: Path | None = None, draft: bool = True,
              ) -> Callable[[], Composition] | None:  # fmt: skip
        """Start composing a book (`draft`: and finding its contents' pages); return what waits
        for it (make_book's `composed`), or None where no process can be forked (the book is
        then composed when it is made)."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        if "fork" not in multiprocessing.get_all_start_methods():
            return None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(1, multiprocessing.get_context("fork"),
                                             initializer=_composer_started)  # fmt: skip
        future = self._pool.submit(_compose_in, lang, members, facts, cover, changelog,
                                   self.timeout if draft else None)  # fmt: skip

        def composed() -> Composition:
            try:
                return future.result()
            except BrokenProcessPool:  # the composer died (out of memory?): compose it here
                return _compose_in(lang, members, facts, cover, changelog)

        return composed


def book_cover(members: list[Member], order: Sequence[str] = (),
               cities: Collection[str] = ()) -> dict[str, str]:  # fmt: skip
    """What a book's cover says: its title and the places it holds."""
    shown = order_places(list(dict.fromkeys(m.place for m in members if m.html)), order)
    return {"title": _("Mäslihat elections: the book"), "places": places_line(shown, order, cities)}


def book_is_current(out_dir: Path, lang: str, members: list[Member], facts: dict[str, str],
                    cover: dict[str, str], changelog: Path | None = None,
                    suffix: str = "") -> bool:  # fmt: skip
    """Whether the book on disk was made from these members and this front matter."""
    key = _book_key(lang, members, facts, cover, changelog)
    return _recorded(read_books(out_dir), out_dir, book_id(lang, suffix), key)


def _recorded(books: dict[str, Any], out_dir: Path, key_name: str, key: str) -> bool:
    """Whether the book recorded (in `books`, the folder's records) under that name was made from
    what has this key, and its files are the ones made then."""
    record = books.get(key_name) or {}
    pdf, html = out_dir / f"{key_name}.pdf", out_dir / f"{key_name}.html"
    return (record.get("key") == key and file_matches(pdf, record.get("file") or {})
            and file_matches(html, record.get("html_file") or {}))  # fmt: skip


def make_book(
    out_dir: Path,
    lang: str,
    members: list[Member],
    facts: dict[str, str],
    browser: Callable[[], Chromium],
    order: Sequence[str] = (),
    cities: Collection[str] = (),
    changelog: Path | None = None,
    suffix: str = "",
    composed: Callable[[], Composition] | None = None,
) -> BookResult:
    """Write `<out_dir>/book.<lang>.pdf` and `.html` unless the recorded ones have the same
    members (`suffix`: the parameters of reports made with others than the defaults, in the
    files' names; `composed`: the book composed ahead, see BookComposer). A book that cannot be
    made leaves the earlier one in place (a failed result)."""
    from pypdf import PdfReader

    key_name = book_id(lang, suffix)
    path, page = out_dir / f"{key_name}.pdf", out_dir / f"{key_name}.html"
    cover = book_cover(members, order, cities)
    title = cover["title"]
    places = order_places(list(dict.fromkeys(m.place for m in members)), order)
    failed = sorted({m.place for m in members if not m.html})
    result = BookResult(lang, title, path, "made", places, failed, html=page, suffix=suffix)
    if not any(m.html for m in members):
        result.status, result.error = "failed", "no report of it could be made"
        return result
    try:
        key = _book_key(lang, members, facts, cover, changelog)
        books = read_books(out_dir)
        if _recorded(books, out_dir, key_name, key):
            result.status, result.pages = "cached", int(books[key_name].get("pages", 0))
            return result
        with tempfile.TemporaryDirectory(prefix="maslihat-book-") as tmp:
            html, made = _print_book(members, facts, cover, browser(), Path(tmp), changelog,
                                     composed)  # fmt: skip
            chapters = re.findall(r'<h1 id="(book-[a-z-]+)"', html)
            result.pages = len(PdfReader(made).pages)
            files = {}
            for final, write in ((page, lambda t: t.write_text(html, encoding="utf-8")),
                                 (path, lambda t: t.write_bytes(made.read_bytes()))):  # fmt: skip
                target = temporary_path(final)
                try:
                    write(target)
                    files[final] = fingerprint(target)
                    target.replace(final)
                except BaseException:
                    target.unlink(missing_ok=True)
                    raise
    except OSError as err:
        if isinstance(err, RenderOutputError):
            raise
        result.status, result.error = "failed", f"{err.strerror or err}"
        return result
    except Exception as err:  # noqa: BLE001 - a broken member page, Chromium: the old book stays
        result.status, result.error = "failed", f"{type(err).__name__}: {err}"
        return result
    books[key_name] = {"key": key, "file": files[path], "html_file": files[page],
                       "pages": result.pages, "title": title, "places": places,
                       "failed": failed, "lang": lang, "chapters": chapters}  # fmt: skip
    _write_books(out_dir, books)
    return result


def book_facts(data_version: str, generated_at: datetime | None = None) -> dict[str, str]:
    """What the cover states besides the title: data version and when it was made."""
    when = generated_at or datetime.now().astimezone()
    return {"data_version": data_version, "generated_at": long_date(when.date())}
