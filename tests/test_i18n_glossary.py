"""One term, one word: every translation of a message holding a glossary term holds its word; and
every count agrees with its noun (`n_` with Russian one/few/many)."""

from __future__ import annotations

import re

import pytest

from maslihat.i18n import catalogs, glossary


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_translations_use_the_glossarys_words(lang):
    broken = glossary.breaches(lang)
    assert broken == [], "\n".join(
        f"'{term}' must be {'/'.join(glossary.terms_for(term, lang))}: {english[:80]!r} → "
        f"{text[:80]!r}" for english, term, text in broken[:10]
    )


def test_the_rule_matches_english_forms_and_any_ending_of_the_word():
    seat = next(t for t in glossary.terms() if t.english == "seat")
    assert seat.pattern.search("{n} seats of the mäslihat") and seat.pattern.search("Seat share")
    assert not seat.pattern.search("the seating plan")
    assert seat.found_in("32 мандаттың 26-сын", "kk") and not seat.found_in("32 орын", "kk")
    bar = next(t for t in glossary.terms() if t.english == "bar chart")
    assert bar.pattern.search("Bar charts of turnout")
    assert not bar.found_in("бағанды диаграмма", "kk")


def test_every_term_has_its_words_and_the_glossary_names_its_sources():
    terms = glossary.terms()
    assert len({t.english for t in terms}) == len(terms) >= 15
    assert all(t.words["ru"] and t.words["kk"] for t in terms)
    assert all(t.source for t in terms if t.tested)


@pytest.mark.parametrize(("lang", "forms"), [("ru", 3), ("kk", 2)])
def test_every_count_message_has_each_plural_form(lang, forms):
    # Russian: one (21 мандат), few (22 мандата), many (25 мандатов); Kazakh: the noun stays
    # singular after a numeral, in both forms.
    plural = [m for m in catalogs.read_catalog(lang) if isinstance(m.id, tuple)]
    assert len(plural) >= 7
    for message in plural:
        assert len(message.string) == forms and all(message.string), message.id
        if lang == "ru":  # the forms differ where the noun changes (из 21 места, из 25 мест)
            assert len(set(message.string)) >= 2, message.id


# A count before its noun: '{seats} seats', '{n} regions'. Such a sentence is an n_ message, so
# that Russian can say 21 мандат, 22 мандата, 25 мандатов (not 'мест — 26').
NOT_ADJECTIVES = ("of", "the", "and", "in", "has", "have", "had", "is", "was", "were", "won",
                  "introduced")  # a word that ends the count's phrase: "{region} has no rows"
NOT_ADJECTIVES = tuple(rf"{word}\b" for word in NOT_ADJECTIVES)
# Words between the count and its noun are adjectives ('{n} regional rows', '{seats} party-list
# seats', '{a} of {b} registered voters'), never 'of the' ('{share} of the seats' is a share).
COUNTED = re.compile(
    r"\{(\w+)\}\s+(?:of\s+(?:the\s+|its\s+)?\{\w+\}\s+)?(?:(?!" + "|".join(NOT_ADJECTIVES)
    + r")[a-zä-]+\s+){0,2}"
    r"(seats|lists|candidates|members|mäslihats|regions|cities|pages|checks|parties|places|"
    r"sources|deputies|ballots|voters|rows|figures|reports|files)\b"
)


def counted_messages(where: str) -> list[str]:
    """`_` messages (not n_) of the package or of the story (notebooks, the audit's wording)
    with a count before its plural noun."""
    found = []
    for message in catalogs.messages():
        if not message.id or isinstance(message.id, tuple):
            continue
        files = {path for path, _line in message.locations}
        story = any(p.startswith("notebooks/") or p.endswith("audit.py") for p in files)
        if (where == "story") == story and COUNTED.search(message.id):
            found.append(message.id)
    return found


def test_the_packages_counts_agree_with_their_nouns():
    assert counted_messages("package") == []


def test_the_storys_counts_agree_with_their_nouns():
    assert counted_messages("story") == []
