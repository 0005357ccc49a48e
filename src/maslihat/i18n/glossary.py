"""One term, one word: the glossary of the reports' terms in Russian and Kazakh, and the messages
whose translation leaves a term's word out.

`glossary.csv` beside this module has one row per English term: the Russian and Kazakh words (the
stems a translation must contain, several accepted ones separated by ';'), whether the rule is
tested (`test`), a note and the source of the usage. A message whose English holds the term (in
any English inflection: seat, seats) must hold one of the words in each translation (any Russian
or Kazakh ending: мандат, мандата, мандатов; мәслихатында).

    python -m maslihat.i18n.glossary     # list the messages that break the glossary
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parent / "glossary.csv"
COLUMNS = {"ru": "russian", "kk": "kazakh"}


@dataclass(frozen=True)
class Term:
    """One row of the glossary."""

    english: str
    words: dict[str, tuple[str, ...]]  # language → accepted stems
    tested: bool
    note: str
    source: str

    @property
    def pattern(self) -> re.Pattern[str]:
        """The English term in a message, in any of its English forms (seat, seats, Seat)."""
        words = [re.escape(w) for w in self.english.split()]
        words[-1] += r"(?:s|es)?"
        return re.compile(r"\b" + r"\s+".join(words) + r"\b", re.IGNORECASE)

    def found_in(self, translation: str, lang: str) -> bool:
        """Whether a translation holds one of the term's words (any ending after the stem)."""
        text = translation.casefold().replace("\u00a0", " ")
        return any(stem.casefold() in text for stem in self.words[lang])


@cache
def terms(path: Path = GLOSSARY) -> tuple[Term, ...]:
    """The glossary's terms; ValueError naming the row of a term without its words."""
    found = []
    with path.open(encoding="utf-8", newline="") as rows:
        for line, row in enumerate(csv.DictReader(rows), start=2):
            words = {lang: tuple(w.strip() for w in (row.get(column) or "").split(";")
                                 if w.strip()) for lang, column in COLUMNS.items()}  # fmt: skip
            if not row.get("english") or not all(words.values()):
                raise ValueError(f"{path}, line {line}: a term needs its English, Russian and "
                                 "Kazakh words")  # fmt: skip
            found.append(Term(row["english"].strip(), words, row.get("test") == "yes",
                              row.get("note", ""), row.get("source", "")))  # fmt: skip
    return tuple(found)


def breaches(lang: str) -> list[tuple[str, str, str]]:
    """(message, term, translation) for every tested term whose English is in a message of the
    language's catalog and whose word is not in its translation."""
    from maslihat.i18n.catalogs import read_catalog

    found = []
    for message in read_catalog(lang):
        if not message.id or not message.string:
            continue
        english = " ".join(message.id) if isinstance(message.id, tuple) else message.id
        english = re.sub(r"\{[^}]*\}", " ", english)  # placeholders are not words: {place}
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for term in terms():
            if term.tested and term.pattern.search(english):
                for text in strings:
                    if text and not term.found_in(text, lang):
                        found.append((english, term.english, text))
    return found


def main() -> int:
    """Print the messages that break the glossary; exit 1 if there are any."""
    broken = [(lang, *b) for lang in COLUMNS for b in breaches(lang)]
    for lang, english, term, text in broken:
        print(f"{lang}: '{term}' → {'/'.join(terms_for(term, lang))}: {english[:70]!r} → "
              f"{text[:70]!r}")  # fmt: skip
    return 1 if broken else 0


def terms_for(english: str, lang: str) -> tuple[str, ...]:
    """The accepted words of a term in a language."""
    return next(t.words[lang] for t in terms() if t.english == english)


if __name__ == "__main__":
    sys.exit(main())
