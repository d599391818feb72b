"""The 48 demo publications (metadata as `ckan bonos demo-data` writes it, without
their files) are found by the places they cover: each covers all 18
departments, so Olancho, olancho, Francisco Morazan, Distrito Central and
Tegucigalpa find all 48, through package_search and on the search page."""
import pytest
from bs4 import BeautifulSoup

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.bonos import vocab
from ckanext.bonos.demo import PROGRAMAS, YEARS, publicaciones


def demo_publications():
    """The demo's publication entries, in the generator's order (no files)."""
    todos = list(vocab.departamentos())
    pubs = []
    for p in PROGRAMAS.values():
        for anio in YEARS:
            for tipo in ("resumen_ejecucion", "historial_pagos"):
                pubs.append(publicaciones.anual(p, tipo, anio, todos))
        for tipo in ("indicadores_proceso", "indicadores_resultado"):
            pubs.append(publicaciones.indicadores(p, tipo, list(YEARS), todos))
    return pubs


@pytest.fixture
def demo(clean_db, clean_index, with_plugins):
    org = factories.Organization(**publicaciones.ORGANIZACION)
    user = factories.Sysadmin()
    names = []
    for pub in demo_publications():
        data = {k: v for k, v in pub.items() if k != "resources"}
        data["tags"] = [{"name": t} for t in pub["tags"]]
        helpers.call_action("package_create", {"user": user["name"]},
                            owner_org=org["id"], **data)
        names.append(pub["name"])
    # a publication about one other department only: found by its own places
    helpers.call_action("package_create", {"user": user["name"]}, type="bono",
                        name="solo-valle", title="Bono Vida Mejor en Valle",
                        owner_org=org["id"], programa="bono_vida_mejor",
                        tipo_publicacion="resumen_ejecucion", periodo_inicio="2024-01-01",
                        periodo_fin="2024-12-31", departamentos=["17"])
    return set(names)


QUERIES = ["Olancho", "olancho", "Francisco Morazan", "Distrito Central", "Tegucigalpa"]


def test_the_demo_has_48_publications():
    assert len(demo_publications()) == 48
    assert all(len(p["departamentos"]) == 18 for p in demo_publications())


@pytest.mark.parametrize("q", QUERIES)
def test_package_search_finds_every_demo_publication_covering_the_place(demo, q):
    result = helpers.call_action("package_search", q=q, rows=100)
    assert result["count"] == 48
    assert {r["name"] for r in result["results"]} == demo


def test_the_other_departments_publication_is_found_by_its_own_places(demo):
    result = helpers.call_action("package_search", q="Valle", rows=100)
    names = [r["name"] for r in result["results"]]      # the one that says it first
    assert names[0] == "solo-valle" and len(names) == 49
    assert helpers.call_action("package_search", q="Atlantis")["count"] == 0


@pytest.mark.parametrize("q", QUERIES)
def test_the_search_page_finds_them(app, demo, q):
    html = app.get("/bono/", query_string={"q": q}).get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.select_one("#dataset-search-form h1").get_text(" ", strip=True)
    assert heading == "48 publicaciones encontradas para «%s»" % q
    assert len(soup.select(".dataset-heading a")) == 20      # the first page
