"""Headless Chromium, driven over its DevTools pipe, prints report pages to A4 PDF.

nbconvert's `webpdf` exporter cannot use a system Chromium (its playwright downloads one), so the
reports are printed by the Debian `chromium-headless-shell` or `chromium` (or $MASLIHAT_CHROMIUM)
started here, kept off the network and with a throw-away profile.
"""

from __future__ import annotations

import base64
import ctypes
import json
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

# Chromium's headless shell first: the same Blink prints the same pages (the PDF's /Creator aside)
# without the browser's windowing layer, in three quarters of the processor time a page and half
# the memory of a headless `chromium`.
CHROMIUM_NAMES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
CHROMIUM_ENV = "MASLIHAT_CHROMIUM"
VERSION_TIMEOUT = 10.0  # seconds `chromium --version` may take before it is taken as broken
PR_SET_PDEATHSIG = 1  # Linux prctl option: a signal for this process when its parent dies


class ChromiumError(RuntimeError):
    """Printing with Chromium is not possible; the message says why and what to do."""


class ChromiumNotFoundError(ChromiumError):
    """No Chromium to print PDFs with; the message says how to install one."""


class BrowserError(ChromiumError):
    """Chromium failed, timed out or could not print a page."""


class PageError(BrowserError):
    """The page itself cannot be printed: it did not load, or some of its charts failed to draw."""


INSTALL_CHROMIUM = (
    "Chromium is needed to print PDF reports and was not found on PATH "
    f"(looked for {', '.join(CHROMIUM_NAMES)}) or in ${CHROMIUM_ENV}. Install it with "
    "`sudo apt-get install chromium-headless-shell` (Debian; or `chromium`) or `make setup`, "
    f"or set {CHROMIUM_ENV}=/path/to/chromium. HTML reports work without it: --format html."
)


