"""Benchmark the report pipeline against the shell loop a user would write with the same tools.

In one run, on one machine, for every notebook × ("All" + each region) × HTML and PDF:
  (a) `maslihat render --all-regions` into an empty folder, with an empty Vega-bundle cache (cold);
  (b) the same command again, nothing changed (served from the cache);
  (c) one report after another: `papermill -p region R`, `jupyter nbconvert --to html --no-input`,
      `chromium --headless --print-to-pdf`.
Prints wall-clock times, the ratios a/c (target <= 0.25) and b/a (target <= 0.05), and the peak
memory of (a): the largest sum of proportional set size (PSS) over the whole process tree, sampled
every 50 ms. Then, for one report (`03-seat-shares`, Almaty Region, HTML and PDF), repeated as
hyperfine would, with median, fastest and slowest:
  (d) `maslihat render` into an empty folder (cold: new kernel, new Chromium; Vega bundle cached);
  (e) the same again with nothing to do (target <= 0.3 s).
And what the languages cost: (f) `00-briefing` for every place in English, then in English,
Kazakh and Russian (`--lang en kk ru`), each cold.

    .venv/bin/python benchmarks/render_benchmark.py [--loop-reports N] [--single-only]
                                                    [--languages-only]

--loop-reports N times (c) on the first N reports only and scales it to the full set (marked as
an estimate); the default runs them all (several minutes).
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def peak_tree_memory(proc: subprocess.Popen, samples: list[int], stop: threading.Event) -> None:
    """Record the memory of a process and all its descendants until `stop`.

    Proportional set size (PSS): a page shared by n processes counts 1/n to each, so the sum over
    the tree (kernels, forked workers, Chromium's processes) is what the run really occupies;
    summed RSS would count every shared library once per process.
    """
    root = psutil.Process(proc.pid)
    while not stop.is_set():
        total = 0
        try:
            for p in [root, *root.children(recursive=True)]:
                try:
                    total += p.memory_full_info().pss
                except psutil.Error:
                    pass
        except psutil.Error:
            break
        samples.append(total)
        stop.wait(0.05)


def timed(
    command: list[str], env: dict[str, str], measure_memory: bool = False
) -> tuple[float, int]:
    """Run a command; return its wall-clock seconds and (if asked) the process tree's peak RSS."""
    samples: list[int] = []
    stop = threading.Event()
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    watcher = threading.Thread(target=peak_tree_memory, args=(proc, samples, stop), daemon=True)
    if measure_memory:
        watcher.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    stop.set()
    if proc.returncode != 0:
        sys.exit(f"benchmark: {shlex.join(command)} failed ({proc.returncode}):\n{err.decode()}")
    return seconds, max(samples, default=0)


def shell_loop(regions: list[str], out: Path, chromium: str, limit: int | None) -> str:
    """The loop a user would write: papermill, nbconvert, chromium, one report at a time."""
    lines = ["set -euo pipefail", f"cd {shlex.quote(str(out))}"]
    flags = (
        "--headless --no-sandbox --disable-gpu --disable-background-networking "
        "--disable-component-update --disable-sync --no-first-run"
    )
    jobs = [(nb, region) for nb in NOTEBOOKS for region in regions][:limit]
    for nb, region in jobs:
        stem = f"{nb.stem}--{region.replace(' ', '_')}"
        lines += [
            f"{BIN}/papermill -k python3 --no-progress-bar {shlex.quote(str(nb))} "
            f"{shlex.quote(stem)}.ipynb -p region {shlex.quote(region)} 2>/dev/null",
            f"{BIN}/jupyter nbconvert --to html --no-input {shlex.quote(stem)}.ipynb 2>/dev/null",
            f"{chromium} {flags} --user-data-dir=$(mktemp -d) "
            f"--print-to-pdf={shlex.quote(stem)}.pdf {shlex.quote(stem)}.html 2>/dev/null",
        ]
    return "\n".join(lines) + "\n"


SINGLE = ["03-seat-shares", "--region", "Almaty Region"]


def spread(times: list[float]) -> str:
    """Median (fastest – slowest) of repeated runs."""
    ordered = sorted(times)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return f"{median:6.2f} s  ({ordered[0]:.2f} – {ordered[-1]:.2f} s, {len(times)} runs)"


def single_report(tmp_path: Path, env: dict[str, str], cold_runs: int, noop_runs: int) -> None:
    """(d) one report, cold, and (e) the same with nothing to do, each run several times."""
    import shutil

    out = tmp_path / "single"
    render = [str(BIN / "maslihat"), "render", *SINGLE, "--out", str(out)]
    cold = []
    for _ in range(cold_runs):
        shutil.rmtree(out, ignore_errors=True)
        cold.append(timed(render, env)[0])
    print(f"(d) one report, cold:            {spread(cold)}")
    timed(render, env)  # warm the file cache
    noop = [timed(render, env)[0] for _ in range(noop_runs)]
    print(f"(e) one report, nothing to do:   {spread(noop)}   (target <= 0.3 s)")


def languages_cost(tmp_path: Path, env: dict[str, str]) -> None:
    """(f) one notebook for every place, HTML and PDF, in one language and in three."""
    seconds = {}
    for languages in (["en"], ["en", "kk", "ru"]):
        out = tmp_path / f"languages-{'-'.join(languages)}"
        command = [str(BIN / "maslihat"), "render", "00-briefing", "--all-regions", "--lang",
                   *languages, "--out", str(out)]  # fmt: skip
        seconds[len(languages)] = timed(command, env)[0]
        print(f"(f) 00-briefing, every place, --lang {' '.join(languages):9} "
              f"{seconds[len(languages)]:7.1f} s")  # fmt: skip
    print(f"    three languages / one = {seconds[3] / seconds[1]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loop-reports", type=int, metavar="N", help="time (c) on N reports only")
    parser.add_argument("--single-only", action="store_true", help="time (d) and (e) only")
    parser.add_argument("--languages-only", action="store_true", help="time (f) only")
    parser.add_argument("--cold-runs", type=int, default=5, metavar="N", help="runs of (d)")
    parser.add_argument("--noop-runs", type=int, default=20, metavar="N", help="runs of (e)")
    args = parser.parse_args()
    if args.languages_only:
        with tempfile.TemporaryDirectory(prefix="maslihat-bench-") as tmp:
            languages_cost(Path(tmp), dict(os.environ))
        return
    if args.single_only:
        with tempfile.TemporaryDirectory(prefix="maslihat-bench-") as tmp:
            single_report(Path(tmp), dict(os.environ), args.cold_runs, args.noop_runs)
        return

    from maslihat.render import all_regions, find_chromium

    regions = all_regions()
    chromium = find_chromium()
    reports = len(NOTEBOOKS) * len(regions)
    with tempfile.TemporaryDirectory(prefix="maslihat-bench-") as tmp:
        tmp_path = Path(tmp)
        env = {**os.environ, "MASLIHAT_CACHE_DIR": str(tmp_path / "vega-cache")}
        render = [str(BIN / "maslihat"), "render", "--all-regions", "--out", str(tmp_path / "a")]

        print(f"{reports} reports ({len(NOTEBOOKS)} notebooks × {len(regions)} regions), "
              f"HTML and PDF, {os.cpu_count()} cores")  # fmt: skip
        a, peak = timed(render, env, measure_memory=True)
        print(f"(a) maslihat render, cold:       {a:7.1f} s   PSS peak {peak / 2**20:,.0f} MiB")
        b, _ = timed(render, env)
        print(f"(b) maslihat render, unchanged:  {b:7.1f} s")

        loop_dir = tmp_path / "c"
        loop_dir.mkdir()
        limit = args.loop_reports if args.loop_reports and args.loop_reports < reports else None
        script = tmp_path / "loop.sh"
        script.write_text(shell_loop(regions, loop_dir, chromium, limit))
        c, _ = timed(["bash", str(script)], env)
        if limit:
            measured = c
            c = measured * reports / limit
            print(f"(c) shell loop, {limit} reports:     {measured:7.1f} s   "
                  f"→ estimated {c:.1f} s for {reports}")  # fmt: skip
        else:
            print(f"(c) shell loop:                  {c:7.1f} s")
        print(f"a/c = {a / c:.3f} (target <= 0.25)   b/a = {b / a:.3f} (target <= 0.05)")
        # The Vega bundle is in the cache (a) filled: as after any first render.
        single_report(tmp_path, env, args.cold_runs, args.noop_runs)
        languages_cost(tmp_path, env)


if __name__ == "__main__":
    main()
