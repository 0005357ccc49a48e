"""Altair charts in the parties' own colours, each with a title, labels, tooltips and a description.

The description is the chart's text alternative: Vega writes it into the SVG's aria-label, and the
notebooks print it under the chart for readers of the PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

from maslihat.data import ElectionData
from maslihat.i18n import _, long_date, n_
from maslihat.names import body_name, localised, shown
from maslihat.params import ALL
from maslihat.text import num, pct

WIDTH = 520
HIGHLIGHT = "#B85C00"  # dark orange: no party's colour, apart from the grey bars in greyscale
MUTED = "#9AA5B1"
BARS_WIDTH = 360  # bars beside long category labels: label and bar fit an A4 page at full size
TICKS = 5  # few ticks: a reader needs the scale, not a tick every two units
LABEL_SIZE = 10  # direct labels; about 7.5 pt on an A4 page
ROW = 16  # pixels a row of bars or dots: its 10 px labels apart, and 17 places in a third of A4

Chart = TypeVar("Chart", bound=alt.TopLevelMixin)
Params = ParamSpec("Params")
Value = TypeVar("Value", bound=alt.SchemaBase)


CHECKED_BUILDERS: list[Callable[..., Any]] = []  # the functions marked checked_by_tests


def checked_by_tests(build: Callable[Params, Chart]) -> Callable[Params, Chart]:
    """For a function of this package that builds a chart: Altair neither checks each
    piece against the Vega-Lite schema as it is made nor the whole spec again when it is shown
    (0.35 s of a map's 0.45 s); the tests check what the function builds (every function so
    marked is in CHECKED_BUILDERS, which they go through). A chart changed after it is built is
    a new object, checked as Altair checks any chart."""
    CHECKED_BUILDERS.append(build)

    @wraps(build)
    def built(*args: Params.args, **kwargs: Params.kwargs) -> Chart:
        with debug_mode(False):
            chart = build(*args, **kwargs)

        def bundle(*args: Any, **kwargs: Any) -> Any:
            try:  # as Altair's own _repr_mimebundle_, with validate=False
                spec = chart.to_dict(validate=False, context={"pre_transform": False})
            except Exception:  # noqa: BLE001 - shown as Altair shows it
                alt.utils.display_traceback(in_ipython=True)
                return {}
            renderer = alt.renderers.get()
            return renderer(spec) if renderer else None

        object.__setattr__(chart, "_repr_mimebundle_", bundle)  # not a property of the spec
        return chart

    return built


def when_chosen(channel: type[Value], chosen: Any, other: Any) -> Value:
    """A channel's value: `chosen` on the rows whose column `chosen` is true, else `other`. Built
    as its Altair class (alt.ColorValue, ...): a dict, as alt.condition gives, is matched against
    every class of Altair's schema each time a chart is built."""
    return channel(other, condition={"test": "datum.chosen", "value": chosen})


BACKDROP = "backdrop"  # the column of a label's backdrop: an SVG path about its anchor, in pixels
# Advance widths of DejaVu Sans, the charts' font, in font sizes: narrow letters and punctuation,
# digits, wide letters and capitals apart from the rest (enough to size a label's backdrop).
_NARROW = set(" .,:;'!|()[]-ijlrftIJіїjłı")
_WIDE = set("mwMWmшщжюыфШЩЖЮЫФМ%—")


def text_width(text: str, size: float = LABEL_SIZE, bold: bool = False) -> float:
    """About how wide `text` is drawn, in pixels, at font size `size` (DejaVu Sans)."""
    ems = sum(
        0.34 if c in _NARROW else 0.92 if c in _WIDE else 0.64 if c.isdigit()
        else 0.74 if c.isupper() or c in "+−±→" else 0.61
        for c in str(text)
    )  # fmt: skip
    return ems * size * (1.1 if bold else 1.0)


