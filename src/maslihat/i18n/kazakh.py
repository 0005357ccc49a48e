"""Kazakh case suffixes after numbers, times, percentages, dates and words.

A Kazakh suffix follows the last word as it is read aloud: its last vowel chooses a back or front
suffix (vowel harmony: -да/-де), its last sound the suffix's first consonant (-ны after a vowel,
-ды after a voiced consonant, -ты after a voiceless one). A number written in digits is read as
words, and its suffix is joined with a hyphen:

    3 246  → '… екі жүз қырық алты'  → 3 246-ны (acc), 3 246-ға (dat), 3 246-да (loc)
    22:10  → 'жиырма екі он'          → 22:10-да (loc), 22:10-дағы (attr)
    22:00  → 'жиырма екі'             → 22:00-дегі
    63,25  → '… үтір жиырма бес'      → 63,25-ке (dat)
    7%     → '7 пайыз'                → 7 пайыздық (adj), 63,25 пайызды (acc)
    10 қаңтар                         → 10 қаңтарда (loc), 10 қаңтардағы (attr)
    ОСК    → 'о-эс-ка'                → ОСК-ның (gen)

The rules are those of Kazakh grammar books (септік жалғаулары); the numerals: бір, екі, үш, төрт,
бес, алты, жеті, сегіз, тоғыз, он, жиырма, отыз, қырық, елу, алпыс, жетпіс, сексен, тоқсан, жүз,
мың, миллион, миллиард; 0 is нөл; a decimal is read '… үтір …' and ends in its fraction's last word.
"""

from __future__ import annotations

import re

