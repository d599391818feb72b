"""When the PostgreSQL backend answers: whenever the configuration names it,
however plugins are reloaded, and never once the configuration hands search
back to Solr."""
import subprocess
import sys
import textwrap
import types

import pysolr
import pytest

import ckan.lib.search as search
import ckan.plugins as plugins
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.bonos.pgsearch import backend
from ckanext.bonos.pgsearch.connection import PostgresSolr

DEAD_SOLR = "http://127.0.0.1:9/solr/nothing-here"


def is_postgres(conn):
    return isinstance(getattr(conn, "_conn", conn), PostgresSolr)


def test_code_that_bound_make_connection_before_the_plugin_loaded_is_switched(monkeypatch):
    # what ckanext-harvest's update.py does (`from ckan.lib.search import
    # make_connection`), in a module imported before the plugin's install()
    early = types.ModuleType("early_importer_of_make_connection")
    early.make_connection = backend._original_make_connection
    monkeypatch.setitem(sys.modules, early.__name__, early)
    backend.install()
    assert early.make_connection is backend.make_connection
    assert is_postgres(early.make_connection())


@pytest.mark.ckan_config("ckan.plugins", "image_view")
@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_a_test_with_its_own_plugin_list_still_searches():
    assert not plugins.plugin_loaded(backend.PLUGIN_NAME)
    factories.Dataset(name="sin-plugin", title="Bono sin plugin")
    result = helpers.call_action("package_search", q="plugin")
    assert [d["name"] for d in result["results"]] == ["sin-plugin"]
    assert is_postgres(search.make_connection())


@pytest.mark.ckan_config("ckan.plugins", "image_view")
@pytest.mark.ckan_config("solr_url", DEAD_SOLR)
@pytest.mark.usefixtures("with_plugins")
def test_configuration_without_the_backend_hands_search_back_to_solr():
    assert not plugins.plugin_loaded(backend.PLUGIN_NAME)
    conn = search.make_connection()
    assert isinstance(conn, pysolr.Solr) and conn.url == DEAD_SOLR
    # exactly what CKAN does with an unreachable Solr
    with pytest.raises(search.common.SolrConnectionError):
        helpers.call_action("package_search", q="bono")


@pytest.mark.ckan_config("solr_url", DEAD_SOLR)
@pytest.mark.usefixtures("with_plugins")
def test_a_real_solr_url_is_used_even_with_the_plugin_loaded():
    # what CKAN's own tests rely on (test_new_indexerror, ...): the Solr
    # the configuration names is the one that answers
    assert plugins.plugin_loaded(backend.PLUGIN_NAME)
    assert isinstance(search.make_connection(), pysolr.Solr)
    with pytest.raises(search.common.SolrConnectionError):
        helpers.call_action("package_search", q="bono")


@pytest.mark.usefixtures("with_plugins")
def test_the_placeholder_url_is_the_backend():
    assert is_postgres(search.make_connection())


# CKAN 2.11's load_config sets up logging from the file itself
LOGGING = textwrap.dedent("""
    [loggers]
    keys = root
    [handlers]
    keys = console
    [formatters]
    keys = generic
    [logger_root]
    level = WARN
    handlers = console
    [handler_console]
    class = StreamHandler
    args = (sys.stderr,)
    level = NOTSET
    formatter = generic
    [formatter_generic]
    format = %(levelname)s %(message)s
""")


def test_a_process_loading_its_own_config_file(tmp_path):
    """A script or ``ckan`` command loads its own file: with the plugin it
    searches PostgreSQL; without it (and a solr_url), CKAN's pysolr
    connection is used."""
    import ckan.common
    base = ckan.common.config["__file__"]
    probe = textwrap.dedent("""
        import sys
        from ckan.cli import load_config
        from ckan.config.middleware import make_app
        make_app(load_config(sys.argv[1]))
        import ckan.lib.search as s
        c = s.make_connection(decode_dates=False)
        print("CONNECTION", type(c).__name__, c.url)
    """)
    script = tmp_path / "probe.py"
    script.write_text(probe)
    out = {}
    for name, plugins_line, solr in (
            ("with", "bonos_pgsearch", ""), ("without", "image_view", DEAD_SOLR)):
        ini = tmp_path / ("%s.ini" % name)
        ini.write_text(textwrap.dedent(f"""
            [app:main]
            use = config:{base}
            ckan.plugins = {plugins_line}
            solr_url = {solr}
        """) + LOGGING)
        run = subprocess.run([sys.executable, str(script), str(ini)],
                             capture_output=True, text=True, timeout=180)
        out[name] = [line for line in run.stdout.splitlines() if line.startswith("CONNECTION")]
    assert out["with"] == ["CONNECTION PostgresSolr postgresql search backend (bonos_pgsearch)"]
    assert out["without"] == ["CONNECTION Solr %s" % DEAD_SOLR]
