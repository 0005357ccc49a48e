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

from maslihat.data import ElectionData, is_city
from maslihat.i18n import _, long_date
from maslihat.names import localised, shown
from maslihat.params import ALL, place_name
from maslihat.text import as_given, num, pct

WIDTH = 520
HIGHLIGHT = "#C0392B"
MUTED = "#9AA5B1"
BARS_WIDTH = 360  # bars beside long category labels: label and bar fit an A4 page at full size
TICKS = 5  # few ticks: a reader needs the scale, not a tick every two units
LABEL_SIZE = 10  # direct labels; about 7.5 pt on an A4 page

Chart = TypeVar("Chart", bound=alt.TopLevelMixin)
Params = ParamSpec("Params")


def checked_by_tests(build: Callable[Params, Chart]) -> Callable[Params, Chart]:
    """For a function that builds a chart of many layers (a map): Altair neither checks each
    piece against the Vega-Lite schema as it is made nor the whole spec again when it is shown
    (0.35 s of a map's 0.45 s); the tests check what the function builds. A chart changed after
    it is built is a new object, checked as Altair checks any chart."""

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


def _value_labels(bars: alt.Chart, value: str, fmt: str) -> alt.Chart:
    """The value at the end of each bar, so no bar depends on its colour or the axis to be read."""
    return bars.mark_text(align="left", dx=3, fontSize=LABEL_SIZE, color="#222").encode(
        text=alt.Text(f"{value}:Q", format=fmt), color=alt.value("#222")
    )


def _with_halo(text: alt.Chart) -> list[alt.Chart]:
    """A text layer with a white halo under it: the same text stroked white, drawn first.

    Vega's text mark has no halo of its own; without one a reference line drawn through a label
    strikes it out (the dashed national line through "58.8").
    """
    halo = text.mark_text(
        **{k: v for k, v in text.mark.to_dict().items() if k != "type"},
        stroke="white", strokeWidth=3, strokeJoin="round",
    )  # fmt: skip
    return [halo, text]


def party_colour_scale(data: ElectionData) -> alt.Scale:
    """A colour scale mapping party names to their infobox colours, in infobox order."""
    parties = data.parties.sort_values("infobox_order")
    return alt.Scale(domain=[shown(n) for n in parties["name"]], range=list(parties["colour"]))


def party_order(data: ElectionData) -> list[str]:
    """Party names in infobox order, in the report's language."""
    return [shown(n) for n in data.parties.sort_values("infobox_order")["name"]]


def seat_share_bars(
    shares: pd.DataFrame,
    data: ElectionData,
    title: str,
    description: str,
    subtitle: str | None = None,
) -> alt.Chart:
    """Horizontal bars of seats per party, coloured by party (input: analysis.seat_shares);
    subtitle: the unit and date under the title."""
    order = party_order(data)
    shares = localised(shares)
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


def seat_share_chart(shares: pd.DataFrame, data: ElectionData, region: str) -> alt.LayerChart:
    """The seat bars of one place (the country, a region or a city), titled and described."""
    place = place_name(region, data)
    if region == ALL:
        title = _("Seats of all regional mäslihats, {place}", place=place)
        description = _("Bar chart of the seats of all regional mäslihats by party in {place}: "
                        "{values}", place=place, values="{values}")  # fmt: skip
    elif is_city(data, region):
        title = _("Seats of the city's mäslihat, {place}", place=place)
        description = _("Bar chart of the seats of the city's mäslihat by party in {place}: "
                        "{values}", place=place, values="{values}")  # fmt: skip
    else:
        title = _("Seats of the regional mäslihat, {place}", place=place)
        description = _("Bar chart of the seats of the regional mäslihat by party in {place}: "
                        "{values}", place=place, values="{values}")  # fmt: skip
    values = "; ".join(
        _("{party} {seats} seats ({share})", party=shown(r.name), seats=num(r.seats),
          share=pct(r.share_pct))
        for r in shares.itertuples()
    )  # fmt: skip
    subtitle = _("{seats} seats; mäslihat elections of {date}",
                 seats=num(shares["seats"].sum()), date=long_date(data.facts["election_date"]))
    return seat_share_bars(shares, data, title=title, subtitle=subtitle,
                           description=description.replace("{values}", values))