def backdrop_path(
    lines: list[str] | str,
    size: float = LABEL_SIZE,
    align: str = "left",
    dx: float = 0,
    dy: float = 0,
    line_height: float | None = None,
    bold: bool = False,
    pad: float = 2,
) -> str:
    """A rectangle just larger than a label of `lines` drawn with baseline "middle" (Vega sets
    the first line's middle on the anchor, the others below it), as an SVG path about the label's
    anchor in pixels: the shape of a point mark of size 4 (scale 1) drawn under the text."""
    lines = [lines] if isinstance(lines, str) else list(lines)
    width = max(text_width(line, size, bold) for line in lines) + 2 * pad
    step = line_height or size + 2
    height = (len(lines) - 1) * step + 1.05 * size + 2 * pad  # capitals' tops to descenders
    left = dx - pad - (width - 2 * pad) * {"left": 0.0, "center": 0.5, "right": 1.0}[align]
    top = dy - 0.5 * size - pad
    return f"M{left:.1f},{top:.1f}h{width:.1f}v{height:.1f}h{-width:.1f}Z"


def reference_label_side(reference: float, low: float, high: float) -> tuple[str, float]:
    """The alignment and offset of a reference line's label above the plot: to the line's right,
    or to its left when the line stands in the right part of the axis, where a label to its right
    would run past the plot and be cut off on a screen as narrow as a phone's."""
    past_middle = high > low and (reference - low) / (high - low) > 0.55
    return ("right", -4.0) if past_middle else ("left", 4.0)


def with_backdrop(text: alt.Chart, backdrop: str = BACKDROP, opacity: float = 1.0
                  ) -> list[alt.Chart]:
    """A text layer over a white rectangle of its own size (the path in column `backdrop`).

    A reference line or a grid line drawn before stops short of the label instead of striking it
    out. Unlike a halo (the same text again, stroked white under it), the backdrop is no text: a
    PDF or a screen reader has each label once ("1.66", not "1.66 1.66").
    """
    under = text.copy(deep=True)
    under.mark = alt.MarkDef(type="point", filled=True, opacity=opacity, size=4, fill="white",
                             strokeWidth=0, aria=False)  # fmt: skip
    for channel in ("text", "tooltip", "color", "fill", "stroke", "strokeWidth", "opacity"):
        setattr(under.encoding, channel, alt.Undefined)
    under = under.encode(shape=alt.Shape(f"{backdrop}:N", scale=None, legend=None))
    return [under, text]


def _formatted(values: pd.Series, fmt: str) -> list[str]:
    """Values as a label writes them (d3's format of `fmt`, near enough to size a backdrop)."""
    return ["" if pd.isna(v) else format(float(v), fmt.replace("~", "")) for v in values]


def _value_labels(bars: alt.Chart, value: str, fmt: str) -> alt.Chart:
    """The value at the end of each bar, so no bar depends on its colour or the axis to be read."""
    return bars.mark_text(align="left", dx=3, fontSize=LABEL_SIZE, color="#222").encode(
        text=alt.Text(f"{value}:Q", format=fmt), color=alt.ColorValue("#222")
    )


def party_colour_scale(data: ElectionData) -> alt.Scale:
    """A colour scale mapping party names to their infobox colours, in infobox order."""
    parties = data.parties.sort_values("infobox_order")
    return alt.Scale(domain=[shown(n) for n in parties["name"]], range=list(parties["colour"]))


def party_order(data: ElectionData) -> list[str]:
    """Party names in infobox order, in the report's language."""
    return [shown(n) for n in data.parties.sort_values("infobox_order")["name"]]


