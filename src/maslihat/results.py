"""The result of the election as a reader expects it: votes beside seats, every level, the
same-day Mazhilis, and the votes that won nothing.

`national_results` is the whole-country table a results briefing opens with; `place_results`
the same for one mäslihat; `below_threshold` the lists that polled under the threshold where
votes are published, with how far short each fell.
"""

from __future__ import annotations

import pandas as pd

from maslihat.analysis import (
    city_votes_and_seats,
    mazhilis_votes_and_seats,
    national_votes_and_seats,
    seat_shares,
)
from maslihat.data import ElectionData, is_city, party_names
from maslihat.params import ALL

# The sources of each column of national_results (for the table's note markers).
NATIONAL_SOURCES = ("wikizero_local", "inform_official", "wiki_mazhilis")


def national_results(data: ElectionData) -> pd.DataFrame:
    """Every party's pooled mäslihat votes and share, its regional, municipal and total seats and
    seat share, and its vote share and seats in the Mazhilis elected the same day; the parties
    with most seats first.

    Columns: party_code, name, votes, vote_share_pct, regional_seats, municipal_seats, seats,
    seat_share_pct, mazhilis_vote_share_pct, mazhilis_seats.
    """
    local = national_votes_and_seats(data).rename(
        columns={"regional_members": "regional_seats", "municipal_members": "municipal_seats"}
    )
    mazhilis = mazhilis_votes_and_seats(data).set_index("party_code")
    local["mazhilis_vote_share_pct"] = local["party_code"].map(mazhilis["vote_share_pct"])
    local["mazhilis_seats"] = local["party_code"].map(mazhilis["seats"]).astype("Int64")
    columns = ["party_code", "name", "votes", "vote_share_pct", "regional_seats",
               "municipal_seats", "seats", "seat_share_pct", "mazhilis_vote_share_pct",
               "mazhilis_seats"]  # fmt: skip
    return (
        local[columns]
        .sort_values(["seats", "votes"], ascending=False, kind="stable")
        .reset_index(drop=True)
    )


def with_total(frame: pd.DataFrame, label: str, name: str = "name") -> pd.DataFrame:
    """The frame with a total row last: counts summed, shares (columns ending in _pct) summed
    too, so a reader sees they make 100; text columns other than `name` left empty."""
    total: dict[str, object] = {}
    for column in frame.columns:
        if column == name:
            total[column] = label
        elif pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(
            frame[column]
        ):
            total[column] = frame[column].sum()
        else:
            total[column] = None
    out = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    for column in frame.columns:  # integers stay integers (Int64), not floats
        if pd.api.types.is_integer_dtype(frame[column]):
            out[column] = out[column].astype("Int64")
    return out


def runner_up(results: pd.DataFrame) -> pd.Series:
    """The party with the second most seats (input: national_results or seat_shares order)."""
    ordered = results.sort_values("seats", ascending=False, kind="stable")
    return ordered.iloc[1]


def place_results(data: ElectionData, place: str = ALL) -> pd.DataFrame:
    """One mäslihat's seats and seat share per party (the 14 regional ones together for 'All'),
    with the votes and vote share where the place published them (columns missing, else)."""
    shares = seat_shares(data, place).rename(columns={"share_pct": "seat_share_pct"})
    if place == ALL or not is_city(data, place):
        return shares
    published = city_votes_and_seats(data, place)
    if published.empty:
        return shares
    keep = [c for c in ("votes", "vote_share_pct") if c in published]
    return shares.merge(published[["party_code", *keep]], on="party_code", how="left")


def below_threshold(votes: pd.DataFrame, threshold_pct: float) -> pd.DataFrame:
    """The lists under the threshold in a frame of vote shares (party_code, name,
    vote_share_pct): each with `short_pts`, how many points it lacked; nearest miss first."""
    shares = votes["vote_share_pct"].astype(float)
    under = votes[shares < threshold_pct].copy()
    under["short_pts"] = threshold_pct - under["vote_share_pct"].astype(float)
    return under.sort_values("short_pts", kind="stable").reset_index(drop=True)


def wasted_share(votes: pd.DataFrame, threshold_pct: float) -> float:
    """The share of the votes (%) cast for lists under the threshold: votes that won no seat."""
    return float(below_threshold(votes, threshold_pct)["vote_share_pct"].astype(float).sum())


def published_votes(data: ElectionData) -> dict[str, pd.DataFrame]:
    """Every mäslihat whose party vote shares are published, by place: the cities that published
    their city mäslihat's results (party_code, name, vote_share_pct, seats)."""
    found = {}
    for place in dict.fromkeys(data.city_results["region"]):
        frame = city_votes_and_seats(data, place)
        if not frame.empty and frame["vote_share_pct"].notna().all():
            found[place] = frame[["party_code", "name", "vote_share_pct", "seats"]]
    return found


def mazhilis_votes(data: ElectionData) -> pd.DataFrame:
    """The same-day Mazhilis result as vote shares and seats (party_code, name, vote_share_pct,
    seats), the largest first."""
    frame = mazhilis_votes_and_seats(data)
    names = party_names(data)
    return pd.DataFrame(
        {
            "party_code": frame["party_code"],
            "name": frame["party_code"].map(names),
            "vote_share_pct": frame["vote_share_pct"].astype(float),
            "seats": frame["seats"].astype(int),
        }
    )


def threshold_misses(data: ElectionData) -> pd.DataFrame:
    """Every list under the threshold where votes are published (the Mazhilis and the cities'
    mäslihats): body ('Mazhilis' or the place), party, share, points short; nearest first."""
    threshold = float(data.facts["threshold_pct"])
    mazhilis_threshold = float(data.mazhilis_election.iloc[0]["threshold_pct"])
    frames = [below_threshold(mazhilis_votes(data), mazhilis_threshold).assign(body="Mazhilis")]
    frames += [
        below_threshold(votes, threshold).assign(body=place)
        for place, votes in published_votes(data).items()
    ]
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values("short_pts", kind="stable").reset_index(drop=True)
