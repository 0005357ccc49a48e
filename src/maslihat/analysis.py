"""The analyses behind the notebooks: turnout comparisons, party lists, seat shares and indices.

Every function takes the loaded `ElectionData` and returns a tidy frame, so notebooks only narrate.
"""

from __future__ import annotations

import re

import pandas as pd

from maslihat.allocation import allocate_seats
from maslihat.data import ElectionData, is_city, party_names, publishers
from maslihat.figures import (
    body_label,
    count,
    counts_by_source,
    party_figures,
    preferred,
    status_label,
    voter_count,
)
from maslihat.figures import voter_sources as voter_sources  # notebooks call analysis.voter_sources
from maslihat.i18n import N_, _, number
from maslihat.i18n.names import alphabetical
from maslihat.indices import effective_number_of_parties, gallagher_index
from maslihat.params import ALL, ParameterError, check_choice, check_range, check_type

__all__ = [
    "allocate_seats",
    "effective_number_of_parties",
    "gallagher_index",
]

METHODS = {
    "hare": N_("Hare largest remainder"),
    "dhondt": N_("D'Hondt"),
    "sainte-lague": N_("Sainte-Laguë"),
}  # labels for the reader: translate with i18n._ where shown
HOURS = ("10:00", "20:00", "22:00")


def _party_order(data: ElectionData) -> list[str]:
    return list(data.parties.sort_values("infobox_order")["party_code"])


def _most_seats_first(frame: pd.DataFrame, then: str | None = None) -> pd.DataFrame:
    """Rows by seats won, most first (then by `then`), ties kept in infobox order: prose lists
    parties in this order, so "Ak Zhol 4, Auyl 3" never reads "Auyl 3, Ak Zhol 4"."""
    by = ["seats", then] if then else ["seats"]
    return frame.sort_values(by, ascending=False, kind="stable").reset_index(drop=True)


# --- turnout -----------------------------------------------------------------------------------


def local_turnout(data: ElectionData) -> float:
    """The turnout of the mäslihat elections as the article states it."""
    return final_turnout(data, "maslihats")


def ballots_turnout(data: ElectionData) -> float:
    """Turnout from the counts: ballots issued (voters who took part) over registered voters.

    Valid votes are not voters: 7,241,562 valid votes over the registered voters is no turnout.
    """
    return 100 * voter_count(data, "ballots_issued") / voter_count(data, "registered")


def _count_order(as_of: str) -> str:
    """A sort key for the time of a count: 10:00 < 20:00 < 22:00 < 22:10 < final."""
    return "99:99" if as_of == "final" else str(as_of)


