"""The charts a report's print drew, kept for its book: found only for the page they were drawn
from, their ids made unique when a book sets many reports' drawings in one page."""

from __future__ import annotations

import gzip
import hashlib

from maslihat.render.drawings import (
    drawings_path,
    read_drawings,
    with_prefixed_ids,
    write_drawings,
)

LEGEND = (
    '<svg class="marks"><defs><linearGradient id="gradient_0"><stop offset="0"/></linearGradient>'
    '<clipPath id="clip3"><rect/></clipPath></defs>'
    '<path fill="url(#gradient_0)" clip-path="url(#clip3)"/><use xlink:href="#clip3"/>'
    '<a href="https://example.org/#gradient_0"><text>url(#y) of the gradient_0</text></a></svg>'
)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_drawings_are_found_only_for_the_page_they_were_drawn_from(tmp_path):
    html = tmp_path / "03-seat-shares--akmola.kk.html"
    html.write_text("<main>page</main>")
    (tmp_path / "executed").mkdir()
    path = write_drawings(html, sha("<main>page</main>"), ["<svg>1</svg>", None])
    assert path == tmp_path / "executed" / "03-seat-shares--akmola.kk.charts.json.gz"
    assert path == drawings_path(html) and not list(path.parent.glob(".*tmp*"))
    assert read_drawings(html, sha("<main>page</main>")) == ["<svg>1</svg>", None]
    assert read_drawings(html, sha("<main>page, edited</main>")) is None  # another page


def test_missing_broken_or_older_drawings_are_not_used(tmp_path):
    html = tmp_path / "r.en.html"
    (tmp_path / "executed").mkdir()
    assert read_drawings(html, "0" * 64) is None  # none kept
    drawings_path(html).write_bytes(b"not gzip")
    assert read_drawings(html, "0" * 64) is None
    record = b'{"format": 0, "html": "' + b"0" * 64 + b'", "charts": ["<svg/>"]}'
    drawings_path(html).write_bytes(gzip.compress(record))
    assert read_drawings(html, "0" * 64) is None  # kept in a form this version does not read
    drawings_path(html).write_bytes(gzip.compress(b"[1, 2]"))
    assert read_drawings(html, "0" * 64) is None


def test_a_drawings_ids_and_its_references_to_them_get_the_members_prefix():
    moved = with_prefixed_ids(LEGEND, "m3-")
    assert 'id="m3-gradient_0"' in moved and 'id="m3-clip3"' in moved
    assert 'fill="url(#m3-gradient_0)" clip-path="url(#m3-clip3)"' in moved
    assert 'xlink:href="#m3-clip3"' in moved
    # a link out of the chart and the chart's text stay as they were
    assert 'href="https://example.org/#gradient_0"' in moved
    assert "<text>url(#y) of the gradient_0</text>" in moved
