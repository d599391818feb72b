"""Typed rows and DataStore fields for a file that passed validation."""
import datetime
import json

import pytest

from ckanext.bonos.tables import TABLES, table_schema
from ckanext.bonos.validation import datastore_fields, read_rows, validate

from .samples import HEADERS, ROWS, stream


def rows_of(tabla, rows=None, **kwargs):
    assert validate(stream(tabla, rows, **kwargs), tabla).estado == "valido"
    fields, records = read_rows(stream(tabla, rows, **kwargs), tabla)
    return fields, list(records)


def test_typed_values_of_historial_pagos():
    fields, records = rows_of("historial_pagos")
    assert fields == datastore_fields("historial_pagos")
    assert records[0] == {
        "periodo": "2023-05", "fecha_pago": "2023-05-10", "departamento_codigo": "08",
        "municipio_codigo": "0801", "programa": "bono_vida_mejor",
        "modalidad_pago": "bancaria", "transferencias": 1200, "monto_hnl": 3999996.0,
        "estado": "pagado"}
    assert isinstance(records[0]["transferencias"], int)
    assert isinstance(records[0]["monto_hnl"], float)
    datetime.date.fromisoformat(records[0]["fecha_pago"])
    json.dumps(records)   # ready for the Action API as they are


def test_suppressed_cells_are_none_never_zero():
    _fields, records = rows_of("resumen_ejecucion")
    assert records[3]["hogares"] is None and records[3]["personas"] is None
    # the row rule: its amounts are suppressed too, and NULL as well
    assert records[3]["monto_programado_hnl"] is None
    assert records[3]["monto_transferido_hnl"] is None
    assert records[2]["hogares"] == 0          # a true zero stays zero
    assert records[0]["hogares"] == 12450


def test_empty_optional_cells_are_none():
    _fields, records = rows_of("historial_pagos")
    assert records[2]["municipio_codigo"] is None
    _fields, records = rows_of("indicadores")
    assert records[0]["departamento_codigo"] is None
    assert records[1]["meta"] is None
    assert records[1]["valor"] == -2.5


def test_decimal_comma_in_a_semicolon_file_becomes_a_float():
    rows = [list(r) for r in ROWS["historial_pagos"]]
    rows[3][7] = "12345678,50"
    _fields, records = rows_of("historial_pagos", rows, delimiter=";")
    assert records[3]["monto_hnl"] == 12345678.5


def test_columns_in_another_order_and_an_absent_optional_column():
    header = ["unidad", "valor", "departamento_codigo", "periodo", "tipo", "indicador",
              "indicador_codigo"]
    rows = [[r[7], r[5], r[4], r[3], r[2], r[1], r[0]] for r in ROWS["indicadores"]]
    _fields, records = rows_of("indicadores", rows, header=header)
    assert list(records[0]) == HEADERS["indicadores"]       # schema order
    assert records[0]["meta"] is None                       # absent column
    assert records[0]["indicador"].startswith("Hogares con niños")


def test_latin1_file_reads_accents_right():
    _fields, records = rows_of("indicadores", encoding="cp1252", delimiter=";")
    assert "niñas" in records[1]["indicador"]


@pytest.mark.parametrize("tabla", TABLES)
def test_datastore_fields_follow_the_schema_with_bilingual_info(tabla):
    schema = table_schema(tabla)
    fields = datastore_fields(tabla)
    assert [f["id"] for f in fields] == [f["name"] for f in schema["fields"]]
    expected = {"string": "text", "integer": "int8", "number": "numeric", "date": "date"}
    for field, spec in zip(fields, schema["fields"]):
        assert field["type"] == expected[spec["type"]]
        assert field["info"]["label"] == spec["title"] and " / " in field["info"]["label"]
        assert field["info"].get("notes") == spec.get("description")


def test_count_columns_are_int8():
    types = {f["id"]: f["type"] for f in datastore_fields("resumen_ejecucion")}
    assert types["hogares"] == "int8" and types["monto_programado_hnl"] == "numeric"


def test_read_rows_refuses_a_file_whose_header_is_wrong():
    with pytest.raises(ValueError):
        read_rows(stream("historial_pagos", header=["nombre", *HEADERS["historial_pagos"][1:]]),
                  "historial_pagos")


def test_read_rows_refuses_garbage_instead_of_loading_it():
    rows = [list(r) for r in ROWS["historial_pagos"]]
    rows[1][6] = "muchos"
    _fields, records = read_rows(stream("historial_pagos", rows), "historial_pagos")
    with pytest.raises(ValueError, match="fila 3, columna transferencias"):
        list(records)
