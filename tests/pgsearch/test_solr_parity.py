"""Search behaviours CKAN relies on Solr for: n-gram autocomplete, Solr's
syntax errors, resource fields, dates as Solr stores them, and the local
parameters a portal allows (ckan.search.solr_allowed_query_parsers)."""
import datetime as dt

import pytest
import sqlalchemy as sa

import ckan.lib.search as search
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckan import model

from ckanext.bonos.pgsearch import storage


def names(result):
    return sorted(r["name"] for r in result["results"])


def find(**params):
    return helpers.call_action("package_search", **params)


@pytest.fixture
def corpus(clean_db, clean_index):
    return {
        "warandpeace": factories.Dataset(name="warandpeace", title="A Wonderful Story"),
        "educacion": factories.Dataset(
            name="bono-educacion", title="Ejecución del Bono Educación",
            resources=[{"url": "http://sedis.gob.hn/pagos-2024.csv", "format": "CSV",
                        "name": "Pagos por municipio", "description": "Montos trimestrales",
                        "resource_type": "file.upload"}]),
        "salud": factories.Dataset(
            name="salud", title="Indicadores de salud",
            resources=[{"url": "http://sedis.gob.hn/salud.json", "format": "JSON",
                        "name": "Indicadores"}]),
    }


@pytest.mark.usefixtures("corpus")
class TestNgramAutocomplete:
    @pytest.mark.parametrize("incomplete, expected", [
        ("war", ["warandpeace"]),         # start of a name
        ("won", ["warandpeace"]),         # start of a word of the title
        ("ndpea", ["warandpeace"]),       # middle of a name (NGram, not edge)
        ("educ", ["bono-educacion"]),
        ("EDUCACIÓN", ["bono-educacion"]),  # case and accents folded
        ("cución", ["bono-educacion"]),
    ])
    def test_package_autocomplete_finds_substrings(self, incomplete, expected):
        result = helpers.call_action("package_autocomplete", q=incomplete)
        assert sorted(r["name"] for r in result) == expected

    def test_gram_sizes_follow_ckans_schema(self):
        # grams are 2 to 10 characters: one letter, or 11, matches no gram
        assert names(find(q="title_ngram:wo")) == ["warandpeace"]
        assert names(find(q="title_ngram:w")) == []
        assert names(find(q="name_ngram:warandpeac")) == ["warandpeace"]   # 10
        assert names(find(q="name_ngram:warandpeace")) == []                # 11
        assert names(find(q="name_ngram:xyz")) == []

    def test_every_word_of_the_query_must_be_a_gram(self):
        assert names(find(q='title_ngram:"won sto"')) == ["warandpeace"]
        assert names(find(q='title_ngram:"won salud"')) == []

    def test_autocomplete_over_http(self, app):
        res = app.get("/api/2/util/dataset/autocomplete", query_string={"incomplete": "won"})
        assert res.status_code == 200
        assert [r["name"] for r in res.json["ResultSet"]["Result"]] == ["warandpeace"]

    def test_ngrams_are_answered_by_a_trigram_index(self):
        with model.meta.engine.begin() as conn:
            conn.execute(sa.text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(conn.execute(sa.text(
                "EXPLAIN SELECT index_id FROM %s WHERE title_ngram LIKE '%%wonder%%'"
                % storage.TABLE)).scalars())
        assert "%s_title_ngram_idx" % storage.TABLE in plan


@pytest.mark.usefixtures("corpus")
class TestSyntaxErrors:
    def test_a_double_operator_is_a_syntax_error_like_solr(self):
        with pytest.raises(search.SearchError):
            find(q="--included")
        with pytest.raises(search.SearchError):
            find(q="+-salud")

    def test_a_single_operator_is_fine(self):
        assert "salud" not in names(find(q="-salud"))
        assert names(find(q="salud -bono")) == ["salud"]
        assert names(find(q="indicadores --")) == ["salud"]   # dangling: dropped

    def test_syntax_error_over_http_is_409(self, app):
        res = app.get("/api/3/action/package_search", query_string={"q": "--included"})
        assert res.status_code == 409
        assert res.json["error"]["__type"] == "Search Error"
        ok = app.get("/api/3/action/package_search", query_string={"q": "-included"})
        assert ok.status_code == 200

    def test_search_page_shows_the_search_error(self, app):
        res = app.get("/dataset/", query_string={"q": "--included"})
        assert res.status_code == 200
        assert "Hubo un error mientras se realizaba la búsqueda" in res.body
        res = app.get("/en/dataset/", query_string={"q": "--included"})
        assert 'id="search-error"' in res.body
        res = app.get("/dataset/", query_string={"q": "-included"})
        assert "Hubo un error" not in res.body


@pytest.mark.usefixtures("corpus")
class TestResourceFields:
    def test_fields_ckan_indexes_for_resources(self):
        assert names(find(fq="res_format:CSV")) == ["bono-educacion"]
        assert names(find(fq="res_format:csv")) == []          # string: exact
        assert names(find(q="res_name:municipio")) == ["bono-educacion"]
        assert names(find(q="res_description:trimestral")) == ["bono-educacion"]
        assert names(find(fq='res_url:"http://sedis.gob.hn/salud.json"')) == ["salud"]
        assert names(find(fq="res_type:file.upload")) == ["bono-educacion"]

    def test_resource_urls_are_copied_into_urls(self):
        # copyField res_url -> urls (a text field)
        assert names(find(q='urls:"http://sedis.gob.hn/salud.json"')) == ["salud"]
        assert names(find(q='urls:"http://sedis.gob.hn/pagos-2024.csv"')) == ["bono-educacion"]
        assert names(find(q='urls:"http://sedis.gob.hn/otro.csv"')) == []


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_resource_extras_a_portal_declares(monkeypatch):
    monkeypatch.setitem(__import__("ckan.common").common.config,
                        "ckan.extra_resource_fields", ["periodo"])
    monkeypatch.setattr(model.Resource, "extra_columns", None)
    factories.Dataset(name="con-periodo", resources=[
        {"url": "http://x.hn/a.csv", "periodo": "Primer trimestre"}])
    factories.Dataset(name="sin-periodo", resources=[
        {"url": "http://x.hn/b.csv", "otro": "Primer trimestre"}])
    assert names(find(q="res_extras_periodo:trimestre")) == ["con-periodo"]
    assert names(find(q="trimestre")) == ["con-periodo"]   # copied into text


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_dates_as_solr_stores_them():
    factories.Dataset(name="con-fecha", extras=[{"key": "publicado_date", "value": "2024-03-05"}])
    factories.Dataset(name="sin-fecha", extras=[{"key": "publicado_date", "value": "pronto"}])
    # a *_date field is a date: ranges compare instants
    assert names(find(fq="publicado_date:[2024-03-01T00:00:00Z TO 2024-03-31T00:00:00Z]")) \
        == ["con-fecha"]
    assert names(find(fq="publicado_date:[2024-04-01T00:00:00Z TO *]")) == []
    # returned as Solr writes dates: seconds, milliseconds only if any, Z
    docs = find(q="name:con-fecha", fl="name,publicado_date,metadata_modified")["results"]
    assert docs[0]["publicado_date"] == "2024-03-05T00:00:00Z"
    modified = docs[0]["metadata_modified"]
    assert modified.endswith("Z") and len(modified) in (20, 24)
    dt.datetime.strptime(modified[:19], "%Y-%m-%dT%H:%M:%S")
    # CKAN's make_connection() decodes them, as pysolr does with Solr
    doc = search.make_connection().search(q="name:con-fecha", fl="publicado_date").docs[0]
    assert doc["publicado_date"] == dt.datetime(2024, 3, 5)


PARSERS = "bool field term terms prefix dismax lucene knn"


@pytest.mark.usefixtures("corpus")
class TestLocalParams:
    def test_refused_unless_the_portal_allows_the_parser(self):
        with pytest.raises(search.SearchError, match="Local parameters are not supported"):
            find(q="{!field f=name}salud")

    @pytest.mark.ckan_config("ckan.search.solr_allowed_query_parsers", PARSERS)
    @pytest.mark.parametrize("q, expected", [
        ("{!field f=name}salud", ["salud"]),
        ("{!term f=res_format}JSON", ["salud"]),
        ("{!terms f=name}salud,warandpeace", ["salud", "warandpeace"]),
        ("{!prefix f=name}bono-", ["bono-educacion"]),
        ("{!dismax qf=title}indicadores salud", ["salud"]),
        ("{!lucene df=title}wonderful", ["warandpeace"]),
        ("{!bool must='name:salud'}", ["salud"]),
        ("{!bool should='name:salud' should='name:warandpeace' must_not='title:story'}",
         ["salud"]),
        ("{!type=field f=title v='bono educación'}", ["bono-educacion"]),
    ])
    def test_allowed_parsers(self, q, expected):
        assert names(find(q=q)) == expected

    @pytest.mark.ckan_config("ckan.search.solr_allowed_query_parsers", PARSERS)
    def test_in_filters_too(self):
        assert names(find(fq_list=["{!terms f=res_format}CSV,JSON"])) == [
            "bono-educacion", "salud"]

    @pytest.mark.ckan_config("ckan.search.solr_allowed_query_parsers", PARSERS)
    @pytest.mark.parametrize("q", ["{!knn f=vector topK=3}[1,2]", "{!field}salud",
                                   "{!bool must='name:('}"])
    def test_what_the_backend_cannot_answer_is_a_search_error(self, q, app):
        with pytest.raises(search.SearchError):
            find(q=q)
        res = app.get("/api/3/action/package_search", query_string={"q": q})
        assert res.status_code == 409
