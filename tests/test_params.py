"""Parameter checks name the parameter and list what is valid."""

from __future__ import annotations

import csv

import pytest

from maslihat.data import DATA_DIR
from maslihat.params import (
    ParameterError,
    check_choice,
    check_type,
    place_order,
    resolve_region,
    valid_regions,
)


def test_region_accepts_case_and_source_spellings(data):
    assert resolve_region("All", data) == "All"
    assert resolve_region("almaty region", data) == "Almaty Region"
    assert resolve_region("Almaty (region)", data) == "Almaty Region"
    assert resolve_region("Zhambyl", data) == "Jambyl"
    assert resolve_region(" Turkestan ", data) == "Turkistan"


def _rows(table: str) -> list[dict[str, str]]:
    with open(DATA_DIR / table, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_every_name_and_spelling_of_the_name_tables_is_accepted_in_any_case(data):
    reported = set(valid_regions(data))
    ambiguous = {"almaty"}  # the region's and the city's: refused naming both (below)
    names = [(row["name"], row["region"]) for row in _rows("place_names.csv")]
    names += [(row["spelling"], row["region"]) for row in _rows("region_spellings.csv")
              if row["spelling"].casefold() not in ambiguous]  # fmt: skip
    assert {row["lang"] for row in _rows("place_names.csv")} == {"kk", "ru"}
    checked = 0
    for name, place in names:
        for typed in (name, name.upper(), name.lower(), f"  {name} "):
            if place in reported:
                assert resolve_region(typed, data) == place, typed
                checked += 1
            else:  # formed in 2022: named, but no report of its own
                with pytest.raises(ParameterError, match=f"is {place}, which has no report"):
                    resolve_region(typed, data)
    assert checked >= 4 * 40


@pytest.mark.parametrize("typed, place", [
    ("Karaganda Region", "Karaganda"), ("karaganda oblast", "Karaganda"),
    ("Карагандинская область", "Karaganda"), ("ҚАРАҒАНДЫ ОБЛЫСЫ", "Karaganda"),
    ("Zhambyl Region", "Jambyl"), ("East-Kazakhstan", "East Kazakhstan"),
    ("Nur Sultan", "Nur-Sultan (city)"), ("Shymkent city", "Shymkent (city)"),
    ("Нур-Султан", "Nur-Sultan (city)"), ("Almaty Region", "Almaty Region"),
])  # fmt: skip
def test_a_place_is_accepted_as_people_type_it(data, typed, place):
    assert resolve_region(typed, data) == place


@pytest.mark.parametrize("typed, meant", [
    ("Karagandy", "Karaganda"), ("Akmolla", "Akmola"), ("Павлодарская обл", "Pavlodar"),
    ("Kostanai Region", "Kostanay"),
])  # fmt: skip
def test_a_near_miss_is_refused_with_the_name_it_resembles(data, typed, meant):
    with pytest.raises(ParameterError) as caught:
        resolve_region(typed, data)
    assert f"unknown region {typed!r} (did you mean {meant!r}?)" in str(caught.value)


def test_a_name_like_none_is_refused_without_a_guess(data):
    with pytest.raises(ParameterError) as caught:
        resolve_region("Atlantis", data)
    assert "did you mean" not in str(caught.value)


def test_unknown_region_lists_the_valid_regions(data):
    with pytest.raises(ParameterError) as caught:
        resolve_region("Almatyy", data)
    message = str(caught.value)
    assert "'Almatyy'" in message
    for region in ["All", *data.regional_seat_totals["region"]]:
        assert region in message


REGIONS_A_Z = ["Akmola", "Aktobe", "Almaty Region", "Atyrau", "East Kazakhstan", "Jambyl",
               "Karaganda", "Kostanay", "Kyzylorda", "Mangystau", "North Kazakhstan", "Pavlodar",
               "Turkistan", "West Kazakhstan"]  # fmt: skip
CITIES_A_Z = ["Almaty (city)", "Nur-Sultan (city)", "Shymkent (city)"]


def test_places_are_the_country_then_the_regions_a_to_z_then_the_cities_a_to_z(data):
    assert valid_regions(data) == ["All", *REGIONS_A_Z, *CITIES_A_Z]
    with pytest.raises(ParameterError) as caught:
        resolve_region("Almatyy", data)
    assert str(caught.value).endswith("Valid regions: " + ", ".join(valid_regions(data)))
    assert place_order(["Shymkent (city)", "Zed", "aktobe", "Akmola", "All", "Akmola"],
                       cities=["Shymkent (city)", "Almaty (city)"]) == [
        "All", "Akmola", "aktobe", "Zed", "Shymkent (city)"]  # fmt: skip


def test_a_name_of_two_places_is_refused_naming_both(data):
    with pytest.raises(ParameterError) as caught:
        resolve_region("almaty", data)
    message = str(caught.value)
    assert "ambiguous" in message
    assert "Almaty (city)" in message and "Almaty Region" in message


def test_cities_are_places_and_a_place_without_figures_says_so(data):
    assert resolve_region("Shymkent", data) == "Shymkent (city)"
    assert resolve_region("Nur-Sultan", data) == "Nur-Sultan (city)"
    assert resolve_region("astana", data) == "Nur-Sultan (city)"
    assert resolve_region("Almaty (city)", data) == "Almaty (city)"
    with pytest.raises(ParameterError, match="'Abai' is Abai, which has no report"):
        resolve_region("Abai", data)  # formed in 2022: no 2021 figures


def test_region_of_wrong_type(data):
    with pytest.raises(ParameterError, match=r"must be text.*got 5 \(int\).*Valid regions: All"):
        resolve_region(5, data)


def test_choice_and_type():
    assert check_choice("as_of", "20:00", ["10:00", "20:00"]) == "20:00"
    with pytest.raises(ParameterError, match="'as_of': '9:00' is not valid. Valid values: 10:00"):
        check_choice("as_of", "9:00", ["10:00", "20:00"])
    with pytest.raises(ParameterError, match="must be int, got True"):
        check_type("seats", True, int)
