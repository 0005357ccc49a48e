"""Command line: `maslihat check-data` checks a data folder; `maslihat render` makes the reports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def check_data(args: argparse.Namespace) -> int:
    """Validate a data folder, print the audit's findings; exit 1 when a file is invalid."""
    from maslihat.audit import audit
    from maslihat.data import DATA_DIR, DataValidationError, load_all

    data_dir = Path(args.data_dir or DATA_DIR)
    try:
        data = load_all(data_dir)
    except DataValidationError as err:
        print(f"maslihat check-data: {data_dir} is not valid:", file=sys.stderr)
        for problem in err.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    tables = len(data.descriptor["resources"])
    print(f"{data_dir}: {tables} tables valid against datapackage.json")
    findings = audit(data)
    print(f"Audit: {sum(not f.ok for f in findings)} of {len(findings)} checks report a problem")
    for finding in findings:
        print(f"  [{finding.status}] {finding.check}: {finding.summary}")
    return 0


def add_check_data_command(subparsers: argparse._SubParsersAction) -> None:
    """Register `maslihat check-data`."""
    parser = subparsers.add_parser(
        "check-data",
        help="validate a data folder and print the data-quality audit",
        description="Validate every CSV of a data folder against its datapackage.json and print "
        "the audit's findings. Exits 1 when a file is invalid.",
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", help="data folder to check (default: the project's data/)"
    )
    parser.set_defaults(handler=check_data)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with one sub-command per capability."""
    parser = argparse.ArgumentParser(
        prog="maslihat",
        description="Data checks and reports on the 2021 mäslihat elections in Kazakhstan.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_check_data_command(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
