"""Faults a hostile but realistic user meets: each test reproduces one, checks the fix.

The cache never serves a report that differs from a fresh render; nothing a failed or interrupted
render touches is lost; text from the data is shown, never interpreted; bad input gets a message,
not a traceback. Tests marked slow run kernels or Chromium, for one place only.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
import psutil
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from conftest import ROOT, markdown_outputs
from maslihat import chromium, exporters, render
from maslihat.cli import main
from maslihat.render import cache as render_cache
from maslihat.render import files as render_files
from maslihat.render import index as render_index
from maslihat.text import md

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
FAULTS = Path(__file__).parent / "fixtures" / "faults"
ROWS = [("Alpha", 1200), ("Beta", 4321)]
OTHER_ROWS = [("Other", 1)]


def write_values(data_dir: Path, rows: list[tuple[str, int]]) -> None:
    lines = ["name,value", *(f"{name},{value}" for name, value in rows)]
    (data_dir / "fixture_values.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def total(rows: list[tuple[str, int]]) -> str:
    return f"Total: {sum(v for _, v in rows):,} votes"


@pytest.fixture
def fixture_data(tmp_path, monkeypatch) -> Path:
    """The project's data plus fixture_values.csv, as the data folder of renders and workers."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    write_values(target, ROWS)
    monkeypatch.setenv(render.DATA_DIR_ENV, str(target))
    return target


def cli(*args: str, **kwargs) -> subprocess.Popen:
    """`maslihat ...` in its own process group (so a test can signal it as a terminal would)."""
    return subprocess.Popen(
        [sys.executable, "-m", "maslihat.cli", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        **kwargs,
    )  # fmt: skip


def wait_for(condition, what: str, limit: float = 180) -> None:
    """Poll until condition() holds (a generous limit: this is not a timing test)."""
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.2)


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


# --- Wrong report served: the cache never lies ---------------------------------------------------


