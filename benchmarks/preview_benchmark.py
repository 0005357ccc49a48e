"""Benchmark `maslihat preview`: from saving an edit to the edited report shown in a browser.

Starts `maslihat preview NOTEBOOK --region REGION` on a copy of the notebook, opens it in headless
Chromium (Debian's, through Playwright), then EDITS times: changes one sentence of the notebook
(as a save in JupyterLab does), and measures the time until the open page shows the new sentence
with all its charts drawn as SVG. Prints each time, the median and the largest.

    .venv/bin/python benchmarks/preview_benchmark.py [--notebook 03-seat-shares] [--region Akmola]
                                                     [--edits 5] [--template]

--template measures a notebook made by `maslihat new` instead.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MASLIHAT = str(Path(sys.executable).with_name("maslihat"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip


def chromium() -> str:
    """The Debian Chromium (or $MASLIHAT_CHROMIUM)."""
    return os.environ.get("MASLIHAT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def edit(path: Path, marker: str) -> None:
    """Put a marker into the first say(...) template of the notebook, as a save would."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and 'say(\n    "' in source:
            cell["source"] = re.sub(
                r'say\(\n    "(\[[^\]]*\] )?', f'say(\n    "[{marker}] ', source, count=1
            )
            break
    else:
        raise SystemExit("no say(...) sentence to edit in the notebook")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(nb), encoding="utf-8")
    os.replace(tmp, path)  # JupyterLab saves atomically too


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebook", default="03-seat-shares")
    parser.add_argument("--region", default="Akmola")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--template", action="store_true", help="a notebook from `maslihat new`")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="maslihat-preview-bench-") as tmp:
        folder = Path(tmp)
        if args.template:
            args.notebook = "99-template"
            subprocess.run([MASLIHAT, "new", args.notebook, "--notebooks-dir", tmp], check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
        else:
            shutil.copy(ROOT / "notebooks" / f"{args.notebook}.ipynb", folder)
        path = folder / f"{args.notebook}.ipynb"
        log = folder / "preview.log"
        process = subprocess.Popen(
            [MASLIHAT, "preview", args.notebook, "--notebooks-dir", tmp, "--region", args.region,
             "--port", "0"], stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            url = None
            for _ in range(1200):
                if found := re.search(r"at (http://\S+/)", log.read_text()):
                    url = found[1]
                    break
                time.sleep(0.1)
            if url is None:
                raise SystemExit(f"preview did not start:\n{log.read_text()}")
            times = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(url)
                page.wait_for_function("document.querySelector('.maslihat-chart svg')",
                                       timeout=120_000)  # fmt: skip
                charts = page.locator(".maslihat-chart").count()
                for i in range(args.edits):
                    marker = f"edit {i + 1}"
                    time.sleep(0.5)
                    start = time.monotonic()
                    edit(path, marker)
                    page.wait_for_function(
                        """([marker, charts]) => document.body.innerText.includes(marker)
                            && document.querySelectorAll('.maslihat-chart svg').length >= charts""",
                        arg=[f"[{marker}]", charts], timeout=60_000, polling=20,
                    )  # fmt: skip
                    times.append(time.monotonic() - start)
                    print(f"edit {i + 1}: {times[-1]:.2f} s (save → page shown, {charts} charts)")
                browser.close()
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    print(
        f"{args.notebook} for {args.region}: edit-to-page median "
        f"{statistics.median(times):.2f} s, max {max(times):.2f} s over {len(times)} edits"
    )


if __name__ == "__main__":
    main()
