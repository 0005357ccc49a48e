"""Charts use the parties' colours from the data and carry title, labels, tooltips, description."""

from __future__ import annotations

import dataclasses

from maslihat import analysis, charts


def spec(chart) -> dict:
    return chart.to_dict()


def find(obj, key):
    """Every value stored under key anywhere in a nested spec."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == key:
                yield v
            yield from find(v, key)
    elif isinstance(obj, list):
        for v in obj:
            yield from find(v, key)


def test_party_colours_come_from_the_data(data):
    chart = charts.seat_share_bars(analysis.seat_shares(data), data, "Seats", "desc")
    scale = next(s for s in find(spec(chart), "scale") if "range" in s)
    colours = dict(zip(scale["domain"], scale["range"], strict=True))
    assert colours["Nur Otan"] == "#1CA9C9" and colours["People's Party"] == "#DC214F"
    recoloured = data.parties.assign(
        colour=data.parties["colour"].where(data.parties["party_code"] != "NO", "#000000")
    )
    other = dataclasses.replace(data, parties=recoloured)
    assert charts.party_colour_scale(other).to_dict()["range"][0] == "#000000"


def test_every_chart_has_title_axis_titles_tooltips_and_description(data):
    built = [
        charts.seat_share_bars(analysis.seat_shares(data, "Almaty"), data, "Seats", "d1"),
        charts.regional_seats_stacked(data, "Almaty", "d2"),
        charts.highlighted_bars(
            analysis.regional_turnout(data),
            "region",
            "turnout_pct",
            "Almaty",
            "Turnout",
            "Turnout (%)",
            "d3",
            reference=63.3,
            reference_label="national",
        ),
        charts.grouped_party_bars(
            analysis.party_list_summary(data),
            data,
            {"list_share_pct": "Lists", "seat_share_pct": "Seats"},
            "Lists and seats",
            "Percent",
            "d4",
        ),
    ]
    for i, chart in enumerate(built, start=1):
        s = spec(chart)
        assert s.get("description") == f"d{i}" or f"d{i}" in list(find(s, "description"))
        assert list(find(s, "title")), "chart and axes have titles"
        assert list(find(s, "tooltip")), "tooltips"


def test_highlighted_region_is_marked(data):
    chart = charts.highlighted_bars(
        analysis.regional_turnout(data), "region", "turnout_pct", "Almaty", "T", "Turnout (%)", "d"
    )
    values = next(iter(find(spec(chart), "datasets"))).values()
    rows = next(iter(values))
    chosen = [r["region"] for r in rows if r["chosen"]]
    assert chosen == ["Almaty"]
