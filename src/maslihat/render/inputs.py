"""What a render is asked for: notebooks, regions, formats, parameters; checked before it runs."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from maslihat.chromium import ChromiumNotFoundError, chromium_version, find_chromium
from maslihat.params import ALL, ParameterError, check_choice, resolve_region, valid_regions
from maslihat.render.cache import environment_key, report_key
from maslihat.render.jobs import (
    FORMATS,
    NOTEBOOKS_DIR,
    PACKAGE_DIR,
    RenderInputError,
    ReportJob,
    Variant,
    slugify,
)

DATA_DIR_ENV = "MASLIHAT_DATA_DIR"  # maslihat.data's, which loads pandas
DATA_DIR = PACKAGE_DIR.parents[1] / "data"

if TYPE_CHECKING:  # maslihat.data loads pandas, nbformat jsonschema: imported where needed
    from maslihat.data import ElectionData


def available_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> dict[str, Path]:
    """Report notebooks by name (file name without .ipynb), in name order."""
    return {
        path.stem: path
        for path in sorted(Path(notebooks_dir).glob("*.ipynb"))
        if not path.name.startswith((".", "_"))
    }


def data_dir() -> Path:
    """The data folder the notebooks read (absolute: worker kernels start elsewhere).

    As `maslihat.data.resolve_data_dir()`, without loading maslihat.data (and pandas).
    """
    return Path(os.environ.get(DATA_DIR_ENV) or DATA_DIR).resolve()


def election_data() -> ElectionData:
    """The data the notebooks read (for its regions and their spellings)."""
    from maslihat.data import load_all

    try:
        return load_all(data_dir())
    except Exception as err:  # noqa: BLE001 - say which data folder could not be read
        raise RenderInputError(f"cannot read the regions from {data_dir()}: {err}") from err


def _listing(items: Iterable[str]) -> str:
    return ", ".join(items) or "(none)"


def select_notebooks(names: Sequence[str] | None, notebooks_dir: Path) -> dict[str, Path]:
    """The notebooks to render: all when names is None; unknown names raise, listing the valid."""
    found = available_notebooks(notebooks_dir)
    if names is None:
        if not found:
            raise RenderInputError(f"no notebooks (*.ipynb) in {notebooks_dir}")
        return found
    chosen = {}
    for name in names:
        stem = name.removesuffix(".ipynb")
        if stem not in found:
            raise RenderInputError(
                f"unknown notebook {name!r} in {notebooks_dir}. Notebooks: {_listing(found)}"
            )
        chosen[stem] = found[stem]
    return chosen


def check_distinct_names(regions: Sequence[str]) -> None:
    """Raise unless every region gets its own report file name, naming the regions that clash."""
    by_slug: dict[str, list[str]] = {}
    for region in regions:
        by_slug.setdefault(slugify(region), []).append(region)
    clashes = [(slug, names) for slug, names in by_slug.items() if len(names) > 1]
    if clashes:
        raise RenderInputError(
            "; ".join(
                f"regions {' and '.join(map(repr, names))} would share the report file name "
                f"'…--{slug}'"
                for slug, names in clashes
            )
            + ". Rename one of them in the data so their names differ in more than case or "
            "punctuation."
        )


def select_regions(names: Sequence[str] | None, data: ElectionData | None = None) -> list[str]:
    """Canonical region names ('All' when None), accepting what the notebooks accept."""
    if not names:
        return [ALL]
    data = data or election_data()
    chosen: list[str] = []
    for name in names:
        try:
            region = resolve_region(name, data)
        except ParameterError as err:
            reason = str(err).removeprefix("parameter 'region': ").split(". Valid regions:")[0]
            raise RenderInputError(
                f"{reason}. Regions: {_listing(valid_regions(data))} "
                "('All' = whole country; any case, the sources' spellings, the Kazakh and Russian "
                "names and '<name> Region' are accepted)"
            ) from None
        if region not in chosen:
            chosen.append(region)
    check_distinct_names(chosen)
    return chosen


def select_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """Output formats in canonical order; unknown ones raise, listing the valid."""
    chosen = [str(f).lower().lstrip(".") for f in formats]
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise RenderInputError(
            f"unknown format {', '.join(map(repr, unknown)) or '(none given)'}. "
            f"Formats: {_listing(FORMATS)}"
        )
    return tuple(f for f in FORMATS if f in chosen)


def select_languages(languages: Iterable[str]) -> tuple[str, ...]:
    """Report languages in canonical order (en, kk, ru); unknown ones raise, listing the valid."""
    from maslihat.i18n import LANGUAGE_ENGLISH_NAMES, LANGUAGES

    chosen = [str(lang).strip().lower() for lang in languages]
    unknown = [lang for lang in chosen if lang not in LANGUAGES]
    if unknown or not chosen:
        raise RenderInputError(
            f"unknown language {', '.join(map(repr, unknown)) or '(none given)'}. Languages: "
            + ", ".join(f"{code} ({name})" for code, name in LANGUAGE_ENGLISH_NAMES.items())
        )
    return tuple(lang for lang in LANGUAGES if lang in chosen)


def notebook_languages(languages: tuple[str, ...], declared: dict[str, Any]) -> tuple[str, ...]:
    """The languages a notebook is rendered in: those asked for when it has a `lang` parameter;
    English alone when it has none (it is written in English only, and a report named `.kk` or
    `.ru` would be an English one under a wrong name)."""
    return languages if "lang" in declared else ("en",)


def language_notes(
    languages: tuple[str, ...], notebooks: dict[str, Notebook]
) -> list[str]:
    """One line per notebook that is written in English only although other languages were asked
    for, and per notebook whose Kazakh or Russian reports would print messages the catalogs do
    not translate (which, and how many): the render goes on, saying so."""
    others = [lang for lang in languages if lang != "en"]
    if not others:
        return []
    notes = []
    for name, notebook in notebooks.items():
        if notebook.problem:
            continue
        if "lang" not in notebook.parameters:
            notes.append(english_only_note(name, others))
            continue
        notes += untranslated_notes(name, notebook.path, others)
    return notes


def english_only_note(name: str, others: Iterable[str]) -> str:
    """The line saying that a notebook without a `lang` parameter is rendered in English only."""
    from maslihat.i18n import LANGUAGE_ENGLISH_NAMES

    return (
        f"NOTE {name}: no 'lang' parameter, so it is written in English only: rendered in "
        f"English, not in {' or '.join(LANGUAGE_ENGLISH_NAMES[lang] for lang in others)} "
        "(docs/writing-reports.md, 'In Kazakh and Russian': add lang and use_language)"
    )


def untranslated_notes(name: str, path: Path, languages: list[str]) -> list[str]:
    """A warning naming the messages of a notebook that a language's catalog lacks, if any."""
    from maslihat.catalogs import untranslated
    from maslihat.i18n import LANGUAGE_ENGLISH_NAMES, catalog_path

    lacking = {lang: untranslated(path, lang) for lang in languages}
    lacking = {lang: found for lang, found in lacking.items() if found}
    if not lacking:
        return []
    counts = ", ".join(f"{len(found)} in {LANGUAGE_ENGLISH_NAMES[lang]}"
                       for lang, found in lacking.items())  # fmt: skip
    messages = list(dict.fromkeys(m for found in lacking.values() for m in found))
    shown = "; ".join(repr(m if len(m) <= 60 else m[:59] + "…") for m in messages[:5])
    more = f" and {len(messages) - 5} more" if len(messages) > 5 else ""
    catalogs = " and ".join(str(catalog_path(lang)) for lang in lacking)
    return [
        f"WARNING {name}: messages without a translation ({counts}) are printed in English in "
        f"those reports: {shown}{more}. Run `make messages`, then translate them in {catalogs}"
    ]


