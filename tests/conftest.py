"""Shared fixtures.

CKAN's pytest plugin unloads every non-system plugin before the tests run
(tests are meant to load what they need with ``with_plugins``). The search
backend is infrastructure, like Solr's URL in a Solr portal, so it is loaded
again for every test that does not load its own plugins.
"""
import pytest

import ckan.plugins as plugins
from ckanext.datastore.tests import helpers as datastore_helpers

from ckanext.bonos.pgsearch.backend import PLUGIN_NAME


@pytest.fixture(autouse=True)
def pgsearch_loaded():
    if not plugins.plugin_loaded(PLUGIN_NAME):
        plugins.load(PLUGIN_NAME)
    yield


@pytest.fixture
def clean_datastore(clean_db, clean_index):
    """Drop every DataStore table (CKAN's own fixture of this name lives in
    its datastore tests' conftest, which pytest does not load here)."""
    engine = datastore_helpers.db.get_write_engine()
    datastore_helpers.rebuild_all_dbs(
        datastore_helpers.orm.scoped_session(datastore_helpers.orm.sessionmaker(bind=engine)))
