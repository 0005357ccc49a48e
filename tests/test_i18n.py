"""Languages: complete catalogs, CLDR numbers and dates, plural forms, and reports in kk and ru."""

from __future__ import annotations

import os
import re
import subprocess
import time
from datetime import date
from html.parser import HTMLParser

import pytest

from maslihat import catalogs, i18n
from maslihat.i18n.forms import CASES
from maslihat.params import ParameterError, use_language
from maslihat.text import num, pct, pts

PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")  # {n}, or {n:acc} asking for a form


@pytest.fixture(autouse=True)
def english_after():
    yield
    i18n.use("en")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_message_of_the_package_and_notebooks_is_translated(lang):
    missing = catalogs.missing(lang)
    assert not missing, (
        f"{len(missing)} messages have no {lang} translation (run `make messages`, then translate "
        f"them in {i18n.catalog_path(lang)}): {missing[:5]}"
    )


def message_literals(source: str, calls: tuple[str, ...]) -> set[str]:
    """The first string argument of every call to one of `calls`, however deeply nested (read
    from the syntax tree here, not by the extractor under test)."""
    import ast

    return {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        and node.func.id in calls and node.args and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }  # fmt: skip


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_message_inside_another_call_is_translated_too(lang):
    # `say("… {regions} …", regions=_("{region} ({a} in {then} …)"))`: Babel's extractor missed
    # the inner message, so Russian reports printed "(73,5 % in 2021, …)".
    import json

    from conftest import ROOT

    known = {m.id if isinstance(m.id, str) else m.id[0]
             for m in catalogs.read_catalog(lang) if m.id and m.string}  # fmt: skip
    found = set()
    for path in (ROOT / "src" / "maslihat").rglob("*.py"):
        found |= message_literals(path.read_text(encoding="utf-8"), ("_", "N_", "n_"))
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                found |= message_literals("".join(cell["source"]), ("_", "N_", "n_", "say", "md"))
    assert "{region} ({a} in {then}, {b} in {later})" in found
    assert sorted(found - known) == []


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_translations_keep_the_placeholders_and_markdown_of_their_message(lang):
    for message in catalogs.read_catalog(lang):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        names = {name for name, _spec in PLACEHOLDER.findall(ids[0])}
        for text in strings:
            found = PLACEHOLDER.findall(text)
            assert {name for name, _spec in found} == names, message.id
            # a form the language has (Kazakh cases, Russian cases of a name)
            assert {spec for _name, spec in found if spec} <= set(CASES[lang]), message.id
            assert text.count("**") == ids[0].count("**"), message.id
            assert text.lstrip().startswith("#") == ids[0].lstrip().startswith("#"), message.id


def test_numbers_percentages_and_dates_follow_each_language():
    expected = {
        "en": ("3,246", "57.26%", "10 January 2021", "+2.0"),
        "ru": ("3\u00a0246", "57,26\u00a0%", "10 января 2021\u00a0года", "+2,0"),
        "kk": ("3\u00a0246", "57,26%", "2021\u00a0жылғы 10\u00a0қаңтар", "+2,0"),
    }
    for lang, (count, share, day, change) in expected.items():
        i18n.use(lang)
        assert num(3246) == count
        assert pct(57.26, 2) == share
        assert i18n.long_date(date(2021, 1, 10)) == day
        assert pts(2.0).startswith(change)


def test_russian_plural_forms_come_from_the_catalog_rules():
    i18n.use("ru")
    plural = i18n.translations("ru").plural  # the catalog's Plural-Forms
    assert [plural(n) for n in (1, 2, 5, 11, 21, 22, 25)] == [0, 1, 2, 2, 0, 1, 2]
    i18n.use("kk")
    assert [i18n.translations("kk").plural(n) for n in (1, 2, 5)] == [0, 1, 1]


def test_a_count_picks_the_form_of_the_word_in_each_language():
    singular = "{seats} of {total} seat of the regional mäslihat"
    plural = "{seats} of {total} seats of the regional mäslihat"
    said = {}
    for lang in ("en", "ru"):
        i18n.use(lang)
        said[lang] = {n: i18n.n_(singular, plural, n, seats=1, total=n) for n in (1, 21, 22, 25)}
    assert said["en"][1].startswith("1 of 1 seat ") and said["en"][21].startswith("1 of 21 seats")
    assert "21\u00a0места" in said["ru"][21] and "22\u00a0мест" in said["ru"][22]
    assert "25\u00a0мест" in said["ru"][25] and "1\u00a0места" in said["ru"][1]


