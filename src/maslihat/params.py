"""Check notebook and command-line parameters, with messages that list the valid values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # maslihat.data loads pandas: imported where needed, so ALL stays cheap to import
    from maslihat.data import ElectionData

ALL = "All"


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
    from maslihat.i18n import N_, _
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


def resolve_region(region: Any, data: ElectionData) -> str:
    """Return the canonical name of a region parameter, accepting case and source spellings."""
    valid = valid_regions(data)
    if not isinstance(region, str):
        raise ParameterError(
            f"parameter 'region' must be text such as 'Almaty Region' or 'All', got {region!r} "
            f"({type(region).__name__}). Valid regions: {', '.join(valid)}"
        )
    wanted = region.strip().casefold()
    by_name = {name.casefold(): name for name in valid}
    if wanted in by_name:
        return by_name[wanted]
    spellings = data.region_spellings
    meant = sorted(set(spellings.loc[spellings["spelling"].str.casefold() == wanted, "region"]))
    if len(meant) > 1:
        raise ParameterError(
            f"parameter 'region': {region!r} is ambiguous: it names {' and '.join(meant)}. "
            f"Give one of them. Valid regions: {', '.join(valid)}"
        )
    places = {name.casefold(): name for name in data.regions["region"]}
    place = meant[0] if meant else places.get(wanted)
    name = by_name.get(place.casefold()) if place else None
    if place and name is None:
        raise ParameterError(
            f"parameter 'region': {region!r} is {place}, which has no report of its own: the "
            f"reports cover the whole country and the regions of the regional seat table. "
            f"Valid regions: {', '.join(valid)}"
        )
    if name is None:
        raise ParameterError(
            f"parameter 'region': unknown region {region!r}. Valid regions: {', '.join(valid)}"
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
