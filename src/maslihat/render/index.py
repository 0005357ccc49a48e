"""index.html of an output folder: a grid of places × reports, each cell linking the files that are
as the cache recorded them, the books, and every failure of the last run marked in its cell."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from maslihat import __version__
from maslihat.exporters import TEMPLATE_DIR, TEMPLATE_NAME, election_label, region_label
from maslihat.i18n import (
    DEFAULT,
    LANGUAGE_NAMES,
    LANGUAGES,
    _,
    date_time,
    language,
    long_date,
    n_,
    number,
)
from maslihat.params import ALL, shown_parameters
from maslihat.params import place_order as ordered_places
from maslihat.render.book import current_books, order_places
from maslihat.render.cache import current_files
from maslihat.render.files import write_atomic
from maslihat.render.jobs import EXECUTED_DIR, FORMATS, ReportResult


def index_rows(out_dir: Path, cache: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per report with a file on disk: its links, and which were made from older inputs."""
    rows = []
    for name, entry in cache.items():
        files = current_files(out_dir, name, entry)
        lang = str(entry.get("lang") or "en")
        variant = [tuple(p) for p in entry.get("variant") or [] if isinstance(p, list | tuple)
                   and len(p) == 2]  # fmt: skip
        links = [
            {"format": fmt, "href": quote(f"{name}.{fmt}"), "older": files[fmt]["older"],
             "lang": lang, "lang_label": LANGUAGE_NAMES.get(lang, lang), "variant": variant}
            for fmt in FORMATS
            if fmt in files
        ]  # fmt: skip
        if links:
            newer = [link["format"].upper() for link in links if not link["older"]]
            for link in links:
                link["newer"] = " and ".join(newer)
            rows.append({**entry, "name": name, "links": links})
    rows.sort(key=lambda r: (str(r.get("notebook")), r.get("region") != ALL, str(r.get("region")),
                             str(r.get("variant") or ""),
                             _language_order(r.get("lang"))))  # fmt: skip
    return rows


def _failure(r: ReportResult) -> dict[str, Any]:
    return {
        "name": r.name,
        "notebook": r.notebook,
        "title": _(r.title),
        "region": r.region,
        "error": r.error,
        "failed_while": _(r.failed_while),
        "executed": quote(f"{EXECUTED_DIR}/{r.executed.name}") if r.executed_note else None,
    }


def _language_order(lang: object) -> int:
    return LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES)


def index_grid(
    rows: list[dict[str, Any]],
    failures: list[dict[str, Any]],
    place_order: Sequence[str],
) -> dict[str, Any]:
    """Columns (one per notebook, with its description) and rows (one per place)."""
    columns: dict[str, dict[str, Any]] = {}
    for item in [*rows, *failures]:
        notebook = str(item.get("notebook"))
        column = columns.setdefault(notebook, {"notebook": notebook, "title": notebook,
                                               "description": ""})  # fmt: skip
        title = item.get("title") or column["title"]
        description = item.get("description") or column["description"]
        column["title"], column["description"] = _(title), _(description)  # the notebook's own
    ordered = sorted(columns)
    cells: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        cell = cells.setdefault(str(row.get("region")), {}).setdefault(str(row.get("notebook")), {})
        cell.setdefault("links", []).extend(row["links"])
    for f in failures:
        cells.setdefault(str(f["region"]), {}).setdefault(f["notebook"], {})["failure"] = f
    places = order_places(list(cells), place_order)
    languages = {link["lang"] for row in rows for link in row["links"]}
    return {
        "several_languages": len(languages) > 1,
        "columns": [columns[n] for n in ordered],
        "places": [
            {"place": p, "label": region_label(p), "cells": [cells[p].get(n, {}) for n in ordered]}
            for p in places
        ],
    }