def find_chromium() -> str:
    """Path of the Chromium to print with: $MASLIHAT_CHROMIUM, else the first on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        found = shutil.which(configured)
        if not found:
            raise ChromiumNotFoundError(
                f"${CHROMIUM_ENV} is {configured!r}, which is not an executable. "
                + INSTALL_CHROMIUM
            )
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumNotFoundError(INSTALL_CHROMIUM)


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Have Linux send this process `sig` when its parent exits; False where that is unavailable."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def chromium_version(binary: str | None = None) -> str:
    """What `chromium --version` says (the printer shapes the PDF); ChromiumError if it cannot."""
    binary = binary or find_chromium()
    try:
        # its own process group: a wrapper script that hangs is stopped with all it started
        proc = subprocess.Popen(
            [binary, "--version"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
    except OSError as err:
        raise ChromiumError(f"cannot run {binary}: {err.strerror or err}") from None
    try:
        out, err = proc.communicate(timeout=VERSION_TIMEOUT)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise ChromiumError(
            f"{binary} --version did not answer within {VERSION_TIMEOUT:g} s: is it a working "
            f"Chromium? It prints the PDFs and checks that the HTML reports' charts draw. Set "
            f"{CHROMIUM_ENV} to another one"
        ) from None
    if proc.returncode != 0:
        raise ChromiumError(
            f"{binary} --version failed (exit status {proc.returncode}): "
            f"{(err or out).strip()[:300]}"
        )
    return out.strip() or "unknown"


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill a process started in its own session, and every process of its group."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:  # already gone
        pass
    proc.wait()


def chromium_flags(user_data_dir: Path) -> list[str]:
    """Flags for a headless Chromium that stays off the network and leaves no profile behind."""
    flags = [
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--mute-audio",
        "--hide-scrollbars",
        # No renderer process started ahead for the next tab: each page opens in a new tab, which
        # Chromium gives a process of the page's site, so the one started ahead was thrown away
        # (an eighth of the browser's time on reports).
        "--disable-features=SpareRendererForSitePerProcess",
        # A page lives half a second: V8's optimising compilers (Maglev, TurboFan) would compile
        # its hot functions on other threads for code that is thrown away with the page (a sixth
        # of Chromium's time on the reports); interpreted and baseline-compiled code draws them.
        "--js-flags=--no-opt --no-maglev",
        f"--user-data-dir={user_data_dir}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return flags


class Chromium:
    """One headless Chromium driven over --remote-debugging-pipe, printing many pages to PDF.

    Starting Chromium costs about a second of CPU; a worker keeps one for all its reports.
    """

    def __init__(self, binary: str | None = None, timeout: float = 120,
                 keep_drawings: bool = False):  # fmt: skip
        self.binary = binary or find_chromium()
        self.timeout = timeout
        self.keep_drawings = keep_drawings  # keep each page's charts as drawn, in `drawings`
        self._profile: tempfile.TemporaryDirectory | None = None
        self._proc: subprocess.Popen | None = None
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self.blocked: list[str] = []  # addresses pages asked for and were refused
        # seconds the last page took: "charts" (opened, every chart drawn), "print" (the PDF)
        self.timings: dict[str, float] = {}
        # with keep_drawings, the last page's charts as drawn: one SVG each (None if not drawn)
        self.drawings: list[str | None] = []

    def __enter__(self) -> Chromium:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def alive(self) -> bool:
        """Whether the browser process is running."""
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        """Start Chromium with a fresh profile; its debugging pipe is our stdin and stdout."""
        self._profile = tempfile.TemporaryDirectory(prefix="maslihat-chromium-")
        flags = chromium_flags(Path(self._profile.name))
        # Chromium reads commands on fd 3 and answers on fd 4: map them from the pipes.
        script = 'exec "$0" "$@" 3<&0 4>&1 </dev/null >/dev/null'
        self._proc = subprocess.Popen(
            # it opens a blank page, not its new-tab page (a renderer of 40 MB instead of 60)
            ["/bin/sh", "-c", script, self.binary, *flags, "--remote-debugging-pipe",
             "about:blank"],  # fmt: skip
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=die_with_parent,  # never outlives the process that prints with it
        )

    def kill(self) -> None:
        """Stop the browser at once, without asking it (the process that owns it is stopping)."""
        if self._proc is not None:
            _kill_group(self._proc)
            self._proc = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        if self._proc is not None:
            if self.alive:
                try:
                    self._call("Browser.close", timeout=5)
                    self._proc.wait(timeout=5)
                except (BrowserError, subprocess.TimeoutExpired, OSError):
                    _kill_group(self._proc)
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream:
                    stream.close()
            self._proc = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def print_pdf(self, source: Path, target: Path, draft: bool = False) -> None:
        """Open an HTML file, wait until its charts are drawn, and print it as A4 PDF.

        `draft`: a print read only for where things fall (the pages of a contents page's
        anchors), untagged and without bookmarks: a third faster."""

        def printed(sid: str) -> dict[str, Any]:
            clock = time.monotonic()
            pdf = self._call("Page.printToPDF", DRAFT_OPTIONS if draft else PDF_OPTIONS, sid)
            target.write_bytes(base64.b64decode(pdf["data"]))
            self.timings["print"] = time.monotonic() - clock
            return pdf

        self._with_page(source, printed)

    def check_page(self, source: Path) -> None:
        """Open an HTML file and raise PageError unless it opens and every chart is drawn."""
        self._with_page(source, lambda sid: {})

    def _with_page(self, source: Path, action) -> dict[str, Any]:
        """Open a page in a new tab that may load only files, check its charts, then run action."""
        if not self.alive:
            self.close()
            self.start()
        clock = time.monotonic()
        deadline = clock + self.timeout
        self.timings, self.drawings = {}, []
        target_id = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._call("Target.attachToTarget", {"targetId": target_id, "flatten": True})
        sid = session["sessionId"]
        try:
            # Every request pauses here first; only file: and data: ones may go on (_dispatch).
            self._call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session=sid)
            self._call("Page.enable", session=sid)
            self._events.clear()
            url = source.resolve().as_uri()
            opened = self._call("Page.navigate", {"url": url}, session=sid)
            if opened.get("errorText"):
                raise PageError(f"{source.name}: could not open the page ({opened['errorText']})")
            self._wait_event("Page.loadEventFired", sid, deadline)
            charts = self._call(
                "Runtime.evaluate",
                {"expression": CHARTS_DRAWN_JS, "awaitPromise": True, "returnByValue": True},
                session=sid,
                timeout=deadline - time.monotonic(),
            )
            if "exceptionDetails" in charts:
                raise BrowserError(f"{source.name}: {charts['exceptionDetails'].get('text')}")
            _check_charts(source, charts["result"]["value"])
            if self.keep_drawings and charts["result"]["value"]["state"] != "none":
                drawn = self._call("Runtime.evaluate",
                                   {"expression": DRAWINGS_JS, "returnByValue": True},
                                   session=sid)  # fmt: skip
                self.drawings = drawn.get("result", {}).get("value") or []
            self.timings["charts"] = time.monotonic() - clock
            return action(sid)
        finally:
            self._call("Target.closeTarget", {"targetId": target_id})

    def _send(self, method: str, params: dict[str, Any], session: str | None = None) -> int:
        """Send one DevTools command without waiting for its answer; return its id."""
        assert self._proc is not None and self._proc.stdin is not None
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        try:
            self._proc.stdin.write(json.dumps(message).encode() + b"\0")
            self._proc.stdin.flush()
        except OSError as err:
            raise BrowserError(f"Chromium ({self.binary}) stopped ({err})") from err
        return self._next_id

    def _dispatch(self, event: dict[str, Any]) -> None:
        """Keep an event for _wait_event; answer a paused request (only local files may load)."""
        if event.get("method") != "Fetch.requestPaused":
            self._events.append(event)
            return
        request = event["params"]
        url = request.get("request", {}).get("url", "")
        if url.startswith(("file:", "data:")):
            self._send("Fetch.continueRequest", {"requestId": request["requestId"]},
                       event.get("sessionId"))  # fmt: skip
        else:
            self.blocked.append(url)
            self._send("Fetch.failRequest",
                       {"requestId": request["requestId"], "errorReason": "BlockedByClient"},
                       event.get("sessionId"))  # fmt: skip

    def _call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Send one DevTools command and return its result, keeping events that arrive meanwhile."""
        sent = self._send(method, params or {}, session)
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        while True:
            reply = self._read(deadline)
            if reply.get("id") == sent:
                if "error" in reply:
                    raise BrowserError(
                        f"Chromium ({self.binary}) {method}: {reply['error'].get('message')}"
                    )
                return reply.get("result", {})
            if "method" in reply:
                self._dispatch(reply)

    def _wait_event(self, method: str, session: str, deadline: float) -> dict[str, Any]:
        """Wait for one DevTools event of a page."""
        while True:
            for event in self._events:
                if event["method"] == method and event.get("sessionId") == session:
                    self._events.remove(event)
                    return event
            message = self._read(deadline)
            if "method" in message:
                self._dispatch(message)

    def _read(self, deadline: float) -> dict[str, Any]:
        """Read the next NUL-terminated JSON message from the browser."""
        assert self._proc is not None and self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(
                    f"Chromium ({self.binary}) did not answer within {self.timeout:g} s"
                )
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    raise BrowserError(f"Chromium ({self.binary}) exited unexpectedly")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)


