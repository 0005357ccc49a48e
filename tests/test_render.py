"""Rendering reports: offline HTML, printed PDF, the cache, failures, and the command line.

The fixture notebooks (tests/fixtures/notebooks) read `fixture_values.csv` from the data folder;
expected figures are computed here from the rows this module writes, not by the code under test.
Tests marked slow execute notebooks in kernels and drive headless Chromium.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from conftest import ROOT, markdown_outputs
from maslihat import chromium, exporters, render
from maslihat.cli import main
from maslihat.display import (
    LAB_MIMETYPE,
    VEGALITE_MIMETYPE,
    enable_report_charts,
    report_renderer,
    script_json,
)
from maslihat.render import cache as render_cache
from maslihat.render import pool as render_pool

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
PAYLOAD = "<script>alert(1)</script>"
ROWS = [("Alpha", 1200), (PAYLOAD, 4321), ("Gamma", 800)]
REGIONS = ["All", "East Kazakhstan"]


# --- helpers ------------------------------------------------------------------------------------


class PageScan(HTMLParser):
    """Collects what a page would load, its scripts and its chart figures."""

    LOADING = {"src", "href", "srcset", "poster", "data", "action", "formaction", "background"}

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str, str]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.styles: list[str] = []
        self.svgs_per_chart: list[int] = []
        self._stack: list[str] = []
        self._in_style = False
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name in self.LOADING and value is not None:
                self.loads.append((tag, name, value))
        classes = (values.get("class") or "").split()
        if tag == "figure" and "maslihat-chart" in classes:
            self.svgs_per_chart.append(0)
            self._stack.append("chart")
        elif tag == "svg" and "chart" in self._stack and "svg" not in self._stack:
            self.svgs_per_chart[-1] += 1
            self._stack.append("svg")
        elif tag not in {"br", "img", "meta", "link", "input", "hr", "col", "path", "rect"}:
            self._stack.append(tag)
        self._in_style = tag == "style"
        self._in_script = tag == "script"
        if tag == "script":
            self.scripts.append({"type": values.get("type"), "text": ""})

    def handle_endtag(self, tag):
        want = "chart" if tag == "figure" and "chart" in self._stack else tag
        if want in self._stack:
            while self._stack and self._stack.pop() != want:
                pass
        self._in_style = self._in_script = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)
        if self._in_script and self.scripts:
            self.scripts[-1]["text"] += data


def scan(page: str) -> PageScan:
    parser = PageScan()
    parser.feed(page)
    return parser


def is_local(value: str) -> bool:
    """An in-page anchor, a data: URI, or a relative link (a sibling report)."""
    value = value.strip()
    parts = urlsplit(value)
    if value.startswith("#") or parts.scheme == "data":
        return True
    return not parts.scheme and not parts.netloc and not value.startswith("/")


def external_loads(page: str) -> list[tuple[str, str, str]]:
    """Every src/href-like attribute and CSS url() that points outside the page and its folder."""
    found = scan(page)
    loads = [load for load in found.loads if not is_local(load[2])]
    for css in found.styles:
        for url in re.findall(r"url\(\s*['\"]?([^)'\"]+)", css):
            if not is_local(url):
                loads.append(("style", "url", url))
        loads += [("style", "@import", m) for m in re.findall(r"@import[^;]+", css)]
    return loads


def chromium_dom(page: Path, profile: Path, prelude: str = "") -> str:
    """The page's DOM after headless Chromium ran its scripts (a copy with `prelude` first)."""
    if prelude:
        copy = page.with_name(f"probe-{page.name}")
        copy.write_text(page.read_text().replace("<head>", "<head>" + prelude, 1))
        page = copy
    command = [
        chromium.find_chromium(),
        *chromium.chromium_flags(profile),
        "--virtual-time-budget=15000",
        "--dump-dom",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def write_values(data_dir: Path, rows: list[tuple[str, int]]) -> None:
    with open(data_dir / "fixture_values.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "value"])
        writer.writerows(rows)


def total(rows: list[tuple[str, int]]) -> str:
    return f"{sum(v for _, v in rows):,}"


def region_count() -> int:
    """The places a report covers: the regional table's regions and the cities with results."""
    places = set()
    for table in ("regional_seats", "city_results"):
        with open(ROOT / "data" / f"{table}.csv", encoding="utf-8") as f:
            places |= {row["region"] for row in csv.DictReader(f)}
    return len(places)


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_data(tmp_path_factory) -> Path:
    """The project's data plus fixture_values.csv, whose names include a <script> payload."""
    target = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(ROOT / "data", target)
    write_values(target, ROWS)
    return target


@pytest.fixture(autouse=True)
def use_fixture_data(fixture_data, monkeypatch):
    monkeypatch.setenv(render.DATA_DIR_ENV, str(fixture_data))


@pytest.fixture(scope="module")
def rendered(fixture_data, tmp_path_factory):
    """Charts and parameters fixtures, for two regions, both formats: rendered once."""
    out = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(render.DATA_DIR_ENV, str(fixture_data))
        summary = render.render_reports(
            ["charts", "parameters"], REGIONS, out_dir=out, notebooks_dir=FIXTURES, progress=False
        )
    return summary


# --- fast: sanitising, escaping, chart output ---------------------------------------------------


def test_sanitiser_shows_markup_from_data_as_text():
    cleaned = exporters.clean_report_html(f"<p>Party {PAYLOAD}</p>")
    assert "<script>" not in cleaned
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cleaned


def test_sanitiser_drops_remote_loads_and_handlers_but_keeps_tables():
    cleaned = exporters.clean_report_html(
        '<table class="t"><tr><th scope="col">A</th></tr><tr><td style="color:red">1</td></tr>'
        '</table><img src="https://example.com/x.png"><img src="data:image/png;base64,AAAA">'
        '<span onclick="alert(2)">x</span><a href="javascript:alert(3)">y</a>'
    )
    assert external_loads(cleaned) == []
    assert "onclick" not in cleaned and "javascript:" not in cleaned and "style=" not in cleaned
    assert '<th scope="col">A</th>' in cleaned and "<td>1</td>" in cleaned
    assert 'src="data:image/png;base64,AAAA"' in cleaned


def test_css_string_cannot_close_the_string_or_the_style_element():
    quoted = exporters.css_string('Say "hi" </style><script>x</script> \\')
    inner = quoted[1:-1]
    assert quoted.startswith('"') and quoted.endswith('"')
    assert '"' not in inner and "<" not in inner and ">" not in inner


def test_script_json_cannot_close_its_script_element():
    text = script_json({"name": "</script><script>alert(1)</script>", "amp": "a&b"})
    assert "</" not in text and "<" not in text and "&" not in text
    import json

    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_chart_output_is_vega_lite_json_without_scripts():
    bundle, metadata = report_renderer({"mark": "bar", "title": "Seats", "description": "Bars"})
    # Altair's own type for the extension maslihat-charts, v5 for a JupyterLab without it.
    assert set(bundle) == {LAB_MIMETYPE, VEGALITE_MIMETYPE, "text/plain"}
    assert bundle[LAB_MIMETYPE] == bundle[VEGALITE_MIMETYPE]
    assert bundle[LAB_MIMETYPE]["mark"] == "bar"
    assert "Seats" in bundle["text/plain"] and "Bars" in bundle["text/plain"]
    for mimetype in (LAB_MIMETYPE, VEGALITE_MIMETYPE):
        assert metadata[mimetype]["embed_options"]["renderer"] == "svg"


def test_enabled_renderer_is_used_by_altair():
    import altair as alt
    import pandas as pd

    enable_report_charts()
    chart = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")
    bundle = chart._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert VEGALITE_MIMETYPE in bundle and "text/html" not in bundle


def test_report_names():
    assert render.report_name("03-seat-shares", "All") == "03-seat-shares--all"
    assert render.report_name("03-seat-shares", "East Kazakhstan") == (
        "03-seat-shares--east-kazakhstan"
    )
    assert render.slugify("Şymkent (city)") == "symkent-city"


def executed_fixture(charts: int) -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: code, a Markdown output from data, `charts` charts."""
    spec = {"mark": "bar", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a"}}}
    cells = [
        new_markdown_cell("# Exported title\n\nIntro text."),
        new_code_cell(
            "secret_source_code = 1",
            outputs=[
                new_output(
                    "display_data", data={"text/markdown": f"Name: **{PAYLOAD}**"}, metadata={}
                )
            ],
        ),
    ]
    for i in range(charts):
        data = {VEGALITE_MIMETYPE: {**spec, "title": f"Chart {i}"}, "text/plain": "Chart"}
        cells.append(new_code_cell("chart()", outputs=[new_output("display_data", data=data)]))
    nb = new_notebook(cells=cells, metadata={"maslihat": {"title": "Exported title"}})
    nb.metadata["papermill"] = {"parameters": {"region": "Jambyl"}}
    return nb


def test_exporter_page_is_offline_has_no_code_and_one_vega_bundle():
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(executed_fixture(charts=2))
    found = scan(page)
    assert external_loads(page) == []
    assert "secret_source_code" not in page and "In&nbsp;[" not in page
    assert page.count("window.vegaEmbed=") == 1  # the bundle, once for two charts
    assert len(found.svgs_per_chart) == 2
    assert sorted({s["type"] for s in found.scripts}) == ["application/json", "module"]
    assert all(PAYLOAD not in s["text"] for s in found.scripts)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for fact in ("Exported title", "Jambyl", exporters.ELECTION, "Data version", "Generated"):
        assert fact in page
    assert page.count("Exported title</h1>") == 1  # the notebook's own heading is not repeated


def test_exporter_page_without_charts_has_no_vega_bundle():
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(executed_fixture(charts=0))
    assert "vegaEmbed" not in page and "<script" not in page


def test_report_key_follows_notebook_parameters_and_data(tmp_path):
    notebook = tmp_path / "n.ipynb"
    notebook.write_text("{}")
    data = tmp_path / "data"
    data.mkdir()
    (data / "t.csv").write_text("a\n1\n")
    env = render.environment_key(data)
    key = render.report_key(notebook, {"region": "All"}, env)
    assert key == render.report_key(notebook, {"region": "All"}, render.environment_key(data))
    assert key != render.report_key(notebook, {"region": "Almaty"}, env)
    (data / "t.csv").write_text("a\n2\n")
    assert key != render.report_key(notebook, {"region": "All"}, render.environment_key(data))
    notebook.write_text('{"changed": 1}')
    assert key != render.report_key(notebook, {"region": "All"}, env)


def cache_job(tmp_path, **changes) -> render.ReportJob:
    from dataclasses import replace

    job = render.ReportJob(
        notebook="n", path=tmp_path / "n.ipynb", region="All", parameters={},
        formats=("html", "pdf"), out_dir=tmp_path, key="k", title="T", timeout=1.0,
        data_version="v", generated_at="g", chromium="Chromium 2",
    )  # fmt: skip
    return replace(job, **changes)


def made(job: render.ReportJob, *formats: str, text: str = "x") -> render.ReportResult:
    """Write a job's files as a worker would and return its result, with their fingerprints."""
    result = render.ReportResult(job.name, "n", "All", "T", "rendered")
    for fmt in formats:
        job.output(fmt).write_text(f"{text} {fmt}")
        result.files[fmt] = render_cache.fingerprint(job.output(fmt))
    return result


def test_a_new_chromium_reprints_the_pdf_and_keeps_the_html(tmp_path):
    from dataclasses import replace

    job = cache_job(tmp_path)
    cache: dict = {}
    render.remember(cache, replace(job, chromium="Chromium 1"), made(job, "html", "pdf"))
    entry = cache[job.name]
    assert render.still_valid(job, entry) == {"html"}
    assert render.still_valid(replace(job, chromium="Chromium 1"), entry) == {"html", "pdf"}
    html_only = replace(job, formats=("html",), chromium=None)
    assert render.still_valid(html_only, entry) == {"html", "pdf"}
    assert render.still_valid(replace(job, key="other"), entry) == set()

    render.remember(cache, html_only, made(job, "html", text="y"))
    assert set(cache[job.name]["files"]) == {"html", "pdf"}
    assert cache[job.name]["files"]["pdf"]["chromium"] == "Chromium 1"  # that PDF is still its
    render.remember(cache, replace(job, formats=("pdf",)), made(job, "pdf", text="y"))
    assert cache[job.name]["files"]["pdf"]["chromium"] == "Chromium 2"


# --- fast: invalid requests ---------------------------------------------------------------------


def test_unknown_notebook_lists_the_notebooks():
    with pytest.raises(render.RenderInputError) as err:
        render.render_reports(["nope"], notebooks_dir=FIXTURES)
    message = str(err.value)
    assert "'nope'" in message
    assert all(p.stem in message for p in FIXTURES.glob("*.ipynb"))


def test_unknown_region_lists_the_regions():
    with pytest.raises(render.RenderInputError) as err:
        render.render_reports(["parameters"], ["Atlantis"], notebooks_dir=FIXTURES)
    message = str(err.value)
    assert "'Atlantis'" in message and "All" in message and "East Kazakhstan" in message


def test_regions_accept_the_notebooks_spellings():
    chosen = render.select_regions(["zhambyl", "ALL", " east kazakhstan ", "Jambyl"])
    assert chosen == ["Jambyl", "All", "East Kazakhstan"]


def test_unknown_format_and_parameter_list_the_valid_ones():
    with pytest.raises(render.RenderInputError, match="Formats: html, pdf"):
        render.render_reports(["parameters"], formats=["docx"], notebooks_dir=FIXTURES)
    with pytest.raises(render.RenderInputError) as err:
        render.render_reports(["parameters"], parameters={"treshold": 1}, notebooks_dir=FIXTURES)
    assert "'treshold'" in str(err.value) and "threshold_pct" in str(err.value)


def test_missing_chromium_says_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(chromium.CHROMIUM_ENV, raising=False)
    with pytest.raises(chromium.ChromiumNotFoundError) as err:
        chromium.find_chromium()
    assert "sudo apt-get install chromium" in str(err.value) and "make setup" in str(err.value)
    monkeypatch.setenv(chromium.CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    with pytest.raises(chromium.ChromiumNotFoundError, match="no-such-chromium"):
        chromium.find_chromium()


def test_the_headless_shell_prints_where_both_are_installed(monkeypatch, tmp_path):
    for name in ("chromium", "chromium-headless-shell"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(chromium.CHROMIUM_ENV, raising=False)
    assert chromium.find_chromium() == str(tmp_path / "chromium-headless-shell")
    (tmp_path / "chromium-headless-shell").unlink()
    assert chromium.find_chromium() == str(tmp_path / "chromium")
    monkeypatch.setenv(chromium.CHROMIUM_ENV, "chromium")  # the user's choice wins
    (tmp_path / "chromium-headless-shell").write_text("#!/bin/sh\n")
    (tmp_path / "chromium-headless-shell").chmod(0o755)
    assert chromium.find_chromium() == str(tmp_path / "chromium")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["nope"], ["unknown notebook 'nope'", "charts", "parameters"]),
        (["parameters", "--region", "Atlantis"], ["unknown region 'Atlantis'", "East Kazakhstan"]),
        (["parameters", "--region", "zhambyl", "--region", "atlantis"], ["'atlantis'", "Jambyl"]),
        (["parameters", "--format", "docx"], ["unknown format 'docx'", "html, pdf"]),
        (["parameters", "-p", "treshold=1"], ["unknown parameter 'treshold'", "threshold_pct"]),
        (["parameters", "-p", "region=Almaty"], ["--region"]),
    ],
)
def test_cli_bad_input_exits_2_with_the_valid_choices(args, expected, capsys, tmp_path):
    status = main(["render", *args, "--notebooks-dir", str(FIXTURES), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert all(text in err for text in expected), err
    assert "Traceback" not in err


@pytest.mark.parametrize("args", [["-p", "novalue"], ["--jobs", "0"], ["--timeout", "soon"]])
def test_cli_malformed_options_exit_2(args, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["render", *args])
    assert exit.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_dead_worker_is_replaced_and_its_report_retried_once(tmp_path, monkeypatch):
    """Reports left by a dying worker run in a fresh pool; one whose worker dies twice fails."""
    tries = tmp_path / "tries"
    tries.mkdir()

    def dying_render_job(job):  # runs in the (forked) worker processes
        attempt = len(list(tries.glob(f"{job.name}.*"))) + 1
        (tries / f"{job.name}.{attempt}").touch()
        if job.name == "fails--all.en" or (job.name == "charts--all.en" and attempt == 1):
            os._exit(1)
        return render.ReportResult(job.name, job.notebook, job.region, job.title, "rendered")

    monkeypatch.setattr(render_pool, "render_job", dying_render_job)
    summary = render.render_reports(
        ["charts", "fails", "parameters"], REGIONS, formats=["html"], out_dir=tmp_path / "out",
        notebooks_dir=FIXTURES, progress=False, jobs=2,
    )  # fmt: skip
    assert [r.name for r in summary.failed] == ["fails--all.en"]
    assert "worker process died twice" in summary.failed[0].error
    assert "FAILED fails--all.en while rendering (its worker process died)" in summary.describe()
    assert len(summary.rendered) == 5
    names = ("fails--all.en", "charts--all.en")
    attempts = {name: len(list(tries.glob(f"{name}.*"))) for name in names}
    assert attempts["charts--all.en"] == 2
    # Two attempts were begun; the first may be cut short before it counted here, when another
    # worker's death breaks the pool and the pool stops every worker. Its second, alone in a
    # one-worker pool, is its own.
    assert attempts["fails--all.en"] in (1, 2)
    assert all(len(list(tries.glob(f"{r.name}.*"))) <= 2 for r in summary.results)


def test_workers_find_the_renders_objects_frozen_and_the_caller_gets_them_back(tmp_path,
                                                                             monkeypatch):
    """The forked workers share the render's memory: what it held is frozen out of the garbage
    collector's walks (which would copy each page they visit into every worker); a script that
    calls render_reports has its process as it was afterwards."""
    import gc

    def frozen_render_job(job):  # runs in the (forked) worker processes
        (tmp_path / f"{job.name}.frozen").write_text(str(gc.get_freeze_count()))
        return render.ReportResult(job.name, job.notebook, job.region, job.title, "rendered")

    monkeypatch.setattr(render_pool, "render_job", frozen_render_job)
    summary = render.render_reports(["charts"], formats=["html"], out_dir=tmp_path / "out",
                                    notebooks_dir=FIXTURES, progress=False, jobs=1)  # fmt: skip
    assert summary.ok
    assert int((tmp_path / "charts--all.en.frozen").read_text()) > 10_000
    assert gc.get_freeze_count() == 0


# --- slow: real rendering -----------------------------------------------------------------------


@pytest.mark.slow
def test_reports_are_written_under_their_names(rendered):
    assert rendered.ok and len(rendered.rendered) == 4, rendered.describe()
    for name in ("charts--all.en", "charts--east-kazakhstan.en", "parameters--east-kazakhstan.en"):
        for fmt in ("html", "pdf"):
            assert (rendered.out_dir / f"{name}.{fmt}").stat().st_size > 0
        assert (rendered.out_dir / "executed" / f"{name}.ipynb").is_file()
    assert not list(rendered.out_dir.glob(".*tmp*"))  # no temporary file left behind


@pytest.mark.slow
def test_html_report_loads_nothing_and_shows_no_code(rendered):
    page = (rendered.out_dir / "charts--east-kazakhstan.en.html").read_text()
    assert external_loads(page) == []
    assert "enable_report_charts" not in page and "alt.Chart" not in page
    assert "debug output for the author only" not in page  # stderr stays out of the report
    assert page.count("window.vegaEmbed=") == 1
    assert "East Kazakhstan" in page and exporters.ELECTION in page


@pytest.mark.slow
def test_chromium_draws_every_chart_and_never_runs_data(rendered, tmp_path):
    page = rendered.out_dir / "charts--east-kazakhstan.en.html"
    expected_charts = len(scan(page.read_text()).svgs_per_chart)
    # A page-level alert() records that it was called: the payload must not call it.
    probe = "<script>alert = () => { document.documentElement.dataset.alerted = 1; };</script>"
    dom = chromium_dom(page, tmp_path / "profile", prelude=probe)
    found = scan(dom)
    assert expected_charts == 2
    assert found.svgs_per_chart == [1] * expected_charts
    assert f'data-charts="drawn {expected_charts}/{expected_charts}"' in dom
    assert "data-alerted" not in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # shown as text


@pytest.mark.slow
def test_pdf_has_the_figures_and_no_code(rendered):
    text = pdf_text(rendered.out_dir / "charts--all.en.pdf")
    assert f"Total: {total(ROWS)} votes" in text
    assert PAYLOAD in text  # the name from the data, printed as text
    assert "Page 1 of" in text and exporters.ELECTION in text
    assert "enable_report_charts" not in text and "import" not in text
    assert "could not be drawn" not in text
    info = subprocess.run(["pdfinfo", str(rendered.out_dir / "charts--all.en.pdf")], text=True,
                          capture_output=True, check=True).stdout  # fmt: skip
    assert "(A4)" in info


def outline_titles(path: Path) -> list[str]:
    """Titles of a PDF's bookmarks, depth first."""
    from pypdf import PdfReader

    def walk(items) -> list[str]:
        found = []
        for item in items:
            found += walk(item) if isinstance(item, list) else [item.title]
        return found

    return walk(PdfReader(path).outline)


@pytest.mark.slow
def test_pdf_has_bookmarks_for_its_headings(rendered):
    titles = outline_titles(rendered.out_dir / "charts--east-kazakhstan.en.pdf")
    assert "Fixture charts" in titles and "Figures" in titles


def data_links(page: str) -> list[str]:
    """The "Data (CSV)" links of a report page."""
    return [h for _, name, h in scan(page).loads if name == "href" and h.endswith(".csv")]


@pytest.mark.slow
def test_every_table_and_chart_links_its_data_as_a_csv_file_beside_the_report(rendered):
    out = rendered.out_dir
    page = (out / "charts--east-kazakhstan.en.html").read_text()
    links = data_links(page)
    assert links == [
        "charts--east-kazakhstan.en.data/01-figures.csv",  # the table, under the heading "Figures"
        "charts--east-kazakhstan.en.data/02-values-in-east-kazakhstan.csv",
        "charts--east-kazakhstan.en.data/03-values-by-row.csv",
    ]
    for href in links:
        assert (out / href).is_file()
    with open(out / links[0], encoding="utf-8", newline="") as f:
        assert list(csv.reader(f)) == [["Name", "Votes"], *[[n, str(v)] for n, v in ROWS]]
    with open(out / links[1], encoding="utf-8", newline="") as f:
        assert sorted(r["name"] for r in csv.DictReader(f)) == sorted(n for n, _ in ROWS)
    assert page.count(">Chart (SVG)</a>") == 2 and page.count(">Chart (PNG)</a>") == 2
    assert not list(out.glob(".*tmp*"))


@pytest.mark.slow
def test_charts_are_offered_as_svg_and_png_made_in_the_page(rendered, tmp_path):
    page = rendered.out_dir / "charts--all.en.html"
    probe = """<script>
    addEventListener("load", () => { const wait = () => {
      if (!document.documentElement.dataset.charts) return setTimeout(wait, 20);
      const links = [...document.querySelectorAll("a.maslihat-image")];
      links.forEach((a) => { a.addEventListener("click", (e) => e.preventDefault()); a.click(); });
      setTimeout(() => { document.documentElement.dataset.images =
        links.map((a) => a.dataset.format + ":" + a.href.split(/[,;]/)[0]).join(" "); }, 2000);
    }; wait(); });</script>"""
    dom = chromium_dom(page, tmp_path / "profile", prelude=probe)
    images = re.search(r'data-images="([^"]*)"', dom)[1].split()
    assert len(images) == 4, images
    assert {i.split(":")[0] for i in images} == {"svg", "png"}
    assert all(re.match(r"(svg|png):(data|blob):", i) for i in images), images


@pytest.mark.slow
def test_a_report_whose_data_file_is_missing_is_rendered_again(rendered, tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(rendered.out_dir, out)
    link = data_links((out / "charts--all.en.html").read_text())[0]
    (out / link).unlink()
    again = render.render_reports(
        ["charts"], ["All"], formats=["html"], out_dir=out, notebooks_dir=FIXTURES, progress=False
    )
    assert [r.name for r in again.rendered] == ["charts--all.en"], again.describe()
    assert (out / link).is_file()


@pytest.mark.slow
def test_second_run_comes_from_the_cache_and_data_changes_invalidate_it(
    rendered, fixture_data, tmp_path
):
    out = tmp_path / "reports"
    shutil.copytree(rendered.out_dir, out)  # the shared folder stays as the other tests expect
    args = dict(out_dir=out, notebooks_dir=FIXTURES, progress=False)
    again = render.render_reports(["charts", "parameters"], REGIONS, **args)
    assert len(again.cached) == 4 and not again.rendered, again.describe()

    changed = [*ROWS, ("Delta", 5)]
    write_values(fixture_data, changed)
    try:
        after = render.render_reports(["charts"], ["All"], formats=["html"], **args)
    finally:
        write_values(fixture_data, ROWS)
    assert [r.name for r in after.rendered] == ["charts--all.en"]
    assert f"Total: {total(changed)} votes" in markdown_outputs(
        out / "executed" / "charts--all.en.ipynb"
    )
    forced = render.render_reports(["parameters"], ["All"], formats=["html"], force=True, **args)
    assert [r.name for r in forced.rendered] == ["parameters--all.en"]


NOTHING_TO_DO = """
import json, sys
sys.modules["rfc3987_syntax"] = None  # as the maslihat command does
from maslihat import render
summary = render.render_reports(
    ["charts", "parameters"], sys.argv[2:], out_dir=sys.argv[1], notebooks_dir=%r, progress=False
)
heavy = sorted(m for m in ("pandas", "nbformat", "nbconvert", "papermill", "altair", "jinja2")
               if m in sys.modules)
print(json.dumps([[r.name, r.status, r.title] for r in summary.results] + [heavy]))
"""


def nothing_to_do(out: Path, *regions: str) -> tuple[list[list[str]], list[str]]:
    """Render into `out` in a fresh Python; the reports' names, status, title; heavy imports."""
    import json
    import sys

    done = subprocess.run([sys.executable, "-c", NOTHING_TO_DO % str(FIXTURES), str(out),
                           *regions], capture_output=True, text=True, check=True)  # fmt: skip
    *reports, heavy = json.loads(done.stdout.splitlines()[-1])
    return reports, heavy


@pytest.mark.slow
def test_a_render_with_nothing_to_do_loads_no_notebook_tools_and_sees_every_change(
    rendered, tmp_path
):
    out = tmp_path / "reports"
    shutil.copytree(rendered.out_dir, out)
    reports, heavy = nothing_to_do(out, "all", "EAST KAZAKHSTAN")
    expected = [[f"{nb}--{place}.en", "cached", f"Fixture {nb}"]
                for nb in ("charts", "parameters") for place in ("all", "east-kazakhstan")]
    assert reports == expected
    assert heavy == []  # neither pandas nor nbconvert, papermill, Altair: answered from the cache
    # A region by another spelling, or one not rendered, takes the long way and says the same.
    assert [r.name for r in render.nothing_to_do(["charts"], ["Akmola"], ("html", "pdf"), out,
                                                 FIXTURES, 300) or []] == []  # fmt: skip
    slow = render.render_reports(["charts"], ["east kazakhstan"], out_dir=out,
                                 notebooks_dir=FIXTURES, progress=False)  # fmt: skip
    assert [(r.name, r.status) for r in slow.results] == [
        ("charts--east-kazakhstan.en", "cached")
    ]
    # A notebook changed (even its bytes only) or a report file gone: the render has work to do.
    copy = tmp_path / "notebooks"
    shutil.copytree(FIXTURES, copy)
    assert render.nothing_to_do(["charts"], ["All"], ("html", "pdf"), out, copy, 300)
    with open(copy / "charts.ipynb", "a") as f:
        f.write("\n")
    assert render.nothing_to_do(["charts"], ["All"], ("html", "pdf"), out, copy, 300) is None
    (out / "charts--all.en.pdf").unlink()
    assert render.nothing_to_do(["charts"], ["All"], ("html",), out, FIXTURES, 300)
    assert render.nothing_to_do(["charts"], ["All"], ("html", "pdf"), out, FIXTURES, 300) is None


def test_the_places_read_without_pandas_are_those_of_the_data():
    assert render._known_regions(render.data_dir()) == render.all_regions()  # noqa: SLF001


def test_the_data_folder_is_found_as_maslihat_data_finds_it(monkeypatch, tmp_path):
    from maslihat.data import resolve_data_dir

    assert render.data_dir() == resolve_data_dir().resolve()
    monkeypatch.delenv(render.DATA_DIR_ENV)
    assert render.data_dir() == resolve_data_dir().resolve()
    monkeypatch.setenv(render.DATA_DIR_ENV, str(tmp_path))
    assert render.data_dir() == resolve_data_dir().resolve() == tmp_path.resolve()


@pytest.mark.slow
def test_pdf_only_into_an_empty_folder_runs_the_notebook_and_writes_no_html(tmp_path):
    summary = render.render_reports(
        ["charts"], formats=["pdf"], out_dir=tmp_path, notebooks_dir=FIXTURES, progress=False
    )
    assert summary.ok, summary.describe()
    text = pdf_text(tmp_path / "charts--all.en.pdf")
    assert f"Total: {total(ROWS)} votes" in text and "could not be drawn" not in text
    assert not (tmp_path / "charts--all.en.html").exists()
    assert not list(tmp_path.glob(".*tmp*"))


@pytest.mark.slow
def test_pdf_only_after_a_data_change_does_not_print_the_stale_html(
    rendered, fixture_data, tmp_path
):
    out = tmp_path / "reports"
    shutil.copytree(rendered.out_dir, out)
    stale_html = (out / "charts--all.en.html").read_bytes()
    changed = [*ROWS, ("Delta", 5)]
    write_values(fixture_data, changed)
    try:
        summary = render.render_reports(
            ["charts"], formats=["pdf"], out_dir=out, notebooks_dir=FIXTURES, progress=False
        )
    finally:
        write_values(fixture_data, ROWS)
    assert [r.name for r in summary.rendered] == ["charts--all.en"], summary.describe()
    assert f"Total: {total(changed)} votes" in pdf_text(out / "charts--all.en.pdf")
    assert (out / "charts--all.en.html").read_bytes() == stale_html  # not asked for: not rewritten


@pytest.mark.slow
def test_printing_fails_on_an_undrawn_chart_or_a_page_that_does_not_open(tmp_path):
    nb = executed_fixture(charts=2)
    nb.cells[-1].outputs[0].data[VEGALITE_MIMETYPE]["mark"] = "no-such-mark"
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    (tmp_path / "report.html").write_text(page)
    with chromium.Chromium(timeout=60) as browser:
        with pytest.raises(chromium.BrowserError, match=r"report\.html: 1 of 2 charts could not"):
            browser.print_pdf(tmp_path / "report.html", tmp_path / "report.pdf")
        with pytest.raises(chromium.BrowserError, match=r"missing\.html: could not open the page"):
            browser.print_pdf(tmp_path / "missing.html", tmp_path / "report.pdf")
    assert not (tmp_path / "report.pdf").exists()


def phone_index(out: Path) -> Path:
    """An index of 4 notebooks × 3 places × 3 languages (files made up) and a book, as the
    index of a full render lays them out."""
    return render.write_index(out, made_up_reports(out), [], "v", render.all_regions())


def made_up_reports(
    out: Path, places: tuple[str, ...] = ("All", "East Kazakhstan", "Almaty (city)")
) -> dict:
    """The cache of 4 notebooks × 3 places × 3 languages (files made up) and a book."""
    import json

    out.mkdir(exist_ok=True)
    cache: dict = {}
    for i, lang, region in [(i, lang, region) for i in range(4) for lang in ("en", "kk", "ru")
                            for region in places]:  # fmt: skip
        job = render.ReportJob(
            notebook=f"0{i}-notebook", path=out / "n.ipynb", region=region, parameters={},
            formats=("html", "pdf"), out_dir=out, key="k", title=f"Report {i}", timeout=1.0,
            data_version="v", generated_at="2021-01-10T10:00:00+06:00", chromium="C",
            description="What the report shows, in a sentence of some length.", lang=lang,
        )  # fmt: skip
        result = render.ReportResult(job.name, job.notebook, region, job.title, "rendered")
        for fmt in job.formats:
            job.output(fmt).write_text(fmt)
            result.files[fmt] = render_cache.fingerprint(job.output(fmt))
        render.remember(cache, job, result)
    pdf, html = out / "book.en.pdf", out / "book.en.html"
    pdf.write_text("pdf")
    html.write_text("html")
    record = {"file": render_cache.fingerprint(pdf), "html_file": render_cache.fingerprint(html),
              "pages": 110, "lang": "en", "chapters": ["book-national", "book-methodology"]}
    (out / ".books.json").write_text(json.dumps({"book.en": record}))
    return cache


def test_the_index_is_a_front_page_with_the_result_the_book_and_the_data(tmp_path):
    page = phone_index(tmp_path).read_text()
    assert "Report files" not in page  # the folder's internals are not the reader's business
    # the headline result, computed from the data: seats of all mäslihats by party
    rows = list(csv.DictReader((ROOT / "data" / "local_results.csv").open(encoding="utf-8")))
    seats = {}
    for row in rows:
        if row["measure"] in ("regional_members", "municipal_members"):
            seats[row["party_code"]] = seats.get(row["party_code"], 0) + int(float(row["value"]))
    total = sum(seats.values())
    assert f"<dd>{total:,}</dd>" in page
    assert f'<td class="maslihat-num">{seats["NO"]:,}</td>' in page
    assert 'href="book.en.pdf"' in page and 'href="book.en.html"' in page and "110 pages" in page
    assert 'href="book.en.html#book-methodology"' in page
    for name in ("datapackage.json", "CHANGELOG.md"):  # the data folder's, linked relatively
        href = re.search(rf'href="([^"]*/{re.escape(name)})"', page)[1]
        assert not href.startswith("/") and (tmp_path / href).resolve().is_file()
    assert page.index("Kazakhstan (whole country)") < page.index("East Kazakhstan") < page.index(
        "Almaty (city)")  # fmt: skip


def test_the_index_draws_every_seat_in_its_partys_colour(tmp_path):
    import xml.etree.ElementTree as ET

    page = phone_index(tmp_path).read_text()
    svg = ET.fromstring(re.search(r"<svg .*?</svg>", page, re.S)[0])
    ns = {"s": "http://www.w3.org/2000/svg"}
    rows = list(csv.DictReader((ROOT / "data" / "local_results.csv").open(encoding="utf-8")))
    seats: dict[str, int] = {}
    for row in rows:
        if row["measure"] in ("regional_members", "municipal_members"):
            seats[row["party_code"]] = seats.get(row["party_code"], 0) + int(float(row["value"]))
    parties = list(csv.DictReader((ROOT / "data" / "parties.csv").open(encoding="utf-8")))
    colour = {p["party_code"]: p["colour"].lower() for p in parties}
    drawn = {g.get("fill").lower(): len(g.findall("s:circle", ns)) for g in svg.findall("s:g", ns)}
    assert drawn == {colour[code]: n for code, n in seats.items()}
    assert len(svg.findall(".//s:circle", ns)) == sum(seats.values()) == 3246
    # seats do not overlap: the two nearest centres are at least a diameter apart
    circles = [(float(c.get("cx")), float(c.get("cy"))) for c in svg.iterfind(".//s:circle", ns)]
    radius = float(svg.find(".//s:circle", ns).get("r"))
    left = sorted(circles)[:60]
    assert min(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
               for i, a in enumerate(left) for b in left[i + 1:]) >= 2 * radius * 0.99  # fmt: skip
    # the leftmost seat is Nur Otan's, the rightmost Adal's (the infobox's order), the majority
    # mark stands at the middle
    groups = svg.findall("s:g", ns)
    assert groups[0].get("fill").lower() == colour["NO"]
    assert groups[-1].get("fill").lower() == colour["ADAL"]
    first = [(float(c.get("cx")), float(c.get("cy"))) for c in groups[0].findall("s:circle", ns)]
    last = [(float(c.get("cx")), float(c.get("cy"))) for c in groups[-1].findall("s:circle", ns)]
    assert min(circles) in first and max(circles) in last
    majority = sum(seats.values()) // 2 + 1
    assert svg.find("s:text", ns).text == f"majority: {majority:,}"
    line = svg.find("s:line", ns)
    assert float(line.get("x1")) * 2 == float(svg.get("viewBox").split()[2])
    # the text alternative names every party's seats
    assert svg.get("role") == "img"
    alternative = svg.find(f"s:title[@id='{svg.get('aria-labelledby')}']", ns).text
    assert f"Nur Otan {seats['NO']:,}" in alternative and f"Adal {seats['ADAL']}" in alternative


@pytest.mark.slow
def test_index_links_every_report(rendered):
    page = rendered.index.read_text()
    assert external_loads(page) == []
    links = {href for _, name, href in scan(page).loads if name == "href"}
    for name in ("charts--all.en", "charts--east-kazakhstan.en", "parameters--all.en"):
        assert {f"{name}.html", f"{name}.pdf"} <= links
    assert "Fixture charts" in page and "Kazakhstan (whole country)" in page


@pytest.mark.slow
def test_kept_kernel_leaks_nothing_between_reports(tmp_path):
    """A kernel reused after another notebook gives the same report as a fresh kernel."""
    args = dict(formats=["html"], notebooks_dir=FIXTURES, progress=False, jobs=1)
    warm = render.render_reports(["charts", "parameters"], out_dir=tmp_path / "warm", **args)
    fresh = render.render_reports(
        ["parameters"], out_dir=tmp_path / "fresh", reuse_kernels=False, **args
    )
    assert warm.ok and fresh.ok
    outputs = [
        markdown_outputs(d / "executed" / "parameters--all.en.ipynb") for d in (tmp_path / "warm",
                                                                              tmp_path / "fresh")
    ]  # fmt: skip
    assert outputs[0] == outputs[1]
    names = set(outputs[0].split("Namespace: ")[1].split(", "))
    assert "region" in names and not names & {"values", "alt", "pd", "top", "data_dir"}


@pytest.mark.slow
def test_failure_keeps_earlier_reports_and_other_reports_render(fixture_data, tmp_path, capsys):
    out = tmp_path / "reports"
    first = render.render_reports(
        ["charts", "badchart"], out_dir=out, notebooks_dir=FIXTURES, progress=False
    )
    assert first.ok, first.describe()
    names = ("charts--all.en", "badchart--all.en")
    files = [f"{name}.{f}" for name in names for f in ("html", "pdf")]
    good = {name: (out / name).read_bytes() for name in files}

    (fixture_data / "fixture_values.csv").rename(fixture_data / "moved.csv")  # charts now fails
    try:  # and badchart's chart cannot be drawn: its PDF cannot be printed
        status = main(["render", "charts", "parameters", "fails", "badchart", "-p", "broken=True",
                       "--force", "--out", str(out), "--notebooks-dir", str(FIXTURES)])  # fmt: skip
    finally:
        (fixture_data / "moved.csv").rename(fixture_data / "fixture_values.csv")
    printed = capsys.readouterr().out
    assert status == 1
    assert {name: (out / name).read_bytes() for name in files} == good
    assert (out / "parameters--all.en.pdf").is_file()
    assert (out / "parameters--all.en.html").is_file()
    assert "FAILED charts--all.en while running the notebook: FileNotFoundError" in printed
    assert "FAILED fails--all.en while running the notebook: ValueError: fixture failure" in printed
    executed = out / "executed" / "fails--all.en.ipynb"
    assert f"the executed notebook shows where it stopped: {executed}" in printed
    # broken=True is not badchart's default: that report is named so, beside the default one
    assert "FAILED badchart--all--broken-true.en while printing the PDF: " in printed
    assert "1 of 1 charts could not be drawn" in printed
    assert printed.count("shows where it stopped") == 2  # charts and fails, not badchart
    errors = [
        o for c in nbformat.read(executed, 4).cells for o in c.get("outputs", [])
        if o.output_type == "error"
    ]  # fmt: skip
    assert errors and errors[0].evalue == "fixture failure for All"
    index = (out / "index.html").read_text()
    assert 'href="executed/fails--all.en.ipynb"' in index
    assert "failed while printing the PDF" in index and "failed while running the notebook" in index


@pytest.mark.slow
def test_hanging_notebook_is_stopped_by_the_timeout(tmp_path):
    summary = render.render_reports(
        ["hangs", "parameters"], formats=["html"], out_dir=tmp_path, notebooks_dir=FIXTURES,
        timeout=10, progress=False, jobs=1,
    )  # fmt: skip  (10 s a cell: the other notebook's cells take a few seconds on a loaded machine)
    assert [r.name for r in summary.failed] == ["hangs--all.en"]
    assert "timed out" in summary.failed[0].error and "10 s" in summary.failed[0].error
    assert "FAILED hangs--all.en while running the notebook: timed out" in summary.describe()
    assert [r.name for r in summary.rendered] == ["parameters--all.en"]  # same worker, new kernel


@pytest.mark.slow
def test_cli_parameters_are_typed_like_papermill(tmp_path, capsys):
    status = main(["render", "parameters", "--region", "east kazakhstan", "--format", "html",
                   "-p", "threshold_pct=5", "-p", "show_extra=True", "-p", "label=a b",
                   "--out", str(tmp_path), "--notebooks-dir", str(FIXTURES)])  # fmt: skip
    assert status == 0, capsys.readouterr()
    # the parameters that are not the notebook's defaults name the report, by name
    name = "parameters--east-kazakhstan--label-a-b--show-extra-true--threshold-pct-5.en"
    prose = markdown_outputs(tmp_path / "executed" / f"{name}.ipynb")
    assert "Region East Kazakhstan; threshold 5 (int); extra True; label 'a b'" in prose
    assert (tmp_path / f"{name}.html").is_file()
    assert not (tmp_path / f"{name}.pdf").exists()


@pytest.mark.slow
def test_all_regions_is_all_and_every_region():
    regions = render.all_regions()
    assert regions[0] == "All" and len(regions) == 1 + region_count()


@pytest.mark.slow
def test_nbconvert_exporters_are_registered(rendered, tmp_path):
    executed = rendered.out_dir / "executed" / "charts--east-kazakhstan.en.ipynb"
    shutil.copy(executed, tmp_path / "nb.ipynb")
    jupyter = Path(shutil.which("jupyter") or ROOT / ".venv" / "bin" / "jupyter")
    for to, suffix in (("maslihat_html", ".html"), ("maslihat_pdf", ".pdf")):
        subprocess.run([str(jupyter), "nbconvert", "--to", to, str(tmp_path / "nb.ipynb")],
                       check=True, capture_output=True, timeout=300)  # fmt: skip
        assert (tmp_path / f"nb{suffix}").stat().st_size > 0
    assert f"Total: {total(ROWS)} votes" in pdf_text(tmp_path / "nb.pdf")


def test_the_index_says_in_its_language_where_a_report_failed(tmp_path):
    out = tmp_path / "out"
    cache = made_up_reports(out)  # reports in en, kk and ru: an index page in each language
    failed = render.ReportResult("00-notebook--akmola.ru", "00-notebook", "Akmola", "Report 0",
                                 "failed", lang="ru", error="NameError: x", stage="execute")
    render.write_index(out, cache, [failed], "v", render.all_regions())
    english, russian = (out / "index.html").read_text(), (out / "index.ru.html").read_text()
    assert "failed while running the notebook" in english
    assert "ошибка на этапе: выполнение блокнота" in russian
    assert "running the notebook" not in russian


def test_each_index_lists_the_places_in_its_own_alphabet(tmp_path):
    # Kazakh: Батыс Қазақстан (West Kazakhstan) before Жамбыл, Қарағанды before Қостанай; English:
    # Jambyl, Karaganda, Kostanay, West Kazakhstan. The cities after the regions in both.
    places = ("All", "Almaty (city)", "West Kazakhstan", "Kostanay", "Karaganda", "Jambyl")
    render.write_index(tmp_path, made_up_reports(tmp_path, places), [], "v",
                       render.all_regions(), cities=["Almaty (city)", "Shymkent"])  # fmt: skip
    kazakh = (tmp_path / "index.kk.html").read_text(encoding="utf-8")
    english = (tmp_path / "index.html").read_text(encoding="utf-8")
    in_kazakh = ["Батыс Қазақстан облысы", "Жамбыл облысы", "Қарағанды облысы",
                 "Қостанай облысы", "Алматы"]  # fmt: skip
    assert [kazakh.index(f">{name}<") for name in in_kazakh] == sorted(
        kazakh.index(f">{name}<") for name in in_kazakh
    )
    in_english = ["Jambyl", "Karaganda", "Kostanay", "West Kazakhstan", "Almaty (city)"]
    assert [english.index(f">{name}<") for name in in_english] == sorted(
        english.index(f">{name}<") for name in in_english
    )