@pytest.mark.slow
def test_a_report_file_changed_on_disk_is_rendered_again_not_served(fixture_data, tmp_path):
    args = dict(formats=["html"], out_dir=tmp_path / "out", notebooks_dir=FIXTURES, progress=False)
    first = render.render_reports(["parameters"], **args)
    assert [r.name for r in first.rendered] == ["parameters--all.en"], first.describe()
    report = tmp_path / "out" / "parameters--all.en.html"
    good = report.read_bytes()

    for damaged in (good[: len(good) // 2], b"", good.replace(b"Fixture", b"Fixturf")):
        report.write_bytes(damaged)  # truncated, empty, or the same size with other content
        again = render.render_reports(["parameters"], **args)
        assert [r.name for r in again.rendered] == ["parameters--all.en"], again.describe()
        assert report.stat().st_size > 0 and b"Fixturf" not in report.read_bytes()
    assert render.render_reports(["parameters"], **args).cached  # untouched: served


def test_the_cache_key_follows_translations_and_modules_beside_the_notebooks(
    tmp_path, monkeypatch
):
    package = tmp_path / "package"
    (package / "locale").mkdir(parents=True)
    catalog = package / "locale" / "maslihat.po"
    catalog.write_text('msgid "Seats"\nmsgstr "Места"\n', encoding="utf-8")
    monkeypatch.setattr(render_cache, "PACKAGE_DIR", package)
    notebooks, data = tmp_path / "notebooks", tmp_path / "data"
    notebooks.mkdir()
    data.mkdir()
    helper = notebooks / "helpers.py"
    helper.write_text("VALUE = 1\n")

    def key() -> str:
        return render_cache.environment_key(data, [notebooks])

    before = key()
    catalog.write_text('msgid "Seats"\nmsgstr "Мандаты"\n', encoding="utf-8")
    assert key() != before, "a changed translation changes every report in its language"
    before = key()
    helper.write_text("VALUE = 2\n")
    assert key() != before, "a notebook can import a module beside it"
    before = key()
    (notebooks / "other.ipynb").write_text("{}")
    assert key() == before, "another notebook is not part of every report's key"


@pytest.mark.slow
def test_a_module_beside_the_notebook_that_changed_renders_the_report_again(
    fixture_data, tmp_path
):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = new_notebook(cells=[
        new_code_cell('region = "All"', metadata={"tags": ["parameters"]}),
        new_code_cell("from IPython.display import Markdown\nfrom helpers import VALUE\n"
                      "Markdown(f'The value is {VALUE}.')"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}})  # fmt: skip
    nbformat.write(nb, notebooks / "imports.ipynb")
    (notebooks / "helpers.py").write_text("VALUE = 1\n")
    args = dict(formats=["html"], out_dir=tmp_path / "out", notebooks_dir=notebooks,
                progress=False)  # fmt: skip
    first = render.render_reports(["imports"], **args)
    assert first.rendered, first.describe()
    (notebooks / "helpers.py").write_text("VALUE = 2\n")
    again = render.render_reports(["imports"], **args)
    assert [r.name for r in again.rendered] == ["imports--all.en"], again.describe()
    assert "The value is 2." in (tmp_path / "out" / "imports--all.en.html").read_text()


@pytest.mark.slow
def test_workers_kernels_and_chromium_die_with_a_killed_render(fixture_data, tmp_path):
    out = tmp_path / "out"
    run = cli("render", "charts", "hangs", "--format", "pdf", "--jobs", "1", "--out", str(out),
              "--notebooks-dir", str(FIXTURES))  # fmt: skip
    family: list[psutil.Process] = []
    try:
        # charts is printed first (its worker keeps Chromium), then hangs runs in the kernel.
        hanging = out / "executed" / "hangs--all.en.ipynb"
        wait_for(hanging.exists, "the hanging notebook")
        wait_for(lambda: len(descendants(run.pid)) >= 3, "a worker, its kernel and Chromium")
        family = descendants(run.pid)
        names = " ".join(p.name() for p in family)
        assert "chrom" in names and any("python" in p.name() for p in family), names
        run.kill()  # kill -9: no clean-up code of the render runs
        run.wait()
        gone, alive = psutil.wait_procs(family, timeout=60)
        assert not alive, [(p.pid, p.name()) for p in alive]
    finally:
        run.kill()
        for process in family:  # should the test fail: stop what it started
            if process.is_running():
                process.kill()


@pytest.mark.slow
def test_a_notebook_that_changes_process_state_does_not_change_the_next_report(
    fixture_data, tmp_path
):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FAULTS / "pollutes.ipynb", notebooks)
    shutil.copy(FIXTURES / "charts.ipynb", notebooks)
    other = tmp_path / "other-data"
    shutil.copytree(fixture_data, other)
    write_values(other, OTHER_ROWS)
    # One worker: the same kept kernel runs pollutes, then charts.
    summary = render.render_reports(
        ["pollutes", "charts"], formats=["html"], out_dir=tmp_path / "out", notebooks_dir=notebooks,
        parameters={"other_data": str(other)}, jobs=1, progress=False,
    )  # fmt: skip
    assert summary.ok, summary.describe()
    executed = tmp_path / "out" / "executed" / "charts--all.en.ipynb"
    prose = markdown_outputs(executed)
    assert total(ROWS) in prose and total(OTHER_ROWS) not in prose
    charts = [out["data"][mime] for cell in nbformat.read(executed, as_version=4).cells
              for out in cell.get("outputs", []) for mime in out.get("data", {})
              if mime.startswith("application/vnd.vegalite")]  # fmt: skip
    assert charts and not any(chart.get("config", {}).get("background") for chart in charts)
    from maslihat import data, maps, reuse

    assert not hasattr(data.ElectionData, "polluted")  # this process: the kernels were others
    maps.geometry()[0]["properties"]["iso_code"] = "XX"
    assert maps.geometry()[0]["properties"]["iso_code"] != "XX", "each call gets its own copy"
    before = reuse.process_state()
    data.ElectionData.polluted = True
    try:
        assert reuse.process_state() != before, "a class attribute set by a notebook is seen"
    finally:
        del data.ElectionData.polluted


def regional_seats(data_dir: Path, region: str | None = None, party: str | None = None) -> int:
    """Seats of the regional table (of one region, one party), read with the csv module."""
    import csv

    with open(data_dir / "regional_seats.csv", encoding="utf-8") as f:
        return sum(int(row["seats"]) for row in csv.DictReader(f)
                   if region in (None, row["region"]) and party in (None, row["party_code"]))


@pytest.mark.slow
def test_a_data_file_changed_between_two_reports_of_one_kept_kernel_is_seen(fixture_data,
                                                                            tmp_path):
    # The tables, the audit and the map's shares are kept in the kernel between reports, keyed by
    # the data folder's content: a file changed between two reports (same size, same time) gives
    # the second report the new data, as a new kernel would.
    from maslihat.render import execute
    from maslihat.render.inputs import plan_jobs, read_notebook

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FAULTS / "reuses.ipynb", notebooks)
    nb = read_notebook(notebooks / "reuses.ipynb")

    def report(out: str, kept: bool = True) -> tuple[str, str]:
        (job,) = plan_jobs({"reuses": nb}, ["Aktobe"], ("html",), {}, tmp_path / out, 60, kept,
                           "test", ("en",))  # fmt: skip
        execute.make_html(job)
        executed = nbformat.read(job.executed, as_version=4)
        stream = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
        return markdown_outputs(job.executed), stream

    execute.Worker.shutdown()  # a kernel of this test's data folder
    try:
        first, _ = report("first")
        again, stream = report("again")
        assert again == first and "reused 0" not in stream  # the second one reused the first's
        path = fixture_data / "regional_seats.csv"
        stamp = path.stat()
        text = path.read_text(encoding="utf-8")
        assert "Aktobe,NO,27\n" in text
        path.write_text(text.replace("Aktobe,NO,27\n", "Aktobe,NO,28\n"), encoding="utf-8")
        os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
        changed, _ = report("changed")
        kernel = execute.Worker.kernels
        assert kernel is not None and kernel.replaced == 0  # all three on the one kernel
    finally:
        execute.Worker.shutdown()
    fresh, _ = report("fresh", kept=False)
    execute.Worker.shutdown()
    seats = regional_seats(fixture_data, "Aktobe")
    won = regional_seats(fixture_data, "Aktobe", "NO")
    assert f"Regional seats: {regional_seats(fixture_data):,}." in changed
    assert f"Regional seats: {regional_seats(fixture_data) - 1:,}." in first
    assert f"Aktobe sums to {seats} against {seats - 1}" in changed  # its printed total
    assert "Aktobe" not in first.split("Map:")[0]
    assert f"Aktobe {100 * won / seats:.1f}%" in changed
    assert f"Aktobe {100 * (won - 1) / (seats - 1):.1f}%" in first
    assert changed == fresh


