"""Set-up: the two dependency lists agree, and CI runs the README's test command."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.requirements import Requirement

from conftest import ROOT


def normalise(requirement: str) -> tuple[str, str]:
    """Name (PEP 503 normalised) and version specifier of a requirement string."""
    req = Requirement(requirement)
    return re.sub(r"[-_.]+", "-", req.name).lower(), str(req.specifier)


def pyproject_dependencies() -> set[tuple[str, str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {normalise(r) for r in project["dependencies"]}


def environment_dependencies() -> set[tuple[str, str]]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    # A dependency conda-forge does not carry is installed by pip, from the same file.
    pip = [line.split("#")[0].strip() for d in env["dependencies"] if isinstance(d, dict)
           for line in d.get("pip", []) if not line.startswith("-")]  # fmt: skip
    return {normalise(d) for d in conda + pip if Requirement(d).name not in {"python", "pip"}}


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    in_pyproject, in_env = pyproject_dependencies(), environment_dependencies()
    assert in_pyproject == in_env, (
        f"only in pyproject.toml: {sorted(in_pyproject - in_env)}; "
        f"only in environment.yml: {sorted(in_env - in_pyproject)}"
    )


def test_environment_yml_installs_the_package_itself():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert any(line.startswith("-e .") for line in pip)


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one():
    head = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:15]
    commands = [line.strip() for line in head if line.strip().startswith("make ")]
    assert commands[:2] == ["make report", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_setup_names_the_missing_system_packages_when_it_cannot_install_them(tmp_path):
    import shutil
    import subprocess

    # A PATH with neither chromium, pdftotext nor apt-get: setup must say what to install.
    (tmp_path / "dirname").symlink_to(shutil.which("dirname"))
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}
    done = subprocess.run(
        [shutil.which("bash"), str(ROOT / "scripts" / "setup.sh")],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "missing system packages: chromium poppler-utils" in done.stderr
    assert "sudo apt-get install chromium poppler-utils" in done.stderr
    assert "MASLIHAT_CHROMIUM" in done.stderr


def _checkout_with_venv(tmp_path, made_in: str):
    """A checkout holding setup.sh and a virtual environment whose pip names `made_in`, and a
    stand-in Python that records how it was called and fails (nothing is installed)."""
    import shutil

    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "setup.sh", checkout / "scripts" / "setup.sh")
    venv = checkout / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    (venv / "bin" / "pip").write_text(f"#!{made_in}/bin/python\nimport pip\n", encoding="utf-8")
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/called\nexit 3\n', encoding="utf-8")
    python.chmod(0o755)
    return checkout, venv, python


def _setup(checkout, python):
    import os
    import shutil
    import subprocess

    env = {**os.environ, "PYTHON": str(python)}
    env.pop("VENV", None)
    return subprocess.run([shutil.which("bash"), str(checkout / "scripts" / "setup.sh")],
                          env=env, capture_output=True, text=True, timeout=60)  # fmt: skip


def test_setup_rebuilds_a_virtual_environment_made_in_another_checkout(tmp_path):
    checkout, venv, python = _checkout_with_venv(tmp_path, "/elsewhere/old-checkout/.venv")
    done = _setup(checkout, python)
    assert "setup: .venv was made in /elsewhere/old-checkout/.venv, not here (a copied or moved " \
        "checkout): rebuilding it" in done.stdout, done.stdout + done.stderr
    assert not (venv / "pyvenv.cfg").exists()  # the old one is gone, a new one is being made
    assert (tmp_path / "called").read_text(encoding="utf-8").split() == ["-m", "venv", ".venv"]


def test_setup_keeps_a_virtual_environment_made_here(tmp_path):
    checkout, venv, python = _checkout_with_venv(tmp_path, str(tmp_path / "checkout" / ".venv"))
    done = _setup(checkout, python)
    assert "rebuilding" not in done.stdout and (venv / "pyvenv.cfg").exists()
