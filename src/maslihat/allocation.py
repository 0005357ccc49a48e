"""Seat allocation for party-list proportional representation: Hare, D'Hondt, Sainte-Laguë.

Votes may be counts or shares (percentages): only their proportions matter. Arithmetic is exact
(fractions of the votes as written), so an allocation never depends on floating-point rounding.

Tie rule: when two parties have an equal claim to the next seat (equal remainder for Hare, equal
quotient for the divisor methods), the party with more votes wins it; if their votes are equal too,
the party listed first does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from numbers import Integral, Real

import pandas as pd

METHODS = ("hare", "dhondt", "sainte-lague")


def _exact(value: object, label: str) -> Fraction:
    """A vote figure as an exact fraction of its decimal form; negative or non-numbers raise."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"votes for {label}: expected a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"votes for {label}: expected a finite number, got {value!r}")
    if value < 0:
        raise ValueError(f"votes for {label}: expected a number >= 0, got {value!r}")
    # str() keeps the decimal a user typed (71.09), not its nearest binary float.
    return Fraction(int(value)) if isinstance(value, Integral) else Fraction(str(float(value)))


def _as_series(votes: Mapping | Sequence | pd.Series) -> pd.Series:
    if isinstance(votes, pd.Series):
        return votes
    if isinstance(votes, Mapping):
        return pd.Series(dict(votes), dtype=object)
    return pd.Series(list(votes), dtype=object)


def _qualifying(exact: list[Fraction], threshold: float) -> list[bool]:
    """Which parties reach the threshold (percent of all votes; reaching it exactly qualifies)."""
    total = sum(exact)
    bar = Fraction(str(float(threshold))) / 100 * total
    return [v > 0 and v >= bar for v in exact]


def _hare(exact: list[Fraction], eligible: list[bool], seats: int) -> list[int]:
    """Largest remainder with the Hare quota (qualifying votes / seats)."""
    total = sum(v for v, ok in zip(exact, eligible, strict=True) if ok)
    quotas = [
        v * seats / total if ok else Fraction(0) for v, ok in zip(exact, eligible, strict=True)
    ]
    won = [math.floor(q) for q in quotas]
    order = sorted(
        (i for i, ok in enumerate(eligible) if ok),
        key=lambda i: (-(quotas[i] - won[i]), -exact[i], i),
    )
    for i in order[: seats - sum(won)]:
        won[i] += 1
    return won


def _highest_averages(
    exact: list[Fraction], eligible: list[bool], seats: int, divisor
) -> list[int]:
    """Divisor method: each seat goes to the highest votes / divisor(seats already won)."""
    won = [0] * len(exact)
    candidates = [i for i, ok in enumerate(eligible) if ok]
    for _ in range(seats):
        best = max(candidates, key=lambda i: (exact[i] / divisor(won[i]), exact[i], -i))
        won[best] += 1
    return won


def allocate_seats(
    votes: Mapping | Sequence | pd.Series,
    seats: int,
    method: str,
    threshold: float = 0.0,
) -> pd.Series:
    """Seats per party, in input order, for `seats` allocated by `method` among parties whose
    share of all votes is at least `threshold` percent.

    `method` is "hare" (largest remainder, Hare quota), "dhondt" or "sainte-lague" (divisors
    1, 3, 5, ...). Ties go to the party with more votes, then to the one listed first.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; methods: {', '.join(METHODS)}")
    if isinstance(seats, bool) or not isinstance(seats, Integral) or seats < 0:
        raise ValueError(f"seats: expected a whole number >= 0, got {seats!r}")
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, Real)
        or not (0 <= threshold <= 100)
    ):
        raise ValueError(f"threshold: expected a percentage between 0 and 100, got {threshold!r}")
    series = _as_series(votes)
    if series.empty:
        raise ValueError("votes: expected at least one party, got none")
    exact = [_exact(v, repr(label)) for label, v in series.items()]
    eligible = _qualifying(exact, threshold)
    seats = int(seats)
    if seats and not any(eligible):
        raise ValueError(
            f"no party has votes at or above the {threshold:g}% threshold: no seat can be allocated"
        )
    if seats == 0:
        won = [0] * len(exact)
    elif method == "hare":
        won = _hare(exact, eligible, seats)
    elif method == "dhondt":
        won = _highest_averages(exact, eligible, seats, lambda s: s + 1)
    else:
        won = _highest_averages(exact, eligible, seats, lambda s: 2 * s + 1)
    return pd.Series(won, index=series.index, name="seats", dtype="int64")
