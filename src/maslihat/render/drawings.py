"""The charts of a report as Chromium drew them, kept beside its executed notebook for the book.

Printing a report (or checking its charts) draws every chart of its HTML page; what was drawn, one
SVG per chart, is written to `executed/<report>.charts.json.gz` with the SHA-256 of the page it
was drawn from. The election book sets those drawings in its printed page instead of drawing the
same charts again with Vega: it opens in a third of the time and holds half the memory. A book
uses them only for a page whose hash they name (a report made again, or edited, is drawn anew).
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from maslihat.render.files import write_atomic
from maslihat.render.jobs import EXECUTED_DIR

DRAWINGS_SUFFIX = ".charts.json.gz"
DRAWINGS_FORMAT = 1  # bump when what is kept changes: older drawings are then not used


def drawings_path(html: Path) -> Path:
    """Where the drawings of an HTML report are kept: 'executed/<report>.charts.json.gz'."""
    return html.parent / EXECUTED_DIR / f"{html.name.removesuffix('.html')}{DRAWINGS_SUFFIX}"


def write_drawings(html: Path, html_sha256: str, charts: list[str | None]) -> Path:
    """Keep the drawings of a report's charts (None for one not drawn), for the page with that
    hash; written atomically. Returns the file."""
    path = drawings_path(html)
    record = {"format": DRAWINGS_FORMAT, "html": html_sha256, "charts": charts}
    write_atomic(path, gzip.compress(json.dumps(record).encode(), compresslevel=1))
    return path


def read_drawings(html: Path, html_sha256: str) -> list[str | None] | None:
    """The kept drawings of a report's charts, if they were drawn from the page with this hash;
    None when there are none, or they are of another version of the page."""
    try:
        record = json.loads(gzip.decompress(drawings_path(html).read_bytes()))
    except (OSError, EOFError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != DRAWINGS_FORMAT:
        return None
    charts = record.get("charts")
    if record.get("html") != html_sha256 or not isinstance(charts, list):
        return None
    return [c if isinstance(c, str) else None for c in charts]


# The attributes of a drawing that name an id or refer to one (text is never written as them).
_ID_ATTRIBUTE = re.compile(r'(\s(id|fill|stroke|clip-path|mask|filter|(?:xlink:)?href)=")([^"]*)"')


def with_prefixed_ids(svg: str, prefix: str) -> str:
    """A drawing's ids (Vega's gradients and clip paths) and the references to them made unique
    among the book's drawings: 'gradient_0' → 'm3-gradient_0'."""

    def moved(match: re.Match[str]) -> str:
        start, name, value = match.groups()
        if name == "id":
            value = prefix + value
        elif name.endswith("href"):
            value = f"#{prefix}{value[1:]}" if value.startswith("#") else value
        else:
            value = value.replace("url(#", f"url(#{prefix}")
        return f'{start}{value}"'

    return _ID_ATTRIBUTE.sub(moved, svg)
