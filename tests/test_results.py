"""The result tables, the votes that won nothing and the change since 2016, checked against the
CSV files read with the csv module."""

from __future__ import annotations

import csv

import pytest

from maslihat import history, results
from maslihat.data import DATA_DIR, load_all


def rows(table: str) -> list[dict[str, str]]:
    with open(DATA_DIR / f"{table}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def data():
    return load_all()


def infobox(measure: str) -> dict[str, float]:
    return {
        r["party_code"]: float(r["value"])
        for r in rows("local_results")
        if r["measure"] == measure and r["source_id"] == "wikizero_local"
    }


def test_national_results_put_votes_beside_every_level_of_seats(data):
    table = results.national_results(data).set_index("party_code")
    regional, municipal = infobox("regional_members"), infobox("municipal_members")
    seats = {p: regional[p] + municipal[p] for p in regional}
    assert table["seats"].to_dict() == seats
    assert sum(seats.values()) == 3246
    assert list(table.index) == sorted(seats, key=seats.get, reverse=True)
    assert table.loc["AUYL", "seats"] == 227 and table.loc["AJ", "seats"] == 224
    assert table["votes"].to_dict() == infobox("votes")
    mazhilis = {
        (r["party_code"], r["measure"]): float(r["value"])
        for r in rows("mazhilis_results")
        if r["election_year"] == "2021" and r["status"] == "official"
    }
    for code in table.index:
        assert table.loc[code, "mazhilis_seats"] == mazhilis[(code, "seats")]
        assert table.loc[code, "mazhilis_vote_share_pct"] == mazhilis[(code, "vote_share_pct")]
    assert results.runner_up(table.reset_index())["party_code"] == "AUYL"


def test_a_total_row_adds_the_counts(data):
    table = results.with_total(results.national_results(data), "Total")
    total = table.iloc[-1]
    assert total["name"] == "Total" and total["seats"] == 3246 and total["mazhilis_seats"] == 98
    assert total["party_code"] is None
    assert str(table["seats"].dtype) == "Int64"


def test_votes_under_the_threshold(data):
    misses = results.threshold_misses(data)
    nearest = misses.iloc[0]
    # Adal's 6.79% in the city of Almaty: 0.21 points short of 7%
    assert (nearest["body"], nearest["party_code"]) == ("Almaty (city)", "ADAL")
    assert nearest["short_pts"] == pytest.approx(0.21)
    mazhilis = results.mazhilis_votes(data)
    assert results.wasted_share(mazhilis, 7.0) == pytest.approx(5.29 + 3.57)
    shymkent = results.published_votes(data)["Shymkent (city)"]
    assert results.wasted_share(shymkent, 7.0) == pytest.approx(1.3 + 1.03)
    assert set(results.published_votes(data)) == {"Almaty (city)", "Shymkent (city)"}


def test_a_place_result_carries_its_votes_where_published(data):
    almaty = results.place_results(data, "Almaty (city)").set_index("party_code")
    assert almaty.loc["ADAL", "vote_share_pct"] == 6.79 and almaty.loc["ADAL", "seats"] == 0
    assert "vote_share_pct" not in results.place_results(data, "Akmola")


def test_turnout_history_takes_each_years_preferred_final_figure(data):
    past = history.turnout_history(data)
    assert list(past["year"]) == [2016, 2021, 2023]
    # 2021: the official 63.25%; 2016 and 2023: reported, before the derived 52.90%
    assert list(past["turnout_pct"]) == [77.12, 63.25, 54.21]


def test_previous_candidates(data):
    before = history.previous_candidates(data)
    counts = {r["measure"]: int(r["value"]) for r in rows("maslihat_counts")
              if r["election_date"] == "2016-03-20"}  # fmt: skip
    assert before["candidates"] == counts["candidates"] == 7885
    assert before["self_nominated"] == counts["self_nominated_candidates"]
    assert before["self_nominated_pct"] == pytest.approx(100 * 5931 / 7885)
