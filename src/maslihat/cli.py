"""Command line: `maslihat check-data` checks a data folder; `maslihat render` makes the reports."""

from __future__ import annotations

import argparse
import math
import os
import re
import signal
import sys
from pathlib import Path

MAX_PROBLEMS = 50  # problems check-data prints before saying how many more there are
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: object) -> str:
    """Text for the terminal: control characters (ANSI escapes, ...) shown as \\x.. codes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def say(text: object = "", file=None) -> None:
    """Print a line of text that may come from the data, with its control characters escaped."""
    print(terminal_safe(text), file=file or sys.stdout)


def check_data(args: argparse.Namespace) -> int:
    """Validate a data folder, print the audit's findings; exit 1 when a file is invalid."""
    from maslihat.audit import audit
    from maslihat.data import DataValidationError, load_all, resolve_data_dir, tables_of

    data_dir = resolve_data_dir(args.data_dir)
    try:
        data = load_all(data_dir)
    except DataValidationError as err:
        say(f"maslihat check-data: {data_dir} is not valid:", file=sys.stderr)
        for problem in err.problems[:MAX_PROBLEMS]:
            say(f"  - {problem}", file=sys.stderr)
        if len(err.problems) > MAX_PROBLEMS:
            say(f"  … and {len(err.problems) - MAX_PROBLEMS} more problems", file=sys.stderr)
        return 1
    tables = len(tables_of(data.descriptor))
    say(f"{data_dir}: {tables} tables valid against datapackage.json")
    findings = audit(data)
    say(f"Audit: {sum(not f.ok for f in findings)} of {len(findings)} checks report a problem")
    for finding in findings:
        say(f"  [{finding.status}] {finding.check}: {finding.summary}")
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
        "--data-dir", metavar="DIR",
        help="data folder to check (default: $MASLIHAT_DATA_DIR, else the project's data/)",
    )  # fmt: skip
    parser.set_defaults(handler=check_data)


def _parameter(text: str) -> tuple[str, object]:
    """Parse KEY=VALUE as papermill's -p does: True/False/None, numbers, else text."""
    from papermill.cli import _resolve_type

    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key.strip(), _resolve_type(value)


