"""The README and the guide in docs/ cannot drift from the code: their Python runs, their command
lines parse with the real command-line parser and name real notebooks, places, parameters, make
targets and files, every option of every command is documented, and every link resolves."""

from __future__ import annotations

import importlib.util
import inspect
import re
import shlex
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```\s*$", re.M | re.S)
SHELL = {"sh", "bash", "console", "shell"}


@dataclass
class Block:
    page: Path
    line: int
    language: str
    text: str

    def __str__(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a Markdown page, with the line each starts on."""
    text = page.read_text(encoding="utf-8")
    return [
        Block(page, text.count("\n", 0, m.start()) + 1, m.group(1).lower(), m.group(2))
        for m in FENCE.finditer(text)
    ]


def prose(page: Path) -> str:
    """A page without its fenced code blocks."""
    return FENCE.sub("", page.read_text(encoding="utf-8"))


def running_text(page: Path) -> str:
    """A page without its code: neither fenced blocks nor `code spans`."""
    return re.sub(r"`[^`]*`", "", prose(page))


def page_id(page: Path) -> str:
    return str(page.relative_to(ROOT))


# --- Python blocks ---------------------------------------------------------------------------


def python_pages() -> list[Path]:
    return [p for p in PAGES if any(b.language == "python" for b in blocks(p))]


@pytest.mark.parametrize("page", python_pages(), ids=page_id)
def test_the_python_blocks_of_a_page_run_in_order(page, tmp_path, monkeypatch):
    """Each page's Python blocks run one after another in one namespace, as a reader would type
    them into a notebook; a render is not run, but its call must fit `render_reports`."""
    import maslihat.render
    from maslihat.i18n import use

    real = inspect.signature(maslihat.render.render_reports)
    calls = []

    def render_reports(*args, **kwargs):
        real.bind(*args, **kwargs)  # TypeError for an argument render_reports does not take
        calls.append((args, kwargs))

    monkeypatch.setattr(maslihat.render, "render_reports", render_reports)
    monkeypatch.chdir(tmp_path)
    import altair as alt

    renderer = alt.renderers.active  # a block may call enable_report_charts(), as notebooks do
    namespace: dict[str, object] = {"__name__": "__docs__"}
    try:
        for block in (b for b in blocks(page) if b.language == "python"):
            code = compile(block.text, str(block), "exec")
            try:
                exec(code, namespace)
            except Exception as err:  # noqa: BLE001 - the block's location is the point
                pytest.fail(f"{block}: {type(err).__name__}: {err}")
    finally:
        use("en")
        alt.renderers.enable(renderer)
    if "render_reports(" in "".join(b.text for b in blocks(page)):
        assert calls


# --- Command lines ---------------------------------------------------------------------------


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, re.M))


def notebook_parameters(path: Path) -> set[str]:
    """The names assigned in a notebook's cell tagged `parameters`."""
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    return set(re.findall(r"^(\w+)\s*=", cell.source, re.M))


NOTEBOOKS = ROOT / "notebooks"


