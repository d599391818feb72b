"""The validation run: header, then every row, streaming; and reading for DataStore.

Nothing here touches CKAN: the same calls serve an upload hook, a background job
and the benchmark.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Optional, Tuple

from ckanext.bonos import vocab
from ckanext.bonos.tables import SUPPRESSION_MARKER, TABLES, table_schema

from . import checks, privacy
from .csvread import FileProblem, open_csv
from .report import INVALIDO, VALIDO, Problem, Report

#: How many distinct valid texts to remember per column. Most columns hold few
#: distinct values (periods, codes, dates, small counts), so nearly every cell is
#: then one set lookup; amounts are all different, and the bound keeps memory flat.
CACHE_SIZE = 20000

_DATASTORE_TYPES = {"string": "text", "integer": "int8", "number": "numeric",
                    "date": "date"}


def _schema(tabla: str) -> dict:
    if tabla not in TABLES:
        raise ValueError(f"Tabla desconocida {tabla!r}; las tablas son {', '.join(TABLES)}. / "
                         f"Unknown table {tabla!r}; the tables are {', '.join(TABLES)}.")
    return table_schema(tabla)


# -- the header --------------------------------------------------------------------

@dataclass
class Column:
    index: int        # position in the file
    name: str         # as written in the file (trimmed)
    spec: Optional[dict] = None    # the schema field; None: privacy checks only


@dataclass
class Plan:
    """What the header says: which file column is which field, and its problems."""

    columns: List[Column] = field(default_factory=list)
    problems: List[Problem] = field(default_factory=list)
    width: int = 0    # cells a row must have (trailing unnamed columns excluded)

    def index_of(self, name: str) -> Optional[int]:
        for col in self.columns:
            if col.spec is not None and col.spec["name"] == name:
                return col.index
        return None


def plan_header(header: List[str], schema: dict, fila: int = 1) -> Plan:
    fields = {f["name"].lower(): f for f in schema["fields"]}
    names = [cell.strip() for cell in header]
    plan = Plan(width=_named_width(names))
    seen: Dict[str, int] = {}

    def refuse(name, codigo, es, en):
        plan.problems.append(Problem.make(fila, name, codigo, es, en))

    for index, name in enumerate(names[:plan.width]):
        key = name.lower()
        if key in fields and key not in seen:
            seen[key] = index
            plan.columns.append(Column(index, name, fields[key]))
            continue
        # Privacy first: a column of personal data is refused as such, not as unknown.
        if key not in fields and privacy.personal_column(name):
            refuse(name, privacy.CODIGO_COLUMNA,
                   f"La columna {name!r} contiene datos personales; una tabla publicada "
                   "solo puede tener cifras agregadas. Quite la columna",
                   f"The column {name!r} holds personal data; a published table may only "
                   "have aggregate figures. Remove the column")
            continue   # its cells are not reported one by one
        plan.columns.append(Column(index, name, None))
        if key in fields:
            refuse(name, "columna_duplicada",
                   f"La columna {name!r} aparece más de una vez",
                   f"The column {name!r} appears more than once")
        else:
            _unknown_column(refuse, name, list(fields))
            found = privacy.value_problem(name, "free")
            if found:   # a header row that is really data
                refuse(name, privacy.CODIGO_VALOR, *found)

    for key, f in fields.items():
        if key not in seen and f.get("constraints", {}).get("required"):
            refuse(f["name"], "columna_faltante",
                   f"Falta la columna obligatoria {f['name']!r} ({_title(f, 0)})",
                   f"The required column {f['name']!r} is missing ({_title(f, 1)})")
    return plan


def _named_width(names: List[str]) -> int:
    # Spreadsheets often export empty columns after the last one in use.
    width = len(names)
    while width and not names[width - 1]:
        width -= 1
    return width


def _unknown_column(refuse, name: str, expected: List[str]) -> None:
    if not name:
        refuse(None, "columna_desconocida", "Hay una columna sin nombre",
               "There is a column without a name")
        return
    close = difflib.get_close_matches(name.lower(), expected, n=1)
    hint_es = f" ¿Quiso decir {close[0]!r}?" if close else ""
    hint_en = f" Did you mean {close[0]!r}?" if close else ""
    listed = ", ".join(expected)
    refuse(name, "columna_desconocida",
           f"La columna {name!r} no es parte de la tabla.{hint_es} Las columnas son: {listed}",
           f"The column {name!r} is not part of the table.{hint_en} The columns are: {listed}")


def _title(f: dict, lang: int) -> str:
    parts = f.get("title", f["name"]).split(" / ")
    return parts[lang] if len(parts) > lang else parts[0]


# -- the run -----------------------------------------------------------------------

class _Collector:
    """Counts every problem, keeps the first ``limit``."""

    def __init__(self, limit: int):
        self.limit = limit
        self.kept: List[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(problem)

    def cell(self, fila: int, columna: str, result: Tuple[str, str, str]) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(Problem.make(fila, columna, *result))


def validate(stream, tabla: str, umbral: int = 5, max_errors: int = 100,
             rows_to=None) -> Report:
    """Check a CSV upload (binary stream) against the standard table ``tabla``.

    ``rows_to``: something with ``reader(plan, delimiter) -> add(fila, row)``
    (``disclosure.columns.Columns``) that is handed every well-formed row as it
    is checked, so that the disclosure audit needs no second reading. What it
    collects means something only if the report says valid."""
    schema = _schema(tabla)
    report = Report()
    found = _Collector(max(0, max_errors))
    try:
        source = open_csv(stream)
    except FileProblem as exc:
        found.add(Problem.make(None, None, exc.codigo, exc.es, exc.en))
        return _finish(report, found)
    report.delimiter = source.delimiter
    plan = plan_header(source.header, schema, source.header_fila)
    for problem in plan.problems:
        found.add(problem)
    _drain(source, found, source.header_fila)
    collect = rows_to.reader(plan, source.delimiter) \
        if rows_to is not None and not plan.problems else None
    report.filas = _check_rows(source, plan, found, umbral, collect)
    report.encoding = source.encoding
    if report.filas == 0:
        found.add(Problem.make(None, None, "sin_filas", "El archivo no tiene filas de datos",
                               "The file has no data rows"))
    return _finish(report, found)


def _finish(report: Report, found: _Collector) -> Report:
    report.errores = found.kept
    report.total_errores = found.total
    report.estado = INVALIDO if found.total else VALIDO
    return report


def _check_rows(source, plan: Plan, found: _Collector, umbral: int,
                collect: Optional[Callable] = None) -> int:
    columns = [(col.index, col.name, _checker(col, source.delimiter, umbral), set())
               for col in plan.columns]
    row_check = _municipio_check(plan, found)
    row_rule = _row_rule_check(plan, found)
    width = len(source.header)
    pending = source.pending
    cell = found.cell
    filas = 0
    for fila, row in source.records():
        filas += 1
        if len(row) != width:
            row = _irregular(fila, row, plan.width, found)
            if row is None:
                _drain(source, found, fila)
                continue
        problems_before = found.total
        for index, name, check, ok in columns:
            value = row[index]
            if value in ok:
                continue
            result = check(value)
            if result is None:
                if len(ok) < CACHE_SIZE:
                    ok.add(value)
            else:
                cell(fila, name, result)
        if collect is not None and found.total == problems_before:
            collect(fila, row)
        if row_check is not None:
            row_check(fila, row)
        # The row rule speaks of well-formed cells only: a cell already refused
        # (a personal value, a typo) is fixed first.
        if row_rule is not None and found.total == problems_before:
            row_rule(fila, row)
        if pending:
            _drain(source, found, fila)
    return filas


def _checker(col: Column, delimiter: str, umbral: int) -> checks.Checker:
    if col.spec is None:
        return checks.privacy_only
    return checks.build(col.spec, delimiter=delimiter, umbral=umbral)


def _irregular(fila: int, row: List[str], width: int, found: _Collector):
    """A row with another number of cells than the header: the row to check, or None."""
    if len(row) >= width and not any(cell.strip() for cell in row[width:]):
        return row[:width] + [""] * (width - len(row)) if len(row) < width else row
    if row:   # [] is a row the CSV reader could not parse; that is already reported
        found.add(Problem.make(
            fila, None, "numero_columnas",
            f"La fila tiene {len(row)} celdas y el encabezado {width}; revise los "
            "separadores y las comillas",
            f"The row has {len(row)} cells and the header {width}; check the "
            "delimiters and quotes"))
        # Cells cannot be matched to columns, but privacy is never skipped.
        for cell in row:
            result = checks.privacy_only(cell)
            if result is not None:
                found.cell(fila, None, result)
    return None


def _drain(source, found: _Collector, fila: int) -> None:
    for codigo, es, en in source.pending:
        found.add(Problem.make(fila, None, codigo, es, en))
    source.pending.clear()


def _municipio_check(plan: Plan, found: _Collector) -> Optional[Callable]:
    """The row-level rule: a municipality belongs to the row's department."""
    di = plan.index_of("departamento_codigo")
    mi = plan.index_of("municipio_codigo")
    if di is None or mi is None:
        return None
    column = next(c.name for c in plan.columns if c.index == mi)
    owner = {code: item["departamento_codigo"] for code, item in vocab.municipios().items()}
    departments = frozenset(vocab.departamentos())
    ok = set()

    def check(fila: int, row: List[str]) -> None:
        pair = (row[di], row[mi])
        if pair in ok:
            return
        dep, mun = pair[0].strip(), pair[1].strip()
        if dep in departments and mun in owner and owner[mun] != dep:
            name = vocab.nombre_municipio(mun)
            found.add(Problem.make(
                fila, column, "municipio_fuera_de_departamento",
                f"El municipio {mun} ({name}) pertenece al departamento {owner[mun]}, "
                f"no al {dep} de esta fila",
                f"The municipality {mun} ({name}) belongs to department {owner[mun]}, "
                f"not to {dep} given on this row"))
        elif len(ok) < CACHE_SIZE:
            ok.add(pair)

    return check


