"""One report in a worker process: run the notebook (papermill), export the HTML, check, print.

Every file is written under a temporary name and moved into place only when all formats of the
report are complete, so a failed report leaves its earlier files as they were.
"""

from __future__ import annotations

import math
import os
import re
import time
from pathlib import Path

import nbformat

from maslihat.chromium import BrowserError, Chromium, ChromiumNotFoundError, PageError
from maslihat.exporters import ReportHTMLExporter
from maslihat.kernels import KERNEL_NAME, WARM_ENGINE, KernelPool, register_warm_engine
from maslihat.render.cache import fingerprint
from maslihat.render.drawings import drawings_path, write_drawings
from maslihat.render.files import remove_path, replace_folder, temporary_path
from maslihat.render.jobs import ReportJob, ReportResult, Stage


class Worker:
    """What a worker process keeps between reports: a kernel, a Chromium, an exporter."""

    kernels: KernelPool | None = None
    chromium: Chromium | None = None
    exporter: ReportHTMLExporter | None = None
    temporary: set[Path] = set()  # files to remove should the worker be stopped

    @classmethod
    def browser(cls, timeout: float) -> Chromium:
        if cls.chromium is None:
            cls.chromium = Chromium(timeout=timeout, keep_drawings=True)
            cls.chromium.start()
        return cls.chromium

    @classmethod
    def drop_browser(cls) -> None:
        if cls.chromium is not None:
            cls.chromium.close()
            cls.chromium = None

    @classmethod
    def remove_temporaries(cls) -> None:
        for path in list(cls.temporary):
            remove_path(path)
        cls.temporary.clear()

    @classmethod
    def shutdown(cls) -> None:
        """Stop the kept kernel and browser (at worker exit, or after a run in this process)."""
        if cls.kernels is not None:
            cls.kernels.discard()
            cls.kernels = None
        cls.drop_browser()


def execute_notebook(job: ReportJob) -> nbformat.NotebookNode:
    """Run the notebook with papermill (on the worker's kept kernel unless the job says not),
    keeping the executed copy for debugging; raises what papermill and nbclient raise."""
    import papermill

    job.executed.parent.mkdir(parents=True, exist_ok=True)
    job.executed.unlink(missing_ok=True)  # an executed notebook left from an earlier run misleads
    common = dict(
        parameters=job.parameters,
        kernel_name=KERNEL_NAME,
        progress_bar=False,
        cwd=str(job.path.parent),
        execution_timeout=math.ceil(job.timeout),  # nbclient takes whole seconds
        start_timeout=120,
    )
    if not job.reuse_kernel:
        return papermill.execute_notebook(str(job.path), str(job.executed), **common)
    register_warm_engine()
    if Worker.kernels is None:
        Worker.kernels = KernelPool()
    return papermill.execute_notebook(
        str(job.path), str(job.executed), engine_name=WARM_ENGINE, kernel_pool=Worker.kernels,
        request_save_on_cell_execute=False, executed=str(job.executed), **common,
    )  # fmt: skip


def export_html(nb: nbformat.NotebookNode, job: ReportJob) -> tuple[str, dict[str, str]]:
    """The HTML report of an executed notebook, and its data files (relative path → CSV), with
    the worker's kept exporter."""
    if Worker.exporter is None:
        Worker.exporter = ReportHTMLExporter(foreign_notebooks="report")
    exporter = Worker.exporter
    exporter.data_version = job.data_version
    exporter.generated_at = job.generated_at
    resources = {"metadata": {"name": job.name, "path": str(job.path.parent)}}
    page, resources = exporter.from_notebook_node(nb, resources)
    return page, resources["maslihat"].get("data_files", {})


class LanguageNotUsed(Exception):
    """A notebook with a `lang` parameter ran in another language than the one asked for."""


