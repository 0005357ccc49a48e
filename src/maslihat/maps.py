"""Maps of the regions and cities: Altair `mark_geoshape`, vector SVG in the PDF, tooltips in HTML.

The geometry is the data package's `geometry` resource (data/geo/kazakhstan_2021.geojson): the 14
regions with their 2021 borders as shapes, the capital and the 2 cities of republican significance
as points, joined to the tables by `iso_code` (regions.csv). It is written into each map's spec
once (about 31 KB): the map looks every place's shape up in it, once for all its layers, so the
offline HTML loads nothing. Its licence asks for visible attribution: every map carries
ATTRIBUTION under its title.

A map colours one measure on one sequential scale (light to dark, readable in greyscale), writes
each place's name and value on the map (numbers through Vega formats), draws a place without a
value in grey with a dashed outline and "No data" (never as 0), and outlines the chosen place.

Ready calls for the notebooks (the briefing, the turnout and the seat-shares reports):

    from maslihat import maps

    maps.turnout_map(data, region, as_of)          # turnout by region at one count, e.g. "22:00"
    maps.seat_share_map(data, region)              # Nur Otan's share of the regional seats
    maps.seat_share_map(data, region, party_code="AZ")   # another party's
    maps.party_maps(data, region)                  # one small map per party, its seat share

Any measure by place, from a frame with `region` (names as in regions.csv) and a value column:

    maps.region_map(values, data, value="turnout_pct", highlight=region,
                    title=_("Turnout by region"), legend_title=_("Turnout (%)"),
                    value_format=".1f", description=_("Map of turnout by region."))

A place of the data missing from `values` (or with an empty value) shows as "No data".
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd

from maslihat import analysis
from maslihat.charts import (
    BACKDROP,
    HIGHLIGHT,
    LABEL_SIZE,
    WIDTH,
    backdrop_path,
    checked_by_tests,
    with_backdrop,
)
from maslihat.data import ElectionData, is_city, per_data, region_names, resource_file
from maslihat.i18n import _, current, long_date, n_, number, percent, percent_range
from maslihat.names import localised, shown
from maslihat.params import ALL
from maslihat.text import listing

GEOMETRY = "geometry"  # the resource name in datapackage.json
HEIGHT = 280  # Kazakhstan is about 1.8 times as wide as high; low enough for a map, its
# heading and a few paragraphs to share the first page of a report
PROJECTION = {"type": "conicEqualArea", "parallels": [44, 52], "rotate": [-67, 0, 0]}
SCHEME = {"name": "blues", "extent": [0.12, 1.0]}  # light to dark: luminance falls steadily
LABEL_PAD = 1  # pixels of the white backdrop around a label: it reads on every shade and border
LABEL_BACKDROP_OPACITY = 0.8  # the place's shade shows through a little: a label, not a hole
NO_DATA = "#BDBDBD"  # with a dashed outline, so it differs from any blue in greyscale too
BORDER = "white"
LABEL_LINE = 16  # characters: a longer place name is written on two lines
PANEL_WIDTH = 250  # small multiples: two a row on an A4 page
PANEL_HEIGHT = 145
# Where a label does not fit at its place's point: (align, dx, dy) in pixels by ISO code, so that
# the region names clear the city points inside them and the cities' names sit beside their point.
LABEL_STYLE: dict[str, tuple[str, int, int]] = {
    "KZ-AKM": ("center", -12, -2),
    "KZ-AKT": ("center", 12, -4),  # clear of Atyrau's name to the west
    "KZ-SEV": ("center", -12, -4),
    "KZ-KUS": ("center", -12, 4),
    "KZ-ALM": ("center", -6, -12),
    "KZ-YUZ": ("center", -24, -20),  # below Kyzylorda's value
    "KZ-AST": ("left", 13, 14),  # below Pavlodar's value, which stands just above
    "KZ-ALA": ("center", 0, 17),
    "KZ-SHY": ("center", 0, 17),  # below its point, as Almaty's: Türkistan's name is above it
}


def legend_format(value_format: str) -> str:
    """The legend's numbers: whole numbers, where the labels on the map give the decimals."""
    return ".0f" if value_format.endswith("f") else value_format