def national_turnout_comparison(data: ElectionData) -> pd.DataFrame:
    """Every national turnout figure with a readable label, by year and then time of count.

    A figure derived here (the previous Mazhilis turnout reconstructed from the change a source
    states) is a row of its own only when no source publishes it: where a published figure of the
    same year and body has the same value (Kazinform's 77.12% for 2016), that row instead says so
    in `also_derived` (with the change and its source in derived_change_pts and
    derived_source_id), and the figure is not listed twice. `chart_label` is the short label on
    two lines (what and when, then whose), for the bars of a chart.
    """
    rows = []
    sources = publishers(data)
    table = data.turnout_national
    # A source giving two figures for the same count is told apart by where they stand (its note).
    twice = table.duplicated(["election_date", "body", "as_of", "source_id"], keep=False)
    derived_rows = []
    for r, repeated in zip(table.itertuples(), twice, strict=True):
        when = _("final") if r.as_of == "final" else _("as of {time}", time=r.as_of)
        label = dict(body=body_label(r.body), year=r.election_date.year, when=when,
                     publisher=sources[r.source_id], status=status_label(r.status))  # fmt: skip
        what = _("{body} {year}, {when}", **label)
        if repeated and pd.notna(r.note):
            what = _("{body} {year}, {when} ({passage})", **label, passage=_(r.note))
            full = _("{body} {year}, {when} ({publisher}, {status}, {passage})", **label,
                     passage=_(r.note))  # fmt: skip
            short = _("{body}, {when} ({publisher}, {passage})", **label, passage=_(r.note))
            whose = _("({publisher}, {passage})", **label, passage=_(r.note))
        else:
            full = _("{body} {year}, {when} ({publisher}, {status})", **label)
            short = _("{body}, {when} ({publisher})", **label)
            whose = _("({publisher})", **label)
        rows.append(
            {
                "label": full,
                "what": what,
                "publisher": sources[r.source_id],
                "short_label": short,
                "chart_label": _("{body}, {when}", **label) + "\n" + whose,
                "turnout_pct": float(r.turnout_pct),
                "year": int(r.election_date.year),
                "as_of": r.as_of,
                "kind": r.status,
                "body": r.body,
                "source_id": r.source_id,
            }
        )
        if pd.notna(r.change_on_previous_pts):
            derived = _("{body} {year}, derived from the stated change",
                        body=body_label(r.body), year=data.facts["previous_election_year"])
            derived_rows.append(
                {
                    "label": derived,
                    "what": derived,
                    "publisher": sources[r.source_id],
                    "short_label": derived,
                    "chart_label": derived,
                    "turnout_pct": round(float(r.turnout_pct - r.change_on_previous_pts), 2),
                    "year": int(data.facts["previous_election_year"]),
                    "as_of": "final",
                    "kind": "derived",
                    "body": r.body,
                    "source_id": r.source_id,
                    "derived_change_pts": float(r.change_on_previous_pts),
                }
            )
    out = pd.DataFrame(rows).assign(
        also_derived=False, derived_change_pts=float("nan"), derived_source_id=None
    )
    for d in derived_rows:
        same = out.index[
            (out["year"] == d["year"])
            & (out["body"] == d["body"])
            & (out["as_of"] == "final")
            & (out["kind"] != "inconsistent")
            & (out["turnout_pct"].round(2) == d["turnout_pct"])
        ]
        if len(same):
            out.loc[same[0], ["also_derived", "derived_change_pts", "derived_source_id"]] = [
                True, d["derived_change_pts"], d["source_id"]
            ]  # fmt: skip
        else:
            out = pd.concat([out, pd.DataFrame([d])], ignore_index=True)
    out["also_derived"] = out["also_derived"].astype(bool)
    out["status"] = out["kind"].map(status_label)
    # As the source printed it (63.3, not 63.30); derived figures to two decimals.
    out["as_printed"] = [
        number(value, 2) if kind == "derived" else number(value, _digits(value))
        for value, kind in zip(out["turnout_pct"], out["kind"], strict=True)
    ]
    key = out["as_of"].map(_count_order)
    return (
        out.assign(_key=key)
        .sort_values(["year", "_key"], kind="stable")
        .drop(columns="_key")
        .reset_index(drop=True)
    )


def _digits(value: float) -> int:
    """Decimals a figure was given with: 63.3 → 1, 57.26 → 2, 63.0 → 0."""
    return len(f"{value:g}".partition(".")[2])


def latest_count(data: ElectionData, table: str = "turnout_by_region") -> str:
    """The latest polling-day count (of HOURS) a turnout table has for the election day."""
    frame = getattr(data, table)
    counts = set(frame.loc[frame["election_date"] == data.facts["election_date"], "as_of"])
    found = [hour for hour in HOURS if hour in counts]
    if not found:
        raise ValueError(f"{table} has no polling-day count ({', '.join(HOURS)})")
    return found[-1]


def polling_day_counts(data: ElectionData, table: str = "turnout_by_region") -> list[str]:
    """The counts (times) of polling day a turnout table has, earliest first: the valid `as_of`."""
    frame = getattr(data, table)
    counts = frame.loc[frame["election_date"] == data.facts["election_date"], "as_of"]
    return sorted(set(counts), key=_count_order)


def check_count(data: ElectionData, as_of: object) -> str:
    """`as_of` if the regional turnout table has that count of polling day; else ParameterError
    listing the counts it has (a count like '21:00' would give an empty frame)."""
    return check_choice("as_of", as_of, polling_day_counts(data))


