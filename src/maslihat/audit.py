"""Data-quality audit: consistency checks computed from the data, returned as printable findings.

Nothing here is hard-coded: every figure in a finding is computed from the loaded tables, so a
corrected CSV changes the findings.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from maslihat.allocation import allocate_seats
from maslihat.data import ElectionData, party_names, publishers
from maslihat.figures import count, counts_by_source, party_figures, voter_count
from maslihat.params import ALL

OK = "ok"
INCONSISTENT = "inconsistent"
DISAGREEMENT = "sources disagree"
# A difference the data itself explains (a marked misprint, preliminary counts that the official
# result supersedes): shown, but not counted as a problem.
EXPLAINED = "explained"

# Shares printed to two decimals may sum to slightly more than 100.
SHARE_SUM_TOLERANCE = 0.05


@dataclass(frozen=True)
class Finding:
    """One audit check: what was compared, whether it holds, and what it touches."""

    check: str
    status: str
    summary: str
    tables: tuple[str, ...]
    regions: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the check found no problem, or only a difference the data explains."""
        return self.status in (OK, EXPLAINED)


# How a report names what the data codes: a body of the turnout table, a measure of the results.
BODY_NAMES = {"maslihats": "mäslihats"}
MEASURE_NAMES = {"vote_share_pct": "vote share (%)"}


def _party(data: ElectionData, code: str) -> str:
    """A party's name for a finding's text (its code if the parties table lacks it)."""
    return str(party_names(data).get(code, code))


def _publisher(data: ElectionData, source_id: str) -> str:
    """Who published a source, for a finding's text (its id if the sources table lacks it)."""
    return str(publishers(data).get(source_id, source_id))


def _lead_source(data: ElectionData) -> str:
    """The source of the election table's facts (the article), whose lead gives seats per party."""
    return str(data.facts["source_id"])


def _fmt(n: float) -> str:
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.2f}"


def check_local_seat_total(data: ElectionData) -> Finding:
    """The lead's seats per party against the seats up for election (and the infobox's split)."""
    lead = data.local_results[
        (data.local_results["measure"] == "seats")
        & (data.local_results["source_id"] == _lead_source(data))
    ]
    total = int(lead["value"].sum())
    seats = count(data, "seats")
    members = party_figures(data, "local_results", "regional_members") + party_figures(
        data, "local_results", "municipal_members"
    )
    status = OK if total == seats else INCONSISTENT
    return Finding(
        "local_seats_vs_seats_up",
        status,
        f"The article's lead gives the parties {_fmt(total)} seats in all; {_fmt(seats)} seats "
        f"were up for election (difference {total - seats:+,}). The infobox's regional and "
        f"municipal members per party sum to {_fmt(members.sum())}, which the reports use.",
        ("local_results", "maslihat_counts"),
        parties=tuple(lead["party_code"]),
    )


def check_party_seat_totals(data: ElectionData) -> Finding:
    """Every published total of one party's seats in all mäslihats, where they differ."""
    results = data.local_results
    members = results[results["measure"].isin(["regional_members", "municipal_members"])]
    infobox = members.groupby("party_code")["value"].sum()
    seats = results[results["measure"] == "seats"]
    parts, codes = [], []
    for code, group in seats.groupby("party_code", sort=False):
        figures = [
            f"{_fmt(r.value)} ({_publisher(data, r.source_id)}, {r.status.replace('_', ' ')})"
            for r in group.itertuples()
        ]
        # Figures already marked inconsistent (the lead's) are the local_seats_vs_seats_up finding.
        values = set(group.loc[group["status"] != "inconsistent", "value"])
        if code in infobox.index:
            source = members.loc[members["party_code"] == code, "source_id"].iloc[0]
            figures.append(
                f"{_fmt(infobox[code])} (regional plus municipal members, "
                f"{_publisher(data, source)})"
            )
            values.add(infobox[code])
        if len(values) > 1:
            parts.append(f"{_party(data, code)}: " + " vs ".join(figures))
            codes.append(code)
    return Finding(
        "party_seat_totals",
        DISAGREEMENT if parts else OK,
        ("Seat totals of one party differ between sources: " + "; ".join(parts) + ".")
        if parts
        else "Every party's seat totals agree between sources, apart from the lead's.",
        ("local_results",),
        parties=tuple(codes),
    )


