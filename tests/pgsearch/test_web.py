"""The search as people and API clients reach it over HTTP."""
import pytest

import ckan.tests.factories as factories


@pytest.fixture
def published(clean_db, clean_index):
    org = factories.Organization(name="sedis", title="SEDIS")
    factories.Dataset(name="educacion", title="Ejecución del bono de Educación",
                      owner_org=org["id"], tags=[{"name": "educación"}],
                      resources=[{"url": "http://x.hn/e.csv", "format": "CSV"}])
    factories.Dataset(name="salud", title="Indicadores de salud", owner_org=org["id"])


@pytest.mark.usefixtures("published")
class TestApi:
    def test_package_search_over_http(self, app):
        res = app.get("/api/3/action/package_search", query_string={"q": "educacion"})
        assert res.status_code == 200
        body = res.get_json()
        assert body["success"] is True
        assert [r["name"] for r in body["result"]["results"]] == ["educacion"]

    def test_facets_over_http(self, app):
        res = app.get("/api/3/action/package_search",
                      query_string={"facet.field": '["organization", "res_format"]'})
        facets = res.get_json()["result"]["search_facets"]
        assert facets["organization"]["items"][0]["display_name"] == "SEDIS"
        assert facets["organization"]["items"][0]["count"] == 2
        assert facets["res_format"]["items"][0]["name"] == "CSV"

    @pytest.mark.parametrize("fq", ['title:"unbalanced', "(a OR b", "metadata_modified:[ayer TO *]",
                                    "{!lucene}x", "name:[a TO"])
    def test_malformed_filters_are_search_errors_not_500(self, app, fq):
        res = app.get("/api/3/action/package_search", query_string={"fq": fq},
                      status=409)
        body = res.get_json()
        assert body["success"] is False
        assert body["error"]["__type"] == "Search Error"
        text = res.get_data(as_text=True)
        for leak in ("psycopg2", "LINE 1", "bonos_search_doc", "sqlalchemy"):
            assert leak not in text

    def test_bad_sort_is_a_query_error(self, app):
        res = app.get("/api/3/action/package_search", query_string={"sort": "tags asc"})
        assert res.status_code in (400, 409)
        assert res.get_json()["success"] is False


@pytest.mark.usefixtures("published")
class TestDatasetPage:
    def test_search_page_lists_results_and_facets(self, app):
        res = app.get("/dataset/", query_string={"q": "educacion"})
        assert res.status_code == 200
        html = res.get_data(as_text=True)
        assert "Ejecución del bono de Educación" in html
        assert "Indicadores de salud" not in html
        assert "SEDIS" in html   # organization facet

    def test_facet_filter_from_the_page(self, app):
        res = app.get("/dataset/", query_string={"res_format": "CSV"})
        html = res.get_data(as_text=True)
        assert "Ejecución del bono de Educación" in html
        assert "Indicadores de salud" not in html

    def test_malformed_query_on_the_page_is_not_a_500(self, app):
        res = app.get("/dataset/", query_string={"q": 'title:"unbalanced'})
        assert res.status_code in (200, 400)
