"""Valid rows of a summary table into CKAN's DataStore, typed per the standard.

Developers then query them with datastore_search and datastore_search_sql.
Suppressed cells arrive as NULL (never 0); the standard's column titles and
descriptions travel as the DataStore data dictionary.
"""
from __future__ import annotations

import datetime as dt
import logging

import ckan.plugins.toolkit as tk

from ckanext.bonos import validation

log = logging.getLogger(__name__)
CHUNK_ROWS = 5000


def _context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"ignore_auth": True, "user": site_user["name"]}


def _plain(value):
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def clear(resource_id: str) -> None:
    try:
        tk.get_action("datastore_delete")(
            _context(), {"resource_id": resource_id, "force": True})
    except tk.ObjectNotFound:
        pass


def load(resource_id: str, path: str, tabla: str) -> int:
    """Replace the resource's DataStore table with the file's rows; returns
    the number of rows loaded."""
    clear(resource_id)
    fields = validation.datastore_fields(tabla)
    names = [f["id"] for f in fields]
    total = 0
    with open(path, "rb") as stream:
        _, rows = validation.read_rows(stream, tabla)
        batch: list = []
        created = False
        for row in rows:
            record = row if isinstance(row, dict) else dict(zip(names, row))
            batch.append({k: _plain(v) for k, v in record.items()})
            if len(batch) >= CHUNK_ROWS:
                created = _push(resource_id, fields, batch, created)
                total += len(batch)
                batch = []
        if batch or not created:
            _push(resource_id, fields, batch, created)
            total += len(batch)
    log.info("DataStore: %d rows of %s loaded for resource %s", total, tabla, resource_id)
    return total


def _push(resource_id, fields, records, created: bool) -> bool:
    if not created:
        tk.get_action("datastore_create")(_context(), {
            "resource_id": resource_id, "fields": fields, "records": records,
            "force": True})
    else:
        tk.get_action("datastore_upsert")(_context(), {
            "resource_id": resource_id, "records": records, "method": "insert",
            "force": True})
    return True
