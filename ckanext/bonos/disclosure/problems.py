"""What the audit tells a publisher: one problem per cell an outsider can narrow."""
from __future__ import annotations

import math
from typing import Dict, List

from ckanext.bonos.validation.report import Problem

from .audit import Result

CODIGO = "celda_revelable"


def unsafe_cells(result: Result, fuente: str, labels: Dict[str, str] = None) -> List[Problem]:
    """Problems for every unsafe suppressed count: those of the table ``fuente`` with
    their row and column, those of linked tables with the table's name (``labels``)."""
    labels = labels or {}
    problems = []
    for cell in sorted(result.unsafe, key=lambda c: (c.row, c.column)):
        row = result.model.rows[cell.row]
        low, high = cell.interval
        upper_es = "%d" % high if math.isfinite(high) else "sin límite"
        upper_en = "%d" % high if math.isfinite(high) else "no limit"
        where = [o for o in row.occurrences if o.fuente == fuente] or row.occurrences[:1]
        for occurrence in where:
            own = occurrence.fuente == fuente
            prefix_es = "" if own else "En la tabla enlazada %s, fila %d: " % (
                labels.get(occurrence.fuente, occurrence.fuente), occurrence.fila)
            prefix_en = "" if own else "In the linked table %s, row %d: " % (
                labels.get(occurrence.fuente, occurrence.fuente), occurrence.fila)
            problems.append(Problem.make(
                occurrence.fila if own else None, cell.column, CODIGO,
                prefix_es + "el conteo suprimido se deduce de las cifras publicadas y de "
                "las tablas enlazadas: quien las lea sabe que está entre %d y %s, y el umbral "
                "es %d. Suprima también otra fila que comparta sus sumas (el comando "
                "'ckan bonos suprimir' elige cuál)" % (low, upper_es, cell.umbral),
                prefix_en + "the suppressed count can be worked out from the published "
                "figures and the linked tables: a reader knows it lies between %d and %s, "
                "and the threshold is %d. Suppress another row that shares its sums too "
                "(the command 'ckan bonos suprimir' chooses which)" % (low, upper_en,
                                                                        cell.umbral)))
    return problems