def attribution() -> str:
    """The credit the geometry's licence asks for, on every map (the descriptor's `attribution`)."""
    return _("Map data: amCharts (amcharts.com), free linkware licence")


@cache
def _features(content: bytes) -> tuple[tuple[dict[str, Any], ...], str]:
    """The features of a geometry file's bytes, and as compact JSON text (kept per content: a
    changed file is read again at once, whatever its time)."""
    features = tuple(json.loads(content.decode("utf-8"))["features"])
    return features, json.dumps(features, ensure_ascii=False, separators=(",", ":"))


def _geometry_file(data_dir: Path | str | None = None) -> tuple[dict[str, Any], ...]:
    return _features(resource_file(GEOMETRY, data_dir).read_bytes())[0]


def geometry(data_dir: Path | str | None = None) -> list[dict[str, Any]]:
    """The features of the geometry resource (regions' shapes, cities' points), as GeoJSON."""
    # a copy: a caller (a notebook) that changes a feature cannot change the next report's map
    return copy.deepcopy(list(_geometry_file(data_dir)))


def places(data: ElectionData, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Every drawn place: region name (from regions.csv, joined by iso_code), kind, label point."""
    rows = [f["properties"] for f in _geometry_file(data_dir)]  # read only: the frame copies
    drawn = pd.DataFrame(rows)[["iso_code", "kind", "label_lon", "label_lat"]]
    names = data.regions.dropna(subset=["iso_code"])[["iso_code", "region"]]
    out = drawn.merge(names, on="iso_code", how="left", validate="one_to_one")
    unknown = out.loc[out["region"].isna(), "iso_code"]
    if not unknown.empty:
        raise ValueError(f"geometry codes not in regions.csv: {', '.join(unknown)}")
    return out[["region", "iso_code", "kind", "label_lon", "label_lat"]]


def _frame(values: pd.DataFrame, value: str, data: ElectionData, by: str | None) -> pd.DataFrame:
    """One row per drawn place (and per `by` group): the value, NaN where the data have none."""
    drawn = places(data)
    unknown = set(values["region"]) - set(drawn["region"])
    if unknown:
        raise ValueError(f"places not on the map: {', '.join(sorted(unknown))}")
    keep = ["region", value, *([by] if by else []), *[c for c in values if c.endswith("_tip")]]
    values = values[[c for c in dict.fromkeys(keep) if c in values]]
    if by:
        groups = pd.DataFrame({by: list(dict.fromkeys(values[by]))})
        drawn = drawn.merge(groups, how="cross")
    out = drawn.merge(values, on=["region", *([by] if by else [])], how="left")
    out = out.rename(columns={value: "value"})
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype(float)
    out = localised(out, ("region", "name"))  # names as the reader's language writes them
    lines = [label_lines(map_name(name)) for name in out["region"]]
    return out.assign(name_1=[a for a, _b in lines], name_2=[b for _a, b in lines])


# On a map, the word for "region" is abbreviated as Russian and Kazakh maps do ("Акмолинская обл.",
# "Ақмола обл."): the names stay two lines at most and neighbours' labels do not run together.
MAP_ABBREVIATIONS = {"ru": {"область": "обл."}, "kk": {"облысы": "обл."}}
SHORT_WORDS = {short for words in MAP_ABBREVIATIONS.values() for short in words.values()}


def map_name(name: str) -> str:
    """A place's name as a map label in the report's language (the tooltip keeps it whole)."""
    for word, short in MAP_ABBREVIATIONS.get(current(), {}).items():
        head, space, last = name.rpartition(" ")
        if space and last == word:
            return f"{head} {short}"
        first, space, rest = name.partition(" ")
        if space and first == word:  # "область Абай"
            return f"{short} {rest}"
    return name


def label_lines(name: str, width: int = LABEL_LINE) -> tuple[str, str]:
    """A place's name on the map in one line, or two when long ('Северо-Казахстанская' /
    'область'), so that the labels of neighbouring places do not run into each other."""
    head, _space, tail = name.rpartition(" ")
    if tail in SHORT_WORDS and len(head) > width // 2:  # "Акмолинская" / "обл.": not wider
        return head, tail
    if len(name) <= width or " " not in name:
        return name, ""
    return head, tail


def _json(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


VALID = "isValid(datum.value) && isFinite(datum.value)"


def _layers(
    frame: pd.DataFrame,
    *,
    highlight: str | None,
    legend_title: str,
    value_format: str,
    domain: list[float] | None,
    labels: bool,
    scale_type: str = "linear",
    legend_values: list[float] | None = None,
) -> list[alt.Chart]:
    """Shapes, no-data shapes, the chosen place's outline, city points and labels.

    The layers have no data of their own: the chart they are layered or faceted in gives them the
    frame (`_chosen`), with each place's shape looked up in `geo` by `_lookup`.
    """
    no_data = _("No data")
    place_title = _("Place")
    frame = _chosen(frame, highlight)
    if labels:
        frame[BACKDROP] = _label_backdrops(frame, value_format, no_data)
    tips = [c for c in frame if c.endswith("_tip")]
    tooltip = [
        alt.Tooltip("region:N", title=place_title),
        alt.Tooltip("value:Q", title=legend_title, format=value_format),
        *[alt.Tooltip(f"{c}:N", title=_("Seats")) for c in tips],
    ]
    missing_tooltip = [
        alt.Tooltip("region:N", title=place_title),
        alt.Tooltip("no_data:N", title=legend_title),
    ]
    fixed = {"domain": domain} if domain else {}
    ticks = {"values": legend_values} if legend_values else {"tickCount": 4}
    colour = alt.Color(
        "value:Q",
        scale=alt.Scale(type=scale_type, scheme=SCHEME, nice=False, zero=False, **fixed),
        legend=alt.Legend(
            title=legend_title,
            format=legend_format(value_format),
            orient="bottom",
            direction="horizontal",
            gradientLength=200,
            labelOverlap=False,
            **ticks,
            labelFontSize=LABEL_SIZE,
            titleFontSize=LABEL_SIZE,
            titleLimit=WIDTH,  # a long legend title (Kazakh, Russian) is not cut short
        ),
    )
    no_data_fill = alt.Fill(
        "no_data:N",
        scale=alt.Scale(domain=[no_data], range=[NO_DATA]),
        legend=alt.Legend(
            title=None, orient="bottom", labelFontSize=LABEL_SIZE, symbolType="square",
            symbolStrokeColor="#555", symbolDash=[3, 2],
        ),
    )  # fmt: skip
    base = alt.Chart()
    shaped = base.transform_filter(alt.FieldEqualPredicate(field="kind", equal="region"))
    cities = base.transform_filter(alt.FieldEqualPredicate(field="kind", equal="city"))
    # Channels as Altair's classes, not shorthand text or dicts: Altair builds each of those
    # through from_dict, which hashes its whole schema (about 600 json.dumps) every time.
    shape = alt.Shape("geo:G")
    point = {"longitude": alt.Longitude("label_lon:Q"), "latitude": alt.Latitude("label_lat:Q")}
    any_missing = bool(frame["value"].isna().any())
    layers = [
        shaped.transform_filter(VALID)
        .mark_geoshape(stroke=BORDER, strokeWidth=0.8)
        .encode(shape=shape, color=colour, tooltip=tooltip)
    ]
    if any_missing:
        layers.append(
            shaped.transform_filter(f"!({VALID})")
            .transform_calculate(no_data=_json(no_data))
            .mark_geoshape(stroke="#555", strokeWidth=0.8, strokeDash=[3, 2])
            .encode(shape=shape, fill=no_data_fill, tooltip=missing_tooltip)
        )
    if highlight is not None and (frame["chosen"] & (frame["kind"] == "region")).any():
        layers.append(
            shaped.transform_filter("datum.chosen")
            .mark_geoshape(fill=None, stroke=HIGHLIGHT, strokeWidth=3)
            .encode(shape=shape)
        )
    chosen = "datum.chosen"
    outline = {
        "stroke": alt.StrokeValue("#222", condition={"test": chosen, "value": HIGHLIGHT}),
        "strokeWidth": alt.StrokeWidthValue(1.2, condition={"test": chosen, "value": 3}),
        # the cities as large as a small region on the page: their values are often the news
        "size": alt.SizeValue(320, condition={"test": chosen, "value": 420}),
    }
    layers.append(
        cities.transform_filter(VALID)
        .mark_point(shape="circle", filled=True, opacity=1)
        .encode(**point, **outline, color=colour, tooltip=tooltip)
    )
    if any_missing:
        layers.append(
            cities.transform_filter(f"!({VALID})")
            .transform_calculate(no_data=_json(no_data))
            .mark_point(shape="circle", filled=True, opacity=1, strokeDash=[2, 1])
            .encode(**point, **outline, fill=no_data_fill, tooltip=missing_tooltip)
        )
    if labels:
        layers += _labels(base, frame, value_format, no_data)
    return layers


def _chosen(frame: pd.DataFrame, highlight: str | None) -> pd.DataFrame:
    """The map's frame with `chosen`: whether a row is the highlighted place."""
    return frame.assign(chosen=frame["region"] == (shown(highlight) if highlight else None))


