"""Payments (bonos_pagos): written when a historial_pagos table is loaded, read
only while its publication is public; suppressed cells are never zeros; the
pages, the CSV and the API give the same figures."""
import csv
import io
from decimal import Decimal

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

import ckan.tests.helpers as helpers
from ckan import model

from ckanext.bonos.citizen import payment_figures, payments

HEADER = ("periodo,fecha_pago,departamento_codigo,municipio_codigo,programa,"
          "modalidad_pago,transferencias,monto_hnl,estado\n")
ROWS = [
    # a first cycle, all paid (the rescheduled ones four weeks later)
    ("2024-T1", "2024-02-15", "0801", "bancaria", 100, 250000, "pagado"),
    ("2024-T1", "2024-02-15", "0801", "ventanilla", 50, 125000, "pagado"),
    ("2024-T1", "2024-02-15", "0801", "ventanilla", 10, 0, "reprogramado"),
    ("2024-T1", "2024-03-14", "0801", "ventanilla", 10, 25000, "pagado"),
    ("2024-T1", "2024-02-15", "0803", "bancaria", 40, 100000, "pagado"),
    # the latest cycle: something still pending in 0801; 0802 suppressed
    ("2024-T2", "2024-05-16", "0801", "bancaria", 120, 300000, "pagado"),
    ("2024-T2", "2024-05-16", "0801", "ventanilla", 6, 0, "pendiente"),
    ("2024-T2", "2024-05-16", "0802", "bancaria", "suprimido", "suprimido", "pagado"),
    ("2024-T2", "2024-05-16", "0802", "ventanilla", "suprimido", "suprimido", "pagado"),
    ("2024-T2", "2024-05-16", "0803", "bancaria", 45, 112500, "pagado"),
]


def history(rows=ROWS):
    return HEADER + "".join("%s,%s,08,%s,bono_vida_mejor,%s,%s,%s,%s\n" % r for r in rows)


def upload_history(portal, name, text=None, fecha_corte="2024-06-30", private=False):
    pkg = helpers.call_action(
        "package_create", {"user": portal.sysadmin["name"]}, type="bono", name=name,
        title="Pagos %s" % name, owner_org=portal.org["id"], programa="bono_vida_mejor",
        tipo_publicacion="historial_pagos", periodo_inicio="2024-01-01",
        periodo_fin="2024-06-30", fecha_corte=fecha_corte, departamentos=["08"],
        umbral_supresion=5, private=private)
    res = helpers.call_action(
        "resource_create", {"user": portal.sysadmin["name"]}, package_id=pkg["id"],
        name="pagos.csv", tabla="historial_pagos", url="pagos.csv", format="CSV",
        upload=FileStorage(io.BytesIO((text or history()).encode("utf-8")), "pagos.csv"))
    return pkg, res


def test_rows_from_history_sum_departments_and_count_suppressed_cells():
    records = [dict(zip(("periodo", "fecha_pago", "municipio_codigo", "modalidad_pago",
                         "transferencias", "monto_hnl", "estado"),
                        [None if v == "suprimido" else v for v in r]),
                    departamento_codigo="08", programa="bono_vida_mejor") for r in ROWS]
    rows = payments.rows_from_history(records, "r", "p", None)
    dep = {(r["periodo"], r["fecha_pago"].isoformat(), r["modalidad"], r["estado"]): r
           for r in rows if r["nivel"] == "departamento"}
    t2 = dep[("2024-T2", "2024-05-16", "bancaria", "pagado")]
    assert t2["transferencias"] == 165 and t2["transferencias_suprimidas"] == 1
    assert t2["monto"] == 412500 and t2["monto_suprimidas"] == 1
    only_hidden = dep[("2024-T2", "2024-05-16", "ventanilla", "pagado")]
    assert only_hidden["transferencias"] is None and only_hidden["transferencias_suprimidas"] == 1
    assert len([r for r in rows if r["nivel"] == "municipio"]) == len(ROWS)


def test_municipality_latest_cycle_last_payment_and_pending(portal):
    upload_history(portal, "pagos-2024")
    [place] = payment_figures.municipality("0801")
    assert place.ultimo_pago.isoformat() == "2024-05-16"
    assert place.latest.periodo == "2024-T2"
    assert place.latest.completo is False and place.latest.pendientes == 6
    assert place.latest.monto_pagado == Decimal("300000")
    assert [r["fecha_pago"].isoformat() for r in place.pagos][0] == "2024-05-16"
    assert len(place.pagos) == 6            # every row of the twelve months
    assert len(place.meses) == 12 and place.meses[-1][0].isoformat() == "2024-05-01"
    assert place.meses[-1][1] == {"bancaria": 300000.0}
    [fully] = payment_figures.municipality("0803")
    assert fully.latest.completo is True
    [hidden] = payment_figures.municipality("0802")
    assert hidden.latest.monto_pagado is None and hidden.latest.monto_pagado_suprimidas == 2
    assert hidden.latest.transferencias["pagado"] is None


