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
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from multiprocessing.queues import SimpleQueue
from pathlib import Path
from typing import Any, Literal

import nbformat

from maslihat import __version__
from maslihat.chromium import BrowserError, Chromium, PageError, chromium_version, find_chromium
from maslihat.data import DATA_DIR_ENV, ElectionData, load_all, resolve_data_dir
from maslihat.exporters import (
    ELECTION,
    PACKAGE_DIR,
    TEMPLATE_DIR,
    TEMPLATE_NAME,
    ReportHTMLExporter,
    data_version_label,
    region_label,
)
from maslihat.kernels import KERNEL_NAME, WARM_ENGINE, KernelPool, register_warm_engine
from maslihat.params import ALL, ParameterError, resolve_region, valid_regions

FORMATS = ("html", "pdf")
NOTEBOOKS_DIR = PACKAGE_DIR.parents[1] / "notebooks"
DEFAULT_OUT_DIR = Path("reports")
DEFAULT_TIMEOUT = 300.0  # seconds a single cell may run before its kernel is stopped
CACHE_FILE = ".cache.json"
EXECUTED_DIR = "executed"

Stage = Literal["execute", "export", "print"]
# Where a report failed, in words ("failed while ..."); None: its worker process died.
STAGE_WORDS = {
    "execute": "running the notebook",
    "export": "making the HTML",
    "print": "printing the PDF",
}


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
    print_from_html: bool = False  # only the PDF is missing: print the HTML made from the same key
    chromium: str | None = None  # version of the Chromium that prints the PDF, when one is asked

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
    stage: Stage | None = None  # where a failed report stopped; None when its worker died

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def failed_while(self) -> str:
        """The failing stage in words: 'running the notebook', 'printing the PDF', ..."""
        return STAGE_WORDS.get(self.stage or "", "rendering (its worker process died)")

    @property
    def executed_note(self) -> str | None:
        """What the executed notebook shows about a failure, when it was written."""
        if self.executed is None or not self.executed.exists():
            return None
        if self.stage == "execute":
            return "the executed notebook shows where it stopped"
        return "executed notebook"


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
            lines.append(f"FAILED {result.name} while {result.failed_while}: {result.error}")
            if note := result.executed_note:
                lines.append(f"  {note}: {result.executed}")
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
    """Formats of a job whose file exists and was made from the same inputs (PDF: same Chromium)."""
    if not entry or entry.get("key") != job.key:
        return set()
    valid = {f for f in entry.get("formats", []) if job.output(f).is_file()}
    if job.chromium is not None and entry.get("chromium") != job.chromium:
        valid.discard("pdf")
    return valid


# --- Worker: one report -------------------------------------------------------------------------


class _Worker:
    """What a worker process keeps between reports: a kernel, a Chromium, an exporter."""

    kernels: KernelPool | None = None
    chromium: Chromium | None = None
    exporter: ReportHTMLExporter | None = None
    started: SimpleQueue | None = None  # tells the parent which reports this worker began

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


def _init_worker(env: dict[str, str], started: SimpleQueue) -> None:
    """Set up a worker process: its environment (kernels inherit it) and clean-up at exit."""
    from multiprocessing.util import Finalize

    os.environ.update(env)
    _Worker.started = started
    Finalize(_Worker, _Worker.shutdown, exitpriority=10)


def _run_job(job: ReportJob) -> ReportResult:
    """Worker side of a job: say it started (should the worker die), then render it."""
    if _Worker.started is not None:
        _Worker.started.put(job.name)
    return render_job(job)


def _execute(job: ReportJob) -> nbformat.NotebookNode:
    """Run the notebook with papermill, keeping the executed copy for debugging."""
    import papermill

    job.executed.parent.mkdir(parents=True, exist_ok=True)
    job.executed.unlink(missing_ok=True)  # an executed notebook left from an earlier run misleads
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
    if isinstance(err, BrowserError):
        return str(err)
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
    stage: Stage = "print"
    try:
        if job.print_from_html:
            source = job.output("html")
        else:
            stage, result.executed = "execute", job.executed
            nb = _execute(job)
            stage = "export"
            page = _export_html(nb, job)
            source = _tmp_path(job, "html")  # printed from here; kept only if HTML was asked for
            temporary.append(source)
            source.write_text(page, encoding="utf-8")
        made: dict[str, Path] = {}
        if "html" in job.formats:
            made["html"] = source
        if "pdf" in job.formats:
            stage = "print"
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
        result.status, result.stage, result.error = "failed", stage, _failure_message(err, job)
    finally:
        for path in temporary:
            path.unlink(missing_ok=True)
        result.seconds = time.monotonic() - start
    return result