@pytest.mark.slow
def test_a_theme_a_notebook_leaves_on_is_off_for_the_next_report(fixture_data, tmp_path):
    # Altair's theme is not part of the kept kernel's state digest (every report sets its
    # renderer): it is put back before each notebook instead, as a new kernel has it.
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FAULTS / "dark.ipynb", notebooks)
    shutil.copy(FIXTURES / "charts.ipynb", notebooks)
    summary = render.render_reports(
        ["dark", "charts"], formats=["html"], out_dir=tmp_path / "out", notebooks_dir=notebooks,
        jobs=1, progress=False,
    )  # fmt: skip
    assert summary.ok, summary.describe()
    executed = nbformat.read(tmp_path / "out" / "executed" / "charts--all.en.ipynb", as_version=4)
    charts = [out["data"][mime] for cell in executed.cells for out in cell.get("outputs", [])
              for mime in out.get("data", {}) if mime.startswith("application/vnd.vegalite")]
    assert charts and not any(chart.get("config", {}).get("background") for chart in charts)


@pytest.mark.slow
def test_an_html_report_whose_charts_do_not_draw_fails_and_is_not_cached(
    fixture_data, tmp_path, monkeypatch
):
    from maslihat.display import vega_bundle

    monkeypatch.setenv("MASLIHAT_CACHE_DIR", str(tmp_path / "vega"))
    vega_bundle()  # builds and caches the bundle there; then break it
    (bundle,) = (tmp_path / "vega").glob("vega-bundle-*.js")
    good = bundle.read_text()
    bundle.write_text("throw new Error('a broken Vega bundle');")
    args = dict(formats=["html"], out_dir=tmp_path / "out", notebooks_dir=FIXTURES, progress=False)
    broken = render.render_reports(["charts"], **args)
    assert [r.name for r in broken.failed] == ["charts--all.en"]
    assert "2 of 2 charts could not be drawn" in broken.failed[0].error
    assert "FAILED charts--all.en while drawing the HTML's charts" in broken.describe()
    assert not (tmp_path / "out" / "charts--all.en.html").exists()

    bundle.write_text(good)
    fixed = render.render_reports(["charts"], **args)
    assert [r.name for r in fixed.rendered] == ["charts--all.en"], fixed.describe()