def check_language(nb: nbformat.NotebookNode, job: ReportJob) -> None:
    """Raise LanguageNotUsed unless a notebook given `lang` wrote its report in that language:
    a `lang` parameter alone (without `use_language`) would make an English report named `.ru`."""
    from maslihat.exporters import run_context

    if "lang" not in job.parameters:
        return
    ran = (run_context(nb) or {}).get("lang")
    code = "\n".join(str(c.get("source", "")) for c in nb.cells if c.get("cell_type") == "code")
    if ran is None and job.lang != "en" and not re.search(r"\b(use_language|use|language)\(",
                                                          code):  # fmt: skip
        ran = "en"  # nothing recorded, and nothing that would change the language
    if ran is not None and ran != job.lang:
        raise LanguageNotUsed(
            f"the notebook was given lang={job.lang!r} but wrote its report in {ran!r}: call "
            "`lang = use_language(lang)` (maslihat.params) first in its set-up cell, before "
            "report_context and anything that writes text"
        )


class ReportFailure(Exception):
    """A report could not be made: `stage` is where it stopped, the message says why."""

    def __init__(self, stage: Stage, message: str):
        super().__init__(message)
        self.stage = stage


def drop_kernel_after(err: BaseException) -> None:
    """Discard the worker's kept kernel after a failure that may have left it unusable (a
    timeout, a dead kernel, ...); a notebook that raised leaves a kernel fit for the next."""
    from papermill.exceptions import PapermillExecutionError

    if not isinstance(err, PapermillExecutionError | BrowserError) and Worker.kernels:
        Worker.kernels.discard()


def make_html(job: ReportJob) -> tuple[str, dict[str, str]]:
    """Run a job's notebook on the worker's kept kernel and export its HTML report: the page and
    its data files (relative path → CSV text). Nothing is written but the executed notebook.

    Raises ReportFailure naming the stage ("execute" or "export") and the reason; the kept kernel
    is discarded when it may be unusable. `maslihat preview` shows its pages this way.
    """
    stage: Stage = "execute"
    try:
        nb = execute_notebook(job)
        check_language(nb, job)
        stage = "export"
        return export_html(nb, job)
    except Exception as err:  # noqa: BLE001 - every failure is reported the same way
        drop_kernel_after(err)
        raise ReportFailure(stage, failure_message(err, job)) from err


def _write_data(files: dict[str, str], job: ReportJob) -> tuple[Path, dict[str, dict]]:
    """Write a report's data files into a temporary folder; return it and their fingerprints."""
    folder = temporary_path(job.data_dir)
    Worker.temporary.add(folder)
    folder.mkdir()
    made = {}
    for relative, text in files.items():
        name = Path(relative).name  # '<report>.data/01-x.csv' → '01-x.csv'
        (folder / name).write_text(text, encoding="utf-8")
        made[f"{job.data_dir.name}/{name}"] = fingerprint(folder / name)
    return folder, made


def failure_message(err: BaseException, job: ReportJob) -> str:
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
    if isinstance(err, BrowserError | LanguageNotUsed):
        return str(err)
    if isinstance(err, OSError) and err.strerror:
        return f"{err.strerror}: {err.filename or ''}".rstrip(": ")
    return f"{type(err).__name__}: {err}"


def _with_browser(action, timeout: float) -> None:
    """Use the worker's Chromium, restarting it once if it broke (not if the page did)."""
    try:
        action(Worker.browser(timeout))
    except PageError:
        raise
    except BrowserError:
        Worker.drop_browser()
        action(Worker.browser(timeout))


def _page_times() -> dict[str, float]:
    """How long the worker's Chromium took on the last page: charts drawn, PDF printed."""
    return dict(Worker.chromium.timings) if Worker.chromium is not None else {}


def _page_drawings() -> list[str | None]:
    """The charts of the last page the worker's Chromium opened, as it drew them."""
    return list(Worker.chromium.drawings) if Worker.chromium is not None else []


def _keep_drawings(html: Path, html_sha256: str, drawings: list[str | None]) -> None:
    """Keep the charts drawn for a report's HTML page, which its book sets in its own page (or
    drop those of an earlier version of the page). Failing to is no failure of the report: the
    book then draws the charts itself."""
    try:
        if any(drawings):
            write_drawings(html, html_sha256, drawings)
        else:
            drawings_path(html).unlink(missing_ok=True)
    except OSError:
        pass


