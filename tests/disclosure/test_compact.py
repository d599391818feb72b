"""The model built from columns (``compact``, what uploads use) against the model
built row by row (``links.build``): the same verdict, cell by cell.

``compact`` leaves out the suppressed rows whose block cannot be bounded and only
counts them; every cell it keeps must get the interval the full model gives it,
and every cell it leaves out must be one the full model finds unbounded.
"""
import io
import math

import pytest

from ckanext.bonos import disclosure
from ckanext.bonos.disclosure import columns, compact
from ckanext.bonos.disclosure.audit import audit
from ckanext.bonos.validation import read_numbered_rows

from . import test_audit as cases


def _sources(tables, umbral=5):
    return [disclosure.Source(tabla, tabla, read_numbered_rows(io.BytesIO(data), tabla), umbral)
            for tabla, data in tables]


def _cells(result):
    return {(result.model.rows[c.row].tabla, result.model.rows[c.row].key, c.column): c
            for c in result.cells}


def assert_same_verdict(tables, umbral=5):
    """Full model, compact model, and compact with every decided count kept."""
    full = audit(disclosure.build(_sources(tables, umbral)))
    small = audit(compact.build(columns.from_sources(_sources(tables, umbral))))
    every = audit(compact.build(columns.from_sources(_sources(tables, umbral)),
                                keep_decided=True))
    full_cells = _cells(full)
    assert small.suppressed == every.suppressed == len(full.cells)
    assert sorted(_cells_of(full.unsafe, full)) == sorted(_cells_of(small.unsafe, small))
    # What compact leaves out is safe; what it keeps has the solver's interval.
    for where in set(full_cells) - set(_cells(small)):
        assert full_cells[where].safe, where
    every_cells = _cells(every)
    for where, cell in every_cells.items():
        assert cell.lower == pytest.approx(full_cells[where].lower, rel=1e-7, abs=1e-6), where
        assert cell.upper == pytest.approx(full_cells[where].upper, rel=1e-7, abs=1e-6), where
    for where in set(full_cells) - set(every_cells):
        assert full_cells[where].interval == (1, math.inf), where
    return full, small


def _cells_of(cells, result):
    return [(result.model.rows[c.row].key, c.column, c.interval) for c in cells]


_SUMMARY = cases.resumen(("08", "0801", "total", 153, 600, 382500, 382500))
_DEPARTMENT = [("08", "", "total", 100, 400, 250000, 250000),
               ("08", "0801", "total", 60, 240, 150000, 150000),
               ("08", "0802", "total", 37, 148, 92500, 92500)]