def national_turnout_at(data: ElectionData, as_of: str = "22:00") -> pd.DataFrame:
    """The national figures at one count, from the source(s) of the regional figures at that count.

    One row per figure, in the order of the data: a source may give two (source A prints 63.3% in
    its headline and 63.1% in its text); figures from other sources of the same hour are left out.
    An unknown count raises ParameterError listing the counts.
    """
    check_count(data, as_of)
    date = data.facts["election_date"]
    regional = data.turnout_by_region
    sources = regional.loc[
        (regional["election_date"] == date) & (regional["as_of"] == as_of), "source_id"
    ].unique()
    national = data.turnout_national
    rows = national[
        (national["election_date"] == date)
        & (national["as_of"] == as_of)
        & national["source_id"].isin(sources)
    ]
    publisher = publishers(data)
    return rows.assign(publisher=rows["source_id"].map(publisher))[
        ["turnout_pct", "source_id", "publisher", "note"]
    ].reset_index(drop=True)


def regional_turnout(data: ElectionData, as_of: str = "22:00") -> pd.DataFrame:
    """Turnout by region on polling day at one count, with the gap to the national figure.

    The national figure is the one the source of the regional figures gives (national_turnout_at);
    where it gives two, the gap is measured against the first (the headline), named in
    national_note. An unknown count raises ParameterError listing the counts.
    """
    check_count(data, as_of)
    date = data.facts["election_date"]
    table = data.turnout_by_region
    chosen = table[(table["election_date"] == date) & (table["as_of"] == as_of)]
    national = national_turnout_at(data, as_of)
    out = chosen.merge(data.regions[["region", "kind"]], on="region")[
        ["region", "kind", "turnout_pct", "status", "source_id"]
    ]
    if national.empty:
        out["national_pct"], out["national_note"] = float("nan"), None
    else:
        out["national_pct"] = float(national["turnout_pct"].iloc[0])
        out["national_note"] = national["note"].iloc[0]
    out["gap_pts"] = out["turnout_pct"] - out["national_pct"]
    return out.sort_values("turnout_pct", ascending=False, ignore_index=True)


def boundary_change_year(data: ElectionData) -> int:
    """The year of the boundary changes the regions table records (boundaries_changed_<year>)."""
    for column in data.regions.columns:
        if match := re.fullmatch(r"boundaries_changed_(\d{4})", column):
            return int(match[1])
    raise ValueError("the regions table has no boundaries_changed_<year> column")


def turnout_change(data: ElectionData) -> pd.DataFrame:
    """Regional turnout at the latest count of polling day against the next election's latest.

    Earlier counts of the day (10:00, 20:00) are not comparable with an end-of-day figure, so the
    latest one (latest_count, the 22:00 preliminary) is always used; its hour is in the as_of
    column. The next election's latest count (for 2023 an election-night count, not final) is in
    as_of_next and status_next, its date in election_date_next. `comparable` is false where the
    region's borders changed in between.
    """
    date = data.facts["election_date"]
    table = data.turnout_by_region
    as_of = latest_count(data)
    first = table[(table["election_date"] == date) & (table["as_of"] == as_of)]
    later = table[table["election_date"] > date]
    later = later[later["election_date"] == later["election_date"].min()]
    later = later[later["as_of"] == later["as_of"].max()]
    both = first.merge(later, on="region", suffixes=("_2021", "_next"))
    changed = f"boundaries_changed_{boundary_change_year(data)}"
    both = both.merge(data.regions[["region", changed]], on="region")
    both["change_pts"] = both["turnout_pct_next"] - both["turnout_pct_2021"]
    both["comparable"] = ~both[changed].astype(bool)
    both = both.rename(columns={"as_of_2021": "as_of"})
    return both[
        [
            "region",
            "turnout_pct_2021",
            "turnout_pct_next",
            "change_pts",
            "comparable",
            "as_of",
            "election_date_next",
            "as_of_next",
            "status_next",
            "source_id_2021",
            "source_id_next",
        ]
    ].sort_values(["comparable", "change_pts"], ascending=[False, True], ignore_index=True)


