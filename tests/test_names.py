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
        assert opening == "Маслихат города Алматы"
        # a translation that moves the name into the sentence keeps its other forms as written
        assert opening.form("acc") == "маслихат города Алматы"
        assert opening.form("gen") == "маслихата города Алматы"



# --- the places' grammatical forms ---------------------------------------------------------------

KK_CASES = ("genitive", "dative", "accusative", "locative", "ablative", "instrumental")
RU_CASES = ("genitive", "dative", "accusative", "instrumental", "prepositional")
# Kazakh possessive nouns (облысы, қаласы) take the pronominal н: облысының, облысына, облысын.
KK_POSSESSIVE = {"genitive": "ның", "dative": "на", "accusative": "н", "locative": "нда",
                 "ablative": "нан", "instrumental": "мен"}  # fmt: skip
# Russian feminine adjective + область: Акмолинская область → Акмолинской области.
RU_OBLAST = {"genitive": "ой области", "dative": "ой области", "accusative": "ую область",
             "instrumental": "ой областью", "prepositional": "ой области"}  # fmt: skip


def test_every_place_has_its_cases_in_kazakh_and_russian(tables):
    forms = tables["place_forms"].set_index(["region", "lang"])
    names = tables["place_names"].set_index(["region", "lang"])["name"]
    assert set(forms.index) == set(names.index)
    for (place, lang), row in forms.iterrows():
        name = row["nominative"]
        if lang == "kk" and name.endswith(("облысы", "қаласы")):
            assert all(row[c] == name + KK_POSSESSIVE[c] for c in KK_CASES), place
        elif lang == "kk":  # a bare name: its suffixes by vowel harmony and its last sound
            assert name == names[place, lang]
            expected = {"genitive": "gen", "dative": "dat", "accusative": "acc", "locative": "loc",
                        "ablative": "abl", "instrumental": "ins"}  # fmt: skip
            from maslihat.i18n.kazakh import with_case

            assert all(row[c] == with_case(name, expected[c]) for c in KK_CASES), place
        else:
            assert name == names[place, lang]
            assert not KAZAKH_ONLY.search(" ".join(row[list(RU_CASES)])), place
            if name.endswith("ая область"):
                stem = name.removesuffix("ая область")
                assert all(row[c] == stem + RU_OBLAST[c] for c in RU_CASES), place
            assert all(isinstance(row[c], str) and row[c] for c in RU_CASES), place
        if isinstance(row["printed"], str):  # the page prints one of the forms
            assert any(str(f) in row["printed"] for f in row[list(KK_CASES + RU_CASES)]
                       if isinstance(f, str)), (place, lang)  # fmt: skip
            assert isinstance(row["source_id"], str), (place, lang)
        else:
            assert isinstance(row["note"], str), (place, lang)  # how the forms are made


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_place_declines_the_name_a_sentence_gives_it(tables, lang):
    from maslihat import i18n
    from maslihat.names import prose

    forms = tables["place_forms"].set_index(["region", "lang"])
    with i18n.language(lang):
        for place in tables["regions"]["region"]:
            named = prose(place)  # raises where the table declines another name
            assert isinstance(named, i18n.Inflected), place
            assert named.form("gen") == forms.loc[(place, lang), "genitive"], place


def test_a_sentence_puts_a_place_in_the_case_its_translation_asks():
    from maslihat import i18n
    from maslihat.names import prose
    from maslihat.text import md

    with i18n.language("ru"):  # a sentence's values go through prose: the name keeps its forms
        said = md("In {place}, {wasted} of the valid votes went to lists under the threshold "
                  "({below}) {c}.", place="Nur-Sultan (city)", wasted="1 %", below="", c="")
        assert said.data.startswith("В Нур-Султане ")
        assert i18n.fill("В {place:prep}", place=prose("Nur-Sultan (city)")) == "В Нур-Султане"
        assert i18n.fill("в {place:prep}", place=prose("Almaty (city)")) == "в Алматы"
        assert i18n.fill("границы {place:gen}", place=prose("Akmola", start=True)) == (
            "границы Акмолинской области")
    with i18n.language("kk"):
        assert i18n.fill("{place:loc}", place=prose("Almaty (city)")) == "Алматы қаласында"
        assert i18n.fill("{place:attr}", place=prose("Shymkent (city)")) == "Шымкенттегі"
        assert i18n.fill("{place:gen}", place=prose("Pavlodar")) == "Павлодар облысының"
    with i18n.language("en"):
        assert prose("Almaty (city)") == "the city of Almaty"


