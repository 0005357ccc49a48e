"""Languages of the reports: message catalogs (gettext, read with Babel) and each language's way
of writing numbers, percentages and dates (CLDR, through Babel).

A report runs in one language, set once by its `lang` parameter (`use(lang)`); every sentence,
heading, chart title and table header a reader sees goes through `_` (or `n_` where a count picks
the word's form), whole and with named placeholders, so a translator sees the whole sentence:

    _("{region} elected {n} members.", region=name, n=number(total))

The catalogs are `locale/<lang>/LC_MESSAGES/maslihat.po` in this package, read as they are (no
compiled `.mo` files to keep in step). English is the source language and has no catalog.
"""

from __future__ import annotations

import copy
import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("en", "kk", "ru")
DEFAULT = "en"
LANGUAGE_NAMES = {"en": "English", "kk": "Қазақша", "ru": "Русский"}  # each in its own language
LANGUAGE_ENGLISH_NAMES = {"en": "English", "kk": "Kazakh", "ru": "Russian"}
DOMAIN = "maslihat"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current = DEFAULT


class UnknownLanguage(ValueError):
    """A language the reports are not written in."""

    def __init__(self, lang: object):
        super().__init__(
            f"unknown language {lang!r}: the reports are written in "
            + ", ".join(f"{code} ({name})" for code, name in LANGUAGE_ENGLISH_NAMES.items())
        )
        self.lang = lang


def check_language(lang: object) -> str:
    """The language code as given, if the reports are written in it; else UnknownLanguage."""
    if not isinstance(lang, str) or lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    return lang


def use(lang: str) -> str:
    """Make `lang` the language of everything written from now on in this process."""
    global _current
    _current = check_language(lang)
    return _current


def current() -> str:
    """The language in use."""
    return _current


@contextmanager
def language(lang: str) -> Iterator[str]:
    """Write in `lang` inside the block, then go back to the language before it."""
    before = _current
    use(lang)
    try:
        yield lang
    finally:
        use(before)


def catalog_path(lang: str) -> Path:
    """Where a language's catalog lives."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of a language as gettext translations (English: the messages themselves)."""
    path = catalog_path(check_language(lang))
    if lang == DEFAULT or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str, **values: object) -> str:
    """A message in the current language, its named placeholders filled when values are given."""
    text = translations(_current).gettext(message)
    return text.format(**values) if values else text


def n_(singular: str, plural: str, count: int, **values: object) -> str:
    """A message whose words agree with `count` (Russian: 1 мандат, 2 мандата, 5 мандатов)."""
    text = translations(_current).ngettext(singular, plural, count)
    return text.format(**values) if values else text


def locale(lang: str | None = None) -> Locale:
    """The CLDR locale of a language (the current one by default)."""
    return _locale(lang or _current)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse({"en": "en_GB"}.get(lang, lang))


def half_up(value: float, digits: int) -> Decimal:
    """A number rounded as the CEC and readers round: halves up (2 of 32 = 6.25 → 6.3), not to
    even as Babel does; from the shortest decimal that gives the float (6.25, not 6.2499…)."""
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def number(value: float, digits: int = 0) -> str:
    """A number in the language's way: 3246 → '3,246' (en), '3 246' (ru, kk); halves up."""
    pattern = copy.copy(locale().decimal_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern.apply(half_up(value, digits), locale())


def percent(value: float, digits: int | None = 1) -> str:
    """A percentage given in percent: 57.26 → '57.26%' (en), '57,26 %' (ru); digits=None writes a
    set value as given: 7.0 → '7%'."""
    if digits is None:
        text = f"{value:g}"
        digits = len(text.split(".")[1]) if "." in text else 0
    pattern = copy.copy(locale().percent_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern.apply(half_up(value, digits) / 100, locale())


def long_date(day: date) -> str:
    """A date in words: '10 January 2021', '10 января 2021 г.', '2021 ж. 10 қаңтар'."""
    from babel.dates import format_date

    return format_date(day, format="long", locale=locale())


def date_time(moment: datetime) -> str:
    """A moment in words with its time zone: '25 November 2026, 21:20 UTC', '25 ноября 2026 г.,
    21:20 UTC'."""
    from babel.dates import format_time

    clock = format_time(moment, "short", locale=locale())
    return f"{long_date(moment.date())}, {clock} {moment.strftime('%Z')}".strip()


def vega_number_locale(lang: str | None = None) -> dict:
    """The language's number symbols as a Vega-Lite `config.locale.number` (d3-format)."""
    symbols = locale(lang).number_symbols.get("latn", locale(lang).number_symbols)
    percent_pattern = locale(lang).percent_formats[None].pattern
    return {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [3],
        "currency": ["", ""],
        "percent": "\u00a0%" if "\u00a0%" in percent_pattern else "%",
        "minus": "\u2212",
    }


def N_(message: str) -> str:
    """Mark a message for the catalogs without translating it yet (translate it where shown)."""
    return message
