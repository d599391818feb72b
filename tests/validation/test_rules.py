"""Column rules: counts and small cells, types, patterns, lists, codes."""
import pytest

from ckanext.bonos.validation import validate

from .samples import codes, stream, with_cell


def one(tabla, column, value, row=0, **kwargs):
    """The problems of the sample file with one cell changed."""
    return validate(stream(tabla, with_cell(tabla, column, value, row), **_dialect(kwargs)),
                    tabla, **kwargs)


def _dialect(kwargs):
    return {"delimiter": kwargs.pop("delimiter")} if "delimiter" in kwargs else {}


# -- counts -----------------------------------------------------------------------

def test_count_of_3_with_umbral_5_is_a_small_cell_naming_row_and_column():
    report = one("resumen_ejecucion", "hogares", "3", row=2)
    assert codes(report) == [(4, "hogares", "celda_pequena")]
    assert "suprimido" in report.errores[0].mensaje
    assert report.summary().startswith("Fila 4, columna hogares:")


@pytest.mark.parametrize("value", ["1", "4", " 2 "])
def test_counts_from_1_to_umbral_minus_1_are_refused(value):
    assert codes(one("historial_pagos", "transferencias", value)) == [
        (2, "transferencias", "celda_pequena")]


@pytest.mark.parametrize("value", ["0", "5", "1000000"])
def test_zero_and_large_counts_are_accepted(value):
    assert codes(one("historial_pagos", "transferencias", value)) == []


def test_the_marker_is_accepted_when_the_whole_row_is_suppressed():
    rows = with_cell("historial_pagos", "transferencias", "suprimido", 0)
    rows = with_cell("historial_pagos", "monto_hnl", "suprimido", 0, rows)
    assert codes(validate(stream("historial_pagos", rows), "historial_pagos")) == []


def test_row_rule_a_suppressed_count_beside_its_published_amount_is_refused():
    # The amount divided by what other rows pay per transfer gives the count away.
    report = one("historial_pagos", "transferencias", "suprimido")
    assert codes(report) == [(2, "monto_hnl", "regla_fila")]
    assert "regla de la fila" in report.errores[0].mensaje
    assert "row rule" in report.errores[0].mensaje


def test_row_rule_every_count_and_amount_of_the_row():
    report = one("resumen_ejecucion", "personas", "suprimido")
    assert codes(report) == [(2, "hogares", "regla_fila"),
                             (2, "monto_programado_hnl", "regla_fila"),
                             (2, "monto_transferido_hnl", "regla_fila")]


def test_umbral_is_a_parameter():
    assert codes(one("resumen_ejecucion", "personas", "9", umbral=10)) == [
        (2, "personas", "celda_pequena")]
    assert codes(one("resumen_ejecucion", "personas", "4", umbral=3)) == []
    assert codes(one("resumen_ejecucion", "personas", "1", umbral=1)) == []


@pytest.mark.parametrize("value,codigo", [
    ("", "requerido"), ("  ", "requerido"), ("-5", "negativo"), ("12.5", "tipo"),
    ("1.234", "tipo"), ("1,234", "tipo"), ("Suprimido", "tipo"), ("<5", "tipo"),
    ("*", "tipo"), ("n/d", "tipo"), ("1e3", "tipo"), ("١٢", "tipo"),
    ("1234567890123456789012", "tipo"),
])
def test_count_problems(value, codigo):
    assert codes(one("resumen_ejecucion", "personas", value)) == [(2, "personas", codigo)]


def test_thousands_separator_in_a_count_is_explained():
    report = one("historial_pagos", "transferencias", "1.200")
    assert "miles" in report.errores[0].mensaje and "thousands" in report.errores[0].mensaje


def test_marker_is_only_for_counts_and_amounts():
    # An amount alone is refused by the row rule (its count is published).
    assert codes(one("historial_pagos", "monto_hnl", "suprimido")) == [
        (2, "transferencias", "regla_fila")]
    assert codes(one("historial_pagos", "programa", "suprimido")) == [
        (2, "programa", "valor_no_permitido")]


# -- numbers ------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["0", "0.5", "12345678.50", "10000", ".5", " 7.25 "])
def test_amounts_accepted(value):
    assert codes(one("historial_pagos", "monto_hnl", value)) == []


@pytest.mark.parametrize("value,codigo", [
    ("", "requerido"), ("-1.50", "negativo"), ("1,234,567.50", "tipo"),
    ("1.234.567,50", "tipo"), ("1 234 567", "tipo"), ("L 500.00", "tipo"),
    ("500 HNL", "tipo"), ("1.5E+07", "tipo"), ("nan", "tipo"), ("inf", "tipo"),
    ("12,50", "tipo"), ("1234567890123456.5", "tipo"),
])
def test_amount_problems_in_a_comma_file(value, codigo):
    assert codes(one("historial_pagos", "monto_hnl", value)) == [(2, "monto_hnl", codigo)]