def _row_rule_check(plan: Plan, found: _Collector) -> Optional[Callable]:
    """The row rule: a row's counts and amounts are all published or all suppressed.

    A suppressed count beside its published amount is recovered by dividing the
    amount by what the other rows pay per unit; and a row that hides only some of
    them tells an outsider which kind of suppression it is."""
    cells = [(col.index, col.name) for col in plan.columns
             if col.spec is not None and checks.suppressible(col.spec)]
    if len(cells) < 2:
        return None
    marker = SUPPRESSION_MARKER

    def check(fila: int, row: List[str]) -> None:
        hidden = [row[i].strip() == marker for i, _name in cells]
        if any(hidden) and not all(hidden):
            names = ", ".join(name for i, name in cells)
            for (i, name), is_hidden in zip(cells, hidden):
                if not is_hidden and row[i].strip():
                    found.add(Problem.make(
                        fila, name, "regla_fila",
                        f"La fila tiene una cifra '{marker}': sus conteos y montos "
                        f"({names}) se publican todos como '{marker}' (regla de la fila)",
                        f"The row has a '{marker}' figure: its counts and amounts "
                        f"({names}) must all be published as '{marker}' (the row rule)"))

    return check


# -- reading for DataStore ------------------------------------------------------------

def datastore_fields(tabla: str) -> List[dict]:
    """DataStore field definitions, with the bilingual title and description as info."""
    fields = []
    for f in _schema(tabla)["fields"]:
        info = {"label": f.get("title", f["name"])}
        if f.get("description"):
            info["notes"] = f["description"]
        # "Spanish / English": each language for CKAN's data dictionary on its page
        for key in ("label", "notes"):
            parts = (info.get(key) or "").split(" / ")
            if len(parts) == 2:
                info[key + "_translated"] = {"es": parts[0], "en": parts[1]}
        fields.append({"id": f["name"], "type": _DATASTORE_TYPES[f.get("type", "string")],
                       "info": info})
    return fields