def _lookup(chart: alt.LayerChart | alt.FacetChart) -> Any:
    """The place's shape as `geo`, looked up by iso_code in the geometry: one lookup for every
    layer of the map, so the features are written into the spec once."""
    # The features as JSON text that Vega-Lite parses: one string instead of 40,000 numbers for
    # Altair, the kernel's messages, the executed notebook and the exporter to copy and write
    # (twice: a chart's output holds its spec for two versions of JupyterLab).
    text = _features(resource_file(GEOMETRY).read_bytes())[1]
    features = alt.InlineData(values=text, format=alt.JsonDataFormat(type="json"))
    return chart.transform_lookup(
        lookup="iso_code", from_=alt.LookupData(data=features, key="properties.iso_code"),
        as_="geo",
    )


def _label_backdrops(frame: pd.DataFrame, value_format: str, no_data: str) -> list[str]:
    """The white backdrop of each place's label (charts.backdrop_path): its lines, where it
    stands (LABEL_STYLE), bold for the chosen place."""
    paths = []
    for row in frame.itertuples():
        value = float(row.value)
        shown_value = (format(value, value_format.replace("~", ""))
                       if math.isfinite(value) else no_data)  # fmt: skip
        lines = [row.name_1, *([row.name_2] if row.name_2 else []), shown_value]
        align, dx, dy = LABEL_STYLE.get(row.iso_code, ("center", 0, 0))
        paths.append(backdrop_path(lines, LABEL_SIZE, align, dx, dy, LABEL_SIZE + 1,
                                   bold=bool(row.chosen), pad=LABEL_PAD))  # fmt: skip
    return paths


