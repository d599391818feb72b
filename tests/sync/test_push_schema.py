"""The push into a national portal whose `dataset` schema requires
datos.gob.hn's fields (Acceptance 2): filled from the publication, with no
field map; a field it cannot fill is reported by --dry-run and nothing is
written; the same target with a field map for it accepts the push."""
from __future__ import annotations

import pytest

from ckanext.bonos import demo
from ckanext.bonos.importer import import_folder
from ckanext.bonos.sync import source as sync_source
from ckanext.bonos.sync.push import push

from .national import NATIONAL_SCHEMA, NationalPortal

STRICT_FIELD = """- field_name: identificador_institucional
  label: Identificador de la institución
  required: true
"""


@pytest.fixture
def demo_source(source, tmp_path):
    demo.generate(tmp_path / "demo")
    report = import_folder(tmp_path / "demo", user=source.user["name"])
    assert report.ok
    return sync_source.read()


@pytest.fixture(scope="module")
def strict_portal(tmp_path_factory):
    """A national portal that also requires a field no publication has."""
    folder = tmp_path_factory.mktemp("national-strict")
    text = NATIONAL_SCHEMA.read_text("utf-8").replace("\nresource_fields:",
                                                      "\n" + STRICT_FIELD + "\nresource_fields:")
    schema = folder / "estricto.yaml"
    schema.write_text(text, "utf-8")
    portal = NationalPortal(folder, mode="harvest", db="ckan_bonos_national_push_strict",
                            schema=schema)
    portal.create().start()
    yield portal
    portal.kill()


def test_push_fills_the_fields_the_national_schema_requires(demo_source, make_target):
    assert len(demo_source) == 48
    # link mode: this schema requires tag_string, which CKAN's resource_create
    # (a package_update of the package_show dict, without tag_string) cannot pass
    target, portal = make_target("harvest", resources="link")
    dry = push(target, dry_run=True)
    assert dry["ok"], dry["failures"]
    assert dry["missing_fields"] == {}
    assert dry["counts"]["created"] == 48 and dry["calls"]["writes"] == 0

    report = push(target)
    assert report["ok"], report["failures"][:3]
    assert report["counts"]["created"] == 48
    by_source = {p.name: p for p in demo_source}
    on_target = portal.datasets(target.organization)
    assert len(on_target) == 48
    for pkg in on_target:
        pub = by_source[pkg["name"][len(target.prefix):]].data
        assert pkg["type"] == "dataset"
        assert pkg["modified"] == pub["fecha_corte"]
        assert pkg["frequency"] == {"anual": "R/P1Y", "trimestral": "R/P3M"}[pub["frecuencia"]]
        assert pkg["contactPoint"] == pub["maintainer_email"]
        assert pkg["license_id"] == pub["license_id"]
        assert pkg["tags"] and pkg["notes"]
        assert pkg["temporal"] == "%s/%s" % (pub["periodo_inicio"], pub["periodo_fin"])
    again = push(target)
    assert again["counts"]["unchanged"] == 48 and again["calls"]["writes"] == 0


def test_a_field_the_push_cannot_fill_is_reported_before_any_write(
        source, make_target, strict_portal, ckan_config, monkeypatch):
    from ckanext.bonos.sync import targets
    source.publication("bvm-2023", maintainer_email="transparencia@sedis.example")
    source.publication("bvm-2024", maintainer_email="transparencia@sedis.example")
    target, _ = make_target("harvest", resources="link")
    # the same settings, pointed at the strict portal
    monkeypatch.setitem(ckan_config, targets.PREFIX % ("nacional", "url"), strict_portal.url)
    strict_portal.action("organization_create", name=target.organization)
    monkeypatch.setenv("BONOS_PUSH_TOKEN_TEST", strict_portal.new_token()["token"])
    target = targets.get("nacional")

    dry = push(target, dry_run=True)
    assert not dry["ok"]
    assert dry["missing_fields"] == {target.prefix + "bvm-2023": ["identificador_institucional"],
                                     target.prefix + "bvm-2024": ["identificador_institucional"]}
    assert {f["dataset"] for f in dry["failures"]} == set(dry["missing_fields"])
    assert all("identificador_institucional" in f["message"] for f in dry["failures"])
    assert dry["calls"]["writes"] == 0
    real = push(target)          # a real run does not write what would be refused
    assert real["calls"]["writes"] == 0 and real["counts"]["failed"] == 2
    assert strict_portal.datasets(target.organization) == []

    # the near twin: a field map for it, and the target accepts the push
    monkeypatch.setitem(ckan_config, targets.PREFIX % ("nacional", "fields"),
                        'identificador_institucional="SEDIS-HN-01"')
    mapped = push(targets.get("nacional"))
    assert mapped["ok"], mapped["failures"]
    assert mapped["counts"]["created"] == 2
    assert {p["identificador_institucional"]
            for p in strict_portal.datasets(target.organization)} == {"SEDIS-HN-01"}
