"""CKAN's own core test files, collected here and run on the PostgreSQL backend.

Each module star-imports one of CKAN's test files (shipped in the ckan wheel)
so that pytest collects its tests with this project's test.ini, the search
backend configured as a Solr URL would be (see pgsearch/backend.py), and what
CKAN's tests take for granted from its test-core.ini and defaults where
test.ini differs (CKAN_DEFAULTS: English, every locale offered, ...). A
test's own ckan_config marks win over these.

A module's ``XFAIL`` maps test names (``Class::test`` or ``test``, any
parametrisation) to the reason a test fails for something that is not search:
each becomes a strict xfail, so it turns red the day it passes. Its
``CKAN_PLUGINS_ONLY`` names tests run with no plugin but the backend, as in
CKAN's own test set-up.
"""
import pytest

CKAN_DEFAULTS = {
    "ckan.locale_default": "en",
    "ckan.locales_offered": [],
    "ckan.site_title": "CKAN",
    "package_new_return_url": "http://localhost/dataset/<NAME>?test=new",
    "package_edit_return_url": "http://localhost/dataset/<NAME>?test=edit",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/ckan_core/" not in str(item.fspath):
            continue
        own = {mark.args[0] for mark in item.iter_markers("ckan_config")}
        for key, value in CKAN_DEFAULTS.items():
            if key not in own:
                item.add_marker(pytest.mark.ckan_config(key, value))
        module = getattr(item, "module", None)
        xfails = getattr(module, "XFAIL", None) or {}
        name = item.nodeid.split("::", 1)[1].split("[", 1)[0]
        if name in getattr(module, "CKAN_PLUGINS_ONLY", ()):
            item.add_marker(pytest.mark.ckan_config("ckan.plugins", "bonos_pgsearch"))
            item.fixturenames.append("with_plugins")   # as CKAN's plugin does
        if name in xfails:
            item.add_marker(pytest.mark.xfail(strict=True, reason=xfails[name]))


def _forget_locales():
    # CKAN caches the locales it offers on first use: whichever test came
    # first would decide them for every later one
    from ckan.lib import i18n
    for name in ("locales", "locales_dict", "_non_translated_locals", "available_locales"):
        if hasattr(i18n, name):
            setattr(i18n, name, None)


@pytest.fixture(autouse=True)
def locales_of_this_configuration():
    _forget_locales()
    yield
    _forget_locales()


def _solr_settings_of_the_configuration():
    # CKAN 2.11 keeps the Solr URL in SolrSettings, set when an app is made
    # (test_api's test_package_search_connection_errors makes one with a bad
    # URL) and never reset when the test's configuration is: the next test
    # without an app of its own would still be sent to that Solr.
    from ckan.common import config
    from ckan.lib.search import common
    settings = getattr(common, "SolrSettings", None)
    if settings is not None:
        settings.init(config.get("solr_url"), config.get("solr_user"),
                      config.get("solr_password"))


@pytest.fixture(autouse=True)
def solr_url_of_this_configuration():
    _solr_settings_of_the_configuration()
    yield
    _solr_settings_of_the_configuration()
