"""The audit computes its findings from the data: the article's inconsistencies, and edits."""

from __future__ import annotations

from conftest import edit_csv
from maslihat.audit import audit, findings_for_region, findings_frame
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
    assert "216" in lists.summary and "215" in lists.summary and "214" in lists.summary


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
    edit_csv(data_copy / "local_results.csv", "NO,3083,", "NO,2580,")
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
    assert all(not f.ok for f in findings_for_region(findings, "All"))
    table = findings_frame(findings)
    assert list(table.columns) == ["check", "status", "finding"]
    assert len(table) == len(findings)
