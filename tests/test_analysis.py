"""Analysis functions against figures worked out by hand from the article and research note."""

from __future__ import annotations

import pytest

from maslihat import analysis
from maslihat.params import ParameterError


def test_national_seat_shares(data):
    shares = analysis.seat_shares(data).set_index("party_code")
    assert shares["seats"].to_dict() == {"NO": 399, "AUYL": 44, "AJ": 39, "QHP": 7, "ADAL": 0}
    assert shares.loc["NO", "share_pct"] == pytest.approx(100 * 399 / 489)  # 81.6%
    assert analysis.seat_share(data, "NO") == pytest.approx(81.595, abs=1e-3)


def test_regional_seat_shares(data):
    almaty = analysis.seat_shares(data, "Almaty").set_index("party_code")
    assert almaty["seats"].sum() == 45
    assert almaty.loc["NO", "share_pct"] == pytest.approx(100 * 37 / 45)
    assert almaty.loc["AJ", "seats"] == 0  # Ak Zhol won no seat in Almaty region


def test_effective_number_of_parties_by_region(data):
    by_region = analysis.seats_by_region(data).set_index("region")
    # Almaty: 37, 4, 4 of 45 seats → 45² / (37² + 4² + 4²) = 2025 / 1401
    assert by_region.loc["Almaty", "enp"] == pytest.approx(2025 / 1401)
    # Pavlodar: 27, 2, 3 of 32 → 1024 / (729 + 4 + 9)
    assert by_region.loc["Pavlodar", "enp"] == pytest.approx(1024 / 742)
    assert by_region.loc["Karaganda", "parties_with_seats"] == 4
    assert (by_region["largest_party"] == "NO").all()


def test_other_party_seats(data):
    others = analysis.other_party_seats(data)
    qhp = others[others["party_code"] == "QHP"]
    assert set(qhp["region"]) == {"Almaty", "Karaganda"}
    assert (others["party_code"] != "NO").all() and (others["seats"] > 0).all()
    assert set(others.loc[others["party_code"] == "AJ", "region"]) == set(
        data.regional_seats["region"]
    ) - {"Almaty"}


def test_party_list_summary(data):
    lists = analysis.party_list_summary(data).set_index("party_code")
    assert lists.loc["NO", "coverage_pct"] == pytest.approx(100 * 216 / 214)
    assert lists.loc["QHP", "coverage_pct"] == pytest.approx(100 * 69 / 214)
    assert lists.loc["NO", "seats_per_list"] == pytest.approx(3083 / 216)
    assert lists.loc["ADAL", "list_share_pct"] == pytest.approx(100 * 215 / 832)
    assert lists.loc["AUYL", "seat_share_pct"] == pytest.approx(100 * 268 / 3749)
    assert analysis.candidates_per_list(data) == pytest.approx(8334 / 832)


def test_turnout_figures(data):
    assert analysis.local_turnout(data) == 57.26
    assert analysis.final_turnout(data, "Mazhilis") == 63.25
    assert analysis.implied_turnout(data) == pytest.approx(100 * 7_241_562 / 11_919_241)
    comparison = analysis.national_turnout_comparison(data)
    previous = comparison[comparison["year"] == 2016]
    assert previous["turnout_pct"].iloc[0] == pytest.approx(63.25 + 13.87)  # the stated fall
    with pytest.raises(ValueError, match="bodies"):
        analysis.final_turnout(data, "Senate")


def test_regional_turnout_and_change(data):
    at22 = analysis.regional_turnout(data, "22:00").set_index("region")
    assert len(at22) == 17
    assert at22.loc["North Kazakhstan", "gap_pts"] == pytest.approx(75.5 - 63.3)
    assert at22.index[0] == "North Kazakhstan" and at22.index[-1] == "Almaty (city)"
    change = analysis.turnout_change(data, "22:00").set_index("region")
    assert change.loc["Akmola", "change_pts"] == pytest.approx(60.01 - 72.8)
    assert change.loc["Akmola", "comparable"]
    assert not change.loc["Almaty", "comparable"]
    assert "Abai" not in change.index  # formed in 2022: nothing to compare with


def test_mazhilis_votes_and_seats(data):
    mazhilis = analysis.mazhilis_votes_and_seats(data).set_index("party_code")
    assert mazhilis.loc["NO", "seat_share_pct"] == pytest.approx(100 * 76 / 98)
    assert mazhilis["vote_share_pct"].sum() == pytest.approx(100.0)


def test_allocation_illustration_uses_every_method(data):
    votes = analysis.mazhilis_votes_and_seats(data).set_index("party_code")["vote_share_pct"]
    table = analysis.allocation_illustration(data, votes, 98, 7.0).set_index("party_code")
    for method in analysis.METHODS:
        assert table[method].sum() == 98
        assert table.loc["AUYL", method] == 0 and table.loc["ADAL", method] == 0  # below 7%
    long = analysis.allocation_long(table.reset_index().assign(actual=[76, 12, 10, 0, 0]))
    assert set(long["method"]) == {*analysis.METHODS.values(), "Actual regional seats"}


def test_threshold_parameter(data):
    assert analysis.check_threshold(None, data) == 7.0
    assert analysis.check_threshold(5, data) == 5.0
    with pytest.raises(ParameterError, match="threshold_pct.*between 0 and 100"):
        analysis.check_threshold(150, data)
    with pytest.raises(ParameterError, match="threshold_pct.*must be int or float.*str"):
        analysis.check_threshold("7", data)
