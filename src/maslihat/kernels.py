"""A papermill engine that runs notebook after notebook on one kept ("warm") kernel.

Starting a kernel and importing pandas and Altair costs seconds; a render worker pays it once and
resets the kernel's namespace before each notebook, so every report still starts from nothing
but the loaded modules.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

KERNEL_NAME = "python3"

# Run silently in a kept kernel before each notebook: back to the notebook's folder, empty
# namespace and history (execution counts restart at 1); imported modules stay loaded.
RESET_CODE = """\
import os as _maslihat_os
_maslihat_os.chdir({cwd!r})
get_ipython().reset(new_session=True)
"""


def _warm_client_class():
    """Papermill's notebook client for a kept kernel (built lazily: papermill imports slowly)."""
    from papermill.clientwrap import PapermillNotebookClient

    class WarmNotebookClient(PapermillNotebookClient):
        """Runs a notebook on a kernel that outlives it, after emptying the kernel's namespace."""

        def papermill_execute_cells(self) -> None:
            cwd = os.getcwd()
            msg_id = self.kc.execute(RESET_CODE.format(cwd=cwd), silent=True, store_history=False)
            reply = self.wait_for_reply(msg_id)
            if not reply or reply["content"].get("status") != "ok":
                raise RuntimeError("could not reset the kept kernel before the notebook")
            super().papermill_execute_cells()

    return WarmNotebookClient


def _warm_engine_class():
    """A papermill engine that executes on the kernel manager passed as `km` and keeps it."""
    from papermill.engines import NBClientEngine, logger

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
            client = _warm_client_class()(
                nb_man,
                km=kwargs["km"],
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    return WarmKernelEngine


WARM_ENGINE = "maslihat-warm"


def register_warm_engine() -> None:
    """Make the kept-kernel engine known to papermill under WARM_ENGINE."""
    from papermill.engines import papermill_engines

    if WARM_ENGINE not in papermill_engines._engines:
        papermill_engines.register(WARM_ENGINE, _warm_engine_class())


class KernelPool:
    """One kept kernel per worker process; replaced when it dies or a report times out."""

    def __init__(self, kernel_name: str = KERNEL_NAME):
        self.kernel_name = kernel_name
        self.km: Any = None
        self._sockets: tempfile.TemporaryDirectory | None = None

    def get(self) -> Any:
        """The kept kernel's manager, started by nbclient on first use."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.km is not None and self.km.has_kernel and not run_sync(self.km.is_alive)():
            self.discard()
        if self.km is None:
            # Local sockets in a private folder: faster than TCP, and no unencrypted-TCP warning.
            self._sockets = tempfile.TemporaryDirectory(prefix="maslihat-kernel-")
            ip = os.path.join(self._sockets.name, "kernel")
            self.km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc", ip=ip)
        return self.km

    def discard(self) -> None:
        """Stop the kept kernel at once (after a timeout it may still be busy)."""
        from jupyter_core.utils import run_sync

        if self.km is not None and self.km.has_kernel:
            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001 - it is being thrown away
                pass
        self.km = None
        if self._sockets is not None:
            self._sockets.cleanup()
            self._sockets = None