def _disagreement(data: ElectionData, check: str, what: str, measure: str, level: str) -> Finding:
    """A finding on every figure of maslihat_counts for one measure and level of this election."""
    rows = counts_by_source(data, measure, level)
    figures = "; ".join(
        f"{_fmt(r.value)} ({_publisher(data, r.source_id)}, {r.status.replace('_', ' ')})"
        for r in rows.itertuples()
    )
    used = count(data, measure, level)
    agree = rows["value"].nunique() <= 1
    return Finding(
        check,
        OK if agree else DISAGREEMENT,
        f"{what}: {figures}."
        + ("" if agree else f" The reports use {_fmt(used)}."),
        ("maslihat_counts",),
    )


def check_seats_up(data: ElectionData) -> Finding:
    """Seats up for election as the article and the parties give them."""
    return _disagreement(data, "seats_up", "Seats up for election", "seats", "all")


def check_maslihat_count(data: ElectionData) -> Finding:
    """The number of mäslihats: the article's against the CEC's."""
    return _disagreement(data, "maslihat_count", "Number of mäslihats", "maslihats", "all")


def check_levels_add_up(data: ElectionData) -> Finding:
    """The CEC's counts by level (regional-level, city, district) against the national counts."""
    levels = ("regional_level", "city", "district")
    table = data.maslihat_counts
    this = table[table["election_date"] == data.facts["election_date"]]
    words = {"maslihats": "mäslihats", "candidates": "candidates"}
    parts, bad = [], False
    for measure, word in words.items():
        by_level = this[(this["measure"] == measure) & this["level"].isin(levels)]
        if by_level.empty:
            continue
        total, stated = int(by_level["value"].sum()), count(data, measure)
        bad |= total != stated
        parts.append(f"{word} by level sum to {_fmt(total)} against {_fmt(stated)}")
    regional, municipal = count(data, "seats", "regional"), count(data, "seats", "municipal")
    seats = count(data, "seats")
    bad |= regional + municipal != seats
    parts.append(
        f"{_fmt(regional)} regional and {_fmt(municipal)} municipal members make "
        f"{_fmt(regional + municipal)} against {_fmt(seats)} seats"
    )
    return Finding(
        "levels_add_up",
        INCONSISTENT if bad else OK,
        "The CEC's " + "; ".join(parts) + ".",
        ("maslihat_counts",),
    )


def check_lists_vs_maslihats(data: ElectionData) -> Finding:
    """No party can have registered more lists than there are mäslihats."""
    maslihats = count(data, "maslihats")
    lists = party_figures(data, "party_lists", "registered")
    over = lists[lists > maslihats]
    if over.empty:
        summary = (
            f"No party registered more lists than there are mäslihats ({maslihats}); the most "
            f"was {_fmt(lists.max())}."
        )
    else:
        names = ", ".join(f"{_party(data, code)} {_fmt(n)}" for code, n in over.items())
        summary = f"More party lists than mäslihats ({maslihats}): {names}."
    return Finding(
        "lists_vs_maslihats",
        OK if over.empty else INCONSISTENT,
        summary,
        ("party_lists", "maslihat_counts"),
        parties=tuple(over.index),
    )


