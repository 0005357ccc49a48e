"""The maps: geometry matched to the places of the data, its licence kept, values and gaps shown."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from conftest import find
from maslihat import maps
from maslihat.charts import HIGHLIGHT
from maslihat.data import DATA_DIR, load_all

GEOMETRY = DATA_DIR / "geo" / "kazakhstan_2021.geojson"


@pytest.fixture(scope="module")
def data():
    return load_all()


@pytest.fixture(scope="module")
def features():
    return json.loads(GEOMETRY.read_text(encoding="utf-8"))["features"]


@pytest.fixture(scope="module")
def descriptor():
    return json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))


def geometry_resource(descriptor) -> dict:
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "geometry"]
    return resource


def rows(spec: dict) -> list[dict]:
    """Every inline data row of a spec that is a place (not a shape of the geometry)."""
    return [
        row
        for values in spec.get("datasets", {}).values()
        for row in values
        if isinstance(row, dict) and "region" in row
    ]


def test_every_place_has_exactly_one_shape_or_point_and_the_reverse(data, features):
    regions = data.regions
    coded = regions.dropna(subset=["iso_code"])
    drawn = [f["properties"]["iso_code"] for f in features]
    assert len(drawn) == len(set(drawn)), "a place drawn twice"
    assert sorted(drawn) == sorted(coded["iso_code"])
    assert coded["iso_code"].is_unique and regions["iso_code_2022"].dropna().is_unique
    kinds = coded.set_index("iso_code")["kind"]
    for feature in features:
        code = feature["properties"]["iso_code"]
        assert feature["properties"]["kind"] == kinds[code], code
        expected = ("Point",) if kinds[code] == "city" else ("Polygon", "MultiPolygon")
        assert feature["geometry"]["type"] in expected, code
    # the shapes are the 14 regions of 2021 (those with regional seats), the points the 3 cities
    with_seats = set(data.regional_seats["region"])
    assert set(coded.loc[coded["kind"] == "region", "region"]) == with_seats
    assert len(with_seats) == 14
    assert set(coded.loc[coded["kind"] == "city", "region"]) == set(
        regions.loc[regions["kind"] == "city", "region"]
    )
    # the regions formed in 2022 have no shape: they did not exist in 2021
    assert regions.loc[regions["formed_2022"].astype(bool), "iso_code"].isna().all()


def test_codes_are_iso_3166_2_of_2021(data):
    codes = data.regions.set_index("region")["iso_code"]
    assert codes["Akmola"] == "KZ-AKM" and codes["Turkistan"] == "KZ-YUZ"
    assert codes["Nur-Sultan (city)"] == "KZ-AST" and codes["Almaty (city)"] == "KZ-ALA"
    assert codes["Shymkent (city)"] == "KZ-SHY" and codes["Almaty Region"] == "KZ-ALM"


def test_the_licence_file_is_kept_and_the_resource_says_where_the_geometry_comes_from(descriptor):
    licence = (DATA_DIR / "geo" / "LICENSE").read_text(encoding="utf-8")
    assert "amCharts" in licence and "You include this original LICENSE file" in licence
    resource = geometry_resource(descriptor)
    assert resource["licenses"] and resource["attribution"]
    assert all(s["path"].startswith("https://") for s in resource["sources"])
    assert "simplified" in resource["description"].lower()
    assert "amcharts_geodata" in (DATA_DIR / "sources.csv").read_text(encoding="utf-8")


def test_geometry_is_small():
    assert GEOMETRY.stat().st_size < 60_000


def test_a_map_carries_the_attribution_and_the_values_of_the_data(data, descriptor):
    spec = maps.turnout_map(data, "All", "22:00").to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    assert geometry_resource(descriptor)["attribution"] in text
    assert maps.attribution() == geometry_resource(descriptor)["attribution"]
    with (DATA_DIR / "turnout_by_region.csv").open(encoding="utf-8") as file:
        source = {
            r["region"]: float(r["turnout_pct"])
            for r in csv.DictReader(file)
            if r["as_of"] == "22:00" and r["election_date"] == "2021-01-10"
        }
    shown = {r["region"]: r["value"] for r in rows(spec)}
    assert shown["Akmola"] == pytest.approx(source["Akmola"])
    assert shown["Almaty (city)"] == pytest.approx(source["Almaty (city)"])
    assert set(shown) == set(source)  # the 14 regions and 3 cities, each once
    assert spec["description"].startswith("Map of turnout")
    assert len(text) < 80_000  # the geometry is inline once


def test_the_geometry_is_in_a_map_once_as_the_text_vega_lite_reads(data, features):
    import altair as alt

    from maslihat.downloads import chart_tables

    name = features[0]["properties"]["name"]  # a name only the geometry has ('Aqmola oblysy')
    region = maps.seat_share_map(data, "Akmola")
    party = maps.party_maps(data, "Akmola")
    for chart in (region, party, alt.hconcat(region, maps.turnout_map(data, "Akmola"))):
        spec = chart.to_dict()  # validated against the Vega-Lite schema
        text = json.dumps(spec, ensure_ascii=False)
        assert text.count(name) == 1  # one dataset, whatever the number of layers and maps
        (geometry,) = [v for v in spec["datasets"].values() if isinstance(v, str)]
        assert json.loads(geometry) == features
    # a map's data file is its values by place, not the shapes
    (table,) = chart_tables(region.to_dict())
    assert "region" in table and "geometry" not in table


def test_seat_share_map_shows_each_mäslihats_share(data):
    spec = maps.seat_share_map(data, "All", "NO").to_dict()
    shown = {r["region"]: r["value"] for r in rows(spec)}
    with (DATA_DIR / "regional_seats.csv").open(encoding="utf-8") as file:
        seats = [r for r in csv.DictReader(file) if r["region"] == "Akmola"]
    total = sum(int(r["seats"]) for r in seats)
    nur_otan = next(int(r["seats"]) for r in seats if r["party_code"] == "NO")
    assert shown["Akmola"] == pytest.approx(100 * nur_otan / total)
    assert len(shown) == 17


def colour_scales(spec: dict) -> list[dict]:
    """The scales of the colour channels of every layer of a map's spec."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            colour = node.get("encoding", {}).get("color", {})
            if "scale" in colour:
                found.append(colour["scale"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(spec)
    return found


def test_the_seat_share_map_spans_its_values_so_the_places_differ(data):
    # Nur Otan held 74% to 84% of each mäslihat's seats: on a 0-100% scale every place was the
    # same blue. The scale spans the values (whole numbers outward), its ends in the legend.
    import math

    spec = maps.seat_share_map(data, "All", "NO").to_dict()
    shown = [r["value"] for r in rows(spec)]
    scales = colour_scales(spec)  # the shapes' and the cities' points'
    low, high = math.floor(min(shown)), math.ceil(max(shown))
    assert scales and all(scale["domain"] == [low, high] for scale in scales)
    assert all(scale["type"] == "linear" for scale in scales)
    legends = [v for v in find(spec, "legend") if isinstance(v, dict) and "values" in v]
    assert legends and all(v["values"][0] == low and v["values"][-1] == high for v in legends)
    title = spec["title"]["text"]
    assert f"{min(shown):.0f}–{max(shown):.0f}%" in title  # the range, with one sign


def test_a_missing_value_shows_as_no_data_not_zero(data):
    values = pd.DataFrame({"region": ["Aktobe", "Almaty (city)"], "value": [50.0, None]})
    spec = maps.region_map(
        values, data, title="t", legend_title="l", description="d"
    ).to_dict()
    shown = {r["region"]: r["value"] for r in rows(spec)}
    assert shown["Aktobe"] == 50.0
    assert shown["Akmola"] is None and shown["Almaty (city)"] is None  # not 0
    text = json.dumps(spec)
    assert '"No data"' in text and maps.NO_DATA in text
    # its legend entry: a fill scale whose only value is "No data"
    assert '"domain": ["No data"]' in text


def test_no_no_data_legend_when_nothing_is_missing(data):
    assert "No data" not in json.dumps(maps.turnout_map(data).to_dict()["layer"][0])
    assert maps.NO_DATA not in json.dumps(maps.turnout_map(data).to_dict())


@pytest.mark.parametrize("place", ["Akmola", "Shymkent (city)"])
def test_the_chosen_place_is_highlighted(data, place):
    spec = maps.turnout_map(data, place).to_dict()
    chosen = {r["region"] for r in rows(spec) if r["chosen"]}
    assert chosen == {place}
    text = json.dumps(spec)
    assert HIGHLIGHT in text and place in spec["description"]
    none = maps.turnout_map(data, "All").to_dict()
    assert not any(r["chosen"] for r in rows(none))


def test_unknown_places_are_refused(data):
    values = pd.DataFrame({"region": ["Atlantis"], "value": [1.0]})
    with pytest.raises(ValueError, match="Atlantis"):
        maps.region_map(values, data, title="t", legend_title="l", description="d")


def test_party_maps_one_panel_per_party_on_one_scale(data):
    spec = maps.party_maps(data, "Turkistan").to_dict()
    names = {r["name"] for r in rows(spec)}
    assert names == set(data.parties["name"])
    assert len(rows(spec)) == 17 * len(names)
    text = json.dumps(spec, ensure_ascii=False)
    assert maps.attribution() in text and len(text) < 90_000
    assert '"domain": [0.0, 100.0]' in text


def test_a_map_draws_as_svg_with_names_and_tooltips(data):
    vl_convert = pytest.importorskip("vl_convert")
    svg = vl_convert.vegalite_to_svg(maps.turnout_map(data, "Akmola").to_dict())
    for name in ("Akmola", "Nur-Sultan (city)", "Shymkent (city)", "amCharts"):
        assert name in svg
    assert svg.count("<path") > 17  # vector shapes


def test_map_labels_abbreviate_the_word_for_region_as_russian_and_kazakh_maps_do(data):
    from maslihat.i18n import language

    with language("ru"):
        assert maps.label_lines(maps.map_name("Северо-Казахстанская область")) == (
            "Северо-Казахстанская", "обл.")  # fmt: skip
        spec = maps.seat_share_map(data, "Akmola").to_dict()
    with language("kk"):
        assert maps.label_lines(maps.map_name("Ақмола облысы")) == ("Ақмола обл.", "")
        assert maps.map_name("Алматы") == "Алматы"  # the city: not a region's abbreviation
    assert maps.map_name("North Kazakhstan") == "North Kazakhstan"
    labels = {r["name_1"] + " " + r["name_2"] for r in rows(spec)}
    assert "Акмолинская обл." in labels and not any("область" in label for label in labels)
    assert "Акмолинская область" in {r["region"] for r in rows(spec)}  # the tooltip keeps it whole
