"""Data-quality audit: consistency checks computed from the data, returned as printable findings.

Nothing here is hard-coded: every figure in a finding is computed from the loaded tables, so a
corrected CSV changes the findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from maslihat.allocation import allocate_seats
from maslihat.data import ElectionData, party_names, per_data, publishers
from maslihat.figures import (
    body_label,
    count,
    count_row,
    counts_by_source,
    party_figures,
    status_label,
    voter_count,
    voter_sources,
)
from maslihat.i18n import N_, _, long_date, n_, number, percent
from maslihat.names import shown
from maslihat.params import ALL

OK = "ok"
INCONSISTENT = "inconsistent"
DISAGREEMENT = "sources disagree"
# A difference the data itself explains (a marked misprint, preliminary counts that the official
# result supersedes): shown, but not counted as a problem.
EXPLAINED = "explained"

STATUS_LABELS = {
    OK: N_("ok"),
    INCONSISTENT: N_("inconsistent"),
    DISAGREEMENT: N_("sources disagree"),
    EXPLAINED: N_("explained"),
}

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
    sources: tuple[str, ...] = ()  # the source_ids of the figures compared, for note markers

    @property
    def ok(self) -> bool:
        """True when the check found no problem, or only a difference the data explains."""
        return self.status in (OK, EXPLAINED)


# How a report names what the data codes: a measure of the results.
MEASURE_NAMES = {"vote_share_pct": N_("vote share (%)"), "votes": N_("votes"), "seats": N_("seats")}


def _party(data: ElectionData, code: str) -> str:
    """A party's name for a finding's text (its code if the parties table lacks it)."""
    return shown(party_names(data).get(code, code))


def _publisher(data: ElectionData, source_id: str) -> str:
    """Who published a source, for a finding's text (its id if the sources table lacks it)."""
    return str(publishers(data).get(source_id, source_id))


def _lead_source(data: ElectionData) -> str:
    """The source of the election table's facts (the article), whose lead gives seats per party."""
    return str(data.facts["source_id"])


def _ids(*used: pd.DataFrame | pd.Series | str) -> tuple[str, ...]:
    """The sources of the rows a check compared (frames or rows with `source_id`, or ids), once
    each in order: a finding's note markers."""
    ids: list[str] = []
    for item in used:
        if isinstance(item, str):
            ids.append(item)
        elif isinstance(item, pd.DataFrame):
            ids += list(item["source_id"]) if "source_id" in item else []
        else:
            ids.append(item["source_id"])
    return tuple(dict.fromkeys(str(i) for i in ids if pd.notna(i)))


def _fmt(n: float) -> str:
    """A figure with the decimals it was given (71.9, not 71.90; 3,246; 7,539,280)."""
    value = float(n)
    if value.is_integer():
        return number(value)
    return number(value, len(repr(value).partition(".")[2]))


def _signed(n: float) -> str:
    return ("+" if n > 0 else "−" if n < 0 else "±") + _fmt(abs(n))


def _figure(data: ElectionData, value: float, source_id: str, status: str) -> str:
    """A figure with who published it and its status: '3,246 (Kazinform, party claim)'."""
    return _("{value} ({publisher}, {status})", value=_fmt(value),
             publisher=_publisher(data, source_id), status=status_label(status))  # fmt: skip


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
        _("The lead of the {publisher} article gives the parties' seats as {total} in all, "
          "against the seats up for election ({seats}; difference {difference}). The infobox's "
          "regional and municipal members per party sum to {members}, which the reports use.",
          publisher=_publisher(data, _lead_source(data)), total=_fmt(total), seats=_fmt(seats),
          difference=_signed(total - seats), members=_fmt(members.sum())),
        ("local_results", "maslihat_counts"),
        parties=tuple(lead["party_code"]),
        sources=_ids(lead, count_row(data, "seats"), _members(data)),
    )