def check_lists_total(data: ElectionData) -> Finding:
    """Lists per party against the total, and presented less excluded against registered."""
    registered = party_figures(data, "party_lists", "registered")
    presented = party_figures(data, "party_lists", "presented")
    excluded = party_figures(data, "party_lists", "excluded").reindex(presented.index).fillna(0)
    stated = count(data, "party_lists_registered")
    off = (presented - excluded).reindex(registered.index) != registered
    bad = int(registered.sum()) != stated or bool(off.fillna(False).any())
    return Finding(
        "lists_total",
        INCONSISTENT if bad else OK,
        f"Lists registered per party sum to {_fmt(registered.sum())} against {_fmt(stated)} in "
        f"all; lists presented ({_fmt(presented.sum())}) less those the CEC excluded "
        f"({_fmt(excluded.sum())}) "
        + (
            "give each party's registered lists."
            if not off.fillna(False).any()
            else "differ from the registered lists of "
            + ", ".join(_party(data, c) for c in off[off.fillna(False)].index)
            + "."
        ),
        ("party_lists", "maslihat_counts"),
    )


def check_region_totals(data: ElectionData) -> Finding:
    """Row sums of the regional table against its printed Total column."""
    sums = data.regional_seats.groupby("region", sort=False)["seats"].sum()
    stated = data.regional_seat_totals.set_index("region")["seats_stated"]
    both = pd.concat({"sum": sums, "stated": stated}, axis=1)
    off = both[both["sum"].ne(both["stated"]).fillna(True)]
    if off.empty:
        summary = f"All {len(both)} regional rows sum to their printed totals."
    else:
        summary = (
            "Regional rows that do not sum to their printed total: "
            + "; ".join(
                f"{region} has no rows in the table (printed total {_fmt(row['stated'])})"
                if pd.isna(row["sum"])
                else f"{region} {_fmt(row['sum'])} vs {_fmt(row['stated'])}"
                if pd.notna(row["stated"])
                else f"{region} has no printed total"
                for region, row in off.iterrows()
            )
            + "."
        )
    return Finding(
        "regional_row_totals",
        OK if off.empty else INCONSISTENT,
        summary,
        ("regional_seats", "regional_seat_totals"),
        regions=tuple(off.index),
    )


def check_party_totals(data: ElectionData) -> Finding:
    """Column sums of the regional table against its printed Total row."""
    sums = data.regional_seats.groupby("party_code", sort=False)["seats"].sum()
    stated = data.regional_party_totals.set_index("party_code")["seats_stated"]
    both = pd.concat({"sum": sums, "stated": stated}, axis=1).fillna(0)
    off = both[both["sum"] != both["stated"]]
    if off.empty:
        summary = "Every party's regional seats sum to the printed 'Total seats' row."
    else:
        summary = (
            "Party columns that do not sum to the printed total: "
            + "; ".join(
                f"{_party(data, code)} {_fmt(row['sum'])} vs {_fmt(row['stated'])}"
                for code, row in off.iterrows()
            )
            + "."
        )
    return Finding(
        "regional_column_totals",
        OK if off.empty else INCONSISTENT,
        summary,
        ("regional_seats", "regional_party_totals"),
        parties=tuple(off.index),
    )


def check_regional_grand_total(data: ElectionData) -> Finding:
    """The regional table's sum against the regional members of the text, table and infobox."""
    total = int(data.regional_seats["seats"].sum())
    members = count(data, "seats", "regional")
    printed = int(data.facts["regional_seats_table_total"])
    infobox = party_figures(data, "local_results", "regional_members")
    by_party = data.regional_seats.groupby("party_code")["seats"].sum()
    off = [c for c in infobox.index if infobox[c] != by_party.get(c)]
    ok = total == members == printed == int(infobox.sum()) and not off
    return Finding(
        "regional_grand_total",
        OK if ok else INCONSISTENT,
        f"The regional table sums to {_fmt(total)} seats; the text states {_fmt(members)} regional "
        f"members, the table prints {_fmt(printed)} and the infobox's regional members sum to "
        f"{_fmt(infobox.sum())}"
        + (
            ", party by party the same as the table."
            if not off
            else "; they differ from the table for " + ", ".join(_party(data, c) for c in off) + "."
        ),
        ("regional_seats", "maslihat_counts", "local_results"),
        parties=tuple(off),
    )


