"""The notebooks: committed clean, parameterised, and computing their prose from the data.

Expected figures are worked out here from the raw CSV files with the csv module, not with the
package under test.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from conftest import ROOT, edit_csv
from maslihat import clean
from maslihat.data import DATA_DIR
from maslihat.xref import FIGURE_METADATA

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NAMES = [p.stem for p in NOTEBOOKS]


def rows(table: str) -> list[dict[str, str]]:
    with open(DATA_DIR / f"{table}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def regional(region: str | None = None) -> dict[str, int]:
    """Regional seats per party code, for one region or all, straight from the CSV."""
    out: dict[str, int] = {}
    for r in rows("regional_seats"):
        if region in (None, r["region"]):
            out[r["party_code"]] = out.get(r["party_code"], 0) + int(r["seats"])
    return out


def prose(nb: nbformat.NotebookNode) -> str:
    """Every Markdown output of an executed notebook, joined, as a reader sees it.

    Text from the data is written with every ASCII punctuation mark backslash-escaped (so that
    none acts as Markdown); the escapes are removed here, as a Markdown renderer removes them.
    """
    text = "\n".join(
        out["data"]["text/markdown"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "text/markdown" in out.get("data", {})
    )
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def html(nb: nbformat.NotebookNode) -> str:
    """Every HTML output (the tables) of an executed notebook, joined."""
    return "\n".join(
        out["data"]["text/html"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "text/html" in out.get("data", {})
    )


def chart(nb: nbformat.NotebookNode, title: str) -> dict:
    """The Vega-Lite spec of the chart with this title in an executed notebook."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for mime, spec in out.get("data", {}).items():
                if mime.startswith("application/vnd.vegalite") and spec.get("title") == title:
                    return spec
    raise AssertionError(f"no chart titled {title!r}")


def national_at(as_of: str) -> tuple[str, list[tuple[str, str]]]:
    """Publisher and (figure as printed, passage) of the source of the regional figures."""
    sources = {r["source_id"] for r in rows("turnout_by_region") if r["as_of"] == as_of}
    (source,) = sources
    publisher = {r["source_id"]: r["publisher"] for r in rows("sources")}[source]
    figures = [
        (r["turnout_pct"], r["note"])
        for r in rows("turnout_national")
        if r["as_of"] == as_of and r["source_id"] == source
    ]
    return publisher, figures


