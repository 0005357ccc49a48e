"""`maslihat preview`: one report's HTML served on 127.0.0.1, re-rendered when its inputs change.

The notebook and every file of the data folder are polled for changes (their modification times
and sizes); a change renders the report again on a kept ("warm") kernel, with the same machinery as
`maslihat render` (`maslihat.render.render_job`, one worker in this process). The page carries a
small script that asks `/version` a few times a second and reloads itself, at the same scroll
position, when a new version is there. A notebook that fails shows the error instead of the
report, and the preview goes on watching.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

POLL_SECONDS = 0.1  # how often the inputs are looked at
SETTLE_SECONDS = 0.05  # a change is rendered once the files have stopped changing this long
PAGE_POLL_MS = 150  # how often the open page asks for a new version
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

# Injected before </body>: reload when /version changes, keeping the scroll position.
RELOAD_SCRIPT = """<script>
(function () {
  var version = %(version)d, key = "maslihat-preview-scroll";
  var saved = sessionStorage.getItem(key);
  if (saved !== null) { sessionStorage.removeItem(key); window.scrollTo(0, +saved); }
  function poll() {
    fetch("/version", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (text) {
        if (+text !== version) {
          sessionStorage.setItem(key, String(window.scrollY));
          location.reload();
        } else { setTimeout(poll, %(poll)d); }
      }, function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, %(poll)d);
})();
</script>"""

MESSAGE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>%(title)s</title>
<style>
body { font-family: "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
h1 { font-size: 1.3rem; } .failed h1 { color: #a61b1b; }
pre { background: #f6f6f6; padding: 1rem; overflow-x: auto; white-space: pre-wrap; }
</style></head>
<body class="%(kind)s"><h1>%(title)s</h1>%(body)s</body></html>"""


class PreviewError(ValueError):
    """The preview cannot start as asked (unknown notebook, region, parameter, port in use)."""


def inject_reload(page: str, version: int) -> str:
    """The page with the reload script before its </body> (or at its end)."""
    script = RELOAD_SCRIPT % {"version": version, "poll": PAGE_POLL_MS}
    at = page.lower().rfind("</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


def message_page(title: str, body_html: str, kind: str = "waiting") -> str:
    """A plain page (waiting, or an error) in place of the report."""
    return MESSAGE_PAGE % {"title": html.escape(title), "body": body_html, "kind": kind}


def _traceback(executed: Path | None) -> str:
    """The error output of an executed notebook, as plain text (no ANSI colours)."""
    if executed is None or not executed.exists():
        return ""
    try:
        nb = json.loads(executed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                text = "\n".join(output.get("traceback", []))
                source = "".join(cell.get("source", ""))
                return f"In the cell:\n{source}\n\n{_ANSI.sub('', text)}"
    return ""


def snapshot(paths: Callable[[], list[Path]]) -> dict[str, tuple[int, int]]:
    """Modification time and size of each watched file (missing files left out)."""
    found = {}
    for path in paths():
        try:
            stat = path.stat()
        except OSError:
            continue
        found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


@dataclass
class Preview:
    """One report kept rendered: the page served, its version, and how the last render went."""

    notebook: Path
    region: str = "All"
    parameters: dict[str, Any] = field(default_factory=dict)
    timeout: float = 300.0
    version: int = 0
    page: str = ""
    ok: bool = False
    seconds: float = 0.0
    error: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # the report's data files (CSV) by path
    lang: str = "en"  # the report's language
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _out: tempfile.TemporaryDirectory | None = None

    def __post_init__(self) -> None:
        self.page = inject_reload(
            message_page(f"Rendering {self.notebook.stem} …", "<p>The page reloads itself.</p>"),
            self.version,
        )

    def watched(self) -> list[Path]:
        """The notebook and every file of the data folder."""
        from maslihat.render import data_dir

        folder = data_dir()
        files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
        return [self.notebook, *sorted(files)]

    def _publish(self, page: str, files: dict[str, str] | None = None) -> None:
        with self._lock:
            self.version += 1
            self.page = inject_reload(page, self.version)
            self.files = dict(files or {})

    def render(self) -> bool:
        """Render the report once (warm kernel) and publish the page or the error; True if ok."""
        from maslihat import render as r
        from maslihat.render.inputs import plan_jobs, read_notebook

        start = time.monotonic()
        if self._out is None:
            self._out = tempfile.TemporaryDirectory(prefix="maslihat-preview-")
        out = Path(self._out.name)
        notebook = read_notebook(self.notebook)
        if notebook.problem:
            return self._failed(notebook.problem, "reading the notebook", None, start)
        try:
            r.check_parameters(self.parameters, {self.notebook.stem: notebook.parameters})
        except r.RenderInputError as err:
            return self._failed(str(err), "checking the parameters", None, start)
        (job,) = plan_jobs(
            {self.notebook.stem: notebook}, [self.region], ("html",), self.parameters, out,
            self.timeout, True, _data_version(), (self.lang,),
        )  # fmt: skip
        made, error, stage = render_page(job)
        if made is None:
            return self._failed(error or "failed", stage, job.executed, start)
        self.ok, self.error, self.seconds = True, None, time.monotonic() - start
        self._publish(*made)
        return True

    def _failed(self, error: str, stage: str, executed: Path | None, start: float) -> bool:
        self.ok, self.error, self.seconds = False, f"{stage}: {error}", time.monotonic() - start
        trace = _traceback(executed)
        body = (
            f"<p>The report failed while {html.escape(stage)}:</p>"
            f"<pre>{html.escape(error)}</pre>"
            + (f"<pre>{html.escape(trace)}</pre>" if trace else "")
            + "<p>Fix the notebook and save it: this page reloads itself.</p>"
        )
        self._publish(message_page(f"{self.notebook.stem}: failed", body, "failed"))
        return False

    def close(self) -> None:
        """Stop the kept kernel and browser, remove the rendered files."""
        from maslihat.render.execute import Worker

        Worker.shutdown()
        if self._out is not None:
            self._out.cleanup()
            self._out = None


def render_page(job: Any) -> tuple[tuple[str, dict[str, str]] | None, str | None, str]:
    """Run a report job's notebook on the kept kernel and export its HTML, as `render_job` does.

    Returns ((page, data files by relative path), None, stage) or (None, error, stage where it
    failed). Unlike a render, the
    charts are not checked in a separate Chromium: the browser showing the preview draws them.
    """
    from maslihat.render.execute import ReportFailure, make_html
    from maslihat.render.jobs import STAGE_WORDS

    try:
        page, files = make_html(job)
    except ReportFailure as failure:  # shown on the page; the preview goes on
        return None, str(failure), STAGE_WORDS[failure.stage]
    return (page, dict(files)), None, STAGE_WORDS["export"]


def _data_version() -> str:
    from maslihat.exporters import data_version_label

    return data_version_label()


def _handler(preview: Preview) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: str, kind: str) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            path = self.path.split("?", 1)[0]
            with preview._lock:
                version, page, files = preview.version, preview.page, preview.files
            wanted = unquote(path).lstrip("/")
            if path == "/version":
                self._send(200, str(version), "text/plain")
            elif path in ("/", "/index.html"):
                self._send(200, page, "text/html")
            elif wanted in files:  # a table's or chart's data, linked under it
                self._send(200, files[wanted], "text/csv")
            else:
                self._send(404, "not found", "text/plain")

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the page polls /version several times a second

    return Handler


def serve(
    notebook: Path,
    region: str = "All",
    parameters: dict[str, Any] | None = None,
    port: int = 8765,
    timeout: float = 300.0,
    out: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    lang: str = "en",
) -> None:
    """Serve the report (in `lang`) on 127.0.0.1:port; re-render on every change until `stop`.

    Raises PreviewError when the port cannot be used; the caller checks notebook and region.
    """
    from maslihat.data import DATA_DIR_ENV
    from maslihat.render import data_dir

    os.environ[DATA_DIR_ENV] = str(data_dir())  # the kernel reads the data the preview watches
    preview = Preview(notebook, region, dict(parameters or {}), timeout, lang=lang)
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler(preview))
    except OSError as err:
        raise PreviewError(
            f"--port {port}: cannot listen on 127.0.0.1:{port} ({err.strerror or err}); "
            "choose another port, or --port 0 for any free one"
        ) from None
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              daemon=True)  # fmt: skip
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    out(f"maslihat preview: {notebook.stem} for {region} at {url} (Ctrl-C stops it)")
    stop = stop or threading.Event()
    try:
        seen: dict[str, tuple[int, int]] | None = None
        while not stop.is_set():
            now = snapshot(preview.watched)
            if now != seen:
                time.sleep(SETTLE_SECONDS)  # let a save finish
                now = snapshot(preview.watched)
                changed = "first render" if seen is None else _changes(seen, now)
                seen = now
                ok = preview.render()
                out(
                    f"  {time.strftime('%H:%M:%S')} {changed}: "
                    + (f"rendered in {preview.seconds:.1f} s" if ok else f"FAILED {preview.error}")
                )
            stop.wait(POLL_SECONDS)
    finally:
        server.shutdown()
        server.server_close()
        preview.close()


def _changes(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> str:
    """Which files changed, in a few words."""
    names = sorted(Path(p).name for p in set(before) | set(after) if before.get(p) != after.get(p))
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def check_request(
    notebook: str, region: str | None, parameters: dict[str, Any], notebooks_dir: Path,
    lang: str = "en",
) -> tuple[Path, str]:
    """The notebook's path and the canonical region, after the checks `maslihat render` makes.

    Raises RenderInputError naming the unknown notebook, region, parameter or invalid value.
    """
    from maslihat import render as r
    from maslihat.render.inputs import check_parameter_values, read_notebook

    (path,) = r.select_notebooks([notebook], Path(notebooks_dir)).values()
    (canonical,) = r.select_regions([region] if region else None)
    read = read_notebook(path)
    if not read.problem:  # an unreadable notebook is shown on the page, and watched for a fix
        r.check_parameters(parameters, {path.stem: read.parameters})
        r.select_languages([lang])  # a notebook written in English only is shown in English
    check_parameter_values(parameters, r.election_data)
    return path, canonical
