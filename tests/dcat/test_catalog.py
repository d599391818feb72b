"""The DCAT-AP catalogue (ckanext-dcat + bonos_dcat_ap_3) served by the test app.

Only `bono` is registered here (no `dataset` schema): the catalogue must work.
"""
from __future__ import annotations

import hashlib
import io

import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS as DCT, RDF
from werkzeug.datastructures import FileStorage

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.dcat.processors import RDFParser
from ckanext.bonos.uploads import hooks as upload_hooks

from ..validation import samples

SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
PLUGINS = ("bonos scheming_datasets datastore bonos_pgsearch dcat bonos_dcat")
TABLES = ("resumen_ejecucion", "historial_pagos", "indicadores")
pytestmark = [
    pytest.mark.ckan_config("ckan.plugins", PLUGINS),
    pytest.mark.ckan_config("ckanext.dcat.rdf.profiles", "bonos_dcat_ap_3"),
    pytest.mark.ckan_config("ckan.site_url", "http://sedis.example"),
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore",
                            "with_request_context"),
]


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def portal(tmp_path, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path / "storage"))
    org = factories.Organization(name="sedis", title="SEDIS")
    user = factories.Sysadmin()

    def call(action, **data):
        return helpers.call_action(action, {"user": user["name"]}, **data)

    def publication(name, private=False, tables=TABLES, **fields):
        data = dict(type="bono", name=name, title="Bono Vida Mejor %s" % name,
                    notes="Resumen de %s" % name, owner_org=org["id"],
                    programa="bono_vida_mejor", tipo_publicacion="resumen_ejecucion",
                    periodo_inicio="2023-01-01", periodo_fin="2023-12-31",
                    departamentos=["08", "05"], componentes=["educacion"],
                    frecuencia="trimestral", umbral_supresion=5, private=private,
                    maintainer="Unidad de Transparencia",
                    maintainer_email="transparencia@sedis.example",
                    license_id="cc-by", tags=[{"name": "transferencias"}])
        data.update(fields)
        pkg = call("package_create", **data)
        for tabla in tables:
            call("resource_create", package_id=pkg["id"], name=tabla, tabla=tabla,
                 url="%s.csv" % tabla, format="CSV",
                 upload=FileStorage(io.BytesIO(samples.csv_bytes(tabla)), "%s.csv" % tabla))
        return call("package_show", id=pkg["id"])

    class Portal:
        pass
    out = Portal()
    out.call, out.publication, out.org = call, publication, org
    return out


def graph(app, url, fmt="turtle"):
    answer = app.get(url)
    assert answer.status_code == 200, answer.body[:500]
    g = rdflib.Graph()
    g.parse(data=answer.body, format=fmt)
    return g


def datasets(g):
    return {str(g.value(d, DCT.title)): d for d in g.subjects(RDF.type, DCAT.Dataset)}


