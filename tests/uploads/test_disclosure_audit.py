"""Uploads are audited with the tables they are linked to: a table whose suppressed
counts can be worked out is refused with the cells named; its safe twin is loaded."""
import io

import pytest
from werkzeug.datastructures import FileStorage

import ckan.logic as logic
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

S = "suprimido"
RESUMEN = ("periodo,departamento_codigo,municipio_codigo,programa,componente,"
           "hogares,personas,monto_programado_hnl,monto_transferido_hnl\n")
HISTORIAL = ("periodo,fecha_pago,departamento_codigo,municipio_codigo,programa,"
             "modalidad_pago,transferencias,monto_hnl,estado\n")
SUMMARY = RESUMEN + "2024-T1,08,0801,bono_vida_mejor,total,153,600,382500.00,382500.00\n"


def history(ventanilla="50,125000.00"):
    return HISTORIAL + (
        "2024-T1,2024-02-10,08,0801,bono_vida_mejor,bancaria,100,250000.00,pagado\n"
        "2024-T1,2024-02-10,08,0801,bono_vida_mejor,ventanilla,%s,pagado\n"
        "2024-T1,2024-02-10,08,0801,bono_vida_mejor,movil,suprimido,suprimido,pagado\n"
        % ventanilla)


@pytest.fixture
def portal(clean_db, clean_index, with_plugins, clean_datastore, tmp_path, ckan_config,
           monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    org = factories.Organization(name="sedis")
    user = factories.Sysadmin()

    def publication(name, tipo, private=False):
        return helpers.call_action(
            "package_create", {"user": user["name"]}, type="bono", name=name, title=name,
            owner_org=org["id"], programa="bono_vida_mejor", tipo_publicacion=tipo,
            periodo_inicio="2024-01-01", periodo_fin="2024-12-31", umbral_supresion=5,
            private=private)

    def upload(pkg, tabla, text):
        return helpers.call_action(
            "resource_create", {"user": user["name"]}, package_id=pkg["id"], name=tabla,
            tabla=tabla, url=tabla + ".csv",
            upload=FileStorage(io.BytesIO(text.encode("utf-8")), tabla + ".csv"))

    return publication, upload


def resources(pkg):
    return helpers.call_action("package_show", id=pkg["id"])["resources"]


def test_paid_rows_that_sum_to_a_summary_of_another_publication_are_refused(portal):
    publication, upload = portal
    upload(publication("bvm-2024-resumen", "resumen_ejecucion"), "resumen_ejecucion", SUMMARY)
    pagos = publication("bvm-2024-pagos", "historial_pagos")
    with pytest.raises(logic.ValidationError) as exc:
        upload(pagos, "historial_pagos", history())
    message = exc.value.error_dict["url"][0]
    # 382,500 - 250,000 - 125,000 = 7,500, at 2,500 a transfer: 3, exactly
    assert "Fila 4, columna transferencias" in message and "entre 3 y 3" in message
    assert "Row 4, column transferencias" in message
    assert resources(pagos) == []


def test_their_safe_twin_with_a_second_paid_row_suppressed_is_loaded(portal):
    publication, upload = portal
    upload(publication("bvm-2024-resumen", "resumen_ejecucion"), "resumen_ejecucion", SUMMARY)
    pagos = publication("bvm-2024-pagos", "historial_pagos")
    res = upload(pagos, "historial_pagos", history(ventanilla="suprimido,suprimido"))
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "valido"
    rows = helpers.call_action("datastore_search", resource_id=res["id"], sort="_id")["records"]
    assert [r["monto_hnl"] for r in rows] == [250000, None, None]


def test_the_same_history_alone_has_nothing_to_be_subtracted_from(portal):
    publication, upload = portal
    res = upload(publication("bvm-2024-pagos", "historial_pagos"), "historial_pagos", history())
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "valido"


def test_a_summary_uploaded_after_the_history_is_audited_with_it(portal):
    publication, upload = portal
    upload(publication("bvm-2024-pagos", "historial_pagos"), "historial_pagos", history())
    resumen = publication("bvm-2024-resumen", "resumen_ejecucion")
    with pytest.raises(logic.ValidationError) as exc:
        upload(resumen, "resumen_ejecucion", SUMMARY)
    message = exc.value.error_dict["url"][0]
    assert "tabla enlazada" in message and "linked table" in message
    assert "transferencias" in message
    assert resources(resumen) == []


def test_an_amount_beside_a_suppressed_count_is_refused_by_the_row_rule(portal):
    publication, upload = portal
    pkg = publication("bvm-2024-resumen", "resumen_ejecucion")
    text = RESUMEN + ("2024-T1,08,0801,bono_vida_mejor,total,60,240,150000,150000\n"
                      "2024-T1,08,0802,bono_vida_mejor,total,suprimido,suprimido,7500,7500\n")
    with pytest.raises(logic.ValidationError) as exc:
        upload(pkg, "resumen_ejecucion", text)
    message = exc.value.error_dict["url"][0]
    assert "Fila 3, columna monto_programado_hnl" in message and "regla de la fila" in message
    res = upload(pkg, "resumen_ejecucion",
                 text.replace("suprimido,suprimido,7500,7500", ",".join([S] * 4)))
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "valido"


@pytest.mark.ckan_config("ckanext.bonos.auditoria.time_limit", "0.000001")
def test_no_verdict_in_time_holds_the_file_as_pending_never_valid(portal):
    publication, upload = portal
    upload(publication("bvm-2024-resumen", "resumen_ejecucion"), "resumen_ejecucion", SUMMARY)
    pagos = publication("bvm-2024-pagos", "historial_pagos")
    res = upload(pagos, "historial_pagos", history(ventanilla="suprimido,suprimido"))
    report = helpers.call_action("bonos_validacion_show", id=res["id"])
    assert report["estado"] == "pendiente"
    assert report["errores"][0]["codigo"] == "auditoria_pendiente"
    with pytest.raises(logic.NotFound):
        helpers.call_action("datastore_search", resource_id=res["id"])


COMPONENTS = RESUMEN + (
    "2024-T1,08,0801,bono_vida_mejor,total,500,2000,1400000,1390000\n"
    "2024-T1,08,0801,bono_vida_mejor,educacion,400,1500,1000000,990000\n"
    "2024-T1,08,0801,bono_vida_mejor,salud,300,900,390000,390000\n"
    "2024-T1,08,0801,bono_vida_mejor,nutricion,suprimido,suprimido,suprimido,suprimido\n"
    "2024-T1,08,0802,bono_vida_mejor,nutricion,40,80,100000,100000\n")


def test_a_total_whose_single_suppressed_component_is_its_difference_is_refused(portal):
    publication, upload = portal
    pkg = publication("bvm-2024-resumen", "resumen_ejecucion")
    with pytest.raises(logic.ValidationError) as exc:
        upload(pkg, "resumen_ejecucion", COMPONENTS)
    message = exc.value.error_dict["url"][0]
    # 1,390,000 - 990,000 - 390,000 = 10,000 at 2,500 a nutrition household: 4
    assert "Fila 5, columna hogares" in message and "entre 4 y 4" in message
    safe = COMPONENTS.replace("salud,300,900,390000,390000", "salud," + ",".join([S] * 4))
    res = upload(pkg, "resumen_ejecucion", safe)
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "valido"


def test_two_hidden_municipalities_whose_sum_is_below_the_threshold_are_refused(portal):
    publication, upload = portal
    pkg = publication("bvm-2024-resumen", "resumen_ejecucion")
    hidden = "," + ",".join([S] * 4) + "\n"
    text = RESUMEN + ("2024-T1,08,,bono_vida_mejor,total,6,24,15000,15000\n"
                      "2024-T1,08,0801,bono_vida_mejor,total" + hidden +
                      "2024-T1,08,0802,bono_vida_mejor,total" + hidden)
    with pytest.raises(logic.ValidationError) as exc:
        upload(pkg, "resumen_ejecucion", text)
    message = exc.value.error_dict["url"][0]
    assert "Fila 3, columna hogares" in message and "entre 1 y 5" in message
    # with a third, larger one hidden beside them, none can be narrowed below 5
    safe = text.replace("total,6,24,15000,15000", "total,106,424,265000,265000") + (
        "2024-T1,08,0803,bono_vida_mejor,total" + hidden)
    res = upload(pkg, "resumen_ejecucion", safe)
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "valido"


def test_a_private_summary_counts_too_it_may_be_made_public_later(portal):
    publication, upload = portal
    upload(publication("bvm-2024-resumen", "resumen_ejecucion", private=True),
           "resumen_ejecucion", SUMMARY)
    pagos = publication("bvm-2024-pagos", "historial_pagos")
    with pytest.raises(logic.ValidationError) as exc:
        upload(pagos, "historial_pagos", history())
    assert "entre 3 y 3" in exc.value.error_dict["url"][0]


def test_another_programme_is_not_linked(portal):
    publication, upload = portal
    upload(publication("bvm-2024-resumen", "resumen_ejecucion"), "resumen_ejecucion",
           SUMMARY.replace("bono_vida_mejor", "bono_tercera_edad"))
    res = upload(publication("bvm-2024-pagos", "historial_pagos"), "historial_pagos", history())
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "valido"


# -- tables already stored: ckan bonos auditar ----------------------------------------------

def test_stored_tables_are_audited_again_when_the_threshold_is_raised(portal, cli):
    """Safe at 5, the stored pair leaks at 60: the two hidden paid rows share 53
    transfers (132,500 lempiras at 2,500), so neither can exceed 52."""
    import json

    from ckanext.bonos.cli import bonos

    publication, upload = portal
    resumen = publication("bvm-2024-resumen", "resumen_ejecucion")
    upload(resumen, "resumen_ejecucion", SUMMARY)
    pagos = publication("bvm-2024-pagos", "historial_pagos")
    res = upload(pagos, "historial_pagos", history(ventanilla="suprimido,suprimido"))

    safe = cli.invoke(bonos, ["auditar", "--json"])
    assert safe.exit_code == 0, safe.output
    assert json.loads(safe.output)["celdas_revelables"] == []

    for pkg in (resumen, pagos):
        helpers.call_action("package_patch", id=pkg["id"], umbral_supresion=60)
    leaky = cli.invoke(bonos, ["auditar", "--json"])
    assert leaky.exit_code == 1, leaky.output
    report = json.loads(leaky.output)
    cells = sorted((c["recurso"], c["fila"], c["columna"], c["desde"], c["hasta"], c["umbral"])
                   for c in report["celdas_revelables"])
    assert cells == [(res["id"], 3, "transferencias", 1, 52, 60),
                     (res["id"], 4, "transferencias", 1, 52, 60)]
    # Nothing was changed: the file is still valid and loaded.
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "valido"
    text = cli.invoke(bonos, ["auditar", "-p", "bvm-2024-pagos"])
    assert text.exit_code == 1 and "fila/row 3, transferencias: 1..52" in text.output
