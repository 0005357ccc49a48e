"""The data package: figures against the article and research note, schema, loading errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from conftest import ARTICLE, RESEARCH, edit_csv
from maslihat.data import (
    DATA_DIR,
    DataValidationError,
    load_all,
    load_parties,
    load_regional_seats,
    region_names,
)

needs_sources = pytest.mark.skipif(
    not ARTICLE.exists() or not RESEARCH.exists(), reason="../shared sources not beside the repo"
)


def article_table(data) -> pd.DataFrame:
    """Parse the article's 'Seats earned by region' table straight from the seed text.

    Region names are mapped to the package's places by the article's own spellings in
    region_spellings (its 'Almaty' is Almaty Region).
    """
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in ARTICLE.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    ]
    header, body = rows[0], [r for r in rows[1:] if r[1].isdigit()]
    table = pd.DataFrame(body, columns=header)
    spellings = data.region_spellings
    article = spellings[spellings["source_id"] == "wikipedia_local"]
    names = dict(zip(article["spelling"], article["region"], strict=True))
    table["Region"] = table["Region"].replace(names)
    return table


def place(data, printed: str) -> str:
    """The package's place for a name the research note prints ('Jambyl (Zhambyl)', 'Astana')."""
    canonical = set(data.regions["region"])
    if printed in canonical:
        return printed
    base = re.sub(r" \((?!city\))[^)]*\)$", "", printed)
    if base in canonical:
        return base
    spellings = data.region_spellings
    meant = set(spellings.loc[spellings["spelling"] == printed, "region"])
    assert len(meant) == 1, f"{printed!r} names {meant or 'no place'}"
    return meant.pop()


@needs_sources
def test_regional_seats_match_the_article_table(data):
    table = article_table(data)
    regions = table[table["Region"] != "Total seats:"]
    expected = regions.melt(id_vars="Region", value_vars=["NO", "AJ", "AUYL", "QHP", "ADAL"])
    expected = {(r.Region, r.variable): int(r.value) for r in expected.itertuples()}
    loaded = {(r.region, r.party_code): int(r.seats) for r in data.regional_seats.itertuples()}
    assert len(data.regional_seats) == 70
    assert loaded == expected


@needs_sources
def test_stated_totals_match_the_article_table(data):
    table = article_table(data)
    body = table[table["Region"] != "Total seats:"].set_index("Region")["Total"].astype(int)
    stated = data.regional_seat_totals.set_index("region")["seats_stated"].astype(int)
    assert stated.to_dict() == body.to_dict()
    totals = table[table["Region"] == "Total seats:"].iloc[0]
    party = data.regional_party_totals.set_index("party_code")["seats_stated"]
    assert {code: int(totals[code]) for code in party.index} == party.astype(int).to_dict()
    assert int(totals["Total"]) == data.facts["regional_seats_table_total"]


def test_key_figures_of_the_regional_table(data):
    seats = data.regional_seats
    assert seats.loc[seats["party_code"] == "NO", "seats"].sum() == 399
    assert seats["seats"].sum() == 489
    by_region = seats.groupby("region", sort=False)["seats"].sum()
    assert list(by_region.iloc[:3]) == [33, 32, 45]
    assert by_region["Almaty Region"] == 45


@needs_sources
def test_election_facts_are_stated_in_the_article(data):
    text = ARTICLE.read_text(encoding="utf-8")
    f = data.facts
    article = data.maslihat_counts[data.maslihat_counts["source_id"] == "wikipedia_local"]
    assert len(article) == 6
    for row in article.itertuples():
        assert f"{row.value:,}" in text or str(row.value) in text, row
    assert "214 mäslihats" in text  # kept, marked contradicted by the CEC's 216
    assert f"Election Date: {f['election_date']:%-d %B %Y}" in text
    assert f"On {f['registration_date']:%-d %B %Y}" in text
    assert f"{f['threshold_pct']:g}% electoral threshold" in text
    assert f"Previous Year: {f['previous_election_year']}" in text
    assert f"Next Year: {f['next_election_year']}" in text
    local = data.turnout_national.set_index("turnout_id").loc["local_2021", "turnout_pct"]
    assert f"Turnout: {local}%" in text


