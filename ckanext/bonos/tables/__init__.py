"""The summary-table standard: one Frictionless Table Schema per table.

The JSON files beside this module are the machine-readable standard; README.md
describes it for people. Extensions to Table Schema are prefixed ``bonos:``:
``bonos:count`` marks counts subject to small-cell suppression,
``bonos:vocabulary`` names the code list a column follows and
``bonos:suppressionMarker`` is the one text that stands for a suppressed cell.
"""
from __future__ import annotations

import functools
import json
from importlib import resources

TABLES = ("resumen_ejecucion", "historial_pagos", "indicadores")
SUPPRESSION_MARKER = "suprimido"


@functools.lru_cache(maxsize=None)
def _load(name: str) -> str:
    if name not in TABLES:
        raise KeyError(name)
    return resources.files(__name__).joinpath(name + ".json").read_text("utf-8")


def table_schema(name: str) -> dict:
    """A fresh copy of the Table Schema of ``name`` (KeyError if unknown)."""
    return json.loads(_load(name))
