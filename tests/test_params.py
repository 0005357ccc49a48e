"""Parameter checks name the parameter and list what is valid."""

from __future__ import annotations

import pytest

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
