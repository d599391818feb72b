#!/usr/bin/env bash
# Run the test suite: install into .venv, start the services, bring the test
# database up to date (core and plugin migrations), then pytest.
#
#   bash scripts/test.sh [PYTEST_ARGS ...]
#
# The database is test.ini's ckan_bonos_test. To use another one (e.g. for a
# parallel run), set CKAN_SQLALCHEMY_URL; CKAN reads it instead of test.ini's
# sqlalchemy.url. A local database owned by ckan_bonos is created if missing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { printf '[test] %s\n' "$*"; }

bash scripts/venv.sh
# axe-core for the browser tests (tests/browser).
bash scripts/node-tools.sh
bash scripts/i18n.sh compile >/dev/null   # the extension's es/en catalogues
PY=$ROOT/.venv/bin/python

extra_db=()
if [ -n "${CKAN_SQLALCHEMY_URL:-}" ]; then
  # Create the overriding database only when it is ours to create: local, ckan_bonos's.
  db=$("$PY" - <<'PY'
import os
from sqlalchemy.engine import make_url
u = make_url(os.environ["CKAN_SQLALCHEMY_URL"])
ours = u.host in ("127.0.0.1", "localhost") and (u.port or 5432) == 5432 and u.username == "ckan_bonos"
print(u.database if ours and u.database else "")
PY
)
  [ -z "$db" ] || extra_db=("$db")
  say "database from CKAN_SQLALCHEMY_URL: ${CKAN_SQLALCHEMY_URL##*/}"
fi
bash scripts/services.sh "${extra_db[@]}"

say "bringing the test database up to date"
if ! db_log=$("$ROOT/.venv/bin/ckan" -c test.ini db init 2>&1); then
  printf '%s\n' "$db_log" >&2
  say "ERROR: 'ckan -c test.ini db init' failed" >&2
  exit 1
fi

# The DataStore's read-only role may only read (CKAN writes the grants).
if ! perm_log=$("$ROOT/.venv/bin/ckan" -c test.ini datastore set-permissions 2>/dev/null \
      | psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q 2>&1); then
  say "ERROR: could not set the DataStore permissions" >&2
  printf '%s\n' "$perm_log" >&2
  exit 1
fi

status=0
"$PY" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  say "ERROR: pytest collected no tests: nothing was checked." >&2
fi
exit "$status"
