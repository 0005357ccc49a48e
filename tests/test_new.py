"""`maslihat new`: a report notebook from the template, refused names, and a render of a new one."""

from __future__ import annotations

import csv

import nbformat
import papermill as pm
import pytest

from maslihat import clean
from maslihat.cli import main
from maslihat.data import DATA_DIR


def test_new_creates_a_clean_parameterised_report_with_its_title(tmp_path, capsys):
    assert main(["new", "04-city-seats", "--title", "Seats of the cities", "--description",
                 "Seats of the three city mäslihats.",
                 "--notebooks-dir", str(tmp_path)]) == 0  # fmt: skip
    path = tmp_path / "04-city-seats.ipynb"
    assert f"created {path}" in capsys.readouterr().out
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.maslihat.title == "Seats of the cities"
    assert nb.metadata.maslihat.description == "Seats of the three city mäslihats."
    assert nb.cells[0].source == "# Seats of the cities"
    assert nb.metadata.kernelspec.name == "maslihat"
    assert pm.inspect_notebook(str(path))["region"]["default"] == '"All"'
    setup = nb.cells[2].source
    for needed in ("enable_report_charts()", "load_all()", "resolve_region(region, data)"):
        assert needed in setup
    assert clean.main([str(path), "--verify"]) == 0  # committed as it is created


def test_new_takes_the_title_from_the_name_by_default(tmp_path):
    assert main(["new", "05-turnout-by-hour", "--notebooks-dir", str(tmp_path)]) == 0
    nb = nbformat.read(tmp_path / "05-turnout-by-hour.ipynb", as_version=4)
    assert nb.metadata.maslihat.title == "Turnout by hour"


def test_new_refuses_an_existing_notebook_and_leaves_it(tmp_path, capsys):
    existing = tmp_path / "03-seat-shares.ipynb"
    existing.write_text("mine", encoding="utf-8")
    assert main(["new", "03-seat-shares", "--notebooks-dir", str(tmp_path)]) == 2
    assert "03-seat-shares.ipynb already exists: choose another NAME" in capsys.readouterr().err
    assert existing.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("name", ["Bad Name", "../escape", "_hidden", ".dot", "a/b", "", "Über"])
def test_new_refuses_a_name_that_is_not_a_slug(tmp_path, capsys, name):
    assert main(["new", name, "--notebooks-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"NAME {name!r} is not a valid report name" in err
    assert "lower-case letters a-z, digits and hyphens" in err
    assert not list(tmp_path.iterdir())


def test_new_refuses_an_empty_title_and_a_missing_folder(tmp_path, capsys):
    assert main(["new", "x", "--title", "  ", "--notebooks-dir", str(tmp_path)]) == 2
    assert "--title must be one line of text" in capsys.readouterr().err
    assert main(["new", "x", "--notebooks-dir", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err


@pytest.mark.slow
def test_a_new_report_renders_at_once(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    assert main(["new", "04-city-seats", "--notebooks-dir", str(notebooks)]) == 0
    out = tmp_path / "reports"
    status = main(["render", "04-city-seats", "--notebooks-dir", str(notebooks),
                   "--region", "Akmola", "--format", "html", "--out", str(out)])  # fmt: skip
    assert status == 0, capsys.readouterr()
    page = (out / "04-city-seats--akmola.en.html").read_text(encoding="utf-8")
    with open(DATA_DIR / "regional_seats.csv", encoding="utf-8") as f:
        akmola = {r["party_code"]: int(r["seats"]) for r in csv.DictReader(f)
                  if r["region"] == "Akmola"}  # fmt: skip
    assert f"Nur Otan won {akmola['NO']} of the {sum(akmola.values())} regional" in page
    assert "City seats" in page and "Akmola" in page
    assert page.count('class="maslihat-chart') >= 2


def test_the_template_types_no_figure_into_its_prose():
    from test_notebooks import typed_figures

    from maslihat.scaffold import STARTER

    nb = nbformat.read(STARTER, as_version=4)
    for cell in nb.cells[1:]:
        if cell.cell_type == "markdown":
            assert not any(c.isdigit() for c in cell.source), cell.source
        elif "parameters" not in cell.metadata.get("tags", []):
            assert not typed_figures(cell.source), cell.source
