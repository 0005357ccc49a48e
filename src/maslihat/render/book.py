"""A briefing book: one notebook's PDF reports for many places as one PDF to share.

`<out>/<notebook>--book.pdf` holds a cover (the notebook's title, which places the book holds),
a contents page (place → book page), then each place's report PDF in the order of
`params.valid_regions` (the whole country, the regions A–Z, the cities A–Z), with a bookmark per
place (its report's own heading bookmarks under it). A report that failed is listed in the
contents as failed. Every page but the cover is stamped at the top with its section and book page
('Akmola · book page 52 of 110'), the numbers of the contents, so they are not mistaken for the
member report's own footer ('Page 2 of 3'). The cover and contents, and the stamps, are HTML
printed by the same Chromium as the reports; pypdf joins the pages. The book is written atomically
and rebuilt only when a member PDF (or what the front matter shows) changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from maslihat import __version__, i18n
from maslihat.chromium import Chromium
from maslihat.exporters import TEMPLATE_DIR, TEMPLATE_NAME, election_label, region_label
from maslihat.i18n import _, long_date, n_, number
from maslihat.params import ALL
from maslihat.render.cache import file_matches, fingerprint
from maslihat.render.files import temporary_path, write_atomic
from maslihat.render.jobs import RenderOutputError

BOOK_SUFFIX = "--book"
BOOKS_FILE = ".books.json"
BOOK_TEMPLATE = "book.html.j2"
BOOK_FORMAT = 2  # bump when the book's layout changes: every book is made again


def book_id(notebook: str, lang: str = "en") -> str:
    """What the book records call one notebook's book in one language: '00-briefing.ru'."""
    return f"{notebook}.{lang}"


def book_name(book: str) -> str:
    """Base file name of a book: '00-briefing.ru' → '00-briefing--book.ru'."""
    notebook, dot, lang = book.rpartition(".")
    return f"{notebook}{BOOK_SUFFIX}.{lang}" if dot else f"{book}{BOOK_SUFFIX}.en"


@dataclass(frozen=True)
class Member:
    """One place of a book: its report PDF, or why it failed."""

    place: str
    pdf: Path | None
    failure: str | None = None


@dataclass
class BookResult:
    """What became of one book."""

    notebook: str
    title: str
    path: Path
    status: str  # "made", "cached" or "failed"
    places: list[str]
    failed_places: list[str]
    error: str | None = None
    pages: int = 0
    seconds: float = 0.0  # to check it, and make it when a member changed

    @property
    def ok(self) -> bool:
        return self.status != "failed"


def order_places(places: Sequence[str], order: Sequence[str]) -> list[str]:
    """Places in the order of `order` (the whole country, regions, cities); others after, A–Z."""
    rank = {place: i for i, place in enumerate(order)}
    return sorted(places, key=lambda p: (rank.get(p, len(rank)), p))


def read_books(out_dir: Path) -> dict[str, dict[str, Any]]:
    """What the last renders recorded of each book (its key and file), by notebook."""
    try:
        books = json.loads((out_dir / BOOKS_FILE).read_text(encoding="utf-8"))
        return {k: v for k, v in books.items() if isinstance(v, dict)}
    except (OSError, ValueError, AttributeError):
        return {}


def _write_books(out_dir: Path, books: dict[str, dict[str, Any]]) -> None:
    write_atomic(out_dir / BOOKS_FILE, json.dumps(books, indent=1, sort_keys=True))


def current_books(out_dir: Path) -> dict[str, dict[str, Any]]:
    """Books on disk as recorded (for the index): notebook → record with 'href'."""
    return {
        notebook: {**record, "href": quote(f"{book_name(notebook)}.pdf")}
        for notebook, record in read_books(out_dir).items()
        if file_matches(out_dir / f"{book_name(notebook)}.pdf", record.get("file") or {})
    }