class Commands:
    """Checks the command lines of one page; a notebook a `maslihat new` line creates counts as
    existing for the lines after it."""

    def __init__(self, data, where: str):
        self.data, self.where, self.created = data, where, set()

    def fail(self, line: str, why: str) -> None:
        pytest.fail(f"{self.where}: {line!r}: {why}")

    def check(self, line: str) -> None:
        argv = shlex.split(line, comments=True)
        while argv and re.fullmatch(r"[A-Z_]+=\S*", argv[0]):
            argv = argv[1:]  # an environment variable for the command: LAB_IP=0.0.0.0 make lab
        if not argv:
            return
        program, args = argv[0], argv[1:]
        name = program.rsplit("/", 1)[-1]
        if program.startswith(".venv/bin/") or "/" not in program:
            handler = getattr(self, "check_" + name.replace("-", "_"), None)
        else:
            handler = None
        if handler is None:
            self.fail(line, f"no check for the program {program!r}: add one to tests/test_docs.py")
        handler(line, args)

    def check_maslihat(self, line: str, args: list[str]) -> None:
        from maslihat.cli import build_parser
        from maslihat.params import ParameterError, resolve_region

        try:
            parsed = build_parser().parse_args(args)
        except SystemExit as exit:
            if exit.code:
                self.fail(line, "the command-line parser refuses it")
            return  # --help
        if parsed.command == "new":
            self.created.add(parsed.name)
            return
        if parsed.command == "check-data":
            return
        names = parsed.notebooks if parsed.command == "render" else [parsed.notebook]
        folder = parsed.notebooks_dir or NOTEBOOKS
        for notebook in names:
            path = folder / f"{notebook}.ipynb"
            if notebook in self.created:
                continue
            if not path.exists():
                self.fail(line, f"no notebook {path}")
            unknown = {k for k, _v in parsed.parameter} - notebook_parameters(path)
            if unknown:
                self.fail(line, f"{notebook} has no parameters {sorted(unknown)}")
        regions = parsed.region or []
        for region in [regions] if isinstance(regions, str) else regions:
            try:
                resolve_region(region, self.data)
            except ParameterError as err:
                self.fail(line, str(err))
        langs = parsed.lang or []
        for lang in [langs] if isinstance(langs, str) else langs:
            if lang not in ("en", "kk", "ru"):
                self.fail(line, f"no language {lang!r}")

    def check_make(self, line: str, args: list[str]) -> None:
        targets = [a for a in args if "=" not in a]
        missing = set(targets) - makefile_targets()
        if not targets or missing:
            self.fail(line, f"no make target {sorted(missing) or 'named'}")

    def check_papermill(self, line: str, args: list[str]) -> None:
        path = ROOT / args[0]
        if not path.exists():
            self.fail(line, f"no notebook {args[0]}")
        given = {args[i + 1] for i, a in enumerate(args) if a in ("-p", "--parameters")}
        unknown = given - notebook_parameters(path)
        if unknown:
            self.fail(line, f"{args[0]} has no parameters {sorted(unknown)}")

    def check_jupyter(self, line: str, args: list[str]) -> None:
        if args[:1] == ["nbconvert"]:
            exporter = args[args.index("--to") + 1]
            names = {e.name for e in entry_points(group="nbconvert.exporters")}
            if exporter not in names:
                self.fail(line, f"no nbconvert exporter {exporter!r}")
        elif args[:1] != ["lab"]:
            self.fail(line, "only `jupyter nbconvert` and `jupyter lab` are checked")

    def check_python(self, line: str, args: list[str]) -> None:
        if args[:1] == ["-m"]:
            if importlib.util.find_spec(args[1]) is None:
                self.fail(line, f"no module {args[1]}")
        elif not (ROOT / args[0]).is_file():
            self.fail(line, f"no script {args[0]}")

    def check_bash(self, line: str, args: list[str]) -> None:
        if not (ROOT / args[0]).is_file():
            self.fail(line, f"no script {args[0]}")

    def check_conda(self, line: str, args: list[str]) -> None:
        if not (ROOT / args[args.index("-f") + 1]).is_file():
            self.fail(line, "no such environment file")

    def check_pdftoppm(self, line: str, args: list[str]) -> None:
        if not {"-png", "-r"} <= set(args):
            self.fail(line, "expected -png and -r")

    def check_ssh(self, line: str, args: list[str]) -> None:
        if not re.fullmatch(r"\d+:127\.0\.0\.1:\d+", args[args.index("-L") + 1]):
            self.fail(line, "expected -L PORT:127.0.0.1:PORT")

    def check_git(self, line: str, args: list[str]) -> None:
        if args[:1] not in (["clone"], ["worktree"]):
            self.fail(line, "only `git clone` is expected in the docs")

    def check_ruff(self, line: str, args: list[str]) -> None:
        missing = [a for a in args[1:] if not (ROOT / a).exists()]
        if args[:1] != ["check"] or missing:
            self.fail(line, f"expected `ruff check` of existing folders, not {missing}")

    def check_cd(self, line: str, args: list[str]) -> None:
        pass

    def check_nbstripout(self, line: str, args: list[str]) -> None:
        from maslihat.clean import NBSTRIPOUT_ARGS

        if not set(NBSTRIPOUT_ARGS) <= set(args):
            self.fail(line, f"nbstripout without the project's settings {NBSTRIPOUT_ARGS}")


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_command_line_shown_is_valid(page, data):
    for block in blocks(page):
        if block.language in SHELL:
            commands = Commands(data, str(block))
            for line in block.text.splitlines():
                commands.check(line.removeprefix("$ "))


COMMANDS = ("render", "check-data", "new", "preview")
INLINE = re.compile(r"`((?:\.venv/bin/)?(?:maslihat|make) [^`]+)`")


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_command_in_the_prose_is_valid(page, data):
    """`maslihat ...` and `make ...` in running text, unless written as a pattern ([--x], …)."""
    commands = Commands(data, page_id(page))
    for match in INLINE.finditer(prose(page)):
        text = match.group(1)
        if any(mark in text for mark in ("[", "…", "...", "|", "NAME", "NOTEBOOK", "COMMAND")):
            continue
        words = text.split()
        named = len(words) == 2 and words[0].endswith("maslihat") and words[1][0] != "-"
        if named:  # a command's name in running text: `maslihat new`
            assert words[1] in COMMANDS, f"{page_id(page)}: no command {text!r}"
            continue
        commands.check(text)


def test_every_option_of_every_command_is_in_the_command_line_page():
    from maslihat.cli import build_parser

    page = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    parser = build_parser()
    (subparsers,) = [a for a in parser._actions if a.choices and isinstance(a.choices, dict)]
    missing = []
    for command, sub in subparsers.choices.items():
        if f"## maslihat {command}" not in page:
            missing.append(f"section 'maslihat {command}'")
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help") and f"`{option}" not in page:
                    missing.append(f"{command} {option}")
    assert not missing, f"docs/reports.md does not document: {missing}"


def test_the_makefile_targets_are_all_documented():
    page = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    missing = [t for t in makefile_targets() if f"`make {t}" not in page]
    assert not missing, f"make targets not in docs/reports.md: {missing}"


