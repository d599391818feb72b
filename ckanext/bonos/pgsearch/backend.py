"""Switch CKAN's search onto the PostgreSQL connection when the configuration names it.

CKAN imports ``make_connection`` by name into several modules, and so do other
extensions (ckanext-harvest's ``harvest_source_clear``): every binding of
CKAN's function, in every module already imported, is replaced by one that
decides per call. Modules imported later get the replacement from
``ckan.lib.search`` itself.

The backend is on while its plugin is loaded, and also while the configuration
still carries what the plugin put there: the placeholder ``solr_url``. That
setting survives what a Solr URL survives (CKAN's test fixtures restore the
configuration and reload their own plugin lists; ``ckan`` commands load the
configuration file), so search keeps answering where a configured Solr would.
A real ``solr_url`` in the configuration hands search back to Solr (then
removing the plugin is only tidy), exactly as CKAN uses the Solr it is given.

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


def _solr_url():
    """The Solr URL CKAN's own make_connection would use: CKAN 2.11 keeps it in
    SolrSettings (which its tests set directly), 2.12 reads the config."""
    settings = getattr(search_common, "SolrSettings", None)
    if settings is not None and settings._is_initialised and settings._url:
        return settings._url
    return config.get("solr_url")


def active() -> bool:
    solr_url = _solr_url()
    if solr_url and solr_url != PLACEHOLDER_SOLR_URL:
        return False     # a real Solr is configured: it answers, as in CKAN
    if solr_url == PLACEHOLDER_SOLR_URL or plugins.plugin_loaded(PLUGIN_NAME):
        return True
    named = config.get("ckan.plugins") or []
    if isinstance(named, str):
        named = named.split()
    return PLUGIN_NAME in named


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


class _DecodingDates:
    """What CKAN's make_connection(decode_dates=True) gives with Solr: dates
    in the documents a search returns come back as datetimes. Everything else
    is the shared connection (so a process reads its own writes)."""

    def __init__(self, conn: PostgresSolr):
        self._conn = conn

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def search(self, q=None, **params):
        results = self._conn.search(q, **params)
        results.docs = [search_common.solr_datetime_decoder(doc) for doc in results.docs]
        return results


def make_connection(decode_dates: bool = True):
    if active():
        conn = _connection_for(model.meta.engine, config.get(TIMEOUT_OPTION) or 10_000)
        return _DecodingDates(conn) if decode_dates else conn
    return _original_make_connection(decode_dates)


def check_solr_schema_version(schema_file=None) -> bool:
    if not active():
        return _original_check_schema(schema_file)
    version = ckan_schema().version.split("-")[-1]
    if version not in search.SUPPORTED_SCHEMA_VERSIONS:
        raise search.SearchError("CKAN's schema.xml has an unsupported version: %s" % version)
    return True


def _rebind(name: str, original, replacement) -> None:
    """Replace every module-level binding of ``original`` by ``replacement``."""
    for module in list(sys.modules.values()):
        namespace = getattr(module, "__dict__", None)
        if namespace is not None and namespace.get(name) is original:
            setattr(module, name, replacement)


def install() -> None:
    """Idempotent: safe to call on every plugin (re)load."""
    for module in _MODULES:   # explicit, in case a module shadows the name
        module.make_connection = make_connection
    _rebind("make_connection", _original_make_connection, make_connection)
    search.check_solr_schema_version = check_solr_schema_version
    # `ckan search-index rebuild` imports it at call time: full rebuilds run
    # in worker processes (see rebuild.py); others use CKAN's own code.
    search.rebuild = _parallel_rebuild
