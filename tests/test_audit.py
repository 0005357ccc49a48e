"""The audit computes its findings from the data: the article's inconsistencies, and edits."""

from __future__ import annotations

import csv

from conftest import edit_csv
from maslihat.audit import INCONSISTENT, audit, findings_for_region, findings_frame, findings_on
from maslihat.data import DATA_DIR, load_all


def by_check(findings):
    return {f.check: f for f in findings}


# The real conflicts of the sources (research note, Corrections and 2021 sections), and no other.
REAL_CONFLICTS = {
    "local_seats_vs_seats_up",  # the lead's 3,749 against 3,246 seats
    "party_seat_totals",  # Nur Otan 3,083 / 2,685 / 2,701
    "seats_up",  # 3,246 against Nur Otan's 3,279
    "maslihat_count",  # the article's 214 against the CEC's 216
    "national_turnout",  # 57.26% against 63.25%
}


def test_the_problems_reported_are_the_real_conflicts_and_nothing_else(data):
    problems = {f.check for f in audit(data) if not f.ok}
    assert problems == REAL_CONFLICTS


def test_the_real_conflicts_name_their_figures(data):
    found = by_check(audit(data))
    seats = found["local_seats_vs_seats_up"].summary
    # 3083 + 268 + 267 + 107 + 24, against the 3,246 seats of the infobox
    assert "3,749" in seats and "3,246" in seats and "+503" in seats
    nur_otan = found["party_seat_totals"].summary
    assert all(n in nur_otan for n in ("3,083", "2,685", "2,701"))
    assert found["party_seat_totals"].parties == ("NO",)
    assert "3,279" in found["seats_up"].summary and "reports use 3,246" in found["seats_up"].summary
    count = found["maslihat_count"].summary
    assert "214" in count and "contradicted" in count and "reports use 216" in count
    turnout = found["national_turnout"].summary
    assert "57.26%" in turnout and "63.25%" in turnout
    assert "60.76" not in turnout  # valid votes / registered voters is no turnout


def test_findings_name_parties_and_publishers_not_codes(data):
    found = by_check(audit(data))
    names = data.parties.set_index("party_code")["name"]
    seats = found["party_seat_totals"]
    for code in seats.parties:
        assert names[code] in seats.summary and f"{code} " not in seats.summary
    publishers = data.sources.set_index("source_id")["publisher"]
    prelim = found["preliminary_turnout"].summary
    for source in data.turnout_national.loc[
        data.turnout_national["status"] == "preliminary", "source_id"
    ]:
        assert f"({source}" not in prelim
    assert publishers["tass_csto"] in prelim and publishers["inform_2200"] in prelim
    assert "vote_share_pct" not in found["misprints"].summary


def test_consistent_parts_pass(data):
    found = by_check(audit(data))
    for check in (
        "levels_add_up",
        "lists_vs_maslihats",
        "lists_total",
        "regional_row_totals",
        "regional_column_totals",
        "regional_grand_total",
        "regional_within_local",
        "vote_shares_in_range",
        "votes_add_up",
        "regional_turnout_rises",
        "mazhilis_seats",
        "city_allocation",
    ):
        assert found[check].status == "ok", found[check].summary
    # 7,241,562 valid + 297,718 invalid = 7,539,280 ballots issued (research note)
    assert "7,539,280" in found["votes_add_up"].summary
    assert "Almaty (city) matches" in found["city_allocation"].summary


def test_differences_the_data_explains_are_shown_not_counted(data):
    found = by_check(audit(data))
    prelim = found["preliminary_turnout"]
    assert prelim.ok and prelim.status == "explained"
    assert "63.3%" in prelim.summary and "63.1%" in prelim.summary and "63.25" in prelim.summary
    misprints = found["misprints"]
    assert misprints.ok and "71.9" in misprints.summary and "71.09" in misprints.summary


def test_findings_follow_the_data(data_copy):
    edit_csv(
        data_copy / "maslihat_counts.csv",
        "2021-01-10,maslihats,all,214,contradicted,wikipedia_local,"
        '"Infobox and lead. The CEC counted 216 mäslihats: 17 regional-level, 36 city and 163 '
        'district."',
        "2021-01-10,maslihats,all,216,reported,wikipedia_local,",
    )
    edit_csv(data_copy / "party_lists.csv", "ADAL,presented,216,official,astanatimes_registration,"
             "Lists in all 216 mäslihats.", "ADAL,presented,217,official,astanatimes_registration,")
    edit_csv(data_copy / "regional_seat_totals.csv", "Almaty Region,45", "Almaty Region,46")
    edit_csv(data_copy / "city_results.csv",
             "2021-01-10,Almaty (city),NO,seats,29,reported,inalmaty_city,Also kt_almaty_seats.",
             "2021-01-10,Almaty (city),NO,seats,30,reported,inalmaty_city,Also kt_almaty_seats.")
    found = by_check(audit(load_all(data_copy)))
    assert found["maslihat_count"].ok
    assert not found["lists_total"].ok and "Adal" in found["lists_total"].summary
    rows = found["regional_row_totals"]
    assert not rows.ok and rows.regions == ("Almaty Region",) and "45 against 46" in rows.summary
    city = found["city_allocation"]
    assert not city.ok and city.regions == ("Almaty (city)",)


