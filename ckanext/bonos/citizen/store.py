"""The figures table ``bonos_cifras``: what the citizen pages read.

Aggregating DataStore tables on every page view would not scale to thousands
of publications, so each valid ``resumen_ejecucion`` resource leaves here, when
it is loaded, its ``total`` rows: one per municipality (as published) and one
per department (as published, or else the sum of its municipalities, with the
number of suppressed cells the sum leaves out). Pages then read small indexed
SQL. Each row says whether its publication and resource are active and public
(``publico``), kept current by the dataset hooks and the bulk actions, so the
national sums need no join; the pages also join the publication when they read
place figures. ``ckan bonos cifras rebuild`` rewrites the whole table from the
DataStore.

Suppressed cells are NULL with their count in ``*_suprimidas``: never zero.
The table comes from the plugin's migration and is also created on demand,
because CKAN's ``clean_db`` test fixture drops every table.

Writers never commit: they write in the session they are given (CKAN's, inside
its transaction, or one of their own after CKAN committed) and the figures
cache is bumped when that session commits (cache.bump_after_commit).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import defaultdict

import sqlalchemy as sa

from ckan import model

from ckanext.bonos import dbtables

from . import cache, payments

log = logging.getLogger(__name__)

TABLE = "bonos_cifras"
TABLA = "resumen_ejecucion"       # the summary table the figures come from
COMPONENTE_TOTAL = "total"

DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id bigserial PRIMARY KEY,
    resource_id text NOT NULL,
    package_id text NOT NULL,
    programa text NOT NULL,
    periodo text NOT NULL,
    periodo_tipo char(1) NOT NULL CHECK (periodo_tipo IN ('A', 'S', 'T', 'M')),
    periodo_inicio date NOT NULL,
    periodo_fin date NOT NULL,
    nivel text NOT NULL CHECK (nivel IN ('departamento', 'municipio')),
    departamento text NOT NULL,
    municipio text NOT NULL DEFAULT '',
    hogares bigint,
    hogares_suprimidas integer NOT NULL DEFAULT 0,
    personas bigint,
    personas_suprimidas integer NOT NULL DEFAULT 0,
    monto_programado numeric(18, 2),
    monto_programado_suprimidas integer NOT NULL DEFAULT 0,
    monto_transferido numeric(18, 2),
    monto_transferido_suprimidas integer NOT NULL DEFAULT 0,
    municipios integer NOT NULL DEFAULT 0,
    fecha_corte date,
    publico boolean NOT NULL DEFAULT false,
    cargado_at timestamptz NOT NULL DEFAULT now()
);
-- A table made by an older release (before suppressed amounts) is brought up to
-- date here too, so that whoever creates it (migration or ensure) gets this shape.
ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS
    monto_programado_suprimidas integer NOT NULL DEFAULT 0;
ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS
    monto_transferido_suprimidas integer NOT NULL DEFAULT 0;
ALTER TABLE {TABLE} ALTER COLUMN monto_programado DROP NOT NULL;
ALTER TABLE {TABLE} ALTER COLUMN monto_transferido DROP NOT NULL;
CREATE INDEX IF NOT EXISTS {TABLE}_departamento_idx
    ON {TABLE} (nivel, departamento, programa, periodo_fin);
CREATE INDEX IF NOT EXISTS {TABLE}_municipio_idx
    ON {TABLE} (municipio, programa, periodo_fin) WHERE nivel = 'municipio';
CREATE INDEX IF NOT EXISTS {TABLE}_programa_idx
    ON {TABLE} (programa, periodo_tipo, periodo_fin) WHERE nivel = 'departamento';
CREATE INDEX IF NOT EXISTS {TABLE}_vigente_idx ON {TABLE} (
    (programa COLLATE "C"), (periodo COLLATE "C"), (departamento COLLATE "C"),
    (municipio COLLATE "C"), fecha_corte DESC NULLS LAST, cargado_at DESC, id DESC)
    INCLUDE (package_id, resource_id, periodo_tipo, periodo_fin, hogares,
             hogares_suprimidas, personas, personas_suprimidas, monto_programado,
             monto_programado_suprimidas, monto_transferido, monto_transferido_suprimidas)
    WHERE nivel = 'departamento' AND publico;
CREATE INDEX IF NOT EXISTS {TABLE}_resource_idx ON {TABLE} (resource_id);
CREATE INDEX IF NOT EXISTS {TABLE}_package_idx ON {TABLE} (package_id);
"""