def test_the_index_says_when_html_and_pdf_come_from_different_inputs(tmp_path):
    from dataclasses import replace

    job = render.ReportJob(
        notebook="n", path=tmp_path / "n.ipynb", region="All", parameters={},
        formats=("html", "pdf"), out_dir=tmp_path, key="old", title="T", timeout=1.0,
        data_version="v", generated_at="2021-01-10T10:00:00+06:00", chromium="C",
    )  # fmt: skip

    def made(job, *formats):
        result = render.ReportResult(job.name, "n", "All", "T", "rendered")
        for fmt in formats:
            job.output(fmt).write_text(f"{job.key} {fmt}")
            result.files[fmt] = render_cache.fingerprint(job.output(fmt))
        return result

    cache: dict = {}
    render.remember(cache, job, made(job, "html", "pdf"))
    (row,) = render_index.index_rows(tmp_path, cache)
    assert [link["older"] for link in row["links"]] == [False, False]

    newer = replace(job, key="new", formats=("html",), generated_at="2021-01-11T10:00:00+06:00")
    render.remember(cache, newer, made(newer, "html"))  # `--format html` after a data change
    (row,) = render_index.index_rows(tmp_path, cache)
    assert {link["format"]: link["older"] for link in row["links"]} == {"html": False, "pdf": True}
    page = render.write_index(tmp_path, cache, [], "v").read_text()
    assert "PDF made from earlier inputs than the HTML" in page
    assert render.still_valid(newer, cache[job.name]) == {"html"}  # never served as a pair


# --- Silent loss --------------------------------------------------------------------------------


def test_a_second_render_into_a_folder_in_use_is_refused(tmp_path, capsys):
    from filelock import FileLock

    out = tmp_path / "out"
    out.mkdir()
    with FileLock(out / render_files.LOCK_FILE):  # another render holds the folder
        status = main(["render", "parameters", "--format", "html", "--out", str(out),
                       "--notebooks-dir", str(FIXTURES)])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 1
    assert "another `maslihat render` is writing to" in err and str(out) in err
    assert not list(out.glob("*.html"))


def test_cyrillic_region_names_get_distinct_file_names():
    names = ["Алматы", "Астана", "Шымкент", "Қызылорда", "Жамбыл", "Абай", "Ұлытау"]
    slugs = [render.slugify(n) for n in names]
    assert slugs[:5] == ["almaty", "astana", "shymkent", "qyzylorda", "zhambyl"]
    assert len(set(slugs)) == len(names)
    assert render.slugify("北京") != render.slugify("上海")  # no Latin form: still distinct


def test_regions_that_would_share_a_file_name_are_refused_naming_both(monkeypatch, capsys):
    import maslihat.render as package

    monkeypatch.setattr(package, "valid_regions", lambda data: ["All", "Жамбыл", "Zhambyl"])
    with pytest.raises(render.RenderInputError) as caught:
        render.render_reports(["parameters"], all_regions=True, notebooks_dir=FIXTURES)
    assert "'Жамбыл' and 'Zhambyl'" in str(caught.value) and "zhambyl" in str(caught.value)


def cached_reports(out: Path) -> set[str]:
    """The reports an output folder's cache lists (none while it is being written)."""
    try:
        return set(json.loads((out / render_cache.CACHE_FILE).read_text())["reports"])
    except (OSError, ValueError, KeyError):
        return set()


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_render_leaves_a_consistent_folder(fixture_data, tmp_path, stop):
    out = tmp_path / "out"
    family: list[psutil.Process] = []
    run = cli("render", "parameters", "hangs", "--format", "html", "--jobs", "1", "--out",
              str(out), "--notebooks-dir", str(FIXTURES))  # fmt: skip
    try:
        hanging = out / "executed" / "hangs--all.en.ipynb"
        wait_for(hanging.exists, "the hanging notebook")
        wait_for(lambda: len(descendants(run.pid)) >= 2, "a worker and its kernel")
        # the finished report is in the cache before the stop (a loaded machine may lag here)
        wait_for(lambda: "parameters--all.en" in cached_reports(out), "the first report cached")
        family = descendants(run.pid)
        os.killpg(run.pid, stop)  # as the terminal does on Ctrl-C, or `kill` of the group
        _, err = run.communicate(timeout=120)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            for process in family:
                if process.is_running():
                    process.kill()
    assert run.returncode == 128 + stop, err
    assert "Traceback" not in err and "stopped" in err
    assert not list(out.glob(".*tmp*"))
    cache = json.loads((out / render_cache.CACHE_FILE).read_text())
    assert set(cache["reports"]) == {"parameters--all.en"}
    assert 'href="parameters--all.en.html"' in (out / "index.html").read_text()
    _, alive = psutil.wait_procs(family, timeout=60)
    assert not alive, [(p.pid, p.name()) for p in alive]


