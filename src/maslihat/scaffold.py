"""`maslihat new`: a new report notebook from the template shipped in the package.

The template (`starter/report.ipynb`) is a working report: title, a `parameters` cell, the set-up
cell every report has, one worked section (a computed sentence, a chart with its description, a
table), a chart of every place, and the sources of the data it reads.
"""

from __future__ import annotations

import re
from pathlib import Path

STARTER = Path(__file__).resolve().parent / "starter" / "report.ipynb"
# A report's name is its file name and part of its reports' file names: keep it a plain slug.
NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
NAME_RULE = (
    "lower-case letters a-z, digits and hyphens, starting with a letter or digit, at most 63 "
    "characters, e.g. 04-city-seats"
)


class NewReportError(ValueError):
    """The report cannot be created as asked; the message says why and what is valid."""


def title_from_name(name: str) -> str:
    """A readable default title: '04-city-seats' → 'City seats'."""
    words = name.split("-")
    while len(words) > 1 and words[0].isdigit():
        words = words[1:]
    return " ".join(words).capitalize()


def check_name(name: str) -> str:
    """The notebook name without .ipynb, if it is a file-name-safe slug; else NewReportError."""
    stem = name.removesuffix(".ipynb")
    if not NAME.fullmatch(stem):
        raise NewReportError(f"NAME {name!r} is not a valid report name: use {NAME_RULE}")
    return stem


def check_title(title: str, option: str = "--title") -> str:
    """The text without surrounding space, if it is one non-empty line; else NewReportError."""
    cleaned = title.strip()
    if not cleaned or "\n" in cleaned or "\r" in cleaned:
        raise NewReportError(f"{option} must be one line of text, got {title!r}")
    return cleaned


def new_report(
    name: str, notebooks_dir: Path | str, title: str | None = None, description: str | None = None
) -> Path:
    """Create notebooks_dir/NAME.ipynb from the template and return its path.

    The title goes into the notebook's metadata (`metadata.maslihat.title`, what the reports show)
    and its first heading; a description into `metadata.maslihat.description` (the index).
    Refuses an existing notebook and a name that is not a slug.
    """
    import nbformat

    stem = check_name(name)
    title = check_title(title) if title is not None else title_from_name(stem)
    if description is not None:
        description = check_title(description, "--description")
    folder = Path(notebooks_dir)
    if not folder.is_dir():
        raise NewReportError(f"--notebooks-dir {folder} is not a folder")
    target = folder / f"{stem}.ipynb"
    nb = nbformat.read(STARTER, as_version=4)
    nb.metadata["maslihat"] = {"title": title, **({"description": description} if description
                                                   else {})}  # fmt: skip
    nb.cells[0].source = f"# {title}"
    try:
        with open(target, "x", encoding="utf-8") as f:  # never replaces an existing notebook
            nbformat.write(nb, f)
    except FileExistsError:
        raise NewReportError(
            f"{target} already exists: choose another NAME (or edit that notebook)"
        ) from None
    except OSError as err:
        raise NewReportError(f"cannot write {target}: {err.strerror or err}") from None
    return target