def index_labels() -> dict[str, str]:
    """The index page's own words, in the current language."""
    return {
        "title": _("Mäslihat election reports"),
        "updated": _("Updated"),
        "data_version": _("Data version"),
        "failed_heading": _("Failed in the last run"),
        "failed_while": _("failed while"),
        "executed_notebook": _("executed notebook"),
        "result_heading": _("The result"),
        "seats": _("Seats in all mäslihats"),
        "maslihats": _("Mäslihats elected"),
        "turnout": _("Turnout (Mazhilis and mäslihats, official)"),
        "party": _("Party"),
        "party_seats": _("Seats"),
        "seat_share": _("Share of the seats"),
        "vote_share": _("Share of the votes"),
        "book_heading": _("The election book"),
        "book_intro": _("Every report of this folder in one document: the whole country, then "
                        "each place's own results, methodology, data quality, corrections and "
                        "one list of sources."),
        "book_pdf": _("Book (PDF)"),
        "book_html": _("Book (web page)"),
        "book_failed": _("book failed:"),
        "earlier_book_kept": _("(the earlier book is kept)"),
        "more_heading": _("Data and method"),
        "data_package": _("The data package (CSV tables and their description)"),
        "changelog": _("Changelog and corrections of the data"),
        "methodology": _("Methodology"),
        "reports_heading": _("Reports by place"),
        "intro": _("One row per place, one column per report: each report as a web page (HTML, "
                   "with its data as CSV under every table and chart) and as A4 pages (PDF)."),
        "place": _("Place"),
        "earlier_files_shown": _("(earlier files shown)"),
        "no_reports": _("No reports yet: run"),
    }  # fmt: skip


def headline() -> dict[str, Any] | None:
    """The national result in a few numbers (seats, mäslihats, turnout, seats by party), in the
    current language; None when the data cannot give them."""
    from maslihat import analysis
    from maslihat.names import shown
    from maslihat.render.inputs import election_data
    from maslihat.text import pct

    try:
        data = election_data()
        parties = analysis.national_votes_and_seats(data)
        colours = dict(zip(data.parties["party_code"], data.parties["colour"], strict=True))
        return {
            "hemicycle": seats_drawing(parties, data),
            "seats": number(int(parties["seats"].sum())),
            "maslihats": number(analysis.maslihats(data)),
            "turnout": pct(analysis.ballots_turnout(data), 2),
            "parties": [
                {"name": shown(row.name), "seats": number(int(row.seats)),
                 "colour": colours.get(row.party_code), "seat_share": pct(row.seat_share_pct),
                 "vote_share": pct(row.vote_share_pct) if row.vote_share_pct == row.vote_share_pct
                 else "–"}
                for row in parties.sort_values("seats", ascending=False).itertuples()
            ],
        }  # fmt: skip
    except Exception:  # noqa: BLE001 - the index still lists the reports without the data
        return None


HEMICYCLE_SCALE = 200  # the drawing's units per parliamentarch unit: 400 wide, 200 high
HEMICYCLE_TOP = 20  # room above the outer row for the majority's label


def seats_drawing(seats: Any, data: Any) -> dict[str, Any]:
    """The index's parliament chart as an inline SVG's parts: one circle per seat, each party's in
    its colour, from the left in the frame's order (input: party_code, name, seats), at the seat
    positions of charts.hemicycle; a majority mark, a title and a text alternative."""
    from maslihat.charts import MUTED, seat_positions
    from maslihat.names import prose, shown
    from maslihat.text import listing

    counts = [int(n) for n in seats["seats"]]
    total = sum(counts)
    blocks, radius = seat_positions(counts)
    colours = dict(zip(data.parties["party_code"], data.parties["colour"], strict=True))
    date = long_date(data.facts["election_date"])
    majority = total // 2 + 1

    def at(x: float, y: float) -> tuple[str, str]:
        return (f"{HEMICYCLE_SCALE * x:.1f}".removesuffix(".0"),
                f"{HEMICYCLE_TOP + HEMICYCLE_SCALE * (1 - y):.1f}".removesuffix(".0"))  # fmt: skip

    return {
        "width": 2 * HEMICYCLE_SCALE,
        "height": HEMICYCLE_TOP + HEMICYCLE_SCALE,
        "radius": f"{HEMICYCLE_SCALE * radius:.2f}",
        "parties": [
            {"name": shown(row.name), "colour": colours.get(row.party_code, MUTED),
             "seats": int(row.seats), "circles": [at(x, y) for x, y in block]}
            for row, block in zip(seats.itertuples(), blocks, strict=True)
        ],
        "majority": {"x": HEMICYCLE_SCALE, "top": HEMICYCLE_TOP - 2, "bottom": HEMICYCLE_TOP
                     + HEMICYCLE_SCALE, "label": _("majority: {seats}", seats=number(majority))},
        "title": _("All mäslihat seats, {date}", date=date),
        "subtitle": n_("{seats} seat, one dot each; majority {majority}",
                       "{seats} seats, one dot each; majority {majority}", total,
                       seats=number(total), majority=number(majority)),
        "description": n_("Parliament chart of {seats} seat: {values}",
                          "Parliament chart of {seats} seats: {values}", total,
                          seats=number(total),
                          values=listing([f"{prose(row.name)} {number(int(row.seats))}"
                                          for row in seats.itertuples()])),
    }  # fmt: skip


