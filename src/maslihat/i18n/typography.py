"""No-break spaces and hyphens where a Kazakh or Russian line must not break, as newspapers set
them: inside 'п. п.' / 'п. т.', between a number and the word it counts ('32 мандата'), inside a
date ('10 января 2021 года', '2021 жылғы 10 қаңтар'), inside a short party name ('Nur Otan',
'«Ак жол»'), before a dash ('НПК — 0'), and after the hyphen of a suffix ('ОСК-ның', '3 246-ны':
U+2011, the non-breaking hyphen). Applied once, to every filled message (`maslihat.i18n._`).
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NB_HYPHEN = "\u2011"
CYRILLIC_LOWER = "а-яёәғқңөұүһі"  # Kazakh letters included
UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
# Party names of two words written in Latin letters, kept on one line.
NAMES = ("Nur Otan", "Ak Zhol")

_COMMON = [(re.compile(re.escape(name)), name.replace(" ", NBSP)) for name in NAMES]
_CYRILLIC = [
    # п. п. (процентный пункт), п. т. (пайыздық тармақ), т. е., т. д.: one abbreviation, one line
    (re.compile(r"\b([пт])\. ?([птед])\."), rf"\1.{NBSP}\2."),
    # a number and the word after it: 32 мандата, 10 января, 2021 жылғы, 2021 года, 4,5 п. п.
    (re.compile(rf"(\d) (?=[{CYRILLIC_LOWER}])"), rf"\1{NBSP}"),
    # a short party name in guillemets: «Ак жол», «Ақ жол»
    (re.compile(r"«([^\s«»]{1,8}) ([^\s«»]{1,8})»"), rf"«\1{NBSP}\2»"),
    # no line starts with a dash: НПК — 0, Nur Otan — 26 мандатов
    (re.compile(r" — "), f"{NBSP}— "),
    # the hyphen of a suffix after digits, % or an abbreviation: ОСК-ның, 3 246-ны, 22:10-дағы, 5-й
    (re.compile(rf"(?<=[\d%{UPPER}])-(?=[{CYRILLIC_LOWER}])"), NB_HYPHEN),
]
RULES = {"kk": _COMMON + _CYRILLIC, "ru": _COMMON + _CYRILLIC}  # English: as written


def typeset(text: str, lang: str) -> str:
    """Text with the language's no-break spaces and hyphens (see the module's description)."""
    for pattern, replacement in RULES.get(lang, ()):
        text = pattern.sub(replacement, text)
    return text


def sentence_start(text: str) -> str:
    """Text whose first letter is a capital when it is a Cyrillic word, for a name that opens a
    sentence: a source list's publisher after the title's full stop ('… elections. Англоязычная
    Википедия'), lower case in the names table because it stands mid-sentence elsewhere. A name
    in Latin letters keeps its own spelling (amCharts, otyrar.kz, inAlmaty.kz)."""
    if re.match(rf"[{CYRILLIC_LOWER}]", text):
        return text[0].upper() + text[1:]
    return text