def check_party_seat_totals(data: ElectionData) -> Finding:
    """Every published total of one party's seats in all mäslihats, where they differ."""
    results = data.local_results
    members = results[results["measure"].isin(["regional_members", "municipal_members"])]
    infobox = members.groupby("party_code")["value"].sum()
    seats = results[results["measure"] == "seats"]
    parts, codes = [], []
    for code, group in seats.groupby("party_code", sort=False):
        figures = [_figure(data, r.value, r.source_id, r.status) for r in group.itertuples()]
        # Figures already marked inconsistent (the lead's) are the local_seats_vs_seats_up finding.
        values = set(group.loc[group["status"] != "inconsistent", "value"])
        if code in infobox.index:
            source = members.loc[members["party_code"] == code, "source_id"].iloc[0]
            figures.append(
                _("{value} (regional plus municipal members, {publisher})",
                  value=_fmt(infobox[code]), publisher=_publisher(data, source))
            )  # fmt: skip
            values.add(infobox[code])
        if len(values) > 1:
            parts.append(f"{_party(data, code)}: " + " / ".join(figures))
            codes.append(code)
    return Finding(
        "party_seat_totals",
        DISAGREEMENT if parts else OK,
        _("Seat totals of one party differ between sources: {figures}.", figures="; ".join(parts))
        if parts
        else _("Every party's seat totals agree between sources, apart from the lead's."),
        ("local_results",),
        parties=tuple(codes),
        sources=_ids(seats[seats["party_code"].isin(codes)] if codes else seats,
                     members[members["party_code"].isin(codes)] if codes else members),
    )


def _members(data: ElectionData, *measures: str) -> pd.DataFrame:
    """The infobox's rows of regional and municipal members (or only the measures named)."""
    results = data.local_results
    return results[results["measure"].isin(measures or ("regional_members", "municipal_members"))]


def _lists(data: ElectionData, measure: str) -> pd.DataFrame:
    """The party_lists rows of one measure (registered, presented, excluded)."""
    return data.party_lists[data.party_lists["measure"] == measure]


def _disagreement(data: ElectionData, check: str, what: str, measure: str, level: str) -> Finding:
    """A finding on every figure of maslihat_counts for one measure and level of this election."""
    rows = counts_by_source(data, measure, level)
    figures = "; ".join(_figure(data, r.value, r.source_id, r.status) for r in rows.itertuples())
    used = count(data, measure, level)
    agree = rows["value"].nunique() <= 1
    return Finding(
        check,
        OK if agree else DISAGREEMENT,
        _("{what}: {figures}.", what=_(what), figures=figures)
        + ("" if agree else " " + _("The reports use {value}.", value=_fmt(used))),
        ("maslihat_counts",),
        sources=_ids(rows),
    )


def check_seats_up(data: ElectionData) -> Finding:
    """Seats up for election as the article and the parties give them."""
    return _disagreement(data, "seats_up", N_("Seats up for election"), "seats", "all")


def check_maslihat_count(data: ElectionData) -> Finding:
    """The number of mäslihats: the article's against the CEC's."""
    return _disagreement(data, "maslihat_count", N_("Number of mäslihats"), "maslihats", "all")


def check_levels_add_up(data: ElectionData) -> Finding:
    """The CEC's counts by level (regional-level, city, district) against the national counts."""
    levels = ("regional_level", "city", "district")
    table = data.maslihat_counts
    this = table[table["election_date"] == data.facts["election_date"]]
    words = {
        "maslihats": N_("the CEC's mäslihats by level sum to {total} against {stated}"),
        "candidates": N_("the CEC's candidates by level sum to {total} against {stated}"),
    }
    parts, bad, used = [], False, []
    for measure, sentence in words.items():
        by_level = this[(this["measure"] == measure) & this["level"].isin(levels)]
        if by_level.empty:
            continue
        used += [by_level, count_row(data, measure)]
        total, stated = int(by_level["value"].sum()), count(data, measure)
        bad |= total != stated
        parts.append(_(sentence, total=_fmt(total), stated=_fmt(stated)))
    regional, municipal = count(data, "seats", "regional"), count(data, "seats", "municipal")
    seats = count(data, "seats")
    bad |= regional + municipal != seats
    parts.append(
        _("regional members ({regional}) and municipal members ({municipal}) make {sum}, "
          "against the seats up for election ({seats})", regional=_fmt(regional),
          municipal=_fmt(municipal), sum=_fmt(regional + municipal), seats=_fmt(seats))
    )  # fmt: skip
    return Finding(
        "levels_add_up",
        INCONSISTENT if bad else OK,
        _("Counts by level: {parts}.", parts="; ".join(parts)),
        ("maslihat_counts",),
        sources=_ids(*used, *(count_row(data, "seats", level)
                              for level in ("regional", "municipal", "all"))),
    )


