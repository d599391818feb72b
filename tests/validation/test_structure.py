"""File-level and header problems, and row numbering."""
import io

import pytest

from ckanext.bonos.validation import validate

from .samples import HEADERS, ROWS, codes, csv_bytes


def check(data: bytes, tabla="historial_pagos", **kwargs):
    return validate(io.BytesIO(data), tabla, **kwargs)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b"   \n"])
def test_empty_file(data):
    report = check(data)
    assert codes(report) == [(None, None, "archivo_vacio")]
    assert report.estado == "invalido" and report.filas == 0


def test_header_only_has_no_rows():
    report = check(csv_bytes("historial_pagos", rows=[]))
    assert codes(report) == [(None, None, "sin_filas")]


@pytest.mark.parametrize("data,codigo", [
    (b"PK\x03\x04\x14\x00\x06\x00", "no_es_csv"),                 # .xlsx
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "no_es_csv"),             # .xls
    ("periodo,fecha_pago\n".encode("utf-16"), "codificacion"),      # UTF-16 with BOM
    ("periodo,fecha_pago\n".encode("utf-16-le"), "codificacion"),   # without BOM
    (b"periodo,fecha\rx,y\r", "formato_csv"),                      # bare CR line ends
])
def test_files_that_are_not_csv_text(data, codigo):
    report = check(data)
    assert codes(report) == [(None, None, codigo)]
    assert "CSV" in report.errores[0].mensaje


def test_bytes_valid_in_neither_utf8_nor_cp1252_are_refused_on_their_row():
    data = csv_bytes("historial_pagos", encoding="cp1252")
    data = data.replace(b"bono_tercera_edad", b"bono_tercera_edad\x81")   # 0x81: undefined
    report = check(data)
    assert (5, None, "codificacion") in codes(report)


def test_a_line_in_another_encoding_after_utf8_text_is_reported_on_its_row():
    good = csv_bytes("indicadores")                      # UTF-8 with accents
    bad = "X-9,Niñez,proceso,2023,,1,,hogares\r\n".encode("cp1252")
    report = check(good + bad, "indicadores")
    assert codes(report) == [(5, None, "codificacion")]
    assert report.encoding == "utf-8"


def test_missing_required_column():
    header = [h for h in HEADERS["historial_pagos"] if h != "monto_hnl"]
    rows = [[c for h, c in zip(HEADERS["historial_pagos"], r) if h != "monto_hnl"]
            for r in ROWS["historial_pagos"]]
    report = check(csv_bytes("historial_pagos", rows, header=header))
    assert codes(report) == [(1, "monto_hnl", "columna_faltante")]
    assert "monto_hnl" in report.errores[0].mensaje


def test_unknown_column_suggests_the_close_name():
    header = ["transferencia" if h == "transferencias" else h
              for h in HEADERS["historial_pagos"]]
    report = check(csv_bytes("historial_pagos", header=header))
    assert codes(report) == [(1, "transferencia", "columna_desconocida"),
                             (1, "transferencias", "columna_faltante")]
    assert "'transferencias'" in report.errores[0].mensaje


def test_duplicated_column_case_insensitive():
    header = [*HEADERS["historial_pagos"], "Estado"]
    rows = [[*r, "pagado"] for r in ROWS["historial_pagos"]]
    report = check(csv_bytes("historial_pagos", rows, header=header))
    assert codes(report) == [(1, "Estado", "columna_duplicada")]


def test_row_with_another_number_of_cells():
    rows = [list(r) for r in ROWS["historial_pagos"]]
    rows[2] = rows[2][:5]
    rows[3] = [*rows[3], "extra"]
    report = check(csv_bytes("historial_pagos", rows))
    assert codes(report) == [(4, None, "numero_columnas"), (5, None, "numero_columnas")]


def test_semicolon_file_with_a_comma_decimal_is_not_read_as_comma_separated():
    report = check(csv_bytes("historial_pagos", delimiter=";").replace(b"0.00", b"0,00"))
    assert report.delimiter == ";" and codes(report) == []


def test_comma_file_whose_decimals_use_commas_breaks_rows():
    data = csv_bytes("historial_pagos").replace(b"3999996.00", b"3999996,00")
    assert codes(check(data)) == [(2, None, "numero_columnas")]


def test_fila_counts_the_header_as_row_1_and_blank_rows_keep_their_number():
    text = csv_bytes("historial_pagos", rows=[
        ROWS["historial_pagos"][0], ["", "", "", "", "", "", "", "", ""],
        ROWS["historial_pagos"][0], ROWS["historial_pagos"][0]]).decode()
    text = text.replace("bancaria", "banco", 3)  # the three data rows
    report = check(text.encode())
    assert [p.fila for p in report.errores] == [2, 4, 5]


def test_leading_blank_lines_shift_the_header_row():
    data = b"\r\n" + csv_bytes("historial_pagos").replace(b"bancaria", b"banco")
    report = check(data)
    assert codes(report) == [(3, "modalidad_pago", "valor_no_permitido")]


def test_unterminated_quote_is_reported_and_does_not_hide_the_rest_of_the_header():
    rows = [list(r) for r in ROWS["historial_pagos"]]
    rows[1][4] = '"bono_vida_mejor'      # written raw below, never closed
    text = csv_bytes("historial_pagos", rows).decode().replace('"""bono_vida_mejor"',
                                                                '"bono_vida_mejor')
    report = check(text.encode())
    assert report.estado == "invalido"
    assert report.errores[0].fila == 3
    assert report.errores[0].codigo == "numero_columnas"
