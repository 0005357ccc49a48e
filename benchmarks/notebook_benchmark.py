"""Time each report notebook under plain papermill, as an analyst or a CI job would run it.

Every notebook runs in a new kernel (start-up and imports included) for each region given, one
after another; prints seconds per notebook and region.

    .venv/bin/python benchmarks/notebook_benchmark.py [--region NAME ...]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import papermill

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--region", action="append", metavar="NAME", help="region (default: All, Almaty, Turkistan)"
    )
    regions = parser.parse_args().region or ["All", "Almaty Region", "Turkistan"]
    print(f"{'notebook':<20}" + "".join(f"{r:>12}" for r in regions))
    with tempfile.TemporaryDirectory(prefix="maslihat-nb-bench-") as tmp:
        for notebook in NOTEBOOKS:
            times = []
            for region in regions:
                start = time.perf_counter()
                papermill.execute_notebook(
                    str(notebook),
                    str(Path(tmp) / f"{notebook.stem}--{region}.ipynb"),
                    parameters={"region": region},
                    kernel_name="python3",
                    progress_bar=False,
                    cwd=str(notebook.parent),
                )
                times.append(time.perf_counter() - start)
            print(f"{notebook.stem:<20}" + "".join(f"{t:>10.1f} s" for t in times))


if __name__ == "__main__":
    main()