def _print_pdf(source: Path, target: Path, timeout: float) -> None:
    """Print with the worker's Chromium, restarting it once if it broke (not if the page did)."""
    try:
        _Worker.browser(timeout).print_pdf(source, target)
    except PageError:
        raise
    except BrowserError:
        if _Worker.chromium is not None:
            _Worker.chromium.close()
            _Worker.chromium = None
        _Worker.browser(timeout).print_pdf(source, target)


# --- Inputs -------------------------------------------------------------------------------------


def available_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> dict[str, Path]:
    """Report notebooks by name (file name without .ipynb), in name order."""
    return {
        path.stem: path
        for path in sorted(Path(notebooks_dir).glob("*.ipynb"))
        if not path.name.startswith((".", "_"))
    }


def data_dir() -> Path:
    """The data folder the notebooks read (absolute: worker kernels start elsewhere)."""
    return resolve_data_dir().resolve()


def election_data() -> ElectionData:
    """The data the notebooks read (for its regions and their spellings)."""
    try:
        return load_all(data_dir())
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


def select_regions(names: Sequence[str] | None, data: ElectionData | None = None) -> list[str]:
    """Canonical region names ('All' when None), accepting what the notebooks accept."""
    if not names:
        return [ALL]
    data = data or election_data()
    chosen: list[str] = []
    for name in names:
        try:
            region = resolve_region(name, data)
        except ParameterError as err:
            reason = str(err).removeprefix("parameter 'region': ").split(". Valid regions:")[0]
            raise RenderInputError(
                f"{reason}. Regions: {_listing(valid_regions(data))} "
                "('All' = whole country; case and the sources' spellings are accepted)"
            ) from None
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
    version_of_data: str,
) -> list[ReportJob]:
    """One job per (notebook × region), with its cache key and the parameters it declares."""
    printer = chromium_version(find_chromium()) if "pdf" in formats else None
    environment = environment_key(data_dir())
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
                    chromium=printer,
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
    printer = job.chromium if "pdf" in result.outputs else entry.get("chromium")
    cache[job.name] = {
        "key": job.key,
        "chromium": printer if "pdf" in kept | set(result.outputs) else None,
        "formats": sorted(kept | set(result.outputs)),
        "notebook": job.notebook,
        "region": job.region,
        "title": job.title,
        "generated_at": job.generated_at,
    }


def _worker_died(job: ReportJob, deaths: int) -> ReportResult:
    """The failed result of a job whose worker process died (twice), or never got to it."""
    result = ReportResult(job.name, job.notebook, job.region, job.title, "failed")
    result.error = (
        "its worker process died twice while rendering it (a crash, or killed: out of memory?)"
        if deaths > 1
        else "the worker processes died before they could start it"
    )
    return result


def _drain(queue: SimpleQueue, into: set[str]) -> None:
    """Move what is waiting in a queue into a set (without blocking)."""
    while not queue.empty():
        into.add(queue.get())


def _pool_round(
    jobs: list[ReportJob], workers: int, finish: Callable[[ReportJob, ReportResult], None]
) -> tuple[list[ReportJob], set[str]]:
    """Run jobs in a fresh pool; return those left when a worker died, and the names begun."""
    env = {DATA_DIR_ENV: str(data_dir())}
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    started = context.SimpleQueue()
    begun: set[str] = set()
    left: set[str] = set()
    with ProcessPoolExecutor(
        workers, context, initializer=_init_worker, initargs=(env, started)
    ) as pool:
        futures = {pool.submit(_run_job, job): job for job in jobs}
        try:
            for future in as_completed(futures):
                job = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool:
                    left.add(job.name)  # a worker died: rerun in a fresh pool
                    continue
                except Exception as err:  # noqa: BLE001 - e.g. a result that cannot be sent back
                    result = ReportResult(job.name, job.notebook, job.region, job.title, "failed")
                    result.error = f"worker process failed: {type(err).__name__}: {err}"
                finish(job, result)
                _drain(started, begun)  # keeps the queue's pipe from filling up
        except KeyboardInterrupt:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    _drain(started, begun)
    started.close()
    return [job for job in jobs if job.name in left], begun