@dataclass(frozen=True)
class Notebook:
    """A notebook as the render needs it: its title and declared parameters, or why unreadable."""

    path: Path
    title: str
    parameters: dict[str, dict[str, Any]]
    problem: str | None = None
    description: str = ""
    national: bool = False  # metadata maslihat.scope "national": one report, for the country


def read_notebook(path: Path) -> Notebook:
    """Read a notebook's title and parameters; an unreadable one says why, naming the file."""
    import nbformat
    import papermill

    try:
        nb = nbformat.read(path, as_version=4)
        meta = nb.metadata.get("maslihat") if isinstance(nb.metadata.get("maslihat"), dict) else {}
        title = meta.get("title") or path.stem
        description = str(meta.get("description") or "")
        parameters = papermill.inspect_notebook(str(path))
    except Exception as err:  # noqa: BLE001 - empty, not JSON, not a notebook: all say the same
        reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        return Notebook(path, path.stem, {}, f"{path} is not a readable notebook ({reason})")
    if "region" not in parameters:  # this report fails, naming the file; the others render
        return Notebook(path, str(title), parameters, f"{path} has no 'region' in a cell tagged "
                        f"'parameters' (it has: {_listing(parameters)})", description)  # fmt: skip
    national = meta.get("scope") == NATIONAL
    return Notebook(path, str(title), parameters, description=description, national=national)


NATIONAL = "national"  # a notebook's metadata maslihat.scope: it has figures for the country only


def notebook_is_national(path: Path) -> bool:
    """Whether a notebook says it has figures for the whole country only (metadata
    maslihat.scope "national"), read with the json module: cheap enough for the render's fast
    path."""
    import json

    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {}).get("maslihat")
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(meta, dict) and meta.get("scope") == NATIONAL