def _labels(
    base: alt.Chart,
    frame: pd.DataFrame,
    value_format: str,
    no_data: str,
) -> list[alt.Chart]:
    """Each place's name and value (or "No data") on two lines, dark on a white backdrop (a
    shape, not a second copy of the text: the PDF and a screen reader have each label once)."""
    text = base.transform_calculate(
        shown=f"{VALID} ? format(datum.value, {_json(value_format)}) : {_json(no_data)}",
        lines="datum.name_2 ? [datum.name_1, datum.name_2, datum.shown]"
        " : [datum.name_1, datum.shown]",
    )
    chosen = set(frame.loc[frame["chosen"], "iso_code"])
    groups: dict[tuple[str, int, int, bool], list[str]] = {}
    for code in frame["iso_code"].drop_duplicates():
        style = LABEL_STYLE.get(code, ("center", 0, 0))
        groups.setdefault((*style, code in chosen), []).append(code)
    where = {"longitude": alt.Longitude("label_lon:Q"), "latitude": alt.Latitude("label_lat:Q"),
             "text": alt.Text("lines:N")}  # as classes: see _layers
    texts = [
        text.transform_filter(alt.FieldOneOfPredicate(field="iso_code", oneOf=codes))
        .mark_text(align=align, dx=dx, dy=dy, baseline="middle", fontSize=LABEL_SIZE,
                   lineHeight=LABEL_SIZE + 1, fontWeight="bold" if bold else "normal",
                   color="#111")
        .encode(**where)
        for (align, dx, dy, bold), codes in groups.items()
    ]  # fmt: skip
    backdrops = [with_backdrop(t, opacity=LABEL_BACKDROP_OPACITY)[0] for t in texts]
    return [*backdrops, *texts]  # every backdrop under every label


