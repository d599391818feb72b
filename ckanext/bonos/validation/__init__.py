"""Checks on uploaded summary tables (the standard in ``ckanext.bonos.tables``).

Pure Python, no CKAN calls: usable from an upload hook, a background job or a
benchmark. ``validate`` streams a binary CSV and returns a ``Report``;
``read_rows`` yields typed rows for the DataStore once a file is valid;
``datastore_fields`` gives the DataStore column definitions.

    report = validate(open("pagos.csv", "rb"), "historial_pagos")
    if not report.valido:
        raise ValidationError({"upload": [report.summary()]})
"""
from .engine import CACHE_SIZE, datastore_fields, read_numbered_rows, read_rows, validate
from .privacy import personal_column
from .report import INVALIDO, VALIDO, Problem, Report

__all__ = ["validate", "read_rows", "read_numbered_rows", "datastore_fields", "Report", "Problem",
           "VALIDO", "INVALIDO", "personal_column", "CACHE_SIZE"]