def test_catalogue_lists_public_publications_and_their_valid_files_only(app, portal,
                                                                        ckan_config,
                                                                        monkeypatch):
    public = portal.publication("bvm-2023")
    portal.publication("bvm-privada", private=True)
    draft = portal.publication("bvm-borrador")
    portal.call("package_patch", id=draft["id"], state="draft")
    gone = portal.publication("bvm-borrada")
    portal.call("package_delete", id=gone["id"])
    # a pending file (too big to check during the upload) and a link
    monkeypatch.setitem(ckan_config, upload_hooks.MAX_SYNC_OPTION, 10)
    portal.call("resource_create", package_id=public["id"], name="pendiente",
                tabla="resumen_ejecucion", url="grande.csv", format="CSV",
                upload=FileStorage(io.BytesIO(samples.csv_bytes("resumen_ejecucion")),
                                   "grande.csv"))
    portal.call("resource_create", package_id=public["id"], name="enlace",
                url="http://otro.example/datos.csv", format="CSV")

    g = graph(app, "/catalog.ttl")
    found = datasets(g)
    assert list(found) == ["Bono Vida Mejor bvm-2023"]
    ds = found["Bono Vida Mejor bvm-2023"]
    assert (None, DCAT.dataset, ds) in g
    distributions = list(g.objects(ds, DCAT.distribution))
    assert len(distributions) == 3            # not the pending file, not the link
    by_title = {str(g.value(d, DCT.title)): d for d in distributions}
    assert sorted(by_title) == sorted(TABLES)
    for tabla, dist in by_title.items():
        checksum = g.value(dist, SPDX.checksum)
        assert str(g.value(checksum, SPDX.checksumValue)) == sha(samples.csv_bytes(tabla))
        assert str(g.value(checksum, SPDX.algorithm)).endswith("checksumAlgorithm_sha256")
        assert int(g.value(dist, DCAT.byteSize)) == len(samples.csv_bytes(tabla))
        assert str(g.value(dist, DCAT.mediaType)).endswith("text/csv")
        assert str(g.value(dist, DCT.conformsTo)) == \
            "http://sedis.example/bonos/esquemas/%s.json" % tabla
        assert "/download/" in str(g.value(dist, DCAT.downloadURL))
    assert str(g.value(ds, DCT.accrualPeriodicity)) == \
        "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"
    temporal = g.value(ds, DCT.temporal)
    assert [str(o)[:10] for o in g.objects(temporal, None) if str(o)[:2] == "20"] \
        .count("2023-01-01") == 1
    places = sorted(str(o) for o in g.objects(ds, DCT.spatial))
    assert places == ["http://sedis.example/bonos/departamento/05",
                      "http://sedis.example/bonos/departamento/08"]
    keywords = {str(k) for k in g.objects(ds, DCAT.keyword)}
    assert {"transferencias", "Bono Vida Mejor"} <= keywords
    assert str(g.value(ds, DCT.type)) == "resumen_ejecucion"
    contact = g.value(ds, DCAT.contactPoint)
    assert "transparencia@sedis.example" in {str(o) for o in g.objects(contact, None)} \
        | {str(o).replace("mailto:", "") for o in g.objects(contact, None)}
    assert str(g.value(g.value(ds, DCT.publisher), rdflib.FOAF.name)) == "SEDIS"
    # DCAT-AP puts the licence on each distribution
    assert {str(g.value(d, DCT.license)) for d in distributions} == {
        "http://www.opendefinition.org/licenses/cc-by"}

    # the table schema it conforms to is served
    schema = app.get("/bonos/esquemas/resumen_ejecucion.json")
    assert schema.status_code == 200 and schema.json["fields"]
    assert app.get("/bonos/esquemas/no_existe.json").status_code == 404

    # the same publication on its own, in the three serializations
    one = graph(app, "/bono/bvm-2023.ttl")
    assert list(datasets(one)) == ["Bono Vida Mejor bvm-2023"]
    assert len(graph(app, "/bono/bvm-2023.rdf", "xml")) == len(one)
    assert len(graph(app, "/bono/bvm-2023.jsonld", "json-ld")) == len(one)
    # a private one is not served to the public
    assert app.get("/bono/bvm-privada.ttl").status_code in (403, 404)


def test_catalogue_pages_and_modified_since(app, portal, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.dcat.datasets_per_page", 2)
    for n in range(3):
        portal.publication("bvm-%d" % n, tables=("resumen_ejecucion",))
    first = datasets(graph(app, "/catalog.ttl"))
    second = datasets(graph(app, "/catalog.ttl?page=2"))
    assert len(first) == 2 and len(second) == 1
    assert not set(first) & set(second)
    edited = portal.call("package_patch", id="bvm-0", notes="Corregida")
    since = edited["metadata_modified"]
    assert list(datasets(graph(app, "/catalog.ttl?modified_since=%s" % since))) == [
        "Bono Vida Mejor bvm-0"]
    bad = app.get("/catalog.ttl?modified_since=ayer")
    assert bad.status_code == 409


def test_parsing_our_output_gives_the_same_fields(app, portal):
    pkg = portal.publication("bvm-2023")
    body = app.get("/bono/bvm-2023.ttl").body
    parser = RDFParser(profiles=["bonos_dcat_ap_3"])
    parser.parse(body, _format="turtle")
    parsed = list(parser.datasets())
    assert len(parsed) == 1
    back = parsed[0]
    for key in ("title", "notes", "programa", "tipo_publicacion", "periodo_inicio",
                "periodo_fin", "frecuencia"):
        assert back[key] == pkg[key], key
    assert back["departamentos"] == sorted(pkg["departamentos"])
    assert [t["name"] for t in back["tags"]] == ["transferencias"]
    assert back["license_id"] == "cc-by"
    by_name = {r["name"]: r for r in back["resources"]}
    assert sorted(by_name) == sorted(TABLES)
    for res in pkg["resources"]:
        got = by_name[res["name"]]
        assert got["url"] == res["url"]
        assert got["hash"] == sha(samples.csv_bytes(res["tabla"]))
        assert got["size"] == res["size"]
        assert got["format"] == "CSV"