def _relative(target: Path, out_dir: Path) -> str | None:
    """A link from the output folder to a file, when it exists."""
    import os

    if not target.is_file():
        return None
    try:
        return quote(os.path.relpath(target, out_dir))
    except ValueError:
        return None


def index_name(lang: str) -> str:
    """The index page of a language: index.html (English), index.kk.html, index.ru.html."""
    return "index.html" if lang == DEFAULT else f"index.{lang}.html"


def write_index(
    out_dir: Path,
    cache: dict[str, dict[str, Any]],
    failures: list[ReportResult],
    version_of_data: str,
    place_order: Sequence[str] = (),
    books: Sequence[Any] = (),
    cities: Sequence[str] = (),
) -> Path:
    """Write index.html: a self-contained page linking every report present in the folder, and
    the same page in each other language the folder has reports in (index.kk.html, ...). Given
    the `cities`, each lists the places of `place_order` (the country, the regions, the cities)
    in its own alphabet; else in the order given."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from maslihat.render.inputs import data_dir

    rows = index_rows(out_dir, cache)
    books_on_disk = current_books(out_dir)
    present = {str(entry.get("lang") or DEFAULT) for entry in cache.values()}
    languages = [lang for lang in LANGUAGES if lang == DEFAULT or lang in present]
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(default=True)
    )
    css = (TEMPLATE_DIR / TEMPLATE_NAME / "static" / "report.css").read_text(encoding="utf-8")
    folder = data_dir()
    links = {"data_package": _relative(folder / "datapackage.json", out_dir),
             "changelog": _relative(folder / "CHANGELOG.md", out_dir)}  # fmt: skip
    for lang in languages:
        with language(lang):
            failed = [_failure(r) for r in failures]
            book_list = [
                {**record, "lang": record.get("lang") or key.rpartition(".")[2],
                 "lang_label": LANGUAGE_NAMES.get(record.get("lang") or "", ""),
                 "pages_label": n_("{n} page", "{n} pages", int(record.get("pages") or 0),
                                   n=number(int(record.get("pages") or 0)))}
                for key, record in sorted(books_on_disk.items(),
                                          key=lambda kv: _language_order(kv[1].get("lang")))
            ]  # fmt: skip
            own = books_on_disk.get(f"book.{lang}") or (book_list[0] if book_list else None)
            methodology = None
            if own and "book-methodology" in own.get("chapters", []):
                methodology = f"{own['html_href']}#book-methodology"
            page = env.get_template("index.html.j2").render(
                rows=rows,
                grid=index_grid(rows, failed, ordered_places(place_order, cities) if cities
                                else place_order),
                failures=failed,
                books=book_list,
                book_errors=[b.error for b in books if not b.ok],
                headline=headline(),
                links={**links, "methodology": methodology},
                election=election_label(),
                generated_at=date_time(datetime.now().astimezone()),
                data_version=version_of_data,
                package_version=__version__,
                region_label=region_label,
                css=css,
                lang=lang,
                t=index_labels(),
                parameters=lambda variant: ", ".join(
                    f"{p['label']}: {p['value']}" for p in shown_parameters(variant)),
                older=lambda fmt, newer: _("({format} made from earlier inputs than the {newer})",
                                           format=fmt, newer=newer),
                other_indexes=[
                    {"href": index_name(other), "lang": other, "label": LANGUAGE_NAMES[other]}
                    for other in languages if other != lang
                ] if len(languages) > 1 else [],
            )  # fmt: skip
        write_atomic(out_dir / index_name(lang), page)
    return out_dir / index_name(DEFAULT)
