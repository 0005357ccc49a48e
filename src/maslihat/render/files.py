"""Files of an output folder: atomic writes, temporary names, the lock a render holds on it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from maslihat.render.jobs import EXECUTED_DIR, RenderOutputError

LOCK_FILE = ".lock"
TEMPORARY_GLOB = ".*.tmp*"  # every temporary name below matches it


def temporary_path(final: Path, tag: str = "") -> Path:
    """A temporary name beside a file (same folder: os.replace is atomic there)."""
    return final.with_name(f".{final.stem}.tmp-{os.getpid()}{tag}{final.suffix}")


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write a file (text as UTF-8, or bytes) so readers see the old or the new content, never
    half of it."""
    tmp = temporary_path(path)
    try:
        if isinstance(text, bytes):
            tmp.write_bytes(text)
        else:
            tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_path(path: Path) -> None:
    """Delete a file or a folder (a report's data), if it is there; never follows a link."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def replace_folder(new: Path, final: Path) -> None:
    """Put a completed folder in place of another: the old one is moved aside, then removed."""
    old = temporary_path(final, "-old")
    if final.exists() or final.is_symlink():
        os.replace(final, old)
    try:
        os.replace(new, final)
    except BaseException:
        if old.exists():
            os.replace(old, final)  # put the earlier folder back
        raise
    remove_path(old)


def remove_temporaries(out_dir: Path) -> None:
    """Delete temporaries left in an output folder (by this run, or one that was killed)."""
    for path in [*out_dir.glob(TEMPORARY_GLOB), *(out_dir / EXECUTED_DIR).glob(TEMPORARY_GLOB)]:
        remove_path(path)


def _prepare(out_dir: Path) -> None:
    """Create the output folder, or say in words why it cannot be one."""
    if out_dir.exists() and not out_dir.is_dir():
        raise RenderOutputError(f"the output folder {out_dir} is a file, not a folder")
    try:
        (out_dir / EXECUTED_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RenderOutputError(
            f"cannot create the output folder {out_dir}: {err.strerror or err}"
        ) from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise RenderOutputError(f"the output folder {out_dir} is not writable")


@contextmanager
def output_folder(out_dir: Path) -> Iterator[Path]:
    """Hold the output folder for one render: created, locked against other renders, tidied.

    A second render into the same folder is refused while the first runs. Temporary files are
    removed when the lock is taken (a killed run may have left some) and when it is given back.
    """
    from filelock import FileLock, Timeout

    _prepare(out_dir)
    lock = FileLock(out_dir / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise RenderOutputError(
            f"another `maslihat render` is writing to {out_dir}; wait until it has finished, "
            "or give another --out folder"
        ) from None
    except OSError as err:
        raise RenderOutputError(f"cannot lock the output folder {out_dir}: {err}") from None
    try:
        remove_temporaries(out_dir)
        yield out_dir
    finally:
        remove_temporaries(out_dir)
        lock.release()
