"""Prose helpers: numbers formatted consistently, data text escaped."""

from __future__ import annotations

from maslihat.text import as_given, listing, md, num, pct, pts, table


def test_number_formats():
    assert num(3246) == "3,246" and num(10.0168, 1) == "10.0"
    assert pct(81.595) == "81.6%" and pct(57.26, 2) == "57.26%"
    assert pct(7.0, None) == "7%" and pct(5.5, None) == "5.5%"
    assert pts(-5.24) == "−5.2 points" and pts(3) == "+3.0 points" and pts(0) == "±0.0 points"
    assert listing(["a", "b", "c"]) == "a, b and c" and listing(["a"]) == "a" and listing([]) == ""


def test_figures_as_given_by_passage():
    assert (
        as_given([63.3, 63.1], ["headline", "text"]) == "63.3% in its headline, 63.1% in its text"
    )
    assert as_given([63.1], [None]) == "63.1%"
    assert as_given([57.26], ["text"]) == "57.26%"
    assert as_given([1.5, 2.0], [None, "text"]) == "1.5%, 2% in its text"


def test_data_text_is_escaped_in_prose():
    out = md("Party {name} won {n} seats.", name="<script>alert(1)</script>", n=3083).data
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "3,083" in out


def test_tables_escape_cells():
    import pandas as pd

    html = table(
        pd.DataFrame({"a": ["<b>x</b>"], "b": [1.234]}), {"a": "A", "b": "B"}, {"b": ".1f"}
    ).data
    assert "<b>x</b>" not in html and "&lt;b&gt;" in html and "1.2" in html


def test_tables_show_yes_no_for_true_false():
    import pandas as pd

    frame = pd.DataFrame({"r": ["A", "B", "C"], "ok": pd.array([True, False, None], "boolean")})
    html = table(frame, {"r": "Region", "ok": "Comparable"}).data
    cells = [c.strip() for c in html.split("<td>")[1:]]
    assert [c.split("<")[0] for c in cells] == ["A", "yes", "B", "no", "C", "–"]
    assert "True" not in html and "False" not in html


def test_tables_write_numbers_as_the_prose_does():
    import pandas as pd

    frame = pd.DataFrame(
        {"seats": pd.array([3083, 24], "Int64"), "change": [-13.54, 2.0], "code": ["NO-1", "A"]}
    )
    html = table(frame, {"seats": "Seats", "change": "Change", "code": "Code"}, {"change": "+.1f"})
    cells = [c.split("<")[0] for c in html.data.split("<td>")[1:]]
    assert cells == ["3,083", "−13.5", "NO-1", "24", "+2.0", "A"]
