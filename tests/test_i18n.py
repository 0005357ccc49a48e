"""Languages: complete catalogs, CLDR numbers and dates, plural forms, and reports in kk and ru."""

from __future__ import annotations

import re
from datetime import date

import pytest

from maslihat import catalogs, i18n
from maslihat.params import ParameterError, use_language
from maslihat.text import num, pct, pts

PLACEHOLDER = re.compile(r"\{(\w+)\}")


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


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_translations_keep_the_placeholders_and_markdown_of_their_message(lang):
    for message in catalogs.read_catalog(lang):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(ids[0])), message.id
            assert text.count("**") == ids[0].count("**"), message.id
            assert text.lstrip().startswith("#") == ids[0].lstrip().startswith("#"), message.id


def test_numbers_percentages_and_dates_follow_each_language():
    expected = {
        "en": ("3,246", "57.26%", "10 January 2021", "+2.0"),
        "ru": ("3\u00a0246", "57,26\u00a0%", "10 января 2021\u202fг.", "+2,0"),
    }
    for lang, (count, share, day, change) in expected.items():
        i18n.use(lang)
        assert num(3246) == count
        assert pct(57.26, 2) == share
        assert i18n.long_date(date(2021, 1, 10)) == day
        assert pts(2.0).startswith(change)
    i18n.use("kk")
    assert num(3246) == "3\u00a0246" and "қаңтар" in i18n.long_date(date(2021, 1, 10))


def test_russian_plural_forms_come_from_the_catalog_rules():
    i18n.use("ru")
    plural = i18n.translations("ru").plural  # the catalog's Plural-Forms
    assert [plural(n) for n in (1, 2, 5, 11, 21, 22, 25)] == [0, 1, 2, 2, 0, 1, 2]
    i18n.use("kk")
    assert [i18n.translations("kk").plural(n) for n in (1, 2, 5)] == [0, 1, 1]


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
