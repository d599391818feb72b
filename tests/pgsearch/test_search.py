"""package_search on the PostgreSQL backend, as CKAN's users call it."""
import pysolr
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
    org = factories.Organization(name="sedis", title="SEDIS")
    group = factories.Group(name="proteccion-social")
    datasets = {
        "educacion": factories.Dataset(
            name="educacion", title="Ejecución del bono de Educación 2024",
            notes="Transferencias condicionadas a la asistencia escolar.",
            tags=[{"name": "educación"}, {"name": "bono"}], owner_org=org["id"],
            groups=[{"name": group["name"]}],
            extras=[{"key": "periodo", "value": "2024-T1"}]),
        "pagos": factories.Dataset(
            name="pagos", title="Historial de pago en Olancho",
            notes="Un pago por ciclo a cada hogar.", tags=[{"name": "pagos"}],
            owner_org=org["id"],
            resources=[{"url": "http://x.hn/p.csv", "format": "CSV", "name": "Pagos por municipio"}]),
        "salud": factories.Dataset(
            name="salud", title="Indicadores de salud y nutrición",
            notes="Controles de salud de niñas y niños.",
            tags=[{"name": "salud"}, {"name": "bono"}]),
        "rivers": factories.Dataset(name="rivers", title="Rivers of Honduras"),
    }
    return datasets


@pytest.mark.usefixtures("corpus")
class TestFreeText:
    def test_accents_and_case_do_not_matter(self):
        assert names(find(q="educacion")) == ["educacion"]
        assert names(find(q="EDUCACIÓN")) == ["educacion"]
        assert names(find(q="nutricion")) == ["salud"]

    def test_spanish_stemming(self):
        assert "pagos" in names(find(q="pagos"))
        assert names(find(q="pago")) == names(find(q="pagos"))
        assert names(find(q="transferencia")) == ["educacion"]

    def test_minimum_should_match_like_ckan_dismax(self):
        # two words: both must match
        assert names(find(q="bono olancho")) == []
        assert names(find(q="pago olancho")) == ["pagos"]
        # three words: any two of them
        assert names(find(q="pago olancho inexistente")) == ["pagos"]

    def test_phrases_and_exclusions(self):
        assert names(find(q='"historial de pago"')) == ["pagos"]
        assert names(find(q='"pago historial"')) == []
        assert names(find(q="bono -salud")) == ["educacion"]

    def test_resource_names_and_extras_are_searched(self):
        assert names(find(q="municipio")) == ["pagos"]
        assert names(find(q="2024-T1")) == ["educacion"]

    def test_title_matches_rank_above_text_matches(self):
        factories.Dataset(name="nota", title="Otra publicación",
                          notes="Menciona la nutrición de pasada.")
        result = find(q="nutricion")
        assert [r["name"] for r in result["results"]] == ["salud", "nota"]

    def test_trailing_wildcard(self):
        assert names(find(q="educ*")) == ["educacion"]
        assert names(find(q="title:nutri*")) == ["salud"]


@pytest.mark.usefixtures("corpus")
class TestFieldsAndFilters:
    def test_string_fields_match_whole_values(self):
        assert names(find(fq='tags:"educación"')) == ["educacion"]
        assert names(find(fq="tags:educ")) == []
        assert names(find(fq="tags:bono")) == ["educacion", "salud"]
        assert names(find(q="name:pagos")) == ["pagos"]

    def test_boolean_groups_and_negation(self):
        assert names(find(fq="name:(pagos OR salud)")) == ["pagos", "salud"]
        assert names(find(fq="tags:bono -name:salud")) == ["educacion"]
        assert names(find(fq="NOT tags:bono")) == ["pagos", "rivers"]
        assert names(find(fq="organization:sedis AND res_format:CSV")) == ["pagos"]

    def test_prefix_on_string_field(self):
        assert names(find(fq="name:sal*")) == ["salud"]
        assert names(find(fq="name:?agos")) == ["pagos"]

    def test_date_ranges_with_now_math(self):
        assert len(find(fq="metadata_modified:[NOW-1DAY TO NOW+1DAY]")["results"]) == 4
        assert find(fq="metadata_modified:[* TO NOW-1YEAR]")["count"] == 0
        assert find(fq="metadata_created:[2000-01-01T00:00:00Z TO *]")["count"] == 4

    def test_numeric_looking_string_fields_compare_like_solr(self):
        # num_resources is indexed by CKAN's dynamic '*' string field
        assert names(find(fq="num_resources:1")) == ["pagos"]
        assert names(find(fq="num_resources:[1 TO *]")) == ["pagos"]

    def test_extras_fields(self):
        result = find(fq="extras_periodo:2024*", fl=["name", "extras_periodo"])
        assert result["results"] == [{"name": "educacion", "periodo": "2024-T1"}]

    def test_field_existence(self):
        assert names(find(fq="res_format:*")) == ["pagos"]

    def test_dataset_type(self):
        assert find(fq="dataset_type:dataset")["count"] == 4
        assert find(fq="dataset_type:bono")["count"] == 0