def check_regional_within_local(data: ElectionData) -> Finding:
    """A party cannot hold more regional seats than seats in all mäslihats (infobox)."""
    regional = data.regional_seats.groupby("party_code")["seats"].sum()
    local = party_figures(data, "local_results", "regional_members") + party_figures(
        data, "local_results", "municipal_members"
    )
    both = pd.concat({"regional": regional, "local": local}, axis=1).dropna()
    over = both[both["regional"] > both["local"]]
    summary = (
        "Every party's regional seats are within its seats in all mäslihats."
        if over.empty
        else "Regional seats above all seats: "
        + "; ".join(
            f"{_party(data, c)} {_fmt(r['regional'])} > {_fmt(r['local'])}"
            for c, r in over.iterrows()
        )
        + "."
    )
    return Finding(
        "regional_within_local",
        OK if over.empty else INCONSISTENT,
        summary,
        ("regional_seats", "local_results"),
        parties=tuple(over.index),
    )


def _share_sets(data: ElectionData) -> list[tuple[str, pd.Series]]:
    """Each published set of vote shares: (what it is, the shares)."""
    sets = []
    mazhilis = data.mazhilis_results[data.mazhilis_results["measure"] == "vote_share_pct"]
    for (year, status, source), group in mazhilis.groupby(
        ["election_year", "status", "source_id"], sort=False
    ):
        sets.append((f"Mazhilis {year} {status} ({_publisher(data, source)})", group["value"]))
    local = data.local_results[data.local_results["measure"] == "vote_share_pct"]
    for source, group in local.groupby("source_id", sort=False):
        sets.append((f"mäslihats ({_publisher(data, source)})", group["value"]))
    cities = data.city_results[data.city_results["measure"] == "vote_share_pct"]
    for city, group in cities.groupby("region", sort=False):
        sets.append((f"{city} mäslihat", group["value"]))
    return sets


def check_share_sums(data: ElectionData) -> Finding:
    """Vote shares of each published set lie in 0–100% and sum to at most 100%."""
    bad = [
        f"{what} sums to {float(shares.sum()):.2f}%"
        for what, shares in _share_sets(data)
        if float(shares.sum()) > 100 + SHARE_SUM_TOLERANCE or ((shares < 0) | (shares > 100)).any()
    ]
    return Finding(
        "vote_shares_in_range",
        OK if not bad else INCONSISTENT,
        "Every set of vote shares lies within 0–100%."
        if not bad
        else "Vote shares out of range: " + "; ".join(bad) + ".",
        ("mazhilis_results", "local_results", "city_results"),
    )


def check_votes_add_up(data: ElectionData) -> Finding:
    """Valid votes against the parties' Mazhilis votes, and ballots against valid plus invalid."""
    year = int(data.facts["election_date"].year)
    results = data.mazhilis_results
    party_votes = results[
        (results["election_year"] == year)
        & (results["measure"] == "votes")
        & (results["status"] == "official")
    ]["value"].sum()
    valid = voter_count(data, "valid_votes")
    invalid = voter_count(data, "invalid_ballots")
    ballots = voter_count(data, "ballots_issued")
    ok = int(party_votes) == valid and valid + invalid == ballots
    return Finding(
        "votes_add_up",
        OK if ok else INCONSISTENT,
        f"The parties' Mazhilis votes sum to {_fmt(party_votes)}, against {_fmt(valid)} valid "
        f"votes; {_fmt(valid)} valid and {_fmt(invalid)} invalid make {_fmt(valid + invalid)}, "
        f"against {_fmt(ballots)} ballots issued.",
        ("voters", "mazhilis_results"),
    )


def check_national_turnout(data: ElectionData) -> Finding:
    """The final turnout figures of polling day, and the one the counts of ballots give."""
    date = data.facts["election_date"]
    table = data.turnout_national
    final = table[(table["election_date"] == date) & (table["as_of"] == "final")]
    figures = [
        f"{r.turnout_pct:.2f}% ({BODY_NAMES.get(r.body, r.body)}, {_publisher(data, r.source_id)}, "
        f"{r.status.replace('_', ' ')})"
        for r in final.itertuples()
    ]
    ballots, registered = voter_count(data, "ballots_issued"), voter_count(data, "registered")
    from_counts = 100 * ballots / registered
    return Finding(
        "national_turnout",
        OK if final["turnout_pct"].round(2).nunique() <= 1 else DISAGREEMENT,
        f"{len(figures)} final turnout figures for {date:%-d %B %Y}: " + "; ".join(figures)
        + f". {_fmt(ballots)} ballots issued of {_fmt(registered)} registered voters give "
        f"{from_counts:.2f}%.",
        ("turnout_national", "voters"),
    )


