"""Uploading summary tables: refused when they break the standard, loaded into
the DataStore when valid, with the report available through the API."""
import io

import pytest
from werkzeug.datastructures import FileStorage

import ckan.logic as logic
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckan import model
from ckan.lib import jobs

HEADER = ("periodo,departamento_codigo,municipio_codigo,programa,componente,"
          "hogares,personas,monto_programado_hnl,monto_transferido_hnl\n")
VALID = HEADER + (
    "2024-T1,08,0801,bono_vida_mejor,educacion,1200,4100,3000000,2950000.50\n"
    "2024-T1,08,0802,bono_vida_mejor,educacion,suprimido,suprimido,suprimido,suprimido\n"
    "2024-T1,15,,bono_vida_mejor,total,900,3000,2250000,2200000\n")


@pytest.fixture
def publication(clean_db, clean_index, with_plugins, clean_datastore, tmp_path, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
    org = factories.Organization(name="sedis")
    user = factories.Sysadmin()
    pkg = helpers.call_action(
        "package_create", {"user": user["name"]}, type="bono", name="bvm-2024-t1",
        title="Bono Vida Mejor 2024-T1", owner_org=org["id"], programa="bono_vida_mejor",
        tipo_publicacion="resumen_ejecucion", periodo_inicio="2024-01-01",
        periodo_fin="2024-03-31", umbral_supresion=5)
    return {"pkg": pkg, "user": user}


def upload(publication, text, name="resumen.csv", encoding="utf-8", **extra):
    data = {"package_id": publication["pkg"]["id"], "name": name, "tabla": "resumen_ejecucion",
            "url": name, "upload": FileStorage(io.BytesIO(text.encode(encoding)), name)}
    data.update(extra)
    return helpers.call_action("resource_create", {"user": publication["user"]["name"]}, **data)


def resources_of(publication):
    return helpers.call_action("package_show", id=publication["pkg"]["id"])["resources"]


def test_valid_upload_is_loaded_into_the_datastore(publication):
    res = upload(publication, VALID)
    report = helpers.call_action("bonos_validacion_show", id=res["id"])
    assert report["estado"] == "valido" and report["errores"] == []
    rows = helpers.call_action("datastore_search", resource_id=res["id"], sort="_id")["records"]
    assert [r["municipio_codigo"] for r in rows] == ["0801", "0802", None]
    assert rows[0]["hogares"] == 1200
    # a suppressed cell is NULL in the DataStore, never 0
    assert rows[1]["hogares"] is None and rows[1]["personas"] is None
    fields = {f["id"]: f["type"] for f in helpers.call_action(
        "datastore_search", resource_id=res["id"], limit=0)["fields"]}
    assert fields["hogares"] == "int8" and fields["monto_transferido_hnl"] == "numeric"
    # full-text search over the rows works (the DataStore trigger filled it)
    found = helpers.call_action("datastore_search", resource_id=res["id"], q="0802")
    assert [r["municipio_codigo"] for r in found["records"]] == ["0802"]


def test_sql_over_the_loaded_rows(publication):
    res = upload(publication, VALID)
    result = helpers.call_action(
        "datastore_search_sql",
        sql='SELECT sum(hogares) AS h FROM "%s" WHERE departamento_codigo = \'08\'' % res["id"])
    assert int(result["records"][0]["h"]) == 1200


def test_identity_number_column_is_refused_and_nothing_is_stored(publication):
    text = ("periodo,departamento_codigo,municipio_codigo,programa,componente,hogares,"
            "personas,monto_programado_hnl,monto_transferido_hnl,numero_identidad\n"
            "2024-T1,08,0801,bono_vida_mejor,educacion,1200,4100,3000000,2950000,0801-1990-01234\n")
    with pytest.raises(logic.ValidationError) as exc:
        upload(publication, text)
    message = exc.value.error_dict["url"][0]
    assert "numero_identidad" in message
    assert resources_of(publication) == []


def test_small_count_is_refused_with_row_and_column(publication):
    text = HEADER + VALID.splitlines()[1] + "\n" + \
        "2024-T1,08,0803,bono_vida_mejor,educacion,3,9,10000,10000\n"
    with pytest.raises(logic.ValidationError) as exc:
        upload(publication, text)
    message = exc.value.error_dict["url"][0]
    assert "3" in message and "hogares" in message
    assert resources_of(publication) == []
    assert model.Session.query(model.Resource).filter_by(state="active").count() == 0


def test_latin1_spreadsheet_export_with_semicolons_is_accepted(publication):
    text = VALID.replace(",", ";").replace("2950000.50", "2950000,50")
    res = upload(publication, text, encoding="latin-1")
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "valido"


def test_invalid_update_keeps_the_previous_file_and_rows(publication):
    res = upload(publication, VALID)
    bad = HEADER + "2024-T1,08,1501,bono_vida_mejor,educacion,100,400,1,1\n"
    with pytest.raises(logic.ValidationError):
        helpers.call_action("resource_update", {"user": publication["user"]["name"]},
                            id=res["id"], package_id=publication["pkg"]["id"],
                            tabla="resumen_ejecucion", url="resumen.csv",
                            upload=FileStorage(io.BytesIO(bad.encode()), "resumen.csv"))
    rows = helpers.call_action("datastore_search", resource_id=res["id"])["records"]
    assert len(rows) == 3
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "valido"


def test_report_of_a_resource_without_table_is_not_found(publication):
    res = helpers.call_action("resource_create", {"user": publication["user"]["name"]},
                              package_id=publication["pkg"]["id"], url="http://x.hn/a.pdf")
    with pytest.raises(logic.NotFound):
        helpers.call_action("bonos_validacion_show", id=res["id"])


def test_report_over_http(publication, app):
    res = upload(publication, VALID)
    body = app.get("/api/3/action/bonos_validacion_show", query_string={"id": res["id"]}).get_json()
    assert body["success"] and body["result"]["estado"] == "valido"
    assert body["result"]["tabla"] == "resumen_ejecucion"


@pytest.mark.ckan_config("ckanext.bonos.validacion.max_sync_bytes", "10")
@pytest.mark.usefixtures("clean_queues")
def test_large_file_waits_for_the_background_job(publication):
    res = upload(publication, VALID)
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "pendiente"
    with pytest.raises(logic.NotFound):
        helpers.call_action("datastore_search", resource_id=res["id"])
    # a real worker on Redis, as `ckan jobs worker` runs it, until the queue is empty
    jobs.Worker().work(burst=True)
    assert helpers.call_action("bonos_validacion_show", id=res["id"])["estado"] == "valido"
    assert len(helpers.call_action("datastore_search", resource_id=res["id"])["records"]) == 3


@pytest.mark.ckan_config("ckanext.bonos.validacion.max_sync_bytes", "10")
@pytest.mark.usefixtures("clean_queues")
def test_pending_file_is_not_downloadable_by_the_public(publication, app):
    res = upload(publication, VALID)
    url = "/dataset/%s/resource/%s/download/resumen.csv" % (publication["pkg"]["id"], res["id"])
    assert app.get(url).status_code == 403
    sysadmin = {"Authorization": factories.SysadminWithToken()["token"]}
    assert app.get(url, headers=sysadmin).status_code == 200
    jobs.Worker().work(burst=True)
    assert app.get(url).status_code == 200
