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
SHOWN_KEYWORDS = {"title", "x_title", "reference_label", "description"}


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
            if name == "table" or name.split(".")[0] in ("charts", "maps", "places"):
                found.append(ast.unparse(call)[:60])
    return found


def test_discarded_outputs_are_found():
    shown = "if x:\n    table(a, {}).display()\nelse:\n    say('no')\ntable(b, {})\n"
    assert discarded_outputs(shown) == []
    assert discarded_outputs("if x:\n    table(a, {})\n") == ["table(a, {})"]
    assert discarded_outputs("for r in rs:\n    charts.bars(r)\n") == ["charts.bars(r)"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_no_table_or_chart_is_built_and_not_shown(path: Path):
    nb = nbformat.read(path, as_version=4)
    lost = [found for cell in nb.cells if cell.cell_type == "code"
            for found in discarded_outputs(cell.source)]  # fmt: skip
    assert lost == [], f"built inside a block and never shown (add .display()): {lost}"


def test_there_are_four_notebooks():
    assert NAMES == ["00-briefing", "01-turnout", "02-party-lists", "03-seat-shares"]


REGIONS = ["All", "Almaty Region", "Turkistan"]


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
def test_seat_shares_notebook(tmp_path, region):
    text = prose(execute("03-seat-shares", tmp_path, region=region))
    seats = regional(None if region == "All" else region)
    total, nur_otan = sum(seats.values()), seats["NO"]
    share = f"({100 * nur_otan / total:.1f}%)**"
    if region == "All":
        lead = f"Kazakhstan's regional mäslihats, Nur Otan won {nur_otan} of the {total} seats"
    else:
        lead = f"In {region}, Nur Otan won {nur_otan} of the {total} seats of the regional mäslihat"
    assert lead in text
    assert share in text


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
def test_briefing_notebook(tmp_path, region):
    nb = execute("00-briefing", tmp_path, region=region)
    place = "Kazakhstan" if region == "All" else region
    text = prose(nb)
    seats = regional(None if region == "All" else region)
    counts = {
        (r["measure"], r["level"]): int(r["value"])
        for r in rows("maslihat_counts")
        if r["election_date"] == "2021-01-10" and r["status"] in ("official", "reported")
    }
    # the CEC's 216 mäslihats; the article's 214 is named as the article's, not used
    assert f"{counts[('seats', 'all')]:,} seats (" in text
    cec = "in 216 mäslihats (the Central Election Commission's count; the Wikipedia article "
    cec += "says 214)"
    assert cec in text
    assert f", {place}**: {sum(seats.values())}" in text
    # The lead's seats per party add up to more than the seats up for election: a national
    # finding, so the briefing's data-quality table shows it whatever the region.
    lead = [r for r in rows("local_results") if r["measure"] == "seats"]
    lead_total = sum(int(r["value"]) for r in lead if r["source_id"] == "wikipedia_local")
    assert lead_total != counts[("seats", "all")]
    assert f"{lead_total:,}" in html(nb)
    assert f"{lead_total:,}" not in text, "the inconsistent total is not given as a fact"
    assert "report a problem in the national figures" in text
    if region != "All":
        turnout = {
            r["region"]: float(r["turnout_pct"])
            for r in rows("turnout_by_region")
            if r["as_of"] == "22:00"
        }
        assert f"{turnout[region]:.1f}%" in text
        publisher, figures = national_at("22:00")
        both = " and ".join(f"{value}% in its {note}" for value, note in figures)
        assert f"against the national figure of the same count, {both} [" in text


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
def test_turnout_notebook(tmp_path, region):
    text = prose(execute("01-turnout", tmp_path, region=region))
    national = {r["turnout_id"]: float(r["turnout_pct"]) for r in rows("turnout_national")}
    assert f"**{national['local_2021']:.2f}%**" in text
    assert f"**{national['mazhilis_2021']:.2f}%**" in text
    voters = {
        r["measure"]: int(r["count"]) for r in rows("voters") if r["election_date"] == "2021-01-10"
    }
    ballots = voters["ballots_issued"]
    assert f"{ballots:,} ballots were issued" in text
    assert f"({100 * ballots / voters['registered']:.2f}%)" in text
    assert f"{100 * voters['valid_votes'] / voters['registered']:.2f}" not in text  # no turnout
    if region != "All":
        at22 = {
            r["region"]: float(r["turnout_pct"])
            for r in rows("turnout_by_region")
            if r["as_of"] == "22:00"
        }
        assert f"**{region}**: {at22[region]:.1f}% at 22:00" in text
    # the national figure of the source of the regional figures, both as it printed them
    publisher, figures = national_at("22:00")
    both = " and ".join(f"{value}% in its {note}" for value, note in figures)
    assert len(figures) == 2 and f"{publisher}'s report" in text and f"at {both} [" in text
    # each published figure for the end of the day once; the derived one is not among them
    closing = {
        float(r["turnout_pct"])
        for r in rows("turnout_national")
        if r["election_date"] == rows("election")[0]["election_date"]
        and r["as_of"] in ("final", "22:00")
    }
    assert f"publish {len(closing)} different national figures" in text
    assert "63.30%" not in text  # printed as published: 63.3%
    election_year = rows("election")[0]["election_date"][:4]
    next_year = rows("election")[0]["next_election_year"]
    assert f"compared with the {next_year} elections" in text
    # Almaty (city) and Shymkent published their own final figures: "no final regional figures"
    # would be untrue for them
    assert f"For {election_year} the data has final figures only for " in text
    assert "no final regional figures" not in text


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
    # the national chart: the end of polling day only (final, or the 22:00 count), so the 10:00
    # count (11.6%) does not stand among them; the sentence under it names the earlier counts
    spec = titled(nb, "National turnout at the close of polling day, by source")
    assert spec["title"]["subtitle"].startswith("Turnout (%), 10 January 2021")
    shown = next(v for v in spec["datasets"].values() if "turnout_pct" in v[0])
    closing = [
        float(r["turnout_pct"])
        for r in rows("turnout_national")
        if r["election_date"] == "2021-01-10" and r["as_of"] in ("final", "22:00")
    ]
    assert sorted(r["turnout_pct"] for r in shown) == sorted(closing)
    assert 11.6 not in {r["turnout_pct"] for r in shown}
    assert "11.6% at 10:00 and 63.1% at 20:00 [" in text
    # the comparison table: the other elections only (the chart shows 2021), by year then time
    # of count, and 2016's 77.12 once, the reader told it is also what the stated fall gives
    (comparison,) = [t for t in tables(nb) if ">Figure<" in t]
    figures = re.findall(r"<td[^>]*>(Mazhilis[^<]*)</td>", comparison)
    assert figures and not any(" 2021," in f for f in figures)
    years = [int(re.search(r" (\d{4}),", f)[1]) for f in figures]
    assert years == sorted(years)
    assert figures.index("Mazhilis and mäslihats 2023, as of 22:10 (Kazinform, election-night)") < (
        figures.index("Mazhilis 2023, final (Wikipedia (English), reported)")
    )
    assert len(re.findall(r">77\.12<", comparison)) == 1
    assert "derived from the stated change" not in comparison
    assert "Kazinform's 77.12% for the Mazhilis in 2016 [" in text
    # against 2023: all 14 comparable places fell, so "in all 14"; the regions whose borders
    # changed are not in the table but in a sentence of their own, after it
    places = change_rows()
    comparable = {r: v for r, v in places.items() if not v[2]}
    assert all(b < a for a, b, _ in comparable.values())
    assert f"In all {len(comparable)}, turnout was lower in 2023" in text
    assert f"In {len(comparable)} of them" not in text and "left out of the comparison" not in text
    (change,) = [t for t in tables(nb) if "Change (points)" in t]
    assert ">Comparable<" not in change
    listed = re.findall(r"<tr><td[^>]*>([^<]+)</td>", change)
    assert set(listed) == set(comparable)
    falls = [comparable[r][1] - comparable[r][0] for r in listed]
    assert falls == sorted(falls)
    apart = [r for r, v in places.items() if v[2]]
    assert apart and (
        "Not compared, because their borders changed in 2022: Almaty Region (73.5% in 2021, "
        "60.03% in 2023)"
    ) in text


@pytest.mark.slow
def test_a_charts_value_labels_stand_on_a_halo(tmp_path):
    nb = execute("01-turnout", tmp_path, region="All")
    spec = chart(nb, "Turnout by region at 22:00, 10 January 2021")
    marks = [layer["mark"] for layer in spec["layer"]]
    assert any(m["type"] == "text" and m.get("stroke") == "white" for m in marks)
    assert [m["type"] for m in marks].index("rule") < max(
        i for i, m in enumerate(marks) if m["type"] == "text" and m.get("stroke") == "white"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("region", "own"),
    [
        ("Akmola", None),
        ("Almaty (city)", "The city published its own final turnout: 30.25% ["),
        ("Shymkent", "The city published its own final turnout: 56.5% (348,644 of 617,027 "),
    ],
)
def test_a_place_report_leads_with_the_place(tmp_path, region, own):
    text = prose(execute("01-turnout", tmp_path, region=region))
    place = {"Shymkent": "Shymkent (city)"}.get(region, region)
    at22 = {
        r["region"]: r["turnout_pct"] for r in rows("turnout_by_region") if r["as_of"] == "22:00"
    }
    first = text.split("\n")[0]
    assert first.startswith(f"**{place}**: {float(at22[place]):.1f}% at 22:00, ")
    national = float(national_at("22:00")[1][0][0])
    gap = float(at22[place]) - national
    side = "above" if gap > 0 else "below"
    assert f"{abs(gap):.1f} points {side} the national {national:g}% of the same count" in first
    assert re.search(r"\[\d+\]; rank \d+ of 17 regions and cities by turnout\.$", first)
    # the national figures follow it, labelled national, not before it
    assert text.index(first) < text.index("**57.26%**")
    if own:
        assert own in text.split("\n")[1]
    else:
        assert "published its own final turnout" not in text


@pytest.mark.slow
def test_turnout_change_uses_the_latest_count_whatever_as_of(tmp_path):
    text = prose(execute("01-turnout", tmp_path, region="Akmola", as_of="10:00"))
    turnout = {(r["region"], r["as_of"]): r["turnout_pct"] for r in rows("turnout_by_region")}
    at10, at22 = turnout[("Akmola", "10:00")], turnout[("Akmola", "22:00")]
    night = float(turnout[("Akmola", "22:10")])  # 2023: election night, not final
    year, next_year = (
        rows("election")[0]["election_date"][:4],
        rows("election")[0]["next_election_year"],
    )
    assert f"**Akmola**: {at10}% at 10:00" in text
    assert (
        f"**Akmola**: {at22}% in {year} (22:00), {night:.2f}% in {next_year} "
        "(election-night count of 22:10)"
    ) in text
    assert f"{at10}% in {year}" not in text
    # at 10:00 the source of the regional figures gives one national figure
    publisher, figures = national_at("10:00")
    assert len(figures) == 1 and re.search(rf"at {figures[0][0]}% \[\d+\]\. Across", text)


@pytest.mark.slow
def test_party_lists_notebook_honours_seat_basis_and_highlights_parties_over(tmp_path):
    nb = execute("02-party-lists", tmp_path, region="All", seat_basis="regional")
    text = prose(nb)
    registered = [r for r in rows("party_lists") if r["measure"] == "registered"]
    lists = {r["party_code"]: int(r["lists"]) for r in registered}
    names = {r["party_code"]: r["name"] for r in rows("parties")}
    seats = regional()
    per_list = {code: seats.get(code, 0) / n for code, n in lists.items()}
    low, high = min(per_list, key=per_list.get), max(per_list, key=per_list.get)
    assert (
        f"Regional seats won per list registered ranged from {per_list[low]:.2f} "
        f"({names[low]}) to {per_list[high]:.2f} ({names[high]})"
    ) in text
    assert "Regional seats per list" in html(nb)
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
def test_no_party_with_more_lists_than_maslihats(tmp_path):
    text = prose(execute("02-party-lists", tmp_path, region="All"))
    assert "()" not in text
    assert "o party registered more lists than there are mäslihats" in text


@pytest.mark.slow
def test_a_party_with_more_lists_than_maslihats_is_named(tmp_path, data_copy, monkeypatch):
    edit_csv(
        data_copy / "party_lists.csv",
        "ADAL,registered,215,reported,wikipedia_local,Campaign section.",
        "ADAL,registered,218,reported,wikipedia_local,Campaign section.",
    )
    monkeypatch.setenv("MASLIHAT_DATA_DIR", str(data_copy))
    text = prose(execute("02-party-lists", tmp_path, region="All"))
    assert "Adal registered more lists than there are mäslihats (218 lists, 100.9%)" in text


@pytest.mark.slow
def test_notebooks_follow_a_corrected_data_file(tmp_path, data_copy, monkeypatch):
    """A corrected CSV changes the report: the prose is computed, not typed."""
    edit_csv(data_copy / "regional_seats.csv", "Almaty Region,NO,37", "Almaty Region,NO,38")
    edit_csv(data_copy / "regional_seat_totals.csv", "Almaty Region,45", "Almaty Region,46")
    monkeypatch.setenv("MASLIHAT_DATA_DIR", str(data_copy))
    text = prose(execute("03-seat-shares", tmp_path, region="Almaty Region"))
    assert "Nur Otan won 38 of the 46 seats of the regional mäslihat" in text


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
    share = f"{100 * nur_otan / total:.1f}%"
    lead = f"In Shymkent (city), Nur Otan won {nur_otan} of the {total} seats of the city's "
    lead += "mäslihat"
    assert lead in text
    assert share in text
    # a bare "Almaty" never stands for a place in a report
    assert not re.search(r"Almaty(?! Region| \(city\))", text)


@pytest.mark.slow
def test_a_citys_briefing_compares_it_with_the_other_cities_and_sources_every_finding(tmp_path):
    nb = execute("00-briefing", tmp_path, region="Almaty (city)")
    text = prose(nb)
    nur_sultan, shymkent = city_seats("Nur-Sultan (city)"), city_seats("Shymkent (city)")
    others = (f"{100 * nur_sultan['NO'] / sum(nur_sultan.values()):.1f}% in Nur-Sultan (city) and "
              f"{100 * shymkent['NO'] / sum(shymkent.values()):.1f}% in Shymkent (city)")
    assert f"its share was {others} [" in text
    assert "of all regional mäslihats" not in text.split("\n\n")[0]  # not a regional benchmark
    # the city published its mäslihat's votes: its key figure sets them against its seats
    share = next(r["value"] for r in rows("city_results") if r["region"] == "Almaty (city)"
                 and r["party_code"] == "NO" and r["measure"] == "vote_share_pct")  # fmt: skip
    key = f"Votes against seats, the city's mäslihat of Almaty (city)**: Nur Otan won {share}%"
    assert key in text
    # every finding of the data-quality table ends with the markers of the sources it compares
    findings = re.findall(r"<td[^>]*>([^<]*)</td>\s*</tr>", html(nb))
    assert findings and all(re.search(r"\[\d+(, \d+)*\]$", f.strip()) for f in findings)
    # the ballots-issued count the turnout finding uses comes from its own source, now listed
    ballots = next(r for r in rows("voters") if r["measure"] == "ballots_issued"
                   and r["election_date"] == "2021-01-10")  # fmt: skip
    publisher = {r["source_id"]: r["publisher"] for r in rows("sources")}[ballots["source_id"]]
    assert publisher in text.rpartition("\n1. ")[2]


@pytest.mark.slow
def test_published_city_votes_are_checked_against_the_seats(tmp_path):
    text = prose(execute("03-seat-shares", tmp_path, region="Almaty (city)"))
    seats = city_seats("Almaty (city)")
    assert "Hare largest remainder with the legal 7% threshold" in text
    assert "the published seats" in text and "not the published seats" not in text
    assert f"Nur Otan {seats['NO']}" in text
    assert "illustration, not a result" not in text  # the city's own votes exist


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
    # Prose, chart subtitles and tables (the data-quality findings end with their sources).
    markers = re.findall(r"\[([\d, ]+)\]", body + subtitles + html(nb))
    numbers = {int(n) for group in markers for n in group.split(",")}
    assert numbers and numbers == set(range(1, len(entries) + 1))
    addresses = {r["address"] for r in rows("sources") if r["address"]}
    for entry in entries:
        linked = re.findall(r"\]\((https://[^)]+)\)(?: \(the publisher's site[^)]*\))?$", entry)
        assert linked and linked[0] in addresses, entry
