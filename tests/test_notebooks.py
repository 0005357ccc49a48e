"""The notebooks: committed clean, parameterised, and computing their prose from the data.

Expected figures are worked out here from the raw CSV files with the csv module, not with the
package under test.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from conftest import ROOT, edit_csv
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
    """Every Markdown output of an executed notebook, joined."""
    return "\n".join(
        out["data"]["text/markdown"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "text/markdown" in out.get("data", {})
    )


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
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.metadata.get("maslihat", {}).get("title")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "strip outputs"
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and re.search(r'^region = "All"', tagged[0].source, re.M)
    assert pm.inspect_notebook(str(path))["region"]["default"] == '"All"'


@pytest.mark.parametrize("path", NOTEBOOKS, ids=NAMES)
def test_no_figure_is_typed_into_the_prose(path: Path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert not re.search(r"\d", cell.source), f"typed number in: {cell.source!r}"


def test_there_are_four_notebooks():
    assert NAMES == ["00-briefing", "01-turnout", "02-party-lists", "03-seat-shares"]


REGIONS = ["All", "Almaty", "Turkistan"]


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
def test_seat_shares_notebook(tmp_path, region):
    text = prose(execute("03-seat-shares", tmp_path, region=region))
    seats = regional(None if region == "All" else region)
    total, nur_otan = sum(seats.values()), seats["NO"]
    assert f"{total} regional mäslihat seats were filled" in text
    assert f"Nur Otan won {nur_otan} of them (**{100 * nur_otan / total:.1f}%**)" in text
    if region == "All":
        assert "(**81.6%**)" in text and "489 regional" in text
    if region == "Almaty":
        assert "45 regional mäslihat seats" in text


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
def test_briefing_notebook(tmp_path, region):
    text = prose(execute("00-briefing", tmp_path, region=region))
    seats = regional(None if region == "All" else region)
    election = rows("election")[0]
    assert (
        f"{int(election['seats_for_election']):,} seats in {election['maslihats']} mäslihats"
        in text
    )
    assert f"**Regional seats**: {sum(seats.values())}" in text
    assert "3,749" not in text or region == "All"
    if region != "All":
        turnout = {
            r["region"]: float(r["turnout_pct"])
            for r in rows("turnout_by_region")
            if r["as_of"] == "22:00"
        }
        assert f"{turnout[region]:.1f}%" in text


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
def test_turnout_notebook(tmp_path, region):
    text = prose(execute("01-turnout", tmp_path, region=region))
    national = {r["turnout_id"]: float(r["turnout_pct"]) for r in rows("turnout_national")}
    assert f"**{national['local_final']:.2f}%**" in text
    assert f"**{national['mazhilis_final']:.2f}%**" in text
    voters = {r["measure"]: int(r["voters"]) for r in rows("voters")}
    assert f"{100 * voters['took_part'] / voters['registered']:.2f}%" in text
    if region != "All":
        at22 = {
            r["region"]: float(r["turnout_pct"])
            for r in rows("turnout_by_region")
            if r["as_of"] == "22:00"
        }
        assert f"**{region}**: {at22[region]:.1f}% at 22:00" in text


@pytest.mark.slow
@pytest.mark.parametrize("region", REGIONS)
def test_party_lists_notebook(tmp_path, region):
    text = prose(execute("02-party-lists", tmp_path, region=region))
    lists = {r["party_code"]: int(r["lists_registered"]) for r in rows("party_lists")}
    maslihats = int(rows("election")[0]["maslihats"])
    assert f"**{sum(lists.values())}** party lists" in text
    assert f"{lists['NO']} lists, {100 * lists['NO'] / maslihats:.1f}%" in text
    if region != "All":
        assert f"In **{region}** the {sum(regional(region).values())} regional seats" in text


@pytest.mark.slow
def test_notebooks_follow_a_corrected_data_file(tmp_path, data_copy, monkeypatch):
    """A corrected CSV changes the report: the prose is computed, not typed."""
    edit_csv(data_copy / "regional_seats.csv", "Almaty,NO,37", "Almaty,NO,38")
    edit_csv(data_copy / "regional_seat_totals.csv", "Almaty,45", "Almaty,46")
    monkeypatch.setenv("MASLIHAT_DATA_DIR", str(data_copy))
    text = prose(execute("03-seat-shares", tmp_path, region="Almaty"))
    assert "46 regional mäslihat seats" in text and "Nur Otan won 38 of them" in text


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_unknown_region_stops_at_the_top_with_the_valid_regions(tmp_path, name):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        execute(name, tmp_path, region="Atlantis")
    err = caught.value
    assert err.ename == "ParameterError"
    assert "unknown region 'Atlantis'" in err.evalue and "Valid regions: All, Aktobe" in err.evalue
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