# --- The command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0", "soon"])
def test_timeout_refuses_what_is_not_a_positive_number(value, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["render", "--timeout", value])
    assert exit.value.code == 2
    assert "expected a number" in capsys.readouterr().err


def test_out_that_is_a_file_or_cannot_be_made_is_a_message(tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x")
    for out, expected in ((afile, "is a file, not a folder"), (afile / "sub", "cannot create")):
        status = main(["render", "parameters", "--format", "html", "--out", str(out),
                       "--notebooks-dir", str(FIXTURES)])  # fmt: skip
        err = capsys.readouterr().err
        assert status == 1 and expected in err and "Traceback" not in err
    assert afile.read_text() == "x"


def test_out_that_is_empty_or_inside_the_data_folder_is_refused(fixture_data, tmp_path, capsys):
    with pytest.raises(SystemExit) as empty:  # an empty name would mean the checkout itself
        main(["render", "parameters", "--out", "", "--notebooks-dir", str(FIXTURES)])
    assert empty.value.code == 2 and "expected a folder" in capsys.readouterr().err
    inside = fixture_data / "reports"  # its reports would change the data's hash: never cached
    status = main(["render", "parameters", "--format", "html", "--out", str(inside),
                   "--notebooks-dir", str(FIXTURES)])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2 and "inside the data folder" in err and not inside.exists()


def test_a_full_disk_is_a_message_and_leaves_nothing_half_written(tmp_path, capsys, monkeypatch):
    target = tmp_path / "index.html"
    target.write_text("earlier")
    render_files.temporary_path(target).symlink_to("/dev/full")  # writing there: ENOSPC
    with pytest.raises(OSError) as caught:
        render_files.write_atomic(target, "new")
    assert caught.value.errno == errno.ENOSPC
    assert target.read_text() == "earlier" and not list(tmp_path.glob(".*tmp*"))

    def full(path, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(render_index, "write_atomic", full)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "empty.ipynb").write_text("")  # fails without a kernel; then the index is due
    status = main(["render", "--format", "html", "--out", str(tmp_path / "out"),
                   "--notebooks-dir", str(notebooks)])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 1 and "No space left on device" in err and "index.html" in err


def test_check_data_into_a_closed_pipe_ends_quietly():
    run = cli("check-data")
    run.stdout.close()  # `| head -1` that has already left
    err = run.stderr.read()
    run.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_a_chromium_that_hangs_on_version_is_named_and_refused(tmp_path, monkeypatch, capsys):
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\nsleep 61\n")  # a wrapper whose child hangs
    fake.chmod(0o755)
    monkeypatch.setattr(chromium, "VERSION_TIMEOUT", 1.0)
    monkeypatch.setenv(chromium.CHROMIUM_ENV, str(fake))
    with pytest.raises(chromium.ChromiumError, match=f"{fake} --version did not answer within 1 s"):
        chromium.chromium_version()
    # HTML only too: that Chromium checks the charts, so it is asked first, not at each report
    for formats in (["pdf"], ["html"]):
        start = time.monotonic()
        status = main(["render", "parameters", "--format", *formats, "--out",
                       str(tmp_path / "out"), "--notebooks-dir", str(FIXTURES)])  # fmt: skip
        assert status == 2 and str(fake) in capsys.readouterr().err, formats
        assert time.monotonic() - start < 10, formats
    # nothing it started is left running
    hanging = [p for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] == ["sleep", "61"]]
    assert hanging == []


@pytest.mark.slow
def test_a_broken_notebook_is_named_and_the_others_render(fixture_data, tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "parameters.ipynb", notebooks)
    (notebooks / "empty.ipynb").write_text("")
    (notebooks / "broken.ipynb").write_text('{"cells": [')
    # a new notebook saved from JupyterLab, no cell tagged "parameters" yet
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Draft")]), notebooks / "draft.ipynb")
    status = main(["render", "--format", "html", "--out", str(tmp_path / "out"),
                   "--notebooks-dir", str(notebooks)])  # fmt: skip
    printed = capsys.readouterr().out
    assert status == 1
    assert (tmp_path / "out" / "parameters--all.en.html").is_file()
    for name in ("empty", "broken", "draft"):
        failed = f"FAILED {name}--all.en while reading the notebook: {notebooks / name}.ipynb"
        assert failed in printed
    assert "has no 'region' in a cell tagged 'parameters'" in printed