@checked_by_tests
def seat_share_bars(
    shares: pd.DataFrame,
    data: ElectionData,
    title: str,
    description: str,
    subtitle: str | None = None,
) -> alt.Chart:
    """Horizontal bars of seats per party, coloured by party (input: analysis.seat_shares);
    subtitle: the unit and date under the title."""
    shares = localised(shares)
    order = list(shares["name"])  # the frame's order: the prose lists parties the same way
    bars = (
        alt.Chart(shares)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort=order, title=None),
            x=alt.X(
                "seats:Q",
                title=_("Seats won"),
                axis=alt.Axis(tickCount=TICKS, format="d"),
                scale=alt.Scale(domainMax=float(shares["seats"].max()) * 1.12 or 1),
            ),
            color=alt.Color("name:N", scale=party_colour_scale(data), legend=None),
            tooltip=[
                alt.Tooltip("name:N", title=_("Party")),
                alt.Tooltip("seats:Q", title=_("Seats")),
                alt.Tooltip("share_pct:Q", title=_("Share of seats (%)"), format=".1f"),
            ],
        )
    )
    heading = alt.TitleParams(title, subtitle=subtitle) if subtitle else title
    return alt.layer(
        bars, _value_labels(bars, "seats", "d"), title=heading, description=description
    ).properties(width=WIDTH, height=28 * len(shares))


@checked_by_tests
def seat_share_chart(shares: pd.DataFrame, data: ElectionData, region: str) -> alt.LayerChart:
    """The seat bars of one place (the 14 regional mäslihats together, a region or a city),
    titled with the body the seats belong to and described."""
    if region == ALL:
        n = int(data.regional_seats["region"].nunique())
        title = n_("Seats of the {n} regional mäslihat", "Seats of the {n} regional mäslihats", n,
                   n=num(n))
        description = n_("Bar chart of the seats of the {n} regional mäslihat by party: {values}",
                         "Bar chart of the seats of the {n} regional mäslihats by party: {values}",
                         n, n=num(n), values="{values}")  # fmt: skip
    else:
        title = _("Seats of {body}", body=body_name(region))
        description = _("Bar chart of the seats of {body} by party: {values}",
                        body=body_name(region), values="{values}")  # fmt: skip
    values = "; ".join(
        n_("{party} {seats} seat ({share})", "{party} {seats} seats ({share})", int(r.seats),
           party=shown(r.name), seats=num(r.seats), share=pct(r.share_pct))
        for r in shares.itertuples()
    )  # fmt: skip
    total = int(shares["seats"].sum())
    subtitle = n_("{seats} seat; mäslihat elections of {date}",
                  "{seats} seats; mäslihat elections of {date}", total, seats=num(total),
                  date=long_date(data.facts["election_date"]))  # fmt: skip
    return seat_share_bars(shares, data, title=title, subtitle=subtitle,
                           description=description.replace("{values}", values))


@checked_by_tests
def regional_turnout_chart(
    turnout: pd.DataFrame, national: pd.DataFrame, data: ElectionData, region: str, as_of: str
) -> alt.LayerChart | alt.Chart:
    """Turnout by region at one count (input: analysis.regional_turnout), the region highlighted.

    `national` (analysis.national_turnout_at) gives the reference line, the national figure the
    gaps are measured against (the first its source printed; where a source printed two, the
    reports' notes say so, not the chart).
    """
    reference, label, said = None, "", ""
    if not national.empty:
        first = national.iloc[0]
        reference = float(first.turnout_pct)
        label = _("national {value}", value=pct(reference, None))
        said = _("national {value} at the same count", value=pct(reference, None))
    values = "; ".join(  # as the bars print them: 55.0%, not 55%
        f"{shown(r.region)} {pct(r.turnout_pct)}" for r in turnout.itertuples()
    )
    date = long_date(data.facts["election_date"])
    if region == ALL:
        description = _("Bar chart of turnout by region at {as_of}; {national}. {values}",
                        as_of=as_of, national=said, values=values)  # fmt: skip
    else:
        description = _("Bar chart of turnout by region at {as_of}, {place} highlighted; "
                        "{national}. {values}", as_of=as_of, place=shown(region), national=said,
                        values=values)  # fmt: skip
    return highlighted_bars(
        localised(turnout),
        "region",
        "turnout_pct",
        shown(region) if region != ALL else None,
        title=_("Turnout by region at {as_of}, {date}", as_of=as_of, date=date),
        x_title=_("Turnout (%)"),
        reference=reference,
        reference_label=label,
        description=description,
        category_title=_("Region"),
    )


