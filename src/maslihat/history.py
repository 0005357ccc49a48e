"""Change since the previous election: the rules, the candidates and the turnout of 2016, 2021
and 2023, each from the figure the data prefers for that year."""

from __future__ import annotations

import pandas as pd

from maslihat.data import ElectionData
from maslihat.figures import count, count_row, preferred


def turnout_history(data: ElectionData) -> pd.DataFrame:
    """The final turnout of the Mazhilis vote held with the mäslihat elections, in the previous,
    this and the next election: year, turnout_pct, status, source_id (oldest first).

    Each year's figure is the most authoritative final one (figures.preferred): 2021's official
    63.25%, 2016's and 2023's as reported.
    """
    table = data.turnout_national
    years = [
        int(data.facts["previous_election_year"]),
        int(data.facts["election_date"].year),
        int(data.facts["next_election_year"]),
    ]
    rows = []
    for year in years:
        final = table[
            (table["election_date"].dt.year == year)
            & (table["body"] == "Mazhilis")
            & (table["as_of"] == "final")
        ]
        if final.empty:
            continue
        row = preferred(final, f"final Mazhilis turnout in {year}")
        rows.append(
            {
                "year": year,
                "turnout_pct": float(row["turnout_pct"]),
                "status": str(row["status"]),
                "source_id": str(row["source_id"]),
            }
        )
    return pd.DataFrame(rows, columns=["year", "turnout_pct", "status", "source_id"])


def previous_candidates(data: ElectionData) -> pd.Series:
    """The previous mäslihat elections' candidates: all, self-nominated, their share (%), and
    the source; the election date in `date`."""
    year = int(data.facts["previous_election_year"])
    counts = data.maslihat_counts
    dates = counts.loc[counts["election_date"].dt.year == year, "election_date"]
    if dates.empty:
        raise ValueError(f"maslihat_counts has no figures for {year}, the previous election")
    day = dates.iloc[0].strftime("%Y-%m-%d")
    every = count_row(data, "candidates", election_date=day)
    self_nominated = count(data, "self_nominated_candidates", election_date=day)
    return pd.Series(
        {
            "date": dates.iloc[0],
            "candidates": int(every["value"]),
            "self_nominated": self_nominated,
            "self_nominated_pct": 100 * self_nominated / int(every["value"]),
            "source_id": str(every["source_id"]),
        }
    )
