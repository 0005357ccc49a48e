"""In a real browser (Playwright driving Debian's Chromium): JupyterLab runs a report notebook,
and `maslihat preview` follows an edit.

Browsers cannot be downloaded here (never `playwright install`): pytest-playwright's browser is
launched from the Chromium the set-up installs, `$MASLIHAT_CHROMIUM` or `chromium` on PATH.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from urllib.parse import urlsplit

import nbformat
import pytest
from test_lab import Lab
from test_preview import AFTER_SETUP, Served, insert_cell

from conftest import MAP_LABELS_JS, ROOT, overlapping

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


def akmola_seats() -> tuple[int, int]:
    """Nur Otan's regional seats in Akmola and all of Akmola's, from the CSV."""
    with open(ROOT / "data" / "regional_seats.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["region"] == "Akmola"]
    return sum(int(r["seats"]) for r in rows if r["party_code"] == "NO"), sum(
        int(r["seats"]) for r in rows
    )


def run_all_cells(page) -> None:
    """Run → Run All Cells, from the menu, as an analyst does."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item", has_text=re.compile(r"^Run All Cells")).click()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """No network beyond this machine: requests elsewhere go to a proxy that is not there.

    (Routing requests through Playwright instead holds up JupyterLab's large saves.)
    """
    proxy = {"server": "http://127.0.0.1:9", "bypass": "127.0.0.1,localhost"}
    return {**browser_context_args, "proxy": proxy}


def outside_requests(page) -> list[str]:
    """The list that requests leaving this machine (all of them fail) are recorded in."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url)
            if urlsplit(r.url).hostname not in ("127.0.0.1", "localhost") else None)  # fmt: skip
    return seen


def test_lab_runs_the_report_with_charts_and_prose(page, lab):
    from maslihat.display import vega_bundle

    page.set_default_timeout(60_000)
    refused = outside_requests(page)
    console: list[tuple[str, str]] = []
    page.on("console", lambda m: console.append((m.type, m.text)))
    page.on("pageerror", lambda e: console.append(("pageerror", str(e))))
    page.goto(f"http://127.0.0.1:{lab.port}/lab/tree/{NOTEBOOK}.ipynb?token={lab.token}")
    outside = "fetch('https://vega.github.io/').then(() => 'online', () => 'offline')"
    assert page.evaluate(outside) == "offline"
    refused.clear()
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    # The kernel has started and connected ("Python (maslihat) | Idle" in the status bar).
    idle = re.compile(r"Python \(maslihat\) \| Idle")
    page.locator(".jp-StatusBar-Widget", has_text=idle).wait_for()
    # Set the region in the parameters cell, as an analyst would.
    editor = page.locator(".jp-Notebook .jp-CodeCell").first.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text('region = "Akmola"\nthreshold_pct = None\nlang = "en"\n')

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
    # Drawn by the extension maslihat-charts (Altair's own MIME type), as SVG, with the reports'
    # Vega bundle: the Vega-Lite Altair's specs are made for (no warning below says otherwise).
    drawn = page.locator(
        '.jp-OutputArea-output.maslihat-lab-chart[data-mime-type="application/vnd.vegalite.v6+json"]'
    )
    charts = drawn.locator("svg.marks")
    charts.first.wait_for()
    assert any("Akmola" in (charts.nth(i).text_content() or "") for i in range(charts.count()))
    bundle = page.request.get(drawn.first.get_attribute("data-vega-bundle"))
    assert bundle.ok and bundle.text() == vega_bundle()  # the very script the reports inline
    assert page.locator(".jp-OutputArea-output .vega-embed").count() == charts.count()  # no other
    # Text content, not inner text: Lab 4 leaves cells out of view unrendered (content-visibility).
    prose = " ".join(page.locator(".jp-OutputArea .jp-RenderedMarkdown").all_text_contents())
    won, seats = akmola_seats()
    assert f"won {won} of the {seats} seats of the Akmola regional mäslihat" in prose, prose[:1000]

    # Saved and exported with the project's PDF exporter: its title block names the region set.
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^File$")).click()
    page.locator(".lm-Menu-item", has_text=re.compile(r"^Save Notebook")).first.click()
    saved_file = lab.folder / f"{NOTEBOOK}.ipynb"
    deadline = time.monotonic() + 60
    while "Akmola" not in saved_file.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    saved = nbformat.read(saved_file, as_version=4)
    assert re.search(r'^region = "Akmola"$', saved.cells[1].source, re.M), saved.cells[1].source
    specs = [
        o for c in saved.cells for o in c.get("outputs", [])
        if any(m.startswith("application/vnd.vegalite") for m in o.get("data", {}))
    ]  # fmt: skip
    assert len(specs) >= 2 and charts.count() == len(specs)  # every chart output drawn as SVG
    # No warning that a spec's Vega-Lite is newer than the renderer's; no error; nothing fetched
    # from outside (the network is blocked, and the charts are drawn all the same).
    complaints = [(kind, text) for kind, text in console
                  if kind in ("warning", "error", "pageerror")
                  and re.search(r"vega|version|maslihat", text, re.I)]  # fmt: skip
    assert not complaints, complaints
    assert not refused, refused

    # File → Save and Export Notebook As lists the reports under the exporters' own names.
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^File$")).click()
    page.locator(".lm-Menu-item", has_text=re.compile(r"^Save and Export Notebook As")).hover()
    exports = page.locator(".lm-Menu").last.locator(".lm-Menu-itemLabel")
    page.locator(".lm-Menu-itemLabel", has_text="Mäslihat report (PDF)").wait_for()
    labels = exports.all_text_contents()
    assert "Mäslihat report (HTML)" in labels and "Mäslihat report (PDF)" in labels, labels
    assert not any(label.startswith("Maslihat_") for label in labels), labels
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
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
    assert "Seat shares" in title_block and "Region: Akmola" in title_block, title_block


def test_preview_page_follows_an_edit(page, tmp_path):
    shutil.copy(ROOT / "notebooks" / f"{NOTEBOOK}.ipynb", tmp_path)
    served = Served(NOTEBOOK, "--notebooks-dir", str(tmp_path), "--region", "Akmola")
    try:
        page.set_default_timeout(120_000)
        served.page_with('class="maslihat-chart')
        page.goto(served.url)
        page.locator(".maslihat-chart svg").first.wait_for()
        charts = page.locator(".maslihat-chart").count()
        insert_cell(tmp_path / f"{NOTEBOOK}.ipynb", AFTER_SETUP, "markdown", "Seen in the browser.")
        page.get_by_text("Seen in the browser.").wait_for()  # the page reloaded by itself
        page.locator(".maslihat-chart svg").nth(charts - 1).wait_for()
    finally:
        assert served.stop() == 128 + signal.SIGTERM


# What reaches past the screen's right edge outside a box that scrolls sideways, and which chart
# texts are cut off by their drawing's edge (outside a box that scrolls, where the reader can reach
# them): a label or an axis title that ran past the screen.
CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (e) => e.closest(".maslihat-chart-view, .jp-RenderedHTML")?.scrollWidth
    > e.closest(".maslihat-chart-view, .jp-RenderedHTML")?.clientWidth + 1;
  const wide = [...document.querySelectorAll("body *")].filter((e) => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && !scrolls(e);
  }).map((e) => `${e.tagName}.${e.className}`);
  const cut = [...document.querySelectorAll(".maslihat-chart-view svg text")].filter((t) => {
    const box = t.getBoundingClientRect(), svg = t.closest("svg").getBoundingClientRect();
    return box.width > 0 && !scrolls(t) && (box.left < svg.left - 1 || box.right > svg.right + 1);
  }).map((t) => t.textContent);
  return {scroll: document.documentElement.scrollWidth, width, wide, cut};
}"""


