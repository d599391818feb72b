"""CKAN's ckan/tests/logic/action/test_get.py (action API reads (package_search, package_autocomplete, ...)), on the PostgreSQL backend."""
from ckan.tests.logic.action.test_get import *  # noqa: F401,F403

# Failures that are not about search (strict xfails; see conftest.py).
XFAIL: dict = {}

# Tests that compare whole dicts: run with only the search backend loaded, as
# CKAN's own test set-up has no plugin (otherwise the DataStore plugin of
# test.ini, if an earlier test left it loaded, adds datastore_active).
CKAN_PLUGINS_ONLY = {"TestPackageShow::test_package_show_with_full_dataset"}
