"""Switch CKAN's search onto the PostgreSQL connection while the plugin is loaded.

CKAN imports ``make_connection`` by name into several modules, so each of those
names is replaced (once) by a function that asks whether ``bonos_pgsearch`` is
loaded: if it is, the PostgreSQL connection answers; if not, CKAN's own pysolr
connection does. Unloading the plugin therefore hands search back to Solr.

CKAN's start-up also fetches the Solr schema over HTTP to check its version;
with this backend the schema is CKAN's own file, so that check is answered here.
"""
from __future__ import annotations

import atexit
import logging
import sys

import ckan.lib.search as search
import ckan.lib.search.common as search_common
import ckan.lib.search.index as search_index
import ckan.lib.search.query as search_query
import ckan.plugins as plugins
from ckan import model
from ckan.common import config

from . import rebuild
from .connection import PostgresSolr
from .schema import ckan_schema

log = logging.getLogger(__name__)

PLUGIN_NAME = "bonos_pgsearch"
PLACEHOLDER_SOLR_URL = "http://solr-not-used.invalid/solr/ckan"
_MODULES = (search_common, search_index, search_query, search)
_original_make_connection = search_common.make_connection
_original_check_schema = search.check_solr_schema_version
_parallel_rebuild = rebuild.wrap(search.rebuild)


def active() -> bool:
    return plugins.plugin_loaded(PLUGIN_NAME)


TIMEOUT_OPTION = "ckanext.bonos.pgsearch.timeout_ms"


_current: PostgresSolr | None = None


def _connection_for(engine, timeout_ms: int) -> PostgresSolr:
    """One connection object per process, replaced when CKAN makes a new
    engine (each test app does): holding on to old ones would keep their
    pooled database connections open."""
    global _current
    if _current is None or _current.engine is not engine or _current.timeout_ms != timeout_ms:
        if _current is not None:
            _current.flush()
        _current = PostgresSolr(engine, timeout_ms=timeout_ms)
    return _current


@atexit.register
def _flush_at_exit() -> None:
    if _current is not None:
        _current.flush()


def make_connection(decode_dates: bool = True):
    if active():
        return _connection_for(model.meta.engine, config.get(TIMEOUT_OPTION))
    return _original_make_connection(decode_dates)


def check_solr_schema_version(schema_file=None) -> bool:
    if not active():
        if config.get("solr_url") == PLACEHOLDER_SOLR_URL:
            return False    # no Solr was ever configured: nothing to check
        return _original_check_schema(schema_file)
    version = ckan_schema().version.split("-")[-1]
    if version not in search.SUPPORTED_SCHEMA_VERSIONS:
        raise search.SearchError("CKAN's schema.xml has an unsupported version: %s" % version)
    return True


def install() -> None:
    """Idempotent: safe to call on every plugin (re)load."""
    for module in _MODULES:
        if getattr(module, "make_connection", None) is not make_connection:
            module.make_connection = make_connection
    # Extensions import it by name too (ckanext-harvest's harvest_source_clear):
    # those loaded before this plugin still hold CKAN's pysolr one.
    for module in list(sys.modules.values()):
        names = getattr(module, "__dict__", None) or {}   # no module __getattr__ calls
        if names.get("make_connection") is _original_make_connection:
            module.make_connection = make_connection
    search.check_solr_schema_version = check_solr_schema_version
    # `ckan search-index rebuild` imports it at call time: full rebuilds run
    # in worker processes (see rebuild.py); others use CKAN's own code.
    search.rebuild = _parallel_rebuild
