"""Charts use the parties' colours from the data and carry title, labels, tooltips, description."""

from __future__ import annotations

import dataclasses
import re

import pytest

from conftest import find
from maslihat import analysis, charts, results


def spec(chart) -> dict:
    return chart.to_dict()


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


def axis_titles(spec: dict) -> dict[str, list]:
    """The titles of the x and y encodings of every (layered) view of a chart spec."""
    inner = spec.get("spec", spec)  # a faceted chart keeps its views in "spec"
    views = [spec, *spec.get("layer", [])]
    if inner is not spec:
        views += [inner, *inner.get("layer", [])]
    titles: dict[str, list] = {"x": [], "y": []}
    for view in views:
        encoding = view.get("encoding", {})
        for channel in ("x", "y"):
            if channel in encoding and "field" in encoding[channel]:
                titles[channel].append(encoding[channel].get("title"))
    return titles


def test_every_chart_has_title_axis_titles_tooltips_and_description(data):
    built = [
        (
            charts.seat_share_bars(
                analysis.seat_shares(data, "Almaty Region"), data, "Seats", "d1"
            ),
            # party names label the bars (no y title); the value labels share the x axis
            {"x": ["Seats won"] * 2, "y": [None] * 2},
        ),
        (
            charts.regional_seats_stacked(data, "Almaty Region", "d2"),
            # one panel per party; the values at the bar ends are a layer on the same axes
            {"x": ["Seats"] * 2, "y": [None] * 2},
        ),
        (
            charts.highlighted_bars(
                analysis.regional_turnout(data),
                "region",
                "turnout_pct",
                "Almaty Region",
                "Turnout",
                "Turnout (%)",
                "d3",
                reference=63.3,
                reference_label="national",
            ),
            # region names label the bars themselves: no y title by design; the reference
            # line and its label, and the value labels' halo, share the x axis and its title
            {"x": ["Turnout (%)"] * 5, "y": [None] * 3},
        ),
        (
            charts.grouped_party_bars(
                analysis.party_list_summary(data),
                data,
                {"list_share_pct": "Lists", "seat_share_pct": "Seats"},
                "Lists and seats",
                "Percent",
                "d4",
            ),
            {"x": ["Percent"] * 2, "y": [None] * 2},
        ),
    ]
    for i, (chart, titles) in enumerate(built, start=1):
        s = spec(chart)
        assert s.get("description") == f"d{i}" or f"d{i}" in list(find(s, "description"))
        assert s.get("title") or any(layer.get("title") for layer in s.get("layer", []))
        assert axis_titles(s) == titles, "the axes' own titles"
        assert list(find(s, "tooltip")), "tooltips"


def test_axis_titles_check_finds_a_missing_axis_title(data):
    untitled = charts.seat_share_bars(analysis.seat_shares(data), data, "Seats", "d")
    s = spec(untitled)
    del s["layer"][0]["encoding"]["x"]["title"]
    assert axis_titles(s)["x"][0] is None


def test_seat_share_chart_titles_and_describes_a_place(data):
    shares = analysis.seat_shares(data, "Almaty Region")
    s = spec(charts.seat_share_chart(shares, data, "Almaty Region"))
    # the body as people name it, not "the regional mäslihat, Almaty Region"
    assert s["title"]["text"] == "Seats of the Almaty regional mäslihat"
    assert s["title"]["subtitle"] == "45 seats; mäslihat elections of 10 January 2021"
    # Almaty: Nur Otan 37, Auyl 4, People's Party 4 of 45 seats
    assert "by party: Nur Otan 37 seats (82.2%)" in s["description"]
    assert "People's Party 4 seats (8.9%)" in s["description"]


def test_regional_turnout_chart(data):
    turnout = analysis.regional_turnout(data, "22:00")
    national = analysis.national_turnout_at(data, "22:00")
    s = spec(charts.regional_turnout_chart(turnout, national, data, "Aktobe", "22:00"))
    assert s["title"] == "Turnout by region at 22:00, 10 January 2021"
    # the source of the regional figures prints 63.3% in its opening sentence, 63.1% in its
    # text: the chart names the first, the one the gaps are measured against, without the audit
    assert "national 63.3% at the same count" in s["description"]
    assert "sentence" not in s["description"]
    assert "Aktobe highlighted" in s["description"] and "Aktobe 58.8%" in s["description"]
    rule = next(layer for layer in s["layer"] if layer["mark"].get("type") == "rule")
    rows = s["datasets"][rule["data"]["name"]]
    assert rows == [{"value": 63.3, "label": "national 63.3%"}]
    one = spec(
        charts.regional_turnout_chart(
            analysis.regional_turnout(data, "20:00"),
            analysis.national_turnout_at(data, "20:00"),
            data,
            "All",
            "20:00",
        )
    )
    assert (
        "; national 63.1% at the same count" in one["description"]
        and "highlighted" not in one["description"]
    )


