"""The release shims (ckanext/bonos/compat.py) on the running CKAN release."""
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckan import model

from ckanext.bonos import compat


def _indexed_extras(package_id: str) -> dict:
    found = helpers.call_action("package_search", fq="id:%s" % package_id)["results"]
    assert len(found) == 1
    return {e["key"]: e["value"] for e in found[0].get("extras", [])}


def test_bulk_written_extras_are_read_and_indexed(clean_db, clean_index):
    pkg = factories.Dataset()
    compat.write_package_extras(model.Session, {pkg["id"]: {"fecha_corte": "2024-03-31", "umbral": 5}})
    model.Session.commit()
    model.Session.remove()
    shown = helpers.call_action("package_show", {"use_cache": False}, id=pkg["id"])
    assert {e["key"]: e["value"] for e in shown["extras"]} == {"fecha_corte": "2024-03-31", "umbral": "5"}
    assert model.Package.get(pkg["id"]).extras["fecha_corte"] == "2024-03-31"
    # written beside CKAN: the index does not know them until the dataset is indexed again
    assert _indexed_extras(pkg["id"]) == {}
    compat.index_package(pkg["id"], defer_commit=False)
    assert _indexed_extras(pkg["id"]) == {"fecha_corte": "2024-03-31", "umbral": "5"}
