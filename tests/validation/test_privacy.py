"""Privacy: personal-data columns and values are refused; look-alikes are not."""
import pytest

from ckanext.bonos.validation import personal_column, validate

from .samples import HEADERS, ROWS, codes, stream, with_cell

PERSONAL_NAMES = [
    "nombre", "Nombres", "APELLIDO", "apellidos", "nombre_beneficiario",
    "Nombre del beneficiario", "NombreCompleto", "primer apellido", "identidad",
    "Identidad", "numero_identidad", "Número de identidad", "No. Identidad", "dni", "DNI",
    "cedula", "Cédula", "rtn", "pasaporte", "telefono", "Teléfono", "telefono_movil",
    "Teléfono Móvil", "celular", "numero_celular", "movil", "Móvil", "numero_movil",
    "direccion", "Dirección", "domicilio", "fecha_nacimiento", "Fecha de Nacimiento",
    "FechaNacimiento", "nacimiento", "lugar_nacimiento", "edad", "Edad", "edad_beneficiario",
    "correo", "Correo electrónico", "email", "E-mail", "e_mail", "name", "first_name",
    "FirstName", "last name", "surname", "full_name", "id_number", "national_id",
    "phone", "phone_number", "mobile", "mobile_phone", "address", "home address",
    "birth_date", "date of birth", "dob", "age", "id_beneficiario", "numero_documento",
    "numero_cuenta", "titular", "beneficiario", "nombre_madre", "foto", "firma",
]

NOT_PERSONAL_NAMES = [
    "monto_hnl", "modalidad_pago", "periodo", "municipio_codigo", "nombre_municipio",
    "municipio_nombre", "departamento_nombre", "Nombre del programa", "nombre_indicador",
    "direccion_regional", "grupo_edad", "rango_de_edad", "edad_promedio", "age_group",
    "pago_movil", "beneficiarios", "total_personas", "hogares", "transferencias",
    "telefono_oficina", "notas", "comentario", "id", "estado", "monto_usd", "porcentaje",
    "average", "filename", "hotel", "mobile_money",
]


@pytest.mark.parametrize("name", PERSONAL_NAMES)
def test_personal_column_names(name):
    assert personal_column(name)


@pytest.mark.parametrize("name", NOT_PERSONAL_NAMES)
def test_names_that_are_not_personal(name):
    assert not personal_column(name)


@pytest.mark.parametrize("tabla", ["historial_pagos", "indicadores"])
@pytest.mark.parametrize("column", ["numero_identidad", "Teléfono", "nombre", "E-mail"])
def test_personal_data_column_is_refused_and_named(tabla, column):
    header = [*HEADERS[tabla], column]
    rows = [[*r, "x"] for r in ROWS[tabla]]
    report = validate(stream(tabla, rows, header=header), tabla)
    assert codes(report) == [(1, column, "dato_personal_columna")]
    assert column in report.errores[0].mensaje


def test_identity_number_column_is_refused_even_when_the_header_is_otherwise_wrong():
    header = ["identidad", "periodo", "monto"]
    rows = [["0801-1990-12345", "2023", "5"]]
    report = validate(stream("historial_pagos", rows, header=header), "historial_pagos")
    assert report.errores[0].codigo == "dato_personal_columna"
    assert report.errores[0].columna == "identidad"
    # its values are not reported one by one: the column as a whole is refused
    assert ("dato_personal_valor" not in [p.codigo for p in report.errores])


IDENTITY = ["0801199012345", "0801-1990-12345", "0801 1990 12345"]
PHONES = ["98765432", "9876-5432", "+504 9876-5432", "+50498765432", "(504) 2234-5678",
          "3345 6789", "22345678"]
EMAILS = ["juan.perez@example.com", "maria_lopez+bono@correo.hn"]


@pytest.mark.parametrize("value", IDENTITY)
@pytest.mark.parametrize("column", ["programa", "transferencias", "monto_hnl",
                                    "fecha_pago", "municipio_codigo"])
