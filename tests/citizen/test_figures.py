"""The figures table: written when a summary is loaded, read only while its
publication is public and active; suppressed cells are never zeros."""
from decimal import Decimal

import pytest

import sqlalchemy as sa

import ckan.tests.helpers as helpers
from ckan import model

from ckanext.bonos.citizen import figures, store

from .conftest import summary

FRANCISCO_MORAZAN = summary(
    ("2024-T1", "08", "0801", 1200, 4100, 3000000, 2950000.50),
    ("2024-T1", "08", "0802", "suprimido", "suprimido", "suprimido", "suprimido"),
    ("2024-T2", "08", "0801", 1300, 4200, 3100000, 3100000),
    ("2024-T2", "08", "0802", 8, 30, 20000, 20000),
)


def test_period_bounds():
    assert store.period_bounds("2024") == ("A", *map(__import__("datetime").date.fromisoformat,
                                                       ("2024-01-01", "2024-12-31")))
    assert str(store.period_bounds("2024-T4")[2]) == "2024-12-31"
    assert str(store.period_bounds("2024-S1")[2]) == "2024-06-30"
    assert str(store.period_bounds("2024-02")[2]) == "2024-02-29"


def test_department_sums_count_suppressed_cells_never_as_zero(portal):
    portal.publication("bvm-2024", FRANCISCO_MORAZAN)
    [overview] = figures.department("08")
    assert [f.periodo for f in overview.trend] == ["2024-T1", "2024-T2"]
    t1 = overview.trend[0]
    assert t1.hogares == 1200 and t1.hogares_suprimidas == 1
    # the row rule: the suppressed row's amounts are left out too, and counted
    assert t1.monto_transferido == Decimal("2950000.50")
    assert t1.monto_transferido_suprimidas == 1 and t1.monto_programado_suprimidas == 1
    assert overview.latest.hogares == 1308 and overview.latest.hogares_suprimidas == 0
    [muni] = figures.municipality("0802")
    first = muni.trend[0]
    assert first.hogares is None and first.hogares_suprimidas == 1


def test_department_row_published_in_the_file_is_the_authority(portal):
    # Beside a department row, one suppressed municipality would be its difference
    # (the audit refuses that): here two are suppressed.
    text = summary(
        ("2024-T1", "08", "0801", 1200, 4100, 3000000, 2950000.50),
        ("2024-T1", "08", "0802", "suprimido", "suprimido", "suprimido", "suprimido"),
        ("2024-T1", "08", "0803", "suprimido", "suprimido", "suprimido", "suprimido"),
        ("2024-T1", "08", "", 1240, 4250, 3100000, 3050000.50))
    portal.publication("bvm-2024", text)
    [overview] = figures.department("08")
    assert overview.trend[0].hogares == 1240 and overview.trend[0].hogares_suprimidas == 0


def test_department_row_beside_one_suppressed_municipality_is_refused(portal):
    from ckan import logic
    text = FRANCISCO_MORAZAN + "2024-T1,08,,bono_vida_mejor,total,1203,4110,3010000,2960000.50\n"
    with pytest.raises(logic.ValidationError) as exc:
        portal.publication("bvm-2024", text)
    message = exc.value.error_dict["url"][0]
    assert "Fila 3, columna hogares" in message and "entre 3 y 3" in message
    assert figures.department("08") == []


def test_private_deleted_and_draft_publications_show_nothing(portal):
    pkg, res = portal.publication("bvm-2024", FRANCISCO_MORAZAN)
    assert figures.national()
    helpers.call_action("package_patch", id=pkg["id"], private=True)
    assert figures.national() == [] and figures.department("08") == []
    helpers.call_action("package_patch", id=pkg["id"], private=False)
    assert figures.national()
    helpers.call_action("resource_delete", id=res["id"])
    assert figures.national() == []
    assert model.Session.execute(sa.text(
        "SELECT count(*) FROM bonos_cifras")).scalar() == 0


def test_later_cut_off_date_wins(portal):
    portal.publication("bvm-2024", FRANCISCO_MORAZAN, fecha_corte="2025-01-20")
    portal.publication("bvm-2024-corregida", summary(
        ("2024-T2", "08", "0801", 1400, 4300, 3100000, 3100000),
        ("2024-T2", "08", "0802", 8, 30, 20000, 20000)), fecha_corte="2025-03-01")
    [overview] = figures.department("08")
    assert overview.latest.hogares == 1408
    assert overview.latest.fuentes == [("bvm-2024-corregida", "Publicación bvm-2024-corregida")]


def test_national_latest_period_map_and_trend(portal):
    portal.publication("bvm-2024", FRANCISCO_MORAZAN + (
        "2024-T2,15,1501,bono_vida_mejor,total,900,3000,2250000,2200000\n"))
    [bvm] = figures.national()
    assert bvm.latest.periodo == "2024-T2"
    assert bvm.latest.hogares == 1308 + 900 and bvm.latest.departamentos == 2
    assert set(bvm.departments) == {"08", "15"}
    assert [f.periodo for f in bvm.trend] == ["2024-T1", "2024-T2"]


def test_rebuild_rewrites_the_table_from_the_datastore(portal):
    portal.publication("bvm-2024", FRANCISCO_MORAZAN)
    before = figures.export_rows()
    model.Session.execute(sa.text("DELETE FROM bonos_cifras"))
    model.Session.commit()
    assert figures.export_rows() == []
    assert store.rebuild() > 0
    assert figures.export_rows() == before


def test_bulk_private_delete_restore_and_purge_keep_figures_right(portal):
    pkg, _ = portal.publication("bvm-2024", FRANCISCO_MORAZAN)
    org = portal.org["id"]
    assert figures.national()          # read once: now cached
    helpers.call_action("bulk_update_private", datasets=[pkg["id"]], org_id=org)
    assert figures.national() == []
    helpers.call_action("bulk_update_public", datasets=[pkg["id"]], org_id=org)
    assert figures.national()
    helpers.call_action("package_delete", id=pkg["id"])
    assert figures.national() == [] and figures.municipality("0801") == []
    helpers.call_action("package_patch", id=pkg["id"], state="active")
    assert figures.national()          # hidden, not forgotten
    helpers.call_action("dataset_purge", id=pkg["name"])
    assert figures.national() == []
    assert model.Session.execute(sa.text("SELECT count(*) FROM bonos_cifras")).scalar() == 0


def test_cli_rebuild(portal, cli):
    from ckan.cli.cli import ckan
    portal.publication("bvm-2024", FRANCISCO_MORAZAN)
    model.Session.execute(sa.text("DELETE FROM bonos_cifras"))
    model.Session.commit()
    result = cli.invoke(ckan, ["bonos", "cifras", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "bonos_cifras: 6 rows" in result.output
    assert figures.department("08")