COLUMNS = ("resource_id", "package_id", "programa", "periodo", "periodo_tipo",
           "periodo_inicio", "periodo_fin", "nivel", "departamento", "municipio",
           "hogares", "hogares_suprimidas", "personas", "personas_suprimidas",
           "monto_programado", "monto_programado_suprimidas", "monto_transferido",
           "monto_transferido_suprimidas", "municipios", "fecha_corte", "publico")
#: Figures that a suppressed cell leaves out of a sum (the row rule hides a row's
#: amounts with its counts): each has a ``<name>_suprimidas`` count beside it.
FIGURES = ("hogares", "personas", "monto_programado", "monto_transferido")

_PERIODO = re.compile(r"^(\d{4})(?:-(?:(\d{2})|T([1-4])|S([12])))?$")


def create(conn) -> None:
    conn.execute(sa.text(DDL))


def ensure(session=None) -> None:
    dbtables.ensure(session or model.Session, TABLE, create)


def period_bounds(periodo: str) -> tuple[str, dt.date, dt.date]:
    """'2024' -> ('A', 2024-01-01, 2024-12-31); '2024-T2', '2024-S1', '2024-03' alike."""
    m = _PERIODO.match(periodo or "")
    if not m:
        raise ValueError("periodo %r" % periodo)
    year = int(m.group(1))
    if m.group(2):
        first, months, tipo = int(m.group(2)), 1, "M"
    elif m.group(3):
        first, months, tipo = 3 * int(m.group(3)) - 2, 3, "T"
    elif m.group(4):
        first, months, tipo = 6 * int(m.group(4)) - 5, 6, "S"
    else:
        first, months, tipo = 1, 12, "A"
    start = dt.date(year, first, 1)
    last = first + months       # the month after the period
    end = (dt.date(year + 1, 1, 1) if last > 12 else dt.date(year, last, 1)) - dt.timedelta(days=1)
    return tipo, start, end


class _Sum:
    """A department figure summed from its municipalities."""
    __slots__ = FIGURES + tuple(f + "_suprimidas" for f in FIGURES) + ("municipios",)

    def __init__(self):
        for f in FIGURES:
            setattr(self, f, None)
            setattr(self, f + "_suprimidas", 0)
        self.municipios = 0

    def add(self, row: dict) -> None:
        for f in FIGURES:
            if row[f] is None:
                setattr(self, f + "_suprimidas", getattr(self, f + "_suprimidas") + 1)
            else:
                setattr(self, f, (getattr(self, f) or 0) + row[f])
        self.municipios += 1


