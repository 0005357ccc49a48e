"""Languages of the reports: message catalogs (gettext, read with Babel), each language's way of
writing numbers, percentages and dates (CLDR, through Babel), Kazakh case suffixes, typography,
alphabetical order (ICU), and the names of places, parties, bodies and publishers.

A report runs in one language, set once by its `lang` parameter (`use(lang)`); every sentence,
heading, chart title and table header a reader sees goes through `_` (or `n_` where a count picks
the word's form), whole and with named placeholders, so a translator sees the whole sentence:

    _("{region} elected {n} members.", region=name, n=number(total))

A translation may ask for a grammatical form of a value: `{n:acc}` (Kazakh: '3 246-ны'),
`{body:prep}` (Russian: 'Акмолинском областном маслихате'); see `maslihat.i18n.forms`.

The modules: `languages` (the language in use), `messages` (catalogs, `_`, `n_`), `numbers`,
`dates`, `kazakh` (case suffixes), `forms` (grammatical placeholders), `typography` (no-break
spaces), `collation` (alphabetical order), `names` (names from the data), `glossary` (one term,
one word), `abbreviations` (spelled out at their first mention in a report), `catalogs` (`make
messages`). The catalogs are `locale/<lang>/LC_MESSAGES/maslihat.po`
in the package, read as they are (no compiled `.mo` files to keep in step). English is the source
language and has no catalog.
"""

from __future__ import annotations

from typing import Any

from maslihat.i18n.collation import collated, sort_key
from maslihat.i18n.dates import date_time, long_date, month_year, published_date, short_date
from maslihat.i18n.forms import Inflected
from maslihat.i18n.kazakh import kk_case
from maslihat.i18n.languages import (
    DEFAULT,
    LANGUAGE_ENGLISH_NAMES,
    LANGUAGE_NAMES,
    LANGUAGES,
    UnknownLanguage,
    check_language,
    current,
    language,
    locale,
    use,
)
from maslihat.i18n.messages import (
    DOMAIN,
    LOCALE_DIR,
    N_,
    _,
    catalog_path,
    fill,
    n_,
    p_,
    translations,
)
from maslihat.i18n.numbers import number, percent, percent_range, rounded, vega_number_locale
from maslihat.i18n.typography import sentence_start, typeset

__all__ = [
    "DEFAULT", "DOMAIN", "LANGUAGES", "LANGUAGE_ENGLISH_NAMES", "LANGUAGE_NAMES", "LOCALE_DIR",
    "Inflected", "N_", "UnknownLanguage", "_", "body_name", "catalog_path", "check_language",
    "collated", "current", "date_time", "fill", "kk_case", "language", "locale", "localised",
    "long_date", "month_year", "n_", "number", "p_", "percent", "percent_range", "published_date",
    "rounded", "sentence_start", "short_date", "shown", "sort_key", "translations", "typeset",
    "use", "vega_number_locale",
]  # fmt: skip

# Names come from the data package (pandas): imported on first use, so that importing the
# language machinery stays cheap (a render with nothing to do loads no pandas).
_NAMES = ("shown", "localised", "body_name", "publisher", "source_title")


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        from maslihat.i18n import names

        return getattr(names, name)
    raise AttributeError(f"module 'maslihat.i18n' has no attribute {name!r}")
