"""Faults of a data folder that `maslihat check-data` must name: the map geometry, odd
resource paths, odd numbers in the descriptor, files that are not files, one root cause's many
messages, and a byte-order mark. Each gets a message naming the file and the problem, never a
traceback, and never a hang."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from maslihat import i18n, names
from maslihat.cli import main
from maslihat.data import election_day, load_all


def check_data(folder: Path, capsys) -> tuple[int, str]:
    status = main(["check-data", "--data-dir", str(folder)])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def edit_descriptor(data_dir: Path, edit) -> None:
    path = data_dir / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    edit(descriptor)
    path.write_text(json.dumps(descriptor), encoding="utf-8")


def resource(descriptor: dict, name: str) -> dict:
    (entry,) = [r for r in descriptor["resources"] if r["name"] == name]
    return entry


def set_path(data_dir: Path, name: str, path: str) -> None:
    edit_descriptor(data_dir, lambda d: resource(d, name).update(path=path))


GEOJSON = "geo/kazakhstan_2021.geojson"


# --- 1. The geometry resource is checked like the tables -----------------------------------------


@pytest.mark.parametrize("path", ["/etc/hostname", "../data/geo/kazakhstan_2021.geojson"])
def test_the_geometry_path_stays_inside_the_data_folder(data_copy, capsys, path):
    set_path(data_copy, "geometry", path)
    status, printed = check_data(data_copy, capsys)
    assert status == 1 and "Traceback" not in printed
    assert f"resource 'geometry': path '{path}' must be a relative path inside the data folder" \
        in printed  # fmt: skip


def test_a_geometry_folder_linked_from_outside_is_refused(data_copy, tmp_path, capsys):
    shutil.move(data_copy / "geo", tmp_path / "geo-outside")
    (data_copy / "geo").symlink_to(tmp_path / "geo-outside")
    status, printed = check_data(data_copy, capsys)
    assert status == 1 and "Traceback" not in printed
    assert f"resource 'geometry': path '{GEOJSON}' leads out of the data folder" in printed


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{", "not valid JSON"),
        ("[]", "expected a GeoJSON FeatureCollection"),
        ('{"type": "Feature"}', "expected a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": 3}', "'features' must be a list"),
        ('{"type": "FeatureCollection", "features": [1]}', "feature 1 is not a GeoJSON Feature"),
        ("\ufeff{}", "not valid JSON"),
    ],
)
def test_a_broken_geojson_is_named(data_copy, capsys, content, problem):
    (data_copy / GEOJSON).write_text(content, encoding="utf-8")
    status, printed = check_data(data_copy, capsys)
    assert status == 1 and "Traceback" not in printed
    assert f"{GEOJSON}: {problem}" in printed, printed


def test_a_missing_geojson_is_named(data_copy, capsys):
    (data_copy / GEOJSON).unlink()
    status, printed = check_data(data_copy, capsys)
    assert status == 1 and f"{GEOJSON}: file is missing" in printed


def test_a_geojson_that_is_not_utf8_is_named(data_copy, capsys):
    (data_copy / GEOJSON).write_bytes(b'{"type": "FeatureCollection", "features": []}\n\xff')
    status, printed = check_data(data_copy, capsys)
    assert status == 1 and f"{GEOJSON}, line 2: not UTF-8 text (byte 0xff)" in printed


# --- 2. A path that names no file ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["voters", "geometry"])
@pytest.mark.parametrize("path", [".", "./", "geo/.."])
def test_a_path_that_names_the_folder_itself_is_refused(data_copy, capsys, name, path):
    set_path(data_copy, name, path)
    status, printed = check_data(data_copy, capsys)
    assert status == 1 and "Traceback" not in printed
    assert f"resource '{name}': path '{path}'" in printed, printed


# --- 3. A number too long to read ----------------------------------------------------------------


@pytest.mark.parametrize("where", ['"version": "2.3.0"', '"minimum": 0'])
def test_a_number_of_5000_digits_in_the_descriptor_is_named(data_copy, capsys, where):
    path = data_copy / "datapackage.json"
    text = path.read_text(encoding="utf-8")
    assert where in text
    key = where.split(":")[0]
    path.write_text(text.replace(where, f"{key}: {'9' * 5000}", 1), encoding="utf-8")
    status, printed = check_data(data_copy, capsys)
    assert status == 1 and "Traceback" not in printed
    assert "datapackage.json: a number in it has 5000 digits" in printed, printed


# --- 4. Files that are not files: named pipes never make check-data wait -------------------------


def check_data_process(folder: Path) -> subprocess.CompletedProcess:
    """check-data in a process of its own, given up (failing the test) if it hangs."""
    return subprocess.run(
        [sys.executable, "-m", "maslihat.cli", "check-data", "--data-dir", str(folder)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
@pytest.mark.parametrize("file", ["regions.csv", GEOJSON, "datapackage.json"])
def test_a_named_pipe_for_a_file_is_refused_without_waiting(data_copy, file):
    (data_copy / file).unlink()
    os.mkfifo(data_copy / file)
    run = check_data_process(data_copy)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert f"{file}: not a regular file (it is a named pipe)" in run.stderr, run.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_the_election_day_of_a_named_pipe_is_refused(data_copy):
    (data_copy / "election.csv").unlink()
    os.mkfifo(data_copy / "election.csv")
    code = "import sys; from maslihat.data import election_day; election_day(sys.argv[1])"
    run = subprocess.run(
        [sys.executable, "-c", code, str(data_copy)], capture_output=True, text=True, timeout=60
    )  # a process of its own: reading the pipe would wait forever
    assert "election.csv: not a regular file (it is a named pipe)" in run.stderr, run.stderr


# --- 5. One root cause, one message --------------------------------------------------------------


def problems_of(printed: str) -> list[str]:
    return [line for line in printed.splitlines() if line.startswith("  - ")]


def test_a_missing_resource_that_foreign_keys_name_is_said_once(data_copy, capsys):
    edit_descriptor(data_copy, lambda d: d["resources"].remove(resource(d, "parties")))
    status, printed = check_data(data_copy, capsys)
    assert status == 1
    (problem,) = problems_of(printed)
    assert "resource 'parties' is missing, yet 7 foreign keys refer to it" in problem, printed
    assert "party_lists" in problem


def test_a_broken_schema_that_foreign_keys_name_is_said_once(data_copy, capsys):
    edit_descriptor(data_copy, lambda d: resource(d, "parties").update(schema="fields"))
    status, printed = check_data(data_copy, capsys)
    assert status == 1
    (problem,) = problems_of(printed)
    assert "resource 'parties': needs a 'schema' with a list of 'fields'" in problem, printed
    assert "7 foreign keys refer to it" in problem


def test_a_foreign_key_to_a_file_resource_says_it_is_not_a_table(data_copy, capsys):
    def edit(descriptor):
        fk = resource(descriptor, "regions")["schema"].setdefault("foreignKeys", [])
        fk.append({"fields": "iso_code", "reference": {"resource": "geometry", "fields": "x"}})

    edit_descriptor(data_copy, edit)
    status, printed = check_data(data_copy, capsys)
    assert status == 1
    (problem,) = problems_of(printed)
    assert "resource 'geometry' is not a table, yet 1 foreign key refers to it" in problem


def test_a_wrong_foreign_key_of_its_own_is_still_named(data_copy, capsys):
    def edit(descriptor):
        (fk, *_) = resource(descriptor, "party_lists")["schema"]["foreignKeys"]
        fk["fields"] = "no_such_column"

    edit_descriptor(data_copy, edit)
    status, printed = check_data(data_copy, capsys)
    assert status == 1
    (problem,) = problems_of(printed)
    assert "resource 'party_lists': a foreign key must name its fields" in problem


# --- 6. A byte-order mark is read the same way everywhere ----------------------------------------


def with_bom(path: Path) -> None:
    path.write_bytes(codecs.BOM_UTF8 + path.read_bytes())


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_tables_with_a_byte_order_mark_give_names_in_every_language(
    data_copy, monkeypatch, lang
):
    for table in ("parties.csv", "party_names.csv", "place_names.csv", "election.csv"):
        with_bom(data_copy / table)
    monkeypatch.setenv("MASLIHAT_DATA_DIR", str(data_copy))
    data = load_all(data_copy)
    assert list(data.parties.columns)[0] == "party_code"
    assert election_day(data_copy).isoformat() == "2021-01-10"
    with i18n.language(lang):
        assert names.shown("Akmola") != "Akmola"  # a place name, from place_names.csv
        assert names.shown("Nur Otan") not in ("", None)
        assert names.shown("Ak Zhol") != "Ak Zhol"  # a party name, through parties.csv


def test_check_data_accepts_a_byte_order_mark(data_copy, capsys):
    with_bom(data_copy / "parties.csv")
    status, printed = check_data(data_copy, capsys)
    assert status == 0, printed