def test_a_report_fits_a_phone_screen_with_its_charts_drawn(page, tmp_path):
    """At 390 px the simple charts take the screen's width and nothing is drawn at width 0;
    nothing reaches past the screen but in a box that scrolls, and no chart's label or axis title
    is cut off (Kazakh: long titles, "75,5" wider than "75.5"); a map's place names, placed for
    its width, do not run into each other."""
    out = tmp_path / "out"
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "maslihat"), "render", "00-briefing", "03-seat-shares",
         "--region", "Akmola", "--lang", "en", "kk", "--format", "html", "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto((out / "00-briefing--akmola.en.html").as_uri())
    page.wait_for_function("document.documentElement.dataset.charts?.startsWith('drawn')")
    figures = page.locator("figure.maslihat-chart").count()  # the briefing's charts and its map
    assert figures >= 2
    assert page.evaluate("document.documentElement.dataset.charts") == f"drawn {figures}/{figures}"
    widths = page.eval_on_selector_all(
        ".maslihat-chart-view svg.marks", "svgs => svgs.map(s => s.getBoundingClientRect().width)"
    )
    assert widths and all(300 <= width <= 390 for width in widths), widths
    for name in ("00-briefing--akmola.en", "00-briefing--akmola.kk", "03-seat-shares--akmola.kk"):
        page.goto((out / f"{name}.html").as_uri())
        page.wait_for_function("document.documentElement.dataset.charts?.startsWith('drawn')")
        found = page.evaluate(CUT_OFF)
        assert found["scroll"] == found["width"] and found["wide"] == [], (name, found)
        assert found["cut"] == [], (name, found)
        for labels in page.evaluate(MAP_LABELS_JS):  # a map keeps the places' names apart
            assert overlapping(labels) == [], (name, overlapping(labels))


def test_the_index_fits_a_phone_every_report_in_view(page, tmp_path):
    """At 390 px nothing scrolls sideways: each place is a block listing its reports by name,
    every link in view, no link split across lines."""
    from test_render import phone_index

    index = phone_index(tmp_path / "out")
    probe = """() => {
      const links = [...document.querySelectorAll(".maslihat-index a")];
      return {page: document.documentElement.scrollWidth, view: innerWidth, links: links.length,
              outside: links.filter(a => a.getBoundingClientRect().right > innerWidth).length,
              split: links.filter(a => a.getClientRects().length > 1).map(a => a.textContent),
              named: getComputedStyle(document.querySelector(".maslihat-index td"), "::before")
                .content};
    }"""
    page.set_viewport_size({"width": 390, "height": 1200})
    page.goto(index.resolve().as_uri())
    found = page.evaluate(probe)
    assert found["view"] == 390 and found["page"] <= 390, found  # no sideways scroll
    assert found["links"] >= 4 * 3 * 3 * 2 and found["outside"] == 0, found
    assert found["split"] == [] and "Report 0" in found["named"], found
