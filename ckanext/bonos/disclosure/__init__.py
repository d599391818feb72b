"""Disclosure control for the summary tables: no suppressed count may be recovered.

Pure Python (no CKAN): the upload hooks, the jobs worker, the ``ckan bonos
suprimir`` command, the demo generator and the benchmark all call the same code.

- ``links``: the linear links of the standard between rows and tables;
- ``columns``, ``compact``: the same model for large tables, from columns filled
  while the upload is validated, reduced to what the solver needs;
- ``audit``: the interval audit (HiGHS), by independent blocks;
- ``secondary``: the greedy, audited choice of what to suppress;
- ``files``: raw CSVs in, publishable CSVs out;
- ``problems``: the audit's findings as validation problems (es / en).
"""
from __future__ import annotations

import time
from typing import Sequence

from . import compact
from .audit import AuditUnavailable, Result
from .audit import audit as audit_model
from .columns import Codes, Columns, from_sources
from .files import SuppressedFiles, suppress_files
from .links import LINKED_TABLES, Source, build
from .problems import CODIGO, unsafe_cells

__all__ = ["AuditUnavailable", "Result", "audit_model", "audit_sources", "audit_columns",
           "Codes", "Columns", "SuppressedFiles", "suppress_files", "LINKED_TABLES", "Source",
           "build", "CODIGO", "unsafe_cells"]


def audit_columns(tables: Sequence[Columns], time_limit: float = 60.0) -> Result:
    """Audit linked tables together, given as columns sharing one ``Codes``.

    The result lists the unsafe cells and those the solver bounded; the counts
    found safe before (``Result.free_counts``) are only counted. ``time_limit``
    bounds the whole audit: past it there is no verdict (AuditUnavailable)."""
    started = time.perf_counter()
    model = compact.build(tables)
    left = time_limit - (time.perf_counter() - started)
    if left <= 0:
        raise AuditUnavailable("time")
    return audit_model(model, time_limit=left)


def audit_sources(sources: Sequence[Source], time_limit: float = 60.0) -> Result:
    """``audit_columns`` of ``links.Source`` tables."""
    return audit_columns(from_sources(sources), time_limit=time_limit)
