"""A papermill engine that runs notebook after notebook on one kept ("warm") kernel.

Starting a kernel and importing pandas and Altair costs seconds; a render worker pays it once and
resets the kernel's namespace before each notebook, so every report still starts from nothing
but the loaded modules. A notebook can change more than its namespace: environment variables,
sys.path, warning filters, attributes of the maslihat modules and their classes, pandas options.
The kernel's digest of that state (`maslihat.reuse.process_state`) is taken when it starts and
after every notebook; a kernel whose state changed is replaced, so the next report runs as it
would in a fresh kernel. What every report sets (the language, Altair's renderer and theme) is
instead put back before each notebook.
"""

from __future__ import annotations

import ast
import os
import sys
import tempfile
from typing import Any

KERNEL_NAME = "python3"

# Run silently in a kept kernel before each notebook: back to the notebook's folder, empty
# namespace and history (execution counts restart at 1); imported modules stay loaded.
RESET_CODE = """\
import os as _maslihat_os
_maslihat_os.chdir({cwd!r})
__import__("maslihat.i18n", fromlist=["_"]).use("en")
__import__("maslihat.kernels", fromlist=["_"]).reset_altair()
get_ipython().reset(new_session=True)
"""
# Run once in a new kept kernel, before its state is first taken: the modules notebooks import,
# so that importing them later does not count as a change; jsonschema (Altair's) without the Lark
# grammars of rfc3987-syntax, which no check of a report uses. Then what they made is moved out
# of the garbage collector's sight (gc.freeze): the reset before each notebook collects garbage,
# which walked every object of pandas, Altair and the Vega-Lite schema (0.1 s a report) and now
# walks only what the notebooks made.
PREPARE_CODE = """\
__import__("sys").modules.setdefault("rfc3987_syntax", None)  # as `maslihat` does (cli.run): 1 s
import importlib as _maslihat_importlib, pkgutil as _maslihat_pkgutil, maslihat as _maslihat
for _maslihat_module in _maslihat_pkgutil.iter_modules(_maslihat.__path__):
    if _maslihat_module.name not in {skip!r}:
        _maslihat_importlib.import_module("maslihat." + _maslihat_module.name)
__import__("gc").freeze()
"""
PREPARE_SKIP = ("cli", "render", "exporters")  # never imported by a report notebook
# The state digest (maslihat.reuse.process_state, which leaves out what RESET_CODE puts back).
STATE_EXPRESSION = "__import__('maslihat.reuse', fromlist=['_']).process_state()"


def _altair_registries() -> tuple[Any, ...]:
    """Altair's theme, data transformer and renderer registries (if Altair is loaded)."""
    altair = sys.modules.get("altair")
    if altair is None:
        return ()
    theme = getattr(altair, "theme", None) or altair.themes  # `theme` since Altair 5.5
    return (theme, altair.data_transformers, altair.renderers)


def reset_altair() -> None:
    """Altair's theme, data transformer and renderer back to a new kernel's (every report sets
    its renderer with enable_report_charts; a notebook that does not gets Altair's default)."""
    for registry in _altair_registries():
        registry.enable("default")


def _warm_client_class():
    """Papermill's notebook client for a kept kernel (built lazily: papermill imports slowly)."""
    from papermill.clientwrap import PapermillNotebookClient

    class WarmNotebookClient(PapermillNotebookClient):
        """Runs a notebook on a kernel that outlives it, after emptying the kernel's namespace."""

        kernel_pool: KernelPool | None = None

        def _run_silently(
            self, code: str, expressions: dict[str, str] | None = None, start: bool = False
        ) -> dict:
            """Run code the notebook does not show; within the execution timeout, or, for the
            kernel's start-up (`start`: its imports), within the start-up timeout."""
            from nbformat.v4 import new_code_cell

            msg_id = self.kc.execute(
                code, silent=True, store_history=False, user_expressions=expressions or {}
            )
            limit = self.timeout
            if start:
                self.timeout = max(limit or 0, self.startup_timeout)
            try:  # with a cell: a timeout is nbclient's CellTimeoutError, not an AssertionError
                reply = self.wait_for_reply(msg_id, new_code_cell(code))
            finally:
                self.timeout = limit
            if not reply or reply["content"].get("status") != "ok":
                raise RuntimeError("could not prepare the kept kernel before the notebook")
            return reply["content"]

        def _state(self) -> str:
            found = self._run_silently("", {"state": STATE_EXPRESSION})["user_expressions"]
            return ast.literal_eval(found["state"]["data"]["text/plain"])

        def papermill_execute_cells(self) -> None:
            pool = self.kernel_pool
            if pool is not None and pool.state is None:
                self._run_silently(PREPARE_CODE.format(skip=PREPARE_SKIP), start=True)
                pool.state = self._state()
            self._run_silently(RESET_CODE.format(cwd=os.getcwd()))
            if pool is not None:
                pool.changed = True  # until the notebook has run and the state is unchanged
            super().papermill_execute_cells()  # returns after a failing cell; raises on timeout
            if pool is not None:
                pool.changed = self._state() != pool.state

    return WarmNotebookClient