def _check_charts(source: Path, charts: dict[str, Any]) -> None:
    """Raise PageError unless every chart of the page was drawn ('drawn k/N' with k == N), and
    drawn right: no chart's Vega view warned (a field its data lacks), none drew nothing."""
    drawn = re.fullmatch(r"drawn (\d+)/(\d+)", charts["state"])
    if drawn and drawn[1] != drawn[2]:
        failed, total = int(drawn[2]) - int(drawn[1]), int(drawn[2])
        raise PageError(
            f"{source.name}: {failed} of {total} charts could not be drawn "
            f"({'; '.join(charts['errors'])})"
        )
    wrong = charts.get("problems") or []
    if wrong:
        total = f" of {drawn[2]}" if drawn else ""
        raise PageError(f"{source.name}: {len(wrong)}{total} charts are wrong: {'; '.join(wrong)}")


# Resolves when static/charts.js has drawn every chart (or at once on a page without charts), with
# the state it set (<html data-charts="drawn k/N">) and the errors of the charts that failed.
CHARTS_DRAWN_JS = """
new Promise((resolve) => {
  const state = () => document.documentElement.dataset.charts;
  const failed = () => [...document.querySelectorAll("figure.maslihat-chart-failed")];
  const wrong = () => [...document.querySelectorAll("figure.maslihat-chart-wrong")];
  const done = () => ({
    state: state(),
    errors: failed().map((f) => f.dataset.error),
    problems: wrong().map((f) => f.dataset.problem),
  });
  if (!document.querySelector("figure.maslihat-chart")) return resolve({ state: "none" });
  const check = () => (state() ? resolve(done()) : setTimeout(check, 10));
  check();
})
"""
# The drawing of each chart of the page's <main>, in the page's order: its SVG (null for a chart
# not drawn), with the references to its own gradients and clips made local: Vega writes them with
# the page's address (url(file:///…/report.html#gradient_0)), which a drawing set in another page
# must not keep.
DRAWINGS_JS = """
(() => {
  const page = location.href.split("#")[0];
  return [...document.querySelectorAll("main .maslihat-chart-view")].map((view) => {
    const svg = view.querySelector(":scope > svg");
    if (!svg) return null;
    const copy = svg.cloneNode(true);
    for (const element of copy.querySelectorAll("[fill], [stroke], [clip-path]")) {
      for (const name of ["fill", "stroke", "clip-path"]) {
        const value = element.getAttribute(name);
        if (value && value.includes(page)) {
          element.setAttribute(name, value.split(`url(${page}#`).join("url(#"));
        }
      }
    }
    return copy.outerHTML;
  });
})()
"""
PDF_OPTIONS = {
    "printBackground": True,
    "preferCSSPageSize": True,
    "displayHeaderFooter": False,
    "generateTaggedPDF": True,
    "generateDocumentOutline": True,  # PDF bookmarks from the headings (needs the tagged PDF)
}
# The same pages, untagged: what a first print read only for its pages needs (links' anchors)
DRAFT_OPTIONS = {**PDF_OPTIONS, "generateTaggedPDF": False, "generateDocumentOutline": False}
