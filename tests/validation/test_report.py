"""The report: first max_errors problems, the total of all, the summary."""
import io
import json

from ckanext.bonos.validation import Problem, Report, validate

from .samples import ROWS, codes, stream


def many_small_cells(n):
    row = ROWS["historial_pagos"][0]
    return [[*row[:6], "2", *row[7:]] for _ in range(n)]


def test_details_stop_at_max_errors_but_the_total_counts_everything():
    report = validate(stream("historial_pagos", many_small_cells(250)), "historial_pagos",
                      max_errors=10)
    assert len(report.errores) == 10
    assert report.total_errores == 250
    assert report.filas == 250
    assert [p.fila for p in report.errores] == list(range(2, 12))
    assert report.as_dict()["total_errores"] == 250


def test_default_keeps_100():
    report = validate(stream("historial_pagos", many_small_cells(150)), "historial_pagos")
    assert len(report.errores) == 100 and report.total_errores == 150


def test_max_errors_zero_still_counts():
    report = validate(stream("historial_pagos", many_small_cells(7)), "historial_pagos",
                      max_errors=0)
    assert report.errores == [] and report.total_errores == 7
    assert report.estado == "invalido"


def test_summary_names_rows_columns_and_total_in_both_languages():
    report = validate(stream("historial_pagos", many_small_cells(37)), "historial_pagos")
    text = report.summary(max_items=3)
    assert text.count("Fila ") == 3 and text.count("Row ") == 3
    assert "Fila 2, columna transferencias: El conteo 2" in text
    assert "Row 2, column transferencias: The count 2" in text
    assert "Fila 4, columna transferencias" in text
    assert "Fila 5" not in text
    assert text.endswith("(37 problemas en total / 37 problems in all)")


def test_summary_of_file_and_header_problems():
    report = validate(io.BytesIO(b""), "historial_pagos")
    assert report.summary() == ("Archivo: El archivo está vacío. / File: The file is empty. "
                                "(1 problema en total / 1 problem in all)")
    header = "periodo,estado\n2023,pagado\n".encode()
    text = validate(io.BytesIO(header), "historial_pagos").summary()
    assert "Fila 1, columna fecha_pago:" in text and "Row 1, column fecha_pago:" in text


def test_summary_of_a_valid_file():
    report = validate(stream("indicadores"), "indicadores")
    assert report.summary() == "Archivo válido: 3 filas. / Valid file: 3 rows."


def test_every_message_is_spanish_then_english_sentences():
    rows = [list(r) for r in ROWS["historial_pagos"]]
    rows[0][0], rows[0][1], rows[0][6] = "2023-13", "2023/01/01", "3"
    rows[1][5], rows[1][7] = "tarjeta", "1,5"
    report = validate(stream("historial_pagos", rows), "historial_pagos")
    assert report.total_errores == 5
    for problem in report.errores:
        es, en = problem.mensaje.split(". / ", 1)
        assert es and en.endswith(".")
        assert problem.mensaje == f"{problem.es} / {problem.en}"


def test_as_dict_rows_are_plain_json():
    report = validate(stream("historial_pagos", many_small_cells(2)), "historial_pagos")
    data = json.loads(json.dumps(report.as_dict()))
    assert data["estado"] == "invalido"
    assert data["errores"][0] == {"fila": 2, "columna": "transferencias",
                                  "codigo": "celda_pequena",
                                  "mensaje": report.errores[0].mensaje}
    assert set(data) == {"estado", "errores", "total_errores", "filas", "encoding",
                         "delimitador"}


def test_report_can_be_built_by_hand():
    report = Report(estado="invalido", errores=[Problem(3, "x", "tipo", "m")],
                    total_errores=1)
    assert report.summary() == "Fila 3, columna x: m (1 problema en total / 1 problem in all)"


def test_codes_helper_sanity():
    # a file with no problems really reports none (guards the helper used everywhere)
    assert codes(validate(stream("resumen_ejecucion"), "resumen_ejecucion")) == []
    assert codes(validate(stream("resumen_ejecucion", [["x"] * 9]), "resumen_ejecucion"))
