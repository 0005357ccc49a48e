"""What is notable about a place, ranked against the others: the news a lead sentence tells.

Every claim is computed for every place from the data, never written per place: the largest
party's seat share and the turnout ranked among the 17 regional and city mäslihats (and among the
14 regions, or the 3 cities), the number of parties that won seats where few places share it, and
a party shut out where it won seats almost everywhere else. `claims(data, place)` returns them
most notable first; `claim_text` words one in the report's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from maslihat.analysis import largest_party, regional_turnout, seat_shares
from maslihat.data import ElectionData, is_city, party_names, per_data, region_names
from maslihat.i18n import N_, _, n_, p_
from maslihat.names import prose, shown
from maslihat.text import listing, num

# The measures a place is ranked by, in the order a lead prefers them.
SHARE, TURNOUT, PARTIES, SHUT_OUT = "share", "turnout", "parties", "shut_out"
HIGHEST, LOWEST = "highest", "lowest"


@dataclass(frozen=True)
class Claim:
    """One ranked fact about a place: its value of a measure against the others in `scope`.

    `rank` counts from the top (1 = highest), the same for tied places; `tied` names the other
    places with the same value; `extreme` is HIGHEST, LOWEST or '' (neither); `party` is the party
    the measure is about (the largest party's share; the party shut out).
    """

    measure: str
    place: str
    value: float
    rank: int
    of: int
    scope: tuple[str, ...]
    tied: tuple[str, ...] = ()
    extreme: str = ""
    party: str = ""
    rank_from_bottom: int = 0

    @property
    def notable(self) -> bool:
        """An extreme, or a pattern few places share: worth a lead."""
        return bool(self.extreme) or self.measure in (PARTIES, SHUT_OUT)


@per_data(words=False)
def place_measures(data: ElectionData, as_of: str = "22:00") -> pd.DataFrame:
    """Each place's figures a lead ranks: seats, the largest party's seats and exact share,
    parties with seats, seats per party (one column per party code) and turnout at `as_of`
    (once per process for the same data)."""
    turnout = regional_turnout(data, as_of).set_index("region")["turnout_pct"]
    rows = []
    for place in region_names(data):
        shares = seat_shares(data, place)
        top = largest_party(shares)
        seats = shares.set_index("party_code")["seats"].astype(int)
        rows.append(
            {
                "place": place,
                "city": is_city(data, place),
                "seats": int(seats.sum()),
                "party_code": str(top["party_code"]),
                "top_seats": int(top["seats"]),
                "share": Fraction(int(top["seats"]), int(seats.sum())),
                "parties": int((seats > 0).sum()),
                "turnout_pct": float(turnout.get(place, float("nan"))),
                **{f"seats_{code}": int(n) for code, n in seats.items()},
            }
        )
    return pd.DataFrame(rows).set_index("place")


def _ranked(values: pd.Series, place: str, measure: str, party: str = "") -> Claim | None:
    """The place's rank among `values` (highest first), its ties, and whether it is an extreme."""
    values = values.dropna()
    if place not in values.index or len(values) < 2:
        return None
    mine = values[place]
    rank = 1 + int((values > mine).sum())
    tied = tuple(p for p in values.index if p != place and values[p] == mine)
    from_bottom = 1 + int((values < mine).sum())
    extreme = HIGHEST if rank == 1 else LOWEST if from_bottom == 1 else ""
    return Claim(measure, place, float(mine), rank, len(values), tuple(values.index), tied,
                 extreme, party, from_bottom)  # fmt: skip


def claims(data: ElectionData, place: str, as_of: str = "22:00") -> list[Claim]:
    """What is notable about a place, most notable first; the rank of the largest party's share
    and of the turnout among all places always come last, so a lead has at least those."""
    table = place_measures(data, as_of)
    if place not in table.index:
        return []
    same_kind = table[table["city"] == table.loc[place, "city"]]
    leader = str(table.loc[place, "party_code"])
    found: list[Claim] = []
    ranked_all: list[Claim] = []
    for measure, column in ((SHARE, "share"), (TURNOUT, "turnout_pct")):
        over_all = _ranked(table[column], place, measure, leader if measure == SHARE else "")
        if over_all is None:
            continue
        ranked_all.append(over_all)
        if over_all.extreme:
            found.append(over_all)
            continue
        within = _ranked(same_kind[column], place, measure, leader if measure == SHARE else "")
        if within is not None and within.extreme and len(same_kind) > 2:
            found.append(within)
    found += _rare_patterns(table, place)
    rest = [c for c in ranked_all if c not in found]
    return found + rest


def _rare_patterns(table: pd.DataFrame, place: str) -> list[Claim]:
    """A number of parties with seats that at most two places share; a party with no seat here
    that won seats in all but at most two places."""
    out = []
    parties = table["parties"]
    sharing = tuple(p for p in table.index if parties[p] == parties[place] and p != place)
    if len(sharing) <= 1:
        out.append(Claim(PARTIES, place, float(parties[place]), 0, len(table),
                         tuple(table.index), sharing))  # fmt: skip
    for column in (c for c in table.columns if c.startswith("seats_")):
        code = column.removeprefix("seats_")
        shut = tuple(p for p in table.index if table.loc[p, column] == 0)
        if place in shut and 0 < len(table) - len(shut) and len(shut) <= 2:
            others = tuple(p for p in shut if p != place)
            out.append(Claim(SHUT_OUT, place, 0.0, 0, len(table), tuple(table.index), others,
                             party=code))  # fmt: skip
    return out


def _scope_words(claim: Claim, data: ElectionData) -> str:
    """Which places a claim ranks the place among, in words: mäslihats for seats, places for
    turnout."""
    cities = [p for p in claim.scope if is_city(data, p)]
    turnout = claim.measure == TURNOUT
    if len(cities) == len(claim.scope):
        return _("of the three cities") if turnout else _("of the three cities' mäslihats")
    if not cities:
        if turnout:
            return n_("of the {n} region", "of the {n} regions", claim.of, n=num(claim.of))
        return n_("of the {n} regional mäslihat", "of the {n} regional mäslihats", claim.of,
                  n=num(claim.of))  # fmt: skip
    if turnout:
        return n_("of the {n} region and city", "of the {n} regions and cities", claim.of,
                  n=num(claim.of))  # fmt: skip
    return n_("of the {n} regional and city mäslihat", "of the {n} regional and city mäslihats",
              claim.of, n=num(claim.of))


def _with_ties(text: str, claim: Claim) -> str:
    if not claim.tied:
        return text
    return _("{claim} (with {others})", claim=text,
             others=listing(list(claim.tied)))


# Whole phrases for each extreme, so translators see the sentence (N_: translated where used).
EXTREMES = {
    (SHARE, HIGHEST): N_("{party}'s highest share {scope}"),
    (SHARE, LOWEST): N_("{party}'s lowest share {scope}"),
    (TURNOUT, HIGHEST): N_("the highest turnout {scope}"),
    (TURNOUT, LOWEST): N_("the lowest turnout {scope}"),
}


# By measure, counted from the bottom, tied: {rank} is `ordinal`'s (7th in English, 7 else).
RANKS = {
    (SHARE, False, False): N_("{party}'s {rank}-highest share {scope}"),
    (SHARE, False, True): N_("{party}'s joint {rank}-highest share {scope}"),
    (SHARE, True, False): N_("{party}'s {rank}-lowest share {scope}"),
    (SHARE, True, True): N_("{party}'s joint {rank}-lowest share {scope}"),
    (TURNOUT, False, False): N_("the {rank}-highest turnout {scope}"),
    (TURNOUT, False, True): N_("the joint {rank}-highest turnout {scope}"),
    (TURNOUT, True, False): N_("the {rank}-lowest turnout {scope}"),
    (TURNOUT, True, True): N_("the joint {rank}-lowest turnout {scope}"),
}


def claim_text(claim: Claim, data: ElectionData) -> str:
    """A claim as a phrase in the report's language: "Nur Otan's highest share of the 17
    regional and city mäslihats", "the only mäslihat where Auyl won no seat"."""
    names = party_names(data)
    party = shown(names.get(claim.party, claim.party)) if claim.party else ""
    scope = _scope_words(claim, data)
    if claim.measure in (SHARE, TURNOUT) and claim.extreme:
        return _with_ties(_(EXTREMES[claim.measure, claim.extreme], party=party, scope=scope),
                          claim)  # fmt: skip
    if claim.measure in (SHARE, TURNOUT):
        low = claim.rank > claim.rank_from_bottom  # nearer the bottom: counted from there
        rank = claim.rank_from_bottom if low else claim.rank
        message = RANKS[claim.measure, low, bool(claim.tied)]
        return _(message, party=party, rank=ordinal(rank), scope=scope)
    if claim.measure == PARTIES:
        n = int(claim.value)
        if not claim.tied:
            return n_("the only mäslihat where {n} party won seats",
                      "the only mäslihat where {n} parties won seats", n, n=num(n))
        return n_("one of two mäslihats, with {other}, where {n} party won seats",
                  "one of two mäslihats, with {other}, where {n} parties won seats", n,
                  n=num(n), other=prose(claim.tied[0]))  # fmt: skip
    if claim.measure == SHUT_OUT:
        if not claim.tied:
            return _("the only mäslihat where {party} won no seat", party=party)
        return _("one of two mäslihats, with {other}, where {party} won no seat", party=party,
                 other=prose(claim.tied[0]))  # fmt: skip
    raise ValueError(f"unknown measure {claim.measure!r}")


def ordinal(n: int) -> str:
    """A rank for a message's {rank}: in English with its ordinal ending, 1st, 2nd, 3rd, 11th
    (CLDR's ordinal plural rules); in Kazakh and Russian the plain number, which their messages
    write with their own words (7-е место, 7-орын)."""
    from maslihat.i18n import current, locale

    if current() != "en":
        return str(n)
    form = locale("en").ordinal_form(n)
    return f"{n}" + {"one": "st", "two": "nd", "few": "rd"}.get(form, "th")


def describe(
    claims_: list[Claim], data: ElectionData, most: int = 2, measures: tuple[str, ...] = ()
) -> str:
    """The most notable claims (at most `most`; of `measures` only, if given) joined as prose;
    where none is notable, the rank of the largest party's share."""
    chosen = [c for c in claims_ if c.notable and (not measures or c.measure in measures)][:most]
    chosen = chosen or [c for c in claims_ if c.measure == SHARE][:1]
    texts = [claim_text(c, data) for c in chosen]
    subjects = {c.measure in ABOUT_THE_BODY for c in chosen}
    if len(texts) == 2 and len(subjects) == 2:
        # a share and a mäslihat are unlike subjects: English joins the two phrases with 'and',
        # Kazakh and Russian make the second a clause of its own ('…; кроме того, это …')
        return p_("a lead's claims about a share and about a mäslihat", "{first} and {second}",
                  first=texts[0], second=texts[1])  # fmt: skip
    return listing(texts)


def turnout_extreme(claims_: list[Claim]) -> Claim | None:
    """The place's turnout claim when it is an extreme (highest or lowest of its scope)."""
    return next((c for c in claims_ if c.measure == TURNOUT and c.extreme), None)


SEATS = (SHARE, PARTIES, SHUT_OUT)  # the claims about a mäslihat's seats, for a seat lead
ABOUT_THE_BODY = (PARTIES, SHUT_OUT)  # claims whose subject is the mäslihat, not a party's share
