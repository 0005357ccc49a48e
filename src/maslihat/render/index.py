"""index.html of an output folder: every report whose files are as the cache recorded them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from maslihat import __version__
from maslihat.exporters import ELECTION, TEMPLATE_DIR, TEMPLATE_NAME, region_label
from maslihat.params import ALL
from maslihat.render.cache import current_files
from maslihat.render.files import write_atomic
from maslihat.render.jobs import EXECUTED_DIR, FORMATS, ReportResult


def index_rows(out_dir: Path, cache: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per report with a file on disk: its links, and which were made from older inputs."""
    rows = []
    for name, entry in cache.items():
        files = current_files(out_dir, name, entry)
        links = [
            {"format": fmt, "href": quote(f"{name}.{fmt}"), "older": files[fmt]["older"]}
            for fmt in FORMATS
            if fmt in files
        ]
        if links:
            rows.append({**entry, "name": name, "links": links})
    rows.sort(key=lambda r: (str(r.get("notebook")), r.get("region") != ALL, str(r.get("region"))))
    return rows


def write_index(
    out_dir: Path,
    cache: dict[str, dict[str, Any]],
    failures: list[ReportResult],
    version_of_data: str,
) -> Path:
    """Write index.html: a self-contained page linking every report present in the folder."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    failed = [
        {
            "name": r.name,
            "title": r.title,
            "region": r.region,
            "error": r.error,
            "failed_while": r.failed_while,
            "executed": quote(f"{EXECUTED_DIR}/{r.executed.name}") if r.executed_note else None,
        }
        for r in failures
    ]
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(default=True)
    )
    page = env.get_template("index.html.j2").render(
        rows=index_rows(out_dir, cache),
        failures=failed,
        election=ELECTION,
        generated_at=datetime.now().astimezone().strftime("%-d %B %Y, %H:%M %Z"),
        data_version=version_of_data,
        package_version=__version__,
        region_label=region_label,
        css=(TEMPLATE_DIR / TEMPLATE_NAME / "static" / "report.css").read_text(encoding="utf-8"),
    )
    path = out_dir / "index.html"
    write_atomic(path, page)
    return path
