"""Render report notebooks to HTML and PDF: papermill runs them, nbconvert exports, Chromium prints.

`render_reports` runs every (notebook × region) in parallel worker processes (`pool`). Each worker
keeps one warm kernel (`maslihat.kernels`) and one headless Chromium (`maslihat.chromium`) for all
its reports, and makes each report in `execute`. The output folder is locked for one render at a
time (`files`); a content-hash cache (`cache`) skips reports whose inputs and files did not change;
`index` writes index.html. What is asked for is checked before anything runs (`inputs`).
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maslihat.chromium import ChromiumError, chromium_version, find_chromium
from maslihat.params import ALL, place_order, valid_regions
from maslihat.render.cache import (
    CACHE_FILE,
    environment_key,
    read_cache,
    remember,
    report_key,
    still_valid,
    write_cache,
)
from maslihat.render.files import LOCK_FILE, output_folder
from maslihat.render.inputs import (
    DATA_DIR_ENV,
    available_notebooks,
    check_distinct_names,
    check_parameter_values,
    check_parameters,
    data_dir,
    election_data,
    english_only_note,
    language_notes,
    notebook_is_national,
    places_of,
    plan_jobs,
    read_notebook,
    select_formats,
    select_languages,
    select_notebooks,
    select_regions,
)
from maslihat.render.jobs import (
    DEFAULT_OUT_DIR,
    DEFAULT_TIMEOUT,
    EXECUTED_DIR,
    FORMATS,
    NOTEBOOKS_DIR,
    Interrupted,
    RenderError,
    RenderInputError,
    RenderOutputError,
    RenderSummary,
    ReportJob,
    ReportResult,
    failed_result,
    report_name,
    slugify,
    variant_suffix,
)

if TYPE_CHECKING:
    from maslihat.data import ElectionData
    from maslihat.render.book import BookResult

# Loaded when first used: a render with nothing to do never needs nbconvert, papermill, Altair or
# pandas (the `maslihat render` command answers in a fraction of a second).
_LAZY = {
    "BookResult": "maslihat.render.book",
    "render_job": "maslihat.render.execute",
    "write_index": "maslihat.render.index",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BookResult", "CACHE_FILE", "DATA_DIR_ENV", "DEFAULT_OUT_DIR", "DEFAULT_TIMEOUT",
    "EXECUTED_DIR", "FORMATS",
    "NOTEBOOKS_DIR", "Interrupted", "RenderError", "RenderInputError", "RenderOutputError",
    "RenderSummary", "ReportJob", "ReportResult", "all_regions", "available_notebooks",
    "check_parameters", "chromium_version", "data_dir", "election_data", "environment_key",
    "find_chromium", "read_cache",
    "remember", "render_job", "render_reports", "report_key", "report_name", "select_formats",
    "select_notebooks", "select_regions", "slugify", "still_valid", "write_cache", "write_index",
]  # fmt: skip


def all_regions() -> list[str]:
    """'All' and every region: what --all-regions renders."""
    return valid_regions(election_data())


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """Make SIGTERM stop a render as Ctrl-C does (only the main thread can take signals)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _written(action, path: Path):
    """Run a write into the output folder; a failure (full disk, ...) says which file."""
    try:
        return action()
    except OSError as err:
        raise RenderOutputError(f"cannot write {path}: {err.strerror or err}") from None