PLACE_FIELDS = ("place", "region", "low_place", "high_place", "city_low_place", "city_high_place",
                "low_region", "high_region", "steepest", "other")
LABELLED = (*PLACE_FIELDS, "body")  # a place or a mäslihat
PLACE_SPEC = re.compile(r"\{(" + "|".join(PLACE_FIELDS) + r"):(\w+)\}")


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_case_a_translation_asks_of_a_place_is_in_the_table(tables, lang):
    from maslihat.i18n import catalogs
    from maslihat.i18n.forms import FORM_NAMES

    forms = tables["place_forms"]
    rows = forms[forms["lang"] == lang]
    asked = set()
    for message in catalogs.read_catalog(lang):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        asked |= {spec for text in strings if text for _f, spec in PLACE_SPEC.findall(text)}
    assert asked, "no translation asks a place for its case"
    for spec in asked - {"nom", "attr", "adj"}:
        assert rows[FORM_NAMES[spec]].notna().all(), (lang, spec)
    if "attr" in asked:
        assert rows["locative"].notna().all()


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_no_translation_names_a_place_or_a_mäslihat_as_a_label_before_a_colon(lang):
    from maslihat.i18n import catalogs

    label = re.compile(r"^\**\{(" + "|".join(LABELLED) + r")\}:")
    for message in catalogs.read_catalog(lang):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert not any(text and label.match(text) for text in strings), message.id


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


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_a_publisher_opening_a_sentence_in_the_source_list_starts_with_a_capital(lang):
    # 'англоязычная Википедия' stands mid-sentence in the data-quality notes, lower case as the
    # names table writes it; after the title's full stop it opens a sentence.
    from maslihat import i18n
    from maslihat.data import load_all
    from maslihat.sources import Citations
    from maslihat.text import source_entry

    data = load_all()
    lower = {
        "wikipedia_local": {"kk": "ағылшын тіліндегі Уикипедия", "ru": "англоязычная Википедия"}
    }
    with i18n.language(lang):
        cite = Citations(data)
        cite(list(lower))
        row = next(cite.cited().itertuples())
        assert row.publisher == lower[row.source_id][lang]  # lower case in the names table
        entry = source_entry(row.title, row.publisher, row.published, row.address)
        publisher = entry.split(". ", 1)[1]
        assert publisher.startswith(lower[row.source_id][lang][:1].upper()), entry


@pytest.mark.parametrize("lang", ["en", "kk", "ru"])
def test_a_title_ending_in_a_full_stop_gets_no_second_one(lang):
    # sources.csv: 'Kazakh CEC announces voter turnout results as of 10:00 a.m.'
    from maslihat import i18n
    from maslihat.data import load_all
    from maslihat.sources import Citations
    from maslihat.text import source_entry

    data = load_all()
    with i18n.language(lang):
        cite = Citations(data)
        cite(list(data.sources["source_id"]))
        rows = list(cite.cited().itertuples())
        assert any(row.title.endswith("a.m.") for row in rows)
        for row in rows:
            entry = source_entry(row.title, row.publisher, row.published, row.address)
            assert ".." not in entry.split("](")[0], entry


def test_a_place_renamed_without_its_forms_is_an_error_naming_the_table(data_copy, monkeypatch):
    import os
    import time

    from maslihat import i18n
    from maslihat.data import DATA_DIR_ENV
    from maslihat.names import prose

    monkeypatch.setenv(DATA_DIR_ENV, str(data_copy))
    table = data_copy / "place_names.csv"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("Akmola,ru,Акмолинская область,", "Akmola,ru,Акмола,"), "utf-8")
    os.utime(table, ns=(time.time_ns(), time.time_ns() + 10**9))  # a later modification time
    with i18n.language("ru"), pytest.raises(ValueError, match=r"place_forms\.csv: the ru row of "
                                             r"'Akmola' declines 'Акмолинская область'"):
        prose("Akmola")
