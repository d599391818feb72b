"""Suppression of CSV files: raw tables in, publishable tables out.

The publishable file is the raw file with the suppressed cells replaced by
``suprimido``: same header, column order, delimiter and cell texts otherwise,
written as UTF-8 with ``\\n`` line ends, so that the same input always gives the
same bytes.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Dict, List, Sequence

from ckanext.bonos.tables import SUPPRESSION_MARKER, TABLES, table_schema
from ckanext.bonos.validation import checks
from ckanext.bonos.validation.csvread import open_csv
from ckanext.bonos.validation.engine import plan_header

from . import links, secondary


@dataclass
class RawTable:
    name: str                   # a label: the file name
    tabla: str
    header: List[str]
    delimiter: str
    rows: List[List[str]]       # cell texts
    filas: List[int]
    columns: Dict[str, int]     # field name -> position


@dataclass
class TableSummary:
    name: str
    tabla: str
    filas: int = 0
    filas_suprimidas: int = 0
    primarias: int = 0
    secundarias: int = 0
    celdas_suprimidas: int = 0
    unidades: float = 0.0            # households (resumen, total rows) or transfers
    unidades_suprimidas: float = 0.0
    lempiras: float = 0.0
    lempiras_suprimidos: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class SuppressedFiles:
    contents: Dict[str, bytes]
    summaries: List[TableSummary] = field(default_factory=list)
    rounds: int = 0


def detect_table(header: Sequence[str]) -> str:
    """Which table a header belongs to: the one whose required columns it has."""
    names = {h.strip().lower() for h in header}
    for tabla in links.LINKED_TABLES:
        required = {f["name"] for f in table_schema(tabla)["fields"]
                    if f.get("constraints", {}).get("required")}
        if required <= names:
            return tabla
    raise ValueError("El encabezado no es de resumen_ejecucion ni de historial_pagos / "
                     "The header is neither resumen_ejecucion's nor historial_pagos'")


def read_raw(name: str, data: bytes, tabla: str = None) -> RawTable:
    source = open_csv(io.BytesIO(data))
    tabla = tabla or detect_table(source.header)
    if tabla not in TABLES:
        raise ValueError(tabla)
    plan = plan_header(source.header, table_schema(tabla), source.header_fila)
    if plan.problems:
        raise ValueError("%s: %s" % (name, plan.problems[0].mensaje))
    columns = {c.spec["name"]: c.index for c in plan.columns if c.spec is not None}
    rows, filas = [], []
    for fila, row in source.records():
        rows.append(row)
        filas.append(fila)
    return RawTable(name, tabla, source.header, source.delimiter, rows, filas, columns)


def _records(table: RawTable):
    schema = table_schema(table.tabla)
    convert = [(f["name"], table.columns[f["name"]], checks.converter(f, table.delimiter))
               for f in schema["fields"] if f["name"] in table.columns]
    for fila, row in zip(table.filas, table.rows):
        record = {}
        for name, index, to_value in convert:
            try:
                record[name] = to_value(row[index])
            except ValueError as exc:
                raise ValueError("%s, fila %d, columna %s: %s / row %d, column %s"
                                 % (table.name, fila, name, exc, fila, name)) from None
        for name in links.SUPPRESSIBLE[table.tabla]:
            if record.get(name) is None:
                raise ValueError(
                    "%s, fila %d: la columna %s debe tener la cifra verdadera (sin suprimir) / "
                    "row %d: column %s must hold the true figure (not suppressed)"
                    % (table.name, fila, name, fila, name))
        yield fila, record


def suppress_files(files: Dict[str, bytes], umbral: int = 5,
                   time_limit: float = 600.0) -> SuppressedFiles:
    """Publishable versions of linked raw tables (``{name: csv bytes}``)."""
    tables = [read_raw(name, data) for name, data in sorted(files.items())]
    model = links.build([links.Source(t.tabla, t.name, _records(t), umbral) for t in tables])
    outcome = secondary.suppress(model, time_limit=time_limit)
    hidden_at = {}
    for i in outcome.hidden:
        for where in model.rows[i].occurrences:
            hidden_at[(where.fuente, where.fila)] = i
    out = SuppressedFiles({}, rounds=outcome.rounds)
    for t in tables:
        summary = TableSummary(t.name, t.tabla, filas=len(t.rows))
        names = links.SUPPRESSIBLE[t.tabla]
        positions = [t.columns[n] for n in names]
        unit = t.columns[links.COUNTS[t.tabla][0]]
        money = t.columns[links.AMOUNTS[t.tabla][-1]]
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, delimiter=t.delimiter, lineterminator="\n")
        writer.writerow([h.strip() for h in t.header])
        for fila, row in zip(t.filas, t.rows):
            counted = t.tabla != links.RESUMEN or row[t.columns["componente"]].strip() == "total"
            units = _value(row[unit], t.delimiter) if counted else 0.0
            amount = _value(row[money], t.delimiter) if counted else 0.0
            summary.unidades += units
            summary.lempiras += amount
            i = hidden_at.get((t.name, fila))
            if i is not None:
                row = list(row)
                for p in positions:
                    row[p] = SUPPRESSION_MARKER
                summary.filas_suprimidas += 1
                summary.celdas_suprimidas += len(positions)
                if i in outcome.primary:
                    summary.primarias += 1
                else:
                    summary.secundarias += 1
                summary.unidades_suprimidas += units
                summary.lempiras_suprimidos += amount
            writer.writerow(row)
        out.contents[t.name] = buffer.getvalue().encode("utf-8")
        out.summaries.append(summary)
    return out


def _value(text: str, delimiter: str) -> float:
    text = text.strip()
    if delimiter == ";":
        text = text.replace(",", ".")
    return float(text) if text else 0.0
