"""Citizen reports ("Reportar un problema con estos datos"): table ``bonos_reportes``.

A report is about a publication, a department page or a municipality page; it
belongs to the organization that published the figures (``owner_org``; NULL:
only sysadmins see it). The contact e-mail lives only in this table and in the
answers of the editor-only actions. The table comes from the plugin's
migration and is also created on demand (CKAN's ``clean_db`` drops it).
"""
from __future__ import annotations

import uuid

import sqlalchemy as sa

from ckan import model

from ckanext.bonos import dbtables

TABLE = "bonos_reportes"
ESTADOS = ("recibido", "en_revision", "respondido", "descartado")

DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id text PRIMARY KEY,
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now(),
    package_id text,
    departamento text,
    municipio text,
    owner_org text,
    mensaje text NOT NULL,
    email text,
    estado text NOT NULL DEFAULT 'recibido'
        CHECK (estado IN ('recibido', 'en_revision', 'respondido', 'descartado')),
    respuesta text,
    publico boolean NOT NULL DEFAULT false,
    respondido_por text,
    respondido_at timestamptz,
    CHECK (num_nonnulls(package_id, departamento, municipio) = 1)
);
CREATE INDEX IF NOT EXISTS {TABLE}_org_idx ON {TABLE} (owner_org, created DESC);
CREATE INDEX IF NOT EXISTS {TABLE}_publico_idx ON {TABLE} (respondido_at DESC) WHERE publico;
"""

COLUMNS = ("id", "created", "updated", "package_id", "departamento", "municipio",
           "owner_org", "mensaje", "email", "estado", "respuesta", "publico",
           "respondido_por", "respondido_at")


def create(conn) -> None:
    conn.execute(sa.text(DDL))


def _ensure(session) -> None:
    dbtables.ensure(session, TABLE, create)


def _as_dict(row) -> dict:
    out = dict(row._mapping)
    for key in ("created", "updated", "respondido_at"):
        if out.get(key) is not None:
            out[key] = out[key].isoformat()
    return out


def insert(values: dict) -> dict:
    session = model.Session
    _ensure(session)
    values = dict(values, id=str(uuid.uuid4()))
    names = [k for k in values]
    row = session.execute(sa.text("INSERT INTO %s (%s) VALUES (%s) RETURNING *" % (
        TABLE, ", ".join(names), ", ".join(":" + n for n in names))), values).first()
    session.commit()
    return _as_dict(row)


def get(report_id: str) -> dict | None:
    session = model.Session
    _ensure(session)
    row = session.execute(sa.text(f"SELECT * FROM {TABLE} WHERE id = :id"),
                          {"id": report_id}).first()
    return _as_dict(row) if row else None


def update(report_id: str, values: dict) -> dict:
    session = model.Session
    sets = ", ".join("%s = :%s" % (k, k) for k in values)
    row = session.execute(sa.text(
        f"UPDATE {TABLE} SET {sets}, updated = now() WHERE id = :id RETURNING *"),
        dict(values, id=report_id)).first()
    session.commit()
    return _as_dict(row)


def search(org_ids: list[str] | None, estado: str | None = None,
           limit: int = 100, offset: int = 0) -> tuple[int, list[dict]]:
    """Reports of the given organizations (None: all), newest first."""
    session = model.Session
    _ensure(session)
    where, params = ["true"], {"limit": limit, "offset": offset}
    if org_ids is not None:
        where.append("owner_org = ANY(:orgs)")
        params["orgs"] = list(org_ids)
    if estado:
        where.append("estado = :estado")
        params["estado"] = estado
    clause = " AND ".join(where)
    count = session.execute(sa.text(f"SELECT count(*) FROM {TABLE} WHERE {clause}"),
                            params).scalar()
    rows = session.execute(sa.text(
        f"SELECT * FROM {TABLE} WHERE {clause} ORDER BY created DESC, id "
        "LIMIT :limit OFFSET :offset"), params)
    return count, [_as_dict(r) for r in rows]


def published(limit: int = 50, offset: int = 0, package_id: str | None = None,
              departamento: str | None = None, municipio: str | None = None) -> list[dict]:
    """Answered reports the editor chose to publish, newest answer first."""
    session = model.Session
    _ensure(session)
    where, params = ["publico", "estado = 'respondido'"], {"limit": limit, "offset": offset}
    for name, value in (("package_id", package_id), ("departamento", departamento),
                        ("municipio", municipio)):
        if value:
            where.append("%s = :%s" % (name, name))
            params[name] = value
    rows = session.execute(sa.text(
        f"SELECT * FROM {TABLE} WHERE {' AND '.join(where)} "
        "ORDER BY respondido_at DESC, id LIMIT :limit OFFSET :offset"), params)
    return [_as_dict(r) for r in rows]
