"""Finding `bono` publications: facets with counts and labels, Spanish search."""
import pytest

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers


@pytest.fixture
def publications(clean_db, clean_index, with_plugins):
    org = factories.Organization(name="sedis", title="SEDIS")
    user = factories.Sysadmin()

    def make(name, title, **fields):
        data = {"type": "bono", "name": name, "title": title, "owner_org": org["id"],
                "programa": "bono_vida_mejor", "tipo_publicacion": "resumen_ejecucion",
                "periodo_inicio": "2024-01-01", "periodo_fin": "2024-03-31"}
        data.update(fields)
        return helpers.call_action("package_create", {"user": user["name"]}, **data)

    make("educ-2024", "Ejecución del componente de Educación 2024",
         componentes=["educacion"], departamentos=["08", "15"],
         resources=[{"url": "http://x.hn/r.csv", "format": "CSV", "tabla": "resumen_ejecucion"}])
    make("pagos-2023", "Historial de pagos 2023-2024", tipo_publicacion="historial_pagos",
         periodo_inicio="2023-07-01", periodo_fin="2024-06-30",
         componentes=["educacion", "salud"], departamentos=["08"])
    make("tercera-edad", "Bono Tercera Edad 2022", programa="bono_tercera_edad",
         periodo_inicio="2022-01-01", periodo_fin="2022-12-31", departamentos=["01"])
    factories.Dataset(name="otro", title="Un conjunto que no es bono")


FACETS = ["programa", "tipo_publicacion", "vocab_departamentos", "vocab_anio",
          "vocab_componentes", "organization", "res_format"]


def facet_counts(result, field):
    return {i["name"]: i["count"] for i in result["search_facets"][field]["items"]}


@pytest.mark.usefixtures("publications")
class TestBonoSearch:
    def search(self, **params):
        return helpers.call_action("package_search", fq="dataset_type:bono",
                                   **{"facet.field": FACETS}, **params)

    def test_facets_have_correct_counts(self):
        result = self.search()
        assert result["count"] == 3
        assert facet_counts(result, "programa") == {"bono_vida_mejor": 2, "bono_tercera_edad": 1}
        assert facet_counts(result, "tipo_publicacion") == {"resumen_ejecucion": 2, "historial_pagos": 1}
        assert facet_counts(result, "vocab_departamentos") == {"08": 2, "15": 1, "01": 1}
        assert facet_counts(result, "vocab_anio") == {"2024": 2, "2023": 1, "2022": 1}
        assert facet_counts(result, "vocab_componentes") == {"educacion": 2, "salud": 1}
        assert facet_counts(result, "organization") == {"sedis": 3}
        assert facet_counts(result, "res_format") == {"CSV": 1}

    def test_facets_show_labels_instead_of_codes(self):
        result = self.search()
        names = {i["name"]: i["display_name"]
                 for i in result["search_facets"]["vocab_departamentos"]["items"]}
        assert names == {"08": "Francisco Morazán", "15": "Olancho", "01": "Atlántida"}
        programas = {i["name"]: i["display_name"]
                     for i in result["search_facets"]["programa"]["items"]}
        assert programas["bono_vida_mejor"] == "Bono Vida Mejor"

    def test_filtering_by_a_facet(self):
        result = self.search(fq_list=["vocab_departamentos:08", "vocab_anio:2023"])
        assert [r["name"] for r in result["results"]] == ["pagos-2023"]

    def test_search_without_accents_finds_accented_titles(self):
        # the title says "Educación"; the other one lists the component educacion
        result = self.search(q="educacion")
        assert sorted(r["name"] for r in result["results"]) == ["educ-2024", "pagos-2023"]
        result = self.search(q="title:educacion")
        assert [r["title"] for r in result["results"]] == [
            "Ejecución del componente de Educación 2024"]

    def test_search_page_has_spanish_facets(self, app):
        res = app.get("/bono/")
        assert res.status_code == 200
        html = res.get_data(as_text=True)
        for title in ("Programa", "Tipo de publicación", "Departamentos", "Año", "Componentes"):
            assert title in html
        assert "Francisco Morazán" in html

    @pytest.mark.parametrize("q, found", [("educacion", True), ("zzzz", False)])
    def test_filter_pills_show_names_whether_or_not_anything_is_found(self, app, q, found):
        import re
        res = app.get("/bono/", query_string={"q": q, "vocab_departamentos": "08",
                                             "programa": "bono_vida_mejor"})
        html = res.get_data(as_text=True)
        assert ("No se encontraron" in html) is not found
        pills = [re.sub(r"<[^>]+>|\s+", " ", p).strip() for p in
                 re.findall(r'<span class="filtered pill">(.*?)</span>', html, re.S)]
        assert pills == ["Francisco Morazán", "Bono Vida Mejor"] or \
            pills == ["Bono Vida Mejor", "Francisco Morazán"], pills
