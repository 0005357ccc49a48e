"""Check notebook and command-line parameters, with messages that list the valid values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # maslihat.data loads pandas: imported where needed, so ALL stays cheap to import
    from maslihat.data import ElectionData

ALL = "All"



def N_(message: str) -> str:
    """Mark a message for the catalogs (as maslihat.i18n.N_, without loading Babel here)."""
    return message


# What the report notebooks' other parameters are called where a reader sees them (a report's
# title block, the index), and the words for their coded values; `i18n._` translates them there.
PARAMETER_LABELS = {
    "as_of": N_("Turnout as of"),
    "threshold_pct": N_("Threshold (%)"),
    "seat_basis": N_("Seats set against the lists"),
}
PARAMETER_VALUES = {
    ("seat_basis", "local"): N_("all mäslihats"),
    ("seat_basis", "regional"): N_("regional mäslihats"),
}


class ParameterError(ValueError):
    """A parameter has a value the reports cannot use; the message lists what is valid."""


def place_order(places: Iterable[str], cities: Iterable[str]) -> list[str]:
    """The places in the order every list shows them: 'All' (the whole country) first, then the
    regions A–Z, then the cities (those in `cities`) A–Z, by the names the reader sees, in the
    alphabet of the report's language (Kazakh: Ақмола, Ақтөбе, Алматы, …, Қарағанды, …). In
    English without pandas: `render.nothing_to_do` lists the places with it too."""
    from maslihat.i18n import DEFAULT, current, sort_key

    city = set(cities)
    rest = dict.fromkeys(p for p in places if p != ALL)
    if current() == DEFAULT:
        name = str
    else:
        from maslihat.i18n.names import shown as name
    key = sort_key()
    return [ALL, *sorted(rest, key=lambda p: (p in city, key(name(p)), p))]


def shown_parameters(variant: Iterable[tuple[str, Any]]) -> list[dict[str, str]]:
    """Parameters as a reader sees them, in the report's language: [{'label': 'Turnout as of',
    'value': '20:00'}]; a parameter without a label is shown by its name."""
    from maslihat.i18n import _, number

    shown = []
    for name, value in variant:
        if isinstance(value, bool) or value is None:
            text = str(value)
        elif isinstance(value, int | float):
            text = number(value, len(f"{value:g}".partition(".")[2]) if "e" not in f"{value:g}"
                          else 2)  # fmt: skip
        else:
            text = _(PARAMETER_VALUES.get((name, value), str(value)))
        shown.append({"name": name, "label": _(PARAMETER_LABELS.get(name, name)), "value": text})
    return shown


def valid_regions(data: ElectionData) -> list[str]:
    """'All' (the whole country), the regions with regional-seat data A–Z, then the cities with
    city results A–Z (in the report's language): the places of the reports, in the order of the
    books, index and messages."""
    from maslihat.data import region_names

    regions = data.regions
    return place_order(region_names(data), regions.loc[regions["kind"] == "city", "region"])


def place_name(region: str, data: ElectionData) -> str:
    """What a (resolved) region parameter stands for in prose, in the report's language: the
    region or city, or the country."""
    from maslihat.i18n import _
    from maslihat.names import shown

    N_("Kazakhstan")  # the country as the data names it, for the catalogs
    return _(str(data.facts["country"])) if region == ALL else shown(region)


def use_language(lang: Any) -> str:
    """Make `lang` the language of the report; raise naming the parameter and the languages."""
    from maslihat import i18n

    try:
        return i18n.use(lang)
    except i18n.UnknownLanguage:
        raise ParameterError(
            f"parameter 'lang': {lang!r} is not a language of the reports. Valid languages: "
            + ", ".join(f"{code} ({name})" for code, name in i18n.LANGUAGE_ENGLISH_NAMES.items())
        ) from None


# Words a place name may be typed with after it: "Karaganda Region", "Karaganda oblast",
# "Shymkent city". The name tables' own forms ("Карагандинская область") are taken as they stand.
REGION_WORDS = ("region", "oblast", "oblysy", "province")
CITY_WORDS = ("city",)
NEAR_MISS = 0.75  # how alike (difflib's ratio) a typed name and a known one must be to suggest it


def name_key(name: str) -> str:
    """A place name as compared: any case, 'ё' as 'е', hyphens and runs of spaces as one space."""
    import re
    import unicodedata

    folded = unicodedata.normalize("NFC", name).casefold().replace("ё", "е")
    return re.sub(r"[\s\u2010-\u2015-]+", " ", folded).strip()


def place_spellings(data: ElectionData) -> dict[str, set[str]]:
    """Every way a place may be typed (name_key form) → the places (regions table names) it names.

    The places' English names, the spellings of the region_spellings table, their Kazakh and
    Russian names (place_names.csv), each English name and spelling followed by 'Region' (a
    region) or 'city' (a city). A spelling of two places ('Almaty') maps to both.
    """
    from maslihat.names import place_names

    kinds = dict(zip(data.regions["region"], data.regions["kind"], strict=True))
    found: dict[str, set[str]] = {}

    def add(spelling: str, place: str) -> None:
        if isinstance(spelling, str) and spelling.strip() and place in kinds:
            found.setdefault(name_key(spelling), set()).add(place)

    english = [(place, place) for place in kinds]
    english += list(zip(data.region_spellings["spelling"], data.region_spellings["region"],
                        strict=True))  # fmt: skip
    for spelling, place in english:
        add(spelling, place)
        bare = spelling.removesuffix(" (city)").removesuffix(" Region")
        for word in CITY_WORDS if kinds.get(place) == "city" else REGION_WORDS:
            add(f"{bare} {word}", place)
    for lang in ("kk", "ru"):
        for place, name in place_names(lang).items():
            add(name, place)
    return found


def _did_you_mean(wanted: str, spellings: dict[str, set[str]], valid: list[str]) -> str:
    """' (did you mean 'Karaganda'?)' for a name like a known one (the likest, and any nearly as
    like), else ''."""
    import difflib

    typed = name_key(wanted)
    scores: dict[str, float] = {}
    for key, places in spellings.items():
        (place,) = places if len(places) == 1 else (None,)
        if place in valid:
            score = difflib.SequenceMatcher(None, typed, key).ratio()
            scores[place] = max(score, scores.get(place, 0.0))
    best = max(scores.values(), default=0.0)
    if best < NEAR_MISS:
        return ""
    places = sorted((p for p, s in scores.items() if s >= best - 0.05), key=lambda p: -scores[p])
    return f" (did you mean {' or '.join(map(repr, places))}?)"


def resolve_region(region: Any, data: ElectionData) -> str:
    """Return the canonical name of a region parameter, accepting it as people type it: any case,
    the sources' spellings, the Kazakh and Russian names, '<name> Region'; a near miss is refused
    with the name it resembles, a name of two places naming both."""
    valid = valid_regions(data)
    if not isinstance(region, str):
        raise ParameterError(
            f"parameter 'region' must be text such as 'Almaty Region' or 'All', got {region!r} "
            f"({type(region).__name__}). Valid regions: {', '.join(valid)}"
        )
    wanted = name_key(region)
    by_name = {name_key(name): name for name in valid}
    if wanted in by_name:
        return by_name[wanted]
    spellings = place_spellings(data)
    meant = sorted(spellings.get(wanted, ()))
    if len(meant) > 1:
        raise ParameterError(
            f"parameter 'region': {region!r} is ambiguous: it names {' and '.join(meant)}. "
            f"Give one of them. Valid regions: {', '.join(valid)}"
        )
    name = by_name.get(name_key(meant[0])) if meant else None
    if meant and name is None:
        raise ParameterError(
            f"parameter 'region': {region!r} is {meant[0]}, which has no report of its own: the "
            f"reports cover the whole country and the regions of the regional seat table. "
            f"Valid regions: {', '.join(valid)}"
        )
    if name is None:
        raise ParameterError(
            f"parameter 'region': unknown region {region!r}"
            f"{_did_you_mean(region, spellings, valid)}. Valid regions: {', '.join(valid)}"
        )
    return name


def check_choice(name: str, value: Any, choices: Sequence[Any]) -> Any:
    """Return value if it is one of choices, else raise naming the parameter and the choices."""
    if value not in choices:
        raise ParameterError(
            f"parameter '{name}': {value!r} is not valid. Valid values: "
            + ", ".join(map(str, choices))
        )
    return value


def check_type(
    name: str, value: Any, kind: type | tuple[type, ...], valid: str | None = None
) -> Any:
    """Return value if it has the expected type, else raise naming the parameter and the type.

    `valid` describes the valid values in words (e.g. 'a number from 0 to 100') for the message.
    """
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        expected = valid or " or ".join(k.__name__ for k in kinds)
        raise ParameterError(
            f"parameter '{name}' must be {expected}, got {value!r} ({type(value).__name__})"
        )
    return value


def check_range(name: str, value: float, low: float, high: float) -> float:
    """Return value if low <= value <= high, else raise naming the parameter and the range."""
    if not low <= value <= high:
        raise ParameterError(f"parameter '{name}' must lie between {low} and {high}, got {value!r}")
    return value