def city_final_turnout(data: ElectionData, place: str) -> pd.Series | None:
    """A city's own published turnout for polling day (city_figures), or None where it has none.

    The row has turnout_pct and source_id, and where the source gives them the voters who took
    part and the registered voters (took_part, registered, counts_source_id; else missing).
    """
    table = data.city_figures
    date = data.facts["election_date"]
    rows = table[(table["region"] == place) & (table["election_date"] == date)]
    by_measure = {m: preferred(g, f"{m} of {place}") for m, g in rows.groupby("measure")}
    if "turnout_pct" not in by_measure:
        return None
    turnout = by_measure["turnout_pct"]
    took_part, registered = by_measure.get("took_part"), by_measure.get("registered")
    counts = took_part is not None and registered is not None
    return pd.Series(
        {
            "turnout_pct": float(turnout["value"]),
            "source_id": str(turnout["source_id"]),
            "took_part": int(took_part["value"]) if counts else None,
            "registered": int(registered["value"]) if counts else None,
            "counts_source_id": str(took_part["source_id"]) if counts else None,
        }
    )


def closing_turnout_figures(data: ElectionData) -> pd.DataFrame:
    """The different national turnout figures published for the close of polling day.

    Final figures and those of the latest count, one row per distinct value in the order of the
    data, with the sources that give it; figures derived here (such as the turnout the voter
    counts imply) are not among them.
    """
    date = data.facts["election_date"]
    table = data.turnout_national
    closing = table[
        (table["election_date"] == date)
        & table["as_of"].isin(["final", latest_count(data, "turnout_national")])
    ]
    publisher = publishers(data)
    named = closing.assign(publisher=closing["source_id"].map(publisher))
    return (
        named.groupby("turnout_pct", sort=False)
        .agg(
            sources=("publisher", lambda p: list(dict.fromkeys(p))),
            source_ids=("source_id", lambda s: list(dict.fromkeys(s))),
            bodies=("body", list),
        )
        .reset_index()
    )


# --- party lists -------------------------------------------------------------------------------


def maslihats(data: ElectionData) -> int:
    """The number of mäslihats: the CEC's count (216), not the article's contradicted 214."""
    return count(data, "maslihats")


def party_seats(data: ElectionData) -> pd.DataFrame:
    """Seats per party in all mäslihats: the infobox's regional plus municipal members.

    These sum to the seats up for election, unlike the lead's per-party figures (status
    'inconsistent'), so shares of them are shares of a consistent total.
    """
    regional = party_figures(data, "local_results", "regional_members")
    municipal = party_figures(data, "local_results", "municipal_members")
    out = pd.DataFrame({"regional_members": regional, "municipal_members": municipal})
    out = out.reindex(_party_order(data)).astype("Int64")
    out["seats"] = out["regional_members"] + out["municipal_members"]
    return out.rename_axis("party_code").reset_index()


def national_votes_and_seats(data: ElectionData) -> pd.DataFrame:
    """Each party's votes pooled over every mäslihat against its seats in all mäslihats.

    Votes and shares are the infobox's (a voter votes for several mäslihats, so the votes exceed
    the voters); seats are its regional plus municipal members. One row per party.
    """
    out = party_seats(data)
    votes = party_figures(data, "local_results", "votes")
    shares = party_figures(data, "local_results", "vote_share_pct")
    out["votes"] = out["party_code"].map(votes).astype("Int64")
    out["vote_share_pct"] = out["party_code"].map(shares).astype(float)
    out["seat_share_pct"] = 100 * out["seats"].astype(float) / float(out["seats"].sum())
    out["seats_minus_votes_pts"] = out["seat_share_pct"] - out["vote_share_pct"]
    out.insert(1, "name", out["party_code"].map(party_names(data)))
    return out


