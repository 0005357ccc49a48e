"""Messages in the language in use: gettext catalogs read with Babel, whole sentences with named
placeholders, filled by a formatter that knows the grammar of the language.

A translation may ask for a grammatical form of a value with a format spec: `{n:acc}` in Kazakh
writes '3 246-ны' (see `maslihat.i18n.kazakh`), `{body:prep}` in Russian the prepositional case of
an inflected name (`maslihat.i18n.forms.Inflected`, such as a mäslihat's name from
`body_name`). The English message keeps the bare placeholder `{n}`; the typography of the language
(no-break spaces, `maslihat.i18n.typography`) is applied to every filled message.
"""

from __future__ import annotations

import gettext
import io
import string
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from maslihat.i18n import languages
from maslihat.i18n.forms import grammatical_form
from maslihat.i18n.typography import typeset

DOMAIN = "maslihat"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"


def catalog_path(lang: str) -> Path:
    """Where a language's catalog lives."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of a language as gettext translations (English: the messages themselves)."""
    path = catalog_path(languages.check_language(lang))
    if lang == languages.DEFAULT or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class _GrammarFormatter(string.Formatter):
    """str.format, where a spec naming a case ('{n:loc}') asks for that form of the value."""

    def format_field(self, value: object, format_spec: str) -> str:
        form = grammatical_form(value, format_spec, languages.current())
        return form if form is not None else super().format_field(value, format_spec)


_FORMATTER = _GrammarFormatter()


def fill(template: str, **values: object) -> str:
    """A translated template with its placeholders filled (grammatical specs included) and the
    language's typography applied."""
    text = _FORMATTER.vformat(template, (), values) if values else template
    return typeset(text, languages.current())


def _(message: str, **values: object) -> str:
    """A message in the current language, its named placeholders filled when values are given."""
    return fill(translations(languages.current()).gettext(message), **values)


def n_(singular: str, plural: str, count: int, **values: object) -> str:
    """A message whose words agree with `count` (Russian: 1 мандат, 2 мандата, 5 мандатов)."""
    return fill(translations(languages.current()).ngettext(singular, plural, count), **values)


def p_(context: str, message: str, **values: object) -> str:
    """A message that one English word stands for in several senses, told apart by a context: the
    title block's p_("title block", "Region") names any place (Аумақ, Территория), a table's
    _("Region") an oblast (Өңір, Регион)."""
    return fill(translations(languages.current()).pgettext(context, message), **values)


def N_(message: str) -> str:
    """Mark a message for the catalogs without translating it yet (translate it where shown)."""
    return message