@checked_by_tests
def party_panels(
    frame: pd.DataFrame,
    data: ElectionData,
    category: str,
    category_order: list[str],
    title: str,
    description: str,
    outlined: str | None = None,
    category_title: str = "",
) -> alt.FacetChart:
    """Small multiples: one panel of bars per party, headed by its name, values at the bars.

    Each panel is one party, so no reading depends on telling the party colours apart (Ak Zhol,
    Adal and Auyl look alike in grey); the panels share one seat scale, so bars compare across
    them. Input: long frame with name, seats and `category`.
    """
    order = party_order(data)
    frame = localised(frame).assign(chosen=frame[category] == outlined)
    bars = (
        alt.Chart()
        .mark_bar(stroke="black")
        .encode(
            y=alt.Y(f"{category}:N", title=None, sort=category_order),
            x=alt.X("seats:Q", title=_("Seats"), axis=alt.Axis(tickCount=3, format="d")),
            color=alt.Color("name:N", scale=party_colour_scale(data), legend=None),
            strokeWidth=when_chosen(alt.StrokeWidthValue, 2, 0),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip("name:N", title=_("Party")),
                alt.Tooltip("seats:Q", title=_("Seats")),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=2, fontSize=LABEL_SIZE, color="#222").encode(
        text=alt.Text("seats:Q", format="d"), color=alt.ColorValue("#222"),
        strokeWidth=alt.StrokeWidthValue(0),
    )
    return (
        alt.layer(bars, labels, data=frame)
        .properties(width=(WIDTH - 150) // len(order), height=16 * len(category_order))
        .facet(
            column=alt.Column(
                "name:N", title=None, sort=order, header=alt.Header(labelFontWeight="bold")
            ),
            title=title,
            description=description,
        )
    )


@checked_by_tests
def regional_seats_stacked(
    data: ElectionData, highlight: str, description: str
) -> alt.FacetChart:
    """Seats of each regional mäslihat, one panel per party, the chosen region outlined."""
    seats = data.regional_seats.merge(data.parties[["party_code", "name"]])
    order = list(
        seats.groupby("region", sort=False)["seats"].sum().sort_values(ascending=False).index
    )
    return party_panels(
        localised(seats),
        data,
        "region",
        [shown(r) for r in order],
        _("Regional mäslihat seats by region and party"),
        description,
        outlined=shown(highlight),
        category_title=_("Region"),
    )


@checked_by_tests
def highlighted_bars(
    frame: pd.DataFrame,
    category: str,
    value: str,
    highlight: str | Collection[str] | None,
    title: str,
    x_title: str,
    description: str,
    reference: float | None = None,
    reference_label: str = "",
    value_format: str = ".1f",
    category_title: str = "",
    subtitle: str | None = None,
) -> alt.LayerChart:
    """Bars by category, one or several highlighted, and an optional reference line (national).

    highlight: one category, a collection of categories, or None for no highlight. Each bar
    carries its value (value_format) at its end, on a white halo so that the reference line never
    strikes it out. Give place names in the report's language (names.localised, names.shown): the
    chart draws the frame as it is. A category label with a line break ("\\n") is drawn on two
    lines, its bar made taller to hold them, so a long label is wrapped rather than clipped.
    subtitle: the unit and date under the title.
    """
    chosen = [highlight] if isinstance(highlight, str) or highlight is None else list(highlight)
    frame = frame.assign(chosen=frame[category].isin([c for c in chosen if c is not None]))
    frame[BACKDROP] = [backdrop_path(t, dx=3) for t in _formatted(frame[value], value_format)]
    # The axis reaches past the reference line, so bars that meet or cross it visibly do.
    top = max(float(frame[value].max()), reference or 0.0) * 1.1
    lines = int(frame[category].astype(str).str.count("\n").max() or 0) + 1
    axis = alt.Axis(labelLimit=330)
    if lines > 1:
        axis = alt.Axis(labelLimit=330, labelExpr="split(datum.label, '\\n')")
    if subtitle:
        title = alt.TitleParams(title, subtitle=subtitle)
    bars = (
        alt.Chart(frame, title=title, description=description)
        .mark_bar()
        .encode(
            y=alt.Y(f"{category}:N", sort="-x", title=None, axis=axis),
            x=alt.X(
                f"{value}:Q",
                title=x_title,
                axis=alt.Axis(tickCount=TICKS),
                scale=alt.Scale(domain=[0, top], nice=False),
            ),
            color=when_chosen(alt.ColorValue, HIGHLIGHT, MUTED),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip(f"{value}:Q", title=x_title, format=".2f"),
            ],
        )
        .properties(width=BARS_WIDTH, height=(ROW if lines == 1 else 6 + 13 * lines) * len(frame))
    )
    labels = with_backdrop(_value_labels(bars, value, value_format))
    if reference is None:
        return alt.layer(bars, *labels, title=title, description=description)
    rule = pd.DataFrame({"value": [reference], "label": [reference_label]})
    line = (
        alt.Chart(rule)
        .mark_rule(color="black", strokeDash=[4, 3])
        .encode(
            x=alt.X("value:Q", title=x_title),
            tooltip=[alt.Tooltip("label:N", title=_("Reference"))],
        )
    )
    align, dx = reference_label_side(reference, 0.0, top)
    text = line.mark_text(align=align, dx=dx, dy=-4, fontSize=LABEL_SIZE).encode(
        text=alt.Text("label:N"), y=alt.YValue(0)
    )
    # The line under the value labels and their backdrops, so it stops short of each label. Title
    # and description on the layer itself, where readers of the spec (display.chart_text, Vega's
    # aria-label) look for them.
    return alt.layer(bars, line, *labels, text, title=title, description=description)


@checked_by_tests
def floor_dots(
    frame: pd.DataFrame,
    category: str,
    value: str,
    highlight: str | None,
    title: str,
    x_title: str,
    description: str,
    floor: float,
    reference: float | None = None,
    reference_label: str = "",
    category_title: str = "",
) -> alt.LayerChart:
    """Dots on a line from a measure's natural floor (e.g. 1 party), not bars from zero."""
    frame = frame.assign(chosen=frame[category] == highlight, floor=floor)
    frame[BACKDROP] = [backdrop_path(t, dx=7) for t in _formatted(frame[value], ".2f")]
    top = max(float(frame[value].max()), reference or floor) + 0.1
    x = alt.X(
        f"{value}:Q",
        title=x_title,
        scale=alt.Scale(domain=[floor, round(top, 1)], nice=False, zero=False),
        axis=alt.Axis(tickCount=TICKS),
    )
    order = list(frame.sort_values(value, ascending=False)[category])
    y = alt.Y(f"{category}:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    base = alt.Chart(frame)
    stems = base.mark_rule(color=MUTED).encode(y=y, x=alt.X("floor:Q"), x2=alt.X2(f"{value}:Q"))
    dots = base.mark_circle(size=70, opacity=1).encode(
        y=y,
        x=x,
        color=when_chosen(alt.ColorValue, HIGHLIGHT, "#4A5568"),
        tooltip=[
            alt.Tooltip(f"{category}:N", title=category_title),
            alt.Tooltip(f"{value}:Q", title=x_title, format=".2f"),
        ],
    )
    labels = dots.mark_text(align="left", dx=7, fontSize=LABEL_SIZE, color="#222").encode(
        text=alt.Text(f"{value}:Q", format=".2f"), color=alt.ColorValue("#222")
    )
    layers = [stems, dots]
    if reference is not None:
        # The reference line under the dots and the value labels, which stand on a white
        # backdrop: a dot's value next to the line ("all regions" through 1.45) stays legible.
        align, dx = reference_label_side(reference, floor, round(top, 1))
        rule = pd.DataFrame({"value": [reference], "label": [reference_label], BACKDROP: [
            backdrop_path(reference_label, align=align, dx=dx, dy=-4)]})  # fmt: skip
        line = alt.Chart(rule).mark_rule(color="black", strokeDash=[4, 3]).encode(
            x=alt.X("value:Q")
        )
        layers = [
            line,
            *layers,
            *with_backdrop(
                line.mark_text(align=align, dx=dx, dy=-4, fontSize=LABEL_SIZE).encode(
                    text=alt.Text("label:N"), y=alt.YValue(0)
                )
            ),
        ]
    layers += with_backdrop(labels)
    return alt.layer(*layers, title=title, description=description).properties(
        width=WIDTH, height=ROW * len(frame)
    )


@checked_by_tests
def grouped_party_bars(
    frame: pd.DataFrame,
    data: ElectionData,
    measures: dict[str, str],
    title: str,
    x_title: str,
    description: str,
) -> alt.Chart:
    """Bars of several measures per party side by side (e.g. list share against seat share), the
    parties in the frame's order (as the table beside it)."""
    long = frame.melt(
        id_vars=["name"], value_vars=list(measures), var_name="measure", value_name="value"
    )
    long["measure"] = long["measure"].map(measures)
    long = localised(long)
    order = list(dict.fromkeys(long["name"]))
    # Each bar is labelled with its measure on the axis and its value at its end: no legend.
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("measure:N", title=None, sort=list(measures.values())),
            x=alt.X(
                "value:Q",
                title=x_title,
                axis=alt.Axis(tickCount=TICKS),
                scale=alt.Scale(domainMax=float(long["value"].max()) * 1.12),
            ),
            color=alt.Color("name:N", scale=party_colour_scale(data), legend=None),
            opacity=alt.Opacity("measure:N", sort=list(measures.values()), legend=None),
            tooltip=[
                alt.Tooltip("name:N", title=_("Party")),
                alt.Tooltip("measure:N", title=_("Measure")),
                alt.Tooltip("value:Q", title=x_title, format=".1f"),
            ],
        )
    )
    return (
        # the labels keep full opacity: a pale bar's value is read as easily as a dark one's
        alt.layer(bars, _value_labels(bars, "value", ".1f").encode(opacity=alt.OpacityValue(1)))
        .properties(width=WIDTH - 160, height=16 * len(measures))
        .facet(
            row=alt.Row(
                "name:N", title=None, sort=order, header=alt.Header(labelAngle=0, labelAlign="left")
            ),
            title=title,
            description=description,
        )
    )