def _check_charts(source: Path, timeout: float) -> None:
    """Raise PageError unless Chromium draws every chart of an HTML report (if installed)."""
    try:
        _with_browser(lambda browser: browser.check_page(source), timeout)
    except ChromiumNotFoundError:
        pass  # HTML reports work without Chromium; their charts are then not checked


def _boot_browser(timeout: float) -> None:
    """Have the worker's Chromium (which prints the PDF, or checks the charts) start now: it
    boots in its own process while the kernel runs the notebook, instead of after it."""
    try:
        Worker.browser(timeout)
    except (BrowserError, OSError):
        Worker.drop_browser()  # the print or the check starts another, and says what failed
    except ChromiumNotFoundError:
        pass  # HTML reports work without Chromium; a PDF then fails, saying so, when printed


def _cells_seconds(nb: nbformat.NotebookNode) -> float:
    """How long the notebook's cells ran, as papermill timed each."""
    return sum(
        float(cell.get("metadata", {}).get("papermill", {}).get("duration") or 0)
        for cell in nb.cells
    )


def _has_charts(page: str) -> bool:
    return 'class="maslihat-chart ' in page or 'class="maslihat-chart"' in page


def render_job(job: ReportJob) -> ReportResult:
    """Make one report; never raises for a broken notebook, returns a failed result instead."""
    start = time.monotonic()
    result = ReportResult(job.name, job.notebook, job.region, job.title, "rendered", lang=job.lang)
    stage: Stage = "print"
    drawn: list[str | None] = []  # the charts as Chromium drew them, for the book
    if not job.print_from_html:
        _boot_browser(job.timeout)
    try:
        if job.print_from_html:
            source = job.output("html")
        else:
            stage, result.executed = "execute", job.executed
            clock = time.monotonic()
            nb = execute_notebook(job)
            ran, cells = time.monotonic() - clock, _cells_seconds(nb)
            result.stages.update(kernel=max(ran - cells, 0.0), notebook=cells)
            check_language(nb, job)
            stage, clock = "export", time.monotonic()
            page, data = export_html(nb, job)
            result.stages["export"] = time.monotonic() - clock
            source = temporary_path(job.output("html"))  # kept only if HTML was asked for
            Worker.temporary.add(source)
            source.write_text(page, encoding="utf-8")
            if "html" in job.formats:
                data_folder, data_files = _write_data(data, job)
            if "html" in job.formats and "pdf" not in job.formats and _has_charts(page):
                stage = "check"  # printing checks the charts when a PDF is made
                _check_charts(source, job.timeout)
                result.stages.update(_page_times())
                drawn = _page_drawings()
        made: dict[str, Path] = {}
        if "html" in job.formats:
            made["html"] = source
        if "pdf" in job.formats:
            stage = "print"
            made["pdf"] = temporary_path(job.output("pdf"))
            Worker.temporary.add(made["pdf"])
            _with_browser(lambda b: b.print_pdf(source, made["pdf"]), job.timeout)
            result.stages.update(_page_times())
            drawn = _page_drawings()
        files = {fmt: fingerprint(path) for fmt, path in made.items()}
        # Only now, with every format complete, do the new files replace the old ones.
        if "html" in made:  # the data beside the HTML first: the HTML links it
            if data_files:
                replace_folder(data_folder, job.data_dir)
            else:
                remove_path(job.data_dir)  # data of an earlier version of the report
            files["html"]["data"] = data_files
        for fmt, path in made.items():
            os.replace(path, job.output(fmt))
            result.outputs[fmt] = job.output(fmt)
            result.files[fmt] = files[fmt]
        if "html" in made or job.print_from_html:
            page = files["html"] if "html" in made else fingerprint(source)
            _keep_drawings(job.output("html"), page["sha256"], drawn)
    except Exception as err:  # noqa: BLE001 - one broken report must not stop the others
        drop_kernel_after(err)  # a timed-out or dead kernel must not run the next report
        result.status, result.stage, result.error = "failed", stage, failure_message(err, job)
    finally:
        Worker.remove_temporaries()
        result.seconds = time.monotonic() - start
    return result