def places_line(places: Sequence[str], order: Sequence[str], cities: Collection[str]) -> str:
    """Which places a book holds, for its cover: 'All places: the whole country, 14 regions,
    3 cities' when it holds every place of `order`, else 'Places: the whole country, 1 region'."""
    regions = [p for p in places if p != ALL and p not in cities]
    towns = [p for p in places if p != ALL and p in cities]
    parts = [_("the whole country")] if ALL in places else []
    if regions:
        parts.append(n_("{n} region", "{n} regions", len(regions), n=number(len(regions))))
    if towns:
        parts.append(n_("{n} city", "{n} cities", len(towns), n=number(len(towns))))
    listed = ", ".join(parts)
    if order and set(order) <= set(places):
        return _("All places: {places}", places=listed)
    return _("Places: {places}", places=listed)


def page_stamp(section: str, page: int, total: int) -> str:
    """The line at the top of a book page: its section and its page of the book, as the contents
    count them ('Akmola · book page 52 of 110'), not the member report's own page."""
    return _("{section} · book page {page} of {pages}", section=section, page=number(page),
             pages=number(total))  # fmt: skip


def _book_key(
    title: str, members: list[Member], facts: dict[str, str], cover: dict[str, str]
) -> str:
    """What a book is made from: its members' PDFs (by hash) or failures, and its front matter."""
    parts = [
        BOOK_FORMAT, __version__, title, cover, facts.get("data_version"),
        [(m.place, fingerprint(m.pdf)["sha256"] if m.pdf else None, m.failure) for m in members],
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _front_matter_html(
    title: str,
    cover: dict[str, str],
    entries: list[dict[str, Any]],
    facts: dict[str, str],
    total: int,
) -> str:
    """Cover and contents of a book as an HTML page (printed by Chromium): the cover names the
    report (`cover['heading']`, the notebook's title) and the places (`cover['places']`)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(default=True)
    )
    css = (TEMPLATE_DIR / TEMPLATE_NAME / "static" / "report.css").read_text(encoding="utf-8")
    labels = {
        "kind": _("Briefing book"),
        "summary": f"{cover['places']} · " + n_("{n} page", "{n} pages", total, n=number(total)),
        "made": _("Made"), "data_version": _("Data version"), "contents": _("Contents"),
        "place": _("Place"), "page": _("Book page"),
        "failed": _("the report failed and is not in this book"),
    }  # fmt: skip
    return env.get_template(BOOK_TEMPLATE).render(
        title=title, heading=cover["heading"], entries=entries, election=election_label(),
        css=css, total=total, labels=labels, lang=i18n.current(), **facts
    )


def _stamps_html(stamps: Sequence[str | None], title: str) -> str:
    """Empty A4 pages, one per stamp, each with its stamp (none: nothing) at the top right, where
    a report's header would be, over the page it is merged onto."""
    from html import escape

    pages = "".join(f'<div class="p"><p>{escape(stamp or "")}</p></div>' for stamp in stamps)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 0; }}