def execute(name: str, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    out = tmp_path / f"{name}-{parameters.get('region', 'All')}.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / f"{name}.ipynb"),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(ROOT / "notebooks"),
    )
    return nbformat.read(out, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_notebook_is_committed_clean_and_parameterised(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name in {"python3", "maslihat"}  # maslihat: `make lab`'s kernel
    assert nb.metadata.get("maslihat", {}).get("title")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert clean.main([str(path), "--verify"]) == 0, (
        f"{path.name} has outputs, execution counts or volatile metadata that nbstripout removes: "
        f"run `{clean.FIX}` and commit the result"
    )
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and re.search(r'^region = "All"', tagged[0].source, re.M)
    assert pm.inspect_notebook(str(path))["region"]["default"] == '"All"'


def test_make_strip_cleans_what_lab_and_papermill_leave(tmp_path):
    path = tmp_path / "saved.ipynb"
    nb = nbformat.read(ROOT / "notebooks" / "03-seat-shares.ipynb", as_version=4)
    ids = [c.id for c in nb.cells]
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.execution_count = 3
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi")]
    code.metadata["jupyter"] = {"outputs_hidden": True}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.2", "mimetype": "x"}
    nb.metadata["papermill"] = {"duration": 1.5}
    nbformat.write(nb, path)
    assert clean.main([str(path), "--verify"]) == 1
    assert clean.main([str(path)]) == 0
    assert clean.main([str(path), "--verify"]) == 0
    stripped = nbformat.read(path, as_version=4)
    first = next(c for c in stripped.cells if c.cell_type == "code")
    assert not first.outputs and first.execution_count is None and "jupyter" not in first.metadata
    assert stripped.metadata.language_info == {"name": "python"}
    assert "papermill" not in stripped.metadata and stripped.metadata.kernelspec
    assert [c.id for c in stripped.cells] == ids  # ids kept: diffs show only real edits
    assert "parameters" in stripped.cells[1].metadata.tags


# Keyword arguments whose text a reader sees: chart titles, axis titles, labels, descriptions.
SHOWN_KEYWORDS = {"title", "subtitle", "x_title", "reference_label", "description", "caption"}


def string_literals(node: ast.AST) -> list[str]:
    """The string literals of an expression, leaving out f-string format specs such as '.1f'."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else []
    if isinstance(node, ast.FormattedValue):
        return string_literals(node.value)
    return [s for child in ast.iter_child_nodes(node) for s in string_literals(child)]


def shown_literals(source: str) -> list[str]:
    """Text typed in a code cell that ends up in front of the reader.

    Everything passed to say(...), the titles, labels and descriptions passed to any call (the
    charts), and the column headers passed to table(...).
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name == "say":
            found += string_literals(node)
            continue
        for keyword in node.keywords:
            if keyword.arg in SHOWN_KEYWORDS:
                found += string_literals(keyword.value)
        if name == "table" and len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
            found += [s for value in node.args[1].values for s in string_literals(value)]
    return found


# Digits that are part of a definition, not a figure from the data: a unit ("per 100") and the
# effective-number formula and its reading ("1/Σ", "near 1"). Placeholders ({g2}) are names.
DEFINITIONS = re.compile(r"per 100 |1/Σ|near 1\b|\{[^{}]*\}")


def typed_figures(source: str) -> list[str]:
    """The shown strings of a code cell that contain a digit outside the definitions above."""
    return [s for s in shown_literals(source) if re.search(r"\d", DEFINITIONS.sub("", s))]


def test_shown_literals_finds_typed_figures():
    source = (
        'say("Lower in 2023 ({x})", x=f"since {y:.1f}")\n'
        'chart(d, title=f"Turnout, 10 January {year}", x_title="%")\n'
        'table(t, {"a": "2023", "b": f"{year} ({as_of})"}, {"a": ".2f"})\n'
    )
    assert typed_figures(source) == ["Lower in 2023 ({x})", "Turnout, 10 January ", "2023"]
    assert typed_figures('say("{g2} per 100 lists, near 1", g2=x)') == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_no_figure_is_typed_into_the_prose(path: Path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert not re.search(r"\d", cell.source), f"typed number in: {cell.source!r}"
        elif cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            typed = typed_figures(cell.source)
            assert not typed, f"typed figures in {path.name}: {typed}"


def discarded_outputs(source: str) -> list[str]:
    """Tables, charts and maps built inside an `if`, a loop or a `with` and never shown: a cell
    shows only its last top-level expression, so these need `.display()`."""
    found = []
    for block in ast.walk(ast.parse(source)):
        if not isinstance(block, ast.If | ast.For | ast.While | ast.With | ast.Try):
            continue
        body = [*block.body, *getattr(block, "orelse", []), *getattr(block, "finalbody", [])]
        for statement in body:
            call = statement.value if isinstance(statement, ast.Expr) else None
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            name = func.id if isinstance(func, ast.Name) else (
                f"{func.value.id}.{func.attr}" if isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name) else "")  # fmt: skip
            if name in ("table", "figure") or name.split(".")[0] in ("charts", "maps", "places"):
                found.append(ast.unparse(call)[:60])
    return found


def test_discarded_outputs_are_found():
    shown = "if x:\n    table(a, {}).display()\nelse:\n    say('no')\ntable(b, {})\n"
    assert discarded_outputs(shown) == []
    assert discarded_outputs("if x:\n    table(a, {})\n") == ["table(a, {})"]
    assert discarded_outputs("for r in rs:\n    charts.bars(r)\n") == ["charts.bars(r)"]
    assert discarded_outputs("if x:\n    figure(c, source=s)\n") == ["figure(c, source=s)"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_no_table_or_chart_is_built_and_not_shown(path: Path):
    nb = nbformat.read(path, as_version=4)
    lost = [found for cell in nb.cells if cell.cell_type == "code"
            for found in discarded_outputs(cell.source)]  # fmt: skip
    assert lost == [], f"built inside a block and never shown (add .display()): {lost}"


def test_there_are_four_notebooks():
    assert NAMES == ["00-briefing", "01-turnout", "02-party-lists", "03-seat-shares"]


REGIONS = ["All", "Almaty Region", "Turkistan"]


def half_up(value: float, digits: int = 1) -> str:
    """A figure rounded as the reports round it: halves up (63.25 → 63.3)."""
    from decimal import ROUND_HALF_UP, Decimal

    return str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))


def infobox_seats() -> dict[str, int]:
    """Seats in all mäslihats per party code: the infobox's regional plus municipal members."""
    out: dict[str, int] = {}
    for r in rows("local_results"):
        if r["measure"] in ("regional_members", "municipal_members"):
            out[r["party_code"]] = out.get(r["party_code"], 0) + int(r["value"])
    return out


def party_name(code: str) -> str:
    return {r["party_code"]: r["name"] for r in rows("parties")}[code]


def body(region: str) -> str:
    """A mäslihat as the prose names it."""
    if region.endswith(" (city)"):
        return f"the {region.removesuffix(' (city)')} city mäslihat"
    return f"the {region.removesuffix(' Region')} regional mäslihat"


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
def test_seat_shares_notebook(tmp_path, region):
    text = prose(execute("03-seat-shares", tmp_path, region=region))
    seats = regional(None if region == "All" else region)
    total, nur_otan = sum(seats.values()), seats["NO"]
    share = f"({100 * nur_otan / total:.1f}%)**"
    if region == "All":
        lead = f"**In the regional mäslihats, Nur Otan won {nur_otan} of the {total} seats"
    else:
        lead = f"**Nur Otan won {nur_otan} of the {total} seats of {body(region)}"
    assert lead in text
    assert share in text
    if region == "All":  # the methods checked on the Mazhilis's own votes and seats
        assert "reproduces the seats won with Hare largest remainder" in text
    assert "illustration" not in text and "Seats of Kazakhstan" not in text


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
def test_briefing_notebook(tmp_path, region):
    nb = execute("00-briefing", tmp_path, region=region)
    text = prose(nb)
    body_text, _, appendix = text.partition("checks of these figures")
    seats = infobox_seats()
    total = sum(seats.values())
    ranked = sorted(seats, key=seats.get, reverse=True)
    first, second, third = ranked[:3]
    if region == "All":
        # the whole election first: every mäslihat seat, the runner-up named
        assert text.startswith(
            f"**{party_name(first)} won {seats[first]:,} of the {total:,} seats of Kazakhstan's "
            f"mäslihats ({100 * seats[first] / total:.1f}%)**"
        )
        assert (f"{party_name(second)} came second with {seats[second]} seats, just ahead of "
                f"{party_name(third)} with {seats[third]}") in text
        (results_table,) = [t for t in tables(nb) if "Mazhilis seats" in t]
        for code, n in seats.items():
            assert f">{n:,}<" in results_table, code
        assert f">{total:,}<" in results_table  # the total row
        # the same-day Mazhilis as a result: Auyl's local seats against none in the Mazhilis
        assert f"{party_name(second)}, second in the mäslihats with {seats[second]} seats, won " \
            "no seat in the Mazhilis (5.29%)" in text
        # votes that won nothing: 5.29 + 3.57 of the Mazhilis's valid votes; Adal's near miss
        wasted = "In the Mazhilis, 8.9% of the valid votes went to lists under the 7% threshold"
        assert wasted in text
        assert "The nearest miss was Adal in the city of Almaty: 6.79%, 0.21 points short" in text
        # change since 2016
        assert "75.2% of the candidates (5,931 of 7,885) were self-nominated" in text
        assert "Turnout fell from 77.1% in 2016 to 63.3% in 2021 and 54.2% in 2023" in text
    else:
        won = regional(region)
        n = sum(won.values())
        assert text.startswith(
            f"**Nur Otan won {won['NO']} of the {n} seats of {body(region)} "
            f"({100 * won['NO'] / n:.1f}%)**, "
        )
        assert "The national briefing has the full result" in text
        turnout = {r["region"]: float(r["turnout_pct"]) for r in rows("turnout_by_region")
                   if r["as_of"] == "22:00"}  # fmt: skip
        assert f"Turnout at 22:00 on polling day was {turnout[region]:.1f}%" in text
    # the audit's wording stays in the data-quality appendix: the figures the sources dispute
    # are not given as facts in the body
    lead = [r for r in rows("local_results") if r["measure"] == "seats"]
    lead_total = sum(int(r["value"]) for r in lead if r["source_id"] == "wikipedia_local")
    assert f"{lead_total:,}" in appendix and f"{lead_total:,}" not in body_text
    assert "sentence" not in body_text and "infobox" not in body_text


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
def test_turnout_notebook(tmp_path, region):
    nb = execute("01-turnout", tmp_path, region=region)
    text = prose(nb)
    national = {r["turnout_id"]: float(r["turnout_pct"]) for r in rows("turnout_national")}
    at22 = {r["region"]: float(r["turnout_pct"]) for r in rows("turnout_by_region")
            if r["as_of"] == "22:00"}  # fmt: skip
    if region == "All":
        # the news first: the official figure, the fall since 2016, the lowest place
        assert text.startswith(
            f"**Turnout was {half_up(national['mazhilis_2021'])}% in the joint Mazhilis and "
            "mäslihat vote of 10 January 2021**, the official figure, down from "
            f"{half_up(national['mazhilis_2016'])}% at the previous elections in 2016; it fell "
            f"again to {half_up(national['wiki_2023'])}% in 2023"
        )
        low = min(at22, key=at22.get)
        assert f"it was lowest in the city of Almaty ({at22[low]:.1f}%)" in text
    else:
        first = text.split("\n")[0]
        assert first.startswith(f"**Turnout in {region} was {at22[region]:.1f}% at 22:00")
    voters = {
        r["measure"]: int(r["count"]) for r in rows("voters") if r["election_date"] == "2021-01-10"
    }
    assert f"(ballots issued: {voters['ballots_issued']:,}; registered voters: " \
        f"{voters['registered']:,})" in text
    corrections = text.index("\n- **2.")  # the corrections list: what was withdrawn, and why
    assert f"{100 * voters['valid_votes'] / voters['registered']:.2f}" not in text[:corrections]
    # each published figure for the end of the day once, in the appendix's table
    closing = {
        float(r["turnout_pct"])
        for r in rows("turnout_national")
        if r["election_date"] == "2021-01-10" and r["as_of"] in ("final", "22:00")
    }
    assert f"The sources give {len(closing)} national figures for the end of polling day" in text
    assert "63.30%" not in text  # printed as published: 63.3%


def tables(nb: nbformat.NotebookNode) -> list[str]:
    """The HTML tables of an executed notebook, one string each."""
    return ["<table" + part for part in html(nb).split("<table")[1:]]


def titled(nb: nbformat.NotebookNode, text: str) -> dict:
    """The Vega-Lite spec of the chart whose title (with or without subtitle) is this text."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for mime, spec in out.get("data", {}).items():
                title = spec.get("title") if mime.startswith("application/vnd.vegalite") else None
                if title == text or (isinstance(title, dict) and title.get("text") == text):
                    return spec
    raise AssertionError(f"no chart titled {text!r}")


def change_rows() -> dict[str, tuple[float, float, bool]]:
    """Region → (2021 at 22:00, 2023 at 22:10, borders changed), from the CSV files."""
    at = {(r["region"], r["as_of"]): float(r["turnout_pct"]) for r in rows("turnout_by_region")}
    changed = {r["region"]: r["boundaries_changed_2022"] == "true" for r in rows("regions")}
    return {
        region: (at[(region, "22:00")], at[(region, "22:10")], changed[region])
        for (region, as_of) in at
        if as_of == "22:00" and (region, "22:10") in at
    }


@pytest.mark.slow
def test_turnout_notebook_for_the_country_shows_each_figure_once_in_order(tmp_path):
    nb = execute("01-turnout", tmp_path, region="All")
    text = prose(nb)
    # the appendix's table: every national figure, by year then time of count; 2016's 77.12
    # once, the reader told it is also what the stated fall gives
    (comparison,) = [t for t in tables(nb) if ">Figure<" in t]
    figures = re.findall(r"<td[^>]*>((?:Mazhilis|Mäslihats)[^<]*)</td>", comparison)
    years = [int(re.search(r" (\d{4}),", f)[1]) for f in figures]
    assert figures and years == sorted(years)
    assert len(re.findall(r">77\.12<", comparison)) == 1
    sources = re.findall(r"<td[^>]*>([^<]*)</td>\s*<td[^>]*>[^<]*</td>\s*</tr>", comparison)
    assert len(sources) == len(figures) and all(re.search(r"\[\d+\]$", s) for s in sources)
    # against 2023: all 14 comparable places fell, so "in all 14"; the regions whose borders
    # changed are not in the chart but in a sentence of their own
    places = change_rows()
    comparable = {r: v for r, v in places.items() if not v[2]}
    assert all(b < a for a, b, _ in comparable.values())
    assert f"turnout fell in all {len(comparable)} regions and cities whose borders" in text
    spec = titled(nb, "Turnout fell almost everywhere between 2021 and 2023")
    shown = next(v for v in spec["datasets"].values() if "turnout_pct_2021" in v[0])
    assert {r["region"] for r in shown} == set(comparable)
    apart = [r for r, v in places.items() if v[2]]
    almaty = places["Almaty Region"]
    assert apart and (
        "Not compared, because their borders changed in 2022: Almaty Region "
        f"({half_up(almaty[0])}% in 2021, {half_up(almaty[1])}% in 2023)"
    ) in text


@pytest.mark.slow
def test_a_charts_value_labels_stand_on_a_backdrop(tmp_path):
    nb = execute("01-turnout", tmp_path, region="All")
    spec = chart(nb, "Turnout by region at 22:00, 10 January 2021")
    marks = [layer["mark"] for layer in spec["layer"]]
    assert not any(m["type"] == "text" and m.get("stroke") for m in marks)
    backdrops = [i for i, m in enumerate(marks)
                 if m["type"] == "point" and m.get("fill") == "white"]
    assert backdrops and [m["type"] for m in marks].index("rule") < min(backdrops)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("region", "rank", "own"),
    [
        ("Akmola", "the 4th-highest turnout of the 17 regions and cities", None),
        ("Shymkent", "the highest turnout of the three cities",
         "By the city's own final count, turnout was 56.5%: 348,644 of 617,027 "),
    ],
)
def test_a_place_report_leads_with_the_place(tmp_path, region, rank, own):
    text = prose(execute("01-turnout", tmp_path, region=region))
    place = {"Shymkent": "Shymkent (city)"}.get(region, region)
    at22 = {
        r["region"]: float(r["turnout_pct"])
        for r in rows("turnout_by_region") if r["as_of"] == "22:00"
    }  # fmt: skip
    first = text.split("\n")[0]
    named = place.removesuffix(" (city)")
    assert first.startswith(f"**Turnout in {named} was {at22[place]:.1f}% at 22:00 on polling day")
    national = float(national_at("22:00")[1][0][0])
    gap = at22[place] - national
    side = "above" if gap > 0 else "below"
    assert f"{abs(gap):.1f} points {side} the national figure at the same count ({national:g}%)" \
        in first
    # the rank the CSV gives: among all 17 places, or, for a city, first of the three cities
    above = sum(v > at22[place] for v in at22.values())
    cities = [r["region"] for r in rows("regions") if r["kind"] == "city"]
    if "three cities" in rank:
        assert all(at22[c] <= at22[place] for c in cities)
    else:
        assert rank == f"the {above + 1}th-highest turnout of the 17 regions and cities"
    assert first.endswith(f": {rank} [{first.rpartition('[')[2]}")
    if own:
        assert own in text.split("\n")[1]
    else:
        assert "own final count" not in text


@pytest.mark.slow
def test_turnout_change_uses_the_latest_count_whatever_as_of(tmp_path):
    text = prose(execute("01-turnout", tmp_path, region="Akmola", as_of="10:00"))
    turnout = {(r["region"], r["as_of"]): r["turnout_pct"] for r in rows("turnout_by_region")}
    at10, at22 = turnout[("Akmola", "10:00")], turnout[("Akmola", "22:00")]
    night = float(turnout[("Akmola", "22:10")])  # 2023: election night, not final
    assert f"**Turnout in Akmola was {at10}% at 10:00" in text
    assert f"Akmola: {at22}% in 2021, {half_up(night)}% in 2023" in text


@pytest.mark.slow
def test_party_lists_notebook_honours_seat_basis(tmp_path):
    nb = execute("02-party-lists", tmp_path, region="All", seat_basis="regional")
    text = prose(nb)
    registered = [r for r in rows("party_lists") if r["measure"] == "registered"]
    lists = {r["party_code"]: int(r["lists"]) for r in registered}
    names = {r["party_code"]: r["name"] for r in rows("parties")}
    seats = regional()
    votes = {r["party_code"]: float(r["value"]) for r in rows("local_results")
             if r["measure"] == "vote_share_pct" and r["source_id"] == "wikizero_local"}
    # the fair-share benchmark is the vote, not the lists
    gap = {c: 100 * seats.get(c, 0) / sum(seats.values()) - votes[c] for c in votes}
    gained = max(gap, key=gap.get)
    assert f"{names[gained]} won more of the regional seats" in text
    assert ">Regional seats<" in html(nb)
    maslihats = next(
        int(r["value"])
        for r in rows("maslihat_counts")
        if (r["measure"], r["level"], r["status"]) == ("maslihats", "all", "official")
    )
    spec = chart(nb, "Party lists per 100 mäslihats")
    shown = next(rows for rows in spec["datasets"].values() if "name" in rows[0])
    coverage = {r["name"]: r["coverage_pct"] for r in shown}
    assert coverage == pytest.approx({names[c]: 100 * n / maslihats for c, n in lists.items()})
    assert not any(r["chosen"] for r in shown), "no party has more lists than the 216 mäslihats"


@pytest.mark.slow
def test_party_lists_for_a_place_say_they_are_national(tmp_path):
    text = prose(execute("02-party-lists", tmp_path, region="Akmola"))
    assert text.startswith("Party lists are counted for the whole country only")
    assert "Akmola" not in text


@pytest.mark.slow
def test_a_party_with_more_lists_than_maslihats_is_highlighted(tmp_path, data_copy, monkeypatch):
    edit_csv(
        data_copy / "party_lists.csv",
        "ADAL,registered,215,reported,wikipedia_local,Campaign section.",
        "ADAL,registered,218,reported,wikipedia_local,Campaign section.",
    )
    monkeypatch.setenv("MASLIHAT_DATA_DIR", str(data_copy))
    nb = execute("02-party-lists", tmp_path, region="All")
    shown = next(rows for rows in chart(nb, "Party lists per 100 mäslihats")["datasets"].values()
                 if "name" in rows[0])  # fmt: skip
    assert [r["name"] for r in shown if r["chosen"]] == ["Adal"]


@pytest.mark.slow
def test_notebooks_follow_a_corrected_data_file(tmp_path, data_copy, monkeypatch):
    """A corrected CSV changes the report: the prose is computed, not typed."""
    edit_csv(data_copy / "regional_seats.csv", "Almaty Region,NO,37", "Almaty Region,NO,38")
    edit_csv(data_copy / "regional_seat_totals.csv", "Almaty Region,45", "Almaty Region,46")
    monkeypatch.setenv("MASLIHAT_DATA_DIR", str(data_copy))
    text = prose(execute("03-seat-shares", tmp_path, region="Almaty Region"))
    assert "Nur Otan won 38 of the 46 seats of the Almaty regional mäslihat" in text


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_unknown_region_stops_at_the_top_with_the_valid_regions(tmp_path, name):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        execute(name, tmp_path, region="Atlantis")
    err = caught.value
    assert err.ename == "ParameterError"
    assert "unknown region 'Atlantis'" in err.evalue
    assert "Valid regions: All, Akmola, Aktobe" in err.evalue  # the country, then A-Z
    executed = nbformat.read(tmp_path / f"{name}-Atlantis.ipynb", as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    failing = next(
        i for i, c in enumerate(code) if any(o.output_type == "error" for o in c.outputs)
    )
    tags = [c.metadata.get("tags", []) for c in code]
    assert "injected-parameters" in tags[failing - 1], "fails in the first cell after parameters"


@pytest.mark.slow
def test_wrong_typed_parameter_names_the_parameter(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        execute("03-seat-shares", tmp_path, region="All", threshold_pct="seven")
    assert "threshold_pct" in caught.value.evalue and "str" in caught.value.evalue
    with pytest.raises(pm.PapermillExecutionError) as caught:
        execute("01-turnout", tmp_path, region=7)
    assert "must be text" in caught.value.evalue and "Valid regions" in caught.value.evalue


def city_seats(city: str) -> dict[str, int]:
    """A city mäslihat's seats per party code, from the data's CSV."""
    return {
        r["party_code"]: int(float(r["value"]))
        for r in rows("city_results")
        if r["region"] == city and r["measure"] == "seats"
    }


@pytest.mark.slow
def test_a_city_is_a_place_with_its_own_mäslihat(tmp_path):
    text = prose(execute("00-briefing", tmp_path, region="Shymkent"))
    seats = city_seats("Shymkent (city)")
    total, nur_otan = sum(seats.values()), seats["NO"]
    lead = f"**Nur Otan won {nur_otan} of the {total} seats of the Shymkent city mäslihat "
    lead += f"({100 * nur_otan / total:.1f}%)**"
    assert text.startswith(lead)
    # a place is named as prose names it: never the data's key, never a bare "Almaty"
    assert "(city)" not in text.partition("checks of these figures")[0]
    sources = text.rindex("\n1. ")  # publishers such as inAlmaty.kz are named as they are
    assert not re.search(r"(?<!city of )Almaty(?! Region| regional| city)", text[:sources])


@pytest.mark.slow
def test_a_citys_briefing_leads_with_its_rank_and_its_votes(tmp_path):
    nb = execute("00-briefing", tmp_path, region="Almaty (city)")
    text = prose(nb)
    seats = city_seats("Almaty (city)")
    shares = {p: s["NO"] / sum(s.values()) for p, s in
              {**{r: regional(r) for r in {x["region"] for x in rows("regional_seats")}},
               **{c: city_seats(c) for c in ("Almaty (city)", "Shymkent (city)",
                                             "Nur-Sultan (city)")}}.items()}  # fmt: skip
    assert min(shares, key=shares.get) == "Almaty (city)"
    assert text.startswith(
        f"**Nur Otan won {seats['NO']} of the {sum(seats.values())} seats of the Almaty city "
        f"mäslihat ({100 * seats['NO'] / sum(seats.values()):.1f}%)**, Nur Otan's lowest share "
        "of the 17 regional and city mäslihats and one of two mäslihats, with Karaganda, where 4 "
        "parties won seats"
    )
    assert "\nThe city of Almaty had the lowest turnout of the 17 regions and cities (30.3% at " \
        "22:00)" in text
    # the city published its mäslihat's votes: its results table sets them beside its seats
    share = next(r["value"] for r in rows("city_results") if r["region"] == "Almaty (city)"
                 and r["party_code"] == "NO" and r["measure"] == "vote_share_pct")  # fmt: skip
    (results,) = [t for t in tables(nb) if "Votes (%)" in t]
    assert f">{share}<" in results
    # every data-quality finding ends with the markers of the sources it compares
    after = text.partition("do not add up, in these:")[2].strip().splitlines()
    # the findings: the bullets up to the corrections section's, which open with a version
    findings = after[: next(i for i, line in enumerate(after)
                            if not line.startswith("- ") or line.startswith("- **"))]  # fmt: skip
    assert findings and all(re.search(r"\[\d+(, \d+)*\]$", line) for line in findings)


@pytest.mark.slow
def test_published_city_votes_are_checked_against_the_seats(tmp_path):
    text = prose(execute("03-seat-shares", tmp_path, region="Almaty (city)"))
    seats = city_seats("Almaty (city)")
    assert "allocating its 39 seats by largest remainders with a 7% threshold on the valid votes" \
        in text
    assert "the published seats" in text and "not the published seats" not in text
    assert f"Nur Otan {seats['NO']}" in text
    shares = {r["party_code"]: float(r["value"]) for r in rows("city_results")
              if r["region"] == "Almaty (city)" and r["measure"] == "vote_share_pct"}
    under = [code for code, share in shares.items() if share < 7]
    assert under == ["ADAL"]  # one list under the threshold: named once, with how short it fell
    short = 7 - shares["ADAL"]
    assert f"Under the threshold: Adal ({shares['ADAL']:.2f}%), {short:.2f} points short." in text
    assert "the nearest" not in text


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_marker_points_into_the_numbered_source_list(tmp_path, name):
    nb = execute(name, tmp_path, region="Almaty Region")
    text = prose(nb)
    body, _, listed = text.rpartition("\n1. ")
    entries = ("1. " + listed).splitlines()
    # A map cites its geometry in its subtitle, beside the attribution the licence asks for.
    subtitles = json.dumps([
        out["data"][mime].get("title", {}).get("subtitle")
        for cell in nb.cells for out in cell.get("outputs", [])
        for mime in out.get("data", {}) if mime.startswith("application/vnd.vegalite")
        and isinstance(out["data"][mime].get("title"), dict)
    ])  # fmt: skip
    # Every chart and table has a source line (a table whose rows name their sources has its
    # Source column instead), every table a caption.
    for out in (out for cell in nb.cells for out in cell.get("outputs", [])):
        fig = out.get("metadata", {}).get(FIGURE_METADATA) or {}
        if any(mime.startswith("application/vnd.vegalite") for mime in out.get("data", {})):
            assert fig.get("source"), f"a chart without a source line: {fig}"
        if "text/csv" in out.get("data", {}):
            header = next(csv.reader(out["data"]["text/csv"].splitlines()))
            assert fig.get("caption") and (fig.get("source") or "Source" in header), header
    # The source lines under figures and tables.
    lines = json.dumps([
        out.get("metadata", {}).get(FIGURE_METADATA, {}).get("source")
        for cell in nb.cells for out in cell.get("outputs", [])
    ])  # fmt: skip
    # Prose, chart subtitles, source lines and tables (the data-quality findings end with their
    # sources).
    markers = re.findall(r"\[([\d, ]+)\]", body + subtitles + lines + html(nb))
    numbers = {int(n) for group in markers for n in group.split(",")}
    assert numbers and numbers == set(range(1, len(entries) + 1))
    addresses = {r["address"] for r in rows("sources") if r["address"]}
    for entry in entries:
        linked = re.findall(r"\]\((https://[^)]+)\)(?: \(the publisher's site[^)]*\))?$", entry)
        assert linked and linked[0] in addresses, entry