def test_several_categories_can_be_highlighted(data):
    lists = analysis.party_list_summary(data)
    chart = charts.highlighted_bars(
        lists, "name", "coverage_pct", ["Nur Otan", "Adal"], "T", "Lists", "d"
    )
    rows = next(iter(next(iter(find(spec(chart), "datasets"))).values()))
    assert sorted(r["name"] for r in rows if r["chosen"]) == ["Adal", "Nur Otan"]
    none = charts.highlighted_bars(lists, "name", "coverage_pct", None, "T", "Lists", "d")
    rows = next(iter(next(iter(find(spec(none), "datasets"))).values()))
    assert not any(r["chosen"] for r in rows)


def test_highlighted_region_is_marked(data):
    chart = charts.highlighted_bars(
        analysis.regional_turnout(data),
        "region",
        "turnout_pct",
        "Almaty Region",
        "T",
        "Turnout (%)",
        "d",
    )
    values = next(iter(find(spec(chart), "datasets"))).values()
    rows = next(iter(values))
    chosen = [r["region"] for r in rows if r["chosen"]]
    assert chosen == ["Almaty Region"]


def test_the_chosen_region_is_outlined_in_the_drawn_regional_chart(data):
    """Drawn by Vega (vl-convert): the chosen region's segments have a stroke, the others none."""
    import re

    import vl_convert

    chart = charts.regional_seats_stacked(data, "Turkistan", "d")
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    outlined = re.findall(r'aria-label="[^"]*Region: Turkistan[^"]*"[^>]*stroke-width="2"', svg)
    others = re.findall(r'aria-label="[^"]*Region: Aktobe[^"]*"[^>]*stroke-width="2"', svg)
    turkistan = data.regional_seats.query("region == 'Turkistan'")
    parties_with_seats = int((turkistan["seats"] > 0).sum())
    assert len(outlined) >= parties_with_seats and not others


def test_effective_number_of_parties_is_drawn_from_its_floor(data):
    by_region = analysis.seats_by_region(data)
    s = spec(
        charts.floor_dots(by_region, "region", "enp", "Akmola", "ENP", "ENP", "d", floor=1.0)
    )
    domains = [v["domain"] for v in find(s, "scale") if isinstance(v, dict) and "domain" in v]
    assert [1.0, round(by_region["enp"].max() + 0.1, 1)] in domains
    assert not any(layer["mark"].get("type") == "bar" for layer in s["layer"])


def test_party_panels_name_each_party_so_no_reading_depends_on_colour(data):
    """One panel per party, headed by its name, on one shared seat scale."""
    s = spec(charts.regional_seats_stacked(data, "Turkistan", "d"))
    assert s["facet"]["column"]["field"] == "name"
    assert s["facet"]["column"]["sort"] == list(data.parties.sort_values("infobox_order")["name"])
    assert "resolve" not in s, "panels share the seat scale, so bars compare across parties"


def test_grouped_bars_follow_the_tables_order_and_print_every_value_in_full(data):
    lists = analysis.party_list_summary(data).sort_values("lists_registered", ascending=False)
    s = spec(charts.grouped_party_bars(
        lists, data, {"list_share_pct": "Lists", "seat_share_pct": "Seats"}, "t", "Percent", "d"
    ))  # fmt: skip
    assert s["facet"]["row"]["sort"] == list(lists["name"])  # as the table beside it: by lists
    bars, labels = s["spec"]["layer"]
    assert "opacity" in bars["encoding"]  # the two measures told apart by shade...
    assert labels["encoding"]["opacity"] == {"value": 1}  # ...but no value printed pale


