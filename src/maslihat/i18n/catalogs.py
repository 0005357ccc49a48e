"""Message catalogs: extract every message of the package and the notebooks with Babel, update the
Kazakh and Russian catalogs, and list what a catalog lacks.

    python -m maslihat.i18n.catalogs update   # `make messages`: extract, then merge into kk and ru
    python -m maslihat.i18n.catalogs check    # exit 1 and list what is untranslated

Messages are the first argument of `_`, `N_` and `say`, both arguments of `n_`, the second of
`p_` (whose first is the message's context), in `src/` and in the notebooks' code cells, and
every notebook Markdown cell as a whole (its headings and prose).
"""

from __future__ import annotations

import ast
import csv
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from maslihat.i18n.languages import DEFAULT, LANGUAGE_NAMES, LANGUAGES
from maslihat.i18n.messages import DOMAIN, catalog_path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # src/maslihat
ROOT = PACKAGE_DIR.parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2), "p_": ((1, "c"), 2)}  # p_: context, message
# In the notebooks `say` and `md` (and their plural forms) take messages; in src/, `say` is also the
# CLI's print.
NOTEBOOK_KEYWORDS = KEYWORDS | {"say": None, "md": None, "say_n": (1, 2), "md_n": (1, 2)}
# Text from the data that reports show translated (through `_`): the notes that tell two figures
# of one source apart ("opening sentence", "text").
DATA_MESSAGES = {"turnout_national.csv": ("note",)}
DATA_DIR = ROOT / "data"
COPYRIGHT = "the maslihat authors"


Found = tuple[int, str | tuple[str, str], list[str], str | None]  # line, message, notes, context


def _python_messages(source: bytes, keywords: dict = KEYWORDS) -> Iterator[Found]:
    found = set()
    for lineno, message, comments, context in extract(
        "python", io.BytesIO(source), keywords, ["Translators:"]
    ):
        found.add((message, context))
        yield lineno, message, comments, context
    # Babel's extractor skips a message call inside another's arguments (`say("…", x=_("…"))`,
    # `_("…", parts=_("…"))`): the syntax tree finds every call.
    for lineno, message, context in _nested_messages(source, keywords):
        if (message, context) not in found:
            found.add((message, context))
            yield lineno, message, [], context


def _nested_messages(
    source: bytes, keywords: dict
) -> Iterator[tuple[int, str | tuple[str, str], str | None]]:
    """Every keyword call whose message arguments are string literals, anywhere in the source,
    with its context (the argument a spec marks "c", as `p_`'s first)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in keywords):  # fmt: skip
            continue
        spec = keywords[node.func.id] or (1,)
        places = [i[0] if isinstance(i, tuple) else i for i in spec]
        texts = [node.args[i - 1] for i in places if len(node.args) >= i]
        if len(texts) == len(spec) and all(
            isinstance(t, ast.Constant) and isinstance(t.value, str) for t in texts
        ):
            context = next((t.value for t, i in zip(texts, spec, strict=True)
                            if isinstance(i, tuple)), None)  # fmt: skip
            values = tuple(t.value for t, i in zip(texts, spec, strict=True)
                           if not isinstance(i, tuple))  # fmt: skip
            yield node.lineno, values if len(values) > 1 else values[0], context


def notebook_messages(path: Path, template: bool = False) -> Iterator[Found]:
    """Messages of one notebook: Markdown cells whole, `_`/`say`/`n_` calls in code cells; the
    'line' is the cell's number. A `template` (the starter of `maslihat new`) has no title of its
    own: `maslihat new` writes the report's."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    about = notebook.get("metadata", {}).get("maslihat", {})
    for key in ("title", "description"):
        if isinstance(about.get(key), str) and about[key].strip() and not template:
            yield 0, about[key].strip(), [f"The report's {key} (notebook metadata)."], None
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if template and number == 1 and cell.get("cell_type") == "markdown":
            continue  # '# Title': `maslihat new` writes the title, the reports leave it out
        if cell.get("cell_type") == "markdown" and source.strip():
            yield number, source.strip(), [], None
        elif cell.get("cell_type") == "code":
            for _line, message, notes, context in _python_messages(source.encode(),
                                                                    NOTEBOOK_KEYWORDS):  # fmt: skip
                yield number, message, notes, context