# --- Links -----------------------------------------------------------------------------------

LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)\)")


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    found = set()
    for heading in re.findall(r"^#{1,6} (.+)$", prose(page), re.M):
        anchor = github_anchor(heading)
        found.add(anchor if anchor not in seen else f"{anchor}-{seen[anchor]}")
        seen[anchor] = seen.get(anchor, 0) + 1
    return found


def test_github_anchors_are_made_as_github_makes_them():
    assert github_anchor("Prose: say and say_n") == "prose-say-and-say_n"
    assert github_anchor("The map geometry") == "the-map-geometry"
    assert github_anchor("HTML, PDF and phones") == "html-pdf-and-phones"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_every_relative_link_and_anchor_resolves(page):
    broken = []
    text = running_text(page)
    for target in [*LINK.findall(text), *re.findall(r'<img src="([^"]+)"', text)]:
        if re.match(r"[a-z]+:", target):
            continue  # an address outside the repository
        path, _hash, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no file {path}")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no heading #{anchor} in {file.name}")
    assert not broken, f"{page_id(page)}: {broken}"


def test_every_guide_page_is_linked_from_the_guide_index_and_the_readme():
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in (ROOT / "docs").glob("*.md"):
        if page.name != "README.md":
            assert f"({page.name}" in index, page.name
            assert f"(docs/{page.name}" in readme, page.name


# --- The README as a front page --------------------------------------------------------------


def test_the_readme_first_screen_shows_the_two_commands_and_a_picture():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md is {len(lines)} lines: move the detail to docs/"
    first = "\n".join(lines[:40])
    assert re.search(r"^ *make report$", first, re.M) and re.search(r"^ *make test$", first, re.M)
    pictures = re.findall(r"!\[[^\]]+\]\((docs/images/[^)]+\.png)\)", first)
    pictures += re.findall(r'<img src="(docs/images/[^"]+\.png)" alt="[^"]+"', first)
    assert pictures, "no picture in the README's first 40 lines"
    for picture in pictures:
        assert (ROOT / picture).stat().st_size < 250_000, picture


def test_the_docs_speak_of_the_software_not_of_how_it_was_made():
    words = re.compile(r"\b(stop \d+|work units?|review rounds?|session|sprint)\b", re.I)
    found = [(page_id(p), m.group()) for p in PAGES for m in words.finditer(p.read_text("utf-8"))]
    assert not found


# --- One real render, as the command-line page describes it ----------------------------------


@pytest.mark.slow
def test_a_render_writes_the_files_the_command_line_page_names(tmp_path, capsys):
    from maslihat.cli import main

    page = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    for named in ("<notebook>--<region>.<lang>.html", "<notebook>--<region>.<lang>.data/",
                  "`reports/executed/`", "`reports/index.html`", "0 rendered, 1 unchanged"):
        assert named in " ".join(page.split()), named
    argv = ["render", "02-party-lists", "--format", "html", "--out", str(tmp_path)]
    assert main(argv) == 0
    assert (tmp_path / "02-party-lists--all.en.html").is_file()
    assert any((tmp_path / "02-party-lists--all.en.data").glob("*.csv"))
    assert (tmp_path / "executed" / "02-party-lists--all.en.ipynb").is_file()
    assert (tmp_path / "index.html").is_file()
    capsys.readouterr()
    assert main(argv) == 0  # nothing changed: served from the cache, as the page says
    assert "0 rendered, 1 unchanged" in capsys.readouterr().out


def test_the_guide_says_what_make_report_runs():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^report:.*\n\t\$\(BIN\)/(maslihat render [^\n]+)", makefile, re.M)
    page = " ".join((ROOT / "docs" / "reports.md").read_text(encoding="utf-8").split())
    assert recipe and f"`{recipe.group(1)}`" in page


# --- The guide's lists match what they list ---------------------------------------------------


def test_the_data_page_lists_every_table_of_the_package():
    import json

    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    page = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    listed = {name for row in rows for name in re.findall(r"`(\w+)`", row.split("|")[1])}
    assert {r["name"] for r in descriptor["resources"]} == listed


def test_the_reports_page_lists_every_notebook_with_its_parameters():
    page = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        row = next((line for line in page.splitlines() if line.startswith(f"| `{path.stem}` |")),
                   None)  # fmt: skip
        assert row, f"no row for {path.stem} in docs/reports.md#the-four-reports"
        others = notebook_parameters(path) - {"region", "lang"}
        assert all(f"`{name}`" in row for name in others), (path.stem, others)


def test_the_methodology_page_explains_every_topic_of_the_reports_appendix():
    from maslihat.appendix import METHODS

    page = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8").lower()
    for topic, text in METHODS.items():
        term = re.match(r"\*\*(.+?)\.?\*\*", text).group(1).rstrip(".")
        assert term.lower() in page, (topic, term)
