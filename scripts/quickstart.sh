#!/usr/bin/env bash
# From a fresh checkout to a running portal at http://127.0.0.1:5000.
#
#   bash scripts/quickstart.sh [--no-serve]                  on CKAN 2.12
#   BONOS_CKAN=2.11 bash scripts/quickstart.sh [--no-serve]  on CKAN 2.11
#
# Installs CKAN and the project into .venv (2.11: .venv-2.11), starts
# PostgreSQL and Redis if they are down and creates the roles and databases,
# writes ckan.ini (2.11: ckan-2.11.ini, with databases of its own) with fresh
# secrets if it is missing, brings the database schema up to date, creates the
# sysadmin "admin" (password in var/admin-password), loads the demo data and
# serves the portal. Safe to run again: nothing is created twice, the secrets
# and settings of an existing configuration file are kept.
#
# --no-serve  stop before serving (for scripts; start the server yourself with
#             .venv/bin/ckan -c ckan.ini run --host 127.0.0.1 --port 5000)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOST=127.0.0.1
PORT=5000
URL=http://$HOST:$PORT

serve=1
for arg in "$@"; do
  case $arg in
    --no-serve) serve=0 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "quickstart: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '[quickstart] %s\n' "$*"; }
die() { printf '[quickstart] ERROR: %s\n' "$*" >&2; exit 1; }

cd "$ROOT"
source scripts/release.sh
bash scripts/venv.sh
bash scripts/i18n.sh compile >/dev/null   # the extension's es/en catalogues
bash scripts/services.sh "$PORTAL_DB" "$PORTAL_DATASTORE_DB"

CKAN=$VENV/bin/ckan
INI=$PORTAL_INI
# As the commands are typed from the checkout, e.g. ".venv/bin/ckan -c ckan.ini".
CKAN_CMD="${VENV#"$ROOT/"}/bin/ckan -c ${INI#"$ROOT/"}"
mkdir -p "$PORTAL_STORAGE"
say "CKAN $BONOS_CKAN: $CKAN_CMD"
LOG=$ROOT/var/quickstart.log
: > "$LOG"

# ckan_cli ARGS...: run the ckan CLI on ckan.ini, its chatter into var/quickstart.log.
ckan_cli() {
  if ! "$CKAN" -c "$INI" "$@" >>"$LOG" 2>&1; then
    tail -n 30 "$LOG" >&2
    die "'ckan $*' failed (full log: $LOG)"
  fi
}

# --- ckan.ini ---------------------------------------------------------------
if [ -f "$INI" ]; then
  say "${INI#"$ROOT/"} exists: keeping it"
else
  say "writing ${INI#"$ROOT/"} (fresh secrets)"
  tmp=$INI.new
  rm -f "$tmp"
  "$CKAN" generate config "$tmp" >>"$LOG" 2>&1 || die "ckan generate config failed (see $LOG)"
  # No Solr: an empty solr_url lets bonos_pgsearch answer search from PostgreSQL.
  sed -i 's|^solr_url *=.*|# Empty: the bonos_pgsearch plugin answers search from PostgreSQL.\
# To use Solr, remove bonos_pgsearch from ckan.plugins, set solr_url and run\
# `ckan -c <this file> search-index rebuild`.\
solr_url =|' "$tmp"
  grep -q '^solr_url =$' "$tmp" || die "could not blank solr_url in the generated config"
  mv "$tmp" "$INI"
fi

