#!/usr/bin/env bash
# Set up everything Loket needs on a fresh Debian/Ubuntu machine: system
# packages, the Python virtualenv, front-end packages and the database.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
# libzbar0: pyzbar's decoder. chromium: kiosk browser and browser tests.
# espeak-ng + sox: offline Indonesian voice for the display. fonts: ticket preview.
# gammu-smsd: the SMS modem daemon; tests/outbox runs it (dummy phone) on the files Loket writes for it.
APT_PACKAGES=(libzbar0 chromium espeak-ng sox fonts-dejavu-core gammu-smsd)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  say "Installing system packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO=sudo
  fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ ! -x "$VENV/bin/python" ]; then
  say "Creating virtualenv $VENV"
  "$PYTHON" -m venv "$VENV"
fi
# The exact versions the tests ran with (requirements.lock, made by pip-compile from pyproject.toml),
# then Loket itself as an editable package (no dependencies of its own to resolve).
stamp="$VENV/.requirements.sha256"
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "Installing Python packages (requirements.lock)"
  "$VENV/bin/pip" install -q --upgrade pip
  "$VENV/bin/pip" install -q -r requirements.lock
  "$VENV/bin/pip" install -q --no-deps -e .
  echo "$want" > "$stamp"
fi

VENDOR=loket/static/vendor
# npm installs the vendored browser packages and eslint (make lint): again when package.json changed
# or node_modules went missing.
if [ ! -f $VENDOR/socket.io.min.js ] || [ ! -f $VENDOR/chart.umd.min.js ] || [ ! -f $VENDOR/qrcode.js ] \
  || [ package.json -nt $VENDOR/socket.io.min.js ] || [ ! -x node_modules/.bin/eslint ]; then
  say "Installing front-end packages (npm)"
  command -v npm >/dev/null || { echo "npm is required (Debian: apt-get install npm)" >&2; exit 1; }
  npm install --no-audit --no-fund --silent
  mkdir -p $VENDOR
  cp node_modules/socket.io-client/dist/socket.io.min.js $VENDOR/
  cp node_modules/chart.js/dist/chart.umd.min.js $VENDOR/  # report charts, drawn in the browser
  # the ticket's QR on the kiosk screen, drawn in the browser from its code (an ES module; .js for its MIME type)
  cp node_modules/qrcode-generator/dist/qrcode.mjs $VENDOR/qrcode.js
  touch $VENDOR/socket.io.min.js
fi

say "Preparing the database"
"$VENV/bin/flask" --app loket.app init-db