def rows_from_summary(records, resource_id: str, package_id: str,
                      fecha_corte: dt.date | None) -> list[dict]:
    """The figure rows of one summary table's records (DataStore column names)."""
    out, sums, published_departments = [], defaultdict(_Sum), set()
    for r in records:
        if r["componente"] != COMPONENTE_TOTAL:
            continue
        try:
            tipo, start, end = period_bounds(r["periodo"])
        except ValueError:
            continue
        municipio = r.get("municipio_codigo") or ""
        row = {
            "resource_id": resource_id, "package_id": package_id,
            "programa": r["programa"], "periodo": r["periodo"], "periodo_tipo": tipo,
            "periodo_inicio": start, "periodo_fin": end,
            "nivel": "municipio" if municipio else "departamento",
            "departamento": r["departamento_codigo"], "municipio": municipio,
            "hogares": r["hogares"], "hogares_suprimidas": int(r["hogares"] is None),
            "personas": r["personas"], "personas_suprimidas": int(r["personas"] is None),
            "monto_programado": r["monto_programado_hnl"],
            "monto_programado_suprimidas": int(r["monto_programado_hnl"] is None),
            "monto_transferido": r["monto_transferido_hnl"],
            "monto_transferido_suprimidas": int(r["monto_transferido_hnl"] is None),
            "municipios": 0, "fecha_corte": fecha_corte, "publico": False,
        }
        out.append(row)
        key = (row["programa"], row["periodo"], row["departamento"])
        if municipio:
            sums[key].add(row)
        else:
            published_departments.add(key)
    for key, s in sums.items():
        if key in published_departments:
            continue    # the department's own published row is the authority
        programa, periodo, departamento = key
        tipo, start, end = period_bounds(periodo)
        row = {"resource_id": resource_id, "package_id": package_id,
               "programa": programa, "periodo": periodo, "periodo_tipo": tipo,
               "periodo_inicio": start, "periodo_fin": end, "nivel": "departamento",
               "departamento": departamento, "municipio": "", "fecha_corte": fecha_corte,
               "publico": False}
        row.update({slot: getattr(s, slot) for slot in _Sum.__slots__})
        out.append(row)
    return out


def _datastore_records(resource_id: str):
    from ckanext.datastore.backend.postgres import get_write_engine
    sql = sa.text(
        'SELECT periodo, departamento_codigo, municipio_codigo, programa, componente, '
        'hogares, personas, monto_programado_hnl, monto_transferido_hnl '
        'FROM "%s" WHERE componente = :total' % resource_id.replace('"', ''))
    with get_write_engine().connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sql, {"total": COMPONENTE_TOTAL})]


def _fecha_corte(package_id: str, session) -> dt.date | None:
    # Through the ORM: the extras are a table in CKAN 2.11, a JSONB column in 2.12.
    package = session.get(model.Package, package_id)
    value = package.extras.get("fecha_corte") if package is not None else None
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def insert_rows(rows: list[dict], session=None) -> None:
    session = session or model.Session
    if rows:
        session.execute(sa.text("INSERT INTO %s (%s) VALUES (%s)" % (
            TABLE, ", ".join(COLUMNS), ", ".join(":" + c for c in COLUMNS))), rows)


def refresh_resource(resource_id: str, package_id: str, session=None) -> int:
    """Replace the figures of one loaded, valid summary table; returns rows written."""
    session = session or model.Session
    ensure(session)
    rows = rows_from_summary(_datastore_records(resource_id), resource_id, package_id,
                             _fecha_corte(package_id, session))
    session.execute(sa.text(f"DELETE FROM {TABLE} WHERE resource_id = :r"), {"r": resource_id})
    insert_rows(rows, session)
    _set_visibility(session, "resource_id", resource_id)
    cache.bump_after_commit(session)
    log.info("bonos_cifras: %d rows from resource %s", len(rows), resource_id)
    return len(rows)


def after_load(resource_id: str, package_id: str, tabla: str, session=None) -> None:
    """A summary table was validated and loaded into the DataStore: its figures
    (resumen_ejecucion) or payments (historial_pagos, payments.py) replace the
    resource's old ones in either table (its tabla may have changed). Written in
    ``session``; the caller commits."""
    session = session or model.Session
    if tabla == payments.TABLA:
        ensure(session)
        session.execute(sa.text(f"DELETE FROM {TABLE} WHERE resource_id = :r"), {"r": resource_id})
        payments.refresh_resource(resource_id, package_id, session)
        cache.bump_after_commit(session)
        return
    payments.forget("resource_id", resource_id, session)
    if tabla == TABLA:
        refresh_resource(resource_id, package_id, session)
    else:
        forget_resource(resource_id, session)


