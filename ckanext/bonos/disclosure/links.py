"""The linear links of the standard, as an outsider would use them.

A published summary table is not a set of independent cells: the standard states
sums that hold between its rows and between tables, and every published row tells
how much is paid per household or per transfer. This module turns linked tables
into that system of cells and relations; ``audit`` solves it.

Rows are identified by what they are about (table, period, place, programme and
breakdown), not by the file they come in: the same row published in two
publications is one row, and a cell published in either is known.

The links (``tables/README.md``, "Tablas enlazadas"):

* ``componentes``: in ``resumen_ejecucion``, the amounts of a ``total`` row are the
  sums of its component rows (same period, place and programme). Counts are not:
  a household may be in several components.
* ``departamento``: a departmental row (no municipality) is the sum of its
  municipalities' rows with the same period, programme and breakdown, for every
  count and amount (``resumen_ejecucion`` and ``historial_pagos``).
* ``pagos``: a ``total`` row's ``monto_transferido_hnl`` is the sum of the ``pagado``
  rows of ``historial_pagos`` with the same period, place and programme (a
  departmental total: the department's ``pagado`` rows, or its municipalities'
  where the history has no departmental rows).
* ``tasas``: a row's amount per unit (per household, per person, per transfer) lies
  between the smallest and the largest of the published rows with the same
  programme, period and breakdown (``componente``; ``estado`` in the history).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence, Tuple

RESUMEN = "resumen_ejecucion"
HISTORIAL = "historial_pagos"

#: The cells of a row that may be suppressed, counts first. The row rule: they are
#: all published or all suppressed.
COUNTS = {RESUMEN: ("hogares", "personas"), HISTORIAL: ("transferencias",)}
AMOUNTS = {RESUMEN: ("monto_programado_hnl", "monto_transferido_hnl"),
           HISTORIAL: ("monto_hnl",)}
SUPPRESSIBLE = {t: COUNTS[t] + AMOUNTS[t] for t in COUNTS}
LINKED_TABLES = tuple(COUNTS)

_KEY = {
    RESUMEN: ("periodo", "departamento_codigo", "municipio_codigo", "programa", "componente"),
    HISTORIAL: ("periodo", "fecha_pago", "departamento_codigo", "municipio_codigo",
                "programa", "modalidad_pago", "estado"),
}
_BREAKDOWN = {RESUMEN: ("componente",), HISTORIAL: ("estado",)}


class Occurrence(NamedTuple):
    """Where a row was read: a table's label (a resource, a file) and its row."""
    fuente: str
    fila: int


class Row:
    __slots__ = ("tabla", "key", "values", "umbral", "occurrences", "_group")

    def __init__(self, tabla: str, key: tuple, values: List[Optional[float]], umbral: int,
                 occurrences: List[Occurrence]):
        self.tabla = tabla
        self.key = key
        self.values = values          # SUPPRESSIBLE[tabla] order; None: hidden
        self.umbral = umbral
        self.occurrences = occurrences
        self._group = None

    @property
    def hidden(self) -> bool:
        return None in self.values


@dataclass
class Source:
    """One table handed to the model: its rows are ``(fila, record)`` pairs as
    ``validation.read_numbered_rows`` and the DataStore give them (None for a
    suppressed cell)."""
    tabla: str
    fuente: str
    rows: Iterable[tuple]
    umbral: int = 5


@dataclass
class Equation:
    """sum(coef * cell) + known == 0 over cells (row index, column index).

    ``links.build`` keeps every term (known 0); ``compact.build`` keeps the hidden
    terms only, with the sum of the published ones in ``known`` and how many they
    were in ``known_terms`` (each adds half a centavo of rounding)."""
    link: str
    terms: List[Tuple[int, int, float]]
    known: float = 0.0
    known_terms: int = 0


