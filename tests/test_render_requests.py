"""What a render makes of what it is asked: the languages a notebook is written in (an English-only
one in English, saying so; untranslated messages named), and parameters other than a notebook's
defaults named in the file name, the title block and the index.

The fixture notebooks of tests/fixtures/languages are small reports: `english` has no `lang`
parameter, `untranslated` prints a sentence no catalog has, `nolanguage` has a `lang` parameter but
never calls `use_language`. Tests marked slow run them in kernels and check them in Chromium.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from conftest import ROOT
from maslihat import exporters, render
from maslihat.cli import main
from maslihat.i18n import catalogs
from maslihat.render.inputs import language_notes, parameters_variant, plan_jobs, read_notebook

LANGUAGES = Path(__file__).parent / "fixtures" / "languages"
UNTRANSLATED = "A sentence that no catalog translates, about {region}."


def planned(notebook: Path, languages: tuple[str, ...], out: Path, regions=("All",), **params):
    read = {notebook.stem: read_notebook(notebook)}
    jobs = plan_jobs(read, list(regions), ("html",), params, out, 60.0, True, "v", languages)
    return read, jobs


def test_an_english_only_notebook_is_planned_in_english_alone_with_a_note(tmp_path):
    read, jobs = planned(LANGUAGES / "english.ipynb", ("en", "kk", "ru"), tmp_path)
    assert [job.name for job in jobs] == ["english--all.en"]  # never .kk or .ru
    (note,) = language_notes(("en", "kk", "ru"), read)
    assert note == ("NOTE english: no 'lang' parameter, so it is written in English only: "
                    "rendered in English, not in Kazakh or Russian (docs/writing-reports.md, "
                    "'In Kazakh and Russian': add lang and use_language)")  # fmt: skip
    assert language_notes(("en",), read) == []  # English asked for: nothing to say
    _read, kazakh = planned(LANGUAGES / "english.ipynb", ("kk",), tmp_path)
    assert [job.name for job in kazakh] == ["english--all.en"]


def test_untranslated_messages_are_named_and_make_messages_adds_them(tmp_path, monkeypatch):
    read, jobs = planned(LANGUAGES / "untranslated.ipynb", ("en", "ru"), tmp_path)
    assert [job.name for job in jobs] == ["untranslated--all.en", "untranslated--all.ru"]
    (warning,) = language_notes(("en", "ru"), read)
    # the title, the heading and the sentence; not '# Untranslated fixture' (left out of the
    # report), not 'Party' (translated)
    assert warning.startswith(
        "WARNING untranslated: messages without a translation (3 in Russian) are printed in "
        "English in those reports: 'Untranslated fixture'; '## Figures of the fixture'; 'A "
        "sentence that no catalog")
    assert "'Party'" not in warning and "Run `make messages`" in warning
    # `make messages` (catalogs.update) adds exactly those to the catalogs, to be translated
    for lang in ("kk", "ru"):
        copy = tmp_path / lang / "maslihat.po"
        copy.parent.mkdir()
        shutil.copy(catalogs.catalog_path(lang), copy)
    monkeypatch.setattr(catalogs, "catalog_path", lambda lang: tmp_path / lang / "maslihat.po")
    catalogs.update(notebooks_dir=LANGUAGES)
    added = {m.id for m in catalogs.read_catalog("ru") if m.id and not m.string}
    assert {"Untranslated fixture", "## Figures of the fixture", UNTRANSLATED} <= added
    assert catalogs.untranslated(LANGUAGES / "untranslated.ipynb", "kk") == [
        "Untranslated fixture", "## Figures of the fixture", UNTRANSLATED]  # fmt: skip


def test_parameters_other_than_the_defaults_name_the_report(tmp_path):
    turnout = ROOT / "notebooks" / "01-turnout.ipynb"
    _read, jobs = planned(turnout, ("en", "ru"), tmp_path, ["Akmola"], as_of="20:00")
    assert [job.name for job in jobs] == ["01-turnout--akmola--as-of-20-00.en",
                                          "01-turnout--akmola--as-of-20-00.ru"]  # fmt: skip
    _read, default = planned(turnout, ("en",), tmp_path, ["Akmola"], as_of="22:00")
    assert [job.name for job in default] == ["01-turnout--akmola.en"]  # the default: same file
    declared = {"threshold_pct": {"default": "None"}, "seat_basis": {"default": '"local"'}}
    assert parameters_variant({"threshold_pct": 5.5, "seat_basis": "local"}, declared) == (
        ("threshold_pct", 5.5),)  # fmt: skip
    assert render.report_name("03-seat-shares", "All", (("threshold_pct", 5.5),)) == \
        "03-seat-shares--all--threshold-pct-5-5"


def executed(parameters: dict, injected: dict) -> nbformat.NotebookNode:
    """A report notebook as papermill leaves it: its parameters cell and the injected values."""
    cells = [new_code_cell("\n".join(f"{k} = {v!r}" for k, v in parameters.items())),
             new_code_cell("\n".join(f"{k} = {v!r}" for k, v in injected.items())),
             new_code_cell("x", outputs=[new_output("display_data",
                                                    data={"text/markdown": "Text."})])]  # fmt: skip
    cells[0].metadata["tags"] = ["parameters"]
    cells[1].metadata["tags"] = ["injected-parameters"]
    return new_notebook(cells=cells, metadata={"maslihat": {"title": "Turnout"}})


def test_the_title_block_names_the_parameters_that_are_not_the_defaults():
    defaults = {"region": "All", "as_of": "22:00", "lang": "en"}
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(
        executed(defaults, {"region": "Akmola", "as_of": "20:00", "lang": "ru"}))
    assert ('<dt>Время данных о явке</dt><dd class="maslihat-parameter" '
            'data-parameter="as_of">20:00') in page
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(
        executed(defaults, {"region": "Akmola", "as_of": "22:00"}))
    assert "maslihat-parameter" not in page  # the defaults: nothing to name
    page, _ = exporters.ReportHTMLExporter().from_notebook_node(executed(
        {"region": "All", "seat_basis": "local"}, {"region": "All", "seat_basis": "regional"}))
    assert '<dt>Seats set against the lists</dt><dd class="maslihat-parameter" ' \
        'data-parameter="seat_basis">regional mäslihats</dd>' in page


def test_the_index_shows_each_variant_of_a_report(tmp_path):
    cache: dict = {}
    for variant in ((), (("as_of", "20:00"),)):
        job = render.ReportJob(
            notebook="01-turnout", path=tmp_path / "n.ipynb", region="Akmola", parameters={},
            formats=("html",), out_dir=tmp_path, key="k", title="Turnout", timeout=1.0,
            data_version="v", generated_at="2021-01-10T10:00:00+06:00", variant=variant,
        )  # fmt: skip
        result = render.ReportResult(job.name, job.notebook, job.region, job.title, "rendered")
        job.output("html").write_text("html")
        result.files["html"] = render.cache.fingerprint(job.output("html"))
        render.remember(cache, job, result)
    page = render.write_index(tmp_path, cache, [], "v", ["All", "Akmola"]).read_text()
    assert 'href="01-turnout--akmola.en.html"' in page
    assert 'href="01-turnout--akmola--as-of-20-00.en.html"' in page
    assert '<span class="maslihat-variant">Turnout as of: 20:00</span>' in page


@pytest.mark.slow
def test_english_only_and_untranslated_notebooks_render_in_every_language_asked(tmp_path,
                                                                               capsys):
    out = tmp_path / "reports"
    status = main(["render", "english", "untranslated", "--notebooks-dir", str(LANGUAGES),
                   "--lang", "en", "kk", "ru", "--format", "html", "--out", str(out)])
    printed = capsys.readouterr().out
    assert status == 0, printed
    made = sorted(p.name for p in out.glob("*.html") if not p.name.startswith("index"))
    assert made == ["english--all.en.html", "untranslated--all.en.html",
                    "untranslated--all.kk.html", "untranslated--all.ru.html"]  # fmt: skip
    assert "NOTE english: no 'lang' parameter, so it is written in English only" in printed
    assert "WARNING untranslated: messages without a translation (3 in Kazakh, 3 in Russian)" \
        in printed
    russian = (out / "untranslated--all.ru.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in russian and "Партия" in russian  # what is translated, is
    # Nothing changed: the same request is answered from the cache, with the same note.
    again = main(["render", "english", "untranslated", "--notebooks-dir", str(LANGUAGES),
                  "--lang", "en", "kk", "ru", "--format", "html", "--out", str(out)])
    printed = capsys.readouterr().out
    assert again == 0 and "0 rendered, 4 unchanged (cache)" in printed
    assert "NOTE english: no 'lang' parameter" in printed


@pytest.mark.slow
def test_a_notebook_that_never_uses_its_language_fails_rather_than_be_misnamed(tmp_path,
                                                                              capsys):
    out = tmp_path / "reports"
    status = main(["render", "nolanguage", "--notebooks-dir", str(LANGUAGES), "--lang", "en",
                   "ru", "--format", "html", "--out", str(out)])
    printed = capsys.readouterr().out
    assert status == 1
    assert ("FAILED nolanguage--all.ru while running the notebook: the notebook was given "
            "lang='ru' but wrote its report in 'en': call `lang = use_language(lang)`") in printed
    assert (out / "nolanguage--all.en.html").exists()
    assert not (out / "nolanguage--all.ru.html").exists()


@pytest.mark.slow
def test_two_renders_with_other_parameters_keep_both_reports(tmp_path, capsys):
    fixtures = Path(__file__).parent / "fixtures" / "notebooks"
    out = tmp_path / "reports"
    ask = ["render", "parameters", "--notebooks-dir", str(fixtures), "--book", "--out", str(out)]
    assert main(ask) == 0 and main([*ask, "-p", "threshold_pct=5"]) == 0
    assert (out / "book.en.pdf").exists()  # each its own election book too
    assert (out / "book--threshold-pct-5.en.pdf").exists()
    default = (out / "parameters--all.en.html").read_text(encoding="utf-8")
    other = (out / "parameters--all--threshold-pct-5.en.html").read_text(encoding="utf-8")
    assert "threshold 7.0" in default and "threshold 5" in other
    assert "maslihat-parameter" not in default
    assert '<dt>Threshold (%)</dt><dd class="maslihat-parameter" ' \
        'data-parameter="threshold_pct">5</dd>' in other
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="parameters--all.en.html"' in index
    assert 'href="parameters--all--threshold-pct-5.en.html"' in index
    capsys.readouterr()
    assert main([*ask, "-p", "threshold_pct=5"]) == 0
    printed = capsys.readouterr().out
    assert "0 rendered, 1 unchanged (cache)" in printed
    assert "book (unchanged): " in printed and "book--threshold-pct-5.en.pdf" in printed
