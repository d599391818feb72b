#!/usr/bin/env bash
# Create the virtual environment of one CKAN release (Python 3.11) and install
# the project into it, pinned by that release's constraints file:
#
#   bash scripts/venv.sh                  CKAN 2.12 into .venv (constraints-2.12.txt)
#   BONOS_CKAN=2.11 bash scripts/venv.sh  CKAN 2.11 into .venv-2.11 (constraints-2.11.txt)
#
# Re-runs skip pip when nothing that decides the install has changed (stamp
# file: a hash of the requirement and constraints files).
#
#   bash scripts/venv.sh --freeze         then rewrite the constraints file from
#                                         the environment (pip freeze), e.g. after
#                                         changing a pin in it or a requirement
set -euo pipefail
freeze=0
[ "${1:-}" != --freeze ] || freeze=1

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/scripts/release.sh"
STAMP=$VENV/.bonos-install-stamp
TOOLING=(pip==26.3 setuptools==80.10.2 wheel==0.48.0)

say() { printf '[venv] %s\n' "$*"; }
die() { printf '[venv] ERROR: %s\n' "$*" >&2; exit 1; }

cd "$ROOT"
[ -f "$CONSTRAINTS" ] || die "$CONSTRAINTS is missing."

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
    printf '%s\n' "${TOOLING[@]}" "$BONOS_CKAN"
    "$VENV/bin/python" -V
    cat dev-requirements.txt "$CONSTRAINTS" pyproject.toml setup.py
  } | sha256sum | cut -d' ' -f1
)
if [ "$freeze" = 0 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  say "up to date ($VENV, CKAN $BONOS_CKAN)"
  exit 0
fi

# pip's output goes to $VENV/pip-install.log; its tail is shown if it fails.
LOG=$VENV/pip-install.log
pip_install() {
  if ! "$VENV/bin/python" -m pip install --progress-bar off "$@" >>"$LOG" 2>&1; then
    tail -n 40 "$LOG" >&2
    die "pip install $* failed (full log: $LOG)"
  fi
}
say "installing CKAN $BONOS_CKAN into $VENV (a few minutes the first time)"
rm -f "$STAMP" "$LOG"
pip_install "${TOOLING[@]}"
# CKAN's wheel declares its dependencies only under the "requirements" extra;
# the constraints file picks the release. The project's own dependencies come
# from pyproject.toml, pinned by the same file.
pip_install -c "$CONSTRAINTS" "ckan[requirements]" -r dev-requirements.txt -e .
"$VENV/bin/python" -c 'import ckan, sys; sys.exit(not ckan.__version__.startswith(sys.argv[1] + "."))' \
  "$BONOS_CKAN" || die "$VENV has CKAN $("$VENV/bin/python" -c 'import ckan; print(ckan.__version__)'), not $BONOS_CKAN"
if [ "$freeze" = 1 ]; then
  {
    printf '# Every package the CKAN %s leg installs, pinned (pip freeze of a working install).\n' "$BONOS_CKAN"
    printf '# Regenerate: BONOS_CKAN=%s bash scripts/venv.sh --freeze\n' "$BONOS_CKAN"
    "$VENV/bin/python" -m pip freeze --exclude-editable
  } > "$CONSTRAINTS.new"
  mv "$CONSTRAINTS.new" "$CONSTRAINTS"
  say "wrote $CONSTRAINTS"
  exec bash "$0"    # stamp the environment against the new file
fi
echo "$want" > "$STAMP"
say "installed ($VENV, CKAN $BONOS_CKAN)"
