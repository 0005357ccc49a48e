"""maslihat.places: every place's seat shares in one frame; party bars of any frame.

Expected figures come from the raw CSV files, read with the csv module.
"""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from maslihat.data import DATA_DIR
from maslihat.params import ParameterError
from maslihat.places import party_bars, scatter, seat_shares_by_place, turnout_by_place


def csv_rows(table: str) -> list[dict[str, str]]:
    with open(DATA_DIR / f"{table}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_seat_shares_by_place_has_every_region_city_and_the_country(data):
    frame = seat_shares_by_place(data)
    expected: dict[tuple[str, str], int] = {}
    national: dict[str, int] = defaultdict(int)
    for r in csv_rows("regional_seats"):
        expected[(r["region"], r["party_code"])] = int(r["seats"])
        national[r["party_code"]] += int(r["seats"])
    for r in csv_rows("city_results"):
        if r["measure"] == "seats":
            expected[(r["region"], r["party_code"])] = int(r["value"])
    country = frame[frame["level"] == "country"]
    assert set(country["place"]) == {"Kazakhstan"}
    assert dict(zip(country["party_code"], country["seats"], strict=True)) == national
    others = frame[frame["level"] != "country"]
    got = {(r.place, r.party_code): int(r.seats) for r in others.itertuples()}
    assert got == expected
    assert set(frame.loc[frame["level"] == "city", "place"]) == {
        "Almaty (city)", "Shymkent (city)", "Nur-Sultan (city)"}  # fmt: skip
    for place, group in frame.groupby("place"):
        assert group["share_pct"].sum() == pytest.approx(100), place
        assert list(group["name"].iloc[:1]) == ["Nur Otan"]  # infobox order within a place
    almaty = frame[(frame["place"] == "Almaty (city)") & (frame["party_code"] == "AJ")].iloc[0]
    assert almaty["share_pct"] == pytest.approx(100 * 4 / 39)


def test_seat_shares_by_place_takes_levels_and_names_the_valid_ones(data):
    assert set(seat_shares_by_place(data, ["city"])["level"]) == {"city"}
    one = seat_shares_by_place(data, "region")  # one level as a string, not its letters
    assert set(one["level"]) == {"region"} and one["place"].nunique() == 14
    with pytest.raises(ParameterError, match="'district' not known. Valid levels: country, "
                       "region, city"):  # fmt: skip
        seat_shares_by_place(data, ["district"])
    with pytest.raises(ParameterError, match="'regions' not known"):
        seat_shares_by_place(data, "regions")


@pytest.mark.parametrize("as_of", ["10:00", "20:00", "22:00"])
def test_turnout_by_place_has_every_place_at_the_count_and_merges_with_seats(data, as_of):
    frame = turnout_by_place(data, as_of)
    expected = {r["region"]: float(r["turnout_pct"]) for r in csv_rows("turnout_by_region")
                if r["election_date"] == "2021-01-10" and r["as_of"] == as_of}  # fmt: skip
    others = frame[frame["level"] != "country"]
    assert dict(zip(others["place"], others["turnout_pct"].astype(float), strict=True)) == expected
    cities = {r["region"] for r in csv_rows("regions") if r["kind"] == "city"}
    assert set(frame.loc[frame["level"] == "city", "place"]) == cities
    assert set(frame["as_of"]) == {as_of}
    country = frame[frame["level"] == "country"].iloc[0]
    sources = {r["source_id"] for r in csv_rows("turnout_by_region") if r["as_of"] == as_of
               and r["election_date"] == "2021-01-10"}  # fmt: skip
    national = [float(r["turnout_pct"]) for r in csv_rows("turnout_national")
                if r["as_of"] == as_of and r["source_id"] in sources]  # fmt: skip
    assert country["place"] == "Kazakhstan" and country["turnout_pct"] == national[0]
    seats = seat_shares_by_place(data)
    merged = seats[seats["party_code"] == "NO"].merge(frame, on="place")
    assert len(merged) == 1 + 14 + 3  # every place of the seats has its turnout
    assert list(turnout_by_place(data, as_of, "city")["level"].unique()) == ["city"]


def test_turnout_by_place_refuses_an_unknown_count(data):
    with pytest.raises(ParameterError, match="'21:00' is not valid. Valid values: 10:00, 20:00"):
        turnout_by_place(data, "21:00")


def test_scatter_names_the_points_and_highlights_the_chosen(data):
    from maslihat.i18n import language

    seats = seat_shares_by_place(data)
    frame = seats[seats["party_code"] == "NO"].merge(turnout_by_place(data), on="place")
    with language("ru"):
        spec = scatter(frame, "turnout_pct", "share_pct", "Nur Otan", "Shares against turnout",
                       highlight=["Akmola", "Shymkent (city)"], x_title="Turnout (%)",
                       y_title="Seats (%)").to_dict()  # fmt: skip
    assert spec["title"] == {"text": "Nur Otan"}
    assert spec["description"] == "Shares against turnout"
    dots, *names = spec["layer"]
    assert dots["mark"]["type"] == "circle" and dots["encoding"]["x"]["title"] == "Turnout (%)"
    low, high = dots["encoding"]["x"]["scale"]["domain"]
    assert low <= frame["turnout_pct"].min() and high >= frame["turnout_pct"].max()
    assert {layer["mark"]["type"] for layer in names} == {"text"}
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == len(frame)
    assert {r["place"] for r in rows if r["chosen"]} == {"Акмолинская область", "Шымкент"}
    named = {r["place"] for r in rows if r["side"]}
    assert {"Акмолинская область", "Шымкент"} <= named and len(named) >= len(rows) - 4
    with pytest.raises(ValueError, match="no column 'votes'"):
        scatter(frame, "votes", "share_pct", "t", "d")


def test_scatter_names_never_cover_each_other_or_a_point():
    from maslihat.places import CHARACTER, LABEL_SIDES, SCATTER_SIZE, label_sides

    xs = [50, 50.5, 51, 51.5, 52, 70, 90]  # five points in a crowd, two apart
    ys = [80, 80.2, 80.1, 79.9, 80, 60, 40]
    names = ["Западно-Казахстанская область", "Atyrau", "Kyzylorda", "Aktobe", "Karaganda",
             "Pavlodar", "Almaty"]  # fmt: skip
    domains = ([40.0, 100.0], [30.0, 90.0])
    sides = label_sides(xs, ys, names, [False] * 6 + [True], domains)
    assert sides[5] == sides[6] == "right"  # alone: beside the point
    width, height = SCATTER_SIZE
    boxes = [(x - 40) / 60 * width for x in xs], [height - (y - 30) / 60 * height for y in ys]
    placed = []
    for i, side in enumerate(sides):
        if not side:
            continue
        _side, align, dx, dy = next(s for s in LABEL_SIDES if s[0] == side)
        w = len(names[i]) * 10 * CHARACTER
        left = boxes[0][i] + dx - (w if align == "right" else w / 2 if align == "center" else 0)
        placed.append((left, boxes[1][i] + dy - 6, left + w, boxes[1][i] + dy + 6))
    for k, a in enumerate(placed):
        for b in placed[k + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
        for px, py in zip(*boxes, strict=True):
            inside = a[0] < px < a[2] and a[1] < py < a[3]
            assert not inside
    assert "" in sides  # the crowd cannot name all five: one is left to the tooltip


def test_party_bars_colours_and_labels_every_bar(data):
    frame = seat_shares_by_place(data)
    akmola = frame[frame["place"] == "Akmola"]
    spec = party_bars(akmola, data, "share_pct", title="Akmola", description="Shares in Akmola",
                      x_title="Seats (%)", label_format=".1f").to_dict()  # fmt: skip
    assert spec["title"] == "Akmola" and spec["description"] == "Shares in Akmola"
    bars, labels = spec["layer"]
    assert bars["mark"]["type"] == "bar" and labels["mark"]["type"] == "text"
    scale = bars["encoding"]["color"]["scale"]
    parties = csv_rows("parties")
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        p["name"]: p["colour"] for p in parties}  # fmt: skip
    assert labels["encoding"]["text"] == {"field": "share_pct", "type": "quantitative",
                                          "format": ".1f"}  # fmt: skip
    assert bars["encoding"]["x"]["title"] == "Seats (%)"


def test_party_bars_by_place_makes_one_row_per_place(data):
    cities = seat_shares_by_place(data, ["city"])
    spec = party_bars(cities, data, "seats", "City seats", "Seats per city", by="place").to_dict()
    assert spec["facet"]["row"]["field"] == "place"
    assert spec["facet"]["row"]["sort"] == ["Almaty (city)", "Shymkent (city)", "Nur-Sultan (city)"]
    assert spec["title"] == "City seats"


def test_party_bars_names_a_missing_column(data):
    frame = seat_shares_by_place(data, ["country"])
    with pytest.raises(ValueError, match="no column 'votes'; its columns: place, level"):
        party_bars(frame, data, "votes", "t", "d")


def test_party_bars_by_another_category_keeps_the_party_colour(data):
    frame = seat_shares_by_place(data)
    leading = frame[frame["party_code"] == "NO"]
    spec = party_bars(leading, data, "share_pct", "Nur Otan", "Shares", category="place").to_dict()
    bars = spec["layer"][0]["encoding"]
    assert bars["y"]["field"] == "place" and bars["y"]["sort"] == {
        "field": "share_pct", "op": "max", "order": "descending"}  # fmt: skip
    assert bars["color"]["field"] == "name"
    assert len(leading) == 1 + 14 + 3
