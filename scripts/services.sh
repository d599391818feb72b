#!/usr/bin/env bash
# Start PostgreSQL and Redis if they are down, then create the project's
# PostgreSQL roles and databases if they are missing. Safe to run any number
# of times.
#
#   bash scripts/services.sh [EXTRA_DB ...]
#
# Extra arguments name more databases (owner ckan_bonos) to create, e.g. a
# private test database for a parallel run. So do CKAN's own environment
# overrides, CKAN_SQLALCHEMY_URL and CKAN_DATASTORE_WRITE_URL (with
# CKAN_DATASTORE_READ_URL naming the same database), when they point at a
# database of ckan_bonos on this PostgreSQL: CKAN reads them instead of the
# configuration file's settings.
set -euo pipefail

PG_HOST=127.0.0.1
PG_PORT=5432
REDIS_PORT=6379
WAIT_SECONDS=${WAIT_SECONDS:-30}

# Roles: "name:password" (created with LOGIN). One line per role.
ROLES=(
  "ckan_bonos:ckan_bonos"
  "ckan_bonos_ro:ckan_bonos_ro"   # DataStore read-only (datastore_search_sql)
)

# Databases: "name:owner" (UTF8, from template0). One line per database.
DATABASES=(
  "ckan_bonos:ckan_bonos"       # the portal (ckan.ini)
  "ckan_bonos_test:ckan_bonos"  # the tests (test.ini)
  "ckan_bonos_datastore:ckan_bonos"       # the portal's DataStore
  "ckan_bonos_datastore_test:ckan_bonos"  # the tests' DataStore
)
for extra in "$@"; do
  DATABASES+=("$extra:ckan_bonos")
done
ours='^postgresql(\+psycopg2)?://ckan_bonos(:[^@]*)?@(127\.0\.0\.1|localhost)(:5432)?/([a-z_][a-z0-9_]*)$'
for var in CKAN_SQLALCHEMY_URL CKAN_DATASTORE_WRITE_URL; do
  if [[ ${!var:-} =~ $ours ]]; then
    DATABASES+=("${BASH_REMATCH[5]}:ckan_bonos")
    printf '[services] database from %s: %s\n' "$var" "${BASH_REMATCH[5]}"
  fi
done

say() { printf '[services] %s\n' "$*"; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# wait_for DESCRIPTION COMMAND...: retry COMMAND once a second, bounded.
wait_for() {
  local what=$1; shift
  local i
  for ((i = 0; i < WAIT_SECONDS; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  die "$what did not answer within ${WAIT_SECONDS}s."
}

# --- PostgreSQL -------------------------------------------------------------
command -v pg_isready >/dev/null || die "PostgreSQL client tools not found (install postgresql 15)."
pg_state=0
pg_isready -q -h "$PG_HOST" -p "$PG_PORT" || pg_state=$?
if [ "$pg_state" -eq 2 ]; then  # 2 = no response; 1 = still starting up
  say "starting PostgreSQL"
  [ -d /etc/postgresql ] || die "/etc/postgresql not found: is the postgresql package installed?"
  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start \
    || pg_isready -q -h "$PG_HOST" -p "$PG_PORT" \
    || die "pg_ctlcluster could not start PostgreSQL (see /var/log/postgresql/)."
fi
wait_for "PostgreSQL on $PG_HOST:$PG_PORT (pg_isready)" pg_isready -q -h "$PG_HOST" -p "$PG_PORT"

# --- Redis ------------------------------------------------------------------
command -v redis-cli >/dev/null || die "redis-cli not found (install redis 7)."
if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  say "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log \
    || die "redis-server could not start (see /var/log/redis/ci.log)."
fi
wait_for "Redis on 127.0.0.1:$REDIS_PORT (redis-cli ping)" \
  bash -c "[ \"\$(redis-cli -h 127.0.0.1 -p $REDIS_PORT ping)\" = PONG ]"

# --- Roles and databases ----------------------------------------------------
psql_admin() {
  psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq "$@"
}
check_name() {
  [[ $1 =~ ^[a-z_][a-z0-9_]*$ ]] || die "not a plain SQL identifier: '$1'"
}

for entry in "${ROLES[@]}"; do
  role=${entry%%:*} password=${entry#*:}
  check_name "$role"
  if [ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" ]; then
    say "creating role $role"
    psql_admin -v pw="$password" <<SQL
CREATE ROLE $role LOGIN PASSWORD :'pw';
SQL
  fi
done

for entry in "${DATABASES[@]}"; do
  db=${entry%%:*} owner=${entry#*:}
  check_name "$db"; check_name "$owner"
  if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
    say "creating database $db (owner $owner)"
    # Another run may create it at the same moment: then it exists, which is fine.
    psql_admin -c "CREATE DATABASE $db OWNER $owner ENCODING 'UTF8' TEMPLATE template0" \
      || [ -n "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ] \
      || die "could not create database $db"
  fi
done

say "PostgreSQL and Redis are up; roles and databases are in place."