@needs_sources
def test_parties_match_the_infobox(data):
    text = ARTICLE.read_text(encoding="utf-8")
    infobox = {
        int(n): (party, leader, colour)
        for n, party, leader, colour in re.findall(
            r"- Leader(\d): (.+)\n- Party\1: (.+)\n(?:- Leader Since\1: .+\n)?- Colour\1: (\w+)",
            text,
        )
    }
    infobox = {n: (party, leader, colour) for n, (leader, party, colour) in infobox.items()}
    parties = load_parties()
    assert len(parties) == len(infobox) == 5
    for row in parties.itertuples():
        assert infobox[row.infobox_order] == (row.name, row.leader, row.colour.lstrip("#"))
    since = dict(re.findall(r"- Leader Since(\d): (.+)", text))
    for row in parties.itertuples():
        stated = since.get(str(row.infobox_order))
        if stated is None:
            assert pd.isna(row.leader_since), f"{row.name} has no 'leader since' in the article"
        else:
            assert f"{row.leader_since:%-d %B %Y}" == stated


@needs_sources
def test_party_lists_and_local_seats_match_the_article(data):
    text = ARTICLE.read_text(encoding="utf-8")
    names = data.parties.set_index("party_code")["name"]
    lists = data.party_lists[data.party_lists["source_id"] == "wikipedia_local"]
    for row in lists.itertuples():
        assert (
            f"{row.lists} from {names[row.party_code]}" in text
            or f"{row.lists} were from {names[row.party_code]}" in text
        )
    assert lists["lists"].sum() == 832
    results = data.local_results[data.local_results["source_id"] == "wikipedia_local"]
    seats = results[results["measure"] == "seats"].set_index("party_code")["value"]
    assert list(seats) == [3083, 268, 267, 107, 24]
    for value in seats:
        assert f"{value:g}" in text
    share = results[results["measure"] == "vote_share_pct"].set_index("party_code")["value"]
    assert list(share.index) == ["ADAL"] and f"{share['ADAL']}%" in text


@needs_sources
def test_turnout_by_region_matches_the_research_note(data):
    lines = RESEARCH.read_text(encoding="utf-8").split("## Turnout, 19 March 2023")[0]
    rows = re.findall(r"^\| ([^|]+?) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$", lines, re.M)
    assert len(rows) == 17
    turnout = data.turnout_by_region.set_index(["region", "as_of"])["turnout_pct"]
    for name, at10, at20, at22 in rows:
        region = place(data, name)
        assert [turnout[(region, t)] for t in ("10:00", "20:00", "22:00")] == [
            float(at10),
            float(at20),
            float(at22),
        ], name


def test_every_region_name_is_canonical(data):
    canonical = set(data.regions["region"])
    assert set(data.regional_seats["region"]) <= canonical
    assert set(data.turnout_by_region["region"]) <= canonical
    assert set(data.region_spellings["region"]) <= canonical
    # the places a report covers: the regional table's regions, then the cities with results
    cities = [c for c in data.regions.query("kind == 'city'")["region"]]
    assert region_names(data) == [*data.regional_seat_totals["region"], *cities]
    assert set(data.city_results["region"]) == set(cities)


def test_every_table_is_described_with_a_source():
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    files = {p.name for p in DATA_DIR.glob("*.csv")}
    tables = [r for r in descriptor["resources"] if r.get("profile") == "tabular-data-resource"]
    described = {r["path"] for r in tables}
    assert files == described, "every CSV is a table resource and every table resource a CSV"
    for resource in descriptor["resources"]:
        if resource not in tables:  # a file such as the map geometry: a source and a licence
            assert resource["sources"] and resource["licenses"], resource["name"]
            assert (DATA_DIR / resource["path"]).is_file(), resource["name"]
            continue
        assert resource["sources"], resource["name"]
        for source in resource["sources"]:
            assert source.get("title") and source.get("locator")
        path = source.get("path", "")
        # a public address, or nothing for a law cited by name: never a path outside the package
        assert path == "" or path.startswith("https://"), (resource["name"], path)
        assert resource["schema"].get("primaryKey"), resource["name"]
    assert "../" not in json.dumps(descriptor) and "shared/" not in json.dumps(descriptor)


