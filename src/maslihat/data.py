"""Load the election data package into typed pandas frames, validated against its schema.

`data/datapackage.json` (Frictionless Table Schema) is the single description of every table: the
loader reads field types, constraints, primary and foreign keys from it. Validation is done here in
pandas rather than with the `frictionless` library because that takes about 2 s for this package and
loading must stay well under half a second; the tests run `frictionless` as the reference check.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from functools import cache, wraps
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import pandas as pd

from maslihat import i18n
from maslihat.reuse import remember, tree_digest, value_digest

DATA_DIR_ENV = "MASLIHAT_DATA_DIR"
DATA_DIR = Path(__file__).resolve().parents[2] / "data"  # the project's own data package
DESCRIPTOR = "datapackage.json"
TABULAR = "tabular-data-resource"  # the profile of a table; other resources (the map) are files
BOM = b"\xef\xbb\xbf"  # a UTF-8 byte-order mark (Excel writes one): read as no text, everywhere

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
TYPES = ("string", *_EXPECTED)  # the field types the loader reads
PER_CHECK = 10  # problems listed for one rule of one column before "… and N more"
SHOWN = 50  # problems a DataValidationError's message lists before "… and N more"


def resolve_data_dir(data_dir: Path | str | None = None) -> Path:
    """The data folder to read: the one given, else $MASLIHAT_DATA_DIR (read now), else DATA_DIR."""
    return Path(data_dir or os.environ.get(DATA_DIR_ENV) or DATA_DIR)


class DataValidationError(ValueError):
    """A data file does not match the schema; the message names file, row, column and the rule."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:SHOWN]
        if len(problems) > SHOWN:
            shown.append(f"… and {len(problems) - SHOWN} more problems")
        more = f"\n({len(problems)} problems)" if len(problems) > 1 else ""
        super().__init__("\n".join(shown) + more)


class FileProblem(ValueError):
    """What is wrong with a data file itself (not with its entry in datapackage.json); the
    message starts with the file's path in the data folder."""


def _capped(problems: list[str], total: int, what: str) -> list[str]:
    """The first problems of one rule, then one line for the rest ('… and 999 more rows')."""
    if total > len(problems):
        problems.append(f"{what}: … and {total - len(problems)} more rows with this problem")
    return problems


def _where(file: str, line: int | None = None, column: str | None = None) -> str:
    """Say where a problem is, as an analyst looking at the CSV in an editor would find it."""
    place = file
    if line is not None:
        place += f", row {line - 1} (line {line})"
    if column is not None:
        place += f", column '{column}'"
    return place


def read_descriptor(data_dir: Path | str | None = None) -> dict[str, Any]:
    """Return the parsed datapackage.json of a data folder, checked to have the shape the loader
    reads (DataValidationError naming each problem otherwise)."""
    path = resolve_data_dir(data_dir) / DESCRIPTOR
    if kind := _special(path):
        raise DataValidationError([f"{path}: not a regular file (it is {kind})"])
    try:
        descriptor = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise DataValidationError([f"{path}: no data package descriptor here"]) from None
    except OSError as err:
        raise DataValidationError([f"{path}: cannot be read ({_os_reason(err)})"]) from None
    except UnicodeDecodeError as err:
        raise DataValidationError([f"{path}: not UTF-8 text ({err.reason})"]) from None
    except json.JSONDecodeError as err:
        raise DataValidationError([f"{path}: not valid JSON ({err})"]) from None
    except RecursionError:
        raise DataValidationError([f"{path}: nested too deeply to be a data package"]) from None
    except ValueError as err:  # an integer longer than Python reads (sys.get_int_max_str_digits)
        digits = re.search(r"value has (\d+) digits", str(err))
        what = f"has {digits[1]} digits" if digits else "is too long"
        raise DataValidationError(
            [f"{path}: a number in it {what}, more than can be read; no figure of a data package "
             "needs that many"]
        ) from None
    problems = descriptor_problems(descriptor)
    if problems:
        raise DataValidationError([f"{path}: {p}" for p in problems])
    return descriptor


