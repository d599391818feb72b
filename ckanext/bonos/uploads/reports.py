"""The stored report of the last validation of each resource.

Written in CKAN's own session, so a report is committed with the resource it
describes. The table comes from the plugin's migration; it is also created on
demand, because CKAN's ``clean_db`` test fixture drops every table.

A page asks for the same report several times (CKAN's resource_show and
resource_view_show auth checks, then the preview itself): ``get`` remembers
what it read for the rest of the session's transaction (``session.info``),
so those cost one look-up. Writes through ``save``/``delete`` update the
memo; it is dropped when the transaction ends (commit, rollback, or the
session's removal at the end of each request), so a later transaction sees
what other processes (the validation worker) committed meanwhile.
"""
from __future__ import annotations

import json

import sqlalchemy as sa

from ckan import model

from ckanext.bonos import dbtables

TABLE = "bonos_validacion"
ESTADOS = ("valido", "invalido", "pendiente")

DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    resource_id text PRIMARY KEY,
    estado text NOT NULL CHECK (estado IN ('valido', 'invalido', 'pendiente')),
    report jsonb NOT NULL,
    validated_at timestamptz NOT NULL DEFAULT now()
)
"""


MEMO = "bonos_validacion_memo"        # session.info: resource id -> report or None


@sa.event.listens_for(sa.orm.Session, "after_transaction_end")
def _forget(session, transaction) -> None:
    session.info.pop(MEMO, None)


def _memo(session) -> dict:
    return session.info.setdefault(MEMO, {})


def create(conn) -> None:
    conn.execute(sa.text(DDL))


def ensure(session) -> None:
    dbtables.ensure(session, TABLE, create)


def save(resource_id: str, report: dict, session=None) -> None:
    session = session or model.Session
    ensure(session)
    estado = report["estado"]
    assert estado in ESTADOS, estado
    session.execute(sa.text(
        f"INSERT INTO {TABLE} (resource_id, estado, report, validated_at) "
        "VALUES (:id, :estado, CAST(:report AS jsonb), now()) "
        "ON CONFLICT (resource_id) DO UPDATE SET estado = EXCLUDED.estado, "
        "report = EXCLUDED.report, validated_at = EXCLUDED.validated_at"),
        {"id": resource_id, "estado": estado, "report": json.dumps(report)})
    _memo(session).pop(resource_id, None)  # validated_at comes from the database


def get(resource_id: str, session=None) -> dict | None:
    session = session or model.Session
    memo = _memo(session)
    if resource_id not in memo:
        ensure(session)
        memo = _memo(session)  # ensure may have begun (and so reset) a transaction
        row = session.execute(sa.text(
            f"SELECT report, validated_at FROM {TABLE} WHERE resource_id = :id"),
            {"id": resource_id}).first()
        if row is None:
            memo[resource_id] = None
        else:
            report = dict(row[0])
            report["fecha_validacion"] = row[1].isoformat()
            memo[resource_id] = report
    report = memo[resource_id]
    return None if report is None else dict(report)  # callers may change their copy


def forget_memo(resource_id: str, session=None) -> None:
    """After a write through another session: CKAN's session may have
    remembered the old report for the rest of its transaction."""
    session = session or model.Session
    _memo(session).pop(resource_id, None)


def delete(resource_id: str, session=None) -> None:
    session = session or model.Session
    ensure(session)
    session.execute(sa.text(f"DELETE FROM {TABLE} WHERE resource_id = :id"),
                    {"id": resource_id})
    _memo(session)[resource_id] = None


def states(resource_ids, session=None) -> dict:
    """resource id -> (estado, sha256 or None) for those that have a report:
    one query for a whole publication (or catalogue page)."""
    ids = list(resource_ids)
    if not ids:
        return {}
    session = session or model.Session
    ensure(session)
    rows = session.execute(sa.text(
        f"SELECT resource_id, estado, report->>'sha256' FROM {TABLE} "
        "WHERE resource_id = ANY(:ids)"), {"ids": ids})
    return {r[0]: (r[1], r[2]) for r in rows}


def set_sha256(resource_id: str, sha256: str, session=None) -> None:
    """Remember the checksum of the file a report describes; a new report (a
    new file) replaces it, so it cannot go stale."""
    session = session or model.Session
    session.execute(sa.text(
        f"UPDATE {TABLE} SET report = jsonb_set(report, '{{sha256}}', to_jsonb(CAST(:sha AS text))) "
        "WHERE resource_id = :id"), {"id": resource_id, "sha": sha256})
    _memo(session).pop(resource_id, None)
