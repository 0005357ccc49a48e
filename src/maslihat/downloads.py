"""The data beside a report: each table's and each chart's data as a CSV file, named in order.

A table made by `maslihat.text.table` carries its frame as `text/csv`; a chart carries its data in
its Vega-Lite spec (`datasets`, or inline `data.values`). `data_files` numbers them in reading
order (`01-seats-by-party.csv`, ...), marks each output with the links the report template shows
under it, and returns the files' contents for the exporter to write into `<report>.data/`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote

import nbformat
import pandas as pd

from maslihat.charts import BACKDROP
from maslihat.display import chart_mimetype, chart_title
from maslihat.i18n import _

CSV_MIMETYPE = "text/csv"
DATA_SUFFIX = ".data"  # a report's files go into <report>.data/ beside <report>.html
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def data_folder(report: str) -> str:
    """Name of the folder of a report's data files: '03-seat-shares--all.data'."""
    return f"{report}{DATA_SUFFIX}"


def file_slug(text: str, fallback: str) -> str:
    """A short file-name form of a title: 'Seats by party, 2021' → 'seats-by-party-2021'."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:48].strip("-")
    return slug or fallback


def chart_tables(spec: dict[str, Any]) -> list[pd.DataFrame]:
    """The data of a chart: its named datasets (the top-level one first), or its inline values."""
    datasets = spec.get("datasets") if isinstance(spec.get("datasets"), dict) else {}
    main = (spec.get("data") or {}).get("name") if isinstance(spec.get("data"), dict) else None
    names = sorted(datasets, key=lambda n: n != main)
    tables = [datasets[n] for n in names if isinstance(datasets[n], list)]
    inline = (spec.get("data") or {}).get("values") if isinstance(spec.get("data"), dict) else None
    if isinstance(inline, list):
        tables.insert(0, inline)
    # a label's backdrop (an SVG path of the drawing) is no data
    return [pd.DataFrame.from_records(rows).drop(columns=[BACKDROP], errors="ignore")
            for rows in tables if rows]  # fmt: skip


def _headings(text: str) -> list[str]:
    return [m.group(1) for m in _HEADING.finditer(text or "")]


def data_files(nb: nbformat.NotebookNode, report: str) -> dict[str, str]:
    """Number every table and chart of a notebook, mark its output with its download links, and
    return the CSV files (path relative to the report → text)."""
    folder = data_folder(report)
    files: dict[str, str] = {}
    heading, count = "", 0
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            heading = (_headings(cell.get("source", "")) or [heading])[-1]
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/markdown" in data:
                heading = (_headings(data["text/markdown"]) or [heading])[-1]
            chart = chart_mimetype(data)
            if chart and isinstance(data[chart], dict):
                tables = [t.to_csv(index=False) for t in chart_tables(data[chart])]
                title, kind = chart_title(data[chart]) or heading, "chart"
            elif isinstance(data.get(CSV_MIMETYPE), str):
                tables = [data[CSV_MIMETYPE]]
                name = (output.get("metadata", {}).get(CSV_MIMETYPE) or {}).get("name")
                title, kind = name or heading, "table"
            else:
                continue
            count += 1
            stem = f"{count:02d}-{file_slug(title, kind)}"
            links = []
            for i, text in enumerate(tables, start=1):
                path = f"{folder}/{stem}{'' if i == 1 else f'-{i}'}.csv"
                files[path] = text
                label = _("Data (CSV)") if len(tables) == 1 else _("Data {n} (CSV)", n=i)
                links.append({"href": quote(path), "label": label})
            output.setdefault("metadata", {})["maslihat"] = {"stem": stem, "links": links}
    return files