def test_department_and_national_latest_cycle(portal):
    upload_history(portal, "pagos-2024")
    [dep] = payment_figures.department("08")
    assert dep.latest.periodo == "2024-T2" and dep.latest.completo is False
    assert dep.latest.transferencias["pagado"] == 165 and dep.latest.suprimidas["pagado"] == 2
    by_code = {c: (cycle, last) for c, _, cycle, last in dep.municipalities}
    assert by_code["0803"][0].completo is True and by_code["0803"][1].isoformat() == "2024-05-16"
    assert by_code["0804"] == (None, None)
    [nat] = payment_figures.national()
    assert nat.periodo == "2024-T2" and list(nat.departments) == ["08"]
    assert nat.departments["08"].monto_pagado == Decimal("412500")


def test_later_cut_off_wins_and_private_publications_are_not_read(portal):
    upload_history(portal, "pagos-2024")
    correction = [r if r[2:4] != ("0801", "ventanilla") or r[6] != "pendiente"
                  else r[:4] + (6, 15000, "pagado") for r in ROWS]
    pkg, _ = upload_history(portal, "pagos-2024-b", history(correction), fecha_corte="2024-07-31")
    [place] = payment_figures.municipality.uncached("0801")
    assert place.latest.completo is True
    helpers.call_action("package_patch", {"user": portal.sysadmin["name"]}, id=pkg["id"],
                        private=True)
    [place] = payment_figures.municipality("0801")
    assert place.latest.completo is False       # the private correction is not read
    assert model.Session.execute(sa.text(
        "SELECT count(*) FROM bonos_pagos WHERE package_id = :p AND publico"),
        {"p": pkg["id"]}).scalar() == 0


def test_deleting_the_resource_forgets_its_payments(portal):
    _, res = upload_history(portal, "pagos-2024")
    assert payment_figures.municipality("0801")
    helpers.call_action("resource_delete", {"user": portal.sysadmin["name"]}, id=res["id"])
    assert payment_figures.municipality("0801") == []
    assert model.Session.execute(sa.text("SELECT count(*) FROM bonos_pagos")).scalar() == 0


def test_csv_and_api_give_the_same_rows_with_suppressed_cells_empty(portal, app):
    upload_history(portal, "pagos-2024")
    api = helpers.call_action("bonos_pagos_list", nivel="municipio", municipio="0802")
    body = app.get("/bonos/pagos.csv?nivel=municipio&municipio=0802").body
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == len(api) == 2
    assert rows[0]["transferencias"] == "" and api[0]["transferencias"] is None
    assert api[0]["transferencias_celdas_suprimidas"] == 1
    assert [r["modalidad_pago"] for r in rows] == [r["modalidad_pago"] for r in api]
    dep = helpers.call_action("bonos_pagos_list", departamento="08")
    assert {r["municipio_codigo"] for r in dep} == {None}


def test_bad_parameters_are_field_errors_not_500(portal, app):
    with pytest.raises(Exception) as raised:
        helpers.call_action("bonos_pagos_list", nivel="pais")
    assert "nivel" in raised.value.error_dict
    response = app.get("/bonos/pagos.csv?municipio=9999", status=400)
    assert "municipio" in response.body
    assert app.get("/bonos/pagos.csv?municipio=0801").status_code == 200


@pytest.mark.parametrize("lang,words", [("", ("Pagos en Distrito Central", "Pagado",
                                               "suprimido", "Último pago")),
                                        ("en", ("Payments in Distrito Central", "Paid",
                                                "suppressed", "last payment"))])
def test_pages_show_when_it_was_paid(portal, app, lang, words):
    upload_history(portal, "pagos-2024")
    prefix = "/" + lang if lang else ""
    page = app.get(prefix + "/bonos/municipio/0801/pagos").body
    assert words[0] in page and words[1] in page
    assert "16 de mayo de 2024" in page if not lang else "May 16, 2024" in page
    hidden = app.get(prefix + "/bonos/municipio/0802/pagos").body
    assert words[2] in hidden
    assert app.get(prefix + "/bonos/municipio/0801").status_code == 200
    dep = app.get(prefix + "/bonos/departamento/08").body
    assert "/bonos/municipio/0803/pagos" in dep
    landing = app.get(prefix + "/bonos").body
    assert "2024-T2" not in landing      # cycles are written for people
    assert app.get("/bonos/municipio/9999/pagos", status=404)


def test_rebuild_rewrites_the_payments_from_the_datastore(portal):
    from ckanext.bonos.citizen import store
    upload_history(portal, "pagos-2024")
    before = model.Session.execute(sa.text("SELECT count(*) FROM bonos_pagos WHERE publico")).scalar()
    model.Session.execute(sa.text("DELETE FROM bonos_pagos"))
    model.Session.commit()
    assert payment_figures.municipality.uncached("0801") == []
    store.rebuild()
    after = model.Session.execute(sa.text("SELECT count(*) FROM bonos_pagos WHERE publico")).scalar()
    assert after == before > 0
    [place] = payment_figures.municipality("0801")
    assert place.latest.pendientes == 6