def _location(path: Path) -> str:
    """A file as the catalogs name it: relative to the repository, else as given."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def messages(notebooks_dir: Path = NOTEBOOKS_DIR) -> Catalog:
    """Every message the reports can show, with where it comes from."""
    catalog = Catalog(project="maslihat", copyright_holder=COPYRIGHT, fuzzy=False)
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for lineno, message, comments, context in _python_messages(path.read_bytes()):
            catalog.add(message, locations=[(path.relative_to(ROOT).as_posix(), lineno)],
                        auto_comments=comments, context=context)  # fmt: skip
    from maslihat.scaffold import STARTER

    notebooks = [(STARTER, True), *((p, False) for p in sorted(notebooks_dir.glob("*.ipynb")))]
    for path, template in notebooks:
        for cell, message, comments, context in notebook_messages(path, template):
            catalog.add(message, locations=[(_location(path), cell)],
                        auto_comments=comments, context=context)  # fmt: skip
    for table, columns in DATA_MESSAGES.items():
        with (DATA_DIR / table).open(encoding="utf-8-sig") as rows:
            for line, row in enumerate(csv.DictReader(rows), start=2):
                for column in columns:
                    if row.get(column, "").strip():
                        catalog.add(row[column].strip(), locations=[(f"data/{table}", line)],
                                    auto_comments=[f"Column '{column}' of the data."])  # fmt: skip
    return catalog


def read_catalog(lang: str) -> Catalog:
    """A language's catalog as it is on disk (an empty one if there is none yet)."""
    path = catalog_path(lang)
    if not path.exists():
        return Catalog(
            locale=lang, domain=DOMAIN, project="maslihat", copyright_holder=COPYRIGHT,
            fuzzy=False, header_comment=f"# {LANGUAGE_NAMES[lang]} ({lang}) messages of the "
            "maslihat reports.\n# Update with `make messages`; translate every msgstr.",
        )
    with path.open("rb") as po:
        return read_po(po, locale=lang, domain=DOMAIN)


def update(notebooks_dir: Path = NOTEBOOKS_DIR) -> None:
    """Extract the messages and merge them into each language's catalog (new ones untranslated,
    vanished ones dropped; no fuzzy guesses, which would print a wrong sentence)."""
    template = messages(notebooks_dir)
    for lang in LANGUAGES:
        if lang == DEFAULT:
            continue
        catalog = read_catalog(lang)
        template.creation_date = catalog.creation_date  # an unchanged catalog stays unchanged
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        path = catalog_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po:
            write_po(po, catalog, width=100, sort_output=False, omit_header=False,
                     include_previous=False)  # fmt: skip


def _translated(catalog: Catalog, message_id: str | tuple[str, str],
                context: str | None = None) -> bool:
    """Whether a catalog translates a message (every plural form, not fuzzy)."""
    found = catalog.get(message_id, context=context)
    strings = (
        [] if found is None else
        list(found.string) if isinstance(found.string, tuple) else [found.string]
    )  # fmt: skip
    return not (found is None or found.fuzzy or not strings or not all(strings))


def missing(lang: str) -> list[str]:
    """Messages of the package and notebooks that the language's catalog does not translate."""
    catalog = read_catalog(lang)
    return [message.id if isinstance(message.id, str) else message.id[0]
            for message in messages()
            if message.id and not _translated(catalog, message.id, message.context)]


def untranslated(notebook: Path, lang: str) -> list[str]:
    """Messages of one notebook that a report in `lang` would print in English: its title and
    description, Markdown cells and message calls the language's catalog lacks (its own '# Title'
    line, which reports leave out, apart)."""
    from contextlib import redirect_stderr

    catalog = read_catalog(lang)
    gaps = []
    # Babel writes to stderr of any f-string among a message call's arguments, even a value's
    # (`_("{then}", then=f"{year}")`): `make messages` shows it; a render does not repeat it.
    with redirect_stderr(io.StringIO()):
        found = list(notebook_messages(Path(notebook)))
    for cell, message, _comments, context in found:
        if cell == 1 and isinstance(message, str) and message.startswith("# ") \
                and "\n" not in message:
            continue
        if not _translated(catalog, message, context):
            gaps.append(message if isinstance(message, str) else message[0])
    return list(dict.fromkeys(gaps))


def main(argv: list[str] | None = None) -> int:
    """`update` the catalogs or `check` them."""
    args = sys.argv[1:] if argv is None else argv
    if args == ["update"]:
        update()
        for lang in LANGUAGES[1:]:
            print(f"{catalog_path(lang).relative_to(ROOT)}: {len(missing(lang))} untranslated")
        return 0
    if args == ["check"]:
        failed = False
        for lang in LANGUAGES[1:]:
            for message in missing(lang):
                failed = True
                print(f"{lang}: untranslated: {message[:90]!r}")
        return 1 if failed else 0
    print("usage: python -m maslihat.i18n.catalogs update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