def check_lists_vs_maslihats(data: ElectionData) -> Finding:
    """No party can have registered more lists than there are mäslihats."""
    maslihats = count(data, "maslihats")
    lists = party_figures(data, "party_lists", "registered")
    over = lists[lists > maslihats]
    if over.empty:
        summary = _("No party registered more lists than there are mäslihats ({maslihats}); the "
                    "most was {most}.", maslihats=_fmt(maslihats), most=_fmt(lists.max()))
    else:
        names = ", ".join(f"{_party(data, code)} {_fmt(n)}" for code, n in over.items())
        summary = _("More party lists than mäslihats ({maslihats}): {parties}.",
                    maslihats=_fmt(maslihats), parties=names)  # fmt: skip
    return Finding(
        "lists_vs_maslihats",
        OK if over.empty else INCONSISTENT,
        summary,
        ("party_lists", "maslihat_counts"),
        parties=tuple(over.index),
        sources=_ids(_lists(data, "registered"), count_row(data, "maslihats")),
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
        _("Lists registered per party sum to {registered} against {stated} in all; lists "
          "presented ({presented}) less those the CEC excluded ({excluded}) give each party's "
          "registered lists.", registered=_fmt(registered.sum()), stated=_fmt(stated),
          presented=_fmt(presented.sum()), excluded=_fmt(excluded.sum()))
        if not off.fillna(False).any() else
        _("Lists registered per party sum to {registered} against {stated} in all; lists "
          "presented ({presented}) less those the CEC excluded ({excluded}) differ from the "
          "registered lists of {parties}.", registered=_fmt(registered.sum()),
          stated=_fmt(stated), presented=_fmt(presented.sum()), excluded=_fmt(excluded.sum()),
          parties=", ".join(_party(data, c) for c in off[off.fillna(False)].index)),
        ("party_lists", "maslihat_counts"),
        sources=_ids(*(_lists(data, m) for m in ("registered", "presented", "excluded")),
                     count_row(data, "party_lists_registered")),
    )


def check_region_totals(data: ElectionData) -> Finding:
    """Row sums of the regional table against its printed Total column."""
    sums = data.regional_seats.groupby("region", sort=False)["seats"].sum()
    stated = data.regional_seat_totals.set_index("region")["seats_stated"]
    both = pd.concat({"sum": sums, "stated": stated}, axis=1)
    off = both[both["sum"].ne(both["stated"]).fillna(True)]
    if off.empty:
        summary = n_("The {n} regional row sums to its printed total.",
                     "All {n} regional rows sum to their printed totals.", len(both),
                     n=len(both))  # fmt: skip
    else:
        summary = _("Regional rows that do not sum to their printed total: {rows}.", rows="; ".join(
            _("{region} has no rows in the table (printed total {stated})", region=shown(region),
              stated=_fmt(row["stated"]))
            if pd.isna(row["sum"])
            else _("{region} sums to {sum} against {stated}", region=shown(region),
                   sum=_fmt(row["sum"]), stated=_fmt(row["stated"]))
            if pd.notna(row["stated"])
            else _("{region} has no printed total", region=shown(region))
            for region, row in off.iterrows()
        ))  # fmt: skip
    return Finding(
        "regional_row_totals",
        OK if off.empty else INCONSISTENT,
        summary,
        ("regional_seats", "regional_seat_totals"),
        regions=tuple(off.index),
        sources=_ids(_lead_source(data)),  # both are the article's regional table
    )