def city_votes_and_seats(
    data: ElectionData, city: str, threshold_pct: float | None = None
) -> pd.DataFrame:
    """A city mäslihat's published votes or vote shares against its seats, one row per party.

    `hare` is Hare largest remainder at the threshold (None: the legal one) on the published
    votes (or shares, where no votes are published), to check against the published seats.
    Empty when the city published no votes or shares.
    """
    rows = data.city_results[data.city_results["region"] == city]
    wide = rows.pivot_table(index="party_code", columns="measure", values="value", aggfunc="first")
    if not {"votes", "vote_share_pct"} & set(wide.columns):
        return pd.DataFrame()
    wide = wide.reindex(_party_order(data))
    basis = wide["votes"] if "votes" in wide else wide["vote_share_pct"]
    out = pd.DataFrame({"party_code": wide.index})
    out.insert(1, "name", out["party_code"].map(party_names(data)))
    if "votes" in wide:
        out["votes"] = wide["votes"].to_numpy()
    out["vote_share_pct"] = wide["vote_share_pct"].to_numpy()
    out["seats"] = wide["seats"].fillna(0).astype(int).to_numpy()
    out["seat_share_pct"] = 100 * out["seats"] / out["seats"].sum()
    out["seats_minus_votes_pts"] = out["seat_share_pct"] - out["vote_share_pct"]
    threshold = float(data.facts["threshold_pct"] if threshold_pct is None else threshold_pct)
    allocated = allocate_seats(basis.fillna(0), int(out["seats"].sum()), "hare", threshold)
    out["hare"] = allocated.to_numpy()
    return _most_seats_first(out, then="vote_share_pct")


def party_list_summary(data: ElectionData) -> pd.DataFrame:
    """Lists per party against mäslihats and against seats won, one row per party."""
    total_maslihats = maslihats(data)
    lists = party_figures(data, "party_lists", "registered").astype("Int64")
    out = lists.rename("lists_registered").rename_axis("party_code").reset_index()
    seats = party_seats(data)[["party_code", "seats"]].rename(columns={"seats": "seats_won"})
    out = out.merge(seats, on="party_code")
    out = out.merge(
        data.regional_seats.groupby("party_code", as_index=False)["seats"]
        .sum()
        .rename(columns={"seats": "regional_seats"}),
        on="party_code",
        how="left",
    )
    out.insert(1, "name", out["party_code"].map(party_names(data)))
    out["list_share_pct"] = 100 * out["lists_registered"] / out["lists_registered"].sum()
    out["coverage_pct"] = 100 * out["lists_registered"] / total_maslihats
    out["seat_share_pct"] = 100 * out["seats_won"] / out["seats_won"].sum()
    out["regional_seat_share_pct"] = 100 * out["regional_seats"] / out["regional_seats"].sum()
    out["seats_per_list"] = out["seats_won"] / out["lists_registered"]
    out["regional_seats_per_list"] = out["regional_seats"] / out["lists_registered"]
    return out.sort_values("lists_registered", ascending=False, ignore_index=True)


def more_lists_than_maslihats(lists: pd.DataFrame) -> pd.DataFrame:
    """The parties of party_list_summary that registered more lists than there are mäslihats.

    The sources give these counts without explaining how a party came to have more lists than
    there are mäslihats; the rows are reported, not judged.
    """
    return lists[lists["coverage_pct"] > 100]


# Which seats party lists are set against: the columns of each `seat_basis` (the notebook words it).
SEAT_BASES = {
    "local": {
        "seats": "seats_won",
        "share": "seat_share_pct",
        "per_list": "seats_per_list",
    },
    "regional": {
        "seats": "regional_seats",
        "share": "regional_seat_share_pct",
        "per_list": "regional_seats_per_list",
    },
}


def candidates_per_list(data: ElectionData) -> float:
    """Average number of candidates on a registered party list."""
    return count(data, "candidates") / count(data, "party_lists_registered")


# --- seats -------------------------------------------------------------------------------------


