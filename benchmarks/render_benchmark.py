"""Benchmark the report pipeline against the shell loop a user would write with the same tools.

In one run, on one machine, for every notebook × ("All" + each region) × HTML and PDF:
  (a) `maslihat render --all-regions` into an empty folder, with an empty Vega-bundle cache (cold);
  (b) the same command again, nothing changed (served from the cache);
  (c) one report after another: `papermill -p region R`, `jupyter nbconvert --to html --no-input`,
      `chromium --headless --print-to-pdf`.
Prints wall-clock times, the ratios a/c (target <= 0.25) and b/a (target <= 0.05), and the peak
memory of (a): the largest sum of proportional set size (PSS) over the whole process tree, sampled
every 50 ms.

    .venv/bin/python benchmarks/render_benchmark.py [--loop-reports N]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loop-reports", type=int, metavar="N", help="time (c) on N reports only")
    args = parser.parse_args()

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


if __name__ == "__main__":
    main()
