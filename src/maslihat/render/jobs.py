"""What a render is made of: report jobs, their results, the run's summary, report file names."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from maslihat.i18n import N_

# The package folder (as maslihat.exporters.PACKAGE_DIR, which would load nbconvert and Altair).
PACKAGE_DIR = Path(__file__).resolve().parents[1]

FORMATS = ("html", "pdf")
NOTEBOOKS_DIR = PACKAGE_DIR.parents[1] / "notebooks"
DEFAULT_OUT_DIR = Path("reports")
DEFAULT_TIMEOUT = 300.0  # seconds a single cell may run before its kernel is stopped
EXECUTED_DIR = "executed"

Stage = Literal["read", "execute", "export", "check", "print"]
# Where a report failed, in words ("failed while ..."); None: its worker process died.
# English in the terminal; the index shows them in its language (they are catalog messages).
STAGE_WORDS = {
    "read": N_("reading the notebook"),
    "execute": N_("running the notebook"),
    "export": N_("making the HTML"),
    "check": N_("drawing the HTML's charts"),
    "print": N_("printing the PDF"),
}
WORKER_DIED = N_("rendering (its worker process died)")
# What `maslihat render --verbose` times for each report, in its order, with the words it prints.
TIMED_STAGES = {
    "kernel": "kernel",  # starting or resetting the kernel: what a notebook's cells do not do
    "notebook": "notebook",  # its cells, as papermill timed them
    "export": "HTML export",
    "charts": "charts drawn",  # the page opened in Chromium, its charts drawn and checked
    "print": "PDF printed",
}


class RenderError(Exception):
    """A report cannot be rendered as asked; the message says why and what to do."""


class RenderInputError(RenderError, ValueError):
    """Unknown notebook, region, format or parameter; the message lists what exists."""


class RenderOutputError(RenderError, OSError):
    """The output folder cannot be used or written (a file, not writable, full, or in use)."""


class Interrupted(KeyboardInterrupt):
    """A render stopped by a signal (SIGTERM) as Ctrl-C stops it; `signum` says which."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


# Russian and Kazakh Cyrillic in Latin letters, so that region names in Cyrillic get distinct slugs.
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch - y - e yu ya a g q n o u "
        "u h i".split(),
        strict=True,
    )
)
_TRANSLITERATE = str.maketrans({k: ("" if v == "-" else v) for k, v in _CYRILLIC.items()})


def slugify(name: str) -> str:
    """File-name form of a region: 'East Kazakhstan' → 'east-kazakhstan', 'Алматы' → 'almaty'.

    Letters that have no Latin form leave a short hash of the name, so distinct names stay distinct.
    """
    decomposed = unicodedata.normalize("NFKD", name.lower().translate(_TRANSLITERATE))
    slug = re.sub(r"[^a-z0-9]+", "-", decomposed.encode("ascii", "ignore").decode()).strip("-")
    dropped = any(unicodedata.category(c)[0] in "LN" for c in decomposed if not c.isascii())
    if dropped or not slug:
        slug = "-".join(filter(None, [slug, hashlib.sha1(name.encode()).hexdigest()[:8]]))
    return slug


Variant = tuple[tuple[str, Any], ...]  # the parameters of a report that are not its defaults


def value_text(value: Any) -> str:
    """A parameter value as a report names it: '20:00', '5', '5.5', 'None', 'regional'."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def variant_suffix(variant: Variant) -> str:
    """The part of a file name that names parameters other than the defaults: '--as-of-20-00'."""
    return "".join(f"--{slugify(key)}-{slugify(value_text(value))}" for key, value in variant)


def report_name(notebook: str, region: str, variant: Variant = ()) -> str:
    """Base file name of a report: '03-seat-shares--east-kazakhstan'; with parameters other than
    the notebook's defaults, each named with its value: '01-turnout--akmola--as-of-20-00'."""
    return f"{notebook}--{slugify(region)}{variant_suffix(variant)}"


