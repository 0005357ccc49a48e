"""The Kazakh and Russian names of the places and parties: complete, sourced, in the right script.

The tables are read through `validate`, which types every resource of datapackage.json (the
loader's `ElectionData` names only the tables the reports use so far).
"""

from __future__ import annotations

import re

import pytest

from maslihat.data import validate

LANGS = {"kk", "ru"}
# Names the parties themselves write in Latin letters, in Kazakh and Russian text alike.
LATIN_NAMES = ("Nur Otan", "ADAL")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")
# Letters of Kazakh that Russian lacks: a Kazakh name in the Russian column shows here.
KAZAKH_ONLY = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")


@pytest.fixture(scope="module")
def tables() -> dict:
    found, problems = validate()
    assert not problems, problems
    return found


def without_latin_names(name: str) -> str:
    for latin in LATIN_NAMES:
        name = name.replace(latin, "")
    return name


def test_every_place_has_a_kazakh_and_a_russian_name(tables):
    names = tables["place_names"]
    for region in tables["regions"]["region"]:
        assert set(names.loc[names["region"] == region, "lang"]) == LANGS, region
    assert set(names["region"]) == set(tables["regions"]["region"])
    assert not names.duplicated(["region", "lang"]).any()


def test_every_party_has_a_short_and_a_full_name_in_each_language(tables):
    names = tables["party_names"]
    codes = set(tables["parties"]["party_code"])
    used = {
        code
        for table in ("regional_seats", "city_results", "local_results", "party_lists")
        for code in tables[table]["party_code"]
    } | set(tables["mazhilis_results"]["party_code"].dropna())
    assert used <= codes
    for code in codes:
        rows = names[names["party_code"] == code]
        pairs = set(zip(rows["lang"], rows["form"], strict=True))
        assert pairs == {(lang, form) for lang in LANGS for form in ("short", "full")}, code
    assert not names.duplicated(["party_code", "lang", "form"]).any()


@pytest.mark.parametrize("table", ["place_names", "party_names"])
def test_every_name_is_given_and_cited(tables, table):
    names = tables[table]
    known = set(tables["sources"]["source_id"])
    for column in ("name", "printed", "source_id"):
        assert names[column].notna().all() and (names[column].str.strip() != "").all(), column
    assert set(names["source_id"]) <= known
    pages = tables["sources"].set_index("source_id")
    assert (pages.loc[names["source_id"], "kind"] == "page").all(), "a name is cited from a page"
    assert (names["name"] == names["name"].str.strip()).all()


@pytest.mark.parametrize("table", ["place_names", "party_names"])
def test_names_are_in_cyrillic_but_for_the_parties_latin_names(tables, table):
    for row in tables[table].itertuples():
        rest = without_latin_names(row.name)
        assert not LATIN.search(rest), (row.name, "Latin letters beyond " + ", ".join(LATIN_NAMES))
        for word in re.findall(r"\w+", row.name):
            assert not (CYRILLIC.search(word) and LATIN.search(word)), (row.name, "mixed script")
        if rest.strip("«» "):
            assert CYRILLIC.search(rest), row.name
        if row.lang == "ru":
            assert not KAZAKH_ONLY.search(row.name), (row.name, "Kazakh letters in a Russian name")


def test_place_names_are_wholly_cyrillic(tables):
    for row in tables["place_names"].itertuples():
        assert not LATIN.search(row.name), row.name


def test_kazakh_and_russian_names_differ_where_the_languages_do(tables):
    """A region is облысы in Kazakh and область in Russian; the capital in 2021 is Нұр-Сұлтан."""
    names = tables["place_names"].set_index(["region", "lang"])["name"]
    regions = tables["regions"].set_index("region")["kind"]
    for region, kind in regions.items():
        if kind == "region":
            assert names[region, "kk"].endswith(" облысы"), region
            assert "область" in names[region, "ru"], region
    assert names["Nur-Sultan (city)", "kk"] == "Нұр-Сұлтан"
    assert names["Nur-Sultan (city)", "ru"] == "Нур-Султан"
    assert names["Almaty (city)", "ru"] != names["Almaty Region", "ru"]


def test_prose_names_a_city_as_a_sentence_does():
    from maslihat.names import body_name, prose

    assert prose("Almaty (city)") == "the city of Almaty"  # Almaty Region shares the name
    assert prose("Shymkent (city)") == "Shymkent" and prose("Akmola") == "Akmola"
    assert prose("Nur Otan") == "Nur Otan"
    assert body_name("Akmola") == "the Akmola regional mäslihat"
    assert body_name("Almaty Region") == "the Almaty regional mäslihat"
    assert body_name("Shymkent (city)") == "the Shymkent city mäslihat"
    assert body_name("Shymkent (city)", start=True) == "The Shymkent city mäslihat"
    from maslihat.i18n import language

    with language("ru"):  # the official name with its forms, a capital when it opens a sentence
        opening = body_name("Almaty (city)", start=True)
        assert opening == "Маслихат города Алматы" and opening.form("gen").startswith("Маслихата")