def test_an_unknown_language_is_refused_with_the_languages():
    listed = r"'de'.*en \(English\), kk \(Kazakh\), ru \(Russian\)"
    with pytest.raises(ParameterError, match=listed):
        use_language("de")
    assert i18n.current() == "en"


def test_names_of_places_and_parties_come_from_the_data():
    from maslihat.names import shown

    i18n.use("ru")
    assert shown("Almaty Region") != "Almaty Region" and "область" in shown("Almaty Region")
    assert shown("Nur Otan") == "Nur Otan"  # the party writes its name in Latin letters
    assert shown("not a name") == "not a name"
    i18n.use("en")
    assert shown("Almaty Region") == "Almaty Region"


# --- slow: reports rendered in Kazakh and Russian ------------------------------------------------

KAZAKH_LETTERS = "әғқңөұүһі"
# Latin words a Kazakh or Russian report may print: party names the parties write in Latin
# letters, publishers and titles of sources, file formats and the data version.
LATIN_ALLOWED = re.compile(
    r"Nur Otan|ADAL|Wikipedia \(English\)(, mirror)?|Kazinform|TASS|WikiZero|Kursiv|Astana TV|"
    r"Turantimes\.kz|Vlast\.kz|amCharts \(amcharts\.com\)|CSV|SVG|PNG|UTC|https?://\S+"
)


