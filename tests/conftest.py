"""Shared fixtures: the project's data, and a writable copy for breaking files on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from maslihat.data import DATA_DIR, ElectionData, load_all

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT.parent / "shared" / "seeds" / "2021_kazakh_local_elections.txt"
RESEARCH = ROOT.parent / "shared" / "research" / "election_facts.md"


@pytest.fixture(scope="session")
def data() -> ElectionData:
    """The project's data package, loaded once."""
    return load_all()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the data folder a test may edit."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def markdown_outputs(path: Path) -> str:
    """Every Markdown output of an executed notebook file, joined."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return "\n".join(
        out["data"]["text/markdown"]
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if "text/markdown" in out.get("data", {})
    )


def edit_csv(path: Path, old: str, new: str) -> None:
    """Replace one exact line of a CSV file; fail loudly if it is not there."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert old in lines, f"{old!r} not in {path.name}"
    lines[lines.index(old)] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def edit_cell(path: Path, key: tuple[str, str], column: str, value: str) -> None:
    """Set one cell of a CSV file, found by a key column's value; robust to added columns."""
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, table = reader.fieldnames, list(reader)
    matches = [row for row in table if row[key[0]] == key[1]]
    assert len(matches) == 1, f"{key} matches {len(matches)} rows of {path.name}"
    matches[0][column] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)


def find(obj, key):
    """Every value stored under key anywhere in a nested chart spec."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == key:
                yield v
            yield from find(v, key)
    elif isinstance(obj, list):
        for v in obj:
            yield from find(v, key)


# The boxes (in the page's pixels) of each line of the labels drawn on each map of the page, with
# the number of the label it belongs to (Vega writes a label of several lines as <tspan>s)
MAP_LABELS_JS = """
[...document.querySelectorAll("main .maslihat-chart-view > svg")]
  .filter((svg) => svg.querySelector(".mark-shape")).map((svg) =>
  [...svg.querySelectorAll(".mark-text text")].flatMap((text, label) => {
    const lines = text.querySelectorAll("tspan");
    return [...(lines.length ? lines : [text])].map((line) => {
      const box = line.getBoundingClientRect();
      return {label, text: line.textContent, left: box.left, top: box.top, right: box.right,
              bottom: box.bottom};
    });
  }).filter((line) => line.text))
"""


def overlapping(boxes: list[dict], gap: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of lines of different labels closer than `gap` pixels on both axes (the lines of one
    label stand 1 px apart)."""
    near = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (a["left"] < b["right"] + gap and b["left"] < a["right"] + gap
                    and a["top"] < b["bottom"] + gap and b["top"] < a["bottom"] + gap
                    and a["label"] != b["label"]):  # fmt: skip
                near.append((a["text"], b["text"]))
    return near