def test_a_parameter_value_the_notebook_cannot_use_is_refused_with_the_range(tmp_path, capsys):
    for value, expected in (("100", "must lie between 0 and"), ("80", "must lie between 0 and"),
                            ("-1", "between 0 and"), ("'seven'", "must be a number")):  # fmt: skip
        status = main(["render", "03-seat-shares", "--format", "html", "-p",
                       f"threshold_pct={value}", "--out", str(tmp_path)])  # fmt: skip
        err = capsys.readouterr().err
        assert status == 2, value
        assert "parameter 'threshold_pct'" in err and expected in err, err
    assert not list(tmp_path.glob("*.html"))


# --- Text from the data -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "[Nur Otan](https://evil.example/phish)",
        "![logo](https://evil.example/x.png)",
        "![file](/etc/hostname)",
        "# Heading",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "<https://evil.example>",
        "https://evil.example/bare",
        "*bold* _it_ `code` ~~del~~ $x$",
        "<script>alert(1)</script> &amp;",
        "1. item",
        "- item",
        "    indented code",
        "> quote",
    ],
)
def test_markdown_in_data_is_shown_as_text(name):
    from html.parser import HTMLParser

    from nbconvert.filters import markdown2html

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.text, self.tags = "", []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

        def handle_data(self, data):
            self.text += data

    for template in ("Party {name}.", "{name}"):  # mid-sentence, and where a block may start
        page = exporters.clean_report_html(markdown2html(md(template, name=name).data))
        found = Text()
        found.feed(page)
        assert found.tags == ["p"], page
        assert found.text.strip() == template.format(name=" ".join(name.split()))


def test_only_http_links_stay_in_a_report():
    cleaned = exporters.clean_report_html(
        '<a href="https://example.org/a">a</a><a href="file:///etc/passwd">b</a>'
        '<a href="mailto:x@example.org">c</a><a href="../x.html">d</a><a href="/x">e</a>'
    )
    assert cleaned.count("href=") == 1 and 'href="https://example.org/a"' in cleaned


