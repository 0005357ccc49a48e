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
