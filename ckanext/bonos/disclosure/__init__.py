"""Disclosure control for the summary tables: no suppressed count may be recovered.

Pure Python (no CKAN): the upload hooks, the jobs worker, the ``ckan bonos
suprimir`` command, the demo generator and the benchmark all call the same code.

- ``links``: the linear links of the standard between rows and tables;
- ``audit``: the interval audit (HiGHS), by independent blocks;
- ``secondary``: the greedy, audited choice of what to suppress;
- ``files``: raw CSVs in, publishable CSVs out;
- ``problems``: the audit's findings as validation problems (es / en).
"""
from __future__ import annotations

from typing import Sequence

from .audit import AuditUnavailable, Result
from .audit import audit as audit_model
from .files import SuppressedFiles, suppress_files
from .links import LINKED_TABLES, Source, build, csv_source
from .problems import CODIGO, unsafe_cells

__all__ = ["AuditUnavailable", "Result", "audit_model", "audit_sources", "SuppressedFiles",
           "suppress_files", "LINKED_TABLES", "Source", "build", "csv_source", "CODIGO", "unsafe_cells"]


def audit_sources(sources: Sequence[Source], time_limit: float = 60.0) -> Result:
    """Audit linked tables together (see ``audit.audit``)."""
    return audit_model(build(sources), time_limit=time_limit)