def test_identity_number_value_in_any_column(value, column):
    report = validate(stream("historial_pagos", with_cell("historial_pagos", column, value, 1)),
                      "historial_pagos")
    assert codes(report) == [(3, column, "dato_personal_valor")]
    assert "identidad" in report.errores[0].mensaje
    assert value not in report.errores[0].mensaje     # the report never repeats it


@pytest.mark.parametrize("value", PHONES)
def test_phone_value_in_a_text_column(value):
    report = validate(stream("indicadores", with_cell("indicadores", "unidad", value, 2)),
                      "indicadores")
    assert codes(report) == [(4, "unidad", "dato_personal_valor")]
    assert "teléfono" in report.errores[0].mensaje
    assert value not in report.errores[0].mensaje


@pytest.mark.parametrize("value", ["9876-5432", "+504 98765432"])
def test_written_phone_in_a_number_column(value):
    report = validate(stream("historial_pagos", with_cell("historial_pagos", "monto_hnl", value)),
                      "historial_pagos")
    assert codes(report) == [(2, "monto_hnl", "dato_personal_valor")]


@pytest.mark.parametrize("value", EMAILS)
@pytest.mark.parametrize("column", ["indicador", "unidad", "indicador_codigo"])
def test_email_value(value, column):
    report = validate(stream("indicadores", with_cell("indicadores", column, value)),
                      "indicadores")
    assert codes(report) == [(2, column, "dato_personal_valor")]
    assert "correo" in report.errores[0].mensaje


@pytest.mark.parametrize("text", [
    "Hogares del titular 0801-1990-12345", "Contacto: ana@example.org para dudas",
    "Llamar al +504 9876-5432",
])
def test_personal_data_inside_free_text(text):
    report = validate(stream("indicadores", with_cell("indicadores", "indicador", text)),
                      "indicadores")
    assert codes(report) == [(2, "indicador", "dato_personal_valor")]


def test_personal_value_in_a_column_outside_the_standard():
    header = [*HEADERS["indicadores"], "observaciones"]
    rows = [[*r, ""] for r in ROWS["indicadores"]]
    rows[1][-1] = "ver 0801-1990-12345"
    report = validate(stream("indicadores", rows, header=header), "indicadores")
    assert codes(report) == [(1, "observaciones", "columna_desconocida"),
                             (3, "observaciones", "dato_personal_valor")]


@pytest.mark.parametrize("column,value", [
    ("monto_hnl", "12345678.50"), ("monto_hnl", "12345678"), ("monto_hnl", "98765432"),
    ("monto_hnl", "10000"), ("monto_hnl", "1234567890123.00"),
    ("transferencias", "98765432"), ("transferencias", "22345678"),
    ("fecha_pago", "2023-05-31"), ("modalidad_pago", "movil"), ("periodo", "2023-12"),
])
def test_look_alikes_in_their_own_columns_are_not_personal(column, value):
    report = validate(stream("historial_pagos", with_cell("historial_pagos", column, value)),
                      "historial_pagos")
    assert codes(report) == []


@pytest.mark.parametrize("value", ["2019-2020", "20230115", "Hogares 2019 a 2023",
                                   "Meta 2024: 90%", "1234567"])
def test_dates_and_year_ranges_in_text_are_not_phones(value):
    report = validate(stream("indicadores", with_cell("indicadores", "indicador", value)),
                      "indicadores")
    assert codes(report) == []


def test_privacy_is_checked_even_when_the_row_is_malformed():
    rows = [list(r) for r in ROWS["historial_pagos"]]
    rows[0] = [*rows[0], "ana@example.org"]
    report = validate(stream("historial_pagos", rows), "historial_pagos")
    assert codes(report) == [(2, None, "numero_columnas"), (2, None, "dato_personal_valor")]


def test_no_column_of_the_standard_is_taken_for_personal_data():
    from ckanext.bonos.tables import TABLES, table_schema
    names = [f["name"] for t in TABLES for f in table_schema(t)["fields"]]
    assert "personas" in names
    assert [n for n in names if personal_column(n)] == []
