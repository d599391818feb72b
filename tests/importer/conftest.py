"""Fixtures for the importer: CKAN with the activity stream, uploads in a temp folder."""
import pytest


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    # The activity plugin's table is not core's: migrate it after the reset,
    # as CKAN's own activity tests do.
    reset_db()
    migrate_db_for("activity")


@pytest.fixture
def importer_config(ckan_config, monkeypatch, tmp_path):
    """test.ini's plugins plus activity (to see that re-imports write nothing)."""
    plugins = ckan_config["ckan.plugins"]
    if isinstance(plugins, str):
        plugins = plugins.split()
    if "activity" not in plugins:
        monkeypatch.setitem(ckan_config, "ckan.plugins", " ".join(list(plugins) + ["activity"]))
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path / "storage"))
    return ckan_config


@pytest.fixture
def ckan_env(importer_config, with_plugins, clean_db, clean_index, with_request_context):
    # with_plugins first: migrating the activity table needs the plugin loaded.
    return importer_config