def _special(path: Path) -> str | None:
    """What a path is when it is there but neither a regular file nor a folder (reading a named
    pipe would wait forever, a device may never end); None otherwise."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return None  # reading it names the problem: missing, a loop, ...
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def _os_reason(err: OSError) -> str:
    if isinstance(err, IsADirectoryError):
        return "it is a folder, not a file"
    if err.errno == 40:  # ELOOP
        return "a symbolic link that leads to itself"
    return err.strerror or str(err)


def _names(value: Any) -> list[str] | None:
    """A field list as a descriptor gives it (a name or a list of names); None if malformed."""
    names = [value] if isinstance(value, str) else value
    if isinstance(names, list) and names and all(isinstance(n, str) for n in names):
        return names
    return None


def _field_problems(where: str, field: Any, seen: set[str]) -> list[str]:
    """What is wrong with one field of a table schema."""
    if not isinstance(field, dict) or not isinstance(field.get("name"), str) or not field["name"]:
        return [f"{where}: a field needs a name (an object with a text 'name')"]
    name = field["name"]
    where = f"{where}, field {name!r}"
    problems = [f"{where}: named twice"] if name in seen else []
    seen.add(name)
    kind = field.get("type", "string")
    if kind not in TYPES:
        problems.append(f"{where}: unknown type {kind!r}; types: {', '.join(TYPES)}")
    cons = field.get("constraints", {})
    if not isinstance(cons, dict):
        return [*problems, f"{where}: 'constraints' must be an object"]
    if "pattern" in cons:
        try:
            re.compile(cons["pattern"])
        except (re.error, TypeError, RecursionError, OverflowError) as err:
            problems.append(f"{where}: pattern {cons['pattern']!r} is not a regular expression "
                            f"({err})")  # fmt: skip
    if "enum" in cons and not (
        isinstance(cons["enum"], list) and all(isinstance(v, str) for v in cons["enum"])
    ):
        problems.append(f"{where}: 'enum' must be a list of texts")
    for bound in ("minimum", "maximum"):
        if bound in cons and (
            kind not in ("integer", "number")
            or isinstance(cons[bound], bool)
            or not isinstance(cons[bound], int | float)
        ):
            problems.append(f"{where}: '{bound}' must be a number, on an integer or number field")
    return problems


def is_table(resource: Any) -> bool:
    """Whether a resource is a table the loader reads: every resource but one that declares
    another profile and has no schema (the map geometry, `"profile": "data-resource"`)."""
    return not (
        isinstance(resource, dict)
        and resource.get("profile", TABULAR) != TABULAR
        and "schema" not in resource
    )


def tables_of(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    """The table resources of a descriptor (the ones `load_all` reads), in its order."""
    return [r for r in descriptor["resources"] if is_table(r)]


def resource_file(name: str, data_dir: Path | str | None = None) -> Path:
    """The file of a resource by name (e.g. 'geometry'), checked to stay inside the data folder."""
    data_dir = resolve_data_dir(data_dir)
    descriptor = read_descriptor(data_dir)
    for resource in descriptor["resources"]:
        if resource.get("name") == name:
            return resource_path(data_dir, resource.get("path"))
    raise KeyError(f"no resource named {name!r} in {data_dir / DESCRIPTOR}")


def descriptor_problems(descriptor: Any) -> list[str]:
    """What keeps a parsed datapackage.json from being read as the loader reads it."""
    if not isinstance(descriptor, dict):
        return ["expected an object with 'resources'"]
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return ["'resources' must be a non-empty list of tables"]
    problems: list[str] = []
    others = [r for r in resources if not is_table(r)]
    resources = [r for r in resources if is_table(r)]
    for resource in others:
        name = resource.get("name")
        if not isinstance(name, str) or not name or not isinstance(resource.get("path"), str):
            problems.append(f"resource {name!r}: needs a text 'name' and a text 'path'")
    if not resources:
        return [*problems, "'resources' must hold at least one table"]
    referrers = _referrers(resources)
    fields_of: dict[str, set[str]] = {}
    unusable: set[str] = set()  # tables whose schema has a problem: keys to them are not checked
    for i, resource in enumerate(resources):
        name = resource.get("name") if isinstance(resource, dict) else None
        where = f"resource {name!r}" if isinstance(name, str) and name else f"resource {i + 1}"
        if not isinstance(name, str) or not name:
            problems.append(f"{where}: needs a text 'name'")
            continue
        if name in fields_of:
            problems.append(f"{where}: named twice")
        if not isinstance(resource.get("path"), str) or not resource["path"]:
            problems.append(f"{where}: needs a text 'path' (a CSV file in the data folder)")
        schema = resource.get("schema")
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            problems.append(
                f"{where}: needs a 'schema' with a list of 'fields'{_and_referred(name, referrers)}"
            )
            fields_of[name] = set()
            unusable.add(name)
            continue
        seen: set[str] = set()
        before = len(problems)
        for field in schema["fields"]:
            problems += _field_problems(where, field, seen)
        fields_of[name] = seen
        if not seen:
            problems.append(
                f"{where}: its schema has no fields{_and_referred(name, referrers)}"
            )
        if len(problems) > before:
            unusable.add(name)
        if "primaryKey" in schema:
            key = _names(schema["primaryKey"])
            if key is None or not set(key) <= seen:
                problems.append(f"{where}: primaryKey must name fields of the table")
    absent: set[str] = set()  # resources foreign keys name that are not tables of the package
    for resource in resources:
        if not isinstance(resource, dict) or not isinstance(resource.get("schema"), dict):
            continue
        name = resource.get("name")
        where = f"resource {name!r}"
        fks = resource["schema"].get("foreignKeys", [])
        if not isinstance(fks, list):
            problems.append(f"{where}: foreignKeys must be a list")
            continue
        if not isinstance(name, str) or name in unusable:
            continue  # its own problem is named; its keys cannot be checked against it
        for fk in fks:
            reference = fk.get("reference") if isinstance(fk, dict) else None
            own = _names(fk.get("fields")) if isinstance(fk, dict) else None
            target = reference.get("resource") if isinstance(reference, dict) else None
            theirs = _names(reference.get("fields")) if isinstance(reference, dict) else None
            if isinstance(target, str) and target not in fields_of:
                absent.add(target)  # named once below, with every key that refers to it
                continue
            if (
                own is None
                or theirs is None
                or not isinstance(target, str)
                or not set(own) <= fields_of.get(str(name), set())
                or not set(theirs) <= fields_of[target]
            ) and not (isinstance(target, str) and target in unusable):
                problems.append(
                    f"{where}: a foreign key must name its fields and a resource and fields "
                    "that exist"
                )
    files = {r.get("name") for r in others}
    for target in sorted(absent, key=list(referrers).index):
        what = "is not a table" if target in files else "is missing"
        problems.append(
            f"resource {target!r} {what}, yet {_referred(target, referrers)}; add it to "
            "'resources' or remove those foreign keys"
        )
    return problems


def _referrers(resources: list[Any]) -> dict[str, list[str]]:
    """Each resource that foreign keys refer to, and the table of each such key (once per key),
    in the descriptor's order."""
    found: dict[str, list[str]] = {}
    for resource in resources:
        schema = resource.get("schema") if isinstance(resource, dict) else None
        fks = schema.get("foreignKeys") if isinstance(schema, dict) else None
        for fk in fks if isinstance(fks, list) else []:
            reference = fk.get("reference") if isinstance(fk, dict) else None
            target = reference.get("resource") if isinstance(reference, dict) else None
            if isinstance(target, str):
                found.setdefault(target, []).append(str(resource.get("name")))
    return found