@pytest.mark.usefixtures("corpus")
class TestFacetsSortPaging:
    def test_multi_valued_facets_with_counts(self):
        result = find(**{"facet.field": ["tags", "organization", "res_format"]})
        facets = result["facets"]
        assert facets["tags"] == {"bono": 2, "educación": 1, "pagos": 1, "salud": 1}
        assert facets["organization"] == {"sedis": 2}
        assert facets["res_format"] == {"CSV": 1}

    def test_facets_follow_the_query_and_mincount_limit(self):
        result = find(q="bono", **{"facet.field": ["tags"], "facet.limit": 1})
        assert result["facets"]["tags"] == {"bono": 2}

    def test_sort_by_title_string_and_dates(self):
        result = find(sort="title_string asc")
        titles = [r["title"] for r in result["results"]]
        assert titles == sorted(titles)
        newest_first = [r["name"] for r in find(sort="metadata_created desc")["results"]]
        assert newest_first == ["rivers", "salud", "pagos", "educacion"]

    def test_paging(self):
        first = find(sort="name asc", rows=2)
        second = find(sort="name asc", rows=2, start=2)
        assert first["count"] == second["count"] == 4
        assert [r["name"] for r in first["results"] + second["results"]] == [
            "educacion", "pagos", "rivers", "salud"]
        assert find(rows=2, start=100)["results"] == []
        assert find(rows=2, start=100)["count"] == 4

    @pytest.mark.parametrize("sort", ["tags asc", "title asc", "name", "name sideways"])
    def test_bad_sorts_are_search_errors(self, sort):
        with pytest.raises(search.SearchError):
            find(sort=sort)

    def test_fl_returns_stored_fields_only(self):
        result = find(q="name:salud", fl=["name", "title", "text", "permission_labels"])
        assert result["results"] == [{"name": "salud", "title": "Indicadores de salud y nutrición"}]


@pytest.mark.usefixtures("corpus")
def test_results_come_from_stored_documents_without_reading_packages():
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    engine = model.meta.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        result = find(rows=20)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert result["count"] == 4 and result["results"][0]["resources"] is not None
    package_reads = [s for s in statements if "FROM package" in s]
    assert package_reads == []


def test_strict_like_solr_on_single_valued_fields(clean_index):
    conn = search.make_connection()
    doc = {"id": "x", "index_id": "x1", "site_id": "s", "name": ["a", "b"]}
    with pytest.raises(pysolr.SolrError, match="multiple values.*non multiValued field name"):
        conn.add([doc])
    doc = {"id": "x", "index_id": "x1", "site_id": "s", "metadata_modified": "ayer"}
    with pytest.raises(pysolr.SolrError, match="metadata_modified"):
        conn.add([doc])
    with pytest.raises(pysolr.SolrError, match="required field: site_id"):
        conn.add([{"id": "x", "index_id": "x1"}])
    # a single-element list is fine for a single-valued field, as in Solr
    conn.add([{"id": "x", "index_id": "x1", "site_id": "s", "name": ["a"]}])
    assert conn.search(q="name:a").hits == 1


def test_storage_recreates_itself_after_being_dropped(clean_db, clean_index):
    with model.meta.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE %s" % storage.TABLE))
    factories.Dataset(name="despues", title="Después de borrar")
    assert names(find(q="despues")) == ["despues"]


def test_private_datasets_follow_permission_labels(clean_db, clean_index):
    member = factories.User()
    outsider = factories.User()
    org = factories.Organization(users=[{"name": member["name"], "capacity": "editor"}])
    factories.Dataset(name="privado", private=True, owner_org=org["id"])
    ctx_member = {"user": member["name"], "ignore_auth": False}
    ctx_outsider = {"user": outsider["name"], "ignore_auth": False}
    from ckan.logic import get_action
    assert get_action("package_search")(ctx_member, {"include_private": True})["count"] == 1
    assert get_action("package_search")(ctx_outsider, {"include_private": True})["count"] == 0
    assert get_action("package_search")({"user": ""}, {"include_private": True})["count"] == 0


def test_search_index_commands(clean_db, clean_index, cli):
    from ckan.cli.cli import ckan
    factories.Dataset(name="uno", title="Uno")
    factories.Dataset(name="dos", title="Dos")
    result = cli.invoke(ckan, ["search-index", "clear"])
    assert result.exit_code == 0, result.output
    assert find()["count"] == 0
    result = cli.invoke(ckan, ["search-index", "rebuild", "-q"])
    assert result.exit_code == 0, result.output
    assert names(find()) == ["dos", "uno"]
    result = cli.invoke(ckan, ["search-index", "show", "uno"])
    assert result.exit_code == 0 and "'name': 'uno'" in result.output
    result = cli.invoke(ckan, ["search-index", "clear", "uno"])
    assert names(find()) == ["dos"]
    result = cli.invoke(ckan, ["search-index", "rebuild", "-o", "-q"])
    assert names(find()) == ["dos", "uno"]


@pytest.mark.ckan_config("ckanext.bonos.pgsearch.rebuild_workers", "3")
def test_full_rebuild_in_worker_processes(clean_db, clean_index):
    for i in range(7):
        factories.Dataset(name="ds-%d" % i, title="Publicación %d" % i)
    search.clear_all()
    assert find()["count"] == 0
    search.rebuild(quiet=True)
    assert names(find(rows=20)) == ["ds-%d" % i for i in range(7)]
    # only the missing ones, in workers too
    search.clear("ds-3")
    search.clear("ds-5")
    search.rebuild(only_missing=True, quiet=True)
    assert find()["count"] == 7
    # and the parent still works with the database afterwards
    factories.Dataset(name="despues-del-rebuild")
    assert find(q="name:despues-del-rebuild")["count"] == 1
