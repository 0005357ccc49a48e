"""Names of places, parties and mäslihats as the reports' sentences write them.

The names themselves live in `maslihat.i18n.names` (`shown`, `localised`, and the official names of
the mäslihats from data/body_names.csv); this module, the address notebooks import them from, adds
how prose uses them: `prose` names a place as a sentence does ('the city of Almaty', never the
table label 'Almaty (city)'), `body_name` a mäslihat with its article in English and a capital
where it opens a sentence.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from maslihat.data import resolve_data_dir
from maslihat.i18n import languages
from maslihat.i18n.forms import Inflected
from maslihat.i18n.messages import _
from maslihat.i18n.names import body_name as official_body_name
from maslihat.i18n.names import localised, place_forms, shown

__all__ = ["body_name", "localised", "official_body_name", "place_names", "prose", "shown"]


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


def place_names(lang: str) -> dict[str, str]:
    """English place name (regions table) → its name in `lang` (place_names.csv); {} for English."""
    if lang == languages.DEFAULT:
        return {}
    path = resolve_data_dir() / "place_names.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as rows:
        return {row["region"]: row["name"] for row in csv.DictReader(rows)
                if row.get("lang") == lang and row.get("region") and row.get("name")}  # fmt: skip


def _capital(name: str) -> str:
    """A name that opens a sentence: its first letter upper-case. Only the nominative, the form
    the English sentence opens with: a translation that puts another form mid-sentence writes it
    as the data does ('на выборах в маслихат города Алматы', not '… в Маслихат …')."""
    def up(text: str) -> str:
        return text[:1].upper() + text[1:]

    if isinstance(name, Inflected):
        return Inflected(up(name), {**name.forms, "nominative": up(name)})
    return up(name)


def prose(name: object, start: bool = False) -> str:
    """A place as a sentence names it, in the report's language: the data's table label
    'Almaty (city)' becomes 'the city of Almaty' where the bare name would also name another place
    (Almaty Region), else the bare name ('Shymkent'); other text as `shown` gives it. `start`: the
    name opens a sentence ('The city of Almaty').

    A place comes as an `Inflected` name holding its cases (data/place_forms.csv), so that a
    translation writes '{place:prep}' → 'Акмолинской области', '{place:loc}' → 'Ақмола
    облысында'."""
    text = str(name)
    named = _prose(text)
    forms = place_forms(text)
    if forms:
        if forms.get("nominative", named) != named:
            raise ValueError(
                f"{resolve_data_dir() / 'place_forms.csv'}: the {languages.current()} row of "
                f"{text!r} declines {forms['nominative']!r}, but a sentence names the place "
                f"{named!r} (place_names.csv): give the forms of that name"
            )
        named = Inflected(named, forms)
    return _capital(named) if start else named


def _prose(text: str) -> str:
    keys = _place_keys(resolve_data_dir())
    if text not in keys or not text.endswith(CITY_KEY):
        return shown(text)
    label = shown(text)
    bare = label[: -len(CITY_KEY)] if label.endswith(CITY_KEY) else label
    others = [shown(k) for k in keys if k != text]
    if any(other.startswith(bare + " ") for other in others):
        return _("the city of {name}", name=bare)
    return bare


def body_name(place: str, start: bool = False) -> str:
    """The mäslihat of a place as a sentence names it, in the report's language: 'the Akmola
    regional mäslihat', 'Акмолинский областной маслихат' (with its other forms, for '{body:prep}'
    in a translation); the 'All' place: 'all mäslihats'. `start`: it opens a sentence."""
    from maslihat.params import ALL

    if place == ALL:
        named: str = _("all mäslihats")
    else:
        named = official_body_name(place)
        if languages.current() == "en":  # English running text writes the article before it
            named = Inflected(f"the {named}", {f: f"the {t}" for f, t in named.forms.items()})
    return _capital(named) if start else named
