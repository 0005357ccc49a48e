#!/usr/bin/env bash
# Start JupyterLab on the report notebooks with the project's environment, on any machine the
# set-up supports: no browser is opened, the server listens on 127.0.0.1 only, the URL (with its
# token) is printed. `make lab PORT=8899`; LAB_IP=0.0.0.0 to listen on every interface.
#   bash scripts/lab.sh [FOLDER] [extra jupyter lab options ...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
VENV=${VENV:-$root/.venv}
PORT=${PORT:-8888}
folder="$root/notebooks"
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then folder=$1; shift; fi
case "$PORT" in
  ''|*[!0-9]*) echo "make lab: PORT must be a port number (1-65535), got '$PORT'" >&2; exit 2 ;;
esac
if [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
  echo "make lab: PORT must be a port number (1-65535), got '$PORT'" >&2; exit 2
fi
[ -d "$folder" ] || { echo "make lab: no folder $folder" >&2; exit 2; }

args=(--no-browser "--ip=${LAB_IP:-127.0.0.1}" "--port=$PORT" --ServerApp.port_retries=0
      "--ServerApp.root_dir=$folder")
# Jupyter refuses to run as root unless told; root is the normal user of a container or CI box.
[ "$(id -u)" = 0 ] && args+=(--allow-root)
# Charts drawn with the reports' Vega bundle (the extension maslihat-charts), kept up to date.
"$VENV/bin/python" -m maslihat.labextension --quiet
echo "maslihat: starting JupyterLab on $folder at http://${LAB_IP:-127.0.0.1}:$PORT/lab" \
     "(kernel \"Python (maslihat)\"); open the URL with the token printed below. Ctrl-C stops it."
exec "$VENV/bin/jupyter" lab "${args[@]}" "$@"