@dataclass
class Model:
    rows: List[Row] = field(default_factory=list)
    index: Dict[Tuple[str, tuple], int] = field(default_factory=dict)
    equations: List[Equation] = field(default_factory=list)
    conflicts: List[Tuple[int, str]] = field(default_factory=list)
    #: (tabla, programa, periodo, breakdown, amount col, count col) -> (min, max)
    rates: Dict[tuple, Tuple[float, float]] = field(default_factory=dict)
    #: Suppressed counts that ``compact`` found safe and left out of the model.
    free_counts: int = 0
    #: (row, column, L, U) of counts that ``compact`` decided itself but kept
    #: (the unsafe ones): their rows are in ``rows``, their blocks not in
    #: ``equations``.
    decided: List[Tuple[int, str, float, float]] = field(default_factory=list)

    def add(self, source: Source) -> None:
        tabla = source.tabla
        if tabla not in LINKED_TABLES:
            return
        names = SUPPRESSIBLE[tabla]
        key_of = itemgetter(*_KEY[tabla])
        values_of = itemgetter(*names)
        index, rows, fuente = self.index, self.rows, source.fuente
        umbral = source.umbral
        for fila, record in source.rows:
            key = tuple(k or "" for k in key_of(record))
            values = [None if v is None else float(v) for v in values_of(record)]
            where = Occurrence(fuente, fila)
            at = index.get((tabla, key))
            if at is None:
                index[(tabla, key)] = len(rows)
                rows.append(Row(tabla, key, values, umbral, [where]))
                continue
            # The same row again (another publication, or repeated): what either
            # publishes is known.
            row = rows[at]
            row.occurrences.append(where)
            row.umbral = max(row.umbral, source.umbral)
            for i, v in enumerate(values):
                if v is None:
                    continue
                if row.values[i] is None:
                    row.values[i] = v
                elif abs(row.values[i] - v) > 0.005:
                    self.conflicts.append((at, names[i]))

    # -- relations ----------------------------------------------------------------
    def link(self) -> "Model":
        self.equations = []
        self._tables = {}
        for i, r in enumerate(self.rows):
            self._tables.setdefault(r.tabla, []).append((i, r))
        self._components()
        self._departments(RESUMEN)
        self._departments(HISTORIAL)
        self._payments()
        self._rates()
        return self

    def _by_table(self, tabla: str):
        return self._tables.get(tabla, [])

    def _components(self) -> None:
        groups: Dict[tuple, Dict[str, int]] = {}
        for i, r in self._by_table(RESUMEN):
            periodo, dep, mun, prog, comp = r.key
            groups.setdefault((periodo, dep, mun, prog), {})[comp] = i
        cols = [SUPPRESSIBLE[RESUMEN].index(c) for c in AMOUNTS[RESUMEN]]
        for members in groups.values():
            total = members.get("total")
            parts = [i for comp, i in members.items() if comp != "total"]
            if total is None or not parts:
                continue
            for col in cols:
                self.equations.append(Equation(
                    "componentes", [(total, col, -1.0)] + [(i, col, 1.0) for i in parts]))

    def _departments(self, tabla: str) -> None:
        mun_at = _KEY[tabla].index("municipio_codigo")
        groups: Dict[tuple, List[List[int]]] = {}
        for i, r in self._by_table(tabla):
            rest = r.key[:mun_at] + r.key[mun_at + 1:]
            slot = groups.setdefault(rest, [[], []])
            slot[0 if not r.key[mun_at] else 1].append(i)
        width = len(SUPPRESSIBLE[tabla])
        for department, municipalities in groups.values():
            if len(department) != 1 or not municipalities:
                continue
            for col in range(width):
                self.equations.append(Equation(
                    "departamento", [(department[0], col, -1.0)]
                    + [(i, col, 1.0) for i in municipalities]))

    def _payments(self) -> None:
        # historial rows by (periodo, dep, mun, programa): pagado row indexes, and
        # whether the place has any history at all.
        paid: Dict[tuple, List[int]] = {}
        has_history: Dict[tuple, bool] = {}
        dept_level: Dict[tuple, bool] = {}
        for i, r in self._by_table(HISTORIAL):
            periodo, _fecha, dep, mun, prog, _modalidad, estado = r.key
            place = (periodo, dep, mun, prog)
            has_history[place] = True
            if not mun:
                dept_level[(periodo, dep, prog)] = True
            if estado == "pagado":
                paid.setdefault(place, []).append(i)
            if mun and estado == "pagado":
                # Municipal payments also make up their department's total.
                paid.setdefault((periodo, dep, "*", prog), []).append(i)
            if mun:
                has_history[(periodo, dep, "*", prog)] = True
        col_t = SUPPRESSIBLE[RESUMEN].index("monto_transferido_hnl")
        col_m = SUPPRESSIBLE[HISTORIAL].index("monto_hnl")
        for i, r in self._by_table(RESUMEN):
            periodo, dep, mun, prog, comp = r.key
            if comp != "total":
                continue
            place = (periodo, dep, mun, prog)
            if not mun and not dept_level.get((periodo, dep, prog)):
                place = (periodo, dep, "*", prog)
            if not has_history.get(place):
                continue
            self.equations.append(Equation(
                "pagos", [(i, col_t, -1.0)] + [(j, col_m, 1.0) for j in paid.get(place, [])]))

    def _rates(self) -> None:
        """Amount per unit of the published rows, by programme, period and breakdown."""
        self.rates = {}
        for i, r in enumerate(self.rows):
            names = SUPPRESSIBLE[r.tabla]
            group = rate_group(r)
            for a in AMOUNTS[r.tabla]:
                amount = r.values[names.index(a)]
                if amount is None:
                    continue
                for c in COUNTS[r.tabla]:
                    count = r.values[names.index(c)]
                    if not count:
                        continue
                    key = group + (a, c)
                    rate = amount / count
                    low, high = self.rates.get(key, (rate, rate))
                    self.rates[key] = (min(low, rate), max(high, rate))


_GROUP_AT = {t: [_KEY[t].index(n) for n in ("programa", "periodo") + _BREAKDOWN[t]]
             for t in _KEY}


def rate_group(row: Row) -> tuple:
    """Rows whose amounts per unit are comparable: programme, period, breakdown."""
    group = row._group
    if group is None:
        group = row._group = (row.tabla,) + tuple(row.key[i] for i in _GROUP_AT[row.tabla])
    return group


def build(sources: Sequence[Source]) -> Model:
    model = Model()
    for source in sources:
        model.add(source)
    return model.link()