def _run_pool(
    jobs: list[ReportJob],
    workers: int,
    progress: bool | None,
    on_result: Callable[[ReportJob, ReportResult], None],
) -> list[ReportResult]:
    """Render jobs in worker processes with a progress bar; on_result sees each as it finishes.

    When a worker dies, a fresh pool takes the reports that did not finish. Those that were running
    are retried once, in a one-worker pool so that a second death names its report, which fails.
    """
    from tqdm import tqdm

    if not jobs:
        return []
    results: list[ReportResult] = []
    pending = {job.name: job for job in jobs}
    deaths: Counter[str] = Counter()  # times a report was running when its worker died
    bar = tqdm(total=len(jobs), desc="Rendering", unit="report", disable=progress is False)

    def finish(job: ReportJob, result: ReportResult) -> None:
        del pending[job.name]
        results.append(result)
        on_result(job, result)
        bar.set_postfix_str(job.name, refresh=False)
        bar.update()

    try:
        while pending:
            retries = [job for job in pending.values() if deaths[job.name]]
            batch = retries or list(pending.values())
            left, begun = _pool_round(batch, 1 if retries else workers, finish)
            for job in left:
                deaths[job.name] += job.name in begun
                if deaths[job.name] > 1 or not begun:
                    finish(job, _worker_died(job, deaths[job.name]))
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
    all_regions: bool = False,
) -> RenderSummary:
    """Render each (notebook × region) to the formats, in parallel, skipping unchanged reports.

    `all_regions` renders 'All' and every region (instead of `regions`).

    Raises RenderInputError for unknown notebooks, regions, formats or parameters, and
    ChromiumNotFoundError when a PDF is asked for and no Chromium is installed. A notebook that
    fails or times out (`timeout`: seconds per cell) is listed in the summary's failures.
    """
    start = time.monotonic()
    chosen = select_notebooks(notebooks, Path(notebooks_dir))
    if all_regions and regions:
        raise RenderInputError("give regions or all_regions, not both")
    data = election_data() if all_regions or regions else None
    chosen_regions = valid_regions(data) if all_regions else select_regions(regions, data)
    chosen_formats = select_formats(formats)
    parameters = dict(parameters or {})
    declared = {name: notebook_parameters(path) for name, path in chosen.items()}
    check_parameters(parameters, declared)
    if "pdf" in chosen_formats:
        find_chromium()
    out = Path(out_dir).resolve()
    (out / EXECUTED_DIR).mkdir(parents=True, exist_ok=True)

    version_of_data = data_version_label()
    planned = plan_jobs(
        chosen, chosen_regions, chosen_formats, parameters, declared, out, timeout, reuse_kernels,
        version_of_data,
    )  # fmt: skip
    cache = read_cache(out)
    results: list[ReportResult] = []
    to_run: list[ReportJob] = []
    for job in planned:
        valid = set() if force else _still_valid(job, cache.get(job.name))
        missing = tuple(f for f in job.formats if f not in valid)
        if not missing:
            results.append(_cached_result(job))
        else:
            reprint = missing == ("pdf",) and "html" in valid  # its HTML has the same key
            to_run.append(replace(job, formats=missing, print_from_html=reprint))

    def on_result(job: ReportJob, result: ReportResult) -> None:
        if result.ok:
            _remember(cache, job, result)
            write_cache(out, cache)

    workers = max(1, min(jobs or os.cpu_count() or 1, len(to_run) or 1))
    results += _run_pool(to_run, workers, progress, on_result)
    by_name = {job.name: job for job in planned}
    order = {name: i for i, name in enumerate(by_name)}
    results.sort(key=lambda r: order[r.name])
    for result in results:
        if result.ok:
            job = by_name[result.name]
            result.outputs = {f: job.output(f) for f in job.formats}
    index = write_index(out, cache, [r for r in results if not r.ok], version_of_data)
    return RenderSummary(results, out, index, time.monotonic() - start)


def all_regions() -> list[str]:
    """'All' and every region: what --all-regions renders."""
    return valid_regions(election_data())


# --- Index page ---------------------------------------------------------------------------------


def write_index(
    out_dir: Path,
    cache: dict[str, dict[str, Any]],
    failures: list[ReportResult],
    version_of_data: str,
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
            "failed_while": r.failed_while,
            "executed": quote(f"{EXECUTED_DIR}/{r.executed.name}") if r.executed_note else None,
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
        data_version=version_of_data,
        package_version=__version__,
        region_label=region_label,
        css=(TEMPLATE_DIR / TEMPLATE_NAME / "static" / "report.css").read_text(encoding="utf-8"),
    )
    path = out_dir / "index.html"
    _write_atomic(path, page)
    return path
