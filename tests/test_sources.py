"""maslihat.sources: note numbers in order of first citation; an unknown id names the nearest."""

from __future__ import annotations

import csv

import pytest

from maslihat.data import DATA_DIR
from maslihat.sources import Citations, UnknownSource


def source_ids() -> list[str]:
    with open(DATA_DIR / "sources.csv", encoding="utf-8-sig", newline="") as f:
        return [row["source_id"] for row in csv.DictReader(f)]


def test_sources_are_numbered_in_order_of_first_citation(data):
    first, second = source_ids()[:2]
    cite = Citations(data)
    assert cite(second) == "[1]" and cite(first, second) == "[1, 2]" and cite() == ""
    assert list(cite.cited()["source_id"]) == [second, first]


@pytest.mark.parametrize("typed", ["wikipedia_loca", "Wikipedia_local", "wikipedia-local"])
def test_an_unknown_source_id_is_refused_suggesting_the_nearest(data, typed):
    assert "wikipedia_local" in source_ids()
    with pytest.raises(UnknownSource) as caught:
        Citations(data)(typed)
    message = str(caught.value)
    assert message.startswith(f"unknown source {typed!r}: not in sources.csv; did you mean "
                              "'wikipedia_local'")  # fmt: skip
    assert isinstance(caught.value, KeyError)  # as before: code that catches KeyError still does


def test_an_id_like_none_names_some_real_ones(data):
    with pytest.raises(UnknownSource, match="its ids look like 'wikipedia_local'"):
        Citations(data)("zzz")