def _backdrop_before_text(layers: list[dict]) -> None:
    """Each value label layer stands on a backdrop just before it: a white shape at the label's
    place, not the text again (a halo of stroked text is read twice in the PDF: "1.66 1.66")."""
    marks = [layer["mark"] for layer in layers]
    assert not [m for m in marks if m["type"] == "text" and m.get("stroke")], "no stroked text"
    backdrops = [i for i, m in enumerate(marks)
                 if m["type"] == "point" and m.get("fill") == "white"]
    assert backdrops, "a white backdrop under the value labels"
    for i in backdrops:
        backdrop, text = layers[i], layers[i + 1]
        assert text["mark"]["type"] == "text" and "text" not in backdrop["encoding"]
        assert backdrop["encoding"]["shape"] == {"field": charts.BACKDROP, "type": "nominal",
                                                 "scale": None, "legend": None}
        for channel in ("x", "y"):
            assert backdrop["encoding"].get(channel) == text["encoding"].get(channel)


def test_reference_line_runs_under_the_value_labels_backdrops(data):
    """The dashed national line through 58.8 and 62.4: the labels are drawn over it, on white."""
    turnout = analysis.regional_turnout(data, "22:00")
    national = analysis.national_turnout_at(data, "22:00")
    layers = spec(charts.regional_turnout_chart(turnout, national, data, "All", "22:00"))["layer"]
    _backdrop_before_text(layers)
    types = [layer["mark"]["type"] for layer in layers]
    rule = types.index("rule")
    values = next(i for i, layer in enumerate(layers) if layer["mark"].get("dx") == 3)
    assert rule < values - 1, "the line is drawn first, the value labels and backdrops over it"


def test_floor_dots_labels_stand_on_a_backdrop_over_the_reference_line(data):
    """The 'all regions' line through 1.45 and 1.48 of the effective-number dot plot."""
    by_region = analysis.seats_by_region(data)
    layers = spec(
        charts.floor_dots(by_region, "region", "enp", "Akmola", "ENP", "ENP", "d", floor=1.0,
                          reference=1.47, reference_label="all regions 1.47")
    )["layer"]  # fmt: skip
    _backdrop_before_text(layers)
    assert layers[0]["mark"]["type"] == "rule", "the reference line under dots and labels"


def path_box(path: str) -> tuple[float, float, float, float]:
    """Left, top, width and height of a backdrop's rectangle ('M0,-6h30v12h-30Z')."""
    left, top, width, height = map(float, re.fullmatch(
        r"M(-?[\d.]+),(-?[\d.]+)h(-?[\d.]+)v(-?[\d.]+)h-?[\d.]+Z", path).groups())  # fmt: skip
    return left, top, width, height


@pytest.mark.parametrize(("label", "drawn"), [
    # widths in DejaVu Sans at 10 px, from the font's advances (2048 units an em): digits 1303,
    # '.' 651, 'A' 1401, 'k' 1186, 'm' 1995, 'o' 1253, 'l' 569, 'a' 1255
    ("58.8", 22.27), ("1.66", 22.27), ("Akmola", 38.2),
])  # fmt: skip
def test_a_backdrop_covers_its_label_and_little_more(label, drawn):
    left, top, width, height = path_box(charts.backdrop_path(label, 10, "left", dx=3, pad=2))
    assert left == 1 and drawn + 2 <= width <= drawn * 1.15 + 4
    assert top <= -5 and height >= 10 + 2  # the capitals' tops to the descenders
    centred = path_box(charts.backdrop_path([label, "81"], 10, "center", line_height=11))
    assert abs(centred[0] + centred[2] / 2) < 0.1 and centred[3] >= 21


def test_long_category_labels_wrap_instead_of_being_clipped(data):
    comparison = analysis.national_turnout_comparison(data)
    end = comparison[(comparison["year"] == 2021) & comparison["as_of"].isin(["final", "22:00"])]
    s = spec(
        charts.highlighted_bars(end, "chart_label", "turnout_pct", None, "T", "Turnout (%)", "d",
                                subtitle="Turnout (%), 10 January 2021")
    )  # fmt: skip
    assert s["title"] == {"text": "T", "subtitle": "Turnout (%), 10 January 2021"}
    axis = s["layer"][0]["encoding"]["y"]["axis"]
    assert "split(datum.label" in axis["labelExpr"]
    assert s["height"] >= 30 * len(end)  # two lines a bar
    one_line = spec(charts.highlighted_bars(end, "short_label", "turnout_pct", None, "T", "%", "d"))
    assert "labelExpr" not in one_line["layer"][0]["encoding"]["y"]["axis"]