def _title(
    title: str, subtitle: str | None, note: str = "", data_note: str = ""
) -> alt.TitleParams:
    """Title, subtitle (with the figures' note marker) and the attribution line (with the
    geometry's note marker, e.g. '[7]')."""
    lines = [*([f"{subtitle} {data_note}".strip()] if subtitle else []),
             f"{attribution()} {note}".strip()]  # fmt: skip
    return alt.TitleParams(
        text=title, subtitle=lines, anchor="start", subtitleFontSize=LABEL_SIZE,
        subtitleColor="#444",
    )  # fmt: skip


@checked_by_tests
def region_map(
    values: pd.DataFrame,
    data: ElectionData,
    *,
    value: str = "value",
    highlight: str | None = None,
    title: str,
    legend_title: str,
    description: str,
    value_format: str = ".1f",
    subtitle: str | None = None,
    note: str = "",
    data_note: str = "",
    domain: list[float] | None = None,
    labels: bool = True,
    scale_type: str = "linear",
    legend_values: list[float] | None = None,
) -> alt.LayerChart:
    """A map of one measure by place: 14 regions as shapes, the 3 cities as points.

    values: a frame with `region` (names as in regions.csv) and the `value` column; columns ending
    in `_tip` are added to the tooltip. highlight: the chosen place (None or "All": none). domain:
    the colour scale's [low, high] (default: the values' range). The attribution is in the
    subtitle, followed by `note` (the geometry's marker, `cite("amcharts_geodata")`), and
    `data_note` follows the subtitle (the figures' markers); `description` is the printed
    description and aria-label.
    """
    frame = _frame(values, value, data, by=None)
    chosen = None if highlight in (None, ALL) else highlight
    layers = _layers(
        frame,
        highlight=chosen,
        legend_title=legend_title,
        value_format=value_format,
        domain=domain,
        labels=labels,
        scale_type=scale_type,
        legend_values=legend_values,
    )
    return (
        _lookup(alt.layer(*layers, data=_chosen(frame, chosen),
                          title=_title(title, subtitle, note, data_note), description=description))
        .project(**PROJECTION)
        .properties(width=WIDTH, height=HEIGHT)
    )  # fmt: skip


# Shares of seats on one scale wherever a map shows them (0-100%, square root, so that shares of
# 5 to 20% differ visibly): a shade means the same share in every map. A scale over the values'
# range would make Nur Otan's 74% to 84% look like light against dark.
SHARE_SCALE = {"domain": [0.0, 100.0], "scale_type": "sqrt", "legend_values": [0, 10, 25, 50, 100]}


Cite = Callable[..., str]


def spanning(values: pd.Series) -> dict[str, Any]:
    """A colour scale over the values' own range, whole numbers outward (74.4 to 84.4 → 74 to
    85), its ends and middle marked in the legend: the lightest and the darkest place are the
    lowest and the highest value, so a map shows its variation and the legend its range."""
    import math

    low, high = math.floor(float(values.min())), math.ceil(float(values.max()))
    if high == low:
        high = low + 1
    middle = round((low + high) / 2)
    marks = [low, middle, high] if low < middle < high else [low, high]
    return {"domain": [float(low), float(high)], "scale_type": "linear", "legend_values": marks}


