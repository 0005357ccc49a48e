"""Work done once per process is reused only while what it was made from is unchanged, and never
shared: a changed data file, changed tables, another language or a changed module are seen at
once, and what one caller changes no other caller gets."""

from __future__ import annotations

import importlib
import os
import pkgutil

import pandas as pd
import pytest

import maslihat
from conftest import edit_csv
from maslihat import audit as audit_module
from maslihat import i18n, maps, reuse
from maslihat.audit import audit
from maslihat.data import load_all, per_data


def by_check(findings):
    return {f.check: f for f in findings}


def counts() -> tuple[int, int]:
    return reuse.RESULTS.hits, reuse.RESULTS.made


def test_tables_are_loaded_once_and_each_caller_gets_its_own_copy(data_copy):
    first = load_all(data_copy)
    hits, made = counts()
    second = load_all(data_copy)
    assert counts() == (hits + 1, made)  # read and checked once
    assert second.regional_seats.equals(first.regional_seats)
    second.regional_seats.loc[0, "seats"] = 999  # a notebook changing its tables in place
    second.regional_seats["extra"] = 1
    second.descriptor["resources"].clear()
    third = load_all(data_copy)
    assert third.regional_seats.equals(first.regional_seats)
    assert "extra" not in third.regional_seats and third.descriptor["resources"]


def test_a_changed_file_is_read_again_even_with_its_old_size_and_time(data_copy):
    path = data_copy / "regional_seats.csv"
    before = load_all(data_copy)
    stamp = path.stat()
    edit_csv(path, "Aktobe,NO,27", "Aktobe,NO,28")  # same size
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # and the same time
    after = load_all(data_copy)
    def seats(data):
        return data.regional_seats.set_index(["region", "party_code"])["seats"][("Aktobe", "NO")]

    assert seats(after) == 28 and seats(before) == 27


def test_a_data_folder_that_cannot_be_read_is_never_kept(data_copy):
    (data_copy / "regional_seats.csv").write_text("region,party_code,seats\nAktobe,NO,-1\n")
    for _ in range(2):  # the same message both times: nothing was kept from the first
        with pytest.raises(maslihat.data.DataValidationError, match="regional_seats.csv"):
            load_all(data_copy)


def test_the_audit_is_reused_for_the_same_tables_and_made_again_for_changed_ones(data_copy,
                                                                                monkeypatch):
    monkeypatch.setenv("MASLIHAT_DATA_DIR", str(data_copy))
    data = load_all()
    first = audit(data)
    hits, made = counts()
    assert audit(load_all()) == first
    assert counts()[0] >= hits + 1 and counts()[1] == made  # the audit itself was not run again
    # In place, as a notebook could: the audit of the changed tables, not the kept one.
    seats = data.regional_seats
    seats.loc[(seats["region"] == "Aktobe") & (seats["party_code"] == "NO"), "seats"] = 28
    changed = by_check(audit(data))["regional_row_totals"]
    assert changed.status == "inconsistent" and "Aktobe" in changed.summary
    assert by_check(audit(load_all()))["regional_row_totals"].status == "ok"


def test_what_a_caller_changes_in_a_kept_result_no_other_caller_gets(data):
    findings = audit(data)
    findings.clear()
    assert audit(data)
    shares = maps._shares_by_place(data)
    shares["seats"] = 0
    assert maps._shares_by_place(data)["seats"].sum() > 0


def test_results_with_words_are_kept_per_language(data):
    english = by_check(audit(data))["regional_row_totals"].summary
    with i18n.language("ru"):
        russian = by_check(audit(data))["regional_row_totals"].summary
    assert english.startswith("All 14 regional rows") and russian != english
    assert by_check(audit(data))["regional_row_totals"].summary == english


def kept_without_words() -> list:
    """Every function of the package kept once for all languages (per_data(words=False))."""
    found = []
    for module in pkgutil.iter_modules(maslihat.__path__):
        if module.name in ("cli", "render", "exporters", "preview", "labextension"):
            continue
        for value in vars(importlib.import_module(f"maslihat.{module.name}")).values():
            if callable(value) and getattr(value, "words", None) is False:
                found.append(value)
    return list(dict.fromkeys(found))


def same(a, b) -> bool:
    return a.equals(b) if isinstance(a, pd.DataFrame) else a == b


def test_what_is_kept_for_every_language_holds_no_words(data):
    kept = kept_without_words()
    assert "_shares_by_place" in {f.__name__ for f in kept}
    for function in kept:
        made = {}
        for lang in i18n.LANGUAGES:  # the function itself, not what was kept
            with i18n.language(lang):
                made[lang] = function.__wrapped__(data)
        assert same(made["en"], made["kk"]) and same(made["en"], made["ru"]), function.__name__


def test_a_changed_module_attribute_is_a_changed_result(data, monkeypatch):
    before = by_check(audit(data))["vote_shares_in_range"]
    monkeypatch.setattr(audit_module, "SHARE_SUM_TOLERANCE", -1.0)  # a notebook patching a module
    assert by_check(audit(data))["vote_shares_in_range"] != before


def test_arguments_that_cannot_be_compared_are_never_kept(data):
    calls = []

    @per_data(words=False)
    def counted(data, callback):
        calls.append(callback)
        return len(data.parties)

    counted(data, lambda: None)
    counted(data, lambda: None)  # a function: no content to key it by
    assert len(calls) == 2
