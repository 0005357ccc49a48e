"""axe-core finds no serious or critical WCAG 2.2 AA violation in a report, a book or the index.

axe-core is the copy bundled by the PyPI package `axe-playwright-python` (a dev dependency); the
pages are opened in Debian's Chromium through Playwright, nothing downloaded.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from maslihat import render

pytestmark = pytest.mark.slow
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SERIOUS = {"serious", "critical"}


def axe_script() -> str:
    axe = pytest.importorskip("axe_playwright_python")
    return (Path(axe.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The turnout report for the whole country and one region, in English and Russian, with
    the election books and the index."""
    os.environ.pop(render.DATA_DIR_ENV, None)
    out = tmp_path_factory.mktemp("a11y")
    summary = render.render_reports(["01-turnout"], ["All", "Akmola"], formats=["html"],
                                    out_dir=out, languages=["en", "ru"], book=True,
                                    progress=False)  # fmt: skip
    assert summary.ok, summary.describe()
    return out


def violations(path: Path, width: int = 1200) -> list[str]:
    """axe's serious and critical WCAG 2.2 AA violations of a page, as 'rule: element' lines."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("MASLIHAT_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        pytest.skip("no Chromium installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(path.resolve().as_uri())
        page.wait_for_function("document.documentElement.dataset.charts"
                               " || !document.querySelector('figure.maslihat-chart')")  # fmt: skip
        page.add_script_tag(content=axe_script())
        result = page.evaluate(
            "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA
        )
        browser.close()
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:200]}"
        for v in result["violations"] if v.get("impact") in SERIOUS
        for node in v["nodes"][:3]
    ]  # fmt: skip


@pytest.mark.parametrize("name", ["01-turnout--all.en.html", "01-turnout--akmola.ru.html",
                                  "book.en.html", "book.ru.html", "index.html",
                                  "index.ru.html"])  # fmt: skip
def test_no_serious_wcag_violation(rendered, name):
    assert violations(rendered / name) == []


def test_no_serious_wcag_violation_on_a_phone(rendered):
    assert violations(rendered / "index.html", width=390) == []
    assert violations(rendered / "01-turnout--all.en.html", width=390) == []


def test_a_books_cover_is_in_the_books_language_its_date_too(rendered):
    """A date in English on a Russian cover is a part in another language than the page's."""
    page = (rendered / "book.ru.html").read_text(encoding="utf-8")
    cover = " ".join(re.sub(r"<[^>]+>", " ", page[page.find("<body"):]).split())[:600]
    assert re.search(r"Создан \d{1,2} [а-я]+ \d{4} года", cover), cover