html, body {{ margin: 0; padding: 0; background: transparent; }}
.p {{ position: relative; height: 280mm; break-after: page; }}
.p:last-child {{ break-after: auto; }}
.p p {{ position: absolute; top: 8mm; right: 16mm; margin: 0; white-space: nowrap;
  font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #57606a; }}
</style><title>{escape(title)}</title></head><body>{pages}</body></html>"""


def _print(browser: Chromium, html: str, folder: Path, name: str) -> Path:
    source, target = folder / f"{name}.html", folder / f"{name}.pdf"
    source.write_text(html, encoding="utf-8")
    browser.print_pdf(source, target)
    return target


def _assemble(
    title: str,
    cover: dict[str, str],
    members: list[Member],
    facts: dict[str, str],
    browser: Chromium,
    folder: Path,
) -> tuple[Path, int]:
    """Make the book in `folder`; return its path and page count."""
    from pypdf import PdfReader, PdfWriter

    readers = {m.place: PdfReader(m.pdf) for m in members if m.pdf}
    front_pages, front = 1, None
    for _attempt in range(3):  # the contents' length moves every page number after it: settle it
        entries, page = [], 1 + front_pages
        for m in members:
            entry = {"place": region_label(m.place), "failure": m.failure, "page": None}
            if m.place in readers:
                entry["page"] = page
                entry["pages"] = len(readers[m.place].pages)
                page += entry["pages"]
            entries.append(entry)
        total = page - 1
        front = PdfReader(_print(browser, _front_matter_html(title, cover, entries, facts, total),
                                 folder, "front"))  # fmt: skip
        if len(front.pages) == front_pages:
            break
        front_pages = len(front.pages)
    sections = [_("Contents")] * (front_pages - 1) + [
        region_label(m.place) for m in members if m.place in readers
        for _page in readers[m.place].pages
    ]  # fmt: skip
    stamps = [None] + [page_stamp(s, n, total) for n, s in enumerate(sections, start=2)]
    numbers = PdfReader(_print(browser, _stamps_html(stamps, title), folder, "numbers"))
    if len(numbers.pages) != total:
        raise ValueError(f"{len(numbers.pages)} page stamps printed for {total} pages")

    writer = PdfWriter()
    writer.append(front, import_outline=False)
    for m in members:
        if m.place in readers:
            writer.append(readers[m.place], outline_item=region_label(m.place))
    for page, overlay in zip(writer.pages, numbers.pages, strict=False):
        page.merge_page(overlay)
    writer.add_metadata({"/Title": title, "/Creator": f"maslihat {__version__}"})
    writer.page_mode = "/UseOutlines"  # the bookmarks open beside the pages
    path = folder / "book.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    return path, len(writer.pages)


def make_book(
    out_dir: Path,
    notebook: str,
    title: str,
    members: list[Member],
    facts: dict[str, str],
    browser: Callable[[], Chromium],
    order: Sequence[str] = (),
    cities: Collection[str] = (),
) -> BookResult:
    """Write `<out_dir>/<notebook>--book.pdf` unless the recorded one has the same members.

    `order` is every place (a book of them all says 'All places'), `cities` those that are cities.
    A book that cannot be made leaves the earlier book in place and returns a failed result.
    """
    path = out_dir / f"{book_name(notebook)}.pdf"
    book_title = _("Briefing book: {title}", title=_(title))
    cover = {"heading": _(title),
             "places": places_line([m.place for m in members if m.pdf], order, cities)}
    places = [m.place for m in members]
    failed = [m.place for m in members if not m.pdf]
    result = BookResult(notebook, book_title, path, "made", places, failed)
    if not any(m.pdf for m in members):
        result.status, result.error = "failed", "no report of it could be made"
        return result
    try:
        key = _book_key(book_title, members, facts, cover)
        books = read_books(out_dir)
        record = books.get(notebook) or {}
        if record.get("key") == key and file_matches(path, record.get("file") or {}):
            result.status, result.pages = "cached", int(record.get("pages", 0))
            return result
        with tempfile.TemporaryDirectory(prefix="maslihat-book-") as tmp:
            made, result.pages = _assemble(book_title, cover, members, facts, browser(),
                                           Path(tmp))  # fmt: skip
            target = temporary_path(path)
            try:
                target.write_bytes(made.read_bytes())
                made_file = fingerprint(target)
                os.replace(target, path)
            except BaseException:
                target.unlink(missing_ok=True)
                raise
    except OSError as err:
        if isinstance(err, RenderOutputError):
            raise
        result.status, result.error = "failed", f"{err.strerror or err}"
        return result
    except Exception as err:  # noqa: BLE001 - a broken member PDF, Chromium: the old book stays
        result.status, result.error = "failed", f"{type(err).__name__}: {err}"
        return result
    books[notebook] = {"key": key, "file": made_file, "pages": result.pages, "title": book_title,
                       "places": places, "failed": failed}  # fmt: skip
    _write_books(out_dir, books)
    return result


def book_facts(data_version: str, generated_at: datetime | None = None) -> dict[str, str]:
    """What the cover states besides the title: data version, when, package version."""
    when = generated_at or datetime.now().astimezone()
    return {"data_version": data_version, "generated_at": long_date(when.date())}
