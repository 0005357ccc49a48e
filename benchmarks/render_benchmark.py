"""Time the reports, before and after: this checkout against an earlier commit, side by side.

The earlier commit (`--baseline`, default b494694) is taken from git into a temporary folder and
runs with this checkout's virtual environment, so the two differ only in the package, the
notebooks and the data. Each measurement runs A and B alternately on the same machine:

  full set     `maslihat render --all-regions --lang en kk ru --book` (what `make report` makes),
               empty output folder; wall time, the CPU time of all its processes and the peak
               memory of the whole process tree (proportional set size, PSS: a page shared by n
               processes counts 1/n to each)
  languages    `00-briefing --all-regions`, HTML and PDF, in `--lang en`, then `--lang en kk ru`
  one report   `03-seat-shares --region "Almaty Region"`, empty output folder (cold)
  nothing      the same again with nothing to do

and prints one table: before, after, after/before, the target. The Vega bundle (vl-convert) is
built once beforehand into a shared cache, as after any first render. The load average of the
machine is printed at the start and the end: other work on its cores slows both, by as much as
it happens to be running during each, so wall times are comparable only on a quiet machine; the
CPU time varies much less with load.

    .venv/bin/python benchmarks/render_benchmark.py [--baseline REF] [--rounds N]
                                                    [--only full languages single nothing]
"""

from __future__ import annotations

import argparse
import os
import resource
import shlex
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from io import BytesIO
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BASELINE = "b494694"
FULL = ["--all-regions", "--lang", "en", "kk", "ru", "--book"]
SINGLE = ["03-seat-shares", "--region", "Almaty Region"]
MEASURES = ("full", "languages", "single", "nothing")


SAMPLE = 0.5  # seconds between two samples of the memory (reading every process's smaps costs)


def peak_tree_memory(proc: subprocess.Popen, samples: list[int], stop: threading.Event) -> None:
    """Record the PSS summed over a process and all its descendants (kernels, forked workers,
    Chromium's processes) every SAMPLE seconds until `stop`."""
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
        stop.wait(SAMPLE)


class Tree:
    """One version of the project: its folder (package, notebooks, data) and how to run it."""

    def __init__(self, name: str, folder: Path, cache: Path):
        self.name = name
        self.folder = folder
        self.env = {**os.environ, "PYTHONPATH": str(folder / "src"),
                    "MASLIHAT_CACHE_DIR": str(cache)}  # fmt: skip
        self.env.pop("MASLIHAT_DATA_DIR", None)
        self.cpu: list[float] = []  # CPU seconds of each render, for the measure being taken

    def render(self, args: list[str], out: Path, memory: bool = False) -> tuple[float, int]:
        """Run `maslihat render ARGS --out OUT`; its wall-clock seconds and peak tree PSS. The
        CPU time of its process tree (all its processes, waited for) goes into `self.cpu`."""
        command = [PYTHON, "-m", "maslihat.cli", "render", *args, "--out", str(out)]
        samples: list[int] = []
        stop = threading.Event()
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(command, env=self.env, cwd=self.folder, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)  # fmt: skip
        watcher = threading.Thread(target=peak_tree_memory, args=(proc, samples, stop), daemon=True)
        if memory:
            watcher.start()
        _, err = proc.communicate()
        seconds = time.perf_counter() - start
        stop.set()
        now = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu.append(now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime)
        if proc.returncode != 0:
            sys.exit(f"benchmark: {self.name}: {shlex.join(command)} failed ({proc.returncode}):\n"
                     f"{err.decode()[-3000:]}")  # fmt: skip
        return seconds, max(samples, default=0)