def seat_positions(counts: list[int]) -> tuple[list[list[tuple[float, float]]], float]:
    """Where each party's seats sit in a parliament chart, from the left in the order of
    `counts`, and the seats' radius: x from 0 to 2, y from 0 (the floor) to 1 (the outer row).

    The positions are `parliamentarch`'s (rows filled from the inside out, as chambers are
    drawn), so the charts and the index's inline drawing place every seat alike.
    """
    from parliamentarch.geometry import get_nrows_from_nseats, get_row_thickness, get_seats_centers

    total = sum(counts)
    centres = get_seats_centers(total)
    position = iter(sorted(centres, key=centres.__getitem__, reverse=True))  # left to right
    blocks = [[next(position) for _seat in range(n)] for n in counts]
    return blocks, 0.8 * get_row_thickness(get_nrows_from_nseats(total))


@checked_by_tests
def hemicycle(
    seats: pd.DataFrame,
    data: ElectionData,
    title: str,
    description: str,
    subtitle: str | None = None,
    width: int | None = None,
) -> alt.LayerChart:
    """A parliament chart: one dot per seat in a half circle, the parties' blocks from the left in
    the frame's order (input: name, seats, as analysis.seat_shares), a dashed majority line, and
    each party's name and seats in the legend (parties without a seat listed with their 0).

    Seat positions are seat_positions'; the dots keep their size relative to the chart, so 30
    seats and 3,246 both fill it.
    """
    counts = [(shown(r.name), int(r.seats)) for r in seats.itertuples()]
    total = sum(n for _name, n in counts)
    if total <= 0:
        raise ValueError("hemicycle: the frame has no seats to draw")
    blocks, seat_radius = seat_positions([n for _name, n in counts])
    labels = [_("{party} {seats}", party=name, seats=num(n)) for name, n in counts]
    dots = pd.DataFrame([{"party": label, "x": x, "y": y}
                         for label, block in zip(labels, blocks, strict=True)
                         for x, y in block])  # fmt: skip
    colours = dict(zip(data.parties["name"].map(shown), data.parties["colour"], strict=True))
    scale = alt.Scale(domain=labels, range=[colours.get(name, MUTED) for name, _n in counts])
    width = width or (420 if total > 100 else 320)  # a small chamber's dots are large enough
    height = int(width * 0.55)
    radius = seat_radius * width / 2
    x = alt.X("x:Q", scale=alt.Scale(domain=[0, 2], nice=False), axis=None)
    y_scale = alt.Scale(domain=[0, 1.1], nice=False)  # room above the arc for the majority's label
    y = alt.Y("y:Q", scale=y_scale, axis=None)
    seats_layer = (
        alt.Chart(dots)
        # no text for each dot (a reader hears the chart's description, not 3,246 dots)
        .mark_circle(size=3.1416 * radius**2, opacity=1, aria=False)
        .encode(
            x=x, y=y,
            color=alt.Color("party:N", scale=scale, sort=labels, legend=alt.Legend(
                title=None, orient="bottom", direction="horizontal", columns=3,
                labelFontSize=LABEL_SIZE + 1, symbolType="circle", labelLimit=220,
            )),
            tooltip=[alt.Tooltip("party:N", title=_("Party"))],
        )
    )  # fmt: skip
    majority = total // 2 + 1
    rule = pd.DataFrame({"x": [1.0], "y": [0.0], "y2": [1.02],
                         "label": [_("majority: {seats}", seats=num(majority))]})  # fmt: skip
    line = alt.Chart(rule).mark_rule(color="#222", strokeDash=[4, 3]).encode(
        x=x, y=y, y2=alt.Y2("y2:Q")
    )
    text = alt.Chart(rule).mark_text(
        align="center", baseline="bottom", dy=-2, fontSize=LABEL_SIZE, color="#222"
    ).encode(x=x, y=alt.Y("y2:Q", scale=y_scale, axis=None), text=alt.Text("label:N"))
    heading = alt.TitleParams(title, subtitle=subtitle) if subtitle else title
    return (
        alt.layer(seats_layer, line, text, title=heading, description=description)
        .properties(width=width, height=height)
        .configure_view(stroke=None)
    )


