"""Analysis functions against figures worked out by hand from the article and research note."""

from __future__ import annotations

import csv

import pytest

from maslihat import analysis
from maslihat.data import DATA_DIR
from maslihat.params import ParameterError


def rows(table: str) -> list[dict[str, str]]:
    """A CSV table as text, read with the csv module rather than the package under test."""
    with open(DATA_DIR / f"{table}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_an_unknown_count_level_or_place_is_refused_with_the_valid_ones(data):
    from maslihat.figures import count, counts_by_source

    counts = sorted({r["as_of"] for r in rows("turnout_by_region")
                     if r["election_date"] == "2021-01-10"})  # fmt: skip
    for call in (analysis.regional_turnout, analysis.national_turnout_at):
        with pytest.raises(ParameterError) as caught:
            call(data, "21:00")
        assert f"'21:00' is not valid. Valid values: {', '.join(counts)}" in str(caught.value)
    levels = list(dict.fromkeys(r["level"] for r in rows("maslihat_counts")))
    with pytest.raises(ParameterError, match=f"'level': 'regionl' is not valid. Valid values: "
                       f"{', '.join(levels)}"):  # fmt: skip
        count(data, "seats", "regionl")
    with pytest.raises(ParameterError, match="'measure': 'seat' is not valid"):
        counts_by_source(data, "seat")
    with pytest.raises(ParameterError, match="no seats for region 'Karaganda Region'.*Karaganda,"):
        analysis.seat_shares(data, "Karaganda Region")


def test_national_seat_shares(data):
    shares = analysis.seat_shares(data).set_index("party_code")
    assert shares["seats"].to_dict() == {"NO": 399, "AUYL": 44, "AJ": 39, "QHP": 7, "ADAL": 0}
    assert shares.loc["NO", "share_pct"] == pytest.approx(100 * 399 / 489)  # 81.6%
    assert analysis.seat_share(data, "NO") == pytest.approx(81.595, abs=1e-3)


def test_regional_seat_shares(data):
    almaty = analysis.seat_shares(data, "Almaty Region").set_index("party_code")
    assert almaty["seats"].sum() == 45
    assert almaty.loc["NO", "share_pct"] == pytest.approx(100 * 37 / 45)
    assert almaty.loc["AJ", "seats"] == 0  # Ak Zhol won no seat in Almaty region


def test_parties_are_listed_by_seats_won(data):
    # Almaty (city), research note: Nur Otan 29, Ak Zhol 4, Auyl 3, People's Party 3, Adal 0; in
    # infobox order Auyl (7.35%) comes before Ak Zhol (7.34%), so prose read "Auyl 3, Ak Zhol 4".
    city = analysis.seat_shares(data, "Almaty (city)")
    assert list(city["party_code"]) == ["NO", "AJ", "AUYL", "QHP", "ADAL"]
    votes = analysis.city_votes_and_seats(data, "Almaty (city)")
    assert list(votes["party_code"]) == ["NO", "AJ", "AUYL", "QHP", "ADAL"]
    for region in {r["region"] for r in rows("regional_seats")}:
        seats = list(analysis.seat_shares(data, region)["seats"])
        assert seats == sorted(seats, reverse=True), region


def test_effective_number_of_parties_by_region(data):
    by_region = analysis.seats_by_region(data).set_index("region")
    # Almaty: 37, 4, 4 of 45 seats → 45² / (37² + 4² + 4²) = 2025 / 1401
    assert by_region.loc["Almaty Region", "enp"] == pytest.approx(2025 / 1401)
    # Pavlodar: 27, 2, 3 of 32 → 1024 / (729 + 4 + 9)
    assert by_region.loc["Pavlodar", "enp"] == pytest.approx(1024 / 742)
    assert by_region.loc["Karaganda", "parties_with_seats"] == 4
    assert (by_region["largest_party"] == "NO").all()


def test_other_party_seats(data):
    others = analysis.other_party_seats(data)
    qhp = others[others["party_code"] == "QHP"]
    assert set(qhp["region"]) == {"Almaty Region", "Karaganda"}
    assert (others["party_code"] != "NO").all() and (others["seats"] > 0).all()
    assert set(others.loc[others["party_code"] == "AJ", "region"]) == set(
        data.regional_seats["region"]
    ) - {"Almaty Region"}


def test_party_list_summary(data):
    lists = analysis.party_list_summary(data).set_index("party_code")
    # The CEC's 216 mäslihats, not the article's 214 (research note, Astana Times 12 Dec 2020)
    assert analysis.maslihats(data) == 216
    assert lists.loc["NO", "coverage_pct"] == pytest.approx(100 * 216 / 216)
    assert lists.loc["QHP", "coverage_pct"] == pytest.approx(100 * 69 / 216)
    # Seats in all mäslihats: the infobox's regional + municipal members (Nur Otan 399 + 2,286)
    assert lists.loc["NO", "seats_won"] == 399 + 2286
    assert lists.loc["NO", "seats_per_list"] == pytest.approx((399 + 2286) / 216)
    assert lists.loc["ADAL", "list_share_pct"] == pytest.approx(100 * 215 / 832)
    assert lists.loc["AUYL", "seat_share_pct"] == pytest.approx(100 * (44 + 183) / 3246)
    assert analysis.candidates_per_list(data) == pytest.approx(8334 / 832)


def test_party_seats_sum_to_the_seats_up_for_election(data):
    seats = analysis.party_seats(data).set_index("party_code")
    assert seats["regional_members"].sum() == 489 and seats["municipal_members"].sum() == 2757
    assert seats["seats"].sum() == 3246
    assert list(seats.index) == list(data.parties.sort_values("infobox_order")["party_code"])


def test_national_votes_and_seats(data):
    table = analysis.national_votes_and_seats(data).set_index("party_code")
    assert table.loc["NO", "votes"] == 10_951_426 and table.loc["NO", "vote_share_pct"] == 80.23
    assert table.loc["ADAL", "seats"] == 24 and table.loc["ADAL", "vote_share_pct"] == 2.10
    assert table.loc["NO", "seats_minus_votes_pts"] == pytest.approx(100 * 2685 / 3246 - 80.23)
    assert table["seat_share_pct"].sum() == pytest.approx(100)


def test_ballots_give_the_official_turnout_and_valid_votes_are_no_turnout(data):
    assert analysis.ballots_turnout(data) == pytest.approx(100 * 7_539_280 / 11_919_241)
    assert round(analysis.ballots_turnout(data), 2) == analysis.final_turnout(data, "Mazhilis")
    comparison = analysis.national_turnout_comparison(data)
    assert round(100 * 7_241_562 / 11_919_241, 2) not in set(comparison["turnout_pct"].round(2))


def test_more_lists_than_maslihats(data):
    over = analysis.more_lists_than_maslihats(analysis.party_list_summary(data))
    assert over.empty  # with the CEC's 216 mäslihats no party has more lists than mäslihats
    lists = analysis.party_list_summary(data).assign(coverage_pct=[101.0, 50, 50, 50, 50])
    assert len(analysis.more_lists_than_maslihats(lists)) == 1


def test_seat_bases_name_existing_columns(data):
    lists = analysis.party_list_summary(data).set_index("party_code")
    for basis in analysis.SEAT_BASES.values():
        assert {basis["seats"], basis["share"], basis["per_list"]} <= set(lists.columns)
    # Nur Otan: 399 regional seats (regional table) on 216 lists
    regional = analysis.SEAT_BASES["regional"]["per_list"]
    assert lists.loc["NO", regional] == pytest.approx(399 / 216)
    local = analysis.SEAT_BASES["local"]["per_list"]
    assert lists.loc["NO", local] == pytest.approx((399 + 2286) / 216)


def test_largest_party(data):
    assert analysis.largest_party(analysis.seat_shares(data))["party_code"] == "NO"
    shares = analysis.seat_shares(data).assign(seats=[1, 5, 5, 0, 0])
    # a tie: the first in infobox order
    assert analysis.largest_party(shares)["party_code"] == shares["party_code"].iloc[1]


def test_turnout_figures(data):
    assert analysis.local_turnout(data) == 57.26
    assert analysis.final_turnout(data, "Mazhilis") == 63.25
    comparison = analysis.national_turnout_comparison(data)
    # The 2016 figure the stated fall implies (63.25 + 13.87) is the one Kazinform published: one
    # row, which says it is also derived, not a second "derived" row with the same 77.12.
    also = comparison[comparison["also_derived"]]
    assert list(also["turnout_pct"]) == [pytest.approx(63.25 + 13.87)]
    assert list(also["source_id"]) == ["kazinform_2016"]
    assert list(also["derived_source_id"]) == ["wiki_mazhilis"]
    assert list(also["derived_change_pts"]) == [-13.87]
    assert comparison[(comparison["year"] == 2016) & (comparison["kind"] == "derived")].empty
    assert comparison["label"].is_unique
    with pytest.raises(ValueError, match="bodies"):
        analysis.final_turnout(data, "Senate")


def test_regional_turnout_and_change(data):
    at22 = analysis.regional_turnout(data, "22:00").set_index("region")
    assert len(at22) == 17
    assert at22.index[0] == "North Kazakhstan" and at22.index[-1] == "Almaty (city)"
    change = analysis.turnout_change(data).set_index("region")
    assert change.loc["Akmola", "change_pts"] == pytest.approx(60.01 - 72.8)
    assert change.loc["Akmola", "comparable"]
    assert not change.loc["Almaty Region", "comparable"]
    assert "Abai" not in change.index  # formed in 2022: nothing to compare with


@pytest.mark.parametrize("as_of", analysis.HOURS)
def test_national_reference_comes_from_the_source_of_the_regional_figures(data, as_of):
    regional = [r for r in rows("turnout_by_region") if r["as_of"] == as_of]
    sources = {r["source_id"] for r in regional}
    same_source = [
        r
        for r in rows("turnout_national")
        if r["as_of"] == as_of
        and r["source_id"] in sources
        and r["election_date"] == rows("election")[0]["election_date"]
    ]
    national = analysis.national_turnout_at(data, as_of)
    assert list(national["turnout_pct"]) == [float(r["turnout_pct"]) for r in same_source]
    assert list(national["note"].fillna("")) == [r["note"] for r in same_source]
    # The gap is measured against the source's first figure (its headline at 22:00).
    table = analysis.regional_turnout(data, as_of).set_index("region")
    reference = float(same_source[0]["turnout_pct"])
    for r in regional:
        assert table.loc[r["region"], "gap_pts"] == pytest.approx(
            float(r["turnout_pct"]) - reference
        )


def test_the_22_00_source_gives_two_national_figures_and_other_sources_are_left_out(data):
    at22 = [r for r in rows("turnout_national") if r["as_of"] == "22:00"]
    regional_source = {r["source_id"] for r in rows("turnout_by_region") if r["as_of"] == "22:00"}
    other = [r for r in at22 if r["source_id"] not in regional_source]
    assert other, "the data has a 22:00 figure from another source (TASS)"
    national = analysis.national_turnout_at(data, "22:00")
    assert len(national) == 2 and set(national["source_id"]) == regional_source
    assert list(national["note"]) == ["opening sentence", "text"]
    assert list(national["turnout_pct"]) == [63.3, 63.1]  # as the research note prints them


def test_turnout_change_always_uses_the_latest_count(data):
    latest = {
        r["region"]: float(r["turnout_pct"])
        for r in rows("turnout_by_region")
        if r["as_of"] == analysis.HOURS[-1] and r["election_date"] == "2021-01-10"
    }
    # 2023: the election-night count (as of 22:10), not a final figure (research, Corrections)
    final = {
        r["region"]: float(r["turnout_pct"])
        for r in rows("turnout_by_region")
        if r["election_date"] == "2023-03-19" and r["as_of"] == "22:10"
    }
    change = analysis.turnout_change(data).set_index("region")
    assert set(change.index) == set(latest) & set(final)
    assert set(change["as_of"]) == {"22:00"}
    assert {d.year for d in change["election_date_next"]} == {2023}
    assert set(change["status_next"]) == {"election_night"}
    for region in change.index:
        assert change.loc[region, "turnout_pct_2021"] == latest[region]
        assert change.loc[region, "change_pts"] == pytest.approx(final[region] - latest[region])
    changed = {r["region"] for r in rows("regions") if r["boundaries_changed_2022"] == "true"}
    assert set(change.index[~change["comparable"]]) == changed & set(change.index)
    assert analysis.boundary_change_year(data) == 2022
    assert analysis.latest_count(data) == "22:00"


def test_closing_turnout_figures_count_each_published_value_once(data):
    closing = analysis.closing_turnout_figures(data)
    published = [
        float(r["turnout_pct"])
        for r in rows("turnout_national")
        if r["election_date"] == "2021-01-10" and r["as_of"] in ("final", "22:00")
    ]
    assert list(closing["turnout_pct"]) == list(dict.fromkeys(published))
    assert len(closing) == 4  # 57.26, 63.25, 63.3 (Kazinform headline and TASS), 63.1
    assert closing.set_index("turnout_pct").loc[63.3, "sources"] == ["Kazinform", "TASS"]
    assert 60.76 not in set(closing["turnout_pct"])  # valid votes / registered: no turnout


def test_national_figures_are_printed_as_published(data):
    comparison = analysis.national_turnout_comparison(data)
    printed = dict(zip(comparison["turnout_pct"], comparison["as_printed"], strict=False))
    assert printed[63.3] == "63.3" and printed[57.26] == "57.26" and printed[11.6] == "11.6"
    assert printed[77.12] == "77.12"
    derived = comparison[comparison["kind"] == "derived"]
    assert list(derived["as_printed"]) == ["52.90"]  # Vlast's, from its counts: two decimals


def test_national_figures_come_by_year_then_time_of_count(data):
    comparison = analysis.national_turnout_comparison(data)
    assert list(comparison["year"]) == sorted(comparison["year"])
    times = {"final": "99:99"}
    for _year, group in comparison.groupby("year"):
        order = [times.get(t, t) for t in group["as_of"]]
        assert order == sorted(order)
    this = comparison[comparison["year"] == 2021]
    assert list(this["as_of"]) == ["10:00", "20:00", "22:00", "22:00", "22:00", "final", "final"]


def test_a_derived_figure_is_not_listed_beside_the_same_published_one(data):
    comparison = analysis.national_turnout_comparison(data)
    derived = comparison[comparison["kind"] == "derived"]
    published = comparison[comparison["kind"] != "derived"]
    for r in derived.itertuples():
        same = published[
            (published["year"] == r.year)
            & (published["body"] == r.body)
            & (published["turnout_pct"].round(2) == round(r.turnout_pct, 2))
        ]
        assert same.empty, f"{r.label} repeats a published figure"


def test_chart_labels_are_two_short_lines(data):
    comparison = analysis.national_turnout_comparison(data)
    charted = comparison[comparison["year"] == 2021]  # the chart of polling day's figures
    lines = charted["chart_label"].str.split("\n")
    assert lines.map(len).max() == 2
    assert lines.map(lambda ls: max(len(line) for line in ls)).max() <= 40
    headline = comparison[comparison["short_label"].str.contains("opening sentence")]
    assert list(headline["chart_label"]) == [
        "Mazhilis and mäslihats, as of 22:00\n(Kazinform, opening sentence)"
    ]


def test_turnout_change_lists_comparable_places_first_by_change(data):
    change = analysis.turnout_change(data)
    comparable = change["comparable"].tolist()
    assert comparable == sorted(comparable, reverse=True)
    for flag in (True, False):
        part = change[change["comparable"] == flag]["change_pts"].tolist()
        assert part == sorted(part)


def test_city_final_turnout(data):
    shymkent = analysis.city_final_turnout(data, "Shymkent (city)")
    assert shymkent.turnout_pct == 56.5 and shymkent.source_id == "ernur_shymkent"
    assert (shymkent.took_part, shymkent.registered) == (348_644, 617_027)
    almaty = analysis.city_final_turnout(data, "Almaty (city)")
    assert almaty.turnout_pct == 30.25 and almaty.source_id == "inalmaty_city"
    assert almaty.registered is None and almaty.took_part is None
    assert analysis.city_final_turnout(data, "Nur-Sultan (city)") is None
    assert analysis.city_final_turnout(data, "Akmola") is None


def test_mazhilis_votes_and_seats(data):
    mazhilis = analysis.mazhilis_votes_and_seats(data).set_index("party_code")
    assert mazhilis.loc["NO", "seat_share_pct"] == pytest.approx(100 * 76 / 98)
    assert mazhilis["vote_share_pct"].sum() == pytest.approx(100.0)


def test_the_methods_reproduce_the_mazhilis_seats(data):
    # Mazhilis 2021 (research note): votes 71.09, 10.95, 9.10, 5.29, 3.57; seats 76, 12, 10, 0, 0
    table = analysis.mazhilis_allocation(data).set_index("party_code")
    assert table["actual"].to_dict() == {"NO": 76, "AJ": 12, "QHP": 10, "AUYL": 0, "ADAL": 0}
    assert (table["hare"] == table["actual"]).all()
    assert table["dhondt"].to_dict()["NO"] == 77  # D'Hondt favours the largest list
    lower = analysis.mazhilis_allocation(data, 5).set_index("party_code")
    assert lower.loc["AUYL", "hare"] > 0  # 5.29% passes a 5% threshold


def test_allocation_illustration_uses_every_method(data):
    votes = analysis.mazhilis_votes_and_seats(data).set_index("party_code")["vote_share_pct"]
    table = analysis.allocation_illustration(data, votes, 98, 7.0).set_index("party_code")
    for method in analysis.METHODS:
        assert table[method].sum() == 98
        assert table.loc["AUYL", method] == 0 and table.loc["ADAL", method] == 0  # below 7%


def test_threshold_parameter(data):
    assert analysis.check_threshold(None, data) == 7.0
    assert analysis.check_threshold(5, data) == 5.0
    with pytest.raises(ParameterError, match="threshold_pct.*between 0 and 100"):
        analysis.check_threshold(150, data)
    # above Nur Otan's 71.09% Mazhilis share no party qualifies: refused, naming the bound
    with pytest.raises(ParameterError, match="between 0 and 71.09"):
        analysis.check_threshold(80, data)
    assert analysis.check_threshold(71.09, data) == 71.09
    with pytest.raises(ParameterError, match="threshold_pct.*from 0 to 100, or None.*str"):
        analysis.check_threshold("7", data)
