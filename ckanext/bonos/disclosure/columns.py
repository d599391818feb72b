"""Linked tables as columns: what the audit of a large upload reads.

A history of a million rows would be a million Python objects as ``links.Row``;
as columns it is a few arrays of integers (the key, coded) and floats (the
figures, NaN where suppressed), filled while the file is validated, so that an
upload is parsed once (``validation.validate(..., rows_to=columns)``).
``compact`` derives the links from them with numpy and hands the solver only
the rows it needs.

Key texts are coded per field through one ``Codes`` shared by every table of an
audit, so that the same period, place or programme has the same code in the
summary and in the history.
"""
from __future__ import annotations

import math
from array import array
from typing import Dict, Iterable, List, Optional

import numpy as np

from .links import _KEY, SUPPRESSIBLE, Source

NAN = math.nan


class Codes:
    """One code per distinct text, per field (``codes.of("periodo")``)."""

    def __init__(self):
        self._by_field: Dict[str, Dict[str, int]] = {}

    def of(self, field: str) -> Dict[str, int]:
        return self._by_field.setdefault(field, {})

    def code(self, field: str, text: str) -> Optional[int]:
        return self._by_field.get(field, {}).get(text)

    def size(self, field: str) -> int:
        return len(self._by_field.get(field, ()))

    def texts(self, field: str) -> List[str]:
        table = self._by_field.get(field, {})
        out = [""] * len(table)
        for text, code in table.items():
            out[code] = text
        return out


class Columns:
    """The rows of one linked table, read from one source (an upload, a resource)."""

    def __init__(self, tabla: str, fuente: str, umbral: int = 5, codes: Codes = None):
        self.tabla = tabla
        self.fuente = fuente
        self.umbral = umbral
        self.codes = codes if codes is not None else Codes()
        self.fields = _KEY[tabla]
        self.names = SUPPRESSIBLE[tabla]
        self.keys = [array("i") for _ in self.fields]
        self.values = [array("d") for _ in self.names]
        self.filas = array("q")

    def __len__(self) -> int:
        return len(self.filas)

    # -- filling ---------------------------------------------------------------
    def reader(self, plan, delimiter: str):
        """``add(fila, row)`` for the raw cells of a CSV whose header ``plan``
        (``validation.engine.plan_header``) describes; the validator calls it on
        every row, so it stays lean: a dictionary lookup per key cell, a float per
        figure."""
        from ckanext.bonos.tables import SUPPRESSION_MARKER

        key_slots = [(plan.index_of(f), self.codes.of(f), out)
                     for f, out in zip(self.fields, self.keys)]
        value_slots = [(plan.index_of(n), out) for n, out in zip(self.names, self.values)]
        filas = self.filas.append
        marker = SUPPRESSION_MARKER
        comma = delimiter == ";"

        def add(fila: int, row: List[str]) -> None:
            for at, codes, out in key_slots:
                text = row[at].strip() if at is not None else ""
                code = codes.get(text)
                if code is None:
                    code = codes[text] = len(codes)
                out.append(code)
            for at, out in value_slots:
                cell = row[at].strip() if at is not None else ""
                if cell == marker or not cell:
                    out.append(NAN)
                else:
                    out.append(float(cell.replace(",", ".") if comma else cell))
            filas(fila)

        return add

    def add_source(self, source: Source) -> "Columns":
        """Rows of a ``links.Source``: ``(fila, record)`` pairs with None for a
        suppressed cell (the DataStore, ``validation.read_numbered_rows``)."""
        slots = [(self.codes.of(f), out) for f, out in zip(self.fields, self.keys)]
        for fila, record in source.rows:
            key = [record.get(f) or "" for f in self.fields]
            values = [record.get(n) for n in self.names]
            for (codes, out), text in zip(slots, key):
                code = codes.get(text)
                if code is None:
                    code = codes[text] = len(codes)
                out.append(code)
            for out, value in zip(self.values, values):
                out.append(NAN if value is None else float(value))
            self.filas.append(fila)
        return self

    # -- reading ---------------------------------------------------------------
    def key(self, j: int) -> np.ndarray:
        """The codes of key field ``j`` (int32, no copy)."""
        return np.frombuffer(self.keys[j], dtype=np.int32) if len(self) else \
            np.zeros(0, dtype=np.int32)

    def value(self, j: int) -> np.ndarray:
        """Figure ``j`` (float64, NaN where suppressed; no copy)."""
        return np.frombuffer(self.values[j], dtype=np.float64) if len(self) else np.zeros(0)

    def fila_array(self) -> np.ndarray:
        return np.frombuffer(self.filas, dtype=np.int64) if len(self) else \
            np.zeros(0, dtype=np.int64)


def from_sources(sources: Iterable[Source], codes: Codes = None) -> List[Columns]:
    codes = codes if codes is not None else Codes()
    return [Columns(s.tabla, s.fuente, s.umbral, codes).add_source(s) for s in sources
            if s.tabla in _KEY]
