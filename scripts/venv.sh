#!/usr/bin/env bash
# Create .venv in the checkout (Python 3.11) and install the project into it,
# pinned by constraints.txt. Re-runs skip pip when nothing that decides the
# install has changed (stamp file: a hash of the requirement files).
#
#   bash scripts/venv.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$ROOT/.venv
STAMP=$VENV/.bonos-install-stamp
TOOLING=(pip==26.3 setuptools==80.10.2 wheel==0.48.0)

say() { printf '[venv] %s\n' "$*"; }
die() { printf '[venv] ERROR: %s\n' "$*" >&2; exit 1; }

cd "$ROOT"

# The interpreter: $PYTHON, else python3.11, else python3 if it is 3.11.
if [ -z "${PYTHON:-}" ]; then
  if command -v python3.11 >/dev/null; then PYTHON=python3.11; else PYTHON=python3; fi
fi
command -v "$PYTHON" >/dev/null || die "$PYTHON not found: install Python 3.11."
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
  || die "$PYTHON is $("$PYTHON" -V 2>&1); this project needs Python 3.11 (set PYTHON=...)."

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' 2>/dev/null; then
  say "creating $VENV with $("$PYTHON" -V 2>&1)"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi

# Everything that decides what pip installs.
want=$(
  {
    printf '%s\n' "${TOOLING[@]}"
    "$VENV/bin/python" -V
    cat requirements.txt dev-requirements.txt constraints.txt setup.py
  } | sha256sum | cut -d' ' -f1
)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  say "up to date ($VENV)"
  exit 0
fi

# pip's output goes to .venv/pip-install.log; its tail is shown if it fails.
LOG=$VENV/pip-install.log
pip_install() {
  if ! "$VENV/bin/python" -m pip install --progress-bar off "$@" >>"$LOG" 2>&1; then
    tail -n 40 "$LOG" >&2
    die "pip install $* failed (full log: $LOG)"
  fi
}
say "installing into $VENV (a few minutes the first time)"
rm -f "$STAMP" "$LOG"
pip_install "${TOOLING[@]}"
pip_install -c constraints.txt -r dev-requirements.txt -e .
echo "$want" > "$STAMP"
say "installed ($VENV)"
