"""Valid rows of a summary table into CKAN's DataStore, typed per the standard.

Developers then query them with datastore_search and datastore_search_sql.
Suppressed cells arrive as NULL (never 0); the standard's column titles and
descriptions travel as the DataStore data dictionary.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging

import ckan.plugins.toolkit as tk
from ckanext.datastore.backend.postgres import get_write_engine

from ckanext.bonos import validation

log = logging.getLogger(__name__)
CHUNK_ROWS = 50_000


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
    the number of rows loaded.

    The table is made by datastore_create (types, data dictionary, the
    full-text trigger); the rows then go in with COPY, which fires the same
    trigger and is about ten times faster than datastore_upsert batches.
    """
    clear(resource_id)
    fields = validation.datastore_fields(tabla)
    names = [f["id"] for f in fields]
    tk.get_action("datastore_create")(_context(), {
        "resource_id": resource_id, "fields": fields, "records": [], "force": True})
    copy_sql = 'COPY "%s" (%s) FROM STDIN WITH (FORMAT csv)' % (
        resource_id, ", ".join('"%s"' % n for n in names))
    total = 0
    raw = get_write_engine().raw_connection()
    try:
        cur = raw.cursor()
        with open(path, "rb") as stream:
            _, rows = validation.read_rows(stream, tabla)
            while True:
                buffer, count = _csv_chunk(rows, names)
                if not count:
                    break
                cur.copy_expert(copy_sql, buffer)
                total += count
        raw.commit()
    except Exception:
        raw.rollback()
        raise
    finally:
        raw.close()
    log.info("DataStore: %d rows of %s loaded for resource %s", total, tabla, resource_id)
    return total


def _csv_chunk(rows, names) -> tuple[io.StringIO, int]:
    """Up to CHUNK_ROWS rows as CSV; None is written unquoted-empty (NULL)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    count = 0
    for row in rows:
        record = row if isinstance(row, dict) else dict(zip(names, row))
        writer.writerow([_plain(record.get(n)) for n in names])
        count += 1
        if count >= CHUNK_ROWS:
            break
    buffer.seek(0)
    return buffer, count