def read_rows(stream, tabla: str) -> Tuple[List[dict], Iterator[dict]]:
    """``(fields, rows)`` for ``datastore_create``: rows are dicts keyed by field id,
    with ints, floats, ISO date strings and None for empty and suppressed cells.

    Meant for a file that passed ``validate``; raises ValueError if the header or a
    cell cannot be read (it does not repeat the privacy and content checks).
    """
    schema = _schema(tabla)
    source = open_csv(stream)
    plan = plan_header(source.header, schema, source.header_fila)
    if plan.problems:
        raise ValueError(plan.problems[0].mensaje)
    return datastore_fields(tabla), (record for _fila, record in
                                     _typed_rows(source, plan, schema))


def read_numbered_rows(stream, tabla: str) -> Iterator[Tuple[int, dict]]:
    """``(fila, record)`` pairs: ``read_rows``'s records with their spreadsheet row,
    for reports that name the row of a cell (the disclosure audit)."""
    schema = _schema(tabla)
    source = open_csv(stream)
    plan = plan_header(source.header, schema, source.header_fila)
    if plan.problems:
        raise ValueError(plan.problems[0].mensaje)
    return _typed_rows(source, plan, schema)


def _typed_rows(source, plan: Plan, schema: dict) -> Iterator[Tuple[int, dict]]:
    names = [f["name"] for f in schema["fields"]]
    convert = [(col.spec["name"], col.index, checks.converter(col.spec, source.delimiter))
               for col in plan.columns if col.spec is not None]
    absent = {name: None for name in names}
    width = len(source.header)
    for fila, row in source.records():
        if len(row) != width and len(row) < plan.width:
            raise ValueError(f"fila {fila}: {len(row)} celdas / row {fila}: {len(row)} cells")
        record = dict(absent)
        for name, index, to_value in convert:
            try:
                record[name] = to_value(row[index])
            except ValueError as exc:
                raise ValueError(f"fila {fila}, columna {name}: {exc} / "
                                 f"row {fila}, column {name}: {exc}") from None
        yield fila, record
    if source.pending:
        codigo, es, en = source.pending[0]
        raise ValueError(f"{codigo}: {es} / {en}")