class _Text(HTMLParser):
    """The visible text of a report page, without its scripts, styles and source list."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def english_runs(page: str, sources_heading: str) -> list[str]:
    """Runs of three or more Latin words outside the source list: English left in a report."""
    parser = _Text()
    parser.feed(page)
    text = " ".join(parser.parts)
    if sources_heading in text:
        text = text[: text.rindex(sources_heading)]  # the sources keep their own titles
    text = LATIN_ALLOWED.sub(" ", text)
    return re.findall(r"[A-Za-z][a-z']+(?:[\s,.:;()-]+[A-Za-z][a-z']+){2,}", text)


@pytest.fixture(scope="module")
def translated(tmp_path_factory):
    from maslihat.render import render_reports

    out = tmp_path_factory.mktemp("translated")
    summary = render_reports(
        ["00-briefing", "03-seat-shares"], ["Turkistan"], languages=["kk", "ru"], out_dir=out,
        progress=False,
    )  # fmt: skip
    assert summary.ok, summary.describe()
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "sources"), [("kk", "Дереккөздер"), ("ru", "Источники")])
@pytest.mark.parametrize("notebook", ["00-briefing", "03-seat-shares"])
def test_a_translated_report_has_no_english_sentence(translated, notebook, lang, sources):
    page = (translated / f"{notebook}--turkistan.{lang}.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    assert english_runs(page, sources) == []
    assert "Туркестан" in page or "Түркістан" in page  # the place's own name in the language


def latin_words(page: str, lang: str) -> list[str]:
    """Words in Latin letters in a report's visible text that are not names: not a party's name
    (Nur Otan, ADAL), not a publisher's name or a page's own title as the source list prints them
    in the language, not an address, a file format or a time zone."""
    from maslihat.data import load_all
    from maslihat.names import shown

    data = load_all()
    names = data.source_names[data.source_names["lang"] == lang].set_index("source_id")
    with i18n.language(lang):
        parties = [shown(name) for name in data.parties["name"]]
    own = [*parties, "UTC", "CSV", "PNG", "SVG", "PDF", "HTML", "amcharts.com", "amCharts"]
    for row in data.sources.itertuples():
        own.append(names["publisher"].get(row.source_id) if row.source_id in names.index
                   and isinstance(names["publisher"].get(row.source_id), str) else row.publisher)
        title = names["title"].get(row.source_id) if row.source_id in names.index else None
        own.append(title if isinstance(title, str) else row.title)
    parser = _Text()
    parser.feed(page)
    text = re.sub(r"https?://\S+", " ", re.sub(r"\s+", " ", " ".join(parser.parts)))
    for name in sorted(own, key=len, reverse=True):
        text = text.replace(re.sub(r"\s+", " ", name), " ")
    text = re.sub(r"\b[\w.-]+\.(?:kz|com|org|net|tv|news|in|az)\b|\b[0-9a-f]{10}\b", " ", text)
    return re.findall(r"[A-Za-z][A-Za-z'-]*", text)


def test_the_latin_check_spares_names_publishers_and_addresses_only():
    page = (
        "<html><p>Nur\u00a0Otan — 26 мандатов; ADAL; лицензия linkware (amcharts.com)</p>"
        "<p>[Сообщение о миссии ОДКБ]. ТАСС, 11.01.2021. https://tass.com/world/1243281</p>"
        "<p>2021 Kazakh local elections. Wikipedia (English). Kazinform; данные 2.2.0 "
        "(128433f1da)</p></html>"
    )
    # the page's own title stays; our 'Wikipedia (English)' is англоязычная Википедия and
    # Kazinform is Казинформ in Russian (data/source_names.csv)
    assert latin_words(page, "ru") == ["linkware", "Wikipedia", "English", "Kazinform"]
    assert "Kazinform" not in latin_words(page, "kk")  # Kazakh text writes it as it does


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("notebook", ["00-briefing", "03-seat-shares"])
def test_a_translated_report_has_no_latin_word_but_names(translated, notebook, lang):
    page = (translated / f"{notebook}--turkistan.{lang}.html").read_text(encoding="utf-8")
    assert latin_words(page, lang) == []


@pytest.mark.slow
def test_the_kazakh_pdf_keeps_the_kazakh_letters(translated):
    text = subprocess.run(
        ["pdftotext", str(translated / "00-briefing--turkistan.kk.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    page = (translated / "00-briefing--turkistan.kk.html").read_text(encoding="utf-8")
    written = set(KAZAKH_LETTERS) & set(page.lower())
    assert len(written) >= 7, written  # the report is written in Kazakh letters...
    assert written <= set(text.lower()), written - set(text.lower())  # ...and its PDF keeps them
    assert "Қысқаша шолу" in text  # the title, translated
    from pypdf import PdfReader

    assert PdfReader(translated / "00-briefing--turkistan.kk.pdf").trailer["/Root"]["/Lang"] == "kk"


@pytest.mark.slow
def test_the_index_offers_each_report_in_each_language(translated):
    index = (translated / "index.html").read_text(encoding="utf-8")
    for lang in ("kk", "ru"):
        assert f'href="00-briefing--turkistan.{lang}.pdf"' in index
    assert "Қазақша" in index and "Русский" in index
    # The same index in each language of the folder's reports, each linking the others.
    russian = (translated / "index.ru.html").read_text(encoding="utf-8")
    assert '<html lang="ru">' in russian and 'href="index.kk.html"' in russian
    assert 'href="00-briefing--turkistan.kk.pdf"' in russian
    assert english_runs(russian.replace("maslihat render", ""), "\uffff") == []
    assert 'href="index.ru.html"' in (translated / "index.kk.html").read_text(encoding="utf-8")


def test_the_english_check_finds_english_and_spares_names_and_sources():
    page = (
        "<html><p>Nur Otan ADAL Kazinform TASS</p><p>Явка выросла; turnout was higher.</p>"
        "<script>var not_text = 'hidden words here';</script>"
        "<h2>Источники</h2><p>Kazakh CEC announces voter turnout results.</p></html>"
    )
    assert english_runs(page, "Источники") == ["turnout was higher"]


@pytest.mark.slow
def test_a_kept_kernel_starts_every_report_in_english_and_is_kept_after_a_russian_one(tmp_path):
    import nbformat

    from maslihat.render import render_reports

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.metadata["language_info"] = {"name": "python"}
    parameters = nbformat.v4.new_code_cell('region = "All"\nlang = "en"')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [
        parameters,
        nbformat.v4.new_code_cell(
            "import os\nfrom maslihat import i18n\n"
            "print(f'before: {i18n.current()}; kernel {os.getpid()}')\n"
            "i18n.use(lang)\nprint(i18n._('yes'))"
        ),
    ]
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nb, tmp_path / "notebooks" / "speaks.ipynb")
    summary = render_reports(
        ["speaks"], ["All", "Akmola"], languages=["en", "ru"], formats=["html"], jobs=1,
        out_dir=tmp_path / "out", notebooks_dir=tmp_path / "notebooks", progress=False,
    )  # fmt: skip
    assert summary.ok, summary.describe()
    printed = {}
    for executed in (tmp_path / "out" / "executed").glob("*.ipynb"):
        cell = nbformat.read(executed, as_version=4).cells[-1]
        printed[executed.stem] = "".join(o.get("text", "") for o in cell.outputs)
    assert len(printed) == 4
    assert all(text.startswith("before: en;") for text in printed.values()), printed
    assert {text.split()[-1] for name, text in printed.items()} == {"yes", "да"}
    kernels = {re.search(r"kernel (\d+)", text).group(1) for text in printed.values()}
    assert len(kernels) == 1, printed  # a report in Russian does not cost a new kernel


def test_charts_write_names_and_numbers_in_the_reports_language():
    from maslihat import analysis, charts
    from maslihat.data import load_all
    from maslihat.display import with_number_locale

    data = load_all()
    i18n.use("ru")
    turnout = analysis.regional_turnout(data, "22:00")
    spec = with_number_locale(
        charts.regional_turnout_chart(
            turnout, analysis.national_turnout_at(data, "22:00"), data, "Akmola", "22:00"
        ).to_dict()
    )
    values = [row for rows in spec["datasets"].values() for row in rows]
    regions = {row["region"] for row in values if "region" in row}
    assert "Акмолинская область" in regions and "Akmola" not in regions
    assert [row["chosen"] for row in values if row.get("region") == "Акмолинская область"] == [True]
    assert spec["title"].startswith("Явка по регионам на 22:00")
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    i18n.use("en")
    assert with_number_locale({})["config"]["locale"]["number"]["decimal"] == "."


def test_a_changed_name_table_is_read_again(data_copy, monkeypatch):
    from maslihat.data import DATA_DIR_ENV, election_day
    from maslihat.names import shown

    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))
    i18n.use("ru")
    before = shown("Akmola")
    table = data_copy / "place_names.csv"
    table.write_text(table.read_text(encoding="utf-8").replace(before, "Акмола (тест)"), "utf-8")
    os.utime(table, ns=(time.time_ns(), time.time_ns() + 10**9))  # a later modification time
    assert shown("Akmola") == "Акмола (тест)"
    assert election_day(data_copy) == date(2021, 1, 10)


def test_a_context_tells_two_senses_of_one_english_word_apart():
    # The title block's "Region" names any place, the country too (Аумақ / Территория); a table's
    # "Region" is an oblast (Өңір / Регион). English prints the word either way.
    extracted = catalogs.messages()
    assert extracted.get("Region", context="title block") is not None
    said = {}
    for lang in ("en", "kk", "ru"):
        with i18n.language(lang):
            said[lang] = (i18n.p_("title block", "Region"), i18n._("Region"))
    assert said["en"] == ("Region", "Region")
    assert said["kk"] == ("Аумақ", "Өңір") and said["ru"] == ("Территория", "Регион")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_translated_report_spells_out_each_abbreviation_once_at_its_first_mention(
    translated, lang
):
    from maslihat.i18n.abbreviations import abbreviations

    page = (translated / f"03-seat-shares--turkistan.{lang}.html").read_text(encoding="utf-8")
    prose = " ".join(re.findall(r"<p>(.*?)</p>", page, flags=re.S))  # the running text
    prose = re.sub(r"<[^>]+>", "", prose).replace("\u00a0", " ").replace("\u2011", "-")
    with i18n.language(lang):
        known = abbreviations(lang)
    mentioned = [short for short in known if re.search(rf"(?<![\w-]){short}(?!\w)", prose)]
    assert mentioned  # the party of the People's Party, at least
    for short in mentioned:
        first = re.search(rf"(?<![\w-]){short}(?:-\w+)? \(", prose)
        assert first and prose[first.end():].startswith(known[short]), (short, prose[:300])
        assert prose.count(known[short]) == 1, short
