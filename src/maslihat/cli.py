"""Command line: `maslihat check-data` validates a data folder; `maslihat render` makes the reports."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with one sub-command per capability."""
    parser = argparse.ArgumentParser(
        prog="maslihat",
        description="Data checks and reports on the 2021 mäslihat elections in Kazakhstan.",
    )
    parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