def regional_turnout_chart(
    turnout: pd.DataFrame, national: pd.DataFrame, data: ElectionData, region: str, as_of: str
) -> alt.LayerChart | alt.Chart:
    """Turnout by region at one count (input: analysis.regional_turnout), the region highlighted.

    `national` (analysis.national_turnout_at) gives the reference line, the national figure the
    gaps are measured against, labelled with its source and passage; the description gives every
    national figure that source printed.
    """
    reference, label, said = None, "", ""
    if not national.empty:
        first = national.iloc[0]
        reference = float(first.turnout_pct)
        if len(national) > 1 and pd.notna(first.note):
            label = _("national {value} ({publisher}, {passage})", value=pct(reference, None),
                      publisher=first.publisher, passage=_(first.note))  # fmt: skip
        else:
            label = _("national {value} ({publisher})", value=pct(reference, None),
                      publisher=first.publisher)  # fmt: skip
        said = _("national {values} ({publisher})", publisher=first.publisher,
                 values=as_given(national["turnout_pct"], national["note"]))  # fmt: skip
    values = "; ".join(
        f"{shown(r.region)} {pct(r.turnout_pct, None)}" for r in turnout.itertuples()
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
            strokeWidth=alt.condition("datum.chosen", alt.value(2), alt.value(0)),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip("name:N", title=_("Party")),
                alt.Tooltip("seats:Q", title=_("Seats")),
            ],
        )
    )
    labels = bars.mark_text(align="left", dx=2, fontSize=LABEL_SIZE, color="#222").encode(
        text=alt.Text("seats:Q", format="d"), color=alt.value("#222"), strokeWidth=alt.value(0)
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
            color=alt.condition("datum.chosen", alt.value(HIGHLIGHT), alt.value(MUTED)),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip(f"{value}:Q", title=x_title, format=".2f"),
            ],
        )
        .properties(width=BARS_WIDTH, height=(18 if lines == 1 else 6 + 13 * lines) * len(frame))
    )
    labels = _with_halo(_value_labels(bars, value, value_format))
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
    text = line.mark_text(align="left", dx=4, dy=-4, fontSize=10).encode(
        text="label:N", y=alt.value(0)
    )
    # The line under the value labels and their halos, so it stops short of each label. Title
    # and description on the layer itself, where readers of the spec (display.chart_text, Vega's
    # aria-label) look for them.
    return alt.layer(bars, line, *labels, text, title=title, description=description)


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
    stems = base.mark_rule(color=MUTED).encode(y=y, x=alt.X("floor:Q"), x2=f"{value}:Q")
    dots = base.mark_circle(size=70, opacity=1).encode(
        y=y,
        x=x,
        color=alt.condition("datum.chosen", alt.value(HIGHLIGHT), alt.value("#4A5568")),
        tooltip=[
            alt.Tooltip(f"{category}:N", title=category_title),
            alt.Tooltip(f"{value}:Q", title=x_title, format=".2f"),
        ],
    )
    labels = dots.mark_text(align="left", dx=7, fontSize=LABEL_SIZE, color="#222").encode(
        text=alt.Text(f"{value}:Q", format=".2f"), color=alt.value("#222")
    )
    layers = [stems, dots]
    if reference is not None:
        # The reference line under the dots and the value labels, which stand on a white halo: a
        # dot's value next to the line ("all regions" through 1.45) stays legible.
        rule = pd.DataFrame({"value": [reference], "label": [reference_label]})
        line = alt.Chart(rule).mark_rule(color="black", strokeDash=[4, 3]).encode(x="value:Q")
        layers = [
            line,
            *layers,
            *_with_halo(
                line.mark_text(align="left", dx=4, dy=-4, fontSize=LABEL_SIZE).encode(
                    text="label:N", y=alt.value(0)
                )
            ),
        ]
    layers += _with_halo(labels)
    return alt.layer(*layers, title=title, description=description).properties(
        width=WIDTH, height=18 * len(frame)
    )


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
        alt.layer(bars, _value_labels(bars, "value", ".1f").encode(opacity=alt.value(1)))
        .properties(width=WIDTH - 160, height=16 * len(measures))
        .facet(
            row=alt.Row(
                "name:N", title=None, sort=order, header=alt.Header(labelAngle=0, labelAlign="left")
            ),
            title=title,
            description=description,
        )
    )


def allocation_chart(
    frame: pd.DataFrame, data: ElectionData, description: str, region: str = ALL
) -> alt.FacetChart:
    """Seats per party under each method and as won, one panel per party (input: long frame
    with name, method, seats); the title says whose seats and whose votes."""
    return party_panels(
        frame,
        data,
        "method",
        list(dict.fromkeys(frame["method"])),
        _("Seats of {place}, allocated on the national Mazhilis vote shares (illustration)",
          place=place_name(region, data)),
        description,
        category_title=_("Method"),
    )
