"""Work a process does once and reuses while what it was made from is unchanged.

A kept kernel runs report after report on the same data: loading and checking the tables, the
audit, the map's places need not be done again for each. `remember(key, make)` keeps a result
under a key that holds everything it depends on, and gives every caller a copy, so a notebook that
changes what it got cannot change what the next report gets. The keys are content digests, never
times: the data folder's files (`tree_digest`), the arguments (`value_digest`), the language
where the result holds words, and the process's state (`process_state`: environment, sys.path,
warning filters, the maslihat modules' attributes, pandas options), the digest that decides
whether a kept kernel must be replaced. So a report gets what a fresh kernel would compute.

Nothing here imports pandas: `maslihat render` with nothing to do hashes the data folder with it.
"""

from __future__ import annotations

import copy
import copyreg
import hashlib
import io
import os
import pickle
import sys
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# State every report sets before it runs (kernels.RESET_CODE puts the language back, which
# begins a report: its abbreviations are introduced again): a notebook that changes it leaves the
# kernel as good as new, so it is not part of the process's state.
RESET_STATE = {
    "maslihat.i18n.languages": {"_current", "_reports"},
    "maslihat.i18n.abbreviations": {"_introduced", "_report"},
}
KEPT = 512  # results kept per process; the least recently used goes first


def tree_digest(root: Path, suffixes: Iterable[str] | None = None) -> str:
    """Hash of every file under a folder (relative names and bytes), skipping hidden files."""
    digest = hashlib.sha256()
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            rel = path.relative_to(root)
            if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
                continue
            if path.is_file() and (suffixes is None or path.suffix in suffixes):
                digest.update(str(rel.as_posix()).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _table_content(obj: Any) -> tuple:
    """What a pandas table holds: its type, columns and dtypes (or name and dtype), index and
    values. Pickled as pandas keeps it, a table also carries what its dtype objects have
    cached, so two equal tables could differ; never the other way round."""
    pandas = sys.modules["pandas"]
    if isinstance(obj, pandas.DataFrame):
        kind: tuple = (list(obj.columns), [str(t) for t in obj.dtypes])
    else:
        kind = (obj.name, str(obj.dtype))
    index = None if isinstance(obj, pandas.Index) else obj.index.tolist()
    return (type(obj).__name__, kind, index, obj.to_numpy(dtype=object).tolist())


def value_digest(*values: Any) -> str | None:
    """Hash of values by their content (tables, lists, text, dataclasses of them); None when one
    cannot be pickled (a function, an open file): such a call is not reused."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pandas = sys.modules.get("pandas")
    if pandas is not None:  # looked up by exact type, in C: the cells cost no Python call
        tables = (pandas.DataFrame, pandas.Series, pandas.Index, pandas.RangeIndex)
        pickler.dispatch_table = {
            **copyreg.dispatch_table,
            **{kind: lambda obj: (tuple, (_table_content(obj),)) for kind in tables},
        }
    try:
        pickler.dump(values)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return None
    return hashlib.blake2b(buffer.getvalue()).hexdigest()


def _describe(value: Any) -> str:
    """An attribute as the state digest sees it: plain values by content, others by identity."""
    plain = (str, bytes, int, float, complex, bool, type(None), tuple, frozenset, list, dict, set)
    if isinstance(value, plain) or type(value).__module__ == "pathlib":
        text = repr(value)
        if len(text) < 100_000:
            return text
    return f"<{type(value).__qualname__} {id(value)}>"


def _class_state(module: str, value: Any) -> list[str]:
    """The attributes of a class the module defines (a notebook can set one on the class)."""
    if not isinstance(value, type) or value.__module__ != module:
        return []
    return [f"{module}.{value.__qualname__}.{attr}={_describe(item)}"
            for attr, item in sorted(vars(value).items()) if not attr.startswith("__")]  # fmt: skip


def process_state() -> str:
    """Digest of the process's state that a notebook could change for the next one."""
    parts = [repr(sorted(os.environ.items())), repr(sys.path), repr(warnings.filters)]
    for name in sorted(n for n in sys.modules if n == "maslihat" or n.startswith("maslihat.")):
        for attr, value in sorted(vars(sys.modules[name]).items()):
            if not attr.startswith("__") and attr not in RESET_STATE.get(name, ()):
                parts.append(f"{name}.{attr}={_describe(value)}")
                parts += _class_state(name, value)
    pandas = sys.modules.get("pandas")
    if pandas is not None:
        parts.append(repr(pandas._config.config._global_config))  # noqa: SLF001 - every option
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class Results:
    """Results kept by key, the least recently used dropped beyond `size`; `hits` and `made`
    count how often a result was reused or made (for tests and benchmarks)."""

    def __init__(self, size: int = KEPT):
        self.size = size
        self.kept: OrderedDict[tuple, Any] = OrderedDict()
        self.hits = 0
        self.made = 0

    def clear(self) -> None:
        """Forget every result (the next call of each makes it again)."""
        self.kept.clear()


RESULTS = Results()


def remember(key: tuple | None, make: Callable[[], T]) -> T:
    """The result of `make()`, made once per key (`None`: every time) and copied out: the caller
    may change what it gets. The process's state is added to the key."""
    if key is None:
        return make()
    key = (*key, process_state())
    if key in RESULTS.kept:
        RESULTS.kept.move_to_end(key)
        RESULTS.hits += 1
        return copy.deepcopy(RESULTS.kept[key])
    result = make()
    RESULTS.made += 1
    RESULTS.kept[key] = result
    while len(RESULTS.kept) > RESULTS.size:
        RESULTS.kept.popitem(last=False)
    return copy.deepcopy(result)  # every caller a copy, the first too: all alike, none the kept
