"""`maslihat new`: a report notebook from the template, refused names, and a render of a new one."""

from __future__ import annotations

import csv

import nbformat
import papermill as pm
import pytest

from conftest import markdown_outputs
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
    declared = pm.inspect_notebook(str(path))
    assert declared["region"]["default"] == '"All"' and declared["lang"]["default"] == '"en"'
    setup = nb.cells[2].source
    for needed in ("enable_report_charts()", "load_all()", "resolve_region(region, data)"):
        assert needed in setup
    assert setup.index("lang = use_language(lang)") < setup.index("report_context(region)")
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


def test_every_word_of_the_template_is_a_translated_message():
    from maslihat.catalogs import untranslated
    from maslihat.scaffold import STARTER

    for lang in ("kk", "ru"):  # its placeholder title apart, which `maslihat new` replaces
        assert untranslated(STARTER, lang) == ["Title"], lang


@pytest.mark.slow
def test_a_new_report_renders_at_once_in_three_languages(tmp_path, capsys):
    from test_i18n import english_runs

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    assert main(["new", "04-party-shares", "--notebooks-dir", str(notebooks)]) == 0
    out = tmp_path / "reports"
    status = main(["render", "04-party-shares", "--notebooks-dir", str(notebooks),
                   "--region", "Қарағанды облысы", "--lang", "en", "kk", "ru",
                   "--format", "html", "--out", str(out)])  # fmt: skip
    printed = capsys.readouterr().out
    assert status == 0, printed
    # the one message no catalog can have: the new report's own title
    assert "WARNING 04-party-shares: messages without a translation (1 in Kazakh, 1 in " \
        "Russian) are printed in English in those reports: 'Party shares'." in printed
    with open(DATA_DIR / "regional_seats.csv", encoding="utf-8") as f:
        seats = {r["party_code"]: int(r["seats"]) for r in csv.DictReader(f)
                 if r["region"] == "Karaganda"}  # fmt: skip
    won, total = seats["NO"], sum(seats.values())
    pages = {lang: (out / f"04-party-shares--karaganda.{lang}.html").read_text(encoding="utf-8")
             for lang in ("en", "kk", "ru")}  # fmt: skip
    assert f"In the regional mäslihat of Karaganda, Nur Otan won {100 * won / total:.1f}% of the " \
        f"seats ({won} of {total})" in pages["en"]
    assert f"партия Nur Otan получила {100 * won / total:.1f} %".replace(".", ",") in \
        pages["ru"].replace("\u00a0", " ")
    assert f"Nur Otan партиясы {won} мандат алды" in pages["kk"].replace("\u00a0", " ")
    for lang, sources in (("kk", "Дереккөздер"), ("ru", "Источники")):
        assert f'<html lang="{lang}">' in pages[lang]
        assert english_runs(pages[lang], sources) == [], lang
    for page in pages.values():
        assert page.count('class="maslihat-chart') >= 3  # seats, every mäslihat, against turnout
    # the notebook's own region parameter takes the name as the reports print it
    ran = pm.execute_notebook(str(notebooks / "04-party-shares.ipynb"), str(tmp_path / "ran.ipynb"),
                              parameters={"region": "Карагандинская область", "lang": "ru"},
                              kernel_name="maslihat", progress_bar=False)  # fmt: skip
    assert markdown_outputs(tmp_path / "ran.ipynb").startswith("**Карагандинская область: ")
    assert ran.metadata.papermill.exception is None


def test_the_template_types_no_figure_into_its_prose():
    from test_notebooks import typed_figures

    from maslihat.scaffold import STARTER

    nb = nbformat.read(STARTER, as_version=4)
    for cell in nb.cells[1:]:
        if cell.cell_type == "markdown":
            assert not any(c.isdigit() for c in cell.source), cell.source
        elif "parameters" not in cell.metadata.get("tags", []):
            assert not typed_figures(cell.source), cell.source