def _notes(cite: Cite | None, note: str, sources: Iterable[str]) -> dict[str, str]:
    """The geometry's and the figures' note markers, from a report's `Citations` when given."""
    if cite is None:
        return {"note": note, "data_note": ""}
    data_note = cite(list(sources))  # first: the figures' sources get the lower numbers
    return {"note": note or cite("amcharts_geodata"), "data_note": data_note}


@per_data(words=False)
def _seat_sources(data: ElectionData) -> list[str]:
    """The sources of every place's seats that a seat-share map shows."""
    return [s for place in region_names(data) for s in analysis.seat_sources(data, place)]


@per_data(words=False)
def _shares_by_place(data: ElectionData) -> pd.DataFrame:
    """Seats and share per party of each place's mäslihat (regional, or the city's own)."""
    rows = []
    for place in region_names(data):
        shares = analysis.seat_shares(data, place)
        rows.append(shares.assign(region=place, city=is_city(data, place)))
    return pd.concat(rows, ignore_index=True)


def _described(frame: pd.DataFrame, value: str, digits: int = 1) -> str:
    return "; ".join(
        f"{shown(r.region)} {percent(float(getattr(r, value)), digits)}"
        if pd.notna(getattr(r, value))
        else f"{shown(r.region)} {_('no data')}"
        for r in frame.sort_values(value, ascending=False, na_position="last").itertuples()
    )


@checked_by_tests
def turnout_map(
    data: ElectionData,
    region: str = ALL,
    as_of: str = "22:00",
    note: str = "",
    cite: Cite | None = None,
) -> alt.LayerChart:
    """Turnout by region and city at one count of polling day (analysis.regional_turnout); with
    a report's `cite`, the figures' and the geometry's sources are marked."""
    turnout = analysis.regional_turnout(data, as_of)
    day = data.facts["election_date"]
    highlighted = region not in (None, ALL)
    return region_map(
        turnout,
        data,
        value="turnout_pct",
        highlight=region,
        **_notes(cite, note, turnout["source_id"]),
        title=_("Turnout by region at {as_of}", as_of=as_of),
        subtitle=_("Mazhilis and mäslihat elections, {day}; Central Election Commission, "
                   "preliminary", day=long_date(day)),  # fmt: skip
        legend_title=_("Turnout at {as_of} (%)", as_of=as_of),
        value_format=".1f",
        **spanning(turnout["turnout_pct"]),
        description=(
            _("Map of turnout by region and city at {as_of}, {place} outlined: {values}.",
              as_of=as_of, place=shown(region), values=_described(turnout, "turnout_pct"))
            if highlighted
            else _("Map of turnout by region and city at {as_of}: {values}.",
                   as_of=as_of, values=_described(turnout, "turnout_pct"))
        ),
    )  # fmt: skip


