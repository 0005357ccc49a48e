"""Helpers analysts reach for first: a figure for every place in one frame, a party bar chart, a
scatter chart of two figures by place.

`seat_shares_by_place(data)` gives the seats and seat share of every party in the country, in each
of the 14 regional mäslihats and in the city mäslihats of the three cities of republican
significance, as one tidy frame (a row per place × party) to filter, pivot or chart;
`turnout_by_place(data, as_of)` gives the turnout of the same places at one count.
`party_bars(frame, data, value, ...)` draws any frame with a party column as bars in the parties'
colours, each bar labelled with its value, so a new chart is a few lines; `scatter(frame, x, y,
...)` sets two figures against each other, every point labelled, some highlighted. The charts
write place and party names in the report's language.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import altair as alt
import pandas as pd

from maslihat.analysis import national_turnout_at, regional_turnout, seat_shares
from maslihat.charts import (
    BACKDROP,
    HIGHLIGHT,
    LABEL_SIZE,
    MUTED,
    WIDTH,
    backdrop_path,
    checked_by_tests,
    party_colour_scale,
    party_order,
    when_chosen,
    with_backdrop,
)
from maslihat.data import ElectionData, party_names
from maslihat.figures import preferred
from maslihat.i18n import _
from maslihat.names import localised
from maslihat.params import ALL, ParameterError, place_name

# What a row of seat_shares_by_place stands for: the seats of which mäslihats.
LEVELS = ("country", "region", "city")


def check_levels(levels: str | Sequence[str]) -> tuple[str, ...]:
    """Levels as a tuple ('city' alone is ('city',)); ParameterError naming the unknown ones."""
    chosen = (levels,) if isinstance(levels, str) else tuple(levels)
    unknown = [level for level in chosen if level not in LEVELS]
    if unknown:
        raise ParameterError(
            f"levels: {', '.join(map(repr, unknown))} not known. Valid levels: {', '.join(LEVELS)}"
        )
    return chosen


def _city_seats(data: ElectionData) -> pd.DataFrame:
    """Seats per party of the city mäslihats (one preferred figure per city and party)."""
    rows = data.city_results[data.city_results["measure"] == "seats"]
    picked = [
        {"place": city, "party_code": code, "seats": preferred(group, f"seats of {code} in {city}")
         ["value"]}
        for (city, code), group in rows.groupby(["region", "party_code"], sort=False)
    ]  # fmt: skip
    return pd.DataFrame(picked, columns=["place", "party_code", "seats"])


def seat_shares_by_place(
    data: ElectionData, levels: str | Sequence[str] = LEVELS
) -> pd.DataFrame:
    """Seats and seat share (%) per party for every place: columns place, level, party_code,
    name, seats, share_pct.

    'country' is the 14 regional mäslihats together (as analysis.seat_shares(data)), 'region' each
    regional mäslihat, 'city' the city mäslihats of Almaty, Shymkent and Nur-Sultan (their seats
    are not part of the regional table). Within each place the parties with most seats come
    first, ties in infobox order. `levels` is one level ('city') or several.
    """
    levels = check_levels(levels)
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


def turnout_by_place(
    data: ElectionData, as_of: str = "22:00", levels: str | Sequence[str] = LEVELS
) -> pd.DataFrame:
    """Turnout (%) at one count of polling day for every place: columns place, level, as_of,
    turnout_pct, status, source_id; the places named as in seat_shares_by_place, so the two
    merge on place.

    'country' is the national figure the source of the regional figures gives at that count (its
    first, where it gives two), 'region' each region, 'city' the three cities. An unknown count
    or level raises ParameterError listing the valid ones.
    """
    levels = check_levels(levels)
    turnout = regional_turnout(data, as_of)
    rows = turnout.assign(place=turnout["region"], as_of=as_of,
                          level=turnout["kind"].map({"region": "region", "city": "city"}))
    rows = rows[rows["level"].isin(levels)]
    frames = []
    if "country" in levels:
        national = national_turnout_at(data, as_of)
        if not national.empty:
            first = national.iloc[0]
            table = data.turnout_national
            status = table.loc[(table["source_id"] == first["source_id"])
                               & (table["as_of"] == as_of), "status"]  # fmt: skip
            frames.append(pd.DataFrame([{
                "place": place_name(ALL, data), "level": "country", "as_of": as_of,
                "turnout_pct": float(first["turnout_pct"]), "source_id": first["source_id"],
                "status": status.iloc[0] if len(status) else None,
            }]))  # fmt: skip
    order = {level: i for i, level in enumerate(LEVELS)}
    frames.append(rows.sort_values(["level", "place"], key=lambda c: c.map(order)
                                   if c.name == "level" else c))  # fmt: skip
    columns = ["place", "level", "as_of", "turnout_pct", "status", "source_id"]
    out = pd.concat([f[columns] for f in frames], ignore_index=True)
    out["turnout_pct"] = out["turnout_pct"].astype("Float64")
    return out


def _column_title(column: str) -> str:
    """A column's name for a tooltip, in the report's language where it is one of the usual."""
    known = {"place": _("Place"), "region": _("Region"), "name": _("Party")}
    return known.get(column, column.replace("_", " ").capitalize())


@checked_by_tests
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
    # Names in the report's language, as the colour scale's domain is: a party name the scale
    # does not know would leave its bar without a fill.
    named = tuple(dict.fromkeys(c for c in ("name", category, by) if c))
    drawn = localised(frame.assign(**{value: frame[value].astype(float)}), named)
    largest_first = alt.EncodingSortField(field=value, op="max", order="descending")
    y = alt.Y(f"{category}:N", sort=party_order(data) if category == "name" else largest_first,
              title=None, axis=alt.Axis(labelLimit=360))  # fmt: skip
    tooltip = [alt.Tooltip("name:N", title=_("Party")),
               alt.Tooltip(f"{value}:Q", title=x_title or value, format=label_format)]  # fmt: skip
    for column in dict.fromkeys(c for c in (by, category) if c and c != "name"):
        tooltip.insert(0, alt.Tooltip(f"{column}:N", title=_column_title(column)))
    base = alt.Chart(drawn).encode(y=y, tooltip=tooltip)
    bars = base.mark_bar().encode(
        x=alt.X(f"{value}:Q", title=x_title or value),
        color=alt.Color("name:N", scale=party_colour_scale(data), legend=None),
    )
    labels = base.mark_text(align="left", dx=3, fontSize=11).encode(
        x=alt.X(f"{value}:Q"), text=alt.Text(f"{value}:Q", format=label_format)
    )
    rows = drawn[category].nunique()
    layer = alt.layer(bars, labels).properties(width=WIDTH - (140 if by else 0),
                                               height=20 * rows)  # fmt: skip
    if by:
        return layer.facet(
            row=alt.Row(f"{by}:N", title=None, sort=list(dict.fromkeys(drawn[by])),
                        header=alt.Header(labelAngle=0, labelAlign="left")),
            title=title, description=description,
        )  # fmt: skip
    return layer.properties(title=title, description=description)


SCATTER_SIZE = (WIDTH - 120, 340)  # the plot's width and height, px
CHARACTER = 0.62  # a label's width per character, in font sizes (DejaVu Sans, about)
# Where a point's name may stand, tried in this order: (side, align, dx, dy).
LABEL_SIDES = (("right", "left", 7, 0), ("left", "right", -7, 0),
               ("above", "center", 0, -9), ("below", "center", 0, 11))  # fmt: skip
TITLE_LINE = 64  # characters: a longer title is set on two lines, not drawn wider than the page


def nice_domain(values: pd.Series) -> list[float]:
    """An axis range around the values, padded a little, its ends on round numbers."""
    low, high = float(values.min()), float(values.max())
    span = high - low or abs(high) or 1.0
    rough = span / 5
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
    pad = span / 25
    return [math.floor((low - pad) / step) * step, math.ceil((high + pad) / step) * step]


def label_sides(xs: list[float], ys: list[float], names: list[str], first: list[bool],
                domains: tuple[list[float], list[float]]) -> list[str]:  # fmt: skip
    """Where each point's name goes (a LABEL_SIDES side, or '' where every side would cover
    another name or point): names of `first` points placed first, then top to bottom."""
    (x0, x1), (y0, y1) = domains
    width, height = SCATTER_SIZE
    at = [((x - x0) / (x1 - x0) * width, height - (y - y0) / (y1 - y0) * height)
          for x, y in zip(xs, ys, strict=True)]  # fmt: skip
    taken = [(px - 4, py - 4, px + 4, py + 4) for px, py in at]  # the dots
    sides = [""] * len(at)
    order = sorted(range(len(at)), key=lambda i: (not first[i], at[i][1]))
    for i in order:
        (px, py), w, h = at[i], len(names[i]) * LABEL_SIZE * CHARACTER, LABEL_SIZE + 2
        for side, align, dx, dy in LABEL_SIDES:
            left = px + dx - (w if align == "right" else w / 2 if align == "center" else 0)
            box = (left, py + dy - h / 2, left + w, py + dy + h / 2)
            inside = box[0] >= -60 and box[2] <= width + 100 and box[1] >= 0 and box[3] <= height
            clear = all(box[2] <= o[0] or box[0] >= o[2] or box[3] <= o[1] or box[1] >= o[3]
                        for k, o in enumerate(taken) if k != i)  # fmt: skip
            if inside and clear:
                sides[i] = side
                taken.append(box)
                break
    return sides


def _title_lines(title: str) -> str | list[str]:
    """A title as one line, or as lines of at most TITLE_LINE characters (broken at spaces)."""
    if len(title) <= TITLE_LINE:
        return title
    lines = textwrap.wrap(title, TITLE_LINE)
    return lines if len(lines) <= 3 else title


@checked_by_tests
def scatter(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    description: str,
    label: str = "place",
    highlight: str | Sequence[str] | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
    x_format: str = ".1f",
    y_format: str = ".1f",
) -> alt.LayerChart:
    """One point per row at (`x`, `y`), each named by its `label` (a place name by default, in
    the report's language) beside it, on the side where it covers no other name or point (a name
    that fits nowhere is left to the tooltip and the description); `highlight` (one label or
    several, as in the frame) in the report colour, the others grey. Axes start near the data,
    not at zero: a scatter compares positions.

    E.g. Nur Otan's seat share against turnout by place: merge seat_shares_by_place (one party)
    with turnout_by_place on 'place'.
    """
    missing = [c for c in dict.fromkeys((x, y, label)) if c not in frame.columns]
    if missing:
        raise ValueError(
            f"scatter: the frame has no column {', '.join(map(repr, missing))}; "
            f"its columns: {', '.join(map(str, frame.columns))}"
        )
    chosen = [highlight] if isinstance(highlight, str) else list(highlight or [])
    points = frame[[label, x, y]].dropna().astype({x: float, y: float})
    points = localised(points.assign(chosen=points[label].isin(chosen)), (label,))
    points = points.sort_values("chosen", kind="stable")  # highlighted points drawn last, on top
    domains = (nice_domain(points[x]), nice_domain(points[y]))
    points["side"] = label_sides(list(points[x]), list(points[y]), list(points[label].astype(str)),
                                 list(points["chosen"]), domains)  # fmt: skip
    styles = {side: (align, dx, dy) for side, align, dx, dy in LABEL_SIDES}
    points[BACKDROP] = [backdrop_path(str(name), LABEL_SIZE, *styles.get(side, ("left", 0, 0)))
                        for name, side in zip(points[label], points["side"], strict=True)]
    x_axis = alt.X(f"{x}:Q", title=x_title or x, axis=alt.Axis(tickCount=5),
                   scale=alt.Scale(domain=domains[0], nice=False, zero=False))  # fmt: skip
    y_axis = alt.Y(f"{y}:Q", title=y_title or y, axis=alt.Axis(tickCount=5),
                   scale=alt.Scale(domain=domains[1], nice=False, zero=False))  # fmt: skip
    base = alt.Chart(points).encode(x=x_axis, y=y_axis)
    dots = base.mark_circle(size=60, opacity=1).encode(
        color=when_chosen(alt.ColorValue, HIGHLIGHT, MUTED),
        tooltip=[alt.Tooltip(f"{label}:N", title=_column_title(label)),
                 alt.Tooltip(f"{x}:Q", title=x_title or x, format=x_format),
                 alt.Tooltip(f"{y}:Q", title=y_title or y, format=y_format)],
    )  # fmt: skip
    layers: list[alt.Chart] = [dots]
    for side, align, dx, dy in LABEL_SIDES:
        if not (points["side"] == side).any():
            continue
        placed = base.transform_filter(alt.datum.side == side)
        text = {"align": align, "baseline": "middle", "dx": dx, "dy": dy, "fontSize": LABEL_SIZE}
        # Each name on a white backdrop (a shape, not the text again): legible over a grid line;
        # a highlighted one in the highlight's colour.
        layers += with_backdrop(placed.mark_text(**text).encode(
            text=alt.Text(f"{label}:N"),
            color=when_chosen(alt.ColorValue, HIGHLIGHT, "#222"),
        ))  # fmt: skip
    # keepWidth: on a phone the chart keeps its width (charts.js), as the names were placed for it
    return alt.layer(*layers, title=alt.TitleParams(_title_lines(title)),
                     description=description, usermeta={"keepWidth": True}).properties(
        width=SCATTER_SIZE[0], height=SCATTER_SIZE[1])  # fmt: skip