def test_no_chart_text_is_set_below_the_readable_size(data):
    # 10 px is about 7.5 pt on an A4 page; the style asks for no text under 7 pt in print.
    from maslihat import maps

    national = results.national_results(data)
    built = [
        charts.hemicycle(national, data, "t", "d"),
        charts.seat_share_chart(analysis.seat_shares(data, "Akmola"), data, "Akmola"),
        charts.grouped_party_bars(analysis.party_list_summary(data), data,
                                  {"list_share_pct": "Lists", "seat_share_pct": "Seats"}, "t",
                                  "Percent", "d"),
        maps.party_maps(data, "Akmola"),
        maps.seat_share_map(data, "Akmola"),
    ]  # fmt: skip
    for chart in built:
        s = spec(chart)
        sizes = [v for key in ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize")
                 for v in find(s, key) if isinstance(v, (int, float))]  # fmt: skip
        assert sizes and min(sizes) >= charts.LABEL_SIZE, (s.get("title"), sorted(set(sizes)))


def test_a_chart_checked_by_the_tests_is_shown_as_altair_shows_it_until_it_is_changed(
    data, monkeypatch
):
    from altair.utils import schemapi
    from altair.vegalite.v6.api import TopLevelMixin

    from maslihat import maps
    from maslihat.display import enable_report_charts

    enable_report_charts()
    checks = []
    validate = schemapi.validate_jsonschema
    monkeypatch.setattr(schemapi, "validate_jsonschema",
                        lambda spec, *a, **k: checks.append(spec) or validate(spec, *a, **k))
    built = maps.seat_share_map(data, "Akmola")  # checked_by_tests
    checks.clear()
    shown = built._repr_mimebundle_()
    assert not [spec for spec in checks if "layer" in spec]  # its spec not checked again
    assert shown == TopLevelMixin._repr_mimebundle_(built)  # as Altair shows it, after a check
    assert [spec for spec in checks if "layer" in spec]
    changed = built.properties(height=400)
    changed.width = "wide"  # not a width Vega-Lite knows
    assert changed._repr_mimebundle_() == {}  # checked as any chart: Altair shows the error
    built.to_dict()  # what the function builds is valid (checked here, as in test_maps)


def test_a_hemicycle_has_one_dot_per_seat_in_the_parties_colours(data):
    national = results.national_results(data)
    s = spec(charts.hemicycle(national, data, "All seats", "d"))
    dots = next(layer for layer in s["layer"] if layer["mark"]["type"] == "circle")
    seats = s["datasets"][dots["data"]["name"]]
    assert len(seats) == 3246
    counts: dict[str, int] = {}
    for seat in seats:
        counts[seat["party"]] = counts.get(seat["party"], 0) + 1
    assert counts == {"Nur Otan 2,685": 2685, "Auyl 227": 227, "Ak Zhol 224": 224,
                      "People's Party 86": 86, "Adal 24": 24}  # fmt: skip
    scale = dots["encoding"]["color"]["scale"]
    colours = {r.name: r.colour for r in data.parties.itertuples()}
    assert scale["range"] == [colours[n] for n in national["name"]]
    label = next(layer for layer in s["layer"] if layer["mark"]["type"] == "text")
    assert s["datasets"][label["data"]["name"]][0]["label"] == "majority: 1,624"


def test_a_hemicycle_lists_a_party_without_a_seat_with_its_zero(data):
    shares = analysis.seat_shares(data, "Akmola")
    s = spec(charts.hemicycle(shares, data, "t", "d"))
    dots = next(layer for layer in s["layer"] if layer["mark"]["type"] == "circle")
    assert "Adal 0" in dots["encoding"]["color"]["scale"]["domain"]
    assert len(s["datasets"][dots["data"]["name"]]) == 32
    with pytest.raises(ValueError, match="no seats"):
        charts.hemicycle(shares.assign(seats=0), data, "t", "d")


def test_the_highlight_is_no_partys_colour(data):
    assert charts.HIGHLIGHT.lower() not in {c.lower() for c in data.parties["colour"]}