def check_party_totals(data: ElectionData) -> Finding:
    """Column sums of the regional table against its printed Total row."""
    sums = data.regional_seats.groupby("party_code", sort=False)["seats"].sum()
    stated = data.regional_party_totals.set_index("party_code")["seats_stated"]
    both = pd.concat({"sum": sums, "stated": stated}, axis=1).fillna(0)
    off = both[both["sum"] != both["stated"]]
    if off.empty:
        summary = _("Every party's regional seats sum to the printed 'Total seats' row.")
    else:
        summary = _("Party columns that do not sum to the printed total: {parties}.",
                    parties="; ".join(
                        _("{party} sums to {sum} against {stated}", party=_party(data, code),
                          sum=_fmt(row["sum"]), stated=_fmt(row["stated"]))
                        for code, row in off.iterrows()
                    ))  # fmt: skip
    return Finding(
        "regional_column_totals",
        OK if off.empty else INCONSISTENT,
        summary,
        ("regional_seats", "regional_party_totals"),
        parties=tuple(off.index),
        sources=_ids(_lead_source(data)),  # both are the article's regional table
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
        _("The regional table's seats sum to {total}; the text gives the regional members as "
          "{members}, the table prints {printed} and the infobox's regional members sum to "
          "{infobox}, party by party the same as the table.", total=_fmt(total),
          members=_fmt(members), printed=_fmt(printed), infobox=_fmt(infobox.sum()))
        if not off else
        _("The regional table's seats sum to {total}; the text gives the regional members as "
          "{members}, the table prints {printed} and the infobox's regional members sum to "
          "{infobox}; they differ from the table for {parties}.", total=_fmt(total),
          members=_fmt(members), printed=_fmt(printed), infobox=_fmt(infobox.sum()),
          parties=", ".join(_party(data, c) for c in off)),
        ("regional_seats", "maslihat_counts", "local_results"),
        parties=tuple(off),
        sources=_ids(_lead_source(data), count_row(data, "seats", "regional"),
                     _members(data, "regional_members")),
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
        _("Every party's regional seats are within its seats in all mäslihats.")
        if over.empty
        else _("Regional seats above all seats: {parties}.", parties="; ".join(
            f"{_party(data, c)} {_fmt(r['regional'])} > {_fmt(r['local'])}"
            for c, r in over.iterrows()
        ))
    )
    return Finding(
        "regional_within_local",
        OK if over.empty else INCONSISTENT,
        summary,
        ("regional_seats", "local_results"),
        parties=tuple(over.index),
        sources=_ids(_lead_source(data), _members(data)),
    )


def _share_sets(data: ElectionData) -> list[tuple[str, pd.DataFrame]]:
    """Each published set of vote shares: (what it is, its rows; the shares are `value`)."""
    sets = []
    mazhilis = data.mazhilis_results[data.mazhilis_results["measure"] == "vote_share_pct"]
    for (year, status, source), group in mazhilis.groupby(
        ["election_year", "status", "source_id"], sort=False
    ):
        sets.append((_("Mazhilis {year} {status} ({publisher})", year=year,
                       status=status_label(status), publisher=_publisher(data, source)),
                     group))  # fmt: skip
    local = data.local_results[data.local_results["measure"] == "vote_share_pct"]
    for source, group in local.groupby("source_id", sort=False):
        sets.append((_("mäslihats ({publisher})", publisher=_publisher(data, source)),
                     group))  # fmt: skip
    cities = data.city_results[data.city_results["measure"] == "vote_share_pct"]
    for city, group in cities.groupby("region", sort=False):
        sets.append((_("mäslihat of {city}", city=shown(city)), group))
    return sets


def check_share_sums(data: ElectionData) -> Finding:
    """Vote shares of each published set lie in 0–100% and sum to at most 100%."""
    sets = [(what, rows, rows["value"]) for what, rows in _share_sets(data)]
    off = [
        (what, rows, shares)
        for what, rows, shares in sets
        if float(shares.sum()) > 100 + SHARE_SUM_TOLERANCE or ((shares < 0) | (shares > 100)).any()
    ]
    bad = [_("{what} sums to {total}", what=what, total=percent(float(shares.sum()), 2))
           for what, _rows, shares in off]  # fmt: skip
    return Finding(
        "vote_shares_in_range",
        OK if not bad else INCONSISTENT,
        _("Every set of vote shares lies within 0–100%.")
        if not bad
        else _("Vote shares out of range: {sets}.", sets="; ".join(bad)),
        ("mazhilis_results", "local_results", "city_results"),
        sources=_ids(*(rows for _what, rows, _shares in (off or sets))),
    )


