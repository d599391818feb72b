import pytest

from ckanext.datastore.tests import helpers as datastore_helpers


@pytest.fixture
def clean_datastore(clean_db, clean_index):
    """Drop every DataStore table (CKAN's own fixture lives in its test conftest)."""
    engine = datastore_helpers.db.get_write_engine()
    datastore_helpers.rebuild_all_dbs(
        datastore_helpers.orm.scoped_session(datastore_helpers.orm.sessionmaker(bind=engine)))
