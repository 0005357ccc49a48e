"""Dates in the forms of each language's running text and official documents."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from maslihat import i18n

DAY = date(2021, 1, 10)
NBSP = "\u00a0"


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "10 January 2021"),
    ("ru", f"10 января 2021{NBSP}года"),           # running text: года, not г.
    ("kk", f"2021{NBSP}жылғы 10{NBSP}қаңтар"),     # official: 2021 жылғы 10 қаңтар, not 2021 ж.
])  # fmt: skip
def test_the_long_date_of_each_language(lang, expected):
    with i18n.language(lang):
        assert i18n.long_date(DAY) == expected


def test_a_kazakh_date_takes_the_case_the_sentence_needs():
    with i18n.language("kk"):
        day = i18n.long_date(DAY)
        in_kazakhstan = i18n.fill("{day:loc} Қазақстанда", day=day)
        assert in_kazakhstan == f"2021{NBSP}жылғы 10{NBSP}қаңтарда Қазақстанда"
        assert i18n.fill("{day:attr} мәслихат сайлауы", day=day).startswith(
            f"2021{NBSP}жылғы 10{NBSP}қаңтардағы мәслихат"
        )


@pytest.mark.parametrize(("lang", "month", "day", "year"), [
    ("en", "January 2021", "3 August 2026", "2021"),
    ("ru", "январь 2021", "03.08.2026", "2021"),
    ("kk", f"2021{NBSP}ж. қаңтар", "03.08.2026", "2021"),
])  # fmt: skip
def test_a_sources_date_is_never_iso_in_kazakh_or_russian(lang, month, day, year):
    with i18n.language(lang):
        assert i18n.published_date("2021-01") == month
        assert i18n.published_date("2026-08-03") == day
        assert i18n.published_date("2021") == year


def test_a_moment_names_its_time_zone():
    moment = datetime(2026, 12, 1, 23, 48, tzinfo=UTC)
    with i18n.language("kk"):
        assert i18n.date_time(moment) == f"2026{NBSP}жылғы 1{NBSP}желтоқсан, 23:48 (UTC)"
    with i18n.language("ru"):
        assert i18n.date_time(moment) == f"1 декабря 2026{NBSP}года, 23:48 UTC"
