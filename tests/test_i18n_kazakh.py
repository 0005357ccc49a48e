"""Kazakh case suffixes after numbers, times, percentages, dates and words.

The table is written from the rules of Kazakh grammar, not from the code: each number is read
aloud (3 246 → 'үш мың екі жүз қырық алты'), its last word chooses the suffix by its last vowel
(back: а о ұ ы; front: ә ө ү і е) and its last sound (vowel; voiced or sonorant consonant; м н ң;
voiceless consonant), as in Kazakh grammar books (септік жалғаулары).
"""

from __future__ import annotations

import pytest

from maslihat import i18n
from maslihat.i18n.kazakh import kk_case, number_words, with_case

# printed, last word read aloud, then: accusative, dative, locative, genitive, ablative,
# instrumental, attributive (-дағы), adjective (-лық)
TABLE = [
    ("0", "нөл", "0-ді", "0-ге", "0-де", "0-дің", "0-ден", "0-мен", "0-дегі", "0-дік"),
    ("1", "бір", "1-ді", "1-ге", "1-де", "1-дің", "1-ден", "1-мен", "1-дегі", "1-лік"),
    ("2", "екі", "2-ні", "2-ге", "2-де", "2-нің", "2-ден", "2-мен", "2-дегі", "2-лік"),
    ("3", "үш", "3-ті", "3-ке", "3-те", "3-тің", "3-тен", "3-пен", "3-тегі", "3-тік"),
    ("4", "төрт", "4-ті", "4-ке", "4-те", "4-тің", "4-тен", "4-пен", "4-тегі", "4-тік"),
    ("5", "бес", "5-ті", "5-ке", "5-те", "5-тің", "5-тен", "5-пен", "5-тегі", "5-тік"),
    ("6", "алты", "6-ны", "6-ға", "6-да", "6-ның", "6-дан", "6-мен", "6-дағы", "6-лық"),
    ("7", "жеті", "7-ні", "7-ге", "7-де", "7-нің", "7-ден", "7-мен", "7-дегі", "7-лік"),
    ("8", "сегіз", "8-ді", "8-ге", "8-де", "8-дің", "8-ден", "8-бен", "8-дегі", "8-дік"),
    ("9", "тоғыз", "9-ды", "9-ға", "9-да", "9-дың", "9-дан", "9-бен", "9-дағы", "9-дық"),
    ("10", "он", "10-ды", "10-ға", "10-да", "10-ның", "10-нан", "10-мен", "10-дағы", "10-дық"),
    ("20", "жиырма", "20-ны", "20-ға", "20-да", "20-ның", "20-дан", "20-мен", "20-дағы",
     "20-лық"),
    ("30", "отыз", "30-ды", "30-ға", "30-да", "30-дың", "30-дан", "30-бен", "30-дағы", "30-дық"),
    ("40", "қырық", "40-ты", "40-қа", "40-та", "40-тың", "40-тан", "40-пен", "40-тағы",
     "40-тық"),
    ("50", "елу", "50-ді", "50-ге", "50-де", "50-дің", "50-ден", "50-мен", "50-дегі", "50-лік"),
    ("60", "алпыс", "60-ты", "60-қа", "60-та", "60-тың", "60-тан", "60-пен", "60-тағы",
     "60-тық"),
    ("70", "жетпіс", "70-ті", "70-ке", "70-те", "70-тің", "70-тен", "70-пен", "70-тегі",
     "70-тік"),
    ("80", "сексен", "80-ді", "80-ге", "80-де", "80-нің", "80-нен", "80-мен", "80-дегі",
     "80-дік"),
    ("90", "тоқсан", "90-ды", "90-ға", "90-да", "90-ның", "90-нан", "90-мен", "90-дағы",
     "90-дық"),
    ("100", "жүз", "100-ді", "100-ге", "100-де", "100-дің", "100-ден", "100-бен", "100-дегі",
     "100-дік"),
    ("1\u00a0000", "мың", "1\u00a0000-ды", "1\u00a0000-ға", "1\u00a0000-да", "1\u00a0000-ның",
     "1\u00a0000-нан", "1\u00a0000-мен", "1\u00a0000-дағы", "1\u00a0000-дық"),
]  # fmt: skip
CASES = ("acc", "dat", "loc", "gen", "abl", "ins", "attr", "adj")


