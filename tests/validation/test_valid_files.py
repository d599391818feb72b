"""Valid files of every table pass, whatever the encoding and delimiter."""
import io
import json

import pytest

from ckanext.bonos.tables import TABLES
from ckanext.bonos.validation import validate

from .samples import ROWS, codes, csv_bytes, stream


@pytest.mark.parametrize("tabla", TABLES)
def test_utf8_file_of_each_table_is_valid(tabla):
    report = validate(stream(tabla), tabla)
    assert codes(report) == []
    assert report.estado == "valido"
    assert report.total_errores == 0
    assert report.filas == len(ROWS[tabla])
    assert report.encoding == "utf-8"
    assert report.delimiter == ","


@pytest.mark.parametrize("tabla", TABLES)
def test_utf8_with_bom_is_valid_and_the_bom_is_not_part_of_the_first_column(tabla):
    report = validate(stream(tabla, bom=True), tabla)
    assert codes(report) == []
    assert report.encoding == "utf-8-sig"


def test_latin1_export_with_accents_is_valid_and_reported_as_cp1252():
    data = csv_bytes("indicadores", encoding="cp1252", delimiter=";")
    assert "niños".encode("cp1252") in data   # the sample really has accents
    report = validate(io.BytesIO(data), "indicadores")
    assert codes(report) == []
    assert report.encoding == "cp1252"
    assert report.delimiter == ";"


def test_latin1_bytes_after_many_ascii_lines_switch_the_encoding():
    rows = [list(ROWS["indicadores"][2]) for _ in range(500)]
    rows.append(list(ROWS["indicadores"][0]))   # the only line with accents, at the end
    report = validate(stream("indicadores", rows, encoding="latin-1"), "indicadores")
    assert codes(report) == []
    assert report.encoding == "cp1252"


@pytest.mark.parametrize("tabla", TABLES)
def test_semicolon_file_with_decimal_comma_is_valid(tabla):
    rows = [[cell.replace(".", ",") if _decimal(cell) else cell for cell in row]
            for row in ROWS[tabla]]
    assert any("," in cell for row in rows for cell in row)
    report = validate(stream(tabla, rows, delimiter=";"), tabla)
    assert codes(report) == []
    assert report.delimiter == ";"


def _decimal(cell):
    return cell.replace(".", "", 1).lstrip("-").isdigit() and "." in cell


def test_unix_newlines_and_quoted_fields_are_valid():
    rows = [list(r) for r in ROWS["indicadores"]]
    rows[0][1] = 'Hogares "vida mejor", con niños'   # comma and quotes inside
    report = validate(stream("indicadores", rows, newline="\n"), "indicadores")
    assert codes(report) == []


def test_columns_in_any_order_and_any_case_with_spaces():
    header = ["  MONTO_HNL", "Estado ", *[h for h in
              ("periodo", "fecha_pago", "departamento_codigo", "municipio_codigo",
               "programa", "modalidad_pago", "transferencias")]]
    order = [7, 8, 0, 1, 2, 3, 4, 5, 6]
    rows = [[row[i] for i in order] for row in ROWS["historial_pagos"]]
    report = validate(stream("historial_pagos", rows, header=header), "historial_pagos")
    assert codes(report) == []


def test_optional_column_may_be_absent():
    header = ["indicador_codigo", "indicador", "tipo", "periodo", "departamento_codigo",
              "valor", "unidad"]
    rows = [[r[0], r[1], r[2], r[3], r[4], r[5], r[7]] for r in ROWS["indicadores"]]
    assert codes(validate(stream("indicadores", rows, header=header), "indicadores")) == []


def test_blank_lines_and_rows_of_empty_cells_are_ignored():
    text = csv_bytes("historial_pagos").decode()
    lines = text.split("\r\n")
    lines.insert(2, "")
    lines.insert(3, ",,,,,,,,")
    report = validate(io.BytesIO("\r\n".join(lines).encode()), "historial_pagos")
    assert codes(report) == []
    assert report.filas == len(ROWS["historial_pagos"])


def test_trailing_unnamed_empty_columns_from_a_spreadsheet_are_ignored():
    header = [*HEADERS_PAGOS, "", ""]
    rows = [[*row, "", ""] for row in ROWS["historial_pagos"]]
    rows[1] = rows[1][:-2]   # and a row without them
    assert codes(validate(stream("historial_pagos", rows, header=header),
                          "historial_pagos")) == []


HEADERS_PAGOS = ["periodo", "fecha_pago", "departamento_codigo", "municipio_codigo",
                 "programa", "modalidad_pago", "transferencias", "monto_hnl", "estado"]


def test_as_dict_is_json_with_spanish_keys():
    report = validate(stream("historial_pagos"), "historial_pagos")
    data = json.loads(json.dumps(report.as_dict()))
    assert data == {"estado": "valido", "errores": [], "total_errores": 0,
                    "filas": 4, "encoding": "utf-8", "delimitador": ","}


@pytest.mark.parametrize("wrap", ["bytesio", "file", "raw", "read_only"])
def test_any_binary_stream(tmp_path, wrap):
    path = tmp_path / "pagos.csv"
    path.write_bytes(csv_bytes("historial_pagos"))
    if wrap == "bytesio":
        source = io.BytesIO(path.read_bytes())
    elif wrap == "file":
        source = open(path, "rb")
    elif wrap == "raw":
        source = open(path, "rb", buffering=0)
    else:
        class ReadOnly:
            def __init__(self, data):
                self._buf = io.BytesIO(data)

            def read(self, n=-1):
                return self._buf.read(n)
        source = ReadOnly(path.read_bytes())
    report = validate(source, "historial_pagos")
    assert codes(report) == [] and report.filas == 4
    if hasattr(source, "close"):
        source.close()


def test_text_stream_is_a_programming_error():
    with pytest.raises(TypeError):
        validate(io.StringIO("periodo\n"), "historial_pagos")


def test_unknown_table_is_a_programming_error():
    with pytest.raises(ValueError):
        validate(stream("historial_pagos"), "pagos")
