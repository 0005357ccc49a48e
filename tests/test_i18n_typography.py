"""No-break spaces and hyphens where a Kazakh or Russian line must not break."""

from __future__ import annotations

import pytest

from maslihat import i18n
from maslihat.i18n.typography import typeset

NBSP, NBH = "\u00a0", "\u2011"


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("ru", "снижение на 4,5 п. п.", f"снижение на 4,5{NBSP}п.{NBSP}п."),
    ("kk", "−6,7 п. т.)", f"−6,7{NBSP}п.{NBSP}т.)"),
    ("ru", "Nur Otan — 26 мест", f"Nur{NBSP}Otan{NBSP}— 26{NBSP}мест"),
    ("ru", "«Ак жол» — 3 места", f"«Ак{NBSP}жол»{NBSP}— 3{NBSP}места"),
    ("kk", "«Ақ жол» партиясы", f"«Ақ{NBSP}жол» партиясы"),
    ("kk", "ОСК-ның деректері", f"ОСК{NBH}ның деректері"),
    ("kk", "3 246-ны құрайды", f"3 246{NBH}ны құрайды"),
    ("kk", "2021 жылғы 10 қаңтарда", f"2021{NBSP}жылғы 10{NBSP}қаңтарда"),
    ("ru", "10 января 2021 года", f"10{NBSP}января 2021{NBSP}года"),
    ("kk", "0 тексеріс", f"0{NBSP}тексеріс"),
    # what must stay: hyphenated words, ranges, addresses, English
    ("ru", "Восточно-Казахстанская область, 2021-01", "Восточно-Казахстанская область, 2021-01"),
    ("ru", "https://kursiv.kz/news/2021-01/v-kazakhstane", "https://kursiv.kz/news/2021-01/v-kazakhstane"),
    ("en", "Nur Otan — 26 seats", "Nur Otan — 26 seats"),
])  # fmt: skip
def test_lines_do_not_break_inside_units_names_and_suffixes(lang, text, expected):
    assert typeset(text, lang) == expected


def test_every_translated_message_is_typeset():
    with i18n.language("ru"):
        assert i18n.n_("{n} page", "{n} pages", 26, n="26") == f"26{NBSP}страниц"
        assert i18n.fill("{a} — {b}", a="НПК", b="0") == f"НПК{NBSP}— 0"
    with i18n.language("en"):
        assert i18n.n_("{n} page", "{n} pages", 26, n="26") == "26 pages"


@pytest.mark.parametrize(("text", "expected"), [
    ("англоязычная Википедия", "Англоязычная Википедия"),
    ("ағылшын тіліндегі Уикипедия", "Ағылшын тіліндегі Уикипедия"),
    ("әділет", "Әділет"),
    # a name in Latin letters keeps its own spelling, a lower-case first letter included
    ("amCharts (npm пакеті)", "amCharts (npm пакеті)"),
    ("otyrar.kz", "otyrar.kz"),
    ("Kazinform", "Kazinform"),
    ("", ""),
])  # fmt: skip
def test_a_name_opening_a_sentence_starts_with_a_capital_unless_written_in_latin(text, expected):
    assert i18n.sentence_start(text) == expected