def maslihat_of(data: ElectionData, place: str) -> str:
    """The mäslihat whose seats a report on the place counts: regional, or the city's own."""
    return "city mäslihat" if is_city(data, place) else "regional mäslihat"


def seat_shares(data: ElectionData, region: str = ALL) -> pd.DataFrame:
    """Seats and seat share per party: all regional mäslihats, one region's, or a city's; the
    parties with most seats first.

    A city of republican significance is not in the regional table: its own city mäslihat's
    seats are used (city_results).
    """
    if is_city(data, region):
        rows = data.city_results
        seats = rows[(rows["region"] == region) & (rows["measure"] == "seats")]
        seats = seats.rename(columns={"value": "seats"})
    else:
        seats = data.regional_seats
        if region != ALL:
            if region not in set(seats["region"]):
                from maslihat.params import valid_regions

                raise ParameterError(
                    f"no seats for region {region!r}: give one of {', '.join(valid_regions(data))}"
                    " (params.resolve_region turns other spellings into these names)"
                )
            seats = seats[seats["region"] == region]
    out = seats.groupby("party_code", as_index=False, sort=False)["seats"].sum()
    out = out.set_index("party_code").reindex(_party_order(data)).reset_index()
    out["seats"] = out["seats"].fillna(0).astype("Int64")
    out.insert(1, "name", out["party_code"].map(party_names(data)))
    total = out["seats"].sum()
    out["share_pct"] = (100 * out["seats"] / total).astype("Float64") if total else 0.0
    return _most_seats_first(out)


def largest_party(shares: pd.DataFrame) -> pd.Series:
    """The row of seat_shares with the most seats (the first in infobox order on a tie)."""
    return shares.loc[shares["seats"].astype(float).idxmax()]


def seat_share(data: ElectionData, party_code: str, region: str = ALL) -> float:
    """One party's share of regional mäslihat seats, in percent."""
    shares = seat_shares(data, region).set_index("party_code")["share_pct"]
    return float(shares[party_code])


def seats_by_region(data: ElectionData) -> pd.DataFrame:
    """Seats, leading party's share and effective number of parties for every region, the
    regions in the alphabetical order of the report's language."""
    rows = []
    groups = dict(list(data.regional_seats.groupby("region", sort=False)))
    for region in alphabetical(groups):
        group = groups[region]
        seats = group.set_index("party_code")["seats"]
        rows.append(
            {
                "region": region,
                "seats": int(seats.sum()),
                "parties_with_seats": int((seats > 0).sum()),
                "largest_party": seats.idxmax(),
                "largest_share_pct": float(100 * seats.max() / seats.sum()),
                "enp": effective_number_of_parties(seats),
            }
        )
    return pd.DataFrame(rows)


def regional_seat_grid(data: ElectionData) -> pd.DataFrame:
    """Regional seats as a grid: one row per region in the alphabetical order of the report's
    language (and a total row), one column per party."""
    names = party_names(data)
    grid = data.regional_seats.pivot_table(
        index="region", columns="party_code", values="seats", aggfunc="sum", sort=False
    )
    grid = grid.reindex(alphabetical(grid.index))
    grid = grid.reindex(columns=_party_order(data)).fillna(0).astype(int)
    grid = grid.rename(columns=names)
    grid["Total"] = grid.sum(axis=1)
    grid.loc["Total"] = grid.sum()
    return grid.rename_axis(columns=None).reset_index()


def other_party_seats(data: ElectionData, leading: str = "NO") -> pd.DataFrame:
    """Where parties other than the leading one won regional seats: region × party, seats > 0."""
    seats = data.regional_seats
    out = seats[(seats["party_code"] != leading) & (seats["seats"] > 0)]
    return out.assign(name=out["party_code"].map(party_names(data))).reset_index(drop=True)


