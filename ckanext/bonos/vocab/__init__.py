"""Honduran vocabularies used by ckanext-bonos: territory, programmes, components.

Departments and municipalities come from the CSV files next to this module
(``departamentos.csv`` and ``municipios.csv``). Codes follow the INE numbering of the
División Político-Administrativa: two digits for a department, four for a
municipality (department code + two digits). Where the data come from, and which
discrepancies between sources were resolved and how, is in ``SOURCES.md``.

The files are read once, with the ``csv`` module in UTF-8, and cached. Callers get
copies, so nothing they do can change the cached vocabularies.
"""
from __future__ import annotations

import csv
import functools
import io
from importlib import resources
from typing import Dict, List, Optional, Tuple

__all__ = [
    "PROGRAMAS_PREDETERMINADOS",
    "COMPONENTES",
    "departamentos",
    "municipios",
    "municipios_de",
    "nombre_departamento",
    "nombre_municipio",
    "alias_de",
]

#: Social-bond programmes offered by default: (code, Spanish label, English label).
PROGRAMAS_PREDETERMINADOS: List[Tuple[str, str, str]] = [
    ("bono_vida_mejor", "Bono Vida Mejor", "Bono Vida Mejor"),
    ("bono_tercera_edad", "Bono Tercera Edad", "Bono Tercera Edad"),
    ("bono_discapacidad", "Bono Discapacidad", "Bono Discapacidad"),
]

#: Co-responsibility components of the conditional transfer:
#: (code, Spanish label, English label).
COMPONENTES: List[Tuple[str, str, str]] = [
    ("educacion", "Educación", "Education"),
    ("salud", "Salud", "Health"),
    ("nutricion", "Nutrición", "Nutrition"),
]

_DEPARTAMENTOS_CSV = "departamentos.csv"
_MUNICIPIOS_CSV = "municipios.csv"
_ALIAS_CSV = "alias.csv"       # common names of a place (sources in SOURCES.md)


def _read_rows(filename: str) -> List[Dict[str, str]]:
    text = resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")
    return [dict(row) for row in csv.DictReader(io.StringIO(text, newline=""))]


@functools.lru_cache(maxsize=None)
def _departamentos() -> Dict[str, Dict[str, str]]:
    rows = sorted(_read_rows(_DEPARTAMENTOS_CSV), key=lambda row: row["codigo"])
    return {row["codigo"]: {"codigo": row["codigo"], "nombre": row["nombre"],
                            "cabecera": row["cabecera"]}
            for row in rows}


@functools.lru_cache(maxsize=None)
def _municipios() -> Dict[str, Dict[str, str]]:
    rows = sorted(_read_rows(_MUNICIPIOS_CSV), key=lambda row: row["codigo"])
    return {row["codigo"]: {"codigo": row["codigo"],
                            "departamento_codigo": row["departamento_codigo"],
                            "nombre": row["nombre"]}
            for row in rows}


@functools.lru_cache(maxsize=None)
def _alias() -> Dict[str, Tuple[str, ...]]:
    found: Dict[str, List[str]] = {}
    for row in _read_rows(_ALIAS_CSV):
        found.setdefault(row["codigo"], []).append(row["alias"])
    return {codigo: tuple(names) for codigo, names in found.items()}


def alias_de(codigo: str) -> List[str]:
    """The common names people use for a place (Tegucigalpa for 0801), or []."""
    return list(_alias().get(_as_code(codigo), ()))


def departamentos() -> Dict[str, Dict[str, str]]:
    """All 18 departments: code -> {codigo, nombre, cabecera}, ordered by code."""
    return {codigo: dict(item) for codigo, item in _departamentos().items()}


def municipios() -> Dict[str, Dict[str, str]]:
    """All municipalities: code -> {codigo, departamento_codigo, nombre}, ordered by code."""
    return {codigo: dict(item) for codigo, item in _municipios().items()}


def municipios_de(departamento_codigo: str) -> List[Dict[str, str]]:
    """The municipalities of one department, ordered by code; [] for an unknown code."""
    codigo = _as_code(departamento_codigo)
    return [dict(item) for item in _municipios().values()
            if item["departamento_codigo"] == codigo]


def nombre_departamento(codigo: str) -> Optional[str]:
    """The department's name, or None for an unknown code."""
    item = _departamentos().get(_as_code(codigo))
    return item["nombre"] if item else None


def nombre_municipio(codigo: str) -> Optional[str]:
    """The municipality's name, or None for an unknown code."""
    item = _municipios().get(_as_code(codigo))
    return item["nombre"] if item else None


def _as_code(codigo) -> Optional[str]:
    # Codes are strings with leading zeros ("01", "0801"); tolerate surrounding
    # whitespace but nothing else, so 801 or "8" are unknown rather than guessed.
    if not isinstance(codigo, str):
        return None
    return codigo.strip()
