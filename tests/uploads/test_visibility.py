"""package_search as the public sees it: only valid files (what harvesters copy)."""
from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.bonos.uploads import hooks as upload_hooks

from ..validation import samples


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore",
                         "with_request_context")
def test_public_search_lists_valid_files_editors_see_all(tmp_path, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path / "storage"))
    editor = factories.User()
    org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}])
    stranger = factories.User()
    ctx = {"user": editor["name"]}
    pkg = helpers.call_action(
        "package_create", ctx, type="bono", name="bvm", title="BVM", owner_org=org["id"],
        programa="bono_vida_mejor", tipo_publicacion="resumen_ejecucion",
        periodo_inicio="2023-01-01", periodo_fin="2023-12-31", umbral_supresion=5)

    def upload(name):
        helpers.call_action("resource_create", ctx, package_id=pkg["id"], name=name,
                            tabla="resumen_ejecucion", url=name + ".csv", format="CSV",
                            upload=FileStorage(io.BytesIO(samples.csv_bytes(
                                "resumen_ejecucion")), name + ".csv"))
    upload("valido")
    monkeypatch.setitem(ckan_config, upload_hooks.MAX_SYNC_OPTION, 10)
    upload("pendiente")

    def names(context):
        context.setdefault("ignore_auth", False)   # call_action's default is True
        found = helpers.call_action("package_search", context, fq="name:bvm")["results"]
        return sorted(r["name"] for r in found[0]["resources"])
    assert names({"user": ""}) == ["valido"]
    assert names({"user": stranger["name"]}) == ["valido"]
    assert names({"user": editor["name"]}) == ["pendiente", "valido"]
    assert names({"ignore_auth": True}) == ["pendiente", "valido"]
