"""The stored report of the last validation of each resource.

Written in CKAN's own session, so a report is committed with the resource it
describes. The table comes from the plugin's migration; it is also created on
demand, because CKAN's ``clean_db`` test fixture drops every table.
"""
from __future__ import annotations

import json

import sqlalchemy as sa

from ckan import model

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


def create(conn) -> None:
    conn.execute(sa.text(DDL))


def _ensure(session) -> None:
    if session.execute(sa.text("SELECT to_regclass(:t)"), {"t": TABLE}).scalar() is None:
        create(session)


def save(resource_id: str, report: dict, session=None) -> None:
    session = session or model.Session
    _ensure(session)
    estado = report["estado"]
    assert estado in ESTADOS, estado
    session.execute(sa.text(
        f"INSERT INTO {TABLE} (resource_id, estado, report, validated_at) "
        "VALUES (:id, :estado, CAST(:report AS jsonb), now()) "
        "ON CONFLICT (resource_id) DO UPDATE SET estado = EXCLUDED.estado, "
        "report = EXCLUDED.report, validated_at = EXCLUDED.validated_at"),
        {"id": resource_id, "estado": estado, "report": json.dumps(report)})


def get(resource_id: str, session=None) -> dict | None:
    session = session or model.Session
    _ensure(session)
    row = session.execute(sa.text(
        f"SELECT report, validated_at FROM {TABLE} WHERE resource_id = :id"),
        {"id": resource_id}).first()
    if row is None:
        return None
    report = dict(row[0])
    report["fecha_validacion"] = row[1].isoformat()
    return report


def delete(resource_id: str, session=None) -> None:
    session = session or model.Session
    _ensure(session)
    session.execute(sa.text(f"DELETE FROM {TABLE} WHERE resource_id = :id"),
                    {"id": resource_id})
