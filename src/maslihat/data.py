"""Load the election data package into typed pandas frames, validated against its schema.

`data/datapackage.json` (Frictionless Table Schema) is the single description of every table: the
loader reads field types, constraints, primary and foreign keys from it. Validation is done here in
pandas rather than with the `frictionless` library because that takes about 2 s for this package and
loading must stay well under half a second; the tests run `frictionless` as the reference check.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

DATA_DIR_ENV = "MASLIHAT_DATA_DIR"
DATA_DIR = Path(__file__).resolve().parents[2] / "data"  # the project's own data package
DESCRIPTOR = "datapackage.json"

_INTEGER = re.compile(r"[+-]?\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TRUE = {"true", "True", "TRUE", "1"}
_FALSE = {"false", "False", "FALSE", "0"}
_EXPECTED = {
    "integer": "a whole number",
    "number": "a number",
    "date": "a date as YYYY-MM-DD",
    "boolean": "true or false",
}


def resolve_data_dir(data_dir: Path | str | None = None) -> Path:
    """The data folder to read: the one given, else $MASLIHAT_DATA_DIR (read now), else DATA_DIR."""
    return Path(data_dir or os.environ.get(DATA_DIR_ENV) or DATA_DIR)


class DataValidationError(ValueError):
    """A data file does not match the schema; the message names file, row, column and the rule."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f"\n({len(problems)} problems)" if len(problems) > 1 else ""
        super().__init__("\n".join(problems) + more)


def _where(file: str, line: int | None = None, column: str | None = None) -> str:
    """Say where a problem is, as an analyst looking at the CSV in an editor would find it."""
    place = file
    if line is not None:
        place += f", row {line - 1} (line {line})"
    if column is not None:
        place += f", column '{column}'"
    return place


def read_descriptor(data_dir: Path | str | None = None) -> dict[str, Any]:
    """Return the parsed datapackage.json of a data folder."""
    path = resolve_data_dir(data_dir) / DESCRIPTOR
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataValidationError([f"{path}: no data package descriptor here"]) from None
    except json.JSONDecodeError as err:
        raise DataValidationError([f"{path}: not valid JSON ({err})"]) from None


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _convert(raw: pd.Series, field: dict[str, Any], file: str) -> tuple[pd.Series, list[str]]:
    """Convert one text column to its schema type and check its constraints."""
    name, kind = field["name"], field.get("type", "string")
    cons = field.get("constraints", {})
    problems: list[str] = []
    present = raw != ""
    # CSV line of each value: one header line, and pandas rows start at 0.
    lines = raw.index + 2

    def bad(mask: pd.Series, expected: str) -> None:
        for line, value in zip(lines[mask], raw[mask], strict=True):
            problems.append(f"{_where(file, line, name)}: expected {expected}, got '{value}'")

    if cons.get("required"):
        for line in lines[~present]:
            problems.append(f"{_where(file, line, name)}: a value is required, the cell is empty")

    if kind == "integer":
        ok = raw.str.fullmatch(_INTEGER.pattern)
        bad(present & ~ok, _EXPECTED[kind])
        values = pd.to_numeric(raw.where(present & ok), errors="coerce").astype("Int64")
    elif kind == "number":
        values = pd.to_numeric(raw.where(present), errors="coerce").astype("Float64")
        bad(present & values.isna(), _EXPECTED[kind])
    elif kind == "date":
        ok = raw.str.fullmatch(_DATE.pattern)
        values = pd.to_datetime(raw.where(present & ok), format="%Y-%m-%d", errors="coerce")
        bad(present & values.isna(), _EXPECTED[kind])
    elif kind == "boolean":
        ok = raw.isin(_TRUE | _FALSE)
        bad(present & ~ok, _EXPECTED[kind])
        values = raw.map(lambda v: True if v in _TRUE else False if v in _FALSE else pd.NA)
        values = values.astype("boolean")
    else:
        values = raw.where(present).astype("str")
        if "pattern" in cons:
            bad(present & ~raw.str.fullmatch(cons["pattern"]), f"text matching {cons['pattern']}")
        if "enum" in cons:
            bad(present & ~raw.isin(cons["enum"]), "one of " + ", ".join(cons["enum"]))

    checked = values.notna()
    if "minimum" in cons:
        bad(
            checked & (values < cons["minimum"]),
            f"{_EXPECTED.get(kind, 'a value')} >= {cons['minimum']}",
        )
    if "maximum" in cons:
        bad(
            checked & (values > cons["maximum"]),
            f"{_EXPECTED.get(kind, 'a value')} <= {cons['maximum']}",
        )
    if cons.get("unique"):
        dup = raw.duplicated(keep="first") & present
        for line, value in zip(lines[dup], raw[dup], strict=True):
            problems.append(
                f"{_where(file, line, name)}: value '{value}' appears twice; must be unique"
            )
    return values, problems


