"""Show Altair charts so they draw in JupyterLab and in the offline HTML and PDF reports.

A chart's output is its Vega-Lite JSON under Altair 6's own MIME type, which the JupyterLab
extension `maslihat-charts` draws with the reports' Vega bundle (`maslihat.labextension`), and
under the one JupyterLab 4 renders natively (`application/vnd.vegalite.v5+json`), for a Lab
without it. Nothing in the output loads a script: the report template (`templates/maslihat_html`)
finds every chart output, writes its spec into the page as inert JSON and inlines one
Vega/Vega-Lite/vega-embed bundle (from vl-convert) per page that draws all charts, as SVG so
printed PDFs hold vector charts.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import altair as alt

RENDERER_NAME = "maslihat"
# JupyterLab 4's built-in Vega extension renders Vega-Lite under these MIME types only (v3 to v5).
VEGALITE_MIMETYPE = "application/vnd.vegalite.v5+json"
# Altair 6's own type, which the extension `maslihat-charts` (maslihat.labextension) draws with the
# reports' Vega bundle; JupyterLab prefers it where the extension is installed.
LAB_MIMETYPE = "application/vnd.vegalite.v6+json"
# Every MIME type the report template treats as a chart: JupyterLab's and Altair's own.
CHART_MIMETYPE = re.compile(r"^application/vnd\.vegalite\.v\d+[+.]json$")
EMBED_OPTIONS: dict[str, Any] = {"renderer": "svg", "actions": False}
# The run's place, data version and parameters, recorded by `report_context` for the exporters.
# No frontend renders this type: JupyterLab shows nothing for it (and no "no renderer" notice).
CONTEXT_MIMETYPE = "application/vnd.maslihat.context+json"


def chart_title(spec: dict[str, Any]) -> str:
    """The title text of a Vega-Lite spec ('' when it has none)."""
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    return str(title or "")


def chart_text(spec: dict[str, Any]) -> str:
    """Plain-text stand-in for a chart: its title and description, for text-only frontends."""
    title = chart_title(spec)
    from maslihat.i18n import _

    heading = _("Chart: {title}", title=title) if title else _("Chart")
    parts = [heading, spec.get("description") or ""]
    return "\n".join(p for p in parts if p)


def with_number_locale(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with the report language's number symbols (decimal comma, thousands space), so
    the chart's axes, labels and tooltips write numbers as the prose does, and round them as the
    prose rounds them (`displayed_values`)."""
    from maslihat import i18n

    config = dict(spec.get("config") or {})
    config["locale"] = {**config.get("locale", {}), "number": i18n.vega_number_locale()}
    return displayed_values({**spec, "config": config})


_FIXED = re.compile(r"^[^.]*\.(\d+)~?f$")  # d3-format '.1f', ',.2f', '+.1f', '.2~f'
_FORMAT_CALL = re.compile(r"format\(datum\.(\w+),\s*\"[^\"]*?\.(\d+)f\"\)")


def _printed_digits(node: Any, found: dict[str, set[int]]) -> None:
    """Field → the numbers of decimals the spec prints it with (its formats)."""
    if isinstance(node, dict):
        field, fmt = node.get("field"), node.get("format")
        if isinstance(field, str) and isinstance(fmt, str):
            digits = 0 if fmt == "d" else int(m[1]) if (m := _FIXED.match(fmt)) else None
            if digits is not None:
                found.setdefault(field, set()).add(digits)
        for key, value in node.items():
            if key not in ("datasets", "data", "values"):
                _printed_digits(value, found)
    elif isinstance(node, list):
        for item in node:
            _printed_digits(item, found)
    elif isinstance(node, str):
        for field, digits in _FORMAT_CALL.findall(node):
            found.setdefault(field, set()).add(int(digits))


def printed_as_prose(value: float, digits: Iterable[int]) -> float:
    """The float Vega prints as the prose prints `value` with each number of decimals: the value
    itself, or, where d3-format would round the other way (0.15 is a little less than 0.15 in
    binary: d3 writes '0.1', the prose '0.2'), the next float away from zero: the data stay."""
    from decimal import ROUND_HALF_UP, Decimal

    from maslihat.i18n import rounded

    wanted = {Decimal(1).scaleb(-d): rounded(value, d) for d in digits}
    shown = value
    while any(Decimal(shown).quantize(step, rounding=ROUND_HALF_UP) != prose  # d3 rounds the
              for step, prose in wanted.items()):  # binary value, halves up  # fmt: skip
        shown = math.nextafter(shown, math.copysign(math.inf, value))
    return shown


