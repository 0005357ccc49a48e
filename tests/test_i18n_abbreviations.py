"""Abbreviations are spelled out at their first mention in each report, and only there."""

from __future__ import annotations

import pytest

from maslihat import i18n
from maslihat.i18n.abbreviations import abbreviations, spelled_out


@pytest.fixture
def report():
    """Begin a report in a language; the process writes English again afterwards."""
    yield lambda lang: i18n.use(lang)
    i18n.use("en")


def test_the_first_mention_gives_the_full_name_and_later_ones_the_abbreviation(report):
    report("ru")
    assert spelled_out("НПК и ADAL мест не получили.") == (
        "НПК (Народная партия Казахстана) и ADAL мест не получили.")
    assert spelled_out("НПК — 0 мандатов.") == "НПК — 0 мандатов."
    # the next report introduces it again
    report("ru")
    assert spelled_out("по данным ЦИК; НПК — 0").startswith(
        "по данным ЦИК (Центральная избирательная комиссия); НПК (Народная партия Казахстана)")
    assert spelled_out("данные ЦИК") == "данные ЦИК"


def test_a_suffix_or_a_bracket_after_the_abbreviation_is_kept(report):
    report("kk")
    assert spelled_out("ҚХП\u2011ға 86 мандат") == (
        "ҚХП\u2011ға (Қазақстан Халық партиясы) 86 мандат")
    report("ru")
    assert spelled_out("НПК (2,98 %) и ADAL (2,1 %)") == (
        "НПК (Народная партия Казахстана, 2,98 %) и ADAL (2,1 %)")


def test_only_whole_abbreviations_of_the_reports_language_are_spelled_out(report):
    report("ru")
    assert spelled_out("КНПК и ОСК") == "КНПК и ОСК"  # a longer word; the Kazakh abbreviation
    report("en")
    assert abbreviations("en") == {} and spelled_out("the CEC") == "the CEC"
    # a party's short name that is a name, not an abbreviation, has no expansion
    assert "ADAL" not in abbreviations("ru") and "НПК" in abbreviations("ru")


def test_a_reports_sentences_spell_out_an_abbreviation_once(report):
    from maslihat.text import md_n

    report("kk")
    first = md_n("{party} won {seats} seat", "{party} won {seats} seats", 86,
                 party="People's Party", seats=86)
    again = md_n("{party} won {seats} seat", "{party} won {seats} seats", 86,
                 party="People's Party", seats=86)
    assert "ҚХП (Қазақстан Халық партиясы)" in first.data
    assert "Қазақстан Халық партиясы" not in again.data and "ҚХП" in again.data