def check_city_allocation(data: ElectionData) -> Finding:
    """Hare largest remainder at the legal threshold against each city mäslihat's seats."""
    threshold = float(data.facts["threshold_pct"])
    cities = data.city_results
    parts, off = [], []
    for city, group in cities.groupby("region", sort=False):
        seats = group[group["measure"] == "seats"].set_index("party_code")["value"]
        votes = group[group["measure"] == "votes"].set_index("party_code")["value"]
        if votes.empty:
            votes = group[group["measure"] == "vote_share_pct"].set_index("party_code")["value"]
        if votes.empty or seats.empty:
            continue
        allocated = allocate_seats(votes.astype(float), int(seats.sum()), "hare", threshold)
        same = (allocated.reindex(seats.index).fillna(0) == seats.astype(int)).all()
        parts.append(f"{city} {'matches' if same else 'does not match'}")
        if not same:
            off.append(city)
    return Finding(
        "city_allocation",
        OK if not off else INCONSISTENT,
        f"Hare largest remainder with the {threshold:g}% threshold, applied to the published votes "
        "or vote shares, against the published seats: " + "; ".join(parts) + ".",
        ("city_results",),
        regions=tuple(off),
    )


def check_preliminary_turnout(data: ElectionData) -> Finding:
    """Preliminary national figures given for the same hour by different sources or passages.

    Where an official final figure of the same day exists, the difference is explained: the
    preliminary counts are superseded.
    """
    table = data.turnout_national
    prelim = table[table["status"] == "preliminary"]
    official = table[(table["status"] == "official") & (table["as_of"] == "final")]
    parts, disagree, superseded = [], False, True
    for (date, as_of), group in prelim.groupby(["election_date", "as_of"], sort=False):
        if group["turnout_pct"].nunique() > 1:
            disagree = True
            final = official[official["election_date"] == date]
            superseded &= not final.empty
            parts.append(
                f"{as_of} on {date:%d %B %Y}: "
                + " vs ".join(
                    f"{r.turnout_pct}% ({_publisher(data, r.source_id)}"
                    f"{', ' + r.note if pd.notna(r.note) else ''})"
                    for r in group.itertuples()
                )
                + (
                    f", superseded by the official {final['turnout_pct'].iloc[0]:g}% "
                    f"({BODY_NAMES.get(final['body'].iloc[0], final['body'].iloc[0])})"
                    if not final.empty
                    else ""
                )
            )
    return Finding(
        "preliminary_turnout",
        (EXPLAINED if superseded else DISAGREEMENT) if disagree else OK,
        (
            "Preliminary national turnout differs between reports of the same hour: "
            + "; ".join(parts)
            + "."
        )
        if disagree
        else "Reports of the same hour agree on the preliminary national turnout.",
        ("turnout_national",),
    )


def check_turnout_rises(data: ElectionData) -> Finding:
    """Turnout counted later in the day cannot be lower than an earlier count."""
    order = {"10:00": 0, "20:00": 1, "22:00": 2}
    hourly = data.turnout_by_region[data.turnout_by_region["as_of"].isin(order)].copy()
    hourly["order"] = hourly["as_of"].map(order)
    falls = []
    for (_, region), group in hourly.sort_values("order").groupby(["election_date", "region"]):
        drops = group["turnout_pct"].diff() < 0
        if drops.any():
            falls.append(region)
    return Finding(
        "regional_turnout_rises",
        OK if not falls else INCONSISTENT,
        "Regional turnout never falls between counts of the same day."
        if not falls
        else "Regional turnout falls between two counts of the same day in: "
        + ", ".join(falls)
        + ".",
        ("turnout_by_region",),
        regions=tuple(falls),
    )