def test_decimal_comma_only_in_semicolon_files():
    assert codes(one("historial_pagos", "monto_hnl", "12,50", delimiter=";")) == []
    report = one("historial_pagos", "monto_hnl", "12,50")
    assert "';'" in report.errores[0].mensaje


@pytest.mark.parametrize("value", ["1.234.567,50", "1.234,5", "1.234"])
def test_thousands_dots_in_semicolon_files_are_refused(value):
    assert codes(one("historial_pagos", "monto_hnl", value, delimiter=";")) == [
        (2, "monto_hnl", "tipo")]


def test_negative_values_are_fine_without_a_minimum():
    assert codes(one("indicadores", "valor", "-12.5")) == []
    assert codes(one("indicadores", "valor", "-12,5", delimiter=";")) == []


def test_optional_number_may_be_empty_required_may_not():
    assert codes(one("indicadores", "meta", "")) == []
    assert codes(one("indicadores", "valor", "")) == [(2, "valor", "requerido")]


# -- dates, lists, patterns ------------------------------------------------------------

@pytest.mark.parametrize("value", ["10/05/2023", "2023-02-30", "2023/05/10", "20230510",
                                   "2023-5-10", "mayo 2023"])
def test_dates_must_be_iso(value):
    report = one("historial_pagos", "fecha_pago", value)
    assert codes(report) == [(2, "fecha_pago", "tipo")]
    assert "AAAA-MM-DD" in report.errores[0].mensaje


@pytest.mark.parametrize("value", ["pagada", "PAGADO", "otro"])
def test_values_outside_the_list(value):
    report = one("historial_pagos", "estado", value)
    assert codes(report) == [(2, "estado", "valor_no_permitido")]
    assert "pagado, pendiente, rechazado, reprogramado" in report.errores[0].mensaje


@pytest.mark.parametrize("value", ["2023-13", "2023-T5", "2023-S3", "23", "2023-Q1",
                                   "2023-1", "enero 2023"])
def test_periodo_pattern(value):
    assert codes(one("resumen_ejecucion", "periodo", value)) == [(2, "periodo", "patron")]


@pytest.mark.parametrize("value", ["2023", "2023-S2", "2023-T4", "2023-01", "2023-12"])
def test_periodo_forms_accepted(value):
    assert codes(one("resumen_ejecucion", "periodo", value)) == []


def test_programme_pattern():
    assert codes(one("historial_pagos", "programa", "Bono Vida Mejor")) == [
        (2, "programa", "patron")]


def test_required_text_cell():
    assert codes(one("indicadores", "unidad", "")) == [(2, "unidad", "requerido")]


# -- codes --------------------------------------------------------------------------------

def test_department_code_pattern_with_leading_zero_hint():
    report = one("historial_pagos", "departamento_codigo", "8")
    assert codes(report) == [(2, "departamento_codigo", "patron")]
    assert "'08'" in report.errores[0].mensaje


def test_municipality_without_its_leading_zero():
    report = one("historial_pagos", "municipio_codigo", "801")
    assert codes(report) == [(2, "municipio_codigo", "patron")]
    assert "'0801'" in report.errores[0].mensaje


@pytest.mark.parametrize("value", ["0899", "1900", "0000"])
def test_unknown_municipality(value):
    assert codes(one("historial_pagos", "municipio_codigo", value)) == [
        (2, "municipio_codigo", "codigo_desconocido")]


@pytest.mark.parametrize("value", ["19", "00", "99"])
def test_unknown_department(value):
    # the pattern already limits departments to 01-18
    assert codes(one("resumen_ejecucion", "departamento_codigo", value)) == [
        (2, "departamento_codigo", "patron")]


def test_municipality_of_another_department():
    report = one("resumen_ejecucion", "municipio_codigo", "0501")   # San Pedro Sula, 05
    assert codes(report) == [(2, "municipio_codigo", "municipio_fuera_de_departamento")]
    assert "San Pedro Sula" in report.errores[0].mensaje
    assert "05" in report.errores[0].mensaje and "08" in report.errores[0].mensaje


def test_departmental_rows_have_no_municipality():
    assert codes(one("historial_pagos", "municipio_codigo", "")) == []


def test_indicators_national_rows_have_no_department():
    assert codes(one("indicadores", "departamento_codigo", "", row=1)) == []
