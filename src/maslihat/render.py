"""Render report notebooks to HTML and PDF: papermill runs them, nbconvert exports, Chromium prints.

`render_reports` runs every (notebook × region) in parallel worker processes. Each worker keeps one
warm kernel (`maslihat.kernels`) and one headless Chromium (`maslihat.chromium`) for all its
reports, and exports with the report exporter (`maslihat.exporters`). Reports are written to
temporary files and moved into place only when complete, and a content-hash cache skips reports
whose inputs did not change.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

import nbformat

from maslihat import __version__
from maslihat.chromium import BrowserError, Chromium, find_chromium
from maslihat.exporters import (
    ALL,
    DATA_DIR_ENV,
    ELECTION,
    PACKAGE_DIR,
    TEMPLATE_DIR,
    TEMPLATE_NAME,
    ReportHTMLExporter,
    data_version_label,
    region_label,
)
from maslihat.kernels import KERNEL_NAME, WARM_ENGINE, KernelPool, register_warm_engine

FORMATS = ("html", "pdf")
NOTEBOOKS_DIR = PACKAGE_DIR.parents[1] / "notebooks"
DEFAULT_OUT_DIR = Path("reports")
DEFAULT_TIMEOUT = 300.0  # seconds a single cell may run before its kernel is stopped
CACHE_FILE = ".cache.json"
EXECUTED_DIR = "executed"


class RenderError(Exception):
    """A report cannot be rendered as asked; the message says why and what to do."""


class RenderInputError(RenderError, ValueError):
    """Unknown notebook, region, format or parameter; the message lists what exists."""


# --- Jobs and cache -----------------------------------------------------------------------------


def slugify(name: str) -> str:
    """File-name form of a region: 'East Kazakhstan' → 'east-kazakhstan', 'All' → 'all'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "region"


def report_name(notebook: str, region: str) -> str:
    """Base file name of a report: '03-seat-shares--east-kazakhstan'."""
    return f"{notebook}--{slugify(region)}"


@dataclass(frozen=True)
class ReportJob:
    """One report to make: a notebook run for one region, exported to some formats."""

    notebook: str
    path: Path
    region: str
    parameters: dict[str, Any]
    formats: tuple[str, ...]
    out_dir: Path
    key: str
    title: str
    timeout: float
    data_version: str
    generated_at: str
    reuse_kernel: bool = True
    print_from_html: bool = False  # only the PDF is missing: print the existing fresh HTML

    @property
    def name(self) -> str:
        return report_name(self.notebook, self.region)

    def output(self, fmt: str) -> Path:
        return self.out_dir / f"{self.name}.{fmt}"

    @property
    def executed(self) -> Path:
        return self.out_dir / EXECUTED_DIR / f"{self.name}.ipynb"


@dataclass
class ReportResult:
    """What became of one report."""

    name: str
    notebook: str
    region: str
    title: str
    status: Literal["rendered", "cached", "failed"]
    outputs: dict[str, Path] = field(default_factory=dict)
    executed: Path | None = None
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status != "failed"


@dataclass
class RenderSummary:
    """Every report of a run: rendered, served from the cache, or failed (with where to look)."""

    results: list[ReportResult]
    out_dir: Path
    index: Path | None
    seconds: float

    def _with(self, status: str) -> list[ReportResult]:
        return [r for r in self.results if r.status == status]

    @property
    def rendered(self) -> list[ReportResult]:
        return self._with("rendered")

    @property
    def cached(self) -> list[ReportResult]:
        return self._with("cached")

    @property
    def failed(self) -> list[ReportResult]:
        return self._with("failed")

    @property
    def ok(self) -> bool:
        return not self.failed

    def describe(self) -> str:
        """A few lines for the terminal: counts, the index, and each failure with its notebook."""
        lines = [
            f"{len(self.rendered)} rendered, {len(self.cached)} unchanged (cache), "
            f"{len(self.failed)} failed in {self.seconds:.1f} s"
            + (f"; index: {self.index}" if self.index else "")
        ]
        for result in self.failed:
            lines.append(f"FAILED {result.name}: {result.error}")
            if result.executed and result.executed.exists():
                lines.append(f"  the executed notebook marks the failing cell: {result.executed}")
        return "\n".join(lines)


