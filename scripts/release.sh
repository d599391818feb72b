# Sourced by the set-up scripts: which CKAN release to work on, and where.
#
#   BONOS_CKAN=2.12 (default: the newest supported release) or BONOS_CKAN=2.11
#
# Each release has its own virtual environment, pinned by its own constraints
# file, and its own portal configuration and databases (a database migrated by
# 2.12 cannot go back to 2.11). Needs ROOT (the checkout).
BONOS_CKAN=${BONOS_CKAN:-2.12}
case $BONOS_CKAN in
  2.12)  # the default keeps the plain names
    VENV=$ROOT/.venv
    PORTAL_INI=$ROOT/ckan.ini
    PORTAL_DB=ckan_bonos
    PORTAL_DATASTORE_DB=ckan_bonos_datastore
    PORTAL_REDIS_DB=0
    PORTAL_STORAGE=$ROOT/var/storage ;;
  2.11)
    VENV=$ROOT/.venv-2.11
    PORTAL_INI=$ROOT/ckan-2.11.ini
    PORTAL_DB=ckan_bonos_211
    PORTAL_DATASTORE_DB=ckan_bonos_datastore_211
    PORTAL_REDIS_DB=2
    PORTAL_STORAGE=$ROOT/var/storage-2.11 ;;
  *)
    printf 'BONOS_CKAN=%s: the supported CKAN releases are 2.12 (the default) and 2.11.\n' \
      "$BONOS_CKAN" >&2
    exit 2 ;;
esac
CONSTRAINTS=$ROOT/constraints-$BONOS_CKAN.txt
export BONOS_CKAN