def _referred(target: str, referrers: dict[str, list[str]]) -> str:
    """'7 foreign keys refer to it, from party_lists, local_results, …', or '' for none."""
    tables = referrers.get(target, [])
    if not tables:
        return ""
    keys = "1 foreign key refers" if len(tables) == 1 else f"{len(tables)} foreign keys refer"
    return f"{keys} to it, from {', '.join(dict.fromkeys(tables))}"


def _and_referred(target: str, referrers: dict[str, list[str]]) -> str:
    """' (7 foreign keys refer to it, …; they are checked once it is mended)' after a problem of
    a table's schema, or '' when no key refers to the table."""
    said = _referred(target, referrers)
    return f" ({said}; they are checked once it is mended)" if said else ""


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
        mask = mask.fillna(False).astype(bool)
        found = [
            f"{_where(file, line, name)}: expected {expected}, got '{value}'"
            for line, value in zip(lines[mask][:PER_CHECK], raw[mask][:PER_CHECK], strict=True)
        ]
        problems.extend(_capped(found, int(mask.sum()), _where(file, None, name)))

    if cons.get("required"):
        empty = lines[~present]
        found = [
            f"{_where(file, line, name)}: a value is required, the cell is empty"
            for line in empty[:PER_CHECK]
        ]
        problems.extend(_capped(found, len(empty), _where(file, None, name)))

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
        found = [
            f"{_where(file, line, name)}: value '{value}' appears twice; must be unique"
            for line, value in zip(lines[dup][:PER_CHECK], raw[dup][:PER_CHECK], strict=True)
        ]
        problems.extend(_capped(found, int(dup.sum()), _where(file, None, name)))
    return values, problems


