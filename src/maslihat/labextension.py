"""The JupyterLab extension `maslihat-charts`: charts in Lab drawn as the reports draw them.

JupyterLab 4 draws Vega-Lite with its own Vega-Lite 5, and warns for every chart Altair 6 makes
(Vega-Lite 6). This prebuilt extension draws the charts' own MIME type
(`application/vnd.vegalite.v6+json`, see `maslihat.display`) with the Vega/Vega-Lite/vega-embed
bundle the reports inline (vl-convert's, `maslihat.display.vega_bundle`), which JupyterLab serves
from the extension's folder: the same versions as the reports, no warnings, nothing from the
network. It also names the report exporters in Lab's export menu as they name themselves.

There is nothing to build: the extension is one hand-written script
(`templates/labextension/remoteEntry.js`) plus the bundle, written here into
`<prefix>/share/jupyter/labextensions/maslihat-charts/`. The set-up and `make lab` run

    python -m maslihat.labextension            # this environment (sys.prefix)
    python -m maslihat.labextension --user     # the user's own JupyterLab

which rewrites the folder only when the script, the exporters or vl-convert changed.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import shutil
import sys
from importlib.metadata import entry_points
from pathlib import Path

NAME = "maslihat-charts"
SOURCE = Path(__file__).resolve().parent / "templates" / "labextension" / "remoteEntry.js"
RANK = 50  # JupyterLab's own Vega renderer has 57: a lower rank is preferred


def target_dir(user: bool = False) -> Path:
    """Where JupyterLab finds the extension: this environment's or the user's Jupyter data."""
    if user:
        from jupyter_core.paths import jupyter_data_dir

        return Path(jupyter_data_dir()) / "labextensions" / NAME
    return Path(sys.prefix) / "share" / "jupyter" / "labextensions" / NAME


def _exporters() -> list:
    """The package's nbconvert exporters (entry points), without importing them."""
    return sorted(
        (ep for ep in entry_points(group="nbconvert.exporters")
         if ep.value.split(":")[0].startswith("maslihat.")),
        key=lambda ep: ep.name,
    )  # fmt: skip


def export_labels() -> dict[str, str]:
    """Menu label of each report exporter: its `export_from_notebook` name."""
    labels = {}
    for ep in _exporters():
        label = getattr(ep.load(), "export_from_notebook", None)
        if label:
            labels[ep.name] = str(label)
    return labels


def _stamp() -> str:
    """What the installed files are made of: the script, the exporters' code, vl-convert."""
    import vl_convert

    digest = hashlib.sha256(SOURCE.read_bytes())
    digest.update((SOURCE.parents[2] / "display.py").read_bytes())  # the chart MIME type
    for ep in _exporters():
        digest.update(ep.name.encode() + b"\0")
        spec = importlib.util.find_spec(ep.value.split(":")[0])
        if spec and spec.origin:
            digest.update(Path(spec.origin).read_bytes())
    digest.update(vl_convert.__version__.encode())
    return digest.hexdigest()[:16]


def _installed_stamp(folder: Path) -> str | None:
    try:
        meta = json.loads((folder / "package.json").read_text(encoding="utf-8"))
        return meta["maslihat"]["stamp"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def install(
    user: bool = False, force: bool = False, folder: Path | None = None
) -> tuple[Path, bool]:
    """Write the extension (when missing or out of date) into `folder` (default: `target_dir`);
    return the folder and whether it was written."""
    folder = Path(folder) if folder is not None else target_dir(user)
    stamp = _stamp()
    if not force and _installed_stamp(folder) == stamp:
        return folder, False

    from maslihat.display import LAB_MIMETYPE, vega_bundle

    bundle = vega_bundle().encode("utf-8")
    bundle_name = f"vega.{hashlib.sha256(bundle).hexdigest()[:12]}.js"
    script = (
        SOURCE.read_text(encoding="utf-8")
        .replace("__MIMETYPES__", json.dumps([LAB_MIMETYPE]))
        .replace("__RANK__", str(RANK))
        .replace("__LABELS__", json.dumps(export_labels(), ensure_ascii=False))
        .replace("__VEGA_BUNDLE__", bundle_name)
    ).encode("utf-8")
    entry_name = f"remoteEntry.{hashlib.sha256(script).hexdigest()[:12]}.js"
    from maslihat import __version__

    package = {
        "name": NAME,
        "version": __version__,
        "description": "Vega-Lite charts drawn with the maslihat reports' Vega bundle",
        "jupyterlab": {
            "_build": {
                "load": f"static/{entry_name}",
                "extension": "./extension",
                "mimeExtension": "./mimeExtension",
            }
        },
        "maslihat": {"stamp": stamp},
    }
    # Written beside the folder, then swapped in: JupyterLab never reads a half-written one.
    folder.parent.mkdir(parents=True, exist_ok=True)
    fresh = folder.with_name(f".{NAME}.{os.getpid()}.tmp")
    shutil.rmtree(fresh, ignore_errors=True)
    (fresh / "static").mkdir(parents=True)
    (fresh / "static" / bundle_name).write_bytes(bundle)
    (fresh / "static" / entry_name).write_bytes(script)
    (fresh / "package.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    old = folder.with_name(f".{NAME}.{os.getpid()}.old")
    if folder.exists():
        os.replace(folder, old)
    os.replace(fresh, folder)
    shutil.rmtree(old, ignore_errors=True)
    return folder, True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m maslihat.labextension",
        description="Install the JupyterLab extension maslihat-charts (when out of date).",
    )
    parser.add_argument("--user", action="store_true", help="for the user's own JupyterLab")
    parser.add_argument("--force", action="store_true", help="rewrite it even when up to date")
    parser.add_argument("--quiet", action="store_true", help="say nothing when up to date")
    args = parser.parse_args(argv)
    folder, written = install(user=args.user, force=args.force)
    if written or not args.quiet:
        state = "written to" if written else "up to date in"
        print(f"maslihat: JupyterLab extension {NAME} {state} {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
