"""Data-quality audit: consistency checks computed from the data, returned as printable findings.

Nothing here is hard-coded: every figure in a finding is computed from the loaded tables, so a
corrected CSV changes the findings.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from maslihat.data import ElectionData, party_names, publishers
from maslihat.params import ALL

OK = "ok"
INCONSISTENT = "inconsistent"
DISAGREEMENT = "sources disagree"

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
        """True when the check found nothing to report."""
        return self.status == OK


# How a report names what the data codes: a body of the turnout table, a measure of the results.
BODY_NAMES = {"maslihats": "mäslihats"}
MEASURE_NAMES = {"vote_share_pct": "vote share (%)"}


def _party(data: ElectionData, code: str) -> str:
    """A party's name for a finding's text (its code if the parties table lacks it)."""
    return str(party_names(data).get(code, code))


def _publisher(data: ElectionData, source_id: str) -> str:
    """Who published a source, for a finding's text (its id if the sources table lacks it)."""
    return str(publishers(data).get(source_id, source_id))


def _fmt(n: float) -> str:
    return f"{n:,.0f}" if float(n).is_integer() else f"{n:,.2f}"


def check_local_seat_total(data: ElectionData) -> Finding:
    """Party seat totals of the lead against the seats up for election."""
    total = int(data.local_results["seats_won"].sum())
    stated = int(data.facts["seats_for_election"])
    status = OK if total == stated else INCONSISTENT
    return Finding(
        "local_seats_vs_seats_up",
        status,
        f"The parties' local seat totals sum to {_fmt(total)}; {_fmt(stated)} seats were up for "
        f"election (difference {total - stated:+,}).",
        ("local_results", "election"),
        parties=tuple(data.local_results["party_code"]),
    )


def check_members_sum(data: ElectionData) -> Finding:
    """Regional plus municipal members against the seats up for election."""
    f = data.facts
    total = int(f["regional_members"] + f["municipal_members"])
    stated = int(f["seats_for_election"])
    return Finding(
        "regional_plus_municipal",
        OK if total == stated else INCONSISTENT,
        f"{_fmt(f['regional_members'])} regional and {_fmt(f['municipal_members'])} municipal "
        f"members make {_fmt(total)}; {_fmt(stated)} seats were up for election.",
        ("election",),
    )


def check_lists_vs_maslihats(data: ElectionData) -> Finding:
    """Parties that registered more lists than there are mäslihats: an inconsistency to report.

    The article gives both counts without explaining the excess (nor does any source state a
    limit of lists per mäslihat), so the finding names the numbers and does not judge them.
    """
    maslihats = int(data.facts["maslihats"])
    lists = data.party_lists
    over = lists[lists["lists_registered"] > maslihats]
    if over.empty:
        summary = f"No party registered more lists than there are mäslihats ({maslihats})."
    else:
        names = ", ".join(
            f"{_party(data, row.party_code)} {row.lists_registered}"
            for row in over.itertuples(index=False)
        )
        summary = (
            f"More party lists than mäslihats ({maslihats}): {names}; "
            "the sources do not explain how."
        )
    return Finding(
        "lists_vs_maslihats",
        OK if over.empty else INCONSISTENT,
        summary,
        ("party_lists", "election"),
        parties=tuple(over["party_code"]),
    )