def mazhilis_allocation(data: ElectionData, threshold_pct: float | None = None) -> pd.DataFrame:
    """The Mazhilis's own official vote shares allocated to its party-list seats by each method
    of METHODS at the threshold (None: the legal one), beside the seats each party won
    (`actual`): a check of the methods on a real result, not a counterfactual."""
    mazhilis = mazhilis_votes_and_seats(data).set_index("party_code")
    seats = int(data.mazhilis_election.iloc[0]["party_list_seats"])
    threshold = check_threshold(threshold_pct, data)
    out = allocation_illustration(data, mazhilis["vote_share_pct"].astype(float), seats, threshold)
    out["actual"] = out["party_code"].map(mazhilis["seats"]).fillna(0).astype(int)
    return out


def mazhilis_votes_and_seats(data: ElectionData, year: int | None = None) -> pd.DataFrame:
    """Official Mazhilis vote and seat shares per party (same day as the mäslihat elections)."""
    year = year or int(data.facts["election_date"].year)
    results = data.mazhilis_results
    official = results[(results["election_year"] == year) & (results["status"] == "official")]
    wide = official.pivot_table(
        index=["party_code", "party_name"], columns="measure", values="value", aggfunc="first"
    ).reset_index()
    wide["seat_share_pct"] = 100 * wide["seats"] / wide["seats"].sum()
    return wide.sort_values("vote_share_pct", ascending=False, ignore_index=True)


def allocation_illustration(
    data: ElectionData, vote_shares: pd.Series, seats: int, threshold_pct: float
) -> pd.DataFrame:
    """Seats each method would give for these vote shares: an illustration, not a result."""
    frame = pd.DataFrame({"party_code": vote_shares.index, "vote_share_pct": vote_shares.values})
    for method in METHODS:
        allocated = allocate_seats(vote_shares, seats, method, threshold=threshold_pct)
        frame[method] = allocated.to_numpy()
    frame.insert(1, "name", frame["party_code"].map(party_names(data)))
    return frame


def check_threshold(threshold_pct: float | None, data: ElectionData) -> float:
    """The threshold parameter: None means the legal threshold; otherwise a number in 0–100."""
    if threshold_pct is None:
        return float(data.facts["threshold_pct"])
    check_type(
        "threshold_pct",
        threshold_pct,
        (int, float),
        "a number from 0 to 100, or None for the legal threshold",
    )
    check_range("threshold_pct", threshold_pct, 0, 100)
    top = float(mazhilis_votes_and_seats(data)["vote_share_pct"].max())
    if threshold_pct > top:
        raise ParameterError(
            f"parameter 'threshold_pct' must lie between 0 and {top:g} (the largest vote share "
            f"in the seat-allocation illustration: above it no party qualifies and no seat can be "
            f"allocated), or be None for the legal threshold; got {threshold_pct!r}"
        )
    return float(threshold_pct)


def final_turnout_row(data: ElectionData, body: str) -> pd.Series:
    """The final turnout row of polling day for one body, with its status and source."""
    table = data.turnout_national
    rows = table[
        (table["body"] == body)
        & (table["as_of"] == "final")
        & (table["election_date"] == data.facts["election_date"])
    ]
    if rows.empty:
        raise ValueError(
            f"no final turnout for {body!r}; bodies: {', '.join(table['body'].unique())}"
        )
    return rows.iloc[0]


def final_turnout(data: ElectionData, body: str) -> float:
    """The final turnout of polling day for one body ('maslihats' or 'Mazhilis')."""
    return float(final_turnout_row(data, body)["turnout_pct"])


def other_figures(data: ElectionData, measure: str, level: str = "all") -> pd.DataFrame:
    """The figures of maslihat_counts that differ from the one the reports use, with sources."""
    rows = counts_by_source(data, measure, level)
    return rows[rows["value"] != count(data, measure, level)].reset_index(drop=True)


def seat_sources(data: ElectionData, place: str = ALL) -> list[str]:
    """The sources of the seats a report on the place counts (for its note markers)."""
    if is_city(data, place):
        rows = data.city_results
        rows = rows[(rows["region"] == place) & (rows["measure"] == "seats")]
        return list(dict.fromkeys(rows["source_id"]))
    return [str(data.facts["source_id"])]  # the regional table is the article's
