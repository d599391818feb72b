"""The publishers' tool: raw linked tables in, tables that pass the audit out."""
import io
import json

import pytest

from ckanext.bonos import disclosure, validation
from ckanext.bonos.demo import DEFAULT_SEED, PROGRAMAS, tablas
from ckanext.bonos.demo.simulacion import Simulacion
from ckanext.bonos.disclosure import files

RESUMEN = ("periodo,departamento_codigo,municipio_codigo,programa,componente,"
           "hogares,personas,monto_programado_hnl,monto_transferido_hnl\n"
           "2024-T1,08,0801,bono_vida_mejor,total,153,600,382500.00,382500.00\n"
           "2024-T1,08,0802,bono_vida_mejor,total,3,9,7500.00,7500.00\n")
HISTORIAL = ("periodo,fecha_pago,departamento_codigo,municipio_codigo,programa,"
             "modalidad_pago,transferencias,monto_hnl,estado\n"
             "2024-T1,2024-02-10,08,0801,bono_vida_mejor,bancaria,100,250000.00,pagado\n"
             "2024-T1,2024-02-10,08,0801,bono_vida_mejor,ventanilla,50,125000.00,pagado\n"
             "2024-T1,2024-02-10,08,0801,bono_vida_mejor,movil,3,7500.00,pagado\n"
             "2024-T1,2024-02-10,08,0802,bono_vida_mejor,ventanilla,3,7500.00,pagado\n")


def passes(contents):
    """Every output is a valid file and the linked outputs pass the audit."""
    tables, codes = [], disclosure.Codes()
    for name, data in contents.items():
        tabla = files.detect_table(data.decode().splitlines()[0].split(","))
        rows = disclosure.Columns(tabla, name, 5, codes)
        report = validation.validate(io.BytesIO(data), tabla, rows_to=rows)
        assert report.valido, (name, report.summary())
        tables.append(rows)
    return disclosure.audit_columns(tables)


def test_the_worked_example_hides_the_small_row_and_its_smallest_neighbour():
    out = files.suppress_files({"r.csv": RESUMEN.encode(), "h.csv": HISTORIAL.encode()})
    historial = out.contents["h.csv"].decode().splitlines()
    assert historial[1].endswith("bancaria,100,250000.00,pagado")
    assert historial[2].endswith("ventanilla,suprimido,suprimido,pagado")     # secondary
    assert historial[3].endswith("movil,suprimido,suprimido,pagado")          # primary
    assert historial[4].endswith("0802,bono_vida_mejor,ventanilla,suprimido,suprimido,pagado")
    resumen = out.contents["r.csv"].decode().splitlines()
    assert resumen[2].endswith("total,suprimido,suprimido,suprimido,suprimido")
    h = next(s for s in out.summaries if s.name == "h.csv")
    assert (h.primarias, h.secundarias, h.filas_suprimidas, h.celdas_suprimidas) == (2, 1, 3, 6)
    assert h.unidades_suprimidas == 56 and h.unidades == 156
    result = passes(out.contents)
    assert result.safe and result.suppressed == 5


def test_the_same_input_gives_the_same_bytes():
    raw = {"r.csv": RESUMEN.encode(), "h.csv": HISTORIAL.encode()}
    assert files.suppress_files(raw).contents == files.suppress_files(raw).contents


def test_the_demo_simulation_raw_tables_come_out_safe():
    sim = Simulacion(PROGRAMAS["bono_discapacidad"], DEFAULT_SEED)
    raw = {"resumen.csv": tablas.resumen_ejecucion(sim, 2024, {"11", "17", "13"}),
           "historial.csv": tablas.historial_pagos(sim, 2024, {"11", "17", "13"})}
    # the raw tables leak: small counts in the open
    assert not validation.validate(io.BytesIO(raw["historial.csv"]), "historial_pagos").valido
    out = files.suppress_files(raw)
    result = passes(out.contents)
    assert result.safe and result.suppressed > 100
    assert sum(s.secundarias for s in out.summaries) > 0


def test_a_raw_table_must_hold_true_figures():
    with pytest.raises(ValueError) as exc:
        files.suppress_files({"r.csv": RESUMEN.replace("3,9,", "suprimido,9,").encode()})
    assert "cifra verdadera" in str(exc.value) and "true figure" in str(exc.value)


def test_the_command_writes_the_tables_and_reports(tmp_path, cli):
    from ckan.cli.cli import ckan
    (tmp_path / "resumen.csv").write_text(RESUMEN)
    (tmp_path / "historial.csv").write_text(HISTORIAL)
    args = ["bonos", "suprimir", str(tmp_path / "resumen.csv"), str(tmp_path / "historial.csv"),
            "--salida", str(tmp_path / "out"), "--json"]
    result = cli.invoke(ckan, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):])
    assert report["umbral"] == 5
    assert {t["name"]: t["filas_suprimidas"] for t in report["tablas"]} == {
        "historial.csv": 3, "resumen.csv": 1}
    first = (tmp_path / "out" / "historial.csv").read_bytes()
    assert b"movil,suprimido,suprimido" in first
    assert cli.invoke(ckan, args).exit_code == 0
    assert (tmp_path / "out" / "historial.csv").read_bytes() == first
    text = cli.invoke(ckan, args[:-1])
    assert "3 de 4 filas suprimidas" in text.output and "3 of 4 rows suppressed" in text.output