def extract(ref: str, into: Path) -> Path:
    """The files of a commit (git archive) in a folder."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True,
                             capture_output=True).stdout  # fmt: skip
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float], unit: str = "s") -> str:
    """Median, and the range when measured more than once."""
    text = f"{median(values):.2f} {unit}"
    return text + (f" ({min(values):.2f}–{max(values):.2f})" if len(values) > 1 else "")


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, metavar="REF",
                        help=f"the commit to compare with (default {BASELINE})")
    parser.add_argument("--rounds", type=int, default=1, metavar="N",
                        help="A/B rounds of the full set and the languages (default 1)")
    parser.add_argument("--single-runs", type=int, default=5, metavar="N",
                        help="A/B rounds of one report cold (default 5)")
    parser.add_argument("--nothing-runs", type=int, default=10, metavar="N",
                        help="A/B rounds of nothing to do (default 10)")
    parser.add_argument("--only", nargs="+", choices=MEASURES, default=list(MEASURES))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="maslihat-bench-") as tmp:
        tmp_path = Path(tmp)
        cache = tmp_path / "vega-cache"
        base = extract(args.baseline, tmp_path / "before")
        before = Tree(f"before ({args.baseline})", base, cache)
        after = Tree("after (this checkout)", ROOT, cache)
        trees = (before, after)
        print(f"{os.cpu_count()} cores; load average at the start {load()}", flush=True)
        subprocess.run([PYTHON, "-c", "from maslihat.display import vega_bundle; vega_bundle()"],
                       env=after.env, check=True)  # fmt: skip
        rows: list[tuple[str, str, str, str, str]] = []
        runs = 0

        def out() -> Path:
            nonlocal runs
            runs += 1
            return tmp_path / f"out-{runs}"

        def alternate(rounds: int, measure) -> dict[Tree, list]:
            found: dict[Tree, list] = {tree: [] for tree in trees}
            for i in range(rounds):
                for tree in trees if i % 2 == 0 else trees[::-1]:
                    found[tree].append(measure(tree))
            return found

        if "full" in args.only:
            for tree in trees:
                tree.cpu.clear()
            full = alternate(args.rounds, lambda tree: tree.render(FULL, out(), memory=True))
            seconds = {t: [s for s, _ in v] for t, v in full.items()}
            peak = {t: [m / 2**20 for _, m in v] for t, v in full.items()}
            rows.append(("full set (make report)", spread(seconds[before]),
                         spread(seconds[after]),
                         f"{median(seconds[after]) / median(seconds[before]):.2f}", "≤ 0.35"))
            rows.append(("  CPU time, all its processes", spread(before.cpu), spread(after.cpu),
                         f"{median(after.cpu) / median(before.cpu):.2f}", ""))  # fmt: skip
            rows.append(("  peak memory, PSS of the tree", spread(peak[before], "MiB"),
                         spread(peak[after], "MiB"),
                         f"{median(peak[after]) / median(peak[before]):.2f}", "≤ 1"))  # fmt: skip
            print(f"full set done; load average {load()}", flush=True)
        if "languages" in args.only:
            briefing = ["00-briefing", "--all-regions", "--lang"]
            one = alternate(args.rounds, lambda tree: tree.render([*briefing, "en"], out())[0])
            three = alternate(args.rounds,
                              lambda tree: tree.render([*briefing, "en", "kk", "ru"], out())[0])
            ratio = {t: median(three[t]) / median(one[t]) for t in trees}
            rows.append(("00-briefing, 18 places, en", spread(one[before]), spread(one[after]),
                         f"{median(one[after]) / median(one[before]):.2f}", ""))
            rows.append(("00-briefing, 18 places, en kk ru", spread(three[before]),
                         spread(three[after]),
                         f"{median(three[after]) / median(three[before]):.2f}", ""))
            rows.append(("  three languages / one", f"{ratio[before]:.2f}", f"{ratio[after]:.2f}",
                         "", "≤ 1.6 (after)"))  # fmt: skip
            print(f"languages done; load average {load()}", flush=True)
        if "single" in args.only:
            single = alternate(args.single_runs, lambda tree: tree.render(SINGLE, out())[0])
            rows.append(("one report, cold", spread(single[before]), spread(single[after]),
                         f"{median(single[after]) / median(single[before]):.2f}", "≤ 0.75"))
        if "nothing" in args.only:
            folders = {tree: out() for tree in trees}
            for tree in trees:
                tree.render(SINGLE, folders[tree])
            nothing = alternate(args.nothing_runs,
                                lambda tree: tree.render(SINGLE, folders[tree])[0])
            rows.append(("one report, nothing to do", spread(nothing[before]),
                         spread(nothing[after]), "", "≤ 0.3 s"))  # fmt: skip
        print(f"load average at the end {load()}\n")
        header = ("run", before.name, after.name, "after/before", "target")
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
        for row in [header, tuple("-" * w for w in widths), *rows]:
            print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


if __name__ == "__main__":
    main()
