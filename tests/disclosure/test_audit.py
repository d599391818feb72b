"""The interval audit on small linked tables: each leak beside its safe twin.

Every case is a table an outsider could attack by one of the standard's sums or
by the amount per unit of the published rows; its twin hides one more row (what
``ckan bonos suprimir`` would do) and passes.
"""
import io

import pytest

from ckanext.bonos import disclosure
from ckanext.bonos.validation import read_numbered_rows

S = "suprimido"
RESUMEN = ("periodo,departamento_codigo,municipio_codigo,programa,componente,"
           "hogares,personas,monto_programado_hnl,monto_transferido_hnl\n")
HISTORIAL = ("periodo,fecha_pago,departamento_codigo,municipio_codigo,programa,"
             "modalidad_pago,transferencias,monto_hnl,estado\n")


def resumen(*rows):
    return RESUMEN + "".join(
        "2024-T1,%s,%s,bono_vida_mejor,%s,%s,%s,%s,%s\n" % r for r in rows)


def historial(*rows):
    return HISTORIAL + "".join(
        "2024-T1,2024-02-10,%s,%s,bono_vida_mejor,%s,%s,%s,%s\n" % r for r in rows)


def hidden(dep, mun, comp="total"):
    return (dep, mun, comp, S, S, S, S)


def run(resumen_text=None, historial_text=None, umbral=5):
    sources = []
    for tabla, text in (("resumen_ejecucion", resumen_text), ("historial_pagos", historial_text)):
        if text is not None:
            rows = read_numbered_rows(io.BytesIO(text.encode()), tabla)
            sources.append(disclosure.Source(tabla, tabla, rows, umbral))
    return disclosure.audit_sources(sources)


def municipio(row):
    return row.key[2] if row.tabla == "resumen_ejecucion" else row.key[3]


def unsafe(result):
    return sorted((municipio(result.model.rows[c.row]), c.column) for c in result.unsafe)


# -- a department row and its municipalities -------------------------------------------

def test_department_row_with_one_suppressed_municipality_is_refused():
    result = run(resumen(
        ("08", "", "total", 100, 400, 250000, 250000),
        ("08", "0801", "total", 60, 240, 150000, 150000),
        ("08", "0802", "total", 37, 148, 92500, 92500),
        hidden("08", "0803")))
    assert unsafe(result) == [("0803", "hogares"), ("0803", "personas")]
    cell = next(c for c in result.unsafe if c.column == "hogares")
    assert round(cell.lower) == round(cell.upper) == 3      # 100 - 60 - 37


def test_department_row_with_two_suppressed_municipalities_passes():
    result = run(resumen(
        ("08", "", "total", 100, 400, 250000, 250000),
        ("08", "0801", "total", 60, 240, 150000, 150000),
        hidden("08", "0802"),
        hidden("08", "0803")))
    assert result.safe and len(result.cells) == 4
    assert all(c.upper - c.lower >= 5 for c in result.cells)


def test_two_hidden_cells_whose_sum_is_below_the_threshold_are_refused():
    # 6 households in two hidden municipalities: each is 1 to 5, never more.
    result = run(resumen(
        ("08", "", "total", 6, 24, 15000, 15000),
        hidden("08", "0801"),
        hidden("08", "0802")))
    assert ("0801", "hogares") in unsafe(result) and ("0802", "hogares") in unsafe(result)
    cell = next(c for c in result.unsafe if c.column == "hogares")
    assert cell.lower == pytest.approx(1) and cell.upper == pytest.approx(5)


def test_two_hidden_cells_beside_a_large_hidden_one_pass():
    result = run(resumen(
        ("08", "", "total", 106, 424, 265000, 265000),
        hidden("08", "0801"),
        hidden("08", "0802"),
        hidden("08", "0803")))
    assert result.safe


# -- a total row and its components ------------------------------------------------------

