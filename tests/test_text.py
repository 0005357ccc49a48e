"""Prose helpers: numbers formatted consistently, data text escaped."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from maslihat.text import MissingFigure, listing, md, num, pct, pts, table


def cells(markup: str, tag: str = "td") -> list[tuple[str, str]]:
    """(alignment class, text) of every cell of a table's markup."""
    return re.findall(rf'<{tag} class="maslihat-(num|text)[^"]*"[^>]*>([^<]*)</{tag}>', markup)


def test_number_formats():
    assert num(3246) == "3,246" and num(10.0168, 1) == "10.0"
    assert pct(81.595) == "81.6%" and pct(57.26, 2) == "57.26%"
    assert pct(7.0, None) == "7%" and pct(5.5, None) == "5.5%"
    assert pts(-5.24) == "−5.2 points" and pts(3) == "+3.0 points" and pts(0) == "0.0 points"
    assert pts(0.04) == "0.0 points" and pts(-0.04) == "0.0 points"  # no signed zero
    assert listing(["a", "b", "c"]) == "a, b and c" and listing(["a"]) == "a" and listing([]) == ""


@pytest.mark.parametrize("missing", [math.nan, pd.NA, None, float("inf")])
def test_a_missing_figure_is_refused_in_prose_never_printed_as_nan(missing):
    for write in (num, pct, pts, lambda v: num(v, 2)):
        with pytest.raises(MissingFigure) as caught:
            write(missing)
        assert "NaN" not in str(caught.value).replace("nan", "")
        assert "missing" in str(caught.value) or "not a finite number" in str(caught.value)
    with pytest.raises(MissingFigure, match=r"the value of \{share\} is"):
        md("Turnout was {share}.", share=missing if missing is not None else math.nan)
    if not (isinstance(missing, float) and math.isinf(missing)):  # a table shows a gap as "–"
        shown = table(pd.DataFrame({"x": [1.5, missing]}), {"x": "X"}, {"x": ".1f"})
        assert "NaN" not in shown.data and "–" in shown.data


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
    assert [text for _, text in cells(html)] == ["A", "yes", "B", "no", "C", "–"]
    assert "True" not in html and "False" not in html


def test_tables_write_numbers_as_the_prose_does():
    import pandas as pd

    frame = pd.DataFrame(
        {"seats": pd.array([3083, 24], "Int64"), "change": [-13.54, 2.0], "code": ["NO-1", "A"]}
    )
    html = table(frame, {"seats": "Seats", "change": "Change", "code": "Code"}, {"change": "+.1f"})
    assert [text for _, text in cells(html.data)] == ["3,083", "−13.5", "NO-1", "24", "+2.0", "A"]


def test_tables_align_numbers_right_and_text_left_also_in_jupyterlab():
    import pandas as pd

    frame = pd.DataFrame({"party": ["Nur Otan", "Adal"], "seats": [3083, 24],
                          "printed": ["63.3", "57.26%"], "note": ["a", "b"]})  # fmt: skip
    markup = table(frame, {"party": "Party", "seats": "Seats", "printed": "Turnout (%)",
                           "note": "Note"}).data  # fmt: skip
    assert [align for align, _ in cells(markup, "th")] == ["text", "num", "num", "text"]
    assert [align for align, _ in cells(markup)][:4] == ["text", "num", "num", "text"]
    # JupyterLab right-aligns every table cell unless told otherwise: inline styles say it
    assert markup.count('style="text-align: left;') == 6
    assert markup.count('style="text-align: right;') == 6
    # short words and numbers stay on one line; long text wraps
    assert markup.count("maslihat-short") == 6 and markup.count("white-space: nowrap") == 12
    long = table(frame.assign(note=["a long note that must be allowed to wrap", "b"]),
                 {"note": "Note"}).data  # fmt: skip
    assert "nowrap" not in long


def test_tables_carry_their_data_as_csv():
    import pandas as pd
    from IPython.core.formatters import DisplayFormatter

    frame = pd.DataFrame({"party": ["<b>A</b>", "B"], "seats": [3083, 24], "x": [1, 2]})
    shown = table(frame, {"party": "Party", "seats": "Seats"}, name="seats by party")
    bundle, metadata = DisplayFormatter().format(shown)
    assert {"text/html", "text/csv", "text/plain"} <= set(bundle)
    assert bundle["text/csv"].splitlines() == ["Party,Seats", "<b>A</b>,3083", "B,24"]
    assert metadata["text/csv"] == {"name": "seats by party"}


def test_halves_are_rounded_up_as_readers_round():
    # Babel rounds half to even: 2 of 32 seats (6.25%) printed as 6.2%
    assert pct(6.25) == "6.3%" and pct(81.25) == "81.3%" and num(0.125, 2) == "0.13"
    assert pct(63.25) == "63.3%" and num(2.5) == "3"


def test_a_heading_from_code_is_escaped_markdown(monkeypatch):
    from IPython.display import Markdown

    import maslihat.text

    shown = []
    monkeypatch.setattr(maslihat.text, "display", shown.append)
    maslihat.text.heading("Votes *that* won nothing")
    assert isinstance(shown[0], Markdown) and shown[0].data == "## Votes \\*that\\* won nothing"


def test_a_kazakh_list_joins_its_last_two_with_a_conjunction():
    from maslihat.i18n import language

    with language("kk"):  # CLDR writes 'a, b, c'; the press 'a, b және c'
        assert listing(["Ақмола облысы", "Ақтөбе облысы", "Атырау облысы"]) == (
            "Ақмола облысы, Ақтөбе облысы және Атырау облысы")
        assert listing(["a", "b"]) == "a және b"