def _row_length_problems(text: str, file: str) -> list[str]:
    """Rows with more or fewer fields than the header (pandas would shift or drop them)."""
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if header is None:
        return [f"{file}: the file is empty; expected a header line"]
    found, total = [], 0
    for row in rows:
        if row and len(row) != len(header):
            total += 1
            if len(found) < PER_CHECK:
                found.append(
                    f"{file}, line {rows.line_num}: {len(row)} fields, expected {len(header)} "
                    f"(one per header column: {', '.join(header)})"
                )
    return _capped(found, total, file)


def election_day(data_dir: Path | str | None = None) -> date:
    """The election's date from the election table alone (csv module, no pandas), for labels
    that need only the date: much cheaper than `load_all()`; cached while the file is unchanged."""
    path = resource_file("election", data_dir)
    return _election_day(path, path.stat().st_mtime_ns)


@cache
def _election_day(path: Path, stamp: int) -> date:
    with path.open(encoding="utf-8-sig", newline="") as rows:
        return date.fromisoformat(next(csv.DictReader(rows))["election_date"])


def resource_path(data_dir: Path, file: Any) -> Path:
    """Where a resource's file is, refusing (ValueError) any path that leads out of the folder,
    names no file, or names something that is not a regular file (a named pipe would make its
    reader wait forever)."""
    if not isinstance(file, str) or not file:
        raise ValueError("the path must be the name of a file in the data folder")
    parts = PurePosixPath(file)
    if (
        parts.is_absolute()
        or ".." in parts.parts
        or "\\" in file
        or "\0" in file
        or (parts.parts and ":" in parts.parts[0])
    ):
        raise ValueError(
            f"path '{file}' must be a relative path inside the data folder (no leading /, no ..)"
        )
    if not parts.parts:
        raise ValueError(f"path '{file}' names the data folder itself; it must name a file in it")
    path = data_dir / parts
    try:
        inside = path.resolve().is_relative_to(data_dir.resolve())
    except (OSError, RuntimeError):
        raise ValueError(f"path '{file}': a symbolic link that leads to itself") from None
    if not inside:
        raise ValueError(f"path '{file}' leads out of the data folder through a symbolic link")
    if kind := _special(path):
        raise FileProblem(f"{file}: not a regular file (it is {kind}); put the file itself here")
    return path