def render(args: argparse.Namespace) -> int:
    """Render the reports; exit 1 when any failed, 2 when the request itself is invalid."""
    from maslihat import render as r
    from maslihat.chromium import ChromiumError

    notebooks = r.available_notebooks(args.notebooks_dir or r.NOTEBOOKS_DIR)
    stray = [v for v in [*(args.region or []), *(args.format or [])] if v in notebooks]
    if stray:  # `--region Almaty 03-seat-shares`: the option took the notebook as a value
        print(
            f"maslihat render: {', '.join(map(repr, stray))} is a notebook, not a region or "
            "format; give notebooks before the options: maslihat render 03-seat-shares "
            "--region Almaty",
            file=sys.stderr,
        )
        return 2
    try:
        summary = r.render_reports(
            notebooks=args.notebooks or None,
            regions=args.region,
            all_regions=args.all_regions,
            book=args.book,
            languages=args.lang or ("en",),
            formats=args.format or r.FORMATS,
            out_dir=args.out,
            force=args.force,
            parameters=dict(args.parameter),
            notebooks_dir=args.notebooks_dir or r.NOTEBOOKS_DIR,
            jobs=args.jobs,
            timeout=args.timeout or r.DEFAULT_TIMEOUT,
            reuse_kernels=not args.fresh_kernels,
            verbose=args.verbose,
        )
    except (r.RenderInputError, ChromiumError) as err:
        say(f"maslihat render: {err}", file=sys.stderr)
        return 2
    except r.RenderError as err:  # the output folder cannot be used or written
        say(f"maslihat render: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as err:
        signum = getattr(err, "signum", signal.SIGINT)
        say(
            f"maslihat render: stopped ({signal.Signals(signum).name}); the reports finished "
            f"so far are in {args.out.resolve()}, listed in its index.html",
            file=sys.stderr,
        )
        return 128 + signum
    say(summary.describe(verbose=args.verbose))
    return 0 if summary.ok else 1


def _positive(kind: type):
    """An argparse type accepting finite numbers above zero."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not math.isfinite(value) or value <= 0:
            raise argparse.ArgumentTypeError(f"expected a number above 0, got {text!r}")
        return value

    return parse


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """The options of commands that run report notebooks (render, preview): -p, timeout, folder."""
    parser.add_argument(
        "-p", "--parameter", action="append", type=_parameter, default=[], metavar="KEY=VALUE",
        help="notebook parameter as for papermill -p, e.g. -p as_of=20:00 -p threshold_pct=5",
    )  # fmt: skip
    parser.add_argument(
        "--timeout", type=_positive(float), metavar="SECONDS",
        help="stop a notebook when one of its cells runs longer (default: 300)",
    )  # fmt: skip
    parser.add_argument(
        "--notebooks-dir", type=Path, metavar="DIR",
        help="folder of the report notebooks (default: the project's notebooks/)",
    )  # fmt: skip


def add_render_command(subparsers: argparse._SubParsersAction) -> None:
    """Register `maslihat render`."""
    # maslihat.render imports nbconvert and papermill (seconds): only the handler loads it.
    parser = subparsers.add_parser(
        "render",
        help="execute report notebooks and write HTML and PDF reports",
        description="Execute report notebooks (papermill) for one or more regions and write "
        "<notebook>--<region>.<lang>.html/.pdf into the output folder, with index.html. "
        "Reports whose notebook, parameters, data and code did not change are kept (use --force). "
        "Exit status: 0 all reports made, 1 some failed, 2 invalid request.",
    )
    parser.add_argument(
        "notebooks", nargs="*", metavar="NOTEBOOK",
        help="notebook names without .ipynb, e.g. 03-seat-shares (default: all)",
    )  # fmt: skip
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--region", action="extend", nargs="+", metavar="NAME",
        help="regions to report on (several, or the flag repeated), in any case or the sources' "
        "spellings; 'All' = the whole country (default)",
    )  # fmt: skip
    where.add_argument(
        "--all-regions", action="store_true",
        help="'All', each region of the regional seat table and each city with results",
    )
    parser.add_argument(
        "--format", action="extend", nargs="+", metavar="{html,pdf}",
        help="output formats (several, or the flag repeated; default: html and pdf)",
    )  # fmt: skip
    parser.add_argument(
        "--lang", action="extend", nargs="+", metavar="{en,kk,ru}",
        help="languages of the reports: en (English), kk (Kazakh), ru (Russian); several, or "
        "the flag repeated (default: en). File names end in the language: 00-briefing--all.ru.pdf",
    )  # fmt: skip
    parser.add_argument(
        "--out", type=_folder, default=Path("reports"), metavar="DIR",
        help="output folder (default: reports/; not inside the data folder)",
    )  # fmt: skip
    parser.add_argument(
        "--book", action="store_true",
        help="also make the election book of each language, <out>/book.<lang>.pdf and .html: "
        "cover, linked contents with page numbers, the national chapter, one section per place "
        "(its cells tagged place-own), methodology, data quality, corrections, one source list",
    )  # fmt: skip
    parser.add_argument("--force", action="store_true", help="render even unchanged reports")
    parser.add_argument(
        "--jobs", "-j", type=_positive(int), metavar="N",
        help="reports rendered at once (default: number of CPU cores)",
    )  # fmt: skip
    parser.add_argument(
        "--verbose", "-v", action="store_true",
        help="a line per report made instead of the progress bar, with the time of each stage: "
        "kernel, notebook, HTML export, charts drawn, PDF printed (and of each book)",
    )  # fmt: skip
    parser.add_argument(
        "--fresh-kernels", action="store_true",
        help="start a new kernel for every report instead of reusing one per worker (slower)",
    )  # fmt: skip
    add_run_options(parser)
    parser.set_defaults(handler=render)


def new(args: argparse.Namespace) -> int:
    """Create a report notebook from the template; exit 2 when the name or title is refused."""
    from maslihat.scaffold import NewReportError, new_report

    folder = args.notebooks_dir or Path(__file__).resolve().parents[2] / "notebooks"
    try:
        path = new_report(args.name, folder, args.title, args.description)
    except NewReportError as err:
        say(f"maslihat new: {err}", file=sys.stderr)
        return 2
    say(f"created {path}")
    say(f"render it: maslihat render {path.stem} --region Akmola --lang en kk ru --format html"
        + (f" --notebooks-dir {folder}" if args.notebooks_dir else ""))
    say(f"preview it while you write: maslihat preview {path.stem}"
        + (f" --notebooks-dir {folder}" if args.notebooks_dir else ""))
    return 0


def add_new_command(subparsers: argparse._SubParsersAction) -> None:
    """Register `maslihat new`."""
    parser = subparsers.add_parser(
        "new",
        help="create a report notebook from the template",
        description="Create notebooks/NAME.ipynb from the report template: title, parameters "
        "cell, set-up cell, a worked section (sentence, chart, table) and the sources. "
        "Exit status 2 when NAME is not a slug or the notebook exists.",
    )
    parser.add_argument("name", metavar="NAME", help="file name without .ipynb, e.g. 04-city-seats")
    parser.add_argument(
        "--title", help="the report's title (default: from NAME, '04-city-seats' → 'City seats')"
    )
    parser.add_argument("--description", help="one line on what the report covers (the index)")
    parser.add_argument(
        "--notebooks-dir", type=Path, metavar="DIR",
        help="folder to create it in (default: the project's notebooks/)",
    )  # fmt: skip
    parser.set_defaults(handler=new)


def preview(args: argparse.Namespace) -> int:
    """Serve one report and re-render it on every change, until Ctrl-C; 2 for a bad request."""
    from maslihat import preview as p
    from maslihat.render import NOTEBOOKS_DIR, RenderInputError

    parameters = dict(args.parameter)
    try:
        path, region = p.check_request(
            args.notebook, args.region, parameters, args.notebooks_dir or NOTEBOOKS_DIR, args.lang
        )
    except RenderInputError as err:
        say(f"maslihat preview: {err}", file=sys.stderr)
        return 2

    stopped_by = [signal.SIGINT]

    def stop(signum: int, frame: object) -> None:
        stopped_by[0] = signal.Signals(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        p.serve(path, region, parameters, args.port, args.timeout or 300.0,
                out=lambda line: (say(line), sys.stdout.flush()), lang=args.lang)  # fmt: skip
    except p.PreviewError as err:
        say(f"maslihat preview: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        say("maslihat preview: stopped")
        return 128 + stopped_by[0]  # as render: 130 on Ctrl-C, 143 on SIGTERM
    return 0


def _folder(text: str) -> Path:
    """An argparse type for a folder name: not empty (an empty --out would mean the current
    folder, the checkout itself)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("expected a folder, got an empty name")
    return Path(text)


def _port(text: str) -> int:
    """An argparse type for a TCP port: 0 (any free one) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return port


def add_preview_command(subparsers: argparse._SubParsersAction) -> None:
    """Register `maslihat preview`."""
    parser = subparsers.add_parser(
        "preview",
        help="serve one report on 127.0.0.1 and re-render it whenever its notebook or data change",
        description="Render one report's HTML and serve it on 127.0.0.1; the notebook and the "
        "data files are watched, every change is rendered again on a kept kernel and the open "
        "page reloads itself. A failing notebook shows its error on the page. Ctrl-C stops it.",
    )
    parser.add_argument("notebook", metavar="NOTEBOOK", help="notebook name, e.g. 03-seat-shares")
    parser.add_argument("--region", metavar="NAME", help="region to report on (default: All)")
    parser.add_argument(
        "--port", type=_port, default=8765, metavar="N",
        help="port on 127.0.0.1 (default: 8765; 0: any free port)",
    )  # fmt: skip
    parser.add_argument(
        "--lang", default="en", metavar="{en,kk,ru}",
        help="language of the report: en (English, default), kk (Kazakh), ru (Russian)",
    )  # fmt: skip
    add_run_options(parser)
    parser.set_defaults(handler=preview)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with one sub-command per capability."""
    parser = argparse.ArgumentParser(
        prog="maslihat",
        description="Data checks and reports on the 2021 mäslihat elections in Kazakhstan.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_check_data_command(subparsers)
    add_render_command(subparsers)
    add_new_command(subparsers)
    add_preview_command(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.handler(args)


def run() -> None:
    """Console-script entry point: `maslihat ...`."""
    # jsonschema, imported by nbformat, papermill and Altair, imports rfc3987-syntax when it is
    # installed (JupyterLab needs it), which compiles ~35 Lark parsers at import: 1-1.6 s measured
    # on every `maslihat` command, for the "iri" formats no notebook schema uses
    # (python-jsonschema/jsonschema#1428). Blocked, jsonschema just leaves those two formats out.
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    try:
        status = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader left (`maslihat check-data | head -1`): no more output, and no traceback when
        # Python flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 128 + signal.SIGPIPE  # as a shell reports a command its reader left: not 1
    except KeyboardInterrupt:
        status = 130
    sys.exit(status)


if __name__ == "__main__":
    run()