# Settings this project manages: applied on every run, so a checkout that moved
# on brings an existing ckan.ini along (secrets and other settings stay).
say "applying the project's settings to ${INI#"$ROOT/"}"
"$CKAN" config-tool "$INI" \
    "sqlalchemy.url = postgresql://ckan_bonos:ckan_bonos@127.0.0.1:5432/$PORTAL_DB" \
    "ckan.site_url = $URL" \
    "ckan.site_id = bonos" \
    "ckan.site_title = SEDIS · Bonos sociales" \
    "ckan.site_description = Secretaría de Desarrollo e Inclusión Social, Honduras" \
    "ckan.site_logo = " \
    "ckan.redis.url = redis://127.0.0.1:6379/$PORTAL_REDIS_DB" \
    "ckan.storage_path = $PORTAL_STORAGE" \
    "ckan.plugins = bonos scheming_datasets datastore bonos_pgsearch activity text_view image_view datatables_view bonos_resumen bonos_pagos bonos_indicadores dcat bonos_dcat" \
    "ckanext.dcat.rdf.profiles = bonos_dcat_ap_3" \
    "ckan.views.default_views = bonos_resumen bonos_pagos bonos_indicadores image_view datatables_view" \
    "ckan.datastore.write_url = postgresql://ckan_bonos:ckan_bonos@127.0.0.1:5432/$PORTAL_DATASTORE_DB" \
    "ckan.datastore.read_url = postgresql://ckan_bonos_ro:ckan_bonos_ro@127.0.0.1:5432/$PORTAL_DATASTORE_DB" \
    "ckan.datastore.sqlsearch.enabled = true" \
    "scheming.dataset_schemas = ckanext.bonos.schemas:bono.yaml" \
    "scheming.presets = ckanext.scheming:presets.json" \
    "ckan.locale_default = es" \
    "ckan.locales_offered = es en" >>"$LOG" 2>&1 || die "ckan config-tool failed (see $LOG)"

# --- Database ---------------------------------------------------------------
say "bringing the database up to date (core and plugin migrations)"
ckan_cli db upgrade
say "granting the DataStore's read-only role read access only"
"$CKAN" -c "$INI" datastore set-permissions 2>>"$LOG" \
  | psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q >>"$LOG" 2>&1 \
  || die "could not set the DataStore permissions (see $LOG)"

# --- Sysadmin ---------------------------------------------------------------
PASSFILE=$ROOT/var/admin-password
new_password=0
if [ ! -s "$PASSFILE" ]; then
  (umask 077 && "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(18))' > "$PASSFILE")
  new_password=1
fi
chmod 600 "$PASSFILE"
admin_row=$("$CKAN" -c "$INI" user show admin 2>>"$LOG") || die "'ckan user show admin' failed (see $LOG)"
if [[ $admin_row != *"User: <User "* ]]; then
  say "creating sysadmin 'admin'"
  ckan_cli user add admin email=admin@example.org password="$(cat "$PASSFILE")"
  ckan_cli sysadmin add admin
elif [ "$new_password" = 1 ]; then
  # The user exists (database kept, var/ lost): make the new password true.
  say "sysadmin 'admin' exists: setting its password to the new var/admin-password"
  ckan_cli user setpass admin --password "$(cat "$PASSFILE")"
else
  say "sysadmin 'admin' exists"
fi

# --- Demo data (the command arrives with a later change) --------------------
say "loading the synthetic demo data (unchanged publications are left alone)"
ckan_cli bonos demo-data
# A search-index migration starts the index empty: index what is missing.
ckan_cli search-index rebuild --only-missing --quiet
# The citizen pages' figures, from every valid summary (a portal that had data
# before the citizen module gets them here; otherwise the same rows again).
ckan_cli bonos cifras rebuild

cat <<EOF

  Portal:    $URL
  Log in:    $URL/user/login  as  admin  /  $(cat "$PASSFILE")
             (password kept in var/admin-password)
  API token: $CKAN_CMD user token add admin mytoken

EOF

if [ "$serve" = 0 ]; then
  say "ready (--no-serve). Serve with: $CKAN_CMD run --host $HOST --port $PORT"
  exit 0
fi
# The background-job worker validates large uploads (Redis queue).
say "starting the background-job worker (log: var/worker.log)"
"$CKAN" -c "$INI" jobs worker >>"$ROOT/var/worker.log" 2>&1 &
worker=$!

say "serving on $URL (Ctrl-C to stop)"
# No Werkzeug debugger (it would run code from the browser); threads so a
# slow page does not block the next visitor; no reloader (one process to stop).
"$CKAN" -c "$INI" run --host "$HOST" --port "$PORT" --disable-debugger --disable-reloader --threaded &
server=$!
# Ctrl-C or a TERM stops both; so does either of them ending.
trap 'kill "$server" "$worker" 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
wait -n "$server" "$worker"
