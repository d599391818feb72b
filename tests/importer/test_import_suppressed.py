"""`ckan bonos import DIR --suprimir`: a folder of raw tables (true counts) is
suppressed through the publishers' tool, then imported; the folder is not changed."""
import json

import pytest

from ckan.tests import helpers

from tests.disclosure.test_tool import HISTORIAL, RESUMEN

pytestmark = pytest.mark.usefixtures("ckan_env")


def _publication(name, tipo, tabla, file):
    return {"name": name, "title": name, "notes": "Prueba", "programa": "bono_vida_mejor",
            "tipo_publicacion": tipo, "periodo_inicio": "2024-01-01",
            "periodo_fin": "2024-12-31", "umbral_supresion": 5, "license_id": "cc-by",
            "resources": [{"file": file, "name": tabla, "format": "CSV", "tabla": tabla}]}


@pytest.fixture
def raw_folder(tmp_path):
    folder = tmp_path / "crudo"
    folder.mkdir()
    (folder / "resumen.csv").write_text(RESUMEN)
    (folder / "historial.csv").write_text(HISTORIAL)
    (folder / "manifest.json").write_text(json.dumps({
        "manifest_version": 1, "organization": {"name": "sedis", "title": "SEDIS"},
        "publications": [
            _publication("bvm-2024-resumen", "resumen_ejecucion", "resumen_ejecucion",
                         "resumen.csv"),
            _publication("bvm-2024-pagos", "historial_pagos", "historial_pagos",
                         "historial.csv")]}))
    return folder


def _reports(name):
    pkg = helpers.call_action("package_show", id=name)
    return [helpers.call_action("bonos_validacion_show", id=r["id"])["estado"]
            for r in pkg["resources"]]


def test_raw_tables_are_refused_without_the_option(raw_folder, cli):
    from ckan.cli.cli import ckan
    result = cli.invoke(ckan, ["bonos", "import", str(raw_folder)])
    assert result.exit_code == 1
    assert "celda_pequena" in result.output or "suprimido" in result.output


def test_raw_tables_are_suppressed_then_imported(raw_folder, cli):
    from ckan.cli.cli import ckan
    before = (raw_folder / "historial.csv").read_bytes()
    result = cli.invoke(ckan, ["bonos", "import", str(raw_folder), "--suprimir"])
    assert result.exit_code == 0, result.output
    assert _reports("bvm-2024-resumen") == ["valido"]
    assert _reports("bvm-2024-pagos") == ["valido"]
    pkg = helpers.call_action("package_show", id="bvm-2024-pagos")
    rows = helpers.call_action("datastore_search", resource_id=pkg["resources"][0]["id"],
                               sort="_id")["records"]
    assert [r["transferencias"] for r in rows] == [100, None, None, None]
    assert (raw_folder / "historial.csv").read_bytes() == before
    # again: nothing changes
    again = cli.invoke(ckan, ["bonos", "import", str(raw_folder), "--suprimir"])
    assert again.exit_code == 0, again.output
    assert "publications: 0 created, 0 updated, 2 unchanged, 0 failed" in again.output
