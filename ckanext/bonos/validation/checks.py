"""Per-column checkers and converters, compiled once from a Table Schema field.

A checker takes the raw cell text and returns ``None`` when the cell is valid or
``(codigo, es, en)`` when it is not: one problem per cell, the first that applies,
privacy first. The engine calls a checker only for texts it has not already seen
to be valid in that column, so checkers may be slow on odd input but each has a
fast path for the ordinary cell (a plain integer, a plain decimal).

Cells are compared after trimming spaces: a space a spreadsheet left around a
value is harmless, and ``read_rows`` trims in the same way.
"""
from __future__ import annotations

import datetime
import re
from typing import Callable, Optional, Tuple

from ckanext.bonos import vocab
from ckanext.bonos.tables import SUPPRESSION_MARKER

from . import privacy

Result = Optional[Tuple[str, str, str]]
Checker = Callable[[str], Result]

# re.ASCII: \d is [0-9], not any Unicode digit (int() would accept '١٢').
_UNSIGNED = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
_NUMBER_DOT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
_NUMBER_COMMA = re.compile(r"[+-]?(?:\d+(?:,\d*)?|,\d+)", re.ASCII)
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:[.,\s\u00a0']\d{3})+(?:[.,]\d+)?", re.ASCII)
_AMBIGUOUS_DOT = re.compile(r"[+-]?\d{1,3}\.\d{3}", re.ASCII)
_SIGNED_INT = re.compile(r"[+-]?\d+", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_MAX_INT_DIGITS = 18      # int8 holds 9.2e18
_MAX_NUMBER_DIGITS = 15   # before the decimal point; floats stay exact below this

REQUIRED = ("requerido", "La celda está vacía y es obligatoria",
            "The cell is empty and is required")


def _show(value: str) -> str:
    # Quote the value in a message, short, so a message never carries a long text.
    return repr(value if len(value) <= 40 else value[:37] + "...")


def build(field: dict, *, delimiter: str, umbral: int) -> Checker:
    """The checker for one schema field, for a file with this delimiter."""
    kind = field.get("type", "string")
    if kind == "integer":
        return _integer_checker(field, umbral)
    if kind == "number":
        return _number_checker(field, delimiter)
    if kind == "date":
        return _date_checker(field)
    return _string_checker(field)


def privacy_only(value: str) -> Result:
    """The checker for a column that is not in the schema: privacy, nothing else.

    Its type is unknown, so plain digits are judged as a number would be (98765432
    may be an amount) and anything else as free text."""
    value = value.strip()
    found = privacy.value_problem(value, "number" if value.isdigit() else "free")
    return (privacy.CODIGO_VALOR,) + found if found else None


# -- strings --------------------------------------------------------------------

def _string_checker(field: dict) -> Checker:
    constraints = field.get("constraints", {})
    required = constraints.get("required", False)
    enum = constraints.get("enum")
    allowed = frozenset(enum) if enum else None
    pattern = re.compile(constraints["pattern"]) if "pattern" in constraints else None
    codes = _vocabulary(field)
    kind = "text" if (pattern or allowed) else "free"

    def check(raw: str) -> Result:
        value = raw.strip()
        if not value:
            return REQUIRED if required else None
        if allowed is not None and value in allowed:
            return None      # an allowed value ('movil' too) is never personal data
        found = privacy.value_problem(value, kind)
        if found:
            return (privacy.CODIGO_VALOR,) + found
        if value == SUPPRESSION_MARKER:
            return _marker_not_allowed()
        if allowed is not None:
            listed = ", ".join(enum)
            return ("valor_no_permitido",
                    f"El valor {_show(value)} no está permitido; los valores posibles son: {listed}",
                    f"The value {_show(value)} is not allowed; the possible values are: {listed}")
        if pattern is not None and not pattern.fullmatch(value):
            return _pattern_problem(field, value, codes)
        if codes is not None and value not in codes:
            return ("codigo_desconocido",
                    f"El código {_show(value)} no existe en la lista de {field['bonos:vocabulary']}",
                    f"The code {_show(value)} is not in the list of {field['bonos:vocabulary']}")
        return None

    return check


def _vocabulary(field: dict):
    name = field.get("bonos:vocabulary")
    if name == "departamentos":
        return frozenset(vocab.departamentos())
    if name == "municipios":
        return frozenset(vocab.municipios())
    return None


def _pattern_problem(field: dict, value: str, codes) -> Tuple[str, str, str]:
    es = f"El valor {_show(value)} no tiene la forma esperada"
    en = f"The value {_show(value)} does not have the expected form"
    parts = field.get("description", "").split(" / ")
    if len(parts) >= 2:
        # The first sentence of each language says the form ("Two-digit INE code").
        d_es, d_en = _first_sentence(parts[0]), _first_sentence(parts[1])
        es, en = f"{es} ({d_es})", f"{en} ({d_en})"
    if codes is not None and value.isdigit():
        padded = value.zfill(len(next(iter(codes))))
        if padded in codes:
            # Spreadsheets turn "08" into 8 unless the column is formatted as text.
            es += f". ¿La hoja de cálculo quitó el cero inicial? Escriba '{padded}'"
            en += f". Did the spreadsheet drop the leading zero? Write '{padded}'"
    return ("patron", es, en)


def _first_sentence(text: str) -> str:
    # "p. ej. bono_vida_mejor" is one sentence: a new one starts with a capital.
    return re.split(r"\.\s+(?=[A-ZÁÉÍÓÚÑ])", text.strip(), maxsplit=1)[0].rstrip(".")


def _marker_not_allowed() -> Tuple[str, str, str]:
    return ("valor_no_permitido",
            f"Solo los conteos y los montos de su fila pueden publicarse como "
            f"'{SUPPRESSION_MARKER}'",
            f"Only counts and the amounts of their row can be published as "
            f"'{SUPPRESSION_MARKER}'")


def suppressible(field: dict) -> bool:
    """Whether the standard lets this column be published as the marker."""
    return bool(field.get("bonos:count") or field.get("bonos:suppressible"))


# -- integers and counts ----------------------------------------------------------

def _integer_checker(field: dict, umbral: int) -> Checker:
    constraints = field.get("constraints", {})
    required = constraints.get("required", False)
    minimum = constraints.get("minimum")
    is_count = bool(field.get("bonos:count"))

    def check(raw: str) -> Result:
        if raw.isdigit() and raw.isascii() and len(raw) <= _MAX_INT_DIGITS:
            # Fast path: a plain non-negative integer.
            if len(raw) == 13:
                return (privacy.CODIGO_VALOR,) + privacy.IDENTIDAD
            if is_count and 0 < int(raw) < umbral:
                return _small_cell(raw, umbral)
            return None
        value = raw.strip()
        if not value:
            return REQUIRED if required else None
        if value == SUPPRESSION_MARKER:
            return None if is_count else _marker_not_allowed()
        found = privacy.value_problem(value, "number")
        if found:
            return (privacy.CODIGO_VALOR,) + found
        if value != raw:
            return check(value)
        if _SIGNED_INT.fullmatch(value) and len(value.lstrip("+-")) <= _MAX_INT_DIGITS:
            if minimum is not None and int(value) < minimum:
                return _below_minimum(value, minimum)
            if is_count and 0 < int(value) < umbral:
                return _small_cell(value, umbral)
            return None
        return _not_integer(value, is_count)

    return check


def _small_cell(value: str, umbral: int) -> Tuple[str, str, str]:
    return ("celda_pequena",
            f"El conteo {value} está entre 1 y {umbral - 1}: una cifra tan pequeña "
            f"puede identificar a las familias y debe publicarse como '{SUPPRESSION_MARKER}'",
            f"The count {value} is between 1 and {umbral - 1}: a figure this small "
            f"can identify families and must be published as '{SUPPRESSION_MARKER}'")


def _not_integer(value: str, is_count: bool) -> Tuple[str, str, str]:
    es = f"El valor {_show(value)} no es un número entero"
    en = f"The value {_show(value)} is not a whole number"
    if _THOUSANDS.fullmatch(value):
        es += "; escríbalo sin separador de miles (1234567, no 1.234.567)"
        en += "; write it without thousands separators (1234567, not 1,234,567)"
    elif len(value) > _MAX_INT_DIGITS and value.lstrip("+-").isdigit():
        es += " (demasiado grande)"
        en += " (too large)"
    if is_count:
        es += f"; un conteo suprimido se escribe '{SUPPRESSION_MARKER}'"
        en += f"; a suppressed count is written '{SUPPRESSION_MARKER}'"
    return ("tipo", es, en)


def _below_minimum(value: str, minimum) -> Tuple[str, str, str]:
    if minimum == 0:
        return ("negativo", f"El valor {_show(value)} es negativo; no puede serlo",
                f"The value {_show(value)} is negative; it cannot be")
    return ("minimo", f"El valor {_show(value)} es menor que {minimum}",
            f"The value {_show(value)} is less than {minimum}")


# -- numbers -----------------------------------------------------------------------

def _number_checker(field: dict, delimiter: str) -> Checker:
    constraints = field.get("constraints", {})
    required = constraints.get("required", False)
    minimum = constraints.get("minimum")
    comma_ok = delimiter == ";"
    plain = _NUMBER_DOT.fullmatch
    unsigned = _UNSIGNED.fullmatch
    marker_ok = suppressible(field)

    def check(raw: str) -> Result:
        if unsigned(raw):
            # Fast path: digits with an optional decimal point.
            dot = raw.find(".")
            whole = dot if dot >= 0 else len(raw)
            if whole == 13 and dot < 0:
                return (privacy.CODIGO_VALOR,) + privacy.IDENTIDAD
            if whole > _MAX_NUMBER_DIGITS:
                return _too_large(raw)
            if comma_ok and dot >= 0 and _AMBIGUOUS_DOT.fullmatch(raw):
                return _ambiguous(raw)
            return None
        value = raw.strip()
        if not value:
            return REQUIRED if required else None
        if value == SUPPRESSION_MARKER:
            return None if marker_ok else _marker_not_allowed()
        found = privacy.value_problem(value, "number")
        if found:
            return (privacy.CODIGO_VALOR,) + found
        if value != raw:
            return check(value)
        if plain(value):
            if comma_ok and _AMBIGUOUS_DOT.fullmatch(value):
                return _ambiguous(value)
            return _number_range(value, value, minimum)
        if comma_ok and _NUMBER_COMMA.fullmatch(value):
            return _number_range(value, value.replace(",", "."), minimum)
        return _not_number(value, comma_ok)

    return check


def _number_range(value: str, dotted: str, minimum) -> Result:
    whole = dotted.lstrip("+-").split(".")[0]
    if len(whole) > _MAX_NUMBER_DIGITS:
        return _too_large(value)
    if minimum is not None and dotted.startswith("-") and float(dotted) < minimum:
        return _below_minimum(value, minimum)
    return None


def _too_large(value: str) -> Tuple[str, str, str]:
    return ("tipo", f"El número {_show(value)} es demasiado grande",
            f"The number {_show(value)} is too large")


def _ambiguous(value: str) -> Tuple[str, str, str]:
    # In a ';' file (a Spanish-locale export) '1.234' is more likely one thousand
    # two hundred thirty-four with a thousands dot than a decimal: refuse to guess.
    return ("tipo",
            f"El valor {_show(value)} es ambiguo en un archivo separado por ';': "
            "¿punto de miles o decimal? Escriba el número sin separador de miles "
            "y con coma decimal (1234 o 1,234)",
            f"The value {_show(value)} is ambiguous in a ';'-separated file: a "
            "thousands dot or a decimal point? Write the number without thousands "
            "separators, with a decimal comma (1234 or 1,234)")


def _not_number(value: str, comma_ok: bool) -> Tuple[str, str, str]:
    decimal_es = "punto o coma decimal" if comma_ok else "punto decimal"
    decimal_en = "a decimal point or comma" if comma_ok else "a decimal point"
    es = f"El valor {_show(value)} no es un número"
    en = f"The value {_show(value)} is not a number"
    if _THOUSANDS.fullmatch(value) or (value.count(".") + value.count(",") > 1):
        es += f"; escríbalo sin separador de miles, con {decimal_es} (1234567.50)"
        en += f"; write it without thousands separators, with {decimal_en} (1234567.50)"
    elif "," in value and not comma_ok:
        es += "; use punto decimal (la coma decimal solo vale en archivos separados por ';')"
        en += "; use a decimal point (a decimal comma is only accepted in ';'-separated files)"
    else:
        es += f"; escriba solo cifras, con {decimal_es}, sin moneda ni exponente"
        en += f"; write digits only, with {decimal_en}, no currency and no exponent"
    return ("tipo", es, en)


# -- dates -------------------------------------------------------------------------

def _date_checker(field: dict) -> Checker:
    required = field.get("constraints", {}).get("required", False)

    def check(raw: str) -> Result:
        value = raw.strip()
        if not value:
            return REQUIRED if required else None
        found = privacy.value_problem(value, "number")
        if found:
            return (privacy.CODIGO_VALOR,) + found
        if _ISO_DATE.fullmatch(value):
            try:
                datetime.date.fromisoformat(value)
                return None
            except ValueError:
                pass
        return ("tipo",
                f"El valor {_show(value)} no es una fecha válida AAAA-MM-DD (p. ej. 2024-03-15)",
                f"The value {_show(value)} is not a valid date YYYY-MM-DD (e.g. 2024-03-15)")

    return check


# -- conversion for read_rows ----------------------------------------------------------

def converter(field: dict, delimiter: str) -> Callable[[str], object]:
    """Cell text -> the value to store; ``None`` for empty and suppressed cells.

    Dates stay ISO strings: they go into a DataStore ``date`` column as they are and
    travel through the JSON API unchanged. Assumes the file passed ``validate``.
    """
    kind = field.get("type", "string")
    comma = delimiter == ";"

    def to_int(raw: str):
        value = raw.strip()
        if not value or value == SUPPRESSION_MARKER:
            return None
        return int(value)

    def to_float(raw: str):
        value = raw.strip()
        if not value or value == SUPPRESSION_MARKER:
            return None
        if not _NUMBER_DOT.fullmatch(value) and not (comma and _NUMBER_COMMA.fullmatch(value)):
            raise ValueError(f"not a number: {value!r}")
        return float(value.replace(",", ".") if comma else value)

    def to_date(raw: str):
        value = raw.strip()
        if not value:
            return None
        return datetime.date.fromisoformat(value).isoformat()

    def to_text(raw: str):
        return raw.strip() or None

    return {"integer": to_int, "number": to_float, "date": to_date}.get(kind, to_text)