def _components(nutricion_hidden=True, salud_hidden=False):
    rows = [
        ("08", "0801", "total", 500, 2000, 1400000, 1390000),
        ("08", "0801", "educacion", 400, 1500, 1000000, 990000),
        ("08", "0801", "salud", 300, 900, 390000, 390000),
        ("08", "0801", "nutricion", 4, 8, 10000, 10000),
        # another municipality: what a nutrition household gets (the rate)
        ("08", "0802", "nutricion", 40, 80, 100000, 100000),
    ]
    if nutricion_hidden:
        rows[3] = hidden("08", "0801", "nutricion")
    if salud_hidden:
        rows[2] = hidden("08", "0801", "salud")
    return resumen(*rows)


def test_total_row_whose_single_suppressed_component_is_its_difference_is_refused():
    result = run(_components())
    assert ("0801", "hogares") in unsafe(result)
    cell = next(c for c in result.unsafe if c.column == "hogares")
    # 10,000 lempiras at 2,500 a nutrition household: 4, exactly.
    assert round(cell.lower, 3) == round(cell.upper, 3) == 4


def test_total_row_with_two_suppressed_components_passes():
    assert run(_components(salud_hidden=True)).safe


# -- payment history and the summary ---------------------------------------------------------

def _payments(hide_second=False):
    rows = [("08", "0801", "bancaria", 100, 250000, "pagado"),
            ("08", "0801", "ventanilla", 50, 125000, "pagado"),
            ("08", "0801", "movil", S, S, "pagado"),
            ("08", "0801", "ventanilla", 12, 0, "pendiente")]
    if hide_second:
        rows[1] = ("08", "0801", "ventanilla", S, S, "pagado")
    return historial(*rows)


def test_paid_rows_that_sum_to_a_published_summary_amount_with_one_hidden_row_are_refused():
    summary = resumen(("08", "0801", "total", 153, 600, 382500, 382500))
    result = run(summary, _payments())
    assert unsafe(result) == [("0801", "transferencias")]
    cell = result.unsafe[0]
    assert cell.lower == pytest.approx(3, abs=1e-4) and cell.upper == pytest.approx(3, abs=1e-4)  # 7,500 / 2,500


def test_paid_rows_with_two_hidden_rows_pass():
    summary = resumen(("08", "0801", "total", 153, 600, 382500, 382500))
    assert run(summary, _payments(hide_second=True)).safe


def test_history_alone_has_no_sum_to_attack():
    assert run(None, _payments()).safe


# -- the amount beside the count -----------------------------------------------------------

def test_an_amount_published_beside_a_suppressed_count_gives_the_count_away():
    # The checker refuses such a row (the row rule); the audit too, on its own.
    text = resumen(("08", "0801", "total", 60, 240, 150000, 150000),
                   ("08", "0802", "total", S, S, 7500, 7500))
    result = run(text)
    assert ("0802", "hogares") in unsafe(result)


def test_a_suppressed_row_with_its_amounts_hidden_too_is_safe():
    text = resumen(("08", "0801", "total", 60, 240, 150000, 150000), hidden("08", "0802"))
    assert run(text).safe


# -- the same row in two tables ----------------------------------------------------------------

def test_a_cell_hidden_in_one_table_and_published_in_another_is_known():
    one = resumen(("08", "0801", "total", 60, 240, 150000, 150000), hidden("08", "0802"))
    other = resumen(("08", "0801", "total", 60, 240, 150000, 150000),
                    ("08", "0802", "total", 4, 9, 10000, 10000))
    sources = [disclosure.Source("resumen_ejecucion", name,
                                 read_numbered_rows(io.BytesIO(t.encode()), "resumen_ejecucion"))
               for name, t in (("a", one), ("b", other))]
    result = disclosure.audit_sources(sources)
    # Published in b: nothing is suppressed any more, so nothing is audited; the
    # publisher of a learns it from the checker's small-cell rule on b.
    assert result.cells == []


def test_solver_time_out_is_no_verdict():
    with pytest.raises(disclosure.AuditUnavailable):
        disclosure.audit_model(disclosure.build([disclosure.Source(
            "resumen_ejecucion", "r", read_numbered_rows(io.BytesIO(_components().encode()),
                                                         "resumen_ejecucion"))]),
            time_limit=0.0)
