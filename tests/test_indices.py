"""Indices against values worked out by hand from their published definitions."""

from __future__ import annotations

import pandas as pd
import pytest

from maslihat.indices import effective_number_of_parties, gallagher_index


def test_effective_number_of_parties_reference_values():
    # Laakso & Taagepera (1979): shares 0.75 / 0.25 give 1 / (0.5625 + 0.0625) = 1.6.
    assert effective_number_of_parties(pd.Series([75, 25])) == pytest.approx(1.6)
    assert effective_number_of_parties(pd.Series([1, 1, 1, 1])) == pytest.approx(4)
    assert effective_number_of_parties(pd.Series([30, 0])) == pytest.approx(1)


def test_effective_number_of_parties_rejects_bad_sizes():
    with pytest.raises(ValueError, match="positive total"):
        effective_number_of_parties(pd.Series([0, 0]))
    with pytest.raises(ValueError, match="'B': -2"):
        effective_number_of_parties(pd.Series({"A": 3, "B": -2}))


def test_gallagher_index():
    # √(½ ((60 − 100)² + (40 − 0)²)) = 40
    votes = pd.Series({"A": 60.0, "B": 40.0})
    assert gallagher_index(votes, pd.Series({"B": 0.0, "A": 100.0})) == pytest.approx(40)
    assert gallagher_index(votes, votes) == 0


def test_gallagher_index_needs_the_same_parties():
    with pytest.raises(ValueError, match=r"only in votes: \['B'\], only in seats: \['C'\]"):
        gallagher_index(pd.Series({"A": 50, "B": 50}), pd.Series({"A": 50, "C": 50}))
