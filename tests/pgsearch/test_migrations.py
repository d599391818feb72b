"""The index table's migrations upgrade an existing portal's index in place:
no rebuild, the same answers before and after."""
import sqlalchemy as sa

import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckan import model

from ckanext.bonos.pgsearch import storage


def columns():
    with model.meta.engine.connect() as conn:
        return set(conn.execute(sa.text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = :t"),
            {"t": storage.TABLE}).scalars())


def answers():
    page = helpers.call_action(
        "package_search", q="tags:pagos", facet="true",
        **{"facet.field": ["tags", "organization", "res_format", "groups", "license_id"]})
    auto = helpers.call_action("package_autocomplete", q="onderf")
    return (sorted(r["name"] for r in page["results"]), page["search_facets"],
            [r["name"] for r in auto],
            helpers.call_action("package_search", fq="-organization:sedis")["count"])


def test_upgrade_in_place_from_before_the_ngram_and_facet_columns(clean_db, clean_index, cli):
    from ckan.cli.cli import ckan
    # clean_db dropped the migrations' version table too: back to the head
    result = cli.invoke(ckan, ["db", "upgrade", "-p", "bonos_pgsearch"])
    assert result.exit_code == 0, result.output
    org = factories.Organization(name="sedis")
    group = factories.Group(name="salud")
    factories.Dataset(name="wonderful", title="A Wonderful Story", owner_org=org["id"],
                      tags=[{"name": "pagos"}], groups=[{"name": group["name"]}],
                      license_id="cc-by", resources=[{"url": "http://x.hn/a.csv", "format": "CSV"}])
    factories.Dataset(name="otro", title="Otro", tags=[{"name": "pagos"}])
    factories.Dataset(name="sin-etiqueta", title="Sin etiqueta")
    before = answers()
    assert before[0] == ["otro", "wonderful"] and before[2] == ["wonderful"]
    assert before[3] == 2

    # the index as release 0003 left it
    result = cli.invoke(ckan, ["db", "downgrade", "-p", "bonos_pgsearch",
                               "-v", "0003_fold_in_python"])
    assert result.exit_code == 0, result.output
    assert not {"name_ngram", "tags", "organization"} & columns()
    with model.meta.engine.connect() as conn:
        assert conn.execute(sa.text(
            "SELECT count(*) FROM %s WHERE fields @> '{\"tags\": [\"pagos\"]}'"
            % storage.TABLE)).scalar() == 2

    result = cli.invoke(ckan, ["db", "upgrade", "-p", "bonos_pgsearch"])
    assert result.exit_code == 0, result.output
    assert {"name_ngram", "title_ngram", "tags", "groups", "res_format",
            "organization", "license_id"} <= columns()
    assert answers() == before