def _hash_tree(root: Path, suffixes: Iterable[str] | None = None) -> str:
    """Hash of every file under a folder (relative names and bytes), skipping hidden files."""
    digest = hashlib.sha256()
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                continue
            if path.is_file() and (suffixes is None or path.suffix in suffixes):
                digest.update(str(rel.as_posix()).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _tool_versions() -> dict[str, str]:
    """Versions of the libraries whose output ends up in a report."""
    found = {}
    for name in ("altair", "vl-convert-python", "nbconvert", "papermill", "pandas", "bleach"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "absent"
    return found


def environment_key(data_dir: Path) -> str:
    """Hash of what every report depends on besides its notebook: data, package code, tools."""
    parts = {
        "data": _hash_tree(data_dir),
        "package": __version__,
        "code": _hash_tree(PACKAGE_DIR, {".py", ".j2", ".css", ".js", ".json"}),
        "tools": _tool_versions(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def report_key(notebook: Path, parameters: dict[str, Any], environment: str) -> str:
    """Cache key of one report: its notebook's bytes, its parameters and the environment key."""
    digest = hashlib.sha256(notebook.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True, default=repr).encode())
    digest.update(environment.encode())
    return digest.hexdigest()


def read_cache(out_dir: Path) -> dict[str, dict[str, Any]]:
    """The cache of an output folder: report name → key, formats, title, region."""
    try:
        cache = json.loads((out_dir / CACHE_FILE).read_text(encoding="utf-8"))
        return dict(cache.get("reports", {}))
    except (OSError, ValueError, AttributeError):
        return {}


def _write_atomic(path: Path, text: str) -> None:
    """Write a file so readers see the old or the new content, never half of it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_cache(out_dir: Path, reports: dict[str, dict[str, Any]]) -> None:
    """Save the cache of an output folder."""
    _write_atomic(
        out_dir / CACHE_FILE,
        json.dumps({"version": 1, "reports": reports}, indent=1, sort_keys=True),
    )


def _still_valid(job: ReportJob, entry: dict[str, Any] | None) -> set[str]:
    """Formats of a job whose file exists and was made from the same inputs."""
    if not entry or entry.get("key") != job.key:
        return set()
    return {f for f in entry.get("formats", []) if job.output(f).is_file()}


# --- Worker: one report -------------------------------------------------------------------------


class _Worker:
    """What a worker process keeps between reports: a kernel, a Chromium, an exporter."""

    kernels: KernelPool | None = None
    chromium: Chromium | None = None
    exporter: ReportHTMLExporter | None = None

    @classmethod
    def browser(cls, timeout: float) -> Chromium:
        if cls.chromium is None:
            cls.chromium = Chromium(timeout=timeout)
            cls.chromium.start()
        return cls.chromium

    @classmethod
    def shutdown(cls) -> None:
        """Stop the kept kernel and browser (at worker exit, or after a run in this process)."""
        if cls.kernels is not None:
            cls.kernels.discard()
            cls.kernels = None
        if cls.chromium is not None:
            cls.chromium.close()
            cls.chromium = None


def _init_worker(env: dict[str, str]) -> None:
    """Set up a worker process: its environment (kernels inherit it) and clean-up at exit."""
    from multiprocessing.util import Finalize

    os.environ.update(env)
    Finalize(_Worker, _Worker.shutdown, exitpriority=10)


def _execute(job: ReportJob) -> nbformat.NotebookNode:
    """Run the notebook with papermill, keeping the executed copy for debugging."""
    import papermill

    job.executed.parent.mkdir(parents=True, exist_ok=True)
    common = dict(
        parameters=job.parameters,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        cwd=str(job.path.parent),
        execution_timeout=job.timeout,
        start_timeout=120,
    )
    if not job.reuse_kernel:
        return papermill.execute_notebook(str(job.path), str(job.executed), **common)
    register_warm_engine()
    if _Worker.kernels is None:
        _Worker.kernels = KernelPool()
    km = _Worker.kernels.get()
    return papermill.execute_notebook(
        str(job.path), str(job.executed), engine_name=WARM_ENGINE, km=km, **common
    )


def _export_html(nb: nbformat.NotebookNode, job: ReportJob) -> str:
    """The HTML report of an executed notebook."""
    if _Worker.exporter is None:
        _Worker.exporter = ReportHTMLExporter()
    exporter = _Worker.exporter
    exporter.data_version = job.data_version
    exporter.generated_at = job.generated_at
    resources = {"metadata": {"name": job.name, "path": str(job.path.parent)}}
    page, _ = exporter.from_notebook_node(nb, resources)
    return page


def _failure_message(err: BaseException, job: ReportJob) -> str:
    """One line on why a report failed, in the reader's terms."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(err, PapermillExecutionError):
        return f"{err.ename}: {err.evalue} (cell In [{err.exec_count}])"
    if isinstance(err, CellTimeoutError):
        return (
            f"timed out: a cell ran longer than {job.timeout:g} s (the execution timeout); "
            "its kernel was stopped"
        )
    if isinstance(err, DeadKernelError):
        return f"the kernel died while running the notebook ({err})"
    return f"{type(err).__name__}: {err}"


def _tmp_path(job: ReportJob, fmt: str) -> Path:
    """A temporary file beside the final one (same folder: os.replace is atomic there)."""
    return job.out_dir / f".{job.name}.tmp-{os.getpid()}.{fmt}"


def render_job(job: ReportJob) -> ReportResult:
    """Make one report; never raises for a broken notebook, returns a failed result instead."""
    from papermill.exceptions import PapermillExecutionError

    start = time.monotonic()
    result = ReportResult(job.name, job.notebook, job.region, job.title, "rendered")
    temporary: list[Path] = []
    try:
        if job.print_from_html:
            source = job.output("html")
        else:
            result.executed = job.executed
            page = _export_html(_execute(job), job)
            source = _tmp_path(job, "html")
            temporary.append(source)
            source.write_text(page, encoding="utf-8")
        made: dict[str, Path] = {}
        if "html" in job.formats and not job.print_from_html:
            made["html"] = source
        if "pdf" in job.formats:
            made["pdf"] = _tmp_path(job, "pdf")
            temporary.append(made["pdf"])
            _print_pdf(source, made["pdf"], job.timeout)
        # Only now, with every format complete, do the new files replace the old ones.
        for fmt, path in made.items():
            os.replace(path, job.output(fmt))
            result.outputs[fmt] = job.output(fmt)
    except Exception as err:  # noqa: BLE001 - one broken report must not stop the others
        if not isinstance(err, PapermillExecutionError | BrowserError) and _Worker.kernels:
            _Worker.kernels.discard()  # a timed-out or dead kernel must not run the next report
        result.status, result.error = "failed", _failure_message(err, job)
    finally:
        for path in temporary:
            path.unlink(missing_ok=True)
        result.seconds = time.monotonic() - start
    return result


def _print_pdf(source: Path, target: Path, timeout: float) -> None:
    """Print with the worker's Chromium, restarting it once if it broke."""
    try:
        _Worker.browser(timeout).print_pdf(source, target)
    except BrowserError:
        if _Worker.chromium is not None:
            _Worker.chromium.close()
            _Worker.chromium = None
        _Worker.browser(timeout).print_pdf(source, target)


# --- Inputs -------------------------------------------------------------------------------------


def data_dir() -> Path:
    """The data folder the notebooks read: $MASLIHAT_DATA_DIR or maslihat.data.DATA_DIR."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured).resolve()
    from maslihat.data import DATA_DIR

    return Path(DATA_DIR).resolve()


def available_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> dict[str, Path]:
    """Report notebooks by name (file name without .ipynb), in name order."""
    return {
        path.stem: path
        for path in sorted(Path(notebooks_dir).glob("*.ipynb"))
        if not path.name.startswith((".", "_"))
    }


def valid_regions() -> list[str]:
    """'All' (the whole country) and the regions of the data."""
    from maslihat.data import load_all, region_names

    try:
        return [ALL, *region_names(load_all(data_dir()))]
    except Exception as err:  # noqa: BLE001 - say which data folder could not be read
        raise RenderInputError(f"cannot read the regions from {data_dir()}: {err}") from err


def _listing(items: Iterable[str]) -> str:
    return ", ".join(items) or "(none)"


def select_notebooks(names: Sequence[str] | None, notebooks_dir: Path) -> dict[str, Path]:
    """The notebooks to render: all when names is None; unknown names raise, listing the valid."""
    found = available_notebooks(notebooks_dir)
    if names is None:
        if not found:
            raise RenderInputError(f"no notebooks (*.ipynb) in {notebooks_dir}")
        return found
    chosen = {}
    for name in names:
        stem = name.removesuffix(".ipynb")
        if stem not in found:
            raise RenderInputError(
                f"unknown notebook {name!r} in {notebooks_dir}. Notebooks: {_listing(found)}"
            )
        chosen[stem] = found[stem]
    return chosen


def select_regions(names: Sequence[str] | None) -> list[str]:
    """Canonical region names ('All' when None); case is ignored, unknown names raise."""
    if not names:
        return [ALL]
    valid = valid_regions()
    by_key = {v.casefold(): v for v in valid}
    chosen: list[str] = []
    for name in names:
        region = by_key.get(str(name).strip().casefold())
        if region is None:
            raise RenderInputError(
                f"unknown region {name!r}. Regions: {_listing(valid)} ('All' = whole country)"
            )
        if region not in chosen:
            chosen.append(region)
    slugs = [slugify(r) for r in chosen]
    if len(set(slugs)) != len(slugs):
        raise RenderInputError(f"regions {chosen} would share report file names")
    return chosen


def select_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """Output formats in canonical order; unknown ones raise, listing the valid."""
    chosen = [str(f).lower().lstrip(".") for f in formats]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise RenderInputError(
            f"unknown format {', '.join(map(repr, unknown)) or '(none given)'}. "
            f"Formats: {_listing(FORMATS)}"
        )
    return tuple(f for f in FORMATS if f in chosen)


def notebook_parameters(path: Path) -> dict[str, dict[str, Any]]:
    """Parameters of a notebook's 'parameters' cell, as papermill infers them."""
    import papermill

    return papermill.inspect_notebook(str(path))


def check_parameters(
    parameters: dict[str, Any], declared: dict[str, dict[str, dict[str, Any]]]
) -> None:
    """Raise unless every parameter is declared by at least one selected notebook."""
    if "region" in parameters:
        raise RenderInputError("give the region with --region / regions=, not as a parameter")
    for name in parameters:
        if not any(name in params for params in declared.values()):
            listing = "; ".join(
                f"{nb}: {_listing(p for p in params if p != 'region')}"
                for nb, params in declared.items()
            )
            raise RenderInputError(f"unknown parameter {name!r}. Parameters: {listing}")
    for notebook, params in declared.items():
        if "region" not in params:
            raise RenderInputError(
                f"notebook {notebook!r} has no 'region' in its parameters cell "
                f"(it has: {_listing(params)})"
            )


def notebook_title(path: Path) -> str:
    """A notebook's report title: metadata maslihat.title, else its file name."""
    nb = nbformat.read(path, as_version=4)
    return nb.metadata.get("maslihat", {}).get("title") or path.stem


# --- Batch --------------------------------------------------------------------------------------


def plan_jobs(
    notebooks: dict[str, Path],
    regions: list[str],
    formats: tuple[str, ...],
    parameters: dict[str, Any],
    declared: dict[str, dict[str, dict[str, Any]]],
    out_dir: Path,
    timeout: float,
    reuse_kernels: bool,
) -> list[ReportJob]:
    """One job per (notebook × region), with its cache key and the parameters it declares."""
    environment = environment_key(data_dir())
    version_of_data = data_version_label()
    generated_at = datetime.now().astimezone().isoformat(timespec="seconds")
    jobs = []
    for notebook, path in notebooks.items():
        own = {k: v for k, v in parameters.items() if k in declared[notebook]}
        title = notebook_title(path)
        for region in regions:
            values = {**own, "region": region}
            jobs.append(
                ReportJob(
                    notebook=notebook,
                    path=path,
                    region=region,
                    parameters=values,
                    formats=formats,
                    out_dir=out_dir,
                    key=report_key(path, values, environment),
                    title=title,
                    timeout=timeout,
                    data_version=version_of_data,
                    generated_at=generated_at,
                    reuse_kernel=reuse_kernels,
                )
            )
    return jobs


def _cached_result(job: ReportJob) -> ReportResult:
    outputs = {f: job.output(f) for f in job.formats}
    return ReportResult(job.name, job.notebook, job.region, job.title, "cached", outputs)


def _remember(cache: dict[str, dict[str, Any]], job: ReportJob, result: ReportResult) -> None:
    """Record a finished report in the cache (formats made earlier from the same inputs stay)."""
    entry = cache.get(job.name, {})
    kept = set(entry.get("formats", [])) if entry.get("key") == job.key else set()
    cache[job.name] = {
        "key": job.key,
        "formats": sorted(kept | set(result.outputs)),
        "notebook": job.notebook,
        "region": job.region,
        "title": job.title,
        "generated_at": job.generated_at,
    }


def _run_pool(
    jobs: list[ReportJob], workers: int, progress: bool | None, on_result
) -> list[ReportResult]:
    """Render jobs in worker processes with a progress bar; on_result sees each as it finishes."""
    from tqdm import tqdm

    if not jobs:
        return []
    env = {DATA_DIR_ENV: str(data_dir())}
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    results = []
    with ProcessPoolExecutor(workers, context, initializer=_init_worker, initargs=(env,)) as pool:
        futures = {pool.submit(render_job, job): job for job in jobs}
        bar = tqdm(total=len(jobs), desc="Rendering", unit="report", disable=progress is False)
        try:
            for future in as_completed(futures):
                job = futures[future]
                try:
                    result = future.result()
                except Exception as err:  # noqa: BLE001 - a worker died: report, go on
                    result = ReportResult(job.name, job.notebook, job.region, job.title, "failed")
                    result.error = f"worker process failed: {type(err).__name__}: {err}"
                results.append(result)
                on_result(job, result)
                bar.set_postfix_str(job.name, refresh=False)
                bar.update()
        except KeyboardInterrupt:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        finally:
            bar.close()
    return results


def render_reports(
    notebooks: list[str] | None = None,
    regions: list[str] | None = None,
    formats: Sequence[str] = FORMATS,
    out_dir: Path | str = DEFAULT_OUT_DIR,
    force: bool = False,
    parameters: dict[str, Any] | None = None,
    notebooks_dir: Path | str = NOTEBOOKS_DIR,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    reuse_kernels: bool = True,
    progress: bool | None = None,
) -> RenderSummary:
    """Render each (notebook × region) to the formats, in parallel, skipping unchanged reports.

    Raises RenderInputError for unknown notebooks, regions, formats or parameters, and
    ChromiumNotFoundError when a PDF is asked for and no Chromium is installed. A notebook that
    fails or times out (`timeout`: seconds per cell) is listed in the summary's failures.
    """
    start = time.monotonic()
    chosen = select_notebooks(notebooks, Path(notebooks_dir))
    chosen_regions = select_regions(regions)
    chosen_formats = select_formats(formats)
    parameters = dict(parameters or {})
    declared = {name: notebook_parameters(path) for name, path in chosen.items()}
    check_parameters(parameters, declared)
    if "pdf" in chosen_formats:
        find_chromium()
    out = Path(out_dir).resolve()
    (out / EXECUTED_DIR).mkdir(parents=True, exist_ok=True)

    planned = plan_jobs(
        chosen, chosen_regions, chosen_formats, parameters, declared, out, timeout, reuse_kernels
    )
    cache = read_cache(out)
    results: list[ReportResult] = []
    to_run: list[ReportJob] = []
    for job in planned:
        valid = set() if force else _still_valid(job, cache.get(job.name))
        missing = tuple(f for f in job.formats if f not in valid)
        if not missing:
            results.append(_cached_result(job))
        else:
            to_run.append(replace(job, formats=missing, print_from_html=missing == ("pdf",)))

    def on_result(job: ReportJob, result: ReportResult) -> None:
        if result.ok:
            _remember(cache, job, result)
            write_cache(out, cache)

    workers = max(1, min(jobs or os.cpu_count() or 1, len(to_run) or 1))
    results += _run_pool(to_run, workers, progress, on_result)
    order = {job.name: i for i, job in enumerate(planned)}
    results.sort(key=lambda r: order[r.name])
    for result in results:
        if result.ok:
            job = next(j for j in planned if j.name == result.name)
            result.outputs = {f: job.output(f) for f in job.formats}
    index = write_index(out, cache, [r for r in results if not r.ok])
    return RenderSummary(results, out, index, time.monotonic() - start)


def all_regions() -> list[str]:
    """'All' and every region: what --all-regions renders."""
    return valid_regions()


# --- Index page ---------------------------------------------------------------------------------


def write_index(
    out_dir: Path, cache: dict[str, dict[str, Any]], failures: list[ReportResult]
) -> Path:
    """Write index.html: a self-contained page linking every report present in the folder."""
    from urllib.parse import quote

    from jinja2 import Environment, FileSystemLoader, select_autoescape

    rows = []
    for name, entry in cache.items():
        links = {
            fmt: quote(f"{name}.{fmt}") for fmt in FORMATS if (out_dir / f"{name}.{fmt}").is_file()
        }
        if links:
            rows.append({**entry, "name": name, "links": links})
    rows.sort(key=lambda r: (r["notebook"], r["region"] != ALL, r["region"]))
    failed = [
        {
            "name": r.name,
            "title": r.title,
            "region": r.region,
            "error": r.error,
            "executed": quote(f"{EXECUTED_DIR}/{r.executed.name}") if r.executed else None,
        }
        for r in failures
    ]
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(default=True)
    )
    page = env.get_template("index.html.j2").render(
        rows=rows,
        failures=failed,
        election=ELECTION,
        generated_at=datetime.now().astimezone().strftime("%-d %B %Y, %H:%M %Z"),
        data_version=data_version_label(),
        package_version=__version__,
        region_label=region_label,
        css=(TEMPLATE_DIR / TEMPLATE_NAME / "static" / "report.css").read_text(encoding="utf-8"),
    )
    path = out_dir / "index.html"
    _write_atomic(path, page)
    return path
