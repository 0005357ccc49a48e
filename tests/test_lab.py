"""JupyterLab: `make lab` starts headless, as root too; the set-up installs the named kernel."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from conftest import ROOT

KERNEL = "maslihat"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_setup_installs_the_named_kernel_running_this_environment():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    assert spec.display_name == "Python (maslihat)"
    assert Path(spec.argv[0]) == Path(sys.executable)  # the project's .venv, not a global Python
    # This environment's own copy, found before a user-wide one from another checkout.
    assert Path(spec.resource_dir).is_relative_to(Path(sys.prefix))


def test_the_lab_extension_serves_the_reports_vega_bundle_and_names_the_exporters(tmp_path):
    from jupyterlab_server.config import get_federated_extensions

    from maslihat import labextension
    from maslihat.display import LAB_MIMETYPE, vega_bundle
    from maslihat.exporters import ReportHTMLExporter, ReportPDFExporter

    folder, written = labextension.install(folder=tmp_path / "labextensions" / "maslihat-charts")
    assert written
    found = get_federated_extensions([str(tmp_path / "labextensions")])["maslihat-charts"]
    build = found["jupyterlab"]["_build"]
    assert build["mimeExtension"] == "./mimeExtension" and build["extension"] == "./extension"
    script = (folder / build["load"]).read_text(encoding="utf-8")
    bundle = re.search(r'new URL\("([^"]+)"', script).group(1)
    assert (folder / "static" / bundle).read_text(encoding="utf-8") == vega_bundle()
    assert f"const MIMETYPES = {json.dumps([LAB_MIMETYPE])};" in script
    labels = json.loads(re.search(r"const LABELS = (\{.*\});", script).group(1))
    assert labels == {"maslihat_html": ReportHTMLExporter.export_from_notebook,
                      "maslihat_pdf": ReportPDFExporter.export_from_notebook}  # fmt: skip
    assert labextension.install(folder=folder) == (folder, False)  # up to date: left alone
    assert labextension.install(folder=folder, force=True) == (folder, True)
    assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == sorted(
        ["package.json", Path(build["load"]).name, bundle]
    )  # no stale files left beside the new ones


def test_the_setup_installs_the_lab_extension_in_this_environment():
    from maslihat import labextension

    assert labextension.target_dir().is_relative_to(Path(sys.prefix))
    assert (labextension.target_dir() / "package.json").is_file()


def test_make_lab_refuses_a_port_that_is_not_a_number():
    done = subprocess.run(
        ["make", "-s", "lab", "PORT=80a"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "PORT must be a port number (1-65535), got '80a'" in done.stderr


class Lab:
    """JupyterLab started the way `make lab` starts it, on a free port with a known token."""

    def __init__(self, folder: Path, token: str = "maslihat-test-token"):
        self.folder, self.port, self.token = folder, free_port(), token
        self.browser_marker = folder.parent / "browser-was-opened"
        opener = folder.parent / "browser"
        opener.write_text(f"#!/bin/sh\ntouch {self.browser_marker}\n")
        opener.chmod(0o755)
        env = {**os.environ, "PORT": str(self.port), "BROWSER": str(opener)}
        self.log = folder.parent / "lab.log"
        self.process = subprocess.Popen(
            ["bash", str(ROOT / "scripts" / "lab.sh"), str(folder),
             f"--IdentityProvider.token={token}"],
            env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.url = self.wait_for_url()

    def wait_for_url(self, timeout: float = 90) -> str:
        deadline = time.monotonic() + timeout
        found = None
        while time.monotonic() < deadline:
            found = found or re.search(r"http://\S+/lab\?token=\S+", self.log.read_text())
            # Jupyter prints its URL before its event loop binds the port: wait for an answer.
            if found and self.answers():
                return found.group()
            if self.process.poll() is not None:
                break
            time.sleep(0.3)
        self.stop()
        raise AssertionError(f"JupyterLab did not start:\n{self.log.read_text()[-3000:]}")

    def answers(self) -> bool:
        try:
            self.get("/api/status")
        except OSError:  # URLError is an OSError: refused while the port is not yet bound
            return False
        return True

    def get(self, path: str) -> dict:
        url = f"http://127.0.0.1:{self.port}{path}?token={self.token}"
        with urllib.request.urlopen(url, timeout=30) as response:
            return json.loads(response.read())

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.mark.slow
def test_make_lab_serves_on_localhost_without_opening_a_browser(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    lab = Lab(folder)
    try:
        assert lab.url.startswith(f"http://127.0.0.1:{lab.port}/lab?token=")
        specs = lab.get("/api/kernelspecs")
        assert specs["kernelspecs"][KERNEL]["spec"]["display_name"] == "Python (maslihat)"
        assert lab.get("/api/contents")["path"] == ""  # serves the given folder
    finally:
        lab.stop()
    # As root (as here and in CI) Jupyter refuses to start unless told --allow-root: it started.
    assert not lab.browser_marker.exists(), "make lab tried to open a browser"


@pytest.mark.slow
def test_plain_papermill_runs_a_notebook_that_names_the_maslihat_kernel(tmp_path):
    nb = nbformat.read(ROOT / "notebooks" / "03-seat-shares.ipynb", as_version=4)
    nb.metadata.kernelspec = {"name": KERNEL, "display_name": "Python (maslihat)",
                              "language": "python"}  # fmt: skip
    source = tmp_path / "03-seat-shares.ipynb"
    nbformat.write(nb, source)
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(
        str(source), str(out), parameters={"region": "Akmola"}, progress_bar=False,
        cwd=str(ROOT / "notebooks"),
    )  # fmt: skip
    executed = nbformat.read(out, as_version=4)
    assert executed.metadata.papermill.get("exception") is None
    assert executed.metadata.kernelspec.name == KERNEL
