"""Dates in the forms each language's running text and official documents use.

    English  10 January 2021             January 2021     3 August 2026
    Russian  10 января 2021 года         январь 2021      03.08.2026
    Kazakh   2021 жылғы 10 қаңтар        2021 ж. қаңтар   03.08.2026

CLDR's long Russian and Kazakh dates ('10 января 2021 г.', '2021 ж. 10 қаңтар') are the forms of
a form field, not of a sentence: Russian prose writes 'года' in full, Kazakh official text
'2021 жылғы 10 қаңтар', which takes the case a sentence needs: '{day:loc}' → '… 10 қаңтарда',
'{day:attr}' → '… 10 қаңтардағы' (see `maslihat.i18n.forms`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_date, format_time

from maslihat.i18n.languages import current, locale


def long_date(day: date) -> str:
    """A date as running text writes it: '10 January 2021', '10 января 2021 года',
    '2021 жылғы 10 қаңтар'."""
    lang = current()
    if lang == "ru":
        return format_date(day, "d MMMM y", locale=locale()) + "\u00a0года"
    if lang == "kk":
        return f"{day.year}\u00a0жылғы {day.day}\u00a0" + format_date(day, "MMMM", locale=locale())
    return format_date(day, format="long", locale=locale())


def date_time(moment: datetime) -> str:
    """A moment with its time zone: '25 November 2026, 21:20 UTC', '25 ноября 2026 года, 21:20
    UTC', '2026 жылғы 25 қараша, 21:20 (UTC)'."""
    clock = format_time(moment, "HH:mm", locale=locale())
    zone = moment.strftime("%Z")
    if zone and current() == "kk":
        zone = f"({zone})"
    return f"{long_date(moment.date())}, {clock} {zone}".strip()


def month_year(day: date) -> str:
    """A month of a year on its own (a source's date): 'January 2021', 'январь 2021',
    '2021 ж. қаңтар'."""
    if current() == "kk":
        return f"{day.year}\u00a0ж. " + format_date(day, "MMMM", locale=locale())
    return format_date(day, "LLLL y", locale=locale())  # the stand-alone month: январь, not января


def short_date(day: date) -> str:
    """A date in digits, as a list of sources gives it: '3 August 2026' (English keeps words),
    '03.08.2026'."""
    if current() == "en":
        return long_date(day)
    return day.strftime("%d.%m.%Y")


def published_date(published: str) -> str:
    """A source's date as the data gives it (YYYY, YYYY-MM or YYYY-MM-DD) in the language's form:
    '2021-01' → 'январь 2021', '2026-08-03' → '03.08.2026'; other text is returned as it is."""
    found = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", published.strip())
    if not found:
        return published
    year, month, day = found[1], found[2], found[3]
    if day:
        return short_date(date(int(year), int(month), int(day)))
    if month:
        return month_year(date(int(year), int(month), 1))
    return year
