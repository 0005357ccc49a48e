"""Names of places, parties and mäslihats in the report's language, from the data package's name
tables.

The data and the analysis key places and parties by their English names ('Almaty Region',
'Nur Otan'); what a reader sees goes through `shown`, which gives the name in the language in use
(the prose, tables and charts call it), and leaves any other text as it is.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pandas as pd

from maslihat.data import resolve_data_dir
from maslihat.i18n import languages as i18n
from maslihat.i18n.collation import sort_key
from maslihat.i18n.forms import Inflected

NAME_TABLES = ("place_names.csv", "party_names.csv")


def _names(data_dir: Path, lang: str) -> dict[str, str]:
    """English name → name in `lang`, for every place and party of a data folder; read again when
    a name table changes (a kept kernel must write what a new one would)."""
    if lang == i18n.DEFAULT:
        return {}
    stamps = tuple(
        (data_dir / table).stat().st_mtime_ns if (data_dir / table).exists() else 0
        for table in ("parties.csv", *NAME_TABLES)
    )
    return _read_names(data_dir, lang, stamps)


@cache
def _read_names(data_dir: Path, lang: str, stamps: tuple[int, ...]) -> dict[str, str]:
    if lang == i18n.DEFAULT:
        return {}
    english: dict[str, str] = {}
    # utf-8-sig: a byte-order mark (Excel writes one) is read as no text, as the loader reads it.
    with (data_dir / "parties.csv").open(encoding="utf-8-sig", newline="") as rows:
        english.update({row["party_code"]: row["name"] for row in csv.DictReader(rows)})
    found: dict[str, str] = {}
    for table in NAME_TABLES:
        path = data_dir / table
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig", newline="") as rows:
            for row in csv.DictReader(rows):
                if row.get("lang") != lang or row.get("form", "short") not in ("name", "short"):
                    continue
                key = row.get("region") or english.get(row.get("party_code", ""), "")
                if key:
                    found[key] = row["name"]
    return found


def shown(name: object) -> str:
    """A place or party name in the report's language ('Almaty Region' → 'Алматинская
    область'); other text unchanged."""
    text = str(name)
    return _names(resolve_data_dir(), i18n.current()).get(text, text)


def localised(frame: pd.DataFrame, columns: tuple[str, ...] = ("region", "name")) -> pd.DataFrame:
    """A copy of a frame whose place and party names are in the report's language."""
    names = _names(resolve_data_dir(), i18n.current())
    if not names:
        return frame
    present = [c for c in columns if c in frame.columns]
    return frame.assign(**{c: frame[c].map(lambda v: names.get(v, v) if isinstance(v, str)
                                           else v) for c in present})  # fmt: skip


def alphabetical(places: Iterable[str]) -> list[str]:
    """Places (by their English keys) in the alphabetical order of the names the reader sees,
    in the report's language: 'Turkistan' before 'West Kazakhstan' in English, 'Батыс Қазақстан
    облысы' before 'Жамбыл облысы' in Kazakh."""
    key = sort_key()
    return sorted(places, key=lambda place: key(shown(place)))


FORMS = ("nominative", "genitive", "dative", "accusative", "locative", "ablative",
         "instrumental", "prepositional")  # fmt: skip


@cache
def _read_forms(path: Path, stamp: int) -> dict[tuple[str, str], dict[str, str]]:
    """A names table's forms by (place, language): body_names.csv, place_forms.csv (kept per
    file and modification time)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as rows:
        return {(row["region"], row["lang"]): {f: row[f] for f in FORMS if row.get(f)}
                for row in csv.DictReader(rows)}  # fmt: skip


def place_forms(place: str) -> dict[str, str]:
    """A place's name in each grammatical case of the report's language (data/place_forms.csv),
    by form ('nominative', 'genitive', …; the nominative as a sentence writes it: 'Алматы
    қаласы'); {} for a place or language the table does not hold (English)."""
    data_dir = resolve_data_dir()
    path = data_dir / "place_forms.csv"
    forms = _read_forms(path, path.stat().st_mtime_ns if path.exists() else 0)
    return forms.get((place, i18n.current()), {})


def body_name(place: str, form: str = "nominative") -> str:
    """The official name of a place's regional or city mäslihat in the report's language
    (data/body_names.csv): 'Акмолинский областной маслихат', 'Ақмола облыстық мәслихаты',
    'Akmola regional mäslihat' (English prose writes 'the' before it).

    The nominative comes as an `Inflected` name holding every form of the table, so that a
    translation asks for the one its sentence needs ('{body:prep}' → 'Акмолинском областном
    маслихате', '{body:loc}' → 'Ақмола облыстық мәслихатында'); `form` ('genitive' or 'gen', …)
    gives one form directly."""
    data_dir = resolve_data_dir()
    path = data_dir / "body_names.csv"
    bodies = _read_forms(path, path.stat().st_mtime_ns if path.exists() else 0)
    forms = bodies.get((place, i18n.current()))
    if forms is None:
        places = sorted({p for p, _lang in bodies})
        raise KeyError(f"{path}: no {i18n.current()} name of the mäslihat of {place!r}; the "
                       f"table names those of {', '.join(places)}")  # fmt: skip
    name = Inflected(forms["nominative"], forms)
    return name if form in ("nominative", "nom") else name.form(form)