def render_reports(
    notebooks: list[str] | None = None,
    regions: list[str] | None = None,
    formats: Sequence[str] = FORMATS,
    out_dir: Path | str = DEFAULT_OUT_DIR,
    force: bool = False,
    parameters: dict[str, Any] | None = None,
    notebooks_dir: Path | str = NOTEBOOKS_DIR,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    reuse_kernels: bool = True,
    progress: bool | None = None,
    all_regions: bool = False,
    book: bool = False,
    languages: Sequence[str] = ("en",),
    verbose: bool = False,
) -> RenderSummary:
    """Render each (notebook × region) to the formats, in parallel, skipping unchanged reports.

    `all_regions` renders 'All' and every region (instead of `regions`). `book` also writes one
    election book per language, `<out>/book.<lang>.pdf` and `.html` (it needs the HTML reports).
    `languages` ('en', 'kk', 'ru') renders each report in each language. `verbose` prints a
    line per report made, with the time of each stage (`ReportResult.stages`), to stderr.

    Raises RenderInputError for unknown notebooks, regions, formats or parameters (and parameter
    values the notebooks cannot use), RenderOutputError when the output folder cannot be used or
    written (or another render holds it), ChromiumError when a PDF is asked for and no working
    Chromium is installed, and KeyboardInterrupt (Interrupted for SIGTERM) when stopped; the
    folder is then left consistent. A notebook that fails or times out (`timeout`: seconds per
    cell) is listed in the summary's failures, as is a notebook file that cannot be read.
    """
    start = time.monotonic()
    if not (force or book or parameters):
        unchanged = nothing_to_do(notebooks, regions, formats, out_dir, notebooks_dir, timeout,
                                  all_regions, languages)  # fmt: skip
        if unchanged is not None:
            return unchanged
    from maslihat.exporters import data_version_label
    from maslihat.render.index import write_index
    from maslihat.render.pool import run_pool

    chosen = select_notebooks(notebooks, Path(notebooks_dir))
    if all_regions and regions:
        raise RenderInputError("give regions or all_regions, not both")
    if isinstance(timeout, bool) or not (isinstance(timeout, int | float) and timeout > 0
                                         and math.isfinite(timeout)):  # fmt: skip
        raise RenderInputError(f"timeout must be a number of seconds above 0, got {timeout!r}")
    loaded: list[ElectionData] = []

    def data() -> ElectionData:
        if not loaded:
            loaded.append(election_data())
        return loaded[0]

    chosen_regions = valid_regions(data()) if all_regions else select_regions(
        regions, data() if regions else None
    )  # fmt: skip
    check_distinct_names(chosen_regions)
    chosen_formats = select_formats(formats)
    chosen_languages = select_languages(languages)
    if book and "html" not in chosen_formats:
        raise RenderInputError(
            "a book is made of the HTML reports: add html to the formats (--format html pdf), "
            "or leave --format out"
        )
    if book:
        find_chromium()  # the book's PDF is printed whatever the reports' formats
    parameters = dict(parameters or {})
    read = {name: read_notebook(path) for name, path in chosen.items()}
    check_parameters(parameters, {n: nb.parameters for n, nb in read.items() if not nb.problem})
    notes = language_notes(chosen_languages, read)
    check_parameter_values(parameters, data)
    if "pdf" in chosen_formats:
        find_chromium()
    out = Path(out_dir).resolve()
    data_folder = data_dir().resolve()
    if out == data_folder or data_folder in out.parents:
        raise RenderInputError(
            f"the output folder {out} is inside the data folder {data_folder}: reports there "
            "would change the data every report depends on; choose a folder outside it"
        )

    with output_folder(out), _signals_interrupt():
        version_of_data = data_version_label()
        planned = plan_jobs(
            read, chosen_regions, chosen_formats, parameters, out, timeout, reuse_kernels,
            version_of_data, chosen_languages,
        )  # fmt: skip
        cache = read_cache(out)
        results: list[ReportResult] = []
        to_run: list[ReportJob] = []
        for job in planned:
            problem = read[job.notebook].problem
            valid = set() if force or problem else still_valid(job, cache.get(job.name))
            missing = tuple(f for f in job.formats if f not in valid)
            if problem:
                results.append(failed_result(job, problem, "read"))
            elif not missing:
                outputs = {f: job.output(f) for f in job.formats}
                results.append(
                    ReportResult(job.name, job.notebook, job.region, job.title, "cached", outputs,
                                 lang=job.lang)
                )
            else:
                reprint = missing == ("pdf",) and "html" in valid  # its HTML has the same key
                to_run.append(replace(job, formats=missing, print_from_html=reprint))

        def on_result(job: ReportJob, result: ReportResult) -> None:
            results.append(result)
            if result.ok:
                remember(cache, job, result)
                _written(lambda: write_cache(out, cache), out / CACHE_FILE)

        workers = max(1, min(jobs or os.cpu_count() or 1, len(to_run) or 1))
        books: list[BookResult] = []

        def index() -> Path:
            failures = [r for r in results if not r.ok]
            return _written(
                lambda: write_index(out, cache, failures, version_of_data, _place_order(data),
                                    books, _cities(data)),
                out / "index.html",
            )  # fmt: skip

        try:
            run_pool(to_run, workers, str(data_dir()), progress, on_result, verbose)
            if book:
                books = _make_books(planned, results, out, version_of_data, timeout, data)
        except BaseException:  # interrupted, or the folder became unwritable: index what is there
            try:
                index()
            except RenderOutputError:
                pass
            raise
        index_path = index()
    by_name = {job.name: job for job in planned}
    order = {name: i for i, name in enumerate(by_name)}
    results.sort(key=lambda r: order[r.name])
    for result in results:
        if result.ok:
            job = by_name[result.name]
            result.outputs = {f: job.output(f) for f in job.formats}
    notes += national_notes({n: nb.national for n, nb in read.items()}, chosen_regions)
    return RenderSummary(results, out, index_path, time.monotonic() - start, books, notes)


def national_notes(national: dict[str, bool], regions: list[str]) -> list[str]:
    """One line for each national notebook asked for places: it is made once, for the country."""
    if all(region == ALL for region in regions):
        return []
    return [
        f"{name} has figures for the whole country only: rendered once, for the whole country"
        for name, is_national in national.items() if is_national
    ]  # fmt: skip


