#!/usr/bin/env bash
# Run the test suite on one CKAN release: install into its virtual environment,
# start the services, bring the test database up to date (core and plugin
# migrations), then pytest.
#
#   bash scripts/test.sh [PYTEST_ARGS ...]                  CKAN 2.12 (.venv)
#   BONOS_CKAN=2.11 bash scripts/test.sh [PYTEST_ARGS ...]  CKAN 2.11 (.venv-2.11)
#
# The databases are test.ini's ckan_bonos_test and ckan_bonos_datastore_test.
# To use others (e.g. for a parallel run), set CKAN_SQLALCHEMY_URL,
# CKAN_DATASTORE_WRITE_URL and CKAN_DATASTORE_READ_URL (and CKAN_REDIS_URL);
# CKAN reads them instead of test.ini's settings; scripts/services.sh creates
# such databases if they are local, ckan_bonos's and missing. The national
# portals that tests/sync starts get BONOS_NATIONAL_PREFIX in front of their
# database names and use BONOS_NATIONAL_REDIS_URL (default Redis db 5).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source scripts/release.sh

say() { printf '[test] %s\n' "$*"; }

bash scripts/venv.sh
# axe-core for the browser tests (tests/browser).
bash scripts/node-tools.sh
bash scripts/i18n.sh compile >/dev/null   # the extension's es/en catalogues
PY=$VENV/bin/python
CKAN=$VENV/bin/ckan

bash scripts/services.sh   # also the databases of CKAN_SQLALCHEMY_URL etc.

say "CKAN $("$PY" -c 'import ckan; print(ckan.__version__)') ($VENV)"
# The DataStore test database as the other release left it can break this one
# (2.11's set-permissions puts its full-text trigger on 2.12's _table_stats):
# it is emptied unless this release set it up last (a comment on the database
# says which). Its tables are the tests' own; CKAN recreates them.
ds_db=$("$PY" - <<'PY'
import configparser, os
from sqlalchemy.engine import make_url
url = os.environ.get("CKAN_DATASTORE_WRITE_URL")
if not url:
    ini = configparser.ConfigParser(interpolation=None)
    ini.read("test.ini")
    url = ini["app:main"]["ckan.datastore.write_url"]
print(make_url(url).database)
PY
)
psql_ds() { psql -h 127.0.0.1 -U postgres -d "$ds_db" -v ON_ERROR_STOP=1 -qAt "$@"; }

# Two runs on the same test databases empty each other's tables mid-test (a
# leftover run beside CI once failed a search test of CKAN's): one waits for
# the other. The lock is held until this script exits.
lock=${TMPDIR:-/tmp}/ckanext-bonos-tests-$ds_db.lock
exec 9>"$lock"
if ! flock -n 9; then
  say "another test run is using the databases of $ds_db: waiting for it ($lock)"
  flock 9
fi
ds_mark="ckanext-bonos tests: CKAN $BONOS_CKAN"
ds_was=$(psql_ds -c "SELECT coalesce(shobj_description(oid, 'pg_database'), 'an unknown release') FROM pg_database WHERE datname = current_database()")
if [ "$ds_was" != "$ds_mark" ]; then
  say "the DataStore test database $ds_db was set up for ${ds_was#ckanext-bonos tests: }: emptying it"
  psql_ds -c "DROP SCHEMA public CASCADE" -c "CREATE SCHEMA public"
fi

say "bringing the test database up to date"
if ! db_log=$("$CKAN" -c test.ini db init 2>&1); then
  # Both releases' runs may share a test database; one migrated by 2.12 is
  # unknown to 2.11. Test databases are emptied by the tests anyway.
  if grep -q "Can't locate revision" <<<"$db_log"; then
    say "the test database was migrated by another CKAN release: emptying it"
    "$CKAN" -c test.ini db clean --yes >/dev/null 2>&1 || true
    db_log=$("$CKAN" -c test.ini db init 2>&1) || db_log="FAILED: $db_log"
  else
    db_log="FAILED: $db_log"
  fi
  if [[ $db_log == FAILED:* ]]; then
    printf '%s\n' "${db_log#FAILED: }" >&2
    say "ERROR: 'ckan -c test.ini db init' failed" >&2
    exit 1
  fi
fi

# The DataStore's read-only role may only read (CKAN writes the grants).
if ! perm_log=$("$CKAN" -c test.ini datastore set-permissions 2>/dev/null \
      | psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q 2>&1); then
  say "ERROR: could not set the DataStore permissions" >&2
  printf '%s\n' "$perm_log" >&2
  exit 1
fi

psql_ds -c "COMMENT ON DATABASE \"$ds_db\" IS '$ds_mark'"

status=0
"$PY" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  say "ERROR: pytest collected no tests: nothing was checked." >&2
fi
exit "$status"
