"""The content-hash cache of an output folder: what made each report file, and is it still there.

A report is skipped only when its inputs are unchanged (notebook, parameters, data, package code,
tool versions; for a PDF also the Chromium that printed it) *and* its file on disk is the one this
cache recorded: same size, same SHA-256. A file that is missing, empty, truncated or replaced by
anything else is rendered again. Each format is recorded with the key of the inputs that made it,
so files made from different inputs are never taken for a pair.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from maslihat import __version__
from maslihat.render.files import write_atomic
from maslihat.render.jobs import PACKAGE_DIR, ReportJob, ReportResult
from maslihat.reuse import tree_digest

CACHE_FILE = ".cache.json"
CACHE_VERSION = 3  # 1 recorded no file hashes, 2 no data files: their entries are not trusted


def _tool_versions() -> dict[str, str]:
    """Versions of the libraries whose output ends up in a report."""
    found = {}
    for name in ("altair", "vl-convert-python", "nbconvert", "papermill", "pandas", "bleach",
                 "babel", "pyicu-wheels"):  # Babel: CLDR numbers and dates; ICU: collation
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


# What reports are made of besides the data: the package's code, templates, styles, scripts and
# translations (a changed msgstr changes every report in that language).
PACKAGE_FILES = {".py", ".j2", ".css", ".js", ".json", ".po"}


def environment_key(data_dir: Path, notebook_dirs: Iterable[Path] = ()) -> str:
    """Hash of what every report depends on besides its notebook: data, package code and
    translations, Python modules beside the notebooks (which they can import), tools."""
    parts = {
        "data": tree_digest(data_dir),
        "package": __version__,
        "code": tree_digest(PACKAGE_DIR, PACKAGE_FILES),
        "beside": sorted(tree_digest(Path(d), {".py"}) for d in set(notebook_dirs)),
        "tools": _tool_versions(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def report_key(notebook: Path, parameters: dict[str, Any], environment: str) -> str:
    """Cache key of one report: its notebook's bytes, its parameters and the environment key."""
    digest = hashlib.sha256(notebook.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True, default=repr).encode())
    digest.update(environment.encode())
    return digest.hexdigest()


def fingerprint(path: Path) -> dict[str, Any]:
    """Size and SHA-256 of a file, as the cache records it."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return {"size": path.stat().st_size, "sha256": digest.hexdigest()}


def file_matches(path: Path, record: dict[str, Any]) -> bool:
    """Whether a file is the one a cache record describes (same size, then same hash)."""
    try:
        if not path.is_file() or path.stat().st_size != record.get("size"):
            return False
        return fingerprint(path)["sha256"] == record.get("sha256")
    except OSError:
        return False


def data_matches(out_dir: Path, record: dict[str, Any]) -> bool:
    """Whether every data file recorded with a report's HTML is on disk as recorded."""
    data = record.get("data") or {}
    if not isinstance(data, dict):
        return False
    return all(
        isinstance(made, dict) and "/" in name and ".." not in name.split("/")
        and file_matches(out_dir / name, made)
        for name, made in data.items()
    )  # fmt: skip


def _present(out_dir: Path, path: Path, record: dict[str, Any]) -> bool:
    """A report file and the data files recorded with it are on disk as recorded."""
    return file_matches(path, record) and data_matches(out_dir, record)


def read_cache(out_dir: Path) -> dict[str, dict[str, Any]]:
    """The cache of an output folder: report name → notebook, region, title and its files."""
    try:
        cache = json.loads((out_dir / CACHE_FILE).read_text(encoding="utf-8"))
        if cache.get("version") != CACHE_VERSION:
            return {}
        return {k: v for k, v in cache.get("reports", {}).items() if isinstance(v, dict)}
    except (OSError, ValueError, AttributeError):
        return {}


def write_cache(out_dir: Path, reports: dict[str, dict[str, Any]]) -> None:
    """Save the cache of an output folder (atomically)."""
    write_atomic(
        out_dir / CACHE_FILE,
        json.dumps({"version": CACHE_VERSION, "reports": reports}, indent=1, sort_keys=True),
    )


def files_of(entry: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The file records of a cache entry (format → key, size, hash, ...)."""
    files = (entry or {}).get("files", {})
    if not isinstance(files, dict):
        return {}
    return {f: r for f, r in files.items() if isinstance(r, dict)}


def still_valid(job: ReportJob, entry: dict[str, Any] | None) -> set[str]:
    """Formats of a job whose file on disk was made from the same inputs (PDF: same Chromium)."""
    valid = set()
    for fmt, record in files_of(entry).items():
        if record.get("key") != job.key:
            continue
        if fmt == "pdf" and job.chromium is not None and record.get("chromium") != job.chromium:
            continue
        if _present(job.out_dir, job.output(fmt), record):
            valid.add(fmt)
    return valid


def remember(cache: dict[str, dict[str, Any]], job: ReportJob, result: ReportResult) -> None:
    """Record the files a report just made; its other formats keep their own records."""
    files = files_of(cache.get(job.name))
    for fmt, made in result.files.items():
        files[fmt] = {
            **made,
            "key": job.key,
            "generated_at": job.generated_at,
            "chromium": job.chromium if fmt == "pdf" else None,
        }
    cache[job.name] = {
        "notebook": job.notebook,
        "region": job.region,
        "lang": job.lang,
        "variant": [[name, value] for name, value in job.variant],
        "title": job.title,
        "description": job.description,
        "files": files,
    }


def current_files(out_dir: Path, name: str, entry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Recorded files of a report that are still on disk as recorded, each with `older` set when
    it was made from other inputs than the report's most recent file."""
    present = {
        fmt: record
        for fmt, record in files_of(entry).items()
        if _present(out_dir, out_dir / f"{name}.{fmt}", record)
    }
    if not present:
        return {}
    newest = max(present.values(), key=lambda r: str(r.get("generated_at", "")))
    return {fmt: {**r, "older": r.get("key") != newest.get("key")} for fmt, r in present.items()}