UNITS = ("нөл", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз")
TENS = ("", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан")
POWERS = ((10**9, "миллиард"), (10**6, "миллион"), (1000, "мың"), (100, "жүз"))

BACK_VOWELS = set("аоұыуяюё")
FRONT_VOWELS = set("әөүіеиэ")
VOWELS = BACK_VOWELS | FRONT_VOWELS
VOICELESS = set("пфктсшщчхцқһбвгд")  # б в г д are unvoiced at the end of a word
NASALS = set("мнң")
SEMIVOWELS = set("йу")  # елу, той: a consonant for the suffix (елуді), not for the harmony
PERCENT = "пайыз"
POINTS = ("п.\u00a0т.", "п. т.", "п.т.")  # пайыздық тармақ, percentage points
POINTS_WORDS = "пайыздық тармақ"

# Kazakh names of capital letters, for an abbreviation read letter by letter (ОСК → о-эс-ка).
LETTER_NAMES = {
    "А": "а", "Ә": "ә", "Б": "бэ", "В": "вэ", "Г": "гэ", "Ғ": "ғы", "Д": "дэ", "Е": "е", "Ж": "жэ",
    "З": "зэ", "И": "и", "Й": "ій", "К": "ка", "Қ": "қа", "Л": "эл", "М": "эм", "Н": "эн",
    "Ң": "ың", "О": "о", "Ө": "ө", "П": "пэ", "Р": "эр", "С": "эс", "Т": "тэ", "У": "у", "Ұ": "ұ",
    "Ү": "ү", "Ф": "эф", "Х": "ха", "Һ": "һа", "Ц": "цэ", "Ч": "че", "Ш": "ша", "Щ": "ща",
    "Ы": "ы", "І": "і", "Э": "э", "Ю": "ю", "Я": "я",
}  # fmt: skip
# Latin letters as Kazakh reads them, for names written in Latin (Nur Otan, ADAL).
LATIN = str.maketrans("aeiouyäöüıbcdfghjklmnpqrstvwxz", "аеіоұыәөүыбцдфгһжклмнпқрствуқз")

CASE_NAMES = ("gen", "dat", "acc", "loc", "abl", "ins", "attr", "adj")


def number_words(value: int) -> list[str]:
    """A whole number read in Kazakh, word by word: 3246 → ['үш', 'мың', 'екі', 'жүз', 'қырық',
    'алты']."""
    if value < 0:
        raise ValueError(f"a count to read aloud must be 0 or more, got {value}")
    if value == 0:
        return [UNITS[0]]
    words: list[str] = []
    for power, name in POWERS:
        count, value = divmod(value, power)
        if count:
            # 100 is 'жүз' and 1000 'мың' (бір жүз, бір мың: the бір is usually not said)
            words += ([] if count == 1 and power <= 1000 else number_words(count)) + [name]
    tens, units = divmod(value, 10)
    if tens:
        words.append(TENS[tens])
    if units:
        words.append(UNITS[units])
    return words


def last_word(text: str) -> tuple[str, bool]:
    """The last word of a text as read aloud, and whether the suffix needs a hyphen (after digits
    and abbreviations: '3 246-ны', 'ОСК-ның'; not after a word: 'қаңтарда')."""
    text = text.rstrip()
    time = re.search(r"(\d{1,2}):(\d{2})$", text)
    if time:
        hours, minutes = int(time[1]), int(time[2])
        return number_words(minutes if minutes else hours)[-1], True
    decimal = re.search(r"(\d[\d\s\u00a0\u202f]*)(?:[.,](\d+))?$", text)
    if decimal:
        if decimal[2] is not None:
            return number_words(int(decimal[2]))[-1], True  # '63,25' ends in 'бес'
        digits = re.sub(r"\D", "", decimal[1])
        return number_words(int(digits))[-1], True
    word = re.search(r"([^\W\d_]+)\W*$", text)
    if not word:
        raise ValueError(f"no number or word to add a Kazakh suffix to in {text!r}")
    found = word[1]
    if found.isascii():  # a name in Latin letters, read as a word: Nur Otan, ADAL
        return found.lower().translate(LATIN), True
    if len(found) >= 2 and found.isupper():  # an abbreviation: ОСК is read 'о-эс-ка'
        return LETTER_NAMES.get(found[-1], found[-1].lower()), True
    return found.lower(), False


def is_back(word: str) -> bool:
    """Whether the last vowel of a word is a back one (a final у is a consonant here: елу)."""
    vowels = [c for c in (word[:-1] if word.endswith("у") else word) if c in VOWELS] or [
        c for c in word if c in VOWELS
    ]
    return bool(vowels) and vowels[-1] in BACK_VOWELS


def suffix(word: str, case: str) -> str:
    """The suffix of `case` after a Kazakh word read aloud (without hyphen)."""
    back = is_back(word)
    end = word[-1]
    vowel = end in VOWELS and end not in SEMIVOWELS  # елу, той: у and й take consonant suffixes
    voiceless, nasal = end in VOICELESS, end in NASALS
    a, y = ("а", "ы") if back else ("е", "і")
    if case == "gen":
        first = "н" if vowel or nasal else "т" if voiceless else "д"
        return f"{first}{y}{'ң'}"
    if case == "acc":
        first = "н" if vowel else "т" if voiceless else "д"
        return f"{first}{y}"
    if case == "dat":
        if voiceless:
            return "қа" if back else "ке"
        return "ға" if back else "ге"
    if case in ("loc", "attr"):
        first = "т" if voiceless else "д"
        return f"{first}{a}" + ("" if case == "loc" else "ғы" if back else "гі")
    if case == "abl":
        first = "н" if nasal else "т" if voiceless else "д"
        return f"{first}{a}н"
    if case == "ins":
        if voiceless:
            return "пен"
        return "бен" if end in "зж" else "мен"
    if case == "adj":
        if vowel or end in "рйу":
            first = "л"
        else:
            first = "т" if voiceless else "д"
        return f"{first}{y}қ" if back else f"{first}{y}к"
    raise ValueError(f"unknown Kazakh case {case!r}: use one of {', '.join(CASE_NAMES)}")


def with_case(text: str, case: str) -> str:
    """`text` (a number, time, percentage, date or word as printed) with the Kazakh case suffix:
    with_case('3 246', 'acc') → '3 246-ны', with_case('7%', 'adj') → '7 пайыздық'."""
    if case == "nom":
        return text
    if case not in CASE_NAMES:
        raise ValueError(f"unknown Kazakh case {case!r}: use one of nom, {', '.join(CASE_NAMES)}")
    body = text.rstrip()
    if body.endswith("%"):  # 63,25% → 63,25 пайызды: the sign is read as a word and written so
        body = body[:-1].rstrip(" \u00a0\u202f") + "\u00a0" + PERCENT
    else:
        for points in POINTS:
            if body.endswith(points):
                body = body[: -len(points)].rstrip() + "\u00a0" + POINTS_WORDS
                break
    word, hyphen = last_word(body)
    return body + ("-" if hyphen else "") + suffix(word, case)  # typography makes it U+2011


def kk_case(value: object, case: str) -> str:
    """A value in a Kazakh case: a number is written as the prose writes it first (a whole
    number as it is, another with 2 decimals: kk_case(3246, 'acc') → '3 246-ны'); text is taken
    as printed (kk_case('22:10', 'attr') → '22:10-дағы')."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return with_case(str(value), case)
    from maslihat.i18n.languages import language
    from maslihat.i18n.numbers import number

    with language("kk"):
        text = number(value, 0 if float(value).is_integer() else 2)
    return with_case(text, case)
