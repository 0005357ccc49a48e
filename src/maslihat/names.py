"""Names of places and parties in the report's language, from the data package's name tables.

The data and the analysis key places and parties by their English names ('Almaty Region',
'Nur Otan'); what a reader sees goes through `shown`, which gives the name in the language in use
(the prose, tables and charts call it), and leaves any other text as it is.
"""

from __future__ import annotations

import csv
import re
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


def _place_keys(data_dir: Path) -> tuple[str, ...]:
    """The places of regions.csv by their keys ('Almaty (city)'), read again when it changes."""
    path = data_dir / "regions.csv"
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    return _read_place_keys(path, stamp)


@cache
def _read_place_keys(path: Path, stamp: int) -> tuple[str, ...]:
    if not stamp:
        return ()
    with path.open(encoding="utf-8-sig", newline="") as rows:
        return tuple(row["region"] for row in csv.DictReader(rows) if row.get("region"))


CITY_KEY = " (city)"  # how the data's keys tell a city from a region of the same name


def prose(name: object, start: bool = False) -> str:
    """A place as a sentence names it, in the report's language: the data's table label
    'Almaty (city)' becomes 'the city of Almaty' where the bare name would also name another place
    (Almaty Region), else the bare name ('Shymkent'); other text as `shown` gives it. `start`: the
    name opens a sentence ('The city of Almaty')."""
    named = _prose(str(name))
    return named[:1].upper() + named[1:] if start else named


def _prose(text: str) -> str:
    data_dir = resolve_data_dir()
    keys = _place_keys(data_dir)
    if text not in keys or not text.endswith(CITY_KEY):
        return shown(text)
    label = shown(text)
    bare = label[: -len(CITY_KEY)] if label.endswith(CITY_KEY) else label
    others = [shown(k) for k in keys if k != text]
    if any(other.startswith(bare + " ") for other in others):
        return i18n._("the city of {name}", name=bare)
    return bare


def body_name(place: str, start: bool = False) -> str:
    """The mäslihat of a place as people name it, in the report's language: 'the Akmola
    regional mäslihat', 'the Shymkent city mäslihat'; the 'All' place: 'all mäslihats'. `start`:
    the name opens a sentence ('The Shymkent city mäslihat')."""
    named = _body_name(place)
    return named[:1].upper() + named[1:] if start else named


def _body_name(place: str) -> str:
    from maslihat.params import ALL

    if place == ALL:
        return i18n._("all mäslihats")
    label = shown(place)
    keys = _place_keys(resolve_data_dir())
    if place.endswith(CITY_KEY) and place in keys:
        bare = label[: -len(CITY_KEY)] if label.endswith(CITY_KEY) else label
        return i18n._("the {city} city mäslihat", city=bare)
    return i18n._("the {region} regional mäslihat", region=_region_stem(label))


def _region_stem(label: str) -> str:
    """The word a regional mäslihat's name is made from, in the report's language: 'Akmola'
    (Akmola Region), 'Ақмола' (Ақмола облысы), 'Акмолинский' (Акмолинская область)."""
    lang = i18n.current()
    if lang == "kk":
        return label.removesuffix(" облысы")
    if lang == "ru":
        return re.sub(r"ская область$", "ский", label)
    return label.removesuffix(" Region")