def displayed_values(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every value it prints such that Vega prints it as the prose does (halves
    up from the decimal the float stands for: 6.25 → 6.3, 0.15 → 0.2); a value moves by at most
    a few units in the last place of the float, and only where Vega would print it otherwise."""
    digits: dict[str, set[int]] = {}
    _printed_digits(spec, digits)
    if not digits or not isinstance(spec.get("datasets"), dict):
        return spec

    def fixed(rows: Any) -> Any:
        if not isinstance(rows, list):
            return rows
        return [
            {k: printed_as_prose(v, digits[k]) if k in digits and isinstance(v, float)
             and math.isfinite(v) else v for k, v in row.items()}
            if isinstance(row, dict) else row
            for row in rows
        ]  # fmt: skip

    return {**spec, "datasets": {name: fixed(rows) for name, rows in spec["datasets"].items()}}


def report_renderer(spec: dict[str, Any], **options: Any) -> tuple[dict, dict]:
    """Altair renderer: the Vega-Lite JSON for JupyterLab and the report template, no scripts.

    The spec goes under two types: Altair's own (v6), which `maslihat-charts` draws in Lab with the
    reports' Vega-Lite, and v5, which a JupyterLab without the extension draws with its own.
    """
    embed_options = {**EMBED_OPTIONS, **options.get("embed_options", {})}
    spec = with_number_locale(spec)
    bundle = {LAB_MIMETYPE: spec, VEGALITE_MIMETYPE: spec, "text/plain": chart_text(spec)}
    metadata = {"embed_options": embed_options}
    return bundle, {LAB_MIMETYPE: metadata, VEGALITE_MIMETYPE: metadata}


def enable_report_charts(**embed_options: Any) -> None:
    """Make Altair show charts through `report_renderer`; notebooks call this once at the top."""
    alt.renderers.register(RENDERER_NAME, report_renderer)
    alt.renderers.enable(RENDERER_NAME, embed_options=embed_options)


def _jsonable(value: Any) -> Any:
    """A parameter value as JSON keeps it: numbers, text, booleans, None, lists; else its repr."""
    try:
        return json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError):
        return repr(value)


def report_context(region: str, data_version: str | None = None, **parameters: Any) -> None:
    """Record, invisibly, the place, data version and parameters this run used, for the exporter.

    The notebooks' set-up cell calls it after resolving the region; the data version defaults to
    that of the data folder the kernel reads. Exporting the notebook later names this region and
    this data version, whatever its parameters cell or the current data folder say.
    """
    from IPython.display import display

    if data_version is None:
        from maslihat.data import data_version as current_version

        data_version = current_version()
    from maslihat.i18n import current

    context = {
        "region": str(region),
        "lang": current(),
        "data_version": str(data_version),
        "parameters": {str(k): _jsonable(v) for k, v in parameters.items()},
    }
    display({CONTEXT_MIMETYPE: context}, raw=True)


def is_chart_mimetype(mimetype: str) -> bool:
    """Whether an output MIME type holds a Vega-Lite spec the report template draws."""
    return bool(CHART_MIMETYPE.match(mimetype))


def chart_mimetype(data: dict[str, Any]) -> str | None:
    """The chart MIME type among an output's data, if it holds a chart."""
    return next((m for m in data if is_chart_mimetype(m)), None)


def script_json(value: Any) -> str:
    """JSON safe to place inside a <script> element: no '<', '>' or '&' can end or open tags."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _cache_dir() -> Path:
    """Where the built Vega bundle is kept between runs (XDG cache, or $MASLIHAT_CACHE_DIR)."""
    base = os.environ.get("MASLIHAT_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(xdg) / "maslihat"


def _safe_inline_script(code: str) -> str:
    """Make JavaScript safe to inline: no '</script' or '<!--' may appear in a script element."""
    code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)
    return code.replace("<!--", "<\\!--")


def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script setting `window.vegaEmbed`, built once.

    vl-convert builds the bundle in about 2 s, so it is cached on disk per vl-convert version (its
    own, and the Vega and vega-embed versions it bundles).
    """
    import vl_convert

    versions = "-".join(
        (vl_convert.__version__, vl_convert.get_vega_version(), vl_convert.get_vega_embed_version())
    )
    path = _cache_dir() / f"vega-bundle-{versions}.js"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        pass
    code = _safe_inline_script(vl_convert.javascript_bundle())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(code, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home only costs the rebuild next time
    return code