def check_votes_add_up(data: ElectionData) -> Finding:
    """Valid votes against the parties' Mazhilis votes, and ballots against valid plus invalid."""
    year = int(data.facts["election_date"].year)
    results = data.mazhilis_results
    official = results[
        (results["election_year"] == year)
        & (results["measure"] == "votes")
        & (results["status"] == "official")
    ]
    party_votes = official["value"].sum()
    valid = voter_count(data, "valid_votes")
    invalid = voter_count(data, "invalid_ballots")
    ballots = voter_count(data, "ballots_issued")
    ok = int(party_votes) == valid and valid + invalid == ballots
    return Finding(
        "votes_add_up",
        OK if ok else INCONSISTENT,
        _("The parties' Mazhilis votes sum to {party_votes}, against the valid votes ({valid}); "
          "valid and invalid ballots ({valid} and {invalid}) make {sum}, against the ballots "
          "issued ({ballots}).",
          party_votes=_fmt(party_votes), valid=_fmt(valid), invalid=_fmt(invalid),
          sum=_fmt(valid + invalid), ballots=_fmt(ballots)),
        ("voters", "mazhilis_results"),
        sources=_ids(official, *voter_sources(data, ("valid_votes", "invalid_ballots",
                                                     "ballots_issued"))),
    )


