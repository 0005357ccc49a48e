"""The leads' ranked claims, checked for every place against ranks worked out here from the CSV
files with the csv module, not with the package under test."""

from __future__ import annotations

import csv
from fractions import Fraction

import pytest

from maslihat import leads
from maslihat.data import DATA_DIR, load_all, region_names


def rows(table: str) -> list[dict[str, str]]:
    with open(DATA_DIR / f"{table}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def seats_by_place() -> dict[str, dict[str, int]]:
    """Every regional and city mäslihat's seats per party code, from the CSV files."""
    out: dict[str, dict[str, int]] = {}
    for r in rows("regional_seats"):
        out.setdefault(r["region"], {})[r["party_code"]] = int(r["seats"])
    for r in rows("city_results"):
        if r["measure"] == "seats":
            out.setdefault(r["region"], {})[r["party_code"]] = int(float(r["value"]))
    return out


def turnout_at(as_of: str = "22:00") -> dict[str, float]:
    return {
        r["region"]: float(r["turnout_pct"])
        for r in rows("turnout_by_region")
        if r["as_of"] == as_of and r["election_date"] == "2021-01-10"
    }


def nur_otan_share() -> dict[str, Fraction]:
    return {p: Fraction(s["NO"], sum(s.values())) for p, s in seats_by_place().items()}


def rank(values: dict[str, object], place: str) -> tuple[int, int]:
    """(rank from the top, rank from the bottom), ties sharing the better rank."""
    mine = values[place]
    return (1 + sum(v > mine for v in values.values()), 1 + sum(v < mine for v in values.values()))


@pytest.fixture(scope="module")
def data():
    return load_all()


def cities() -> set[str]:
    return {r["region"] for r in rows("regions") if r["kind"] == "city"}


@pytest.mark.parametrize("place", sorted(seats_by_place()))
def test_every_claim_states_the_rank_the_csv_gives(data, place):
    shares, turnout = nur_otan_share(), turnout_at()
    by_measure = {"share": shares, "turnout": turnout}
    found = leads.claims(data, place)
    assert found, place
    for claim in found:
        if claim.measure in by_measure:
            values = by_measure[claim.measure]
            scope = {p: values[p] for p in claim.scope}
            if claim.of < len(values):  # ranked among its own kind: regions, or the cities
                kind = place in cities()
                assert set(claim.scope) == {p for p in values if (p in cities()) == kind}
            top, bottom = rank(scope, place)
            assert (claim.rank, claim.rank_from_bottom) == (top, bottom), claim
            assert claim.of == len(scope)
            assert (claim.extreme == "highest") == (top == 1)
            assert (claim.extreme == "lowest") == (bottom == 1 and top != 1)
            tied = {p for p in scope if p != place and scope[p] == scope[place]}
            assert set(claim.tied) == tied
        elif claim.measure == "parties":
            won = {p: sum(1 for n in s.values() if n > 0) for p, s in seats_by_place().items()}
            same = {p for p in won if won[p] == won[place] and p != place}
            assert claim.value == won[place] and set(claim.tied) == same and len(same) <= 1
        elif claim.measure == "shut_out":
            seats = seats_by_place()
            without = {p for p in seats if seats[p].get(claim.party, 0) == 0}
            assert place in without and set(claim.tied) == without - {place}
            assert len(without) <= 2
        else:
            pytest.fail(f"unknown claim {claim}")


def test_the_news_is_found_where_the_data_has_it(data):
    """The places' news as a reader would name it, found by the rules, not written per place."""
    text = {place: leads.describe(leads.claims(data, place), data) for place in region_names(data)}
    assert text["Pavlodar"] == "Nur Otan's highest share of the 17 regional and city mäslihats"
    almaty = text["Almaty (city)"]
    assert "Nur Otan's lowest share of the 17" in almaty and "the lowest turnout" in almaty
    assert "the only mäslihat where Auyl won no seat" in text["Nur-Sultan (city)"]
    assert "the only mäslihat where Ak Zhol won no seat" in text["Almaty Region"]
    seats_only = leads.describe(leads.claims(data, "Almaty (city)"), data, measures=leads.SEATS)
    assert "turnout" not in seats_only and "where 4 parties won seats" in seats_only
    assert leads.turnout_extreme(leads.claims(data, "Almaty (city)")).extreme == "lowest"
    assert leads.turnout_extreme(leads.claims(data, "Kostanay")) is None
    assert "one of two mäslihats, with the city of Almaty, where 4 parties won seats" in (
        text["Karaganda"]
    )
    assert text["North Kazakhstan"] == "the highest turnout of the 17 regions and cities"


def test_a_place_with_nothing_extreme_is_ranked(data):
    kostanay = leads.describe(leads.claims(data, "Kostanay"), data)
    top, _bottom = rank(nur_otan_share(), "Kostanay")
    assert kostanay == f"Nur Otan's joint {top}th-highest share of the 17 regional and city " \
        "mäslihats"


def test_ordinals_follow_the_english_rules():
    from maslihat.i18n import language

    with language("en"):
        assert [leads.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
            "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
        ]  # fmt: skip
    with language("ru"):  # the Russian and Kazakh messages write the rank's words themselves
        assert leads.ordinal(7) == "7"


def test_an_unknown_place_has_no_claims(data):
    assert leads.claims(data, "Atlantis") == []


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_a_lead_joins_a_share_and_a_mäslihat_as_its_language_writes_them(lang):
    from maslihat import i18n

    data = load_all()
    joined = {"en": " and ", "kk": "; сонымен қатар бұл — ", "ru": "; кроме того, это "}[lang]
    unlike = 0
    with i18n.language(lang):
        for place in region_names(data):
            claims = leads.claims(data, place)
            chosen = [c for c in claims if c.notable and c.measure in leads.SEATS][:2]
            text = leads.describe(claims, data, measures=leads.SEATS).replace("\u00a0", " ")
            kinds = {c.measure == leads.SHARE for c in chosen}
            if len(chosen) == 2 and len(kinds) == 2:  # a share, then a mäslihat
                unlike += 1
                first, second = (leads.claim_text(c, data).replace("\u00a0", " ") for c in chosen)
                assert text == first + joined + second, place
            elif lang != "en":
                assert joined not in text, place
    assert unlike >= 2  # Karaganda, the capital and Almaty: the lowest or highest, and a rarity