def check_lists_total(data: ElectionData) -> Finding:
    """Lists per party against the stated total of lists."""
    total = int(data.party_lists["lists_registered"].sum())
    stated = int(data.facts["party_lists_registered"])
    return Finding(
        "lists_total",
        OK if total == stated else INCONSISTENT,
        f"Lists per party sum to {_fmt(total)}; the article states {_fmt(stated)}.",
        ("party_lists", "election"),
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
    """The regional table's sum against the regional members stated in the text and the table."""
    total = int(data.regional_seats["seats"].sum())
    members = int(data.facts["regional_members"])
    printed = int(data.facts["regional_seats_table_total"])
    return Finding(
        "regional_grand_total",
        OK if total == members == printed else INCONSISTENT,
        f"The regional table sums to {_fmt(total)} seats; the text states {_fmt(members)} regional "
        f"members and the table prints {_fmt(printed)}.",
        ("regional_seats", "election"),
    )


def check_regional_within_local(data: ElectionData) -> Finding:
    """A party cannot hold more regional seats than local seats in all."""
    regional = data.regional_seats.groupby("party_code")["seats"].sum()
    local = data.local_results.set_index("party_code")["seats_won"]
    both = pd.concat({"regional": regional, "local": local}, axis=1).dropna()
    over = both[both["regional"] > both["local"]]
    summary = (
        "Every party's regional seats are within its stated local seats."
        if over.empty
        else "Regional seats above all local seats: "
        + "; ".join(f"{c} {_fmt(r['regional'])} > {_fmt(r['local'])}" for c, r in over.iterrows())
        + "."
    )
    return Finding(
        "regional_within_local",
        OK if over.empty else INCONSISTENT,
        summary,
        ("regional_seats", "local_results"),
        parties=tuple(over.index),
    )


def check_share_sums(data: ElectionData) -> Finding:
    """Vote shares of each published set lie in 0–100% and sum to at most 100%."""
    shares = data.mazhilis_results[data.mazhilis_results["measure"] == "vote_share_pct"]
    bad = []
    for (year, status, source), group in shares.groupby(
        ["election_year", "status", "source_id"], sort=False
    ):
        total = float(group["value"].sum())
        out_of_range = group[(group["value"] < 0) | (group["value"] > 100)]
        if total > 100 + SHARE_SUM_TOLERANCE or not out_of_range.empty:
            bad.append(f"{year} {status} ({source}) sums to {total:.2f}%")
    local = data.local_results["vote_share_pct"].dropna()
    if ((local < 0) | (local > 100)).any() or local.sum() > 100 + SHARE_SUM_TOLERANCE:
        bad.append(f"local vote shares sum to {local.sum():.2f}%")
    return Finding(
        "vote_shares_in_range",
        OK if not bad else INCONSISTENT,
        "Every set of vote shares lies within 0–100%."
        if not bad
        else "Vote shares out of range: " + "; ".join(bad) + ".",
        ("mazhilis_results", "local_results"),
    )


def check_national_turnout(data: ElectionData) -> Finding:
    """The final turnout figures of 10 January 2021 and the one implied by the voter counts."""
    date = data.facts["election_date"]
    final = data.turnout_national[
        (data.turnout_national["election_date"] == date)
        & (data.turnout_national["as_of"] == "final")
    ]
    voters = data.voters[data.voters["election_date"] == date].set_index("measure")["voters"]
    figures = [
        f"{r.turnout_pct:.2f}% ({BODY_NAMES.get(r.body, r.body)}, {_publisher(data, r.source_id)})"
        for r in final.itertuples()
    ]
    values = list(final["turnout_pct"].round(2))
    if {"registered", "took_part"} <= set(voters.index):
        implied = 100 * voters["took_part"] / voters["registered"]
        figures.append(
            f"{implied:.2f}% implied by {voters['took_part']:,} voters of {voters['registered']:,} "
            "registered"
        )
        values.append(round(float(implied), 2))
    status = OK if len(set(values)) <= 1 else DISAGREEMENT
    return Finding(
        "national_turnout",
        status,
        f"{len(values)} turnout figures for {date:%d %B %Y}: " + "; ".join(figures) + ".",
        ("turnout_national", "voters"),
    )


def check_preliminary_turnout(data: ElectionData) -> Finding:
    """Preliminary national figures given for the same hour by different sources or passages."""
    prelim = data.turnout_national[data.turnout_national["status"] == "preliminary"]
    parts, disagree = [], False
    for (date, as_of), group in prelim.groupby(["election_date", "as_of"], sort=False):
        if group["turnout_pct"].nunique() > 1:
            disagree = True
            parts.append(
                f"{as_of} on {date:%d %B %Y}: "
                + " vs ".join(
                    f"{r.turnout_pct}% ({_publisher(data, r.source_id)}"
                    f"{', ' + r.note if pd.notna(r.note) else ''})"
                    for r in group.itertuples()
                )
            )
    return Finding(
        "preliminary_turnout",
        DISAGREEMENT if disagree else OK,
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
    parts = []
    for row in misprints.itertuples():
        match = official[
            (official["election_year"] == row.election_year)
            & (official["party_name"] == row.party_name)
            & (official["measure"] == row.measure)
        ]
        against = f" against the official {match['value'].iloc[0]}" if not match.empty else ""
        parts.append(
            f"{row.party_name} {MEASURE_NAMES.get(row.measure, row.measure)} printed as "
            f"{row.value} by {_publisher(data, row.source_id)}{against}"
        )
    return Finding(
        "misprints",
        DISAGREEMENT if parts else OK,
        ("Misprinted figures kept, marked: " + "; ".join(parts) + ".")
        if parts
        else "No figure is marked as a misprint.",
        ("mazhilis_results",),
        parties=tuple(misprints["party_code"].dropna()),
    )


CHECKS = (
    check_local_seat_total,
    check_members_sum,
    check_lists_vs_maslihats,
    check_lists_total,
    check_region_totals,
    check_party_totals,
    check_regional_grand_total,
    check_regional_within_local,
    check_share_sums,
    check_national_turnout,
    check_preliminary_turnout,
    check_turnout_rises,
    check_mazhilis_seats,
    check_misprints,
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