# --- the mäslihats' names and the sources' publishers --------------------------------------------


def test_every_mäslihat_of_the_reports_has_its_name_in_each_language(tables):
    from maslihat.data import load_all
    from maslihat.params import ALL, valid_regions

    bodies = tables["body_names"].set_index(["region", "lang"])
    needed = {"en": ("nominative",), "kk": ("nominative", "genitive", "dative", "accusative",
              "locative", "ablative"), "ru": ("nominative", "genitive", "dative", "instrumental",
              "prepositional")}  # fmt: skip
    for place in valid_regions(load_all()):
        if place == ALL:
            continue
        for lang, forms in needed.items():
            row = bodies.loc[(place, lang)]
            assert all(isinstance(row[f], str) and row[f] for f in forms), (place, lang)
            if lang == "kk":  # a possessive noun: -ы, then -ының, -ына, -ын, -ында, -ынан
                assert row["nominative"].endswith("мәслихаты"), place
                assert row["locative"] == row["nominative"] + "нда", place
                assert not LATIN.search(row["nominative"]) and CYRILLIC.search(row["nominative"])
            if lang == "ru":
                assert "маслихат" in row["nominative"] and not KAZAKH_ONLY.search(row["genitive"])
                assert row["prepositional"].count("маслихате") == 1, place
            # the page prints the name in one of its forms; or the note says only its pattern is
            # sourced, or why the name differs from what the page prints
            printed, note = row["printed"].casefold(), str(row["note"])
            name_printed = any(isinstance(row.get(f), str) and row[f].casefold() in printed
                               for f in bodies.columns[:8])  # fmt: skip
            assert name_printed or note.startswith("Pattern only") or row["printed"] in note, (
                place, lang)


def test_a_translation_asks_a_mäslihats_name_for_its_case():
    from maslihat import i18n
    from maslihat.i18n import body_name

    with i18n.language("kk"):
        body = body_name("Akmola")
        in_body = i18n.fill("{body:loc} 32 мандат", body=body)
        assert in_body.startswith("Ақмола облыстық мәслихатында")
        assert i18n.fill("{body:attr}", body=body) == "Ақмола облыстық мәслихатындағы"
        assert body_name("Shymkent (city)", "gen") == "Шымкент қалалық мәслихатының"
    with i18n.language("ru"):
        in_body = i18n.fill("в {body:prep}", body=body_name("Almaty (city)"))
        assert in_body == "в маслихате города Алматы"
        assert body_name("Akmola") == "Акмолинский областной маслихат"
        with pytest.raises(ValueError, match="'loc' is not one of the ru forms"):
            i18n.fill("{body:gen} {body:loc}", body=body_name("Akmola"))
    with i18n.language("en"):
        assert f"the {body_name('Shymkent (city)')}" == "the Shymkent city mäslihat"
        with pytest.raises(KeyError, match="no en name of the mäslihat of 'All'"):
            body_name("All")
        with pytest.raises(KeyError, match="has no genitive form"):
            body_name("Akmola", "gen")


# Publishers' own names, in Latin letters in every language.
OWN_LATIN = re.compile(
    r"Kazinform|Trend|The Astana Times|Astana TV|IFES ElectionGuide|ANI|Kursiv|Kazakhstan Today|"
    r"Sputnik Kazakhstan|Elorda Info|IPU Parline|WikiZero|amCharts|Vlast\.kz|Ratel\.kz|"
    r"Kazlenta\.kz|Azattyq Rýhy|Dalanews|Informburo\.kz|Tengrinews\.kz|Almaty\.tv|Time\.kz|"
    r"Turantimes\.kz|\b[\w.-]+\.(?:kz|tv|news|in|az|net)\b|npm|COVID-19|Nur Otan|"
    r"@amcharts/amcharts4-geodata|kazakhstan(?:2023)?Low|ISO|CSTO|a\d+"
)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_source_list_has_no_english_of_ours(lang):
    # Our descriptions (the titles in brackets), the laws' titles and the publishers' names come
    # in the language; a page's own title stays as published; dates are never ISO.
    from maslihat import i18n
    from maslihat.data import load_all
    from maslihat.sources import Citations
    from maslihat.text import source_entry

    data = load_all()
    with i18n.language(lang):
        cite = Citations(data)
        cite(list(data.sources["source_id"]))
        for row in cite.cited().itertuples():
            own_title = row.kind != "law" and not row.title.startswith("[")
            shown = ("" if own_title else row.title) + " " + row.publisher
            assert not re.search(r"[A-Za-z]{3,}", OWN_LATIN.sub("", shown)), (row.source_id, shown)
            entry = source_entry(row.title, row.publisher, row.published, row.address)
            assert not re.search(r"\b\d{4}-\d{2}\b", entry.split("](")[0].split("[https")[0])