def places_of(notebook_national: bool, regions: list[str]) -> list[str]:
    """The places a notebook is rendered for: the regions asked, or for a national notebook the
    whole country once (whatever places were asked)."""
    return [ALL] if notebook_national else regions


def check_parameters(
    parameters: dict[str, Any], declared: dict[str, dict[str, dict[str, Any]]]
) -> None:
    """Raise unless every parameter is declared by at least one selected notebook."""
    if "region" in parameters:
        raise RenderInputError("give the region with --region / regions=, not as a parameter")
    if "lang" in parameters:
        raise RenderInputError("give the language with --lang (languages=), not as a parameter")
    for name in parameters:
        if not any(name in params for params in declared.values()):
            listing = "; ".join(
                f"{nb}: {_listing(p for p in params if p != 'region')}"
                for nb, params in declared.items()
            )
            raise RenderInputError(f"unknown parameter {name!r}. Parameters: {listing}")


def _threshold(value: Any, data: ElectionData) -> Any:
    """threshold_pct: None, or a percentage some party reaches in the allocation illustration."""
    from maslihat.analysis import check_threshold

    return value if value is None else check_threshold(value, data)


def _hour(value: Any, data: ElectionData) -> Any:
    from maslihat.analysis import HOURS

    return check_choice("as_of", value, HOURS)


def _seat_basis(value: Any, data: ElectionData) -> Any:
    from maslihat.analysis import SEAT_BASES

    return check_choice("seat_basis", value, list(SEAT_BASES))


# The report notebooks' parameters whose values can be checked before any notebook runs.
VALUE_CHECKS: dict[str, Callable[[Any, ElectionData], Any]] = {
    "threshold_pct": _threshold,
    "as_of": _hour,
    "seat_basis": _seat_basis,
}


def check_parameter_values(parameters: dict[str, Any], data: Callable[[], ElectionData]) -> None:
    """Refuse, before anything runs, a parameter value the report notebooks cannot use."""
    for name, value in parameters.items():
        if name in VALUE_CHECKS:
            try:
                VALUE_CHECKS[name](value, data())
            except ParameterError as err:
                raise RenderInputError(str(err)) from None


def parameters_variant(given: dict[str, Any], declared: dict[str, dict[str, Any]]) -> Variant:
    """The given parameters whose value is not the notebook's default, by name: they make the
    report another one, named so in its file name and title block (`-p as_of=20:00`)."""
    import ast

    variant = []
    for name in sorted(given):
        default = declared.get(name, {}).get("default")
        try:
            same = ast.literal_eval(str(default)) == given[name]
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            same = False  # a default that is an expression: the value given is named
        if not same:
            variant.append((name, given[name]))
    return tuple(variant)


def plan_jobs(
    notebooks: dict[str, Notebook],
    regions: list[str],
    formats: tuple[str, ...],
    parameters: dict[str, Any],
    out_dir: Path,
    timeout: float,
    reuse_kernels: bool,
    version_of_data: str,
    languages: tuple[str, ...] = ("en",),
) -> list[ReportJob]:
    """One job per (notebook × region × language), with its cache key and the parameters it
    declares."""
    printer = chromium_version(find_chromium()) if "pdf" in formats else None
    if printer is None:
        try:  # the Chromium that checks the HTML's charts: it answers, or the render stops here
            chromium_version(find_chromium())
        except ChromiumNotFoundError:
            pass  # no Chromium: HTML reports are made, their charts unchecked
    environment = environment_key(data_dir(), {nb.path.parent for nb in notebooks.values()})
    generated_at = datetime.now().astimezone().isoformat(timespec="seconds")
    jobs = []
    for name, notebook in notebooks.items():
        own = {k: v for k, v in parameters.items() if k in notebook.parameters}
        variant = parameters_variant(own, notebook.parameters)
        written_in = notebook_languages(languages, notebook.parameters)
        places = places_of(notebook.national, regions)
        for region, lang in ((r, lang) for r in places for lang in written_in):
            values = {**own, "region": region}
            if "lang" in notebook.parameters:
                values["lang"] = lang
            jobs.append(
                ReportJob(
                    notebook=name,
                    path=notebook.path,
                    region=region,
                    lang=lang,
                    parameters=values,
                    formats=formats,
                    out_dir=out_dir,
                    key=report_key(notebook.path, values, environment) if not notebook.problem
                    else "",
                    title=notebook.title,
                    description=notebook.description,
                    timeout=timeout,
                    data_version=version_of_data,
                    generated_at=generated_at,
                    reuse_kernel=reuse_kernels,
                    chromium=printer,
                    variant=variant,
                )
            )  # fmt: skip
    return jobs
