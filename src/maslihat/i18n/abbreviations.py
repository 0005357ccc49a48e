"""Abbreviations spelled out at their first mention in a report, as a newspaper does: the first
time a report's running text writes 'НПК' it writes 'НПК (Народная партия Казахстана)', and the
abbreviation alone afterwards.

The full name follows the abbreviation in brackets, in the nominative, so that it reads right
wherever the sentence puts the abbreviation ('доля мандатов партии НПК (Народная партия
Казахстана)', 'ҚХП-ға (Қазақстан Халық партиясы)'); a bracket that already follows the
abbreviation takes the name first ('НПК (Народная партия Казахстана, 2,98 %)').

The abbreviations: the parties' short names that are abbreviations (data/party_names.csv, with
their full names there) and the others of `abbreviations.csv` beside this module (ЦИК, ОСК). A
report begins with `maslihat.i18n.use` (its `lang` parameter); `spelled_out` remembers what the
report has introduced until then.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from maslihat.i18n import languages
from maslihat.i18n.typography import typeset

ABBREVIATIONS = Path(__file__).resolve().parent / "abbreviations.csv"
# An abbreviation: 2 to 6 Cyrillic capitals (ADAL, a name in Latin capitals, is not one).
ABBREVIATION = re.compile(r"[А-ЯЁӘҒҚҢӨҰҮҺІ]{2,6}")

_introduced: set[str] = set()
_report = -1


def _stamp(path: Path) -> int:
    return path.stat().st_mtime_ns if path.exists() else 0


def abbreviations(lang: str) -> dict[str, str]:
    """Abbreviation → full name in `lang`: the parties' (from the data) and abbreviations.csv's."""
    from maslihat.data import resolve_data_dir

    parties = resolve_data_dir() / "party_names.csv"
    return _read(lang, parties, _stamp(parties), _stamp(ABBREVIATIONS))


@cache
def _read(lang: str, parties: Path, *stamps: int) -> dict[str, str]:
    found: dict[str, str] = {}
    if parties.exists():
        names: dict[tuple[str, str], str] = {}
        with parties.open(encoding="utf-8-sig", newline="") as rows:
            for row in csv.DictReader(rows):
                if row.get("lang") == lang:
                    names[row["party_code"], row["form"]] = row["name"]
        for (code, form), short in names.items():
            full = names.get((code, "full"))
            if form == "short" and full and ABBREVIATION.fullmatch(short) and short not in full:
                found[short] = full
    with ABBREVIATIONS.open(encoding="utf-8", newline="") as rows:
        found.update({row["abbreviation"]: row["full"] for row in csv.DictReader(rows)
                      if row["lang"] == lang})  # fmt: skip
    return found


def spelled_out(text: str) -> str:
    """Running text of the report with each abbreviation it has not written before spelled out
    at its first occurrence (see the module's description); the others as they are."""
    global _report
    if languages.report_number() != _report:  # a new report: nothing introduced yet
        _report = languages.report_number()
        _introduced.clear()
    lang = languages.current()
    for short, full in abbreviations(lang).items():
        if short in _introduced or short not in text:
            continue
        found = re.search(rf"(?<![\w-]){short}(?P<suffix>[-\u2011]\w+)?(?!\w)(?P<bracket> \()?",
                          text)  # fmt: skip
        if not found:
            continue
        _introduced.add(short)
        name = typeset(full, lang)
        said = f"{short}{found['suffix'] or ''} ({name}" + (", " if found["bracket"] else ")")
        text = text[: found.start()] + said + text[found.end():]
    return text