def _row_length_problems(path: Path, file: str) -> list[str]:
    """Rows with more or fewer fields than the header (pandas would shift or drop them)."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)
        header = next(rows, None)
        if header is None:
            return [f"{file}: the file is empty; expected a header line"]
        return [
            f"{file}, line {rows.line_num}: {len(row)} fields, expected {len(header)} "
            f"(one per header column: {', '.join(header)})"
            for row in rows
            if row and len(row) != len(header)
        ]


def _read_resource(resource: dict[str, Any], data_dir: Path) -> tuple[pd.DataFrame, list[str]]:
    """Read one CSV resource, returning the typed frame and every problem found."""
    file = resource["path"]
    path = data_dir / file
    schema = resource["schema"]
    names = [f["name"] for f in schema["fields"]]
    try:
        shape = _row_length_problems(path, file)
        if shape:
            return pd.DataFrame(columns=names), shape
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        return pd.DataFrame(columns=names), [f"{file}: file is missing"]
    except UnicodeDecodeError as err:
        return pd.DataFrame(columns=names), [f"{file}: not UTF-8 text ({err})"]
    except (csv.Error, pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        return pd.DataFrame(columns=names), [f"{file}: not a valid CSV table ({err})"]

    missing = [n for n in names if n not in raw.columns]
    extra = [c for c in raw.columns if c not in names]
    if missing or extra:
        problems = [f"{file}: missing column '{n}'" for n in missing]
        problems += [f"{file}: unexpected column '{c}'" for c in extra]
        problems.append(f"{file}: expected the columns {', '.join(names)}")
        return pd.DataFrame(columns=names), problems

    problems: list[str] = []
    frame = pd.DataFrame(index=raw.index)
    for field in schema["fields"]:
        frame[field["name"]], found = _convert(raw[field["name"]].str.strip(), field, file)
        problems += found

    key = _as_list(schema.get("primaryKey", []))
    if key:
        dup = raw.duplicated(subset=key, keep=False)
        for _, group in raw[dup].groupby(key, sort=False):
            rows = " and ".join(str(i + 1) for i in group.index)
            lines = " and ".join(str(i + 2) for i in group.index)
            shown = ", ".join(f"{k}='{group.iloc[0][k]}'" for k in key)
            problems.append(
                f"{file}, rows {rows} (lines {lines}): duplicate row for {shown}; "
                f"each ({', '.join(key)}) may appear once"
            )
    return frame, problems


def _foreign_key_problems(
    resource: dict[str, Any], frame: pd.DataFrame, tables: dict[str, pd.DataFrame]
) -> list[str]:
    """Check that every code in a table exists in the table it refers to."""
    problems = []
    for fk in resource["schema"].get("foreignKeys", []):
        column = _as_list(fk["fields"])[0]
        target = fk["reference"]["resource"]
        target_column = _as_list(fk["reference"]["fields"])[0]
        valid = tables[target][target_column].dropna()
        unknown = frame[column].notna() & ~frame[column].isin(valid)
        for index, value in frame.loc[unknown, column].items():
            problems.append(
                f"{_where(resource['path'], index + 2, column)}: unknown {target_column} '{value}'"
                f"; valid values ({target}): {', '.join(map(str, valid))}"
            )
    return problems


@dataclass(frozen=True)
class ElectionData:
    """All tables of the data package as typed frames, named as in datapackage.json."""

    statuses: pd.DataFrame
    sources: pd.DataFrame
    election: pd.DataFrame
    maslihat_counts: pd.DataFrame
    parties: pd.DataFrame
    party_lists: pd.DataFrame
    local_results: pd.DataFrame
    regional_seats: pd.DataFrame
    regional_seat_totals: pd.DataFrame
    regional_party_totals: pd.DataFrame
    regions: pd.DataFrame
    region_spellings: pd.DataFrame
    turnout_by_region: pd.DataFrame
    turnout_national: pd.DataFrame
    voters: pd.DataFrame
    city_results: pd.DataFrame
    city_figures: pd.DataFrame
    rules: pd.DataFrame
    mazhilis_election: pd.DataFrame
    mazhilis_results: pd.DataFrame
    descriptor: dict[str, Any]

    @property
    def facts(self) -> pd.Series:
        """The single row of the election table, for reading facts by name."""
        return self.election.iloc[0]


def validate(data_dir: Path | str | None = None) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Read every table of a data folder and return the frames with all problems found."""
    data_dir = resolve_data_dir(data_dir)
    descriptor = read_descriptor(data_dir)
    tables: dict[str, pd.DataFrame] = {}
    problems: list[str] = []
    for resource in descriptor["resources"]:
        tables[resource["name"]], found = _read_resource(resource, data_dir)
        problems += found
    for resource in descriptor["resources"]:
        problems += _foreign_key_problems(resource, tables[resource["name"]], tables)
    return tables, problems