def test_turnout_falling_during_the_day_is_flagged(data_copy):
    edit_csv(
        data_copy / "turnout_by_region.csv",
        "2021-01-10,Aktobe,22:00,58.8,preliminary,inform_2200",
        "2021-01-10,Aktobe,22:00,50.8,preliminary,inform_2200",
    )
    found = by_check(audit(load_all(data_copy)))
    assert found["regional_turnout_rises"].regions == ("Aktobe",)


def test_findings_for_a_region(data_copy):
    edit_csv(data_copy / "regional_seat_totals.csv", "Almaty Region,45", "Almaty Region,46")
    findings = audit(load_all(data_copy))
    almaty = {f.check for f in findings_for_region(findings, "Almaty Region")}
    aktobe = {f.check for f in findings_for_region(findings, "Aktobe")}
    assert "regional_row_totals" in almaty and "regional_row_totals" not in aktobe
    assert "local_seats_vs_seats_up" in aktobe  # national findings touch every region
    # "All" keeps the findings of every region (Almaty's row total) as well as the national ones
    everywhere = {f.check for f in findings_for_region(findings, "All")}
    assert "regional_row_totals" in everywhere and "local_seats_vs_seats_up" in everywhere
    assert everywhere == almaty | aktobe
    # passing checks are left out unless asked for, and then all of them come back
    assert "regional_grand_total" not in everywhere
    assert len(findings_for_region(findings, "All", include_ok=True)) == len(findings)
    with_ok = {f.check for f in findings_for_region(findings, "Aktobe", include_ok=True)}
    assert "regional_grand_total" in with_ok and "regional_row_totals" not in with_ok
    table = findings_frame(findings)
    assert list(table.columns) == ["check", "status", "finding"]
    assert len(table) == len(findings)


def test_findings_on_tables(data_copy):
    edit_csv(data_copy / "regional_seat_totals.csv", "Almaty Region,45", "Almaty Region,46")
    findings = audit(load_all(data_copy))
    turnout = {f.check for f in findings_on(findings, ("turnout", "voters"))}
    assert turnout == {
        "national_turnout",
        "preliminary_turnout",
        "regional_turnout_rises",
        "votes_add_up",
    }
    lists = {f.check for f in findings_on(findings, ("party_lists", "local_results"))}
    assert lists == {
        "local_seats_vs_seats_up",
        "party_seat_totals",
        "lists_vs_maslihats",
        "lists_total",
        "regional_grand_total",
        "regional_within_local",
        "vote_shares_in_range",
    }
    # a region's section leaves out another region's problem, and can drop the passing checks
    regional = {f.check for f in findings_on(findings, ("regional",), "Almaty Region")}
    assert "regional_row_totals" in regional and "regional_grand_total" in regional
    assert "regional_row_totals" not in {
        f.check for f in findings_on(findings, ("regional",), "Aktobe")
    }
    problems = findings_on(findings, ("regional",), "Almaty Region", include_ok=False)
    assert [f.check for f in problems] == ["regional_row_totals"]


def test_a_region_without_rows_is_a_finding_not_a_crash(data_copy):
    import csv

    seats = data_copy / "regional_seats.csv"
    kept = [
        line
        for line in seats.read_text(encoding="utf-8").splitlines()
        if not line.startswith("Almaty Region,")
    ]
    seats.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with open(data_copy / "regional_seat_totals.csv", encoding="utf-8") as f:
        rows_ = csv.DictReader(f)
        printed = next(int(r["seats_stated"]) for r in rows_ if r["region"] == "Almaty Region")
    rows = by_check(audit(load_all(data_copy)))["regional_row_totals"]
    assert rows.status == INCONSISTENT and rows.regions == ("Almaty Region",)
    assert f"Almaty Region has no rows in the table (printed total {printed})" in rows.summary



def csv_rows(table: str) -> list[dict[str, str]]:
    """A data table read with the csv module, not with the package under test."""
    with open(DATA_DIR / f"{table}.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_every_finding_names_the_sources_it_compares(data):
    known = {r["source_id"] for r in csv_rows("sources")}
    findings = by_check(audit(data))
    assert all(f.sources and set(f.sources) <= known for f in findings.values())
    # 7,539,280 ballots = 7,241,562 valid + 297,718 invalid: each count has its own source
    voters = {r["measure"]: r["source_id"] for r in csv_rows("voters")
              if r["election_date"] == "2021-01-10"}  # fmt: skip
    wanted = {voters["ballots_issued"], voters["invalid_ballots"], voters["valid_votes"]}
    assert wanted <= set(findings["votes_add_up"].sources)
    # a report's table ends each finding with the markers of those sources
    numbered = findings_frame([findings["votes_add_up"]], lambda ids: f"[{', '.join(ids)}]")
    assert numbered["finding"].iloc[0].endswith(f"[{', '.join(findings['votes_add_up'].sources)}]")


def test_figures_in_findings_keep_the_decimals_they_were_given(data):
    from maslihat.audit import audit

    text = " ".join(f.summary for f in audit(data))
    # a count as a count (not 7,539,280.000000000), a share as its source printed it (71.9)
    assert "7,539,280" in text and "7,539,280." not in text
    assert "71.9 " in text or "71.9)" in text or "71.9," in text
    assert "71.90" not in text