def _helper_charts(data) -> dict[str, object]:
    """Every chart helper's chart, for Akmola, built in the language in use."""
    from maslihat import history, maps, places
    from maslihat.names import localised, shown

    turnout = analysis.regional_turnout(data, "22:00")
    national = analysis.national_turnout_at(data, "22:00")
    every = places.seat_shares_by_place(data)
    by_region = analysis.seats_by_region(data)
    lists = analysis.party_list_summary(data)
    change = analysis.turnout_change(data)
    leading = every[every["party_code"] == "NO"].merge(places.turnout_by_place(data), on="place")
    seats = data.regional_seats.merge(data.parties[["party_code", "name"]])
    return {
        "seat_share_bars": charts.seat_share_bars(analysis.seat_shares(data, "Akmola"), data, "t",
                                                  "d"),
        "party_panels": charts.party_panels(seats, data, "region", list(seats["region"].unique()),
                                            "t", "d", outlined="Akmola"),
        "region_map": maps.region_map(turnout.rename(columns={"turnout_pct": "value"}), data,
                                      highlight="Akmola", title="t", legend_title="%",
                                      description="d"),
        "seat_share_chart": charts.seat_share_chart(analysis.seat_shares(data, "Akmola"), data,
                                                    "Akmola"),
        "regional_turnout_chart": charts.regional_turnout_chart(turnout, national, data, "Akmola",
                                                                "22:00"),
        "regional_seats_stacked": charts.regional_seats_stacked(data, "Akmola", "d"),
        "highlighted_bars": charts.highlighted_bars(localised(turnout), "region", "turnout_pct",
                                                    shown("Akmola"), "t", "x", "d"),
        "floor_dots": charts.floor_dots(localised(by_region), "region", "enp", shown("Akmola"),
                                        "t", "x", "d", floor=1.0),
        "grouped_party_bars": charts.grouped_party_bars(
            lists, data, {"list_share_pct": "lists", "seat_share_pct": "seats"}, "t", "x", "d"),
        "hemicycle": charts.hemicycle(analysis.seat_shares(data, "Akmola"), data, "t", "d"),
        "dumbbell": charts.dumbbell(localised(change[change["comparable"]]), "region",
                                    "turnout_pct_2021", "turnout_pct_next", ("2021", "2023"),
                                    shown("Akmola"), "t", "x", "d"),
        "turnout_history_chart": charts.turnout_history_chart(history.turnout_history(data), 2021,
                                                              "t", "d"),
        "party_bars": places.party_bars(every[every["place"] == "Akmola"], data, "seats", "t", "d"),
        "party_bars by place": places.party_bars(every[every["level"] == "city"], data, "seats",
                                                 "t", "d", by="place"),
        "party_bars of places": places.party_bars(every[every["party_code"] == "AJ"], data,
                                                  "share_pct", "t", "d", category="place"),
        "scatter": places.scatter(leading, "turnout_pct", "share_pct", "t", "d",
                                  highlight="Akmola"),
        "turnout_map": maps.turnout_map(data, "Akmola", "22:00"),
        "seat_share_map": maps.seat_share_map(data, "Akmola"),
        "party_maps": maps.party_maps(data, "Akmola"),
    }  # fmt: skip


def test_every_chart_builder_that_skips_altairs_checks_is_checked_here(data):
    """A builder marked checked_by_tests is not checked by Altair when a report shows its chart:
    each is built here and checked against the Vega-Lite schema (to_dict validates), and one
    marked without being built here fails."""
    built = _helper_charts(data)
    assert {name.split()[0] for name in built} == {b.__name__ for b in charts.CHECKED_BUILDERS}
    for chart in built.values():
        chart.to_dict()


FILLED_MARKS = re.compile(
    r'<g class="mark-(?:rect|symbol|shape|arc) role-mark[^"]*"[^>]*>(.*?)</g>', re.S
)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_chart_helper_colours_every_mark_in_kazakh_and_russian(data, lang):
    """Drawn by Vega (vl-convert): each bar, dot and shape has a colour (a fill, or the stroke of
    an outline); party bars have their party's colour, names in the language (a name the colour
    scale does not know would have none)."""
    import vl_convert

    from maslihat.i18n import language
    from maslihat.names import shown

    with language(lang):
        built = _helper_charts(data)
        party_colour = {shown(name): colour for name, colour
                        in zip(data.parties["name"], data.parties["colour"], strict=True)}
    for helper, chart in built.items():
        svg = vl_convert.vegalite_to_svg(chart.to_dict())
        marks = [m for g in FILLED_MARKS.findall(svg) for m in re.findall(r"<path[^>]*>", g)]
        assert marks, helper
        unfilled = [m for m in marks
                    if not re.search(r' (fill|stroke)="(?!none|transparent)[^"]+"', m)]
        assert not unfilled, f"{helper} in {lang}: {len(unfilled)} marks without a colour: " \
            f"{unfilled[:2]}"
        for mark in marks:  # a party's bar in its own colour, named in the report's language
            for name, colour in party_colour.items():
                if f"name: {name};" in mark and "graphics-symbol" in mark and "bar" in mark:
                    assert f'fill="{colour}"' in mark, (helper, name, mark)
