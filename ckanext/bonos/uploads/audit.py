"""The disclosure audit of an upload, with the tables it is linked to.

Runs after the file passed the standard's checks, before anything is stored. A
file whose suppressed counts an outsider can narrow is refused like any invalid
file; when the solver fails or runs out of time nothing is decided, and the file
is held as pending (never passed) for the jobs worker to try again.
"""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

from ckanext.bonos import disclosure, validation
from ckanext.bonos.validation.report import INVALIDO, Problem, Report

from . import linked

log = logging.getLogger(__name__)
TIME_LIMIT_OPTION = "ckanext.bonos.auditoria.time_limit"
UPLOAD = "upload"
PENDING_CODE = "auditoria_pendiente"


def held_problem() -> Problem:
    return Problem.make(
        None, None, PENDING_CODE,
        "La auditoría de confidencialidad no pudo terminar (el cálculo falló o tardó "
        "demasiado); el archivo queda pendiente y no se publica hasta que se complete",
        "The confidentiality audit could not finish (the computation failed or took too "
        "long); the file stays pending and is not published until it completes")


def validated(stream, tabla: str, umbral: int):
    """``validation.validate``, collecting on the way the rows the audit reads
    (``disclosure.Columns``; None for a table that links to nothing), so that an
    upload is parsed once. ``stream`` is left at its start."""
    own = disclosure.Columns(tabla, UPLOAD, umbral, disclosure.Codes()) \
        if tabla in disclosure.LINKED_TABLES else None
    report = validation.validate(stream, tabla, umbral=umbral, rows_to=own)
    stream.seek(0)
    return report, own


def check(own, tabla: str, package_id: str, resource_id, umbral: int,
          report: Report, time_limit: float = None) -> str:
    """Audit a valid upload, whose rows ``validated`` collected in ``own``, with
    its linked tables: "valido", "invalido" (``report`` then holds the unsafe
    cells) or "pendiente" (no verdict)."""
    if own is None or tabla not in disclosure.LINKED_TABLES:
        return "valido"
    if time_limit is None:
        time_limit = float(tk.config.get(TIME_LIMIT_OPTION) or 60)
    others = linked.sources(package_id, resource_id, None)
    tables = [own] + disclosure.from_sources([s for s, _label in others], own.codes)
    try:
        result = disclosure.audit_columns(tables, time_limit=time_limit)
    except disclosure.AuditUnavailable as exc:
        log.warning("bonos: audit of an upload to %s held: %s", package_id, exc)
        return "pendiente"
    problems = disclosure.unsafe_cells(result, UPLOAD, {s.fuente: label for s, label in others})
    log.info("bonos: audit of %s (%s): %d suppressed counts, %d blocks, %d solved, "
             "%d unsafe, %.2fs", package_id, tabla, result.suppressed, result.blocks,
             result.solved_blocks, len(problems), result.seconds)
    if not problems:
        return "valido"
    report.estado = INVALIDO
    report.errores = problems[:100]
    report.total_errores = len(problems)
    return "invalido"


def audit_stored(only: str = None, time_limit: float = None) -> dict:
    """Audit again the valid tables already stored, each publication's with the
    tables they link to: for tables loaded before this audit existed, or before a
    publication's threshold was raised (nothing re-checks a stored file then).

    Reports every unsafe cell once, by resource and row, and the publications
    whose audit could not finish. Changes nothing: the portal's administrators
    decide what to withdraw.
    """
    if time_limit is None:
        time_limit = float(tk.config.get(TIME_LIMIT_OPTION) or 60)
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    context = {"ignore_auth": True, "user": site_user}
    if only:
        names = [tk.get_action("package_show")(context, {"id": only})["name"]]
    else:
        names, start = [], 0
        while True:
            page = tk.get_action("package_search")(context, {
                "fq": "+dataset_type:bono", "rows": 500, "start": start, "sort": "name asc",
                "include_private": True, "fl": "name"})
            names += [p["name"] for p in page["results"]]
            start += 500
            if start >= page["count"] or not page["results"]:
                break
    found, held, audited = {}, [], 0
    for name in names:
        others = linked.sources(name, None, None)
        if not others:
            continue
        audited += 1
        labels = {s.fuente: label for s, label in others}
        try:
            result = disclosure.audit_sources([s for s, _label in others], time_limit=time_limit)
        except disclosure.AuditUnavailable as exc:
            held.append({"publicacion": name, "motivo": str(exc)})
            continue
        for cell in result.unsafe:
            low, high = cell.interval
            for where in result.model.rows[cell.row].occurrences:
                found.setdefault((where.fuente, where.fila, cell.column), {
                    "recurso": where.fuente, "tabla": labels.get(where.fuente, where.fuente),
                    "fila": where.fila, "columna": cell.column, "desde": low,
                    "hasta": None if high == float("inf") else high, "umbral": cell.umbral})
    return {"publicaciones_auditadas": audited, "celdas_revelables": list(found.values()),
            "sin_veredicto": held}
