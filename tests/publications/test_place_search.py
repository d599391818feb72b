"""Finding publications by place and by name: department and municipality
names (any case, with or without accents), the common names of a place, the
programme's and components' names; a title that names the place ranks first;
the index documents stay valid for CKAN's stock Solr schema."""
import json

import pytest
from bs4 import BeautifulSoup

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.bonos.pgsearch.schema import ckan_schema
from ckanext.bonos.publications import indexing


@pytest.fixture
def places(clean_db, clean_index, with_plugins):
    org = factories.Organization(name="sedis", title="SEDIS")
    user = factories.Sysadmin()

    def make(name, title, **fields):
        data = {"type": "bono", "name": name, "title": title, "owner_org": org["id"],
                "programa": "bono_vida_mejor", "tipo_publicacion": "resumen_ejecucion",
                "periodo_inicio": "2024-01-01", "periodo_fin": "2024-12-31",
                "notes": "Cifras trimestrales."}
        data.update(fields)
        return helpers.call_action("package_create", {"user": user["name"]}, **data)

    make("fm-olancho", "Ejecución 2024", departamentos=["08", "15"],
         componentes=["educacion", "nutricion"])
    make("atlantida", "Ejecución 2024 Atlántida", departamentos=["01"],
         programa="bono_tercera_edad")
    make("olancho-titulo", "Pagos en Olancho 2024", departamentos=["15"],
         tipo_publicacion="historial_pagos")
    factories.Dataset(name="otro", title="Un conjunto que no es bono")


def names(**params):
    result = helpers.call_action("package_search", **params)
    return [r["name"] for r in result["results"]]


@pytest.mark.usefixtures("places")
class TestFindByPlace:
    @pytest.mark.parametrize("q", ["Olancho", "olancho", "OLANCHO"])
    def test_department_name_in_any_case(self, q):
        assert sorted(names(q=q)) == ["fm-olancho", "olancho-titulo"]

    @pytest.mark.parametrize("q", ["Francisco Morazan", "Francisco Morazán",
                                   "francisco morazán", '"Francisco Morazan"'])
    def test_department_name_with_or_without_accents(self, q):
        assert names(q=q) == ["fm-olancho"]

    @pytest.mark.parametrize("q", ["Distrito Central", "Tegucigalpa", "tegucigalpa",
                                   "Comayaguela", "Comayagüela", "Juticalpa",
                                   "Cantarranas", "Valle de Angeles"])
    def test_municipalities_and_their_common_names(self, q):
        # Juticalpa (1501) is in Olancho, the others in Francisco Morazán
        found = names(q=q)
        assert "fm-olancho" in found and "atlantida" not in found, (q, found)

    def test_a_place_it_does_not_cover_finds_nothing(self):
        assert names(q="Atlantida") == ["atlantida"]
        assert names(q="Choluteca") == []
        assert names(q="Tegucigalpa") == ["fm-olancho"]

    def test_a_title_that_names_the_place_ranks_first(self):
        assert names(q="olancho") == ["olancho-titulo", "fm-olancho"]
        assert names(q="Atlántida")[0] == "atlantida"

    @pytest.mark.parametrize("q, expected", [
        ("Vida Mejor", ["fm-olancho", "olancho-titulo"]),
        ("tercera edad", ["atlantida"]),
        ("nutricion", ["fm-olancho"]),
        ("Nutrition", ["fm-olancho"]),      # the component's English name
        ("historial de pagos", ["olancho-titulo"]),
    ])
    def test_programme_type_and_component_names(self, q, expected):
        assert sorted(names(q=q)) == expected

    def test_the_search_page_finds_places(self, app):
        for q, expected in (("olancho", {"fm-olancho", "olancho-titulo"}),
                            ("Tegucigalpa", {"fm-olancho"})):
            html = app.get("/bono/", query_string={"q": q}).get_data(as_text=True)
            soup = BeautifulSoup(html, "html.parser")
            links = {a["href"].rsplit("/", 1)[-1]
                     for a in soup.select(".dataset-heading a")}
            assert links == expected, (q, links)

    def test_documents_fit_ckans_stock_solr_schema(self):
        """The embedded backend refuses, as Solr would, a field the stock schema
        does not declare or a list in a single-valued one, so indexing worked;
        the names are in ``text``, which that schema copies into its catch-all."""
        schema = ckan_schema()
        assert schema.field("text").multi and schema.copied_to_text("text")
        assert names(q="text:tegucigalpa") == ["fm-olancho"]
        pkg = helpers.call_action("package_show", id="fm-olancho")
        doc = indexing.before_dataset_index({
            "dataset_type": "bono", "text": "already there",
            "validated_data_dict": json.dumps(pkg)})
        assert doc["text"][0] == "already there"
        assert {"Olancho", "Tegucigalpa", "Distrito Central", "Juticalpa"} <= set(doc["text"])
        assert "Atlántida" not in doc["text"]


def test_place_text_is_names_not_codes():
    text = indexing.place_and_name_text({
        "programa": "bono_vida_mejor", "tipo_publicacion": "historial_pagos",
        "componentes": ["salud"], "departamentos": ["11", "99", 7]})
    assert text[:4] == ["Bono Vida Mejor", "Historial de pagos", "Payment history", "Salud"]
    assert "Health" in text and "Islas de la Bahía" in text and "Roatán" in text
    assert not any(t.isdigit() for t in text)
    assert len(text) == 4 + 1 + 1 + 4       # 4 municipalities; 99 and 7 are ignored