@checked_by_tests
def turnout_history_chart(
    history: pd.DataFrame,
    data_year: int,
    title: str,
    description: str,
    subtitle: str | None = None,
) -> alt.LayerChart:
    """Turnout at successive elections as a line of labelled points from a zero baseline
    (input: history.turnout_history: year, turnout_pct); the election of `data_year` in
    HIGHLIGHT."""
    frame = history.assign(year=history["year"].astype(str))
    frame = frame.assign(chosen=frame["year"] == str(data_year))
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, labelFontSize=LABEL_SIZE + 1))
    y = alt.Y("turnout_pct:Q", title=_("Turnout (%)"), scale=alt.Scale(domain=[0, 100]),
              axis=alt.Axis(tickCount=TICKS))  # fmt: skip
    base = alt.Chart(frame).encode(x=x, y=y)
    line = base.mark_line(color=MUTED, strokeWidth=2)
    dots = base.mark_circle(size=90, opacity=1).encode(
        color=when_chosen(alt.ColorValue, HIGHLIGHT, "#4A5568"),
        tooltip=[alt.Tooltip("year:O", title=_("Year")),
                 alt.Tooltip("turnout_pct:Q", title=_("Turnout (%)"), format=".2f")],
    )  # fmt: skip
    labels = base.mark_text(dy=-12, fontSize=LABEL_SIZE + 1, color="#222").encode(
        text=alt.Text("turnout_pct:Q", format=".1f")
    )
    heading = alt.TitleParams(title, subtitle=subtitle) if subtitle else title
    return alt.layer(line, dots, labels, title=heading, description=description).properties(
        width=300, height=200
    )


