"""Numbered source notes for a report: markers in the prose, a source list at the end.

A notebook makes one `Citations` in its set-up cell, puts `cite("source_id", ...)` markers after
the figures it states, and ends with `cite.source_list()`. Sources are numbered in the order a
report first cites them; the list gives title, publisher, date and address of each.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from maslihat.data import ElectionData


class UnknownSource(KeyError):
    """A source id that sources.csv does not have; the message suggests the nearest ids."""

    def __str__(self) -> str:  # the message itself, not KeyError's quoted repr of it
        return str(self.args[0]) if self.args else ""


def nearest_ids(source_id: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The known source ids most like `source_id` (a typo, a missing part), likest first."""
    import difflib

    return difflib.get_close_matches(str(source_id), list(known), n=n, cutoff=0.6)


class Citations:
    """The sources one report cites, numbered in the order of first citation."""

    def __init__(self, data: ElectionData):
        self._sources = data.sources.set_index("source_id")
        self._names = data.source_names
        self._order: list[str] = []

    def number(self, source_id: str) -> int:
        """The note number of a source, given it on first use; an unknown id raises UnknownSource
        naming the nearest ids."""
        if source_id not in self._sources.index:
            near = nearest_ids(source_id, self._sources.index)
            hint = (f"; did you mean {' or '.join(map(repr, near))}?" if near else
                    f"; its ids look like {', '.join(map(repr, self._sources.index[:3]))}")
            raise UnknownSource(f"unknown source {source_id!r}: not in sources.csv{hint}")
        if source_id not in self._order:
            self._order.append(source_id)
        return self._order.index(source_id) + 1

    def __call__(self, *source_ids: str | Iterable[str]) -> str:
        """A note marker for one or more sources: '[1]', '[1, 3]' (duplicates once, in order)."""
        ids: list[str] = []
        for item in source_ids:
            ids += [item] if isinstance(item, str) else list(item)
        numbers = sorted({self.number(s) for s in dict.fromkeys(ids)})
        return "[" + ", ".join(map(str, numbers)) + "]" if numbers else ""

    def cited(self) -> pd.DataFrame:
        """The cited sources in note order: number, title, publisher, published, address; the
        publisher and our descriptions of items in the report's language (source_names.csv)."""
        from maslihat.i18n import current

        rows = self._sources.loc[self._order].reset_index()
        names = self._names[self._names["lang"] == current()].set_index("source_id")
        for column in ("title", "publisher"):
            own = rows["source_id"].map(names[column]) if len(names) else None
            if own is not None:
                rows[column] = own.where(own.notna(), rows[column])
        rows.insert(0, "number", range(1, len(rows) + 1))
        return rows[["number", "source_id", "title", "publisher", "published", "address", "kind"]]