def _read_text(path: Path, file: str, bom: bool = True) -> str:
    """A data file's text, without a byte-order mark if `bom` (a CSV's, as Excel writes it);
    FileProblem names the line of a byte that is not UTF-8."""
    data = path.read_bytes()
    if bom:
        data = data.removeprefix(BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise FileProblem(
            f"{file}, line {line}: not UTF-8 text (byte 0x{data[err.start]:02x}); save the file "
            "as UTF-8"
        ) from None


def _read_resource(resource: dict[str, Any], data_dir: Path) -> tuple[pd.DataFrame, list[str]]:
    """Read one CSV resource, returning the typed frame and every problem found."""
    file = resource["path"]
    schema = resource["schema"]
    names = [f["name"] for f in schema["fields"]]
    empty = pd.DataFrame(columns=names)
    try:
        path = resource_path(data_dir, file)
        text = _read_text(path, file)
        shape = _row_length_problems(text, file)
        if shape:
            return empty, shape
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        return empty, [f"{file}: not a valid CSV table ({err})"]
    except FileProblem as err:
        return empty, [str(err)]
    except ValueError as err:
        return empty, [f"{DESCRIPTOR}: resource {resource['name']!r}: {err}"]
    except FileNotFoundError:
        return empty, [f"{file}: file is missing"]
    except OSError as err:
        return empty, [f"{file}: cannot be read ({_os_reason(err)})"]
    except csv.Error as err:
        return empty, [f"{file}: not a valid CSV table ({err})"]

    if raw.empty:
        return empty, [f"{file}: the table has a header but no rows"]
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
        groups = list(raw[dup].groupby(key, sort=False))
        if len(groups) > PER_CHECK:
            problems.append(f"{file}: … and {len(groups) - PER_CHECK} more duplicate rows")
        for _, group in groups[:PER_CHECK]:
            rows = " and ".join(str(i + 1) for i in group.index)
            lines = " and ".join(str(i + 2) for i in group.index)
            shown = ", ".join(f"{k}='{group.iloc[0][k]}'" for k in key)
            problems.append(
                f"{file}, rows {rows} (lines {lines}): duplicate row for {shown}; "
                f"each ({', '.join(key)}) may appear once"
            )
    return frame, problems


def _file_resource_problems(resource: dict[str, Any], data_dir: Path) -> list[str]:
    """Check a resource that is a file, not a table (the map geometry): its path as a table's
    (inside the data folder, a regular file that is there), and a GeoJSON file's content."""
    file = resource["path"]
    geojson = resource.get("format") == "geojson" or file.lower().endswith(".geojson")
    try:
        path = resource_path(data_dir, file)
        if not geojson:
            path.open("rb").close()  # there, and readable
            return []
        text = _read_text(path, file, bom=False)  # JSON has none; json.loads refuses one
    except FileProblem as err:
        return [str(err)]
    except ValueError as err:
        return [f"{DESCRIPTOR}: resource {resource['name']!r}: {err}"]
    except FileNotFoundError:
        return [f"{file}: file is missing"]
    except OSError as err:
        return [f"{file}: cannot be read ({_os_reason(err)})"]
    return _geojson_problems(text, file)


def _geojson_problems(text: str, file: str) -> list[str]:
    """What keeps a file's text from being the GeoJSON FeatureCollection the maps draw."""
    try:
        collection = json.loads(text)
    except json.JSONDecodeError as err:
        return [f"{file}: not valid JSON ({err})"]
    except RecursionError:
        return [f"{file}: nested too deeply to be GeoJSON"]
    except ValueError:  # an integer longer than Python reads
        return [f"{file}: a number in it is too long to read"]
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        return [f"{file}: expected a GeoJSON FeatureCollection (an object with "
                '"type": "FeatureCollection" and a list of "features")']  # fmt: skip
    features = collection.get("features")
    if not isinstance(features, list):
        return [f"{file}: 'features' must be a list of GeoJSON Features"]
    bad = [
        number
        for number, feature in enumerate(features, start=1)
        if not isinstance(feature, dict)
        or feature.get("type") != "Feature"
        or not isinstance(feature.get("properties"), dict)
    ]
    found = [
        f"{file}: feature {number} is not a GeoJSON Feature (an object with "
        '"type": "Feature" and an object of "properties")'
        for number in bad[:PER_CHECK]
    ]
    if len(bad) > PER_CHECK:
        found.append(f"{file}: … and {len(bad) - PER_CHECK} more features with this problem")
    return found


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
        shown = ", ".join(map(str, valid[:30])) + (", …" if len(valid) > 30 else "")
        found = [
            f"{_where(resource['path'], index + 2, column)}: unknown {target_column} '{value}'"
            f"; valid values ({target}): {shown}"
            for index, value in frame.loc[unknown, column][:PER_CHECK].items()
        ]
        problems += _capped(found, int(unknown.sum()), _where(resource["path"], None, column))
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
    corrections: pd.DataFrame
    body_names: pd.DataFrame
    source_names: pd.DataFrame
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
    unread: set[str] = set()  # tables that could not be read at all
    for resource in descriptor["resources"]:
        if not is_table(resource):
            problems += _file_resource_problems(resource, data_dir)
            continue
        tables[resource["name"]], found = _read_resource(resource, data_dir)
        problems += found
        if found and tables[resource["name"]].empty:
            unread.add(resource["name"])
    for resource in tables_of(descriptor):
        targets = {fk["reference"]["resource"] for fk in resource["schema"].get("foreignKeys", [])}
        if resource["name"] in unread or targets & unread:
            continue  # one message for the root cause, not one per row that refers to it
        problems += _foreign_key_problems(resource, tables[resource["name"]], tables)
    return tables, problems


def folder_digest(data_dir: Path | str | None = None) -> str | None:
    """Hash of every file of a data folder, what results computed from it are kept under; None
    when a file cannot be read (loading it then says why)."""
    try:
        return tree_digest(resolve_data_dir(data_dir))
    except (OSError, RecursionError, ValueError):
        return None


def load_all(data_dir: Path | str | None = None) -> ElectionData:
    """Load and validate every table; raise DataValidationError listing each problem.

    Read and checked once per process while the folder's files are unchanged (`maslihat.reuse`):
    each call gets its own copy of the tables, so a notebook that changes one changes no other's.
    """
    data_dir = resolve_data_dir(data_dir)
    digest = folder_digest(data_dir)
    key = ("load_all", str(data_dir.resolve()), digest) if digest else None
    return remember(key, lambda: _load_all(data_dir))


def _load_all(data_dir: Path) -> ElectionData:
    tables, problems = validate(data_dir)
    if problems:
        raise DataValidationError([f"{data_dir}{os.sep}{p}" for p in problems])
    expected = {f.name for f in fields(ElectionData)} - {"descriptor"}
    if missing := expected - tables.keys():
        raise DataValidationError(
            [f"{data_dir / DESCRIPTOR}: no resource named {', '.join(sorted(missing))}"]
        )
    return ElectionData(
        **{name: tables[name] for name in expected}, descriptor=read_descriptor(data_dir)
    )


Result = TypeVar("Result")


def per_data(words: bool) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Make a function of the data (`f(data, ...)`) compute once per process for the same data,
    arguments and data folder (and language, when its result holds `words` in it); every caller
    gets a copy. Only for functions whose result depends on nothing else (no `cite`)."""

    def decorate(func: Callable[..., Result]) -> Callable[..., Result]:
        @wraps(func)
        def reused(data: ElectionData, *args: Any, **kwargs: Any) -> Result:
            digest = folder_digest()
            values = value_digest(data, args, sorted(kwargs.items()))
            key = None if digest is None or values is None else (
                f"{func.__module__}.{func.__qualname__}", digest, values,
                i18n.current() if words else None,
            )  # fmt: skip
            return remember(key, lambda: func(data, *args, **kwargs))

        reused.words = words  # type: ignore[attr-defined] - for the tests of what it may keep
        return reused

    return decorate


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


def is_city(data: ElectionData, place: str) -> bool:
    """Whether a place is a city of republican significance (with a city mäslihat of its own)."""
    kinds = data.regions.loc[data.regions["region"] == place, "kind"]
    return bool((kinds == "city").any())


def region_names(data: ElectionData | None = None) -> list[str]:
    """The places a report covers: the regions of the regional-seat table, in its order, then
    the capital and the cities of republican significance that have city mäslihat results."""
    data = data or load_all()
    cities = data.regions.loc[data.regions["kind"] == "city", "region"]
    with_results = set(data.city_results["region"])
    return [
        *data.regional_seats["region"].drop_duplicates(),
        *(city for city in cities if city in with_results),
    ]


def data_version(data_dir: Path | str | None = None) -> str:
    """The package version and a short content hash, so a report says which data made it.

    The hash covers the descriptor and every file it names.
    """
    data_dir = resolve_data_dir(data_dir)
    descriptor = read_descriptor(data_dir)
    digest = hashlib.sha256()
    for name in [DESCRIPTOR, *(r["path"] for r in descriptor["resources"])]:
        try:
            path = resource_path(data_dir, name)
            content = path.read_bytes()
        except (ValueError, OSError):
            continue  # validation names the problem; the version covers what can be read
        digest.update(path.name.encode())
        digest.update(content)
    return f"{descriptor.get('version', 'unversioned')} ({digest.hexdigest()[:10]})"


def party_names(data: ElectionData) -> pd.Series:
    """Party name by party code, for writing codes out in reports."""
    return data.parties.set_index("party_code")["name"]


def publishers(data: ElectionData, lang: str | None = None) -> pd.Series:
    """Publisher by source id, for naming sources in reports, in the report's language (or
    `lang`): 'TASS' is 'ТАСС' in Kazakh and Russian (source_names.csv)."""
    if lang is None:
        from maslihat.i18n.languages import current  # the language machinery has no data in it

        lang = current()
    english = data.sources.set_index("source_id")["publisher"]
    names = data.source_names
    own = names[(names["lang"] == lang) & names["publisher"].notna()]
    return english.mask(english.index.isin(own["source_id"]),
                        english.index.map(own.set_index("source_id")["publisher"]))
