"""CKAN's own package_search tests, run against the PostgreSQL backend.

The class comes from the test suite shipped inside the ckan wheel; importing it
here makes pytest collect it with this project's test.ini and conftest.
"""
from ckan.tests.logic.action.test_get import TestPackageSearch  # noqa: F401
