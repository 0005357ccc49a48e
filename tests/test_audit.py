"""The audit computes its findings from the data: the article's inconsistencies, and edits."""

from __future__ import annotations

from conftest import edit_cell, edit_csv
from maslihat.audit import INCONSISTENT, audit, findings_for_region, findings_frame, findings_on
from maslihat.data import load_all


def by_check(findings):
    return {f.check: f for f in findings}


def test_reports_both_inconsistencies_of_the_article(data):
    found = by_check(audit(data))
    seats = found["local_seats_vs_seats_up"]
    assert not seats.ok
    # 3083 + 268 + 267 + 107 + 24, against the 3,246 seats of the infobox
    assert "3,749" in seats.summary and "3,246" in seats.summary and "+503" in seats.summary
    lists = found["lists_vs_maslihats"]
    assert not lists.ok and set(lists.parties) == {"NO", "ADAL"}
    # reported as what the data shows, not as a breach of a rule the sources do not state
    assert lists.status == INCONSISTENT and "do not explain" in lists.summary
    assert "impossible" not in lists.summary
    assert "216" in lists.summary and "215" in lists.summary and "214" in lists.summary


def test_findings_name_parties_and_publishers_not_codes(data):
    found = by_check(audit(data))
    names = data.parties.set_index("party_code")["name"]
    lists = found["lists_vs_maslihats"]
    for code in lists.parties:
        assert names[code] in lists.summary and f"{code} " not in lists.summary
    publishers = data.sources.set_index("source_id")["publisher"]
    prelim = found["preliminary_turnout"].summary
    for source in data.turnout_national.loc[
        data.turnout_national["status"] == "preliminary", "source_id"
    ]:
        assert f"({source}" not in prelim
    assert publishers["tass"] in prelim and publishers["inform_2200"] in prelim
    assert "vote_share_pct" not in found["misprints"].summary


def test_consistent_parts_pass(data):
    found = by_check(audit(data))
    for check in (
        "regional_row_totals",
        "regional_column_totals",
        "regional_grand_total",
        "lists_total",
        "regional_plus_municipal",
        "mazhilis_seats",
        "vote_shares_in_range",
        "regional_turnout_rises",
    ):
        assert found[check].ok, found[check].summary


def test_source_disagreements_are_reported(data):
    found = by_check(audit(data))
    turnout = found["national_turnout"]
    assert not turnout.ok
    # 7,241,562 / 11,919,241 = 60.755...%
    assert "57.26%" in turnout.summary and "63.25%" in turnout.summary
    assert "60.76%" in turnout.summary
    assert "63.3%" in found["preliminary_turnout"].summary
    assert "63.1%" in found["preliminary_turnout"].summary
    assert "71.9" in found["misprints"].summary and "71.09" in found["misprints"].summary


def test_findings_follow_the_data(data_copy):
    edit_cell(data_copy / "local_results.csv", ("party_code", "NO"), "seats_won", "2580")
    edit_csv(data_copy / "party_lists.csv", "NO,216", "NO,214")
    edit_csv(data_copy / "party_lists.csv", "ADAL,215", "ADAL,213")
    edit_csv(data_copy / "regional_seat_totals.csv", "Almaty,45", "Almaty,46")
    found = by_check(audit(load_all(data_copy)))
    assert found["local_seats_vs_seats_up"].ok  # 2580 + 268 + 267 + 107 + 24 = 3246
    assert found["lists_vs_maslihats"].ok
    assert not found["lists_total"].ok and "828" in found["lists_total"].summary
    rows = found["regional_row_totals"]
    assert not rows.ok and rows.regions == ("Almaty",) and "45 vs 46" in rows.summary


def test_turnout_falling_during_the_day_is_flagged(data_copy):
    edit_csv(
        data_copy / "turnout_by_region.csv",
        "2021-01-10,Aktobe,22:00,58.8,inform_2200",
        "2021-01-10,Aktobe,22:00,50.8,inform_2200",
    )
    found = by_check(audit(load_all(data_copy)))
    assert found["regional_turnout_rises"].regions == ("Aktobe",)


def test_findings_for_a_region(data_copy):
    edit_csv(data_copy / "regional_seat_totals.csv", "Almaty,45", "Almaty,46")
    findings = audit(load_all(data_copy))
    almaty = {f.check for f in findings_for_region(findings, "Almaty")}
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
    edit_csv(data_copy / "regional_seat_totals.csv", "Almaty,45", "Almaty,46")
    findings = audit(load_all(data_copy))
    turnout = {f.check for f in findings_on(findings, ("turnout", "voters"))}
    assert turnout == {"national_turnout", "preliminary_turnout", "regional_turnout_rises"}
    lists = {f.check for f in findings_on(findings, ("party_lists", "local_results"))}
    assert lists == {
        "local_seats_vs_seats_up",
        "lists_vs_maslihats",
        "lists_total",
        "regional_within_local",
        "vote_shares_in_range",
    }
    # a region's section leaves out another region's problem, and can drop the passing checks
    regional = {f.check for f in findings_on(findings, ("regional",), "Almaty")}
    assert "regional_row_totals" in regional and "regional_grand_total" in regional
    assert "regional_row_totals" not in {
        f.check for f in findings_on(findings, ("regional",), "Aktobe")
    }
    problems = findings_on(findings, ("regional",), "Almaty", include_ok=False)
    assert [f.check for f in problems] == ["regional_row_totals"]


def test_a_region_without_rows_is_a_finding_not_a_crash(data_copy):
    import csv

    seats = data_copy / "regional_seats.csv"
    kept = [
        line
        for line in seats.read_text(encoding="utf-8").splitlines()
        if not line.startswith("Almaty,")
    ]
    seats.write_text("\n".join(kept) + "\n", encoding="utf-8")
    with open(data_copy / "regional_seat_totals.csv", encoding="utf-8") as f:
        printed = next(int(r["seats_stated"]) for r in csv.DictReader(f) if r["region"] == "Almaty")
    rows = by_check(audit(load_all(data_copy)))["regional_row_totals"]
    assert rows.status == INCONSISTENT and rows.regions == ("Almaty",)
    assert f"Almaty has no rows in the table (printed total {printed})" in rows.summary
