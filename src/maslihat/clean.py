"""Notebooks committed clean: nbstripout (the field's tool) with the project's settings.

`make strip` runs `python -m maslihat.clean notebooks/*.ipynb`, which is nbstripout with the flags
below: outputs and execution counts removed, cell ids kept (JupyterLab's stay stable, so diffs show
only real edits), and the metadata JupyterLab, papermill and VS Code write on every run or save
removed (nbstripout's own list plus EXTRA_KEYS). `python -m maslihat.clean --verify FILES` changes
nothing and exits 1 when a file is not clean; the tests use the same check.
"""

from __future__ import annotations

import sys

# Written by a run or a save, never by the author: volatile. The kernelspec and language name stay.
EXTRA_KEYS = (
    "metadata.language_info.codemirror_mode",
    "metadata.language_info.file_extension",
    "metadata.language_info.mimetype",
    "metadata.language_info.nbconvert_exporter",
    "metadata.language_info.pygments_lexer",
    "metadata.language_info.version",
    "metadata.papermill",
    "metadata.vscode",
    "metadata.toc",
    "cell.metadata.papermill",
    "cell.metadata.jupyter",
    "cell.metadata.trusted",
)
NBSTRIPOUT_ARGS = ("--keep-id", "--extra-keys", " ".join(EXTRA_KEYS))
FIX = "make strip"  # the command that cleans the notebooks


# nbstripout in a fresh process, without rfc3987-syntax: nbformat's jsonschema would compile its
# grammars (about 1 s) for URI formats no notebook schema uses (see maslihat.cli.run).
RUN_NBSTRIPOUT = (
    "import sys; sys.modules['rfc3987_syntax'] = None; sys.argv[0] = 'nbstripout'; "
    "from nbstripout import main; main()"
)


def nbstripout_argv(files: list[str], verify: bool = False) -> list[str]:
    """nbstripout's command-line arguments for these files, with the project's settings."""
    return [*NBSTRIPOUT_ARGS, *(["--verify"] if verify else []), *files]


def main(argv: list[str] | None = None) -> int:
    """Run nbstripout on the given notebooks (in place, or only --verify); its exit status."""
    import subprocess

    args = list(sys.argv[1:] if argv is None else argv)
    verify = "--verify" in args
    files = [a for a in args if a != "--verify"]
    if not files:
        print("usage: python -m maslihat.clean [--verify] NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    command = [sys.executable, "-c", RUN_NBSTRIPOUT, *nbstripout_argv(files, verify)]
    return subprocess.run(command, stdin=subprocess.DEVNULL, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
