"""Party-system indices: effective number of parties and Gallagher disproportionality."""

from __future__ import annotations

import math

import pandas as pd


def _non_negative(values: pd.Series, name: str) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    bad = values[numbers.isna() | (numbers < 0)]
    if not bad.empty:
        shown = ", ".join(f"{k!r}: {v!r}" for k, v in bad.items())
        raise ValueError(f"{name}: expected numbers >= 0, got {shown}")
    return numbers


def effective_number_of_parties(sizes: pd.Series) -> float:
    """Laakso–Taagepera effective number of parties, 1 / Σ pᵢ², from seats or votes per party."""
    sizes = _non_negative(pd.Series(sizes), "sizes")
    total = sizes.sum()
    if total <= 0:
        raise ValueError("sizes: expected a positive total, got 0")
    proportions = sizes / total
    return float(1 / (proportions**2).sum())


def gallagher_index(vote_shares_pct: pd.Series, seat_shares_pct: pd.Series) -> float:
    """Gallagher least-squares index in percentage points: √(½ Σ (vᵢ − sᵢ)²), parties aligned."""
    votes = _non_negative(pd.Series(vote_shares_pct), "vote_shares_pct")
    seats = _non_negative(pd.Series(seat_shares_pct), "seat_shares_pct")
    if set(votes.index) != set(seats.index):
        only_votes = sorted(map(str, set(votes.index) - set(seats.index)))
        only_seats = sorted(map(str, set(seats.index) - set(votes.index)))
        raise ValueError(
            "vote and seat shares must cover the same parties; "
            f"only in votes: {only_votes or 'none'}, only in seats: {only_seats or 'none'}"
        )
    diff = votes - seats.reindex(votes.index)
    return math.sqrt(0.5 * float((diff**2).sum()))