def load_all(data_dir: Path | str | None = None) -> ElectionData:
    """Load and validate every table; raise DataValidationError listing each problem."""
    data_dir = resolve_data_dir(data_dir)
    tables, problems = validate(data_dir)
    if problems:
        raise DataValidationError([f"{data_dir / p}" for p in problems])
    expected = {f.name for f in fields(ElectionData)} - {"descriptor"}
    if missing := expected - tables.keys():
        raise DataValidationError(
            [f"{data_dir / DESCRIPTOR}: no resource named {', '.join(sorted(missing))}"]
        )
    return ElectionData(
        **{name: tables[name] for name in expected}, descriptor=read_descriptor(data_dir)
    )


def load_table(name: str, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Load one validated table by its resource name (e.g. 'regional_seats')."""
    data = load_all(data_dir)
    if name not in data.__dataclass_fields__ or name == "descriptor":
        valid = ", ".join(f.name for f in fields(ElectionData) if f.name != "descriptor")
        raise KeyError(f"unknown table '{name}'; valid tables: {valid}")
    return getattr(data, name)


def load_regional_seats(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Regional mäslihat seats, one row per region and party."""
    return load_table("regional_seats", data_dir)


def load_parties(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Parties with code, names, leader and colour, in infobox order."""
    return load_table("parties", data_dir).sort_values("infobox_order", ignore_index=True)


def region_names(data: ElectionData | None = None) -> list[str]:
    """The regions of the 2021 regional-seat table, in the table's order."""
    data = data or load_all()
    return list(data.regional_seats["region"].drop_duplicates())


def data_version(data_dir: Path | str | None = None) -> str:
    """The package version and a short content hash, so a report says which data made it.

    The hash covers the descriptor and every file it names.
    """
    data_dir = resolve_data_dir(data_dir)
    descriptor = read_descriptor(data_dir)
    digest = hashlib.sha256()
    for name in [DESCRIPTOR, *(r["path"] for r in descriptor["resources"])]:
        path = data_dir / name
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return f"{descriptor.get('version', 'unversioned')} ({digest.hexdigest()[:10]})"


def party_names(data: ElectionData) -> pd.Series:
    """Party name by party code, for writing codes out in reports."""
    return data.parties.set_index("party_code")["name"]


def publishers(data: ElectionData) -> pd.Series:
    """Publisher by source id, for naming sources in reports."""
    return data.sources.set_index("source_id")["publisher"]