def test_every_figure_names_a_source_and_a_status(data):
    known = set(data.sources["source_id"])
    statuses = set(data.statuses["status"])
    for name in data.__dataclass_fields__:
        table = getattr(data, name)
        if not isinstance(table, pd.DataFrame) or name in ("sources", "statuses"):
            continue
        if "source_id" in table and name != "region_spellings":
            assert table["source_id"].notna().all() and set(table["source_id"]) <= known, name
        if "status" in table:
            assert set(table["status"]) <= statuses, name
    # every source has a public address a reader can follow, the laws' texts included
    assert data.sources["address"].notna().all()
    laws = data.sources[data.sources["kind"] == "law"]
    assert not laws.empty and laws["address"].str.startswith("https://").all()
    spellings = data.region_spellings
    cited = spellings[spellings["kind"] == "source spelling"]
    assert cited["source_id"].notna().all()
    assert spellings.loc[spellings["kind"] == "input alias", "source_id"].isna().all()


def test_nothing_in_the_data_or_readme_points_outside_the_repository():
    root = DATA_DIR.parent
    docs = [root / "README.md", *(root / "docs").glob("*.md")]
    for path in [*(p for p in DATA_DIR.rglob("*") if p.is_file()), *docs]:
        assert "../shared" not in path.read_text(encoding="utf-8"), path.name


def test_frictionless_finds_the_package_valid():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.Package(str(DATA_DIR / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])


def test_frictionless_agrees_on_a_broken_file(data_copy):
    """Our loader and the reference validator reject the same broken cell."""
    frictionless = pytest.importorskip("frictionless")
    edit_csv(data_copy / "regional_seats.csv", "Almaty Region,NO,37", "Almaty Region,NO,-37")
    report = frictionless.Package(str(data_copy / "datapackage.json")).validate()
    assert not report.valid
    with pytest.raises(DataValidationError, match="column 'seats'"):
        load_all(data_copy)


def test_loaded_types(data):
    seats = load_regional_seats()
    assert str(seats["seats"].dtype) == "Int64"
    assert pd.api.types.is_string_dtype(seats["region"])
    assert pd.api.types.is_datetime64_any_dtype(data.election["election_date"])
    assert str(data.regions["formed_2022"].dtype) == "boolean"


