#!/usr/bin/env bash
# The extension's gettext catalogues (domain ckanext-bonos, locales es and en).
#
#   bash scripts/i18n.sh           extract the strings, update both catalogues, compile
#   bash scripts/i18n.sh compile   only compile the .po files into .mo (the set-up does this)
#
# Message ids are English, as in CKAN core. es/…/ckanext-bonos.po holds the Spanish
# translations (write them by hand after an update); en/…/ckanext-bonos.po is filled
# with msgstr = msgid, so that both catalogues are complete and tests can say so.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
source scripts/release.sh   # any release's environment will do: $VENV
PYBABEL=$VENV/bin/pybabel
I18N=ckanext/bonos/i18n
DOMAIN=ckanext-bonos
LOCALES=(es en)

export PYTHONWARNINGS="ignore:pkg_resources is deprecated:UserWarning"
say() { printf '[i18n] %s\n' "$*"; }

compile() {
  local locale
  for locale in "${LOCALES[@]}"; do
    "$PYBABEL" compile --statistics -d "$I18N" -D "$DOMAIN" -l "$locale" \
      || { say "ERROR: $I18N/$locale/LC_MESSAGES/$DOMAIN.po does not compile" >&2; exit 1; }
  done
}

if [ "${1:-}" = compile ]; then
  compile
  exit 0
fi

"$PYBABEL" extract -F babel.cfg -k _ -k N_ -k ungettext:1,2 -k ngettext:1,2 \
  --no-location --sort-output --no-wrap --project ckanext-bonos --copyright-holder "ckanext-bonos" \
  -o "$I18N/$DOMAIN.pot" ckanext/bonos
for locale in "${LOCALES[@]}"; do
  po=$I18N/$locale/LC_MESSAGES/$DOMAIN.po
  if [ -f "$po" ]; then
    "$PYBABEL" update --no-wrap --no-fuzzy-matching --ignore-obsolete \
      -i "$I18N/$DOMAIN.pot" -d "$I18N" -D "$DOMAIN" -l "$locale"
  else
    "$PYBABEL" init --no-wrap -i "$I18N/$DOMAIN.pot" -d "$I18N" -D "$DOMAIN" -l "$locale"
  fi
done
"$VENV/bin/python" scripts/po_tool.py fill-english "$I18N/en/LC_MESSAGES/$DOMAIN.po"
compile
"$VENV/bin/python" scripts/po_tool.py untranslated "$I18N/es/LC_MESSAGES/$DOMAIN.po"
