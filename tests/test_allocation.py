"""Seat allocation against published worked examples and the official 2021 Mazhilis result."""

from __future__ import annotations

import pandas as pd
import pytest

from maslihat.allocation import allocate_seats

# Worked examples of the Wikipedia articles "D'Hondt method", "Sainte-Laguë method" and
# "Largest remainder method" (parties A–D / A–F).
FOUR = pd.Series({"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000})
SIX = [47_000, 16_000, 15_800, 12_000, 6_100, 3_100]


def test_dhondt_reference_case():
    assert allocate_seats(FOUR, 8, "dhondt").to_dict() == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_sainte_lague_reference_case():
    assert allocate_seats(FOUR, 8, "sainte-lague").to_dict() == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_hare_reference_case():
    assert allocate_seats(SIX, 10, "hare").tolist() == [5, 2, 1, 1, 1, 0]


def test_hare_with_threshold_reproduces_the_2021_mazhilis(data):
    # Official CEC vote shares and seats: 98 list seats by largest remainder among parties >= 7 %.
    official = data.mazhilis_results.query("election_year == 2021 and status == 'official'")
    wide = official.pivot_table(index="party_code", columns="measure", values="value")
    seats = allocate_seats(wide["vote_share_pct"], 98, "hare", threshold=7)
    assert seats.to_dict() == wide["seats"].astype(int).to_dict()


def test_keeps_input_order_and_index():
    votes = pd.Series([5, 60, 35], index=["small", "big", "mid"])
    seats = allocate_seats(votes, 10, "dhondt")
    assert list(seats.index) == ["small", "big", "mid"]
    assert seats.name == "seats" and seats.sum() == 10


def test_threshold_is_inclusive_and_excludes_below():
    votes = {"A": 7, "B": 6.99, "C": 86.01}
    seats = allocate_seats(votes, 100, "sainte-lague", threshold=7)
    assert seats["B"] == 0 and seats["A"] > 0


@pytest.mark.parametrize(
    ("method", "votes", "seats"),
    [
        ("hare", {"B": 1, "A": 3}, 2),  # quotas 0.5 and 1.5: equal remainders
        ("dhondt", {"B": 10, "A": 20}, 2),  # second seat: 10/1 against 20/2
        ("sainte-lague", {"B": 10, "A": 30}, 2),  # second seat: 10/1 against 30/3
    ],
)
def test_tie_goes_to_more_votes_then_to_the_first_listed(method, votes, seats):
    assert allocate_seats(votes, seats, method).to_dict() == {"B": 0, "A": 2}
    assert allocate_seats({"X": 10, "Y": 10}, 1, method).to_dict() == {"X": 1, "Y": 0}
    assert allocate_seats({"Y": 10, "X": 10}, 1, method).to_dict() == {"Y": 1, "X": 0}


def test_shares_and_counts_give_the_same_seats():
    shares = FOUR / FOUR.sum() * 100
    for method in ("hare", "dhondt", "sainte-lague"):
        assert allocate_seats(shares, 8, method).equals(allocate_seats(FOUR, 8, method))


def test_zero_seats():
    assert allocate_seats(FOUR, 0, "hare").sum() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((FOUR, 8, "droop"), "unknown method 'droop'; methods: hare, dhondt, sainte-lague"),
        ((FOUR, -1, "hare"), "seats: expected a whole number >= 0, got -1"),
        ((FOUR, 2.5, "hare"), "seats: expected a whole number >= 0, got 2.5"),
        (({"A": -3, "B": 4}, 2, "hare"), "votes for 'A': expected a number >= 0, got -3"),
        (({"A": "many"}, 2, "hare"), "votes for 'A': expected a number, got 'many'"),
        (([], 2, "hare"), "at least one party"),
        (({"A": 5, "B": 5}, 2, "hare", 60), "no party has votes at or above the 60% threshold"),
        ((FOUR, 2, "hare", 101), "threshold: expected a percentage between 0 and 100"),
    ],
)
def test_bad_input_is_named(args, message):
    with pytest.raises(ValueError) as err:
        allocate_seats(*args)
    assert message in str(err.value)