@pytest.mark.parametrize("row", TABLE, ids=[row[0] for row in TABLE])
def test_every_case_after_the_numerals_read_aloud(row):
    printed, word, *forms = row
    digits = int(printed.replace("\u00a0", ""))
    assert number_words(digits)[-1] == word
    assert [with_case(printed, case) for case in CASES] == forms


# Numbers as the reports print them, each read aloud by hand, and one form each.
NUMBERS = [
    (3246, "үш мың екі жүз қырық алты", "3\u00a0246", "acc", "3\u00a0246-ны"),
    (216, "екі жүз он алты", "216", "loc", "216-да"),
    (214, "екі жүз он төрт", "214", "dat", "214-ке"),
    (832, "сегіз жүз отыз екі", "832", "acc", "832-ні"),
    (489, "төрт жүз сексен тоғыз", "489", "gen", "489-дың"),
    (2757, "екі мың жеті жүз елу жеті", "2\u00a0757", "abl", "2\u00a0757-ден"),
    (2021, "екі мың жиырма бір", "2021", "loc", "2021-де"),
    (2023, "екі мың жиырма үш", "2023", "loc", "2023-те"),
    (32, "отыз екі", "32", "gen", "32-нің"),
    (26, "жиырма алты", "26", "acc", "26-ны"),
    (15, "он бес", "15", "dat", "15-ке"),
    (110, "жүз он", "110", "dat", "110-ға"),
    (3749, "үш мың жеті жүз қырық тоғыз", "3\u00a0749", "acc", "3\u00a0749-ды"),
    (8334, "сегіз мың үш жүз отыз төрт", "8\u00a0334", "dat", "8\u00a0334-ке"),
    (7539280, "жеті миллион бес жүз отыз тоғыз мың екі жүз сексен", "7\u00a0539\u00a0280",
     "abl", "7\u00a0539\u00a0280-нен"),
    (2000000, "екі миллион", "2\u00a0000\u00a0000", "dat", "2\u00a0000\u00a0000-ға"),
    (3000, "үш мың", "3\u00a0000", "loc", "3\u00a0000-да"),
    (1100, "мың жүз", "1\u00a0100", "acc", "1\u00a0100-ді"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "read", "printed", "case", "expected"), NUMBERS)
def test_a_number_takes_the_suffix_of_its_last_word(value, read, printed, case, expected):
    assert " ".join(number_words(value)) == read
    assert with_case(printed, case) == expected
    if value < 1900 or value > 2100:  # a year is printed as it is: 2021, not 2 021
        assert kk_case(value, case) == expected  # the number formatted as the reports print it


@pytest.mark.parametrize(("printed", "case", "expected"), [
    ("63,25", "dat", "63,25-ке"),      # … үтір жиырма бес
    ("6,3", "acc", "6,3-ті"),          # … үтір үш
    ("81,2", "acc", "81,2-ні"),        # … үтір екі
    ("57,26", "loc", "57,26-да"),      # … үтір жиырма алты
    ("12,47", "gen", "12,47-нің"),     # … үтір қырық жеті
    ("1,48", "dat", "1,48-ге"),        # … үтір қырық сегіз
    ("55,0", "acc", "55,0-ді"),        # … үтір нөл
    ("72,8", "abl", "72,8-ден"),       # … үтір сегіз
    ("0,5", "loc", "0,5-те"),          # нөл үтір бес
    ("22:10", "loc", "22:10-да"),      # жиырма екі он
    ("22:10", "attr", "22:10-дағы"),
    ("22:00", "attr", "22:00-дегі"),   # жиырма екі (нөл-нөл is not read)
    ("10:00", "attr", "10:00-дағы"),   # он
    ("20:00", "loc", "20:00-да"),      # жиырма
    ("21:00", "attr", "21:00-дегі"),   # жиырма бір
    ("12:40", "attr", "12:40-тағы"),   # он екі қырық
])  # fmt: skip
def test_decimals_and_times_end_in_the_word_read_last(printed, case, expected):
    assert with_case(printed, case) == expected


