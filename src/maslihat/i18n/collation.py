"""Alphabetical order in the language of the report (ICU's collation of CLDR, through PyICU):
Kazakh puts Ә after А, Ғ after Г, Қ after К, Ұ before Ү and І after Ы (Ақмола, Алматы, …,
Қарағанды, Қостанай, …, Шығыс Қазақстан); Russian and English sort as their alphabets do."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from maslihat.i18n.languages import check_language, current


@cache
def _collator(lang: str):  # icu.Collator: PyICU has no type stubs
    import icu  # PyICU (pip: pyicu-wheels), ICU with its collation data in the wheel

    return icu.Collator.createInstance(icu.Locale({"en": "en_GB"}.get(lang, lang)))


def sort_key(lang: str | None = None) -> Callable[[str], bytes]:
    """A key that sorts text in the alphabetical order of `lang` (the current language)."""
    return _collator(check_language(lang or current())).getSortKey


def collated(items: Iterable[str], lang: str | None = None) -> list[str]:
    """Text sorted alphabetically in `lang` (the current language by default)."""
    return sorted(items, key=sort_key(lang))
