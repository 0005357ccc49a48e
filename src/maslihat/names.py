"""Names of places and parties in the report's language, from the data package's name tables.

The data and the analysis key places and parties by their English names ('Almaty Region',
'Nur Otan'); what a reader sees goes through `shown`, which gives the name in the language in use
(the prose, tables and charts call it), and leaves any other text as it is.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pandas as pd

from maslihat import i18n
from maslihat.data import resolve_data_dir

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


def place_names(lang: str) -> dict[str, str]:
    """English place name (regions table) → its name in `lang` (place_names.csv); {} for English."""
    if lang == i18n.DEFAULT:
        return {}
    path = resolve_data_dir() / "place_names.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as rows:
        return {row["region"]: row["name"] for row in csv.DictReader(rows)
                if row.get("lang") == lang and row.get("region") and row.get("name")}  # fmt: skip


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