def check_mazhilis_seats(data: ElectionData) -> Finding:
    """Mazhilis seats per party against the seats elected by party lists."""
    results = data.mazhilis_results
    seats = results[(results["measure"] == "seats") & (results["status"] == "official")]
    elected = data.mazhilis_election.assign(
        election_year=data.mazhilis_election["election_date"].dt.year
    )
    seats = seats.merge(elected[["election_year", "party_list_seats"]], on="election_year")
    parts, bad = [], False
    for year, group in seats.groupby("election_year"):
        total, stated = int(group["value"].sum()), int(group["party_list_seats"].iloc[0])
        bad |= total != stated
        parts.append(f"{year}: parties hold {total} seats of {stated} elected by party lists")
    return Finding(
        "mazhilis_seats",
        INCONSISTENT if bad else OK,
        "; ".join(parts) + "." if parts else "No Mazhilis seat figures to compare.",
        ("mazhilis_results", "mazhilis_election"),
    )


def check_misprints(data: ElectionData) -> Finding:
    """Published figures marked as misprints, set against the official figure."""
    results = data.mazhilis_results
    misprints = results[results["status"] == "misprint"]
    official = results[results["status"] == "official"]
    parts, unmatched = [], False
    for row in misprints.itertuples():
        match = official[
            (official["election_year"] == row.election_year)
            & (official["party_name"] == row.party_name)
            & (official["measure"] == row.measure)
        ]
        against = f" against the official {match['value'].iloc[0]}" if not match.empty else ""
        unmatched |= match.empty
        parts.append(
            f"{row.party_name} {MEASURE_NAMES.get(row.measure, row.measure)} printed as "
            f"{row.value} by {_publisher(data, row.source_id)}{against}"
        )
    return Finding(
        "misprints",
        (DISAGREEMENT if unmatched else EXPLAINED) if parts else OK,
        ("Misprinted figures kept, marked: " + "; ".join(parts) + ".")
        if parts
        else "No figure is marked as a misprint.",
        ("mazhilis_results",),
        parties=tuple(misprints["party_code"].dropna()),
    )


CHECKS = (
    check_local_seat_total,
    check_party_seat_totals,
    check_seats_up,
    check_maslihat_count,
    check_levels_add_up,
    check_lists_vs_maslihats,
    check_lists_total,
    check_region_totals,
    check_party_totals,
    check_regional_grand_total,
    check_regional_within_local,
    check_share_sums,
    check_votes_add_up,
    check_national_turnout,
    check_preliminary_turnout,
    check_turnout_rises,
    check_mazhilis_seats,
    check_misprints,
    check_city_allocation,
)


def audit(data: ElectionData) -> list[Finding]:
    """Run every check on the data and return the findings in a fixed order."""
    return [check(data) for check in CHECKS]


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """The findings as a table, for printing in a report."""
    return pd.DataFrame(
        {
            "check": [f.check for f in findings],
            "status": [f.status for f in findings],
            "finding": [f.summary for f in findings],
        }
    )


def findings_for_region(
    findings: list[Finding], region: str, include_ok: bool = False
) -> list[Finding]:
    """The findings that touch a region: those naming it, and the national ones."""
    chosen = [f for f in findings if region == ALL or not f.regions or region in f.regions]
    return chosen if include_ok else [f for f in chosen if not f.ok]


def findings_on(
    findings: list[Finding], prefixes: tuple[str, ...], region: str = ALL, include_ok: bool = True
) -> list[Finding]:
    """The findings touching a region that concern a table whose name starts with a prefix.

    For a report's data-quality section: ('turnout', 'voters') picks the turnout checks. Passing
    checks are kept by default, so the section shows what was checked as well as what failed.
    """
    return [
        f
        for f in findings_for_region(findings, region, include_ok)
        if any(table.startswith(prefix) for table in f.tables for prefix in prefixes)
    ]
