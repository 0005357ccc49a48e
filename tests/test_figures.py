"""Picking the figure a report uses: by status, never a contradicted or inconsistent one."""

from __future__ import annotations

import pandas as pd
import pytest

from maslihat.figures import FigureNotFound, count, count_row, party_figures, preferred


def test_the_official_count_beats_the_articles_contradicted_one(data):
    row = count_row(data, "maslihats")
    assert row["value"] == 216 and row["status"] == "official"
    assert count(data, "seats") == 3246  # the article's, not Nur Otan's 3,279 (a party claim)


def test_unusable_statuses_are_never_picked():
    rows = pd.DataFrame({"value": [214, 999], "status": ["contradicted", "misprint"]})
    with pytest.raises(FigureNotFound, match="no usable figure for maslihats"):
        preferred(rows, "maslihats")
    rows.loc[len(rows)] = [216, "party_claim"]
    assert preferred(rows, "maslihats")["value"] == 216


def test_party_figures_never_fall_back_on_the_inconsistent_lead(data):
    # Auyl's only seat total in all mäslihats is the lead's 268, marked inconsistent: refused
    with pytest.raises(FigureNotFound, match="seats of AUYL"):
        party_figures(data, "local_results", "seats")
    members = party_figures(data, "local_results", "regional_members")
    assert members["NO"] == 399 and members.sum() == 489