@pytest.mark.parametrize(("printed", "case", "expected"), [
    ("7%", "adj", "7\u00a0пайыздық"),             # 7 пайыздық өту шегі
    ("7%", "acc", "7\u00a0пайызды"),
    ("7%", "dat", "7\u00a0пайызға"),
    ("7%", "loc", "7\u00a0пайызда"),
    ("63,25%", "acc", "63,25\u00a0пайызды"),      # бұл 63,25 пайызды құрайды
    ("57,26\u00a0%", "abl", "57,26\u00a0пайыздан"),
    ("74–84%", "adj", "74–84\u00a0пайыздық"),
    ("9,5 п.\u00a0т.", "dat", "9,5\u00a0пайыздық тармаққа"),  # 9,5 пайыздық тармаққа жоғары
    ("−4,5 п. т.", "abl", "−4,5\u00a0пайыздық тармақтан"),
])  # fmt: skip
def test_percentages_are_read_as_words_with_the_suffix(printed, case, expected):
    assert with_case(printed, case) == expected


@pytest.mark.parametrize(("printed", "case", "expected"), [
    ("2021 жылғы 10 қаңтар", "loc", "2021 жылғы 10 қаңтарда"),
    ("2021 жылғы 10 қаңтар", "attr", "2021 жылғы 10 қаңтардағы"),
    ("2023 жылғы 19 наурыз", "attr", "2023 жылғы 19 наурыздағы"),
    ("ақпан", "loc", "ақпанда"),
    ("сәуір", "loc", "сәуірде"),
    ("шілде", "loc", "шілдеде"),
    ("қыркүйек", "loc", "қыркүйекте"),
    ("желтоқсан", "gen", "желтоқсанның"),
    ("Қазақстан", "gen", "Қазақстанның"),
    ("Қазақстан", "abl", "Қазақстаннан"),
    ("Алматы", "loc", "Алматыда"),
    ("Шымкент", "loc", "Шымкентте"),
    ("Шымкент", "gen", "Шымкенттің"),
    ("Нұр-Сұлтан", "dat", "Нұр-Сұлтанға"),
    ("ОСК", "gen", "ОСК-ның"),                  # о-эс-ка
    ("ОСК", "dat", "ОСК-ға"),
    ("ADAL", "gen", "ADAL-дың"),                # read as the word адал
])  # fmt: skip
def test_words_dates_and_abbreviations(printed, case, expected):
    assert with_case(printed, case) == expected


def test_a_translation_asks_for_the_case_in_its_placeholder(monkeypatch):
    # "{n:acc}" in a Kazakh translation: the English message keeps "{n}"; the filled text gets
    # the typography: the suffix's hyphen does not break (U+2011), the number keeps its space.
    with i18n.language("kk"):
        said = i18n.fill("Депутаттар саны {n:acc} құрайды, {time:attr} деректер бойынша.",
                         n=i18n.number(3246), time="22:10")  # fmt: skip
        assert said == ("Депутаттар саны 3\u00a0246\u2011ны құрайды, 22:10\u2011дағы деректер "
                        "бойынша.")
        with pytest.raises(ValueError, match="not one of the kk forms"):
            i18n.fill("{body:prep}", body="x")
    with i18n.language("ru"), pytest.raises(ValueError, match="not one of the ru forms"):
        i18n.fill("{n:loc}", n="3")
    with i18n.language("en"):
        assert i18n.fill("{share:.1f}", share=6.25) == "6.2"  # ordinary specs still work (Python)


def test_unknown_cases_and_text_without_a_word_are_refused():
    with pytest.raises(ValueError, match="unknown Kazakh case 'xyz'"):
        with_case("3", "xyz")
    with pytest.raises(ValueError, match="no number or word"):
        with_case("—", "loc")
