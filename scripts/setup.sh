#!/usr/bin/env bash
# Prepare a machine for maslihat: system packages the PDF step needs, then the virtual environment.
# Idempotent and quick when nothing changed; `make report` and `make test` call it first.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

# Debian packages: chromium prints the PDF reports, poppler-utils (pdftotext) lets the tests read them,
# DejaVu gives Cyrillic and Kazakh glyphs to both.
need=()
command -v chromium >/dev/null 2>&1 || [ -n "${MASLIHAT_CHROMIUM:-}" ] || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf ] || need+=(fonts-dejavu-extra)  # italics
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: missing system packages: ${need[*]}" >&2
    echo "setup: install them with:  sudo apt-get install ${need[*]}" >&2
    echo "setup: (or set MASLIHAT_CHROMIUM to a Chromium binary); the PDF reports need them." >&2
    exit 1
  fi
fi

# Python environment, reinstalled only when pyproject.toml changed since the last install.
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.maslihat-installed"
if [ ! -e "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing maslihat and its dependencies into $VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -e ".[dev]"
  touch "$stamp"
fi
