"""Worker processes: each renders reports one after another, and none outlives the render.

A worker dies with the process that started it (Linux: the kernel sends it SIGKILL; elsewhere a
watchdog thread notices), and the kernels and Chromium it starts die with it (ipykernel watches
its parent; Chromium gets the same parent-death signal). On Ctrl-C or SIGTERM the render stops its
workers, which remove their temporary files first. If a worker dies, a fresh one takes the reports
it had not finished; a report whose worker dies twice fails.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.queues import SimpleQueue

from maslihat.chromium import die_with_parent
from maslihat.data import DATA_DIR_ENV
from maslihat.render.execute import Worker, render_job
from maslihat.render.jobs import ReportJob, ReportResult, failed_result

_started: SimpleQueue | None = None  # tells the parent which reports a worker began


def _watch_parent(parent: int) -> None:
    """Exit as soon as the parent process is gone (where no parent-death signal exists)."""
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _stop(signum: int, frame: object) -> None:
    """SIGTERM in a worker: remove its temporary files, then exit at once."""
    Worker.remove_temporaries()
    os._exit(128 + signum)


def _init_worker(env: dict[str, str], started: SimpleQueue, parent: int) -> None:
    """Set up a worker process: tied to its parent, its environment (kernels inherit it)."""
    from multiprocessing.util import Finalize

    global _started
    if not die_with_parent():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    signal.signal(signal.SIGTERM, _stop)
    os.environ.update(env)
    _started = started
    Finalize(Worker, Worker.shutdown, exitpriority=10)


def _run_job(job: ReportJob) -> ReportResult:
    """Worker side of a job: say it started (should the worker die), then render it."""
    if _started is not None:
        _started.put(job.name)
    return render_job(job)


def _worker_died(job: ReportJob, deaths: int) -> ReportResult:
    """The failed result of a job whose worker process died (twice), or never got to it."""
    return failed_result(
        job,
        "its worker process died twice while rendering it (a crash, or killed: out of memory?)"
        if deaths > 1
        else "the worker processes died before they could start it",
    )


def _drain(queue: SimpleQueue, into: set[str]) -> None:
    """Move what is waiting in a queue into a set (without blocking)."""
    while not queue.empty():
        into.add(queue.get())


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop every worker of a pool now (SIGTERM, then SIGKILL) and drop the jobs not begun."""
    processes = list((pool._processes or {}).values())  # noqa: SLF001 - no public handle exists
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()
    pool.shutdown(wait=False, cancel_futures=True)


def _pool_round(
    jobs: list[ReportJob],
    workers: int,
    env: dict[str, str],
    finish: Callable[[ReportJob, ReportResult], None],
) -> tuple[list[ReportJob], set[str]]:
    """Run jobs in a fresh pool; return those left when a worker died, and the names begun."""
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    started = context.SimpleQueue()
    begun: set[str] = set()
    left: set[str] = set()
    pool = ProcessPoolExecutor(
        workers, context, initializer=_init_worker, initargs=(env, started, os.getpid())
    )
    try:
        futures = {pool.submit(_run_job, job): job for job in jobs}
        for future in as_completed(futures):
            job = futures[future]
            try:
                result = future.result()
            except BrokenProcessPool:
                left.add(job.name)  # a worker died: rerun in a fresh pool
                continue
            except Exception as err:  # noqa: BLE001 - e.g. a result that cannot be sent back
                result = failed_result(job, f"worker process failed: {type(err).__name__}: {err}")
            finish(job, result)
            _drain(started, begun)  # keeps the queue's pipe from filling up
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)
    _drain(started, begun)
    started.close()
    return [job for job in jobs if job.name in left], begun


def run_pool(
    jobs: list[ReportJob],
    workers: int,
    data_dir: str,
    progress: bool | None,
    on_result: Callable[[ReportJob, ReportResult], None],
    verbose: bool = False,
) -> list[ReportResult]:
    """Render jobs in worker processes with a progress bar; on_result sees each as it finishes.
    `verbose`: one line per report instead of the bar, with the time of each of its stages.

    When a worker dies, a fresh pool takes the reports that did not finish. Those that were running
    are retried once, in a one-worker pool so that a second death names its report, which fails.
    """
    from tqdm import tqdm

    if not jobs:
        return []
    results: list[ReportResult] = []
    pending = {job.name: job for job in jobs}
    deaths: Counter[str] = Counter()  # times a report was running when its worker died
    # A bar on a terminal; in a log (no terminal), one line per finished report instead.
    lines = verbose or (progress is not False and not sys.stderr.isatty())
    bar = tqdm(
        total=len(jobs), desc="Rendering", unit="report", disable=progress is False or lines
    )
    env = {DATA_DIR_ENV: data_dir}

    def finish(job: ReportJob, result: ReportResult) -> None:
        del pending[job.name]
        results.append(result)
        on_result(job, result)
        bar.set_postfix_str(job.name, refresh=False)
        bar.update()
        if lines:
            took = result.timing() if verbose else f"{result.seconds:.1f} s"
            print(f"[{len(results)}/{len(jobs)}] {job.name}: {result.status} ({took})",
                  file=sys.stderr, flush=True)  # fmt: skip

    # The workers are forked from this process and share its memory until either writes to a page:
    # what it holds now is frozen out of the garbage collector's walks, which would write to (and
    # so copy into every worker) each page of objects they visit: 50 MB less for two workers.
    gc.collect()
    gc.freeze()
    try:
        while pending:
            retries = [job for job in pending.values() if deaths[job.name]]
            batch = retries or list(pending.values())
            left, begun = _pool_round(batch, 1 if retries else workers, env, finish)
            for job in left:
                deaths[job.name] += job.name in begun
                if deaths[job.name] > 1 or not begun:
                    finish(job, _worker_died(job, deaths[job.name]))
    finally:
        gc.unfreeze()
        bar.close()
    return results