# Each bad-file case: the edit, then what the message must name.
BAD_FILES = [
    pytest.param(
        "regional_seats.csv",
        "Almaty Region,NO,37",
        "Almaty Region,NO,thirty-seven",
        [
            "regional_seats.csv",
            "row 11 (line 12)",
            "column 'seats'",
            "a whole number",
            "'thirty-seven'",
        ],
        id="text-in-number-column",
    ),
    pytest.param(
        "regional_seats.csv",
        "Almaty Region,NO,37",
        "Almaty Region,NO,-37",
        ["regional_seats.csv", "row 11", "column 'seats'", ">= 0", "'-37'"],
        id="negative-seats",
    ),
    pytest.param(
        "regional_seats.csv",
        "Almaty Region,QHP,4",
        "Almaty Region,XYZ,4",
        [
            "regional_seats.csv",
            "row 14",
            "column 'party_code'",
            "unknown party_code 'XYZ'",
            "NO, AUYL, AJ, QHP, ADAL",
        ],
        id="unknown-party-code",
    ),
    pytest.param(
        "regional_seats.csv",
        "Almaty Region,QHP,4",
        "Almaty Region,AUYL,4",
        [
            "regional_seats.csv",
            "rows 13 and 14",
            "region='Almaty Region'",
            "party_code='AUYL'",
            "may appear once",
        ],
        id="duplicate-region-party",
    ),
    pytest.param(
        "regional_seats.csv",
        "region,party_code,seats",
        "region,party,seats",
        [
            "regional_seats.csv",
            "missing column 'party_code'",
            "unexpected column 'party'",
            "expected the columns region, party_code, seats",
        ],
        id="missing-column",
    ),
    pytest.param(
        "parties.csv",
        "AJ,Ak Zhol,Ak Zhol Democratic Party,Azat Peruashev,2011-07-02,#0A408A,3",
        "AJ,Ak Zhol,Ak Zhol Democratic Party,Azat Peruashev,2 July 2011,#0A408A,3",
        ["parties.csv", "row 3", "column 'leader_since'", "YYYY-MM-DD"],
        id="bad-date",
    ),
    pytest.param(
        "turnout_by_region.csv",
        "2021-01-10,Aktobe,20:00,57.7,preliminary,inform_2000",
        "2021-01-10,Aktobe,20:00,157.7,preliminary,inform_2000",
        ["turnout_by_region.csv", "column 'turnout_pct'", "<= 100", "'157.7'"],
        id="share-over-100",
    ),
    pytest.param(
        "regional_seats.csv",
        "Almaty Region,NO,37",
        "Almaty City,NO,37",
        ["column 'region'", "unknown region 'Almaty City'", "Akmola"],
        id="unknown-region",
    ),
    pytest.param(
        "regional_seats.csv",
        "Almaty Region,NO,37",
        "Almaty Region,NO,",
        ["row 11", "column 'seats'", "a value is required"],
        id="empty-required-cell",
    ),
    pytest.param(
        "regional_seats.csv",
        "Aktobe,NO,27",
        "Aktobe,NO,27,9",
        ["regional_seats.csv, line 2", "4 fields, expected 3", "region, party_code, seats"],
        id="extra-field-in-first-row",
    ),
    pytest.param(
        "regional_seats.csv",
        "Almaty Region,NO,37",
        "Almaty Region,NO",
        ["regional_seats.csv, line 12", "2 fields, expected 3"],
        id="missing-field",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BAD_FILES)
def test_bad_file_gives_a_clear_error(data_copy: Path, file, old, new, expected):
    edit_csv(data_copy / file, old, new)
    with pytest.raises(DataValidationError) as caught:
        load_all(data_copy)
    message = str(caught.value)
    for part in expected:
        assert part in message, f"{part!r} not in: {message}"
    assert str(data_copy) in message, "the message names the file's full path"


def test_missing_file_and_descriptor(data_copy: Path):
    (data_copy / "voters.csv").unlink()
    with pytest.raises(DataValidationError, match=r"voters\.csv: file is missing"):
        load_all(data_copy)
    (data_copy / "datapackage.json").unlink()
    with pytest.raises(DataValidationError, match="no data package descriptor"):
        load_all(data_copy)


def test_all_problems_are_reported_at_once(data_copy: Path):
    edit_csv(data_copy / "regional_seats.csv", "Almaty Region,NO,37", "Almaty Region,NO,x")
    edit_csv(
        data_copy / "party_lists.csv",
        "NO,registered,216,reported,wikipedia_local,Campaign section.",
        "NO,registered,-216,reported,wikipedia_local,Campaign section.",
    )
    with pytest.raises(DataValidationError) as caught:
        load_all(data_copy)
    assert len(caught.value.problems) == 2


# --- the research note, parsed from its text ---------------------------------------------------


def research_section(title: str) -> str:
    """One '## ' section of the research note."""
    text = RESEARCH.read_text(encoding="utf-8")
    return text.split(f"## {title}")[1].split("\n## ")[0]


def figure(text: str) -> float:
    """A printed figure as a number: '5,148,074' → 5148074.0, '71.09%' → 71.09."""
    return float(text.strip().rstrip("%").replace(",", ""))


def mazhilis(data, year: int, status: str, measure: str) -> dict[str, float]:
    rows = data.mazhilis_results
    rows = rows[
        (rows["election_year"] == year) & (rows["status"] == status) & (rows["measure"] == measure)
    ]
    return {r.party_name: float(r.value) for r in rows.itertuples()}


@needs_sources
def test_mazhilis_results_match_the_research_note(data):
    section = research_section("Mazhilis (party-list) result")
    rows = re.findall(
        r"^\| ([^|]+?) \| ([\d.]+%) \| ([\d,–]+) \| (\d+) \| (\d+) \|$", section, re.M
    )
    assert len(rows) == 5
    names = list(mazhilis(data, 2021, "official", "vote_share_pct"))
    for printed, share, votes, seats, candidates in rows:
        name = next(n for n in names if printed.startswith(n))
        assert mazhilis(data, 2021, "official", "vote_share_pct")[name] == figure(share)
        assert mazhilis(data, 2021, "official", "seats")[name] == figure(seats)
        assert mazhilis(data, 2021, "reported", "candidates")[name] == figure(candidates)
        if votes == "–":
            assert name not in mazhilis(data, 2021, "official", "votes")
        else:
            assert mazhilis(data, 2021, "official", "votes")[name] == figure(votes)
    exit_poll = re.search(r"Exit poll \(Public Opinion institute\): (.+?) \(http", section, re.S)
    stated = dict(re.findall(r"([A-Z][\w' ]+?) ([\d.]+)%", exit_poll.group(1).replace("\n", " ")))
    assert mazhilis(data, 2021, "exit_poll", "vote_share_pct") == {
        n: float(v) for n, v in stated.items()
    }
    misprint = re.search(r"prints Nur Otan's share as ([\d.]+)%", section)
    assert mazhilis(data, 2021, "misprint", "vote_share_pct") == {
        "Nur Otan": float(misprint.group(1))
    }
    flat = " ".join(section.split())
    last = re.findall(r"([A-Z][\w' ]+?) ([\d.]+)% and (\d+)", flat.split("(2016):")[1])
    assert len(last) == 3
    assert mazhilis(data, 2016, "official", "vote_share_pct") == {
        n.strip(): float(v) for n, v, _ in last
    }
    assert mazhilis(data, 2016, "official", "seats") == {n.strip(): float(s) for n, _, s in last}
    rules = data.mazhilis_election.iloc[0]
    assert f"{rules['party_list_seats']} seats are elected by party lists" in section
    assert f"{rules['threshold_pct']:g}% threshold" in section
    assert f"({rules['assembly_seats']} more members" in section


@needs_sources
def test_national_turnout_and_voters_match_their_sources(data):
    national = research_section("National figures, 10 January 2021")
    turnout_note = research_section("Turnout, 10 January 2021, by region")
    turnout = data.turnout_national.set_index("turnout_id")
    assert (
        f"turnout, local elections (the article) | {turnout.loc['local_2021', 'turnout_pct']}%"
        in national
    )
    mazhilis_final = turnout.loc["mazhilis_2021"]
    assert (
        f"{mazhilis_final['turnout_pct']}% (a fall of "
        f"{-mazhilis_final['change_on_previous_pts']} points on 2016)" in national
    )
    assert f"| turnout, preliminary | {turnout.loc['prelim_tass', 'turnout_pct']}% |" in national
    assert "tass.com" in national and "tass_csto" in set(turnout["source_id"])
    flat = " ".join(turnout_note.split())
    assert f"national figure given as {turnout.loc['prelim_2200_opening', 'turnout_pct']}%" in flat
    assert f"{turnout.loc['prelim_2200_text', 'turnout_pct']}% in the text" in flat
    assert f"national {turnout.loc['at_2000', 'turnout_pct']}%;" in turnout_note
    assert f"national {turnout.loc['at_1000', 'turnout_pct']}%)" in turnout_note
    assert f"(national {turnout.loc['night_2023', 'turnout_pct']}%)" in research_section(
        "Turnout, 19 March 2023"
    )
    voters = data.voters[data.voters["election_date"] == "2021-01-10"]
    voters = voters.set_index("measure")["count"]
    assert f"| registered voters, Mazhilis | {voters['registered']:,} |" in national
    assert f"| valid votes for the Mazhilis party lists | {voters['valid_votes']:,} |" in national
    assert f"{voters['ballots_issued']:,} (63.25%)" in national
    assert f"| invalid Mazhilis ballots | {voters['invalid_ballots']:,} |" in national
    assert "took_part" not in set(data.voters["measure"])  # 7,241,562 counts votes, not voters


@needs_sources
def test_added_figures_match_the_research_note(data):
    """The CEC's counts, the infobox's seats and votes, Nur Otan's claims, the three cities."""
    text = " ".join(research_section("2021 mäslihat elections: more sourced figures").split())
    for row in data.maslihat_counts.itertuples():
        if row.source_id in ("astanatimes_registration", "kursiv_results", "astanatv_216"):
            assert f"{row.value:,}" in text or f"{row.value}" in text, row
    assert "17 + 36 + 163 = 216" in text
    infobox = data.local_results[data.local_results["source_id"] == "wikizero_local"]
    names = data.parties.set_index("party_code")["name"]
    for code, group in infobox.groupby("party_code"):
        values = group.set_index("measure")["value"]
        printed = (
            f"| {names[code]} | {values['regional_members']:,.0f} | "
            f"{values['municipal_members']:,.0f} | {values['votes']:,.0f} | "
            f"{values['vote_share_pct']:.2f}% |"
        )
        assert printed in text, printed
    claims = data.local_results[data.local_results["status"] == "party_claim"]
    assert set(claims["value"]) == {2701, 82.4} and "2,701 out of 3,279 seats" in text
    for row in data.city_results.itertuples():
        shown = f"{row.value:,.0f}" if row.measure == "votes" else f"{row.value:g}"
        assert shown in text, row
    shymkent = data.city_figures[data.city_figures["region"] == "Shymkent (city)"]
    counts = shymkent.set_index("measure")["value"]
    assert f"({counts['took_part']:,.0f} of {counts['registered']:,.0f} voters)" in text
    assert f"{counts['invalid_ballots']:,.0f} invalid ballots" in text
    rules = " ".join(data.rules["statement"])
    assert "registered earlier" in rules and "voters who took part" in rules


@needs_sources
def test_the_research_notes_corrections_are_applied(data):
    corrections = research_section("Corrections (second round of research, 2026-11-25)")
    assert "There is no third turnout figure" in corrections
    assert 60.76 not in set(data.turnout_national["turnout_pct"].round(2))
    night = data.turnout_by_region[data.turnout_by_region["election_date"] == "2023-03-19"]
    assert set(night["status"]) == {"election_night"} and set(night["as_of"]) == {"22:10"}
    assert "as of 10:10 pm" in corrections
    doubtful = data.sources.set_index("source_id").loc["inform_1200"]
    assert doubtful["reliability"] == "doubtful" and "referendum" in doubtful["note"]
    tass = data.sources.set_index("source_id").loc["tass_csto"]
    assert "CSTO observer mission" in tass["title"] and "CSTO observer mission" in corrections
    counts = data.maslihat_counts.set_index(["measure", "level", "source_id"])
    assert counts.loc[("maslihats", "all", "wikipedia_local"), "status"] == "contradicted"


@needs_sources
def test_turnout_2023_by_region_matches_the_research_note(data):
    section = research_section("Turnout, 19 March 2023")
    pairs = re.findall(r"\| ([A-Z][^|]+?) \| ([\d.]+) ", section)
    assert len(pairs) == 20
    later = data.turnout_by_region[data.turnout_by_region["election_date"] == "2023-03-19"]
    loaded = later.set_index("region")["turnout_pct"].astype(float).to_dict()
    assert loaded == {place(data, name): float(value) for name, value in pairs}


@needs_sources
def test_background_facts_are_quoted_from_the_article(data):
    text = " ".join(ARTICLE.read_text(encoding="utf-8").split())
    f = data.facts
    assert (
        f["self_nominated_candidates_allowed"] is False
        or not f["self_nominated_candidates_allowed"]
    )
    assert "bar self-nominated candidates" in text
    assert f'"{f["system_rationale"]}"' in text
    criticism = f["system_criticism"].replace("mäslihat, which", "mäslihat which")
    assert criticism in text
    adal = data.local_results.set_index(["party_code", "measure", "source_id"])
    assert "in the district mäslihats" in adal.loc[("ADAL", "seats", "wikipedia_local"), "note"]
    assert "the Adal" in text and "seats in the district mäslihats" in text
