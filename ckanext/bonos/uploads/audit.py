"""The disclosure audit of an upload, with the tables it is linked to.

Runs after the file passed the standard's checks, before anything is stored. A
file whose suppressed counts an outsider can narrow is refused like any invalid
file; when the solver fails or runs out of time nothing is decided, and the file
is held as pending (never passed) for the jobs worker to try again.
"""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

from ckanext.bonos import disclosure
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


def check(stream, tabla: str, package_id: str, resource_id, umbral: int,
          report: Report, time_limit: float = None) -> str:
    """Audit a valid upload: "valido", "invalido" (``report`` then holds the unsafe
    cells) or "pendiente" (no verdict). ``stream`` is left at its start."""
    if tabla not in disclosure.LINKED_TABLES:
        return "valido"
    if time_limit is None:
        time_limit = float(tk.config.get(TIME_LIMIT_OPTION) or 60)
    own = disclosure.csv_source(stream, tabla, UPLOAD, umbral)
    others = linked.sources(package_id, resource_id, None)
    try:
        result = disclosure.audit_sources([own] + [s for s, _label in others],
                                          time_limit=time_limit)
    except disclosure.AuditUnavailable as exc:
        log.warning("bonos: audit of an upload to %s held: %s", package_id, exc)
        return "pendiente"
    finally:
        stream.seek(0)
    problems = disclosure.unsafe_cells(result, UPLOAD, {s.fuente: label for s, label in others})
    log.info("bonos: audit of %s (%s): %d suppressed counts, %d blocks, %d solved, "
             "%d unsafe, %.2fs", package_id, tabla, len(result.cells), result.blocks,
             result.solved_blocks, len(problems), result.seconds)
    if not problems:
        return "valido"
    report.estado = INVALIDO
    report.errores = problems[:100]
    report.total_errores = len(problems)
    return "invalido"