def _known_regions(folder: Path) -> list[str] | None:
    """'All' and the places of `valid_regions` in its order, read with the csv module (no pandas,
    no checks): the regions of the regional-seat table, then the cities with city results.
    None when the data folder does not have the shape this expects."""
    import csv
    import json

    def rows(resource: str) -> list[dict[str, str]]:
        path = folder / paths[resource]
        if not path.is_file():  # a named pipe would block here: the full path says what it is
            raise OSError(f"{path} is not a regular file")
        with open(path, encoding="utf-8-sig", newline="") as f:  # as data.py: a BOM is no text
            return list(csv.DictReader(f))

    try:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        paths = {r["name"]: r["path"] for r in descriptor["resources"]}
        regional = [row["region"] for row in rows("regional_seats")]
        cities = [row["region"] for row in rows("regions") if row["kind"] == "city"]
        with_results = {row["region"] for row in rows("city_results")}
    except (OSError, ValueError, KeyError, TypeError, csv.Error):
        return None
    return place_order([*regional, *(c for c in cities if c in with_results)], cities)


def nothing_to_do(
    notebooks: list[str] | None,
    regions: list[str] | None,
    formats: Sequence[str],
    out_dir: Path | str,
    notebooks_dir: Path | str,
    timeout: float,
    all_regions: bool = False,
    languages: Sequence[str] = ("en",),
) -> RenderSummary | None:
    """The summary of a render (without parameters, --force or --book) that finds every report
    asked for in the output folder, made from the same inputs; None when anything is to be made,
    checked or refused, which `render_reports` then does the long way.

    It reads no notebook and loads neither the data (pandas) nor nbconvert, papermill or Altair:
    a report's cache key covers its notebook's bytes and the data folder's, so a valid entry means
    they are as they were when the report was made (and checked). Regions must be given by their
    names (any case); other spellings go the long way, which knows them.
    """
    start = time.monotonic()
    if all_regions and regions:
        return None
    try:
        chosen = select_notebooks(notebooks, Path(notebooks_dir))
        chosen_formats = select_formats(formats)
        chosen_languages = select_languages(languages)
    except RenderInputError:
        return None
    if isinstance(timeout, bool) or not (isinstance(timeout, int | float) and timeout > 0
                                         and math.isfinite(timeout)):  # fmt: skip
        return None
    out = Path(out_dir).resolve()
    cache = read_cache(out)
    if not cache or not (out / "index.html").is_file():
        return None
    known = _known_regions(data_dir()) if all_regions or regions else [ALL]
    if known is None:
        return None
    by_name = {name.casefold(): name for name in known}
    wanted = known if all_regions else [by_name.get(r.strip().casefold()) for r in regions or [ALL]]
    if None in wanted:
        return None
    chosen_regions = list(dict.fromkeys(wanted))
    try:
        check_distinct_names(chosen_regions)
    except RenderInputError:
        return None

    printer: list[str | BaseException] = []
    if "pdf" in chosen_formats:  # `chromium --version` (50 ms) runs while the files are hashed
        def ask() -> None:
            try:
                printer.append(chromium_version(find_chromium()))
            except ChromiumError as err:
                printer.append(err)

        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
    environment = environment_key(data_dir(), {path.parent for path in chosen.values()})
    if "pdf" in chosen_formats:
        asking.join()
        if isinstance(printer[0], BaseException):
            return None
    def cached(notebook: str, path: Path, region: str, lang: str, with_lang: bool):
        """The cached result of one report, if its files are as made from these inputs: the key
        plan_jobs makes, with `lang` when the notebook declares it (not read here)."""
        parameters = {"region": region, "lang": lang} if with_lang else {"region": region}
        job = ReportJob(
            notebook=notebook, path=path, region=region, parameters=parameters,
            formats=chosen_formats, out_dir=out, key=report_key(path, parameters, environment),
            title="", timeout=timeout, data_version="", generated_at="",
            chromium=printer[0] if printer else None, lang=lang,
        )  # fmt: skip
        entry = cache.get(job.name)
        if entry is None or not set(chosen_formats) <= still_valid(job, entry):
            return None
        outputs = {f: job.output(f) for f in chosen_formats}
        return ReportResult(job.name, notebook, region, str(entry.get("title", "")), "cached",
                            outputs, lang=lang)  # fmt: skip

    results, notes = [], []
    for notebook, path in chosen.items():
        # A notebook without a `lang` parameter is rendered in English alone, its key made without
        # one: a valid record so made says that this notebook (whose bytes the key covers) has
        # none.
        places = places_of(notebook_is_national(path), chosen_regions)
        english_only = cached(notebook, path, places[0], "en", False) is not None
        for region, lang in ((r, lang) for r in places
                             for lang in (("en",) if english_only else chosen_languages)):
            result = cached(notebook, path, region, lang, not english_only)
            if result is None:
                return None
            results.append(result)
        if english_only and set(chosen_languages) - {"en"}:
            notes.append(english_only_note(notebook, [x for x in chosen_languages if x != "en"]))
    if _locked(out):  # another render is writing: the long way says so
        return None
    notes += national_notes({n: notebook_is_national(p) for n, p in chosen.items()},
                            chosen_regions)  # fmt: skip
    return RenderSummary(results, out, out / "index.html", time.monotonic() - start, [], notes)