def _warm_engine_class():
    """A papermill engine that executes on the kept kernel of the KernelPool passed as
    `kernel_pool`, writing the executed notebook to `executed` (papermill is asked not to save
    it after every cell) when the run starts and when it stops early."""
    from papermill.engines import NBClientEngine, logger
    from papermill.iorw import write_ipynb

    class WarmKernelEngine(NBClientEngine):
        """papermill's nbclient engine, on a kernel kept between notebooks."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            pool = kwargs["kernel_pool"]
            # papermill would write the whole notebook at every cell's start and end (60 writes of
            # a growing notebook, its chart specs and all, half a worker's time); here it is
            # written when the run starts (it shows the run is under way), when it ended early
            # (a timeout, a dead kernel: it shows where) and, by papermill, when it is done.
            executed = kwargs.get("executed")
            if executed:
                write_ipynb(nb_man.nb, executed)
            client = _warm_client_class()(
                nb_man,
                km=pool.get(),
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client.kernel_pool = pool
            client.kc = pool.kc  # the kept kernel's client, connected (None: nbclient makes one)
            try:
                nb = client.execute()
            except BaseException:
                pool.forget_client()
                if client.kc is not None:
                    client.kc.stop_channels()
                if executed:
                    write_ipynb(nb_man.nb, executed)
                raise
            pool.kc = client.kc  # kept for the next notebook: connecting one takes 0.2 s
            return nb

    return WarmKernelEngine


WARM_ENGINE = "maslihat-warm"


def register_warm_engine() -> None:
    """Make the kept-kernel engine known to papermill under WARM_ENGINE."""
    from papermill.engines import papermill_engines

    if WARM_ENGINE not in papermill_engines._engines:
        papermill_engines.register(WARM_ENGINE, _warm_engine_class())


class KernelPool:
    """One kept kernel per worker process; replaced when it dies, a report times out, or a
    notebook changed its process state."""

    def __init__(self, kernel_name: str = KERNEL_NAME):
        self.kernel_name = kernel_name
        self.km: Any = None
        self.state: str | None = None  # process_state() of the kept kernel when it started
        self.changed = False  # the last notebook left the process state changed
        self.replaced = 0  # kernels discarded so far (for tests and curiosity)
        self.kc: Any = None  # the kept kernel's client, its channels open between notebooks
        self._sockets: tempfile.TemporaryDirectory | None = None

    def get(self) -> Any:
        """The kept kernel's manager, started by nbclient on first use."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.changed or (
            self.km is not None and self.km.has_kernel and not run_sync(self.km.is_alive)()
        ):
            self.discard()
        if self.km is None:
            # Local sockets in a private folder: faster than TCP, and no unencrypted-TCP warning.
            self._sockets = tempfile.TemporaryDirectory(prefix="maslihat-kernel-")
            ip = os.path.join(self._sockets.name, "kernel")
            self.km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc", ip=ip)
        return self.km

    def forget_client(self) -> None:
        """Close the kept client's channels; the next notebook connects a new one."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None

    def discard(self) -> None:
        """Stop the kept kernel at once (after a timeout it may still be busy)."""
        from jupyter_core.utils import run_sync

        self.forget_client()
        if self.km is not None and self.km.has_kernel:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001 - it is being thrown away
                pass
        if self.km is not None:
            self.replaced += 1
        self.km, self.state, self.changed = None, None, False
        if self._sockets is not None:
            self._sockets.cleanup()
            self._sockets = None
