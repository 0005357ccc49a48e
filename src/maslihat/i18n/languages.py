"""The languages of the reports and the one in use: a report runs in one language, set once by its
`lang` parameter (`use(lang)`), and everything written afterwards follows it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from babel import Locale

LANGUAGES = ("en", "kk", "ru")
DEFAULT = "en"
LANGUAGE_NAMES = {"en": "English", "kk": "Қазақша", "ru": "Русский"}  # each in its own language
LANGUAGE_ENGLISH_NAMES = {"en": "English", "kk": "Kazakh", "ru": "Russian"}

_current = DEFAULT  # a kept kernel sets it back before each notebook (maslihat.kernels)
_reports = 0  # how many times `use` began a report in this process (maslihat.i18n.abbreviations)


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
    """Make `lang` the language of everything written from now on in this process: a report
    begins (its abbreviations are spelled out again at their first mention)."""
    global _current, _reports
    _current = check_language(lang)
    _reports += 1
    return _current


def report_number() -> int:
    """Which report of the process is being written (it changes each time `use` is called)."""
    return _reports


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


def locale(lang: str | None = None) -> Locale:
    """The CLDR locale of a language (the current one by default)."""
    return _locale(lang or _current)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse({"en": "en_GB"}.get(lang, lang))