@checked_by_tests
def dumbbell(
    frame: pd.DataFrame,
    category: str,
    start: str,
    end: str,
    labels: tuple[str, str],
    highlight: str | None,
    title: str,
    x_title: str,
    description: str,
    subtitle: str | None = None,
    category_title: str = "",
) -> alt.LayerChart:
    """One row per category from its `start` value to its `end` value (a dot each, joined by a
    line), sorted by the change, the end value labelled; `labels` name the two dots in the legend
    (e.g. the two years). Give names in the report's language (names.localised)."""
    frame = frame.assign(change=frame[end] - frame[start], chosen=frame[category] == highlight,
                         right=frame[[start, end]].max(axis=1))  # fmt: skip
    frame[BACKDROP] = [backdrop_path(t, dx=7) for t in _formatted(frame["change"], "+.1f")]
    order = list(frame.sort_values("change")[category])
    long = frame.melt(id_vars=[category, "change", "chosen"], value_vars=[start, end],
                      var_name="which", value_name="value")  # fmt: skip
    long["which"] = long["which"].map({start: labels[0], end: labels[1]})
    y = alt.Y(f"{category}:N", sort=order, title=None, axis=alt.Axis(labelLimit=330))
    low = 10 * int(max(0.0, float(frame[[start, end]].min().min()) - 5) // 10)
    high = min(100, 10 * -int(-(float(frame["right"].max()) + 8) // 10))
    scale = alt.Scale(domain=[low, high], nice=False, zero=False)
    x = alt.X("value:Q", title=x_title, axis=alt.Axis(tickCount=TICKS), scale=scale)
    lines = alt.Chart(frame).mark_rule(color=MUTED, strokeWidth=2).encode(
        y=y, x=alt.X(f"{start}:Q", scale=scale), x2=alt.X2(f"{end}:Q")
    )
    dots = alt.Chart(long).mark_circle(size=70, opacity=1).encode(
        y=y, x=x,
        color=alt.Color("which:N", scale=alt.Scale(domain=list(labels), range=[MUTED, "#2B4C7E"]),
                        legend=alt.Legend(title=None, orient="top", labelFontSize=LABEL_SIZE)),
        stroke=when_chosen(alt.StrokeValue, HIGHLIGHT, None),
        strokeWidth=when_chosen(alt.StrokeWidthValue, 2.5, 0),
        tooltip=[alt.Tooltip(f"{category}:N", title=category_title),
                 alt.Tooltip("which:N", title=_("Year")),
                 alt.Tooltip("value:Q", title=x_title, format=".1f")],
    )  # fmt: skip
    ends = alt.Chart(frame).mark_text(align="left", dx=7, fontSize=LABEL_SIZE, color="#222").encode(
        y=y, x=alt.X("right:Q", scale=scale), text=alt.Text("change:Q", format="+.1f"),
    )  # fmt: skip
    heading = alt.TitleParams(title, subtitle=subtitle) if subtitle else title
    return alt.layer(lines, dots, *with_backdrop(ends), title=heading, description=description) \
        .properties(width=BARS_WIDTH, height=ROW * len(frame))