def test_check_data_shows_control_characters_escaped(data_copy, capsys):
    from conftest import edit_csv

    edit_csv(
        data_copy / "party_lists.csv",
        "AJ,registered,174,reported,wikipedia_local,Campaign section.",
        "AJ,registered,\x1b[2J\x1b[31m174,reported,wikipedia_local,Campaign section.",
    )
    assert main(["check-data", "--data-dir", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2J\\x1b[31m174" in err


def test_a_foreign_notebook_is_exported_plainly():
    nb = new_notebook(cells=[
        new_markdown_cell("# Someone else's notebook"),
        new_code_cell("1", outputs=[new_output("execute_result", data={"text/plain": "1"},
                                               execution_count=1)]),
    ])  # fmt: skip
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    assert exporters.ELECTION not in page and "Data version" not in page
    assert "Someone else&#39;s notebook" in page or "Someone else's notebook" in page


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_printing_fetches_nothing_but_local_files(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_port}"
    page = tmp_path / "page.html"
    page.write_text(
        f'<html><head><link rel="stylesheet" href="{address}/style.css"></head><body>'
        f'<img src="{address}/image.png"><iframe src="{address}/frame"></iframe>'
        f'<script>fetch("{address}/fetch")</script><p>text</p></body></html>'
    )
    try:
        with chromium.Chromium(timeout=60) as browser:
            browser.print_pdf(page, tmp_path / "page.pdf")
    finally:
        server.shutdown()
    assert _Recorder.requests == []
    assert (tmp_path / "page.pdf").stat().st_size > 0


@pytest.mark.slow
def test_a_long_word_from_the_data_wraps_in_the_report(tmp_path):
    word = "Nur" + "o" * 3000 + "tan"
    nb = new_notebook(
        cells=[new_code_cell("say()", outputs=[
            new_output("display_data", data={"text/markdown": md("Party {n}.", n=word).data}),
            new_output("display_data", data={"text/html": f"<table><tr><td>{word}</td></tr>"}),
        ])],
        metadata={"maslihat": {"title": "Long words"}},
    )  # fmt: skip
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(nb)
    probe = (
        "<script>addEventListener('load', () => { const e = document.documentElement;"
        " e.dataset.overflow = e.scrollWidth > e.clientWidth ? 'yes' : 'no'; });</script>"
    )
    (tmp_path / "long.html").write_text(page.replace("<head>", "<head>" + probe, 1))
    command = [
        chromium.find_chromium(), *chromium.chromium_flags(tmp_path / "profile"),
        "--window-size=800,600", "--virtual-time-budget=5000", "--dump-dom",
        (tmp_path / "long.html").as_uri(),
    ]  # fmt: skip
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    assert 'data-overflow="no"' in dom


# --- The data folder ----------------------------------------------------------------------------


def check_data(folder: Path, capsys) -> tuple[int, str]:
    status = main(["check-data", "--data-dir", str(folder)])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def set_path(data_dir: Path, resource: str, path: str) -> None:
    descriptor_file = data_dir / "datapackage.json"
    descriptor = json.loads(descriptor_file.read_text())
    (entry,) = [r for r in descriptor["resources"] if r["name"] == resource]
    entry["path"] = path
    descriptor_file.write_text(json.dumps(descriptor))


@pytest.mark.parametrize("path", ["/etc/passwd", "../../etc/passwd", "link.csv", "C:/x.csv"])
def test_resource_paths_stay_inside_the_data_folder(data_copy, capsys, path):
    (data_copy / "link.csv").symlink_to("/etc/passwd")
    set_path(data_copy, "voters", path)
    status, printed = check_data(data_copy, capsys)
    assert status == 1 and "Traceback" not in printed
    assert "inside the data folder" in printed or "leads out of the data folder" in printed
    assert "root:" not in printed  # nothing of the file outside is shown


def _descriptor(data_dir: Path) -> dict:
    return json.loads((data_dir / "datapackage.json").read_text())


def _edit_descriptor(data_dir: Path, edit) -> None:
    descriptor = _descriptor(data_dir)
    edit(descriptor)
    (data_dir / "datapackage.json").write_text(json.dumps(descriptor))


def _field(descriptor: dict, resource: str = "voters", index: int = 0) -> dict:
    (entry,) = [r for r in descriptor["resources"] if r["name"] == resource]
    return entry["schema"]["fields"][index]


BROKEN_FOLDERS = {
    "field-without-name": lambda d: _edit_descriptor(d, lambda x: _field(x).pop("name")),
    "unknown-type": lambda d: _edit_descriptor(d, lambda x: _field(x).update(type="money")),
    "bad-pattern": lambda d: _edit_descriptor(
        d, lambda x: _field(x).update(constraints={"pattern": "([a-z"})
    ),
    "resources-not-a-list": lambda d: _edit_descriptor(d, lambda x: x.update(resources={"a": 1})),
    "schema-a-text": lambda d: _edit_descriptor(
        d, lambda x: x["resources"][0].update(schema="fields")
    ),
    "deep-nesting": lambda d: (d / "datapackage.json").write_text("[" * 100_000 + "]" * 100_000),
    "descriptor-a-folder": lambda d: ((d / "datapackage.json").unlink(),
                                      (d / "datapackage.json").mkdir()),
    "header-only": lambda d: (d / "voters.csv").write_text(
        (d / "voters.csv").read_text().splitlines()[0] + "\n"
    ),
    "symlink-loop": lambda d: ((d / "voters.csv").unlink(),
                               (d / "voters.csv").symlink_to(d / "voters.csv")),
    "folder-for-a-file": lambda d: ((d / "voters.csv").unlink(), (d / "voters.csv").mkdir()),
}  # fmt: skip


@pytest.mark.parametrize("breakage", sorted(BROKEN_FOLDERS))
def test_a_broken_data_folder_gives_a_message_naming_the_file(data_copy, capsys, breakage):
    BROKEN_FOLDERS[breakage](data_copy)
    status, printed = check_data(data_copy, capsys)
    assert status == 1 and "Traceback" not in printed
    names = "voters" if breakage in {"header-only", "symlink-loop", "folder-for-a-file",
                                     "field-without-name", "unknown-type", "bad-pattern"} \
        else "datapackage.json"  # fmt: skip
    assert names in printed, printed


def test_one_root_cause_gives_one_message(data_copy, capsys):
    lines = (data_copy / "parties.csv").read_text().splitlines()
    (data_copy / "parties.csv").write_text("\n".join(f"{line},x" for line in lines) + "\n")
    status, printed = check_data(data_copy, capsys)
    assert status == 1
    problems = [line for line in printed.splitlines() if line.startswith("  - ")]
    assert problems and all("/parties.csv: " in p for p in problems), printed  # no follow-ons
    assert "unexpected column 'x'" in printed and "unknown party_code" not in printed


def test_a_wrongly_encoded_file_names_the_line_of_the_bad_byte(data_copy, capsys):
    text = (data_copy / "parties.csv").read_bytes().replace(b"Ak Zhol", b"Ak \xc6hol", 1)
    (data_copy / "parties.csv").write_bytes(text)
    line = text[: text.index(b"\xc6")].count(b"\n") + 1
    status, printed = check_data(data_copy, capsys)
    assert status == 1 and f"parties.csv, line {line}: not UTF-8 text (byte 0xc6)" in printed


def test_many_bad_rows_print_a_capped_list(data_copy, capsys):
    header = (data_copy / "voters.csv").read_text().splitlines()[0]
    width = header.count(",") + 1
    (data_copy / "voters.csv").write_text(header + "\n" + "x\n" * 200_000)  # every row too short
    status, printed = check_data(data_copy, capsys)
    assert status == 1 and len(printed.splitlines()) < 60
    assert f"1 fields, expected {width}" in printed and "199990 more rows" in printed


# Fuzzing: the project's descriptor with one part replaced, or a table with generated text.
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=3),
    max_leaves=8,
)  # fmt: skip
BASE_DESCRIPTOR = json.loads((ROOT / "data" / "datapackage.json").read_text())


@st.composite
def mutated_descriptors(draw) -> object:
    import copy

    descriptor = copy.deepcopy(BASE_DESCRIPTOR)
    parent, key, node = None, None, descriptor
    for _ in range(draw(st.integers(0, 7))):
        if isinstance(node, dict) and node:
            parent, key = node, draw(st.sampled_from(sorted(node)))
        elif isinstance(node, list) and node:
            parent, key = node, draw(st.integers(0, len(node) - 1))
        else:
            break
        node = parent[key]
    if parent is None:
        return draw(JSON)
    if isinstance(parent, dict) and draw(st.booleans()):
        del parent[key]
    else:
        parent[key] = draw(JSON)
    return descriptor


def _checked_quietly(folder: Path) -> tuple[int, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["check-data", "--data-dir", str(folder)])
    return status, err.getvalue()


@settings(max_examples=60, deadline=None)
@given(descriptor=mutated_descriptors())
def test_fuzz_any_descriptor_gives_messages_not_a_traceback(descriptor):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", folder)
        (folder / "datapackage.json").write_text(json.dumps(descriptor))
        status, err = _checked_quietly(folder)  # raises, failing the test, on a traceback
    assert status in (0, 1)
    assert status == 0 or "is not valid" in err


CSV_TEXT = st.text(alphabet=st.sampled_from(list(',"\n\r ab1-.#:é\x00')), max_size=200)


@settings(max_examples=60, deadline=None)
@given(table=st.sampled_from(sorted(r["path"] for r in BASE_DESCRIPTOR["resources"])),
       content=st.one_of(CSV_TEXT.map(str.encode), st.binary(max_size=100)))  # fmt: skip
def test_fuzz_any_table_content_gives_messages_not_a_traceback(table, content):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", folder)
        original = (folder / table).read_bytes()
        (folder / table).write_bytes(original.splitlines(keepends=True)[0] + content)
        status, err = _checked_quietly(folder)
    assert status in (0, 1)
    assert status == 0 or "is not valid" in err


def test_prose_that_looks_like_an_address_or_a_file_is_shown_not_fetched_or_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret")
    for name in (str(secret), "http://127.0.0.1:9/never-fetched"):
        assert md("{name}", name=name).data.replace("\\", "") == name


@pytest.mark.slow
def test_without_a_terminal_each_finished_report_is_one_line_of_the_log(fixture_data, tmp_path):
    out = str(tmp_path / "out")
    run = cli("render", "parameters", "--region", "Akmola", "Aktobe", "--format", "html",
              "--jobs", "1", "--out", out, "--notebooks-dir", str(FIXTURES))  # fmt: skip
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err
    lines = [line for line in err.splitlines() if line.startswith("[")]
    assert [line.split(":")[0] for line in lines] == [
        "[1/2] parameters--akmola.en",
        "[2/2] parameters--aktobe.en",
    ]
    assert "\r" not in err and "Rendering:" not in err  # no progress bar written into a log