@checked_by_tests
def seat_share_map(
    data: ElectionData,
    region: str = ALL,
    party_code: str = "NO",
    note: str = "",
    cite: Cite | None = None,
) -> alt.LayerChart:
    """One party's share of each regional mäslihat's seats (the cities: their city mäslihat's), on
    the scale of the party maps, its range in the title."""
    every_party = _shares_by_place(data)
    totals = every_party.groupby("region", sort=False)["seats"].sum()
    shares = every_party[every_party["party_code"] == party_code].copy()
    party = shown(shares["name"].iloc[0])
    shares["share_pct"] = shares["share_pct"].astype(float)
    shares["seats_tip"] = [
        n_("{seats} of {total} seat of the city's mäslihat",
           "{seats} of {total} seats of the city's mäslihat", int(t), seats=number(s),
           total=number(t))
        if city else
        n_("{seats} of {total} seat of the regional mäslihat",
           "{seats} of {total} seats of the regional mäslihat", int(t), seats=number(s),
           total=number(t))
        for s, t, city in zip(
            shares["seats"],
            totals[shares["region"]],
            shares["city"],
            strict=True,
        )
    ]
    highlighted = region not in (None, ALL)
    values = _described(shares, "share_pct")
    return region_map(
        shares,
        data,
        value="share_pct",
        highlight=region,
        **_notes(cite, note, _seat_sources(data)),
        title=_("{party}'s share of the seats, by region: {range}", party=party,
                range=percent_range(float(shares["share_pct"].min()),
                                    float(shares["share_pct"].max()), 0)),
        subtitle=_("Regional mäslihats; the city mäslihats of the capital and the cities of "
                   "republican significance, {day}", day=long_date(data.facts["election_date"])),
        legend_title=_("{party}'s share of seats (%)", party=party),
        value_format=".0f",
        **spanning(shares["share_pct"]),
        description=(
            _("Map of {party}'s share of the seats of each regional and city mäslihat, {place} "
              "outlined: {values}.", party=party, place=shown(region), values=values)
            if highlighted
            else _("Map of {party}'s share of the seats of each regional and city mäslihat: "
                   "{values}.", party=party, values=values)
        ),
    )  # fmt: skip


def _party_range(party: str, group: pd.DataFrame) -> str:
    """'Auyl 0% to 10% (highest: North Kazakhstan)', or 'Adal 0% everywhere'."""
    low, high = group["share_pct"].min(), group["share_pct"].max()
    if low == high:
        return _("{party} {value} everywhere", party=party, value=percent(float(low), 0))
    place = listing([shown(r) for r in group.loc[group["share_pct"] == high, "region"]])
    return _("{party} {low} to {high} (highest: {place})", party=party,
             low=percent(float(low), 0), high=percent(float(high), 0), place=place)  # fmt: skip


@checked_by_tests
def party_maps(
    data: ElectionData,
    region: str = ALL,
    columns: int = 2,
    note: str = "",
    cite: Cite | None = None,
) -> alt.FacetChart:
    """Small multiples: one map per party, coloured by its share of each mäslihat's seats.

    All panels share one scale (SHARE_SCALE), so a shade means the same share in every panel;
    each place's value is in its tooltip, the chosen place is outlined in every panel.
    """
    shares = _shares_by_place(data)
    shares["share_pct"] = shares["share_pct"].astype(float)
    order = [shown(n) for n in data.parties.sort_values("infobox_order")["name"]]
    frame = _frame(shares, "share_pct", data, by="name")
    chosen = None if region in (None, ALL) else region
    layers = _layers(
        frame,
        highlight=chosen,
        legend_title=_("Share of the seats (%)"),
        value_format=".0f",
        labels=False,
        **SHARE_SCALE,
    )
    groups = shares.groupby("name", sort=False)
    by_party = "; ".join(_party_range(shown(name), group) for name, group in groups)
    facets = (
        alt.layer(*layers)
        .project(**PROJECTION)
        .properties(width=PANEL_WIDTH, height=PANEL_HEIGHT)
        .facet(
            facet=alt.Facet(
                "name:N", sort=order, title=None, header=alt.Header(labelFontWeight="bold",
                                                                    labelFontSize=LABEL_SIZE + 1)
            ),
            columns=columns,
            data=_chosen(frame, chosen),
            title=_title(
                _("Each party's share of the seats, by region"),
                _("Regional mäslihats; the city mäslihats of the capital and the cities of "
                  "republican significance (points)"),
                **_notes(cite, note, _seat_sources(data)),
            ),
            description=_("Maps, one per party, of its share of the seats of each regional and "
                          "city mäslihat, {place} outlined: {values}.", values=by_party,
                          place=shown(chosen))
            if chosen else
            _("Maps, one per party, of its share of the seats of each regional and city "
              "mäslihat: {values}.", values=by_party),
        )
    )  # fmt: skip
    return _lookup(facets)
