"""Helpers analysts reach for first: a figure for every place in one frame, a party bar chart.

`seat_shares_by_place(data)` gives the seats and seat share of every party in the country, in each
of the 14 regional mäslihats and in the city mäslihats of the three cities of republican
significance, as one tidy frame (a row per place × party) to filter, pivot or chart.
`party_bars(frame, data, value, ...)` draws any frame with a party column as bars in the parties'
colours, each bar labelled with its value, so a new chart is a few lines.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from maslihat.analysis import seat_shares
from maslihat.charts import WIDTH, party_colour_scale
from maslihat.data import ElectionData, party_names
from maslihat.figures import preferred
from maslihat.params import ALL, place_name

# What a row of seat_shares_by_place stands for: the seats of which mäslihats.
LEVELS = ("country", "region", "city")


def _city_seats(data: ElectionData) -> pd.DataFrame:
    """Seats per party of the city mäslihats (one preferred figure per city and party)."""
    rows = data.city_results[data.city_results["measure"] == "seats"]
    picked = [
        {"place": city, "party_code": code, "seats": preferred(group, f"seats of {code} in {city}")
         ["value"]}
        for (city, code), group in rows.groupby(["region", "party_code"], sort=False)
    ]  # fmt: skip
    return pd.DataFrame(picked, columns=["place", "party_code", "seats"])


def seat_shares_by_place(data: ElectionData, levels: Sequence[str] = LEVELS) -> pd.DataFrame:
    """Seats and seat share (%) per party for every place: columns place, level, party_code,
    name, seats, share_pct.

    'country' is the 14 regional mäslihats together (as analysis.seat_shares(data)), 'region' each
    regional mäslihat, 'city' the city mäslihats of Almaty, Shymkent and Nur-Sultan (their seats
    are not part of the regional table). Within each place the parties with most seats come
    first, ties in infobox order.
    """
    unknown = [level for level in levels if level not in LEVELS]
    if unknown:
        raise ValueError(f"levels: {unknown} not known. Valid levels: {', '.join(LEVELS)}")
    frames = []
    if "country" in levels:
        frames.append(seat_shares(data).assign(place=place_name(ALL, data), level="country"))
    if "region" in levels:
        for region in dict.fromkeys(data.regional_seats["region"]):
            frames.append(seat_shares(data, region).assign(place=region, level="region"))
    if "city" in levels:
        parties = list(data.parties.sort_values("infobox_order")["party_code"])
        cities = _city_seats(data)
        city_order = list(dict.fromkeys(cities["place"]))
        cities = cities.sort_values(
            ["place", "party_code"],
            key=lambda c: c.map((city_order if c.name == "place" else parties).index),
        )
        # within each city, most seats first (ties in infobox order), as seat_shares orders
        cities = cities.sort_values(["seats"], ascending=False, kind="stable").sort_values(
            "place", key=lambda c: c.map(city_order.index), kind="stable"
        )
        cities["seats"] = cities["seats"].astype("Int64")
        totals = cities.groupby("place")["seats"].transform("sum")
        cities["share_pct"] = (100 * cities["seats"] / totals).astype("Float64")
        cities["name"] = cities["party_code"].map(party_names(data))
        frames.append(cities.assign(level="city"))
    columns = ["place", "level", "party_code", "name", "seats", "share_pct"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat([f[columns] for f in frames], ignore_index=True)
    out["seats"] = out["seats"].astype("Int64")
    out["share_pct"] = out["share_pct"].astype("Float64")
    return out


def party_bars(
    frame: pd.DataFrame,
    data: ElectionData,
    value: str,
    title: str,
    description: str,
    x_title: str | None = None,
    by: str | None = None,
    label_format: str = ",.0f",
    category: str = "name",
) -> alt.Chart | alt.LayerChart:
    """Horizontal bars of `value` per party in the parties' colours, each labelled with its value.

    `frame` needs a `name` column (party names, as analysis frames have) and the `value` column.
    One bar per party; with `category` (e.g. 'place') one bar per value of that column instead,
    largest first, still coloured by its party. `by` (e.g. 'place') makes one row of bars per value
    of that column. `label_format` is a d3 format for labels and tooltip ('.1f' for shares).
    """
    needed = ("name", value, category, *([by] if by else []))
    missing = [c for c in dict.fromkeys(needed) if c not in frame.columns]
    if missing:
        raise ValueError(
            f"party_bars: the frame has no column {', '.join(map(repr, missing))}; "
            f"its columns: {', '.join(map(str, frame.columns))}"
        )
    order = list(data.parties.sort_values("infobox_order")["name"])
    shown = frame.assign(**{value: frame[value].astype(float)})
    largest_first = alt.EncodingSortField(field=value, op="max", order="descending")
    y = alt.Y(f"{category}:N", sort=order if category == "name" else largest_first, title=None,
              axis=alt.Axis(labelLimit=360))  # fmt: skip
    tooltip = [alt.Tooltip("name:N", title="Party"),
               alt.Tooltip(f"{value}:Q", title=x_title or value, format=label_format)]  # fmt: skip
    for column in dict.fromkeys(c for c in (by, category) if c and c != "name"):
        tooltip.insert(0, alt.Tooltip(f"{column}:N", title=column.replace("_", " ").capitalize()))
    base = alt.Chart(shown).encode(y=y, tooltip=tooltip)
    bars = base.mark_bar().encode(
        x=alt.X(f"{value}:Q", title=x_title or value),
        color=alt.Color("name:N", scale=party_colour_scale(data), legend=None),
    )
    labels = base.mark_text(align="left", dx=3, fontSize=11).encode(
        x=alt.X(f"{value}:Q"), text=alt.Text(f"{value}:Q", format=label_format)
    )
    rows = shown[category].nunique()
    layer = alt.layer(bars, labels).properties(width=WIDTH - (140 if by else 0),
                                               height=20 * rows)  # fmt: skip
    if by:
        return layer.facet(
            row=alt.Row(f"{by}:N", title=None, sort=list(dict.fromkeys(shown[by])),
                        header=alt.Header(labelAngle=0, labelAlign="left")),
            title=title, description=description,
        )  # fmt: skip
    return layer.properties(title=title, description=description)
