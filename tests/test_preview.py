"""`maslihat preview`: serves the report, re-renders on a change, shows an error and goes on."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from maslihat.cli import main
from maslihat.preview import inject_reload

MASLIHAT = str(Path(sys.executable).with_name("maslihat"))


def test_the_reload_script_goes_before_the_end_of_the_body():
    page = inject_reload("<html><body><p>report</p></body></html>", 7)
    assert page.index("var version = 7") < page.index("</body>")
    assert 'fetch("/version"' in page and "http" not in page.split("<script>")[1]  # no external JS


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["99-nothing"], "unknown notebook '99-nothing'"),
        (["03-seat-shares", "--region", "Atlantis"], "unknown region 'Atlantis'"),
        (["03-seat-shares", "-p", "colour=red"], "unknown parameter 'colour'"),
        (["03-seat-shares", "-p", "threshold_pct=150"], "threshold_pct"),
        (["03-seat-shares", "--lang", "de"], "unknown language 'de'. Languages: en (English)"),
        (["03-seat-shares", "-p", "lang=ru"], "give the language with --lang"),
    ],
)
def test_preview_refuses_a_bad_request_naming_it(capsys, argv, message):
    assert main(["preview", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("maslihat preview: ") and message in err


def test_preview_refuses_a_bad_port(capsys):
    with pytest.raises(SystemExit) as done:
        main(["preview", "03-seat-shares", "--port", "70000"])
    assert done.value.code == 2
    assert "expected a port from 0 to 65535, got '70000'" in capsys.readouterr().err


class Served:
    """`maslihat preview` in a process of its own; its URL read from what it prints."""

    def __init__(self, *args: str):
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"preview-{os.getpid()}-{id(self)}.log"
        self.process = subprocess.Popen(
            [MASLIHAT, "preview", *args, "--port", "0"], stdout=self.log.open("w"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.url = self._wait(lambda: re.search(r"at (http://127\.0\.0\.1:\d+/)", self.text()))[1]

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def _wait(self, found, timeout: float = 120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if result := found():
                return result
            assert self.process.poll() is None, f"preview stopped:\n{self.text()}"
            time.sleep(0.1)
        raise AssertionError(f"not seen within {timeout} s; preview printed:\n{self.text()}")

    def get(self, path: str = "") -> str:
        with urllib.request.urlopen(self.url + path, timeout=30) as response:
            return response.read().decode("utf-8")

    def page_with(self, text: str) -> str:
        return self._wait(lambda: (page := self.get()) and text in page and page)

    def stop(self) -> int:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        code = self.process.wait(timeout=60)
        self.log.unlink(missing_ok=True)
        return code


def insert_cell(path: Path, index: int, cell_type: str, source: str) -> None:
    """Insert a cell into a notebook file, as a save from JupyterLab would."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = {"cell_type": cell_type, "id": f"test-{len(nb['cells'])}", "metadata": {},
            "source": source}  # fmt: skip
    if cell_type == "code":
        cell.update(outputs=[], execution_count=None)
    nb["cells"].insert(index, cell)
    path.write_text(json.dumps(nb), encoding="utf-8")


def remove_cell(path: Path, source: str) -> None:
    """Remove the cell with this source from a notebook file."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if "".join(c["source"]) != source]
    path.write_text(json.dumps(nb), encoding="utf-8")


# After the set-up cell (title, parameters, set-up): the report's first section.
AFTER_SETUP = 3


@pytest.mark.slow
def test_preview_follows_edits_and_shows_an_error_on_the_page(tmp_path):
    shutil.copy(ROOT / "notebooks" / "03-seat-shares.ipynb", tmp_path)
    notebook = tmp_path / "03-seat-shares.ipynb"
    served = Served("03-seat-shares", "--notebooks-dir", str(tmp_path), "--region", "akmola")
    try:
        first = served.page_with('class="maslihat-chart')
        assert "var version = 1" in first and "Akmola" in first
        for link in re.findall(r'href="([^"/:]+\.data/[^"]+\.csv)"', first)[:1]:
            assert "," in served.get(link).splitlines()[0]  # a table's data, served beside it
        version = int(served.get("version"))

        insert_cell(notebook, AFTER_SETUP, "markdown", "Edited for the test.")
        edited = served.page_with("Edited for the test.")
        assert int(served.get("version")) > version and 'class="maslihat-chart' in edited

        insert_cell(notebook, AFTER_SETUP, "code", "undefined_name")
        failed = served.page_with("failed while running the notebook")
        assert "NameError: name &#x27;undefined_name&#x27; is not defined" in failed
        assert "var version" in failed  # the error page reloads itself too

        remove_cell(notebook, "undefined_name")
        assert 'class="maslihat-chart' in served.page_with("Edited for the test.")  # went on
        assert "FAILED running the notebook: NameError" in served.text()
    finally:
        assert served.stop() == 128 + signal.SIGTERM  # stopped, as render says: 143