#: name: (resumen, historial, whether it leaks): test_audit's cases, each beside its twin.
CASES = {
    "department row, one hidden municipality": (
        cases.resumen(*_DEPARTMENT[:3], cases.hidden("08", "0803")), None, True),
    "department row, two hidden municipalities": (
        cases.resumen(_DEPARTMENT[0], _DEPARTMENT[1], cases.hidden("08", "0802"),
                      cases.hidden("08", "0803")), None, False),
    "total row, one hidden component": (cases._components(), None, True),
    "total row, two hidden components": (cases._components(salud_hidden=True), None, False),
    "paid rows under a published total, one hidden": (_SUMMARY, cases._payments(), True),
    "paid rows under a published total, two hidden": (
        _SUMMARY, cases._payments(hide_second=True), False),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_case_is_judged_alike(name):
    resumen_text, historial_text, leaks = CASES[name]
    tables = [(t, text.encode()) for t, text in (("resumen_ejecucion", resumen_text),
                                                  ("historial_pagos", historial_text)) if text]
    full, small = assert_same_verdict(tables)
    assert bool(full.unsafe) == bool(small.unsafe) == leaks


def test_the_largest_demo_pair_is_judged_alike():
    from ckanext.bonos.demo import DEFAULT_SEED, PROGRAMAS, tablas
    from ckanext.bonos.demo.simulacion import Simulacion

    sim = Simulacion(PROGRAMAS["bono_vida_mejor"], DEFAULT_SEED)
    resumen, historial, _ = tablas.publicables(sim, 2025)
    full, small = assert_same_verdict([("resumen_ejecucion", resumen),
                                       ("historial_pagos", historial)])
    assert full.safe and small.safe
    # The full model hands blocks to the solver; compact decides them all itself.
    assert full.solved_blocks > 0
    assert small.free_counts == len(full.cells) and not small.cells


def test_the_same_row_in_two_sources_is_one_row_and_what_either_publishes_is_known():
    published = cases.historial(("08", "0801", "bancaria", 40, 100000, "pagado"),
                                ("08", "0801", "ventanilla", 30, 75000, "pagado"))
    hiding = cases.historial(("08", "0801", "bancaria", 40, 100000, "pagado"),
                             ("08", "0801", "ventanilla", cases.S, cases.S, "pagado"))
    total = cases.resumen(("08", "0801", "total", 70, 280, 175000, 175000))
    tables = [("resumen_ejecucion", total.encode()), ("historial_pagos", hiding.encode()),
              ("historial_pagos", published.encode())]
    full, small = assert_same_verdict(tables)
    assert small.suppressed == 0
    # Without the publishing copy the hidden row is given away by the total.
    full, small = assert_same_verdict(tables[:2])
    assert [c.column for c in small.unsafe] == ["transferencias"]
    row = small.model.rows[small.unsafe[0].row]
    assert [o.fila for o in row.occurrences] == [3]


# -- the closed form of the commonest block, against the solver ------------------------

def _paid_rows_under_totals(seed=7, places=28):
    """Places whose published total sits over 2 to 4 hidden paid rows, beside
    published neighbours that set the amount per transfer."""
    import random

    rng = random.Random(seed)
    modalidades = ["bancaria", "ventanilla", "billetera_electronica", "movil"]
    summary, history = [], []
    for place in range(1, places + 1):
        mun, total = "08%02d" % place, 0.0
        for modalidad in modalidades[:rng.randint(2, 4)]:
            count = rng.randint(1, 40)
            total += round(count * rng.uniform(1400, 1700), 2)
            history.append(("08", mun, modalidad, cases.S, cases.S, "pagado"))
        summary.append(("08", mun, "total", 90, 300, round(total, 2) + 500, round(total, 2)))
    history += [("08", "0899", "bancaria", 10, 14000.0, "pagado"),
                ("08", "0899", "ventanilla", 12, 20400.0, "pagado"),
                ("08", "0899", "movil", 8, 12000.0, "pagado")]
    return [("resumen_ejecucion", cases.resumen(*summary).encode()),
            ("historial_pagos", cases.historial(*history).encode())]


def test_blocks_of_paid_rows_under_a_total_are_decided_in_closed_form_as_the_solver_would():
    tables = _paid_rows_under_totals()
    model = compact.build(columns.from_sources(_sources(tables)), keep_decided=True)
    assert len(model.decided) >= 28 * 2 and not model.equations     # nothing left to solve
    result = audit(model)
    assert result.solves == 0
    assert any(math.isfinite(c.upper) and c.upper < 100 for c in result.cells)
    full, small = assert_same_verdict(tables)        # the same L and U as HiGHS gives
    assert full.solves > 0


def test_a_block_of_another_shape_still_goes_to_the_solver():
    """A department row over hidden municipalities links counts, not only amounts."""
    tables = [("resumen_ejecucion", cases.resumen(
        *_DEPARTMENT[:2], cases.hidden("08", "0802"), cases.hidden("08", "0803")).encode())]
    model = compact.build(columns.from_sources(_sources(tables)), keep_decided=True)
    assert not model.decided and model.equations
    assert audit(model).solves > 0
    assert_same_verdict(tables)