def forget_resource(resource_id: str, session=None) -> None:
    session = session or model.Session
    ensure(session)
    session.execute(sa.text(f"DELETE FROM {TABLE} WHERE resource_id = :r"), {"r": resource_id})
    payments.forget("resource_id", resource_id, session)
    cache.bump_after_commit(session)


def forget_package(package_id: str, session=None) -> None:
    session = session or model.Session
    ensure(session)
    session.execute(sa.text(f"DELETE FROM {TABLE} WHERE package_id = :p"), {"p": package_id})
    payments.forget("package_id", package_id, session)
    cache.bump_after_commit(session)


_VISIBILITY = f"""
    UPDATE {TABLE} c SET publico = EXISTS (
        SELECT 1 FROM package p JOIN resource r ON r.package_id = p.id
        WHERE p.id = c.package_id AND r.id = c.resource_id
          AND p.state = 'active' AND NOT p.private AND r.state = 'active')
    WHERE c.%s = ANY(:ids)
"""


def _set_visibility(session, column: str, ids) -> None:
    ids = [ids] if isinstance(ids, str) else list(ids)
    session.flush()     # hooks run before CKAN flushes the change they react to
    session.execute(sa.text(_VISIBILITY % column), {"ids": ids})
    payments.set_visibility(session, column, ids)


def hide_package(package_id: str, session=None) -> None:
    """The publication is being deleted (CKAN calls the hook before it marks it)."""
    session = session or model.Session
    ensure(session)
    session.execute(sa.text(f"UPDATE {TABLE} SET publico = false WHERE package_id = :p"),
                    {"p": package_id})
    payments.hide_package(package_id, session)
    cache.bump_after_commit(session)


def packages_changed(package_ids, session=None) -> None:
    """Publications were made public, private or deleted in bulk."""
    session = session or model.Session
    ensure(session)
    _set_visibility(session, "package_id", package_ids)
    cache.bump_after_commit(session)


def package_updated(package_id: str, session=None) -> None:
    """Its visibility may have changed, and a new cut-off date decides which of
    two overlapping publications wins."""
    session = session or model.Session
    ensure(session)
    fecha_corte = _fecha_corte(package_id, session)
    session.execute(sa.text(f"UPDATE {TABLE} SET fecha_corte = :f WHERE package_id = :p"),
                    {"p": package_id, "f": fecha_corte})
    payments.set_fecha_corte(package_id, fecha_corte, session)
    _set_visibility(session, "package_id", package_id)
    cache.bump_after_commit(session)  # also: it may have become private, or public


def rebuild(echo=lambda message: None) -> int:
    """Rewrite the table from every valid summary table in the DataStore."""
    session = model.Session
    ensure(session)
    session.execute(sa.text(f"TRUNCATE {TABLE}"))
    payments.ensure(session)
    session.execute(sa.text(f"TRUNCATE {payments.TABLE}"))
    candidates = session.execute(sa.text(
        "SELECT r.id, r.package_id, r.extras FROM resource r "
        "JOIN bonos_validacion v ON v.resource_id = r.id AND v.estado = 'valido' "
        "WHERE r.state = 'active'")).fetchall() if session.execute(
        sa.text("SELECT to_regclass('bonos_validacion')")).scalar() else []
    total = 0
    for resource_id, package_id, extras in candidates:
        tabla = json.loads(extras or "{}").get("tabla")
        if tabla not in (TABLA, payments.TABLA):
            continue
        try:
            with session.begin_nested():
                if tabla == payments.TABLA:
                    total += payments.refresh_resource(resource_id, package_id, session)
                else:
                    total += refresh_resource(resource_id, package_id, session)
        except sa.exc.ProgrammingError:     # no DataStore table (never loaded)
            echo("sin tabla en el DataStore / no DataStore table: %s" % resource_id)
    cache.bump_after_commit(session)
    session.commit()
    return total
