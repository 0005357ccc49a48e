#!/usr/bin/env bash
# Prepare a machine for maslihat: system packages the PDF step needs, then the virtual environment.
# Idempotent and quick when nothing changed; `make report` and `make test` call it first.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

# Debian packages: chromium-headless-shell prints the PDF reports (`chromium` would too, slower),
# chromium opens the pages in the browser tests, poppler-utils (pdftotext) lets the tests read the
# PDFs, DejaVu gives Cyrillic and Kazakh glyphs to both.
need=()
command -v chromium >/dev/null 2>&1 || [ -n "${MASLIHAT_CHROMIUM:-}" ] || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf ] || need+=(fonts-dejavu-extra)  # italics
can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
if ! command -v chromium-headless-shell >/dev/null 2>&1 && [ -z "${MASLIHAT_CHROMIUM:-}" ]; then
  if can_install; then
    need+=(chromium-headless-shell)
  elif [ ${#need[@]} -eq 0 ]; then  # chromium prints too: only a hint
    echo "setup: PDFs print faster with Chromium's headless shell:" \
      "sudo apt-get install chromium-headless-shell" >&2
  fi
fi
if [ ${#need[@]} -gt 0 ]; then
  if can_install; then
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

# A virtual environment copied or moved here from another checkout runs that checkout's Python and
# code: its scripts name the folder it was made in (pip's first line; its exec line when the path
# has a space). Such an environment is rebuilt, saying so.
if [ -e "$VENV/pyvenv.cfg" ] && [ -f "$VENV/bin/pip" ]; then
  made_for=$(sed -n -e '1s/^#!\(\/.*\/bin\/python[0-9.]*\)[[:space:]]*$/\1/p' \
    -e "2s/^'''exec' \"\(.*\/bin\/python[0-9.]*\)\" .*/\1/p" "$VENV/bin/pip" | head -n 1)
  if [ -n "$made_for" ]; then
    made_in=$(realpath -m "$(dirname "$(dirname "$made_for")")")
    if [ "$made_in" != "$(realpath -m "$VENV")" ]; then
      echo "setup: $VENV was made in $made_in, not here (a copied or moved checkout): rebuilding it"
      rm -rf "$VENV"
    fi
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

# The named kernel "maslihat" ("Python (maslihat)") running this environment's Python, installed
# twice: in the environment (--sys-prefix), where papermill, `make lab` and the tests find it first
# (Jupyter prefers a virtual environment's own kernels), and for the user (--user), where an
# analyst's own JupyterLab or JupyterHub finds it. The user's one is written when missing or when
# its Python is gone, so that another checkout's is not silently taken over; `make kernel` points
# it at this checkout.
kernels="$("$VENV/bin/python" - "${MASLIHAT_USER_KERNEL:-}" <<'PY'
import json, os, sys
from jupyter_core.paths import jupyter_data_dir
here = os.path.join(os.path.abspath(os.path.dirname(sys.executable)), os.path.basename(sys.executable))
def python(folder):
    try:
        with open(os.path.join(folder, "maslihat", "kernel.json"), encoding="utf-8") as f:
            return json.load(f)["argv"][0]
    except (OSError, ValueError, KeyError, IndexError):
        return None
env = python(os.path.join(sys.prefix, "share", "jupyter", "kernels"))
user = python(os.path.join(jupyter_data_dir(), "kernels"))
print("sys-prefix" if env != here else "", end=" ")
print("user" if sys.argv[1] == "force" or not user or not os.access(user, os.X_OK) else "")
PY
)"
for where in $kernels; do
  [ "$where" = user ] && echo "setup: installing the kernel \"Python (maslihat)\" for your own Jupyter"
  "$VENV/bin/python" -m ipykernel install "--$where" --name maslihat \
    --display-name "Python (maslihat)" >/dev/null 2>&1
done

# The JupyterLab extension that draws charts with the reports' Vega bundle (maslihat.labextension):
# in the environment, and for the user's own JupyterLab when the user's kernel is (re)installed.
"$VENV/bin/python" -m maslihat.labextension --quiet
case " $kernels " in
  *" user "*) "$VENV/bin/python" -m maslihat.labextension --quiet --user ;;
esac