def check_national_turnout(data: ElectionData) -> Finding:
    """The final turnout figures of polling day, and the one the counts of ballots give."""
    date = data.facts["election_date"]
    table = data.turnout_national
    final = table[(table["election_date"] == date) & (table["as_of"] == "final")]
    figures = [
        _("{value} ({body}, {publisher}, {status})", value=percent(r.turnout_pct, 2),
          body=body_label(r.body, lower=True), publisher=_publisher(data, r.source_id),
          status=status_label(r.status))
        for r in final.itertuples()
    ]  # fmt: skip
    ballots, registered = voter_count(data, "ballots_issued"), voter_count(data, "registered")
    from_counts = 100 * ballots / registered
    return Finding(
        "national_turnout",
        OK if final["turnout_pct"].round(2).nunique() <= 1 else DISAGREEMENT,
        _("Final turnout figures for {date}: {figures}. The ballots issued ({ballots}) over the "
          "registered voters ({registered}) give {from_counts}.", date=long_date(date),
          figures="; ".join(figures), ballots=_fmt(ballots), registered=_fmt(registered),
          from_counts=percent(from_counts, 2)),
        ("turnout_national", "voters"),
        sources=_ids(final, *voter_sources(data, ("ballots_issued", "registered"))),
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
        parts.append(_("{city} matches", city=shown(city)) if same
                     else _("{city} does not match", city=shown(city)))  # fmt: skip
        if not same:
            off.append(city)
    return Finding(
        "city_allocation",
        OK if not off else INCONSISTENT,
        _("Hare largest remainder with the {threshold} threshold, applied to the published votes "
          "or vote shares, against the published seats: {cities}.",
          threshold=percent(threshold, None), cities="; ".join(parts)),
        ("city_results",),
        regions=tuple(off),
        sources=_ids(cities[cities["region"].isin(off)] if off else cities),
    )


def check_preliminary_turnout(data: ElectionData) -> Finding:
    """Preliminary national figures given for the same hour by different sources or passages.

    Where an official final figure of the same day exists, the difference is explained: the
    preliminary counts are superseded.
    """
    table = data.turnout_national
    prelim = table[table["status"] == "preliminary"]
    official = table[(table["status"] == "official") & (table["as_of"] == "final")]
    parts, disagree, superseded, used = [], False, True, []
    for (date, as_of), group in prelim.groupby(["election_date", "as_of"], sort=False):
        if group["turnout_pct"].nunique() > 1:
            disagree = True
            final = official[official["election_date"] == date]
            used += [group, final]
            superseded &= not final.empty
            figures = " / ".join(
                _("{value} ({publisher}, {passage})", value=percent(r.turnout_pct, None),
                  publisher=_publisher(data, r.source_id), passage=_(r.note))
                if pd.notna(r.note) else
                _("{value} ({publisher})", value=percent(r.turnout_pct, None),
                  publisher=_publisher(data, r.source_id))
                for r in group.itertuples()
            )  # fmt: skip
            parts.append(
                _("{as_of} on {date}: {figures}, superseded by the official {official} ({body})",
                  as_of=as_of, date=long_date(date), figures=figures,
                  official=percent(final["turnout_pct"].iloc[0], None),
                  body=body_label(final["body"].iloc[0], lower=True))
                if not final.empty else
                _("{as_of} on {date}: {figures}", as_of=as_of, date=long_date(date),
                  figures=figures)
            )  # fmt: skip
    return Finding(
        "preliminary_turnout",
        (EXPLAINED if superseded else DISAGREEMENT) if disagree else OK,
        _("Preliminary national turnout differs between reports of the same hour: {counts}.",
          counts="; ".join(parts))
        if disagree
        else _("Reports of the same hour agree on the preliminary national turnout."),
        ("turnout_national",),
        sources=_ids(*used) if used else _ids(prelim),
    )


def check_turnout_rises(data: ElectionData) -> Finding:
    """Turnout counted later in the day cannot be lower than an earlier count."""
    order = {"10:00": 0, "20:00": 1, "22:00": 2}
    hourly = data.turnout_by_region[data.turnout_by_region["as_of"].isin(order)].copy()
    hourly["order"] = hourly["as_of"].map(order)
    falls = []
    for (_day, region), group in hourly.sort_values("order").groupby(["election_date", "region"]):
        drops = group["turnout_pct"].diff() < 0
        if drops.any():
            falls.append(region)
    return Finding(
        "regional_turnout_rises",
        OK if not falls else INCONSISTENT,
        _("Regional turnout never falls between counts of the same day.")
        if not falls
        else _("Regional turnout falls between two counts of the same day in: {regions}.",
               regions=", ".join(shown(f) for f in falls)),
        ("turnout_by_region",),
        regions=tuple(falls),
        sources=_ids(hourly[hourly["region"].isin(falls)] if falls else hourly),
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
        parts.append(n_("{year}: parties hold {total} of the {stated} party-list seat",
                        "{year}: parties hold {total} of the {stated} party-list seats", stated,
                        year=year, total=_fmt(total), stated=_fmt(stated)))  # fmt: skip
    return Finding(
        "mazhilis_seats",
        INCONSISTENT if bad else OK,
        "; ".join(parts) + "." if parts else _("No Mazhilis seat figures to compare."),
        ("mazhilis_results", "mazhilis_election"),
        sources=_ids(seats, elected),
    )


def check_misprints(data: ElectionData) -> Finding:
    """Published figures marked as misprints, set against the official figure."""
    results = data.mazhilis_results
    misprints = results[results["status"] == "misprint"]
    official = results[results["status"] == "official"]
    parts, unmatched, used = [], False, [misprints]
    for row in misprints.itertuples():
        match = official[
            (official["election_year"] == row.election_year)
            & (official["party_name"] == row.party_name)
            & (official["measure"] == row.measure)
        ]
        used.append(match)
        unmatched |= match.empty
        what = dict(party=shown(row.party_name), measure=_(MEASURE_NAMES.get(row.measure,
                    row.measure)), value=_fmt(row.value), publisher=_publisher(data, row.source_id))
        parts.append(
            _("{party} {measure} printed as {value} by {publisher} against the official "
              "{official}", **what, official=_fmt(match["value"].iloc[0]))
            if not match.empty else
            _("{party} {measure} printed as {value} by {publisher}", **what)
        )  # fmt: skip
    return Finding(
        "misprints",
        (DISAGREEMENT if unmatched else EXPLAINED) if parts else OK,
        _("Misprinted figures kept, marked: {figures}.", figures="; ".join(parts))
        if parts
        else _("No figure is marked as a misprint."),
        ("mazhilis_results",),
        parties=tuple(misprints["party_code"].dropna()),
        sources=_ids(*used),
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


@per_data(words=True)
def audit(data: ElectionData) -> list[Finding]:
    """Run every check on the data and return the findings in a fixed order (once per process for
    the same data and language)."""
    return [check(data) for check in CHECKS]


def findings_frame(
    findings: list[Finding], cite: Callable[[Iterable[str]], str] | None = None
) -> pd.DataFrame:
    """The findings as a table, for printing in a report; with a report's `Citations`, each
    finding ends with the note marker of the sources it compares."""
    return pd.DataFrame(
        {
            "check": [f.check for f in findings],
            "status": [_(STATUS_LABELS[f.status]) for f in findings],
            "finding": [f"{f.summary} {cite(f.sources)}".rstrip() if cite else f.summary
                        for f in findings],  # fmt: skip
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