def _locked(out: Path) -> bool:
    """Whether another render holds the output folder (the lock `output_folder` takes)."""
    import fcntl

    try:
        with open(out / LOCK_FILE, "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(f, fcntl.LOCK_UN)
    except OSError:
        return True
    return False


def _place_order(data) -> list[str]:
    """Places in the order books and the index list them: the whole country, regions, cities."""
    try:
        return valid_regions(data())
    except RenderInputError:
        return []


def _cities(data) -> list[str]:
    """The places that are cities (a book's cover counts regions and cities)."""
    try:
        regions = data().regions
    except RenderInputError:
        return []
    return list(regions.loc[regions["kind"] == "city", "region"])


def _make_books(
    planned: list[ReportJob],
    results: list[ReportResult],
    out: Path,
    version_of_data: str,
    timeout: float,
    data,
) -> list[BookResult]:
    """One election book per language of the run, from its reports' HTML (failed ones listed),
    printed one after another with one Chromium (two at once would hold two books' pages in
    memory), each composed while the one before is printed."""
    from maslihat.chromium import Chromium
    from maslihat.i18n import language
    from maslihat.render.book import (
        BOOK_TIMEOUT,
        BookComposer,
        Member,
        book_cover,
        book_facts,
        book_is_current,
        make_book,
        order_places,
    )

    by_name = {r.name: r for r in results}
    browsers: list[Chromium] = []
    book_timeout = max(timeout, BOOK_TIMEOUT)

    def browser() -> Chromium:
        if not browsers:
            browsers.append(Chromium(timeout=book_timeout))
            browsers[0].start()
        return browsers[0]

    cities = _cities(data)
    changelog = data_dir() / "CHANGELOG.md"
    planned_books = []  # (language, parameters, members, place order, front matter)
    for lang, variant in dict.fromkeys((job.lang, job.variant) for job in planned):
        jobs = [job for job in planned if job.lang == lang and job.variant == variant]
        members = []
        with language(lang):  # the places in the alphabetical order of the book's language
            order = _place_order(data)
            facts = book_facts(version_of_data)  # its date in the book's language
        places = order_places(list(dict.fromkeys(job.region for job in jobs)), order)
        for place in places:
            for job in sorted((j for j in jobs if j.region == place), key=lambda j: j.notebook):
                result = by_name.get(job.name)
                if result is not None and result.ok and job.output("html").is_file():
                    members.append(Member(job.notebook, place, job.output("html"), job.title))
                else:
                    stage = result.failed_while if result is not None else "rendering"
                    members.append(Member(job.notebook, place, None, job.title, stage))
        planned_books.append((lang, variant, members, order, facts))

    books = []
    composing: dict[int, Any] = {}  # book → what gives it composed ahead

    def compose_ahead(composer: BookComposer, n: int) -> None:
        """Start composing book n (if there is one to make) while the one before is printed."""
        if n >= len(planned_books):
            return
        lang, variant, members, order, facts = planned_books[n]
        with language(lang):
            cover = book_cover(members, order, cities)
            try:
                current = book_is_current(out, lang, members, facts, cover, changelog,
                                          variant_suffix(variant))  # fmt: skip
            except OSError:
                return  # a member page is gone: making the book says so
        if any(m.html for m in members) and not current:
            # the first book's draft is printed by the Chromium that prints the book (started
            # while it is composed); the others' by the composer, while the one before prints
            composing[n] = composer.ahead(lang, members, facts, cover, changelog, draft=n > 0)

    try:
        with BookComposer(book_timeout) as composer:
            compose_ahead(composer, 0)  # forked before Chromium starts
            for n, (lang, variant, members, order, facts) in enumerate(planned_books):
                compose_ahead(composer, n + 1)
                clock = time.monotonic()
                with language(lang):
                    books.append(make_book(out, lang, members, facts, browser, order, cities,
                                           changelog, suffix=variant_suffix(variant),
                                           composed=composing.pop(n, None)))  # fmt: skip
                books[-1].seconds = time.monotonic() - clock
    finally:
        for b in browsers:
            b.close()
    return books
