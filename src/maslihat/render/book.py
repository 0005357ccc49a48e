"""A briefing book: one notebook's PDF reports for many places as one PDF to share.

`<out>/<notebook>--book.pdf` holds a cover, a contents page (place → page), then each place's
report PDF in the order of `params.valid_regions` (the whole country first), every page numbered,
with a bookmark per place (its report's own heading bookmarks under it). A report that failed is
listed in the contents as failed. The cover and contents, and the page numbers stamped on every
page, are HTML printed by the same Chromium as the reports; pypdf joins the pages. The book is
written atomically and rebuilt only when a member PDF (or what the front matter shows) changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from maslihat import __version__, i18n
from maslihat.chromium import Chromium
from maslihat.exporters import TEMPLATE_DIR, TEMPLATE_NAME, election_label, region_label
from maslihat.i18n import _, long_date, number
from maslihat.render.cache import file_matches, fingerprint
from maslihat.render.files import temporary_path, write_atomic
from maslihat.render.jobs import RenderOutputError

BOOK_SUFFIX = "--book"
BOOKS_FILE = ".books.json"
BOOK_TEMPLATE = "book.html.j2"
BOOK_FORMAT = 1  # bump when the book's layout changes: every book is made again


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


def _book_key(title: str, members: list[Member], facts: dict[str, str]) -> str:
    """What a book is made from: its members' PDFs (by hash) or failures, and its front matter."""
    parts = [
        BOOK_FORMAT, __version__, title, facts.get("data_version"),
        [(m.place, fingerprint(m.pdf)["sha256"] if m.pdf else None, m.failure) for m in members],
    ]  # fmt: skip
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _front_matter_html(
    title: str, entries: list[dict[str, Any]], facts: dict[str, str], total: int
) -> str:
    """Cover and contents of a book as an HTML page (printed by Chromium)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(default=True)
    )
    css = (TEMPLATE_DIR / TEMPLATE_NAME / "static" / "report.css").read_text(encoding="utf-8")
    labels = {
        "summary": _("One report per place: {places} places, {pages} pages.",
                     places=number(len(entries)), pages=number(total)),
        "made": _("Made"), "data_version": _("Data version"), "contents": _("Contents"),
        "place": _("Place"), "page": _("Page"),
        "failed": _("the report failed and is not in this book"),
    }  # fmt: skip
    return env.get_template(BOOK_TEMPLATE).render(
        title=title, entries=entries, election=election_label(), css=css, total=total,
        labels=labels, lang=i18n.current(), **facts
    )


def _numbers_html(total: int, label: str) -> str:
    """A page of `total` empty A4 pages whose top margin says '<label> · page n' (not page 1)."""
    from html import escape

    from maslihat.exporters import css_string

    pages = '<div class="p"></div>' * total
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 18mm 16mm 20mm;
  @top-right {{ content: {css_string(label)} " · page " counter(page);
    font-family: "DejaVu Sans", sans-serif; font-size: 8pt; color: #57606a; }} }}
@page :first {{ @top-right {{ content: none; }} }}
html, body {{ margin: 0; padding: 0; background: transparent; }}
.p {{ height: 1px; break-after: page; }}
.p:last-child {{ break-after: auto; }}
</style><title>{escape(label)}</title></head><body>{pages}</body></html>"""


def _print(browser: Chromium, html: str, folder: Path, name: str) -> Path:
    source, target = folder / f"{name}.html", folder / f"{name}.pdf"
    source.write_text(html, encoding="utf-8")
    browser.print_pdf(source, target)
    return target


def _assemble(
    title: str,
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
        front = PdfReader(_print(browser, _front_matter_html(title, entries, facts, total),
                                 folder, "front"))  # fmt: skip
        if len(front.pages) == front_pages:
            break
        front_pages = len(front.pages)
    numbers = PdfReader(_print(browser, _numbers_html(total, title), folder, "numbers"))

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
) -> BookResult:
    """Write `<out_dir>/<notebook>--book.pdf` unless the recorded one has the same members.

    A book that cannot be made leaves the earlier book in place and returns a failed result.
    """
    path = out_dir / f"{book_name(notebook)}.pdf"
    book_title = _("{title}: briefing book", title=_(title))
    places = [m.place for m in members]
    failed = [m.place for m in members if not m.pdf]
    result = BookResult(notebook, book_title, path, "made", places, failed)
    if not any(m.pdf for m in members):
        result.status, result.error = "failed", "no report of it could be made"
        return result
    try:
        key = _book_key(book_title, members, facts)
        books = read_books(out_dir)
        record = books.get(notebook) or {}
        if record.get("key") == key and file_matches(path, record.get("file") or {}):
            result.status, result.pages = "cached", int(record.get("pages", 0))
            return result
        with tempfile.TemporaryDirectory(prefix="maslihat-book-") as tmp:
            made, result.pages = _assemble(book_title, members, facts, browser(), Path(tmp))
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
