"""A publication with one demo file of each summary table, uploaded through
resource_create as an editor would (validation, DataStore load, default views)."""
import io
import pathlib

import pytest
from werkzeug.datastructures import FileStorage

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.bonos import demo

FILES = {"resumen_ejecucion": "*resumen-ejecucion-2023.csv",
         "historial_pagos": "*historial-pagos-2023.csv",
         "indicadores": "*indicadores-proceso-*.csv"}
VIEW_OF = {"resumen_ejecucion": "bonos_resumen", "historial_pagos": "bonos_pagos",
           "indicadores": "bonos_indicadores"}


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory):
    """Demo CSVs: Bono Vida Mejor, 2023, three departments (generated once)."""
    out = tmp_path_factory.mktemp("demo")
    demo.generate(out, years=[2023], programas=["bono_vida_mejor"],
                  departamentos=["01", "08", "15"])
    found = {}
    for tabla, pattern in FILES.items():
        paths = sorted(pathlib.Path(out).rglob(pattern))
        assert paths, pattern
        found[tabla] = paths[0].read_bytes()
    return found


@pytest.fixture
def publication(clean_db, clean_index, with_plugins, clean_datastore, tmp_path, ckan_config,
                monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    org = factories.Organization(name="sedis")
    user = factories.Sysadmin()
    pkg = helpers.call_action(
        "package_create", {"user": user["name"]}, type="bono", name="bvm-2023",
        title="Bono Vida Mejor 2023", owner_org=org["id"], programa="bono_vida_mejor",
        tipo_publicacion="resumen_ejecucion", periodo_inicio="2023-01-01",
        periodo_fin="2023-12-31", umbral_supresion=5)
    return {"pkg": pkg, "user": user}


def upload(publication, tabla, content: bytes, name=None):
    name = name or tabla + ".csv"
    return helpers.call_action(
        "resource_create", {"user": publication["user"]["name"]},
        package_id=publication["pkg"]["id"], name=name, tabla=tabla, url=name,
        upload=FileStorage(io.BytesIO(content), name))


def view_of(resource_id, view_type):
    views = [v for v in helpers.call_action("resource_view_list", id=resource_id)
             if v["view_type"] == view_type]
    assert views, "no %s view on %s" % (view_type, resource_id)
    return views[0]


def view_url(publication, resource_id, view_id, lang=""):
    return "%s/dataset/%s/resource/%s/view/%s" % (
        "/" + lang if lang else "", publication["pkg"]["id"], resource_id, view_id)


@pytest.fixture
def uploaded(publication, demo_files):
    """The three demo files uploaded: tabla -> (resource, its default view)."""
    out = {}
    for tabla, content in demo_files.items():
        res = upload(publication, tabla, content)
        out[tabla] = (res, view_of(res["id"], VIEW_OF[tabla]))
    return out
