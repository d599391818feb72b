"""Reports of push runs, kept in the database for the admin page.

The table comes from the plugin's migration (0002); like the validation
reports it is also created on demand, because CKAN's ``clean_db`` test
fixture drops every table.
"""
from __future__ import annotations

import json

import sqlalchemy as sa

from ckan import model

from ckanext.bonos import dbtables

TABLE = "bonos_push_report"

DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id serial PRIMARY KEY,
    target text NOT NULL,
    started_at timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    dry_run boolean NOT NULL DEFAULT false,
    ok boolean NOT NULL,
    report jsonb NOT NULL
)
"""


def create(conn) -> None:
    conn.execute(sa.text(DDL))
    conn.execute(sa.text(
        f"CREATE INDEX IF NOT EXISTS {TABLE}_started_idx ON {TABLE} (started_at DESC)"))


def _ensure(session) -> None:
    dbtables.ensure(session, TABLE, create)


def save(report: dict) -> int:
    session = model.Session
    _ensure(session)
    new_id = session.execute(sa.text(
        f"INSERT INTO {TABLE} (target, started_at, finished_at, dry_run, ok, report) "
        "VALUES (:target, :started, :finished, :dry, :ok, CAST(:report AS jsonb)) RETURNING id"),
        {"target": report["target"], "started": report["started_at"],
         "finished": report["finished_at"], "dry": report["dry_run"], "ok": report["ok"],
         "report": json.dumps(report)}).scalar()
    session.commit()
    return new_id


def latest(limit: int = 50, target: str | None = None) -> list[dict]:
    session = model.Session
    _ensure(session)
    rows = session.execute(sa.text(
        f"SELECT id, report FROM {TABLE} "
        + ("WHERE target = :target " if target else "")
        + "ORDER BY started_at DESC, id DESC LIMIT :limit"),
        {"limit": limit, "target": target}).fetchall()
    return [dict(r[1], id=r[0]) for r in rows]
