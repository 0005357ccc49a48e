"""Numbers and percentages in the language's way (CLDR, through Babel), rounded as readers and the
CEC round: a half goes up (2 of 32 seats = 6.25% → '6.3%'), where Babel alone would round it to
the even digit ('6.2%')."""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal

from maslihat.i18n.languages import locale


def rounded(value: float | Decimal, digits: int = 0) -> Decimal:
    """A number rounded half up to `digits` decimals, from the shortest decimal text of the float
    (6.25 → 6.3, 0.15 → 0.2, 81.25 → 81.3; -6.25 → -6.3): what prose, tables and charts print."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def number(value: float, digits: int = 0) -> str:
    """A number in the language's way: 3246 → '3,246' (en), '3 246' (ru, kk); 6.25 → '6.3'."""
    pattern = copy.copy(locale().decimal_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern.apply(rounded(value, digits), locale())


def percent(value: float, digits: int | None = 1) -> str:
    """A percentage given in percent: 57.26 → '57.26%' (en), '57,26 %' (ru); digits=None writes a
    set value as given: 7.0 → '7%'."""
    if digits is None:
        text = f"{value:g}"
        digits = len(text.split(".")[1]) if "." in text else 0
    pattern = copy.copy(locale().percent_formats[None])
    pattern.frac_prec = (digits, digits)
    return pattern.apply(rounded(value, digits) / 100, locale())


def percent_range(low: float, high: float, digits: int = 1) -> str:
    """A range of percentages with one sign, as the press writes it: '74–84%' (ru '74–84 %')."""
    if rounded(low, digits) == rounded(high, digits):
        return percent(low, digits)
    return number(low, digits) + "\u2013" + percent(high, digits)


def vega_number_locale(lang: str | None = None) -> dict:
    """The language's number symbols as a Vega-Lite `config.locale.number` (d3-format)."""
    symbols = locale(lang).number_symbols.get("latn", locale(lang).number_symbols)
    percent_pattern = locale(lang).percent_formats[None].pattern
    return {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [3],
        "currency": ["", ""],
        "percent": "\u00a0%" if "\u00a0%" in percent_pattern else "%",
        "minus": "\u2212",
    }