@dataclass(frozen=True)
class ReportJob:
    """One report to make: a notebook run for one region, exported to some formats."""

    notebook: str
    path: Path
    region: str
    parameters: dict[str, Any]
    formats: tuple[str, ...]
    out_dir: Path
    key: str
    title: str
    timeout: float
    data_version: str
    generated_at: str
    reuse_kernel: bool = True
    print_from_html: bool = False  # only the PDF is missing: print the HTML made from the same key
    chromium: str | None = None  # version of the Chromium that prints the PDF, when one is asked
    description: str = ""  # one line on what the report shows (notebook metadata), for the index
    lang: str = "en"  # the report's language: file names end in it, '03-seat-shares--akmola.ru'
    variant: Variant = ()  # parameters other than the notebook's defaults, named in the file name

    @property
    def name(self) -> str:
        return f"{report_name(self.notebook, self.region, self.variant)}.{self.lang}"

    def output(self, fmt: str) -> Path:
        return self.out_dir / f"{self.name}.{fmt}"

    @property
    def data_dir(self) -> Path:
        """Folder of the report's data files (CSV of its tables and charts), beside its HTML."""
        from maslihat.downloads import DATA_SUFFIX

        return self.out_dir / f"{self.name}{DATA_SUFFIX}"

    @property
    def executed(self) -> Path:
        return self.out_dir / EXECUTED_DIR / f"{self.name}.ipynb"


@dataclass
class ReportResult:
    """What became of one report."""

    name: str
    notebook: str
    region: str
    title: str
    status: Literal["rendered", "cached", "failed"]
    outputs: dict[str, Path] = field(default_factory=dict)
    executed: Path | None = None
    error: str | None = None
    seconds: float = 0.0
    stage: Stage | None = None  # where a failed report stopped; None when its worker died
    files: dict[str, dict[str, Any]] = field(default_factory=dict)  # format → hash and size made
    lang: str = "en"
    stages: dict[str, float] = field(default_factory=dict)  # TIMED_STAGES → seconds it took

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def failed_while(self) -> str:
        """The failing stage in words: 'running the notebook', 'printing the PDF', ..."""
        return STAGE_WORDS.get(self.stage or "", WORKER_DIED)

    def timing(self) -> str:
        """Where the report's time went: 'kernel 0.1 s, notebook 1.2 s, ... (2.0 s)'."""
        parts = [f"{TIMED_STAGES[s]} {self.stages[s]:.2f} s" for s in TIMED_STAGES
                 if s in self.stages]  # fmt: skip
        return f"{', '.join(parts)}; {self.seconds:.2f} s" if parts else f"{self.seconds:.2f} s"

    @property
    def executed_note(self) -> str | None:
        """What the executed notebook shows about a failure, when it was written."""
        if self.executed is None or not self.executed.exists():
            return None
        if self.stage == "execute":
            return "the executed notebook shows where it stopped"
        return "executed notebook"


def failed_result(job: ReportJob, error: str, stage: Stage | None = None) -> ReportResult:
    """The result of a job that failed before or outside its worker."""
    result = ReportResult(job.name, job.notebook, job.region, job.title, "failed", stage=stage,
                          lang=job.lang)  # fmt: skip
    result.error = error
    return result


@dataclass
class RenderSummary:
    """Every report of a run: rendered, served from the cache, or failed (with where to look)."""

    results: list[ReportResult]
    out_dir: Path
    index: Path | None
    seconds: float
    books: list[Any] = field(default_factory=list)  # render.book.BookResult, one per notebook
    notes: list[str] = field(default_factory=list)  # what the run did other than asked, and why

    def _with(self, status: str) -> list[ReportResult]:
        return [r for r in self.results if r.status == status]

    @property
    def rendered(self) -> list[ReportResult]:
        return self._with("rendered")

    @property
    def cached(self) -> list[ReportResult]:
        return self._with("cached")

    @property
    def failed(self) -> list[ReportResult]:
        return self._with("failed")

    @property
    def ok(self) -> bool:
        return not self.failed and all(book.ok for book in self.books)

    def describe(self, verbose: bool = False) -> str:
        """A few lines for the terminal: counts, the index, and each failure with its notebook
        (`verbose`: and how long each book took)."""
        lines = [
            f"{len(self.rendered)} rendered, {len(self.cached)} unchanged (cache), "
            f"{len(self.failed)} failed in {self.seconds:.1f} s"
            + (f"; index: {self.index}" if self.index else "")
        ]
        lines += self.notes
        for result in self.failed:
            lines.append(f"FAILED {result.name} while {result.failed_while}: {result.error}")
            if note := result.executed_note:
                lines.append(f"  {note}: {result.executed}")
        for book in self.books:
            if not book.ok:
                lines.append(f"FAILED book {book.path.name}: {book.error}")
                continue
            state = "unchanged" if book.status == "cached" else "made"
            missing = f"; without {', '.join(book.failed_places)} (failed)" * bool(
                book.failed_places
            )
            took = f"; {book.seconds:.2f} s" if verbose else ""
            lines.append(f"book ({state}): {book.path} ({book.pages} pages{missing}{took})")
        return "\n".join(lines)
