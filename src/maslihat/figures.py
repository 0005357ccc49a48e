"""Pick the figure a report should use from tables that keep several, by status and source.

The data keeps every sourced figure, marked with a status (see `data/statuses.csv`). Where a
report needs one number, it takes the most authoritative usable one: official before reported,
reported before derived, and so on; figures marked contradicted, inconsistent, doubtful or a
misprint are never picked, though the audit shows them.
"""

from __future__ import annotations

import pandas as pd

from maslihat.data import ElectionData
from maslihat.i18n import N_, _

# Most authoritative first. Statuses not listed here are never used as "the" figure.
PREFERENCE = (
    "official",
    "reported",
    "derived",
    "preliminary",
    "election_night",
    "party_claim",
    "exit_poll",
)


class FigureNotFound(LookupError):
    """The data has no usable figure of the kind asked for; the message names what was sought."""


def preferred(rows: pd.DataFrame, what: str) -> pd.Series:
    """The row of `rows` with the most authoritative usable status (the first on a tie)."""
    rank = rows["status"].map({status: i for i, status in enumerate(PREFERENCE)})
    usable = rows[rank.notna()]
    if usable.empty:
        raise FigureNotFound(f"no usable figure for {what}")
    return usable.loc[rank[rank.notna()].astype(int).idxmin()]


def _check_count_query(data: ElectionData, measure: str, level: str) -> None:
    """Refuse a measure or level maslihat_counts does not have, listing those it has."""
    from maslihat.params import check_choice

    table = data.maslihat_counts
    check_choice("measure", measure, list(dict.fromkeys(table["measure"])))
    check_choice("level", level, list(dict.fromkeys(table["level"])))


def count_row(
    data: ElectionData, measure: str, level: str = "all", election_date: str | None = None
) -> pd.Series:
    """The preferred row of maslihat_counts for a measure and level (default: this election); an
    unknown measure or level raises ParameterError listing the valid ones."""
    _check_count_query(data, measure, level)
    table = data.maslihat_counts
    date = data.facts["election_date"] if election_date is None else pd.Timestamp(election_date)
    rows = table[
        (table["election_date"] == date) & (table["measure"] == measure) & (table["level"] == level)
    ]
    return preferred(rows, f"{measure} ({level}) on {date:%Y-%m-%d}")


def count(
    data: ElectionData, measure: str, level: str = "all", election_date: str | None = None
) -> int:
    """The preferred count of maslihat_counts: e.g. count(data, 'maslihats') is the CEC's 216."""
    return int(count_row(data, measure, level, election_date)["value"])


def counts_by_source(data: ElectionData, measure: str, level: str = "all") -> pd.DataFrame:
    """Every figure of this election for one measure and level, with status and source; an
    unknown measure or level raises ParameterError listing the valid ones."""
    _check_count_query(data, measure, level)
    table = data.maslihat_counts
    rows = table[
        (table["election_date"] == data.facts["election_date"])
        & (table["measure"] == measure)
        & (table["level"] == level)
    ]
    return rows[["value", "status", "source_id", "note"]].reset_index(drop=True)


def party_figures(data: ElectionData, table: str, measure: str) -> pd.Series:
    """One preferred figure per party for a measure of a long party table, by party code.

    `table` is 'local_results' or 'party_lists'; its value column is read whatever its name.
    """
    frame = getattr(data, table)
    value = "lists" if table == "party_lists" else "value"
    rows = frame[frame["measure"] == measure]
    picked = {
        code: preferred(group, f"{measure} of {code} in {table}")[value]
        for code, group in rows.groupby("party_code", sort=False)
    }
    return pd.Series(picked, name=measure, dtype="Float64")


def voter_count(data: ElectionData, measure: str, election_date: str | None = None) -> int:
    """The preferred count of the voters table (registered, ballots_issued, valid_votes, ...)."""
    table = data.voters
    date = data.facts["election_date"] if election_date is None else pd.Timestamp(election_date)
    rows = table[(table["election_date"] == date) & (table["measure"] == measure)]
    return int(preferred(rows, f"{measure} on {date:%Y-%m-%d}")["count"])


def voter_sources(data: ElectionData, measures: tuple[str, ...]) -> list[str]:
    """The sources of the preferred voter counts of this election (for note markers)."""
    table = data.voters
    rows = table[
        (table["election_date"] == data.facts["election_date"]) & table["measure"].isin(measures)
    ]
    return [str(preferred(group, m)["source_id"]) for m, group in rows.groupby("measure")]


STATUS_LABELS = {
    "official": N_("official"),
    "preliminary": N_("preliminary"),
    "election_night": N_("election-night"),
    "reported": N_("reported"),
    "party_claim": N_("party claim"),
    "exit_poll": N_("exit poll"),
    "derived": N_("derived"),
    "inconsistent": N_("inconsistent"),
    "contradicted": N_("contradicted"),
    "doubtful": N_("doubtful"),
    "misprint": N_("misprint"),
}


def status_label(status: str) -> str:
    """What a figure's status (statuses.csv) says to a reader, in the report's language."""
    return _(STATUS_LABELS.get(status, str(status).replace("_", " ")))


BODY_LABELS = {
    "maslihats": N_("Mäslihats"),
    "Mazhilis": N_("Mazhilis"),
    "Mazhilis and maslihats": N_("Mazhilis and mäslihats"),
}
BODY_LABELS_IN_TEXT = {
    "maslihats": N_("mäslihats"),
    "Mazhilis": N_("Mazhilis"),
    "Mazhilis and maslihats": N_("Mazhilis and mäslihats"),
}


def body_label(body: str, lower: bool = False) -> str:
    """The elected body of a turnout figure, in the report's language (lower: inside a
    sentence)."""
    return _((BODY_LABELS_IN_TEXT if lower else BODY_LABELS).get(body, body))
