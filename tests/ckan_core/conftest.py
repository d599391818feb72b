"""CKAN's own core test files, collected here and run on the PostgreSQL backend.

Each module star-imports one of CKAN's test files (shipped in the ckan wheel)
so that pytest collects its tests with this project's test.ini, with CKAN's
default locale (English: CKAN's tests read its English messages) and with the
search backend configured as a Solr URL would be (see pgsearch/backend.py).

A module's ``XFAIL`` maps test names (``Class::test`` or ``test``, any
parametrisation) to the reason a test fails for something that is not search:
each becomes a strict xfail, so it turns red the day it passes.
"""
import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = getattr(item, "module", None)
        xfails = getattr(module, "XFAIL", None)
        if not xfails or "tests/ckan_core/" not in str(item.fspath):
            continue
        name = item.nodeid.split("::", 1)[1].split("[", 1)[0]
        if name in xfails:
            item.add_marker(pytest.mark.xfail(strict=True, reason=xfails[name]))
