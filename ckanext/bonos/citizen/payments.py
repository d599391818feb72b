"""The payments table ``bonos_pagos``: when and how each programme paid.

Like ``bonos_cifras`` (store.py) for the summaries, each valid ``historial_pagos``
resource leaves here, when it is loaded, its rows by payment date, modality and
status: one per municipality as published, and one per department (as published,
or else the sum of its municipalities with the number of suppressed cells the sum
leaves out). Suppressed cells are NULL with their count in ``*_suprimidas``:
never zero. ``publico`` follows the publication and the resource, as in
``bonos_cifras``; store.py's entry points dispatch here, so the upload and the
dataset hooks need not know this table.

A payment cycle is a period of the table (``periodo``: the quarter, month...).
When two publications give the same programme, cycle and place, the later
cut-off date (then the later load) wins, and all of the place's rows of that
cycle come from the winner.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

import sqlalchemy as sa

from ckan import model

from ckanext.bonos import dbtables

from . import store

log = logging.getLogger(__name__)

TABLE = "bonos_pagos"
TABLA = "historial_pagos"
ESTADOS = ("pagado", "pendiente", "rechazado", "reprogramado")
MODALIDADES = ("bancaria", "ventanilla", "billetera_electronica", "movil")

DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id bigserial PRIMARY KEY,
    resource_id text NOT NULL,
    package_id text NOT NULL,
    programa text NOT NULL,
    periodo text NOT NULL,
    periodo_fin date NOT NULL,
    fecha_pago date NOT NULL,
    nivel text NOT NULL CHECK (nivel IN ('departamento', 'municipio')),
    departamento text NOT NULL,
    municipio text NOT NULL DEFAULT '',
    modalidad text NOT NULL,
    estado text NOT NULL,
    transferencias bigint,
    transferencias_suprimidas integer NOT NULL DEFAULT 0,
    monto numeric(18, 2),
    monto_suprimidas integer NOT NULL DEFAULT 0,
    fecha_corte date,
    publico boolean NOT NULL DEFAULT false,
    cargado_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS {TABLE}_lugar_idx
    ON {TABLE} (nivel, departamento, municipio, programa, periodo_fin) WHERE publico;
CREATE INDEX IF NOT EXISTS {TABLE}_departamento_idx
    ON {TABLE} (nivel, departamento, programa, periodo_fin) WHERE publico;
CREATE INDEX IF NOT EXISTS {TABLE}_ciclo_idx
    ON {TABLE} (programa, periodo_fin) WHERE nivel = 'departamento' AND publico;
CREATE INDEX IF NOT EXISTS {TABLE}_resource_idx ON {TABLE} (resource_id);
CREATE INDEX IF NOT EXISTS {TABLE}_package_idx ON {TABLE} (package_id);
"""

COLUMNS = ("resource_id", "package_id", "programa", "periodo", "periodo_fin", "fecha_pago",
           "nivel", "departamento", "municipio", "modalidad", "estado", "transferencias",
           "transferencias_suprimidas", "monto", "monto_suprimidas", "fecha_corte", "publico")


def create(conn) -> None:
    conn.execute(sa.text(DDL))


def ensure(session=None) -> None:
    dbtables.ensure(session or model.Session, TABLE, create)


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def rows_from_history(records, resource_id: str, package_id: str,
                      fecha_corte: dt.date | None) -> list[dict]:
    """The payment rows of one historial_pagos table's records (DataStore names)."""
    published, sums, departments_published = {}, {}, set()
    for r in records:
        try:
            _, _, periodo_fin = store.period_bounds(r["periodo"])
            fecha = _date(r["fecha_pago"])
        except (ValueError, TypeError):
            continue
        municipio = r.get("municipio_codigo") or ""
        key = (r["programa"], r["periodo"], fecha, r["departamento_codigo"], municipio,
               r["modalidad_pago"], r["estado"])
        row = published.get(key)
        if row is None:     # one row per key: repeated keys are added up
            row = published[key] = {
                "resource_id": resource_id, "package_id": package_id,
                "programa": r["programa"], "periodo": r["periodo"],
                "periodo_fin": periodo_fin, "fecha_pago": fecha,
                "nivel": "municipio" if municipio else "departamento",
                "departamento": r["departamento_codigo"], "municipio": municipio,
                "modalidad": r["modalidad_pago"], "estado": r["estado"],
                "transferencias": None, "transferencias_suprimidas": 0,
                "monto": None, "monto_suprimidas": 0,
                "fecha_corte": fecha_corte, "publico": False}
        _add(row, r["transferencias"], r["monto_hnl"])
        if municipio:
            dkey = key[:4] + ("",) + key[5:]
            total = sums.get(dkey)
            if total is None:
                total = sums[dkey] = dict(row, nivel="departamento", municipio="",
                                          transferencias=None, transferencias_suprimidas=0,
                                          monto=None, monto_suprimidas=0)
            _add(total, r["transferencias"], r["monto_hnl"])
        else:
            departments_published.add(key[:2] + (key[3],))
    out = list(published.values())
    # the department's own published rows are the authority for its cycle
    out.extend(row for key, row in sums.items()
               if key[:2] + (key[3],) not in departments_published)
    return out


def _add(row: dict, transferencias, monto) -> None:
    for name, value in (("transferencias", transferencias), ("monto", monto)):
        if value is None:
            row[name + "_suprimidas"] += 1
        else:
            row[name] = (row[name] or 0) + value


def _datastore_records(resource_id: str):
    from ckanext.datastore.backend.postgres import get_write_engine
    sql = sa.text(
        'SELECT periodo, fecha_pago, departamento_codigo, municipio_codigo, programa, '
        'modalidad_pago, transferencias, monto_hnl, estado FROM "%s"'
        % resource_id.replace('"', ''))
    with get_write_engine().connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sql)]


def refresh_resource(resource_id: str, package_id: str, session=None) -> int:
    """Replace the payment rows of one loaded, valid historial_pagos table (in the
    caller's transaction: the caller commits, then bumps the cache)."""
    session = session or model.Session
    ensure(session)
    rows = rows_from_history(_datastore_records(resource_id), resource_id, package_id,
                             store._fecha_corte(package_id, session))
    session.execute(sa.text(f"DELETE FROM {TABLE} WHERE resource_id = :r"), {"r": resource_id})
    if rows:
        session.execute(sa.text("INSERT INTO %s (%s) VALUES (%s)" % (
            TABLE, ", ".join(COLUMNS), ", ".join(":" + c for c in COLUMNS))), rows)
    set_visibility(session, "resource_id", resource_id)
    log.info("bonos_pagos: %d rows from resource %s", len(rows), resource_id)
    return len(rows)


def forget(column: str, value: str, session) -> None:
    ensure(session)
    session.execute(sa.text(f"DELETE FROM {TABLE} WHERE {column} = :v"), {"v": value})


def set_visibility(session, column: str, ids) -> None:
    ids = [ids] if isinstance(ids, str) else list(ids)
    ensure(session)
    session.flush()
    session.execute(sa.text(f"""
        UPDATE {TABLE} c SET publico = EXISTS (
            SELECT 1 FROM package p JOIN resource r ON r.package_id = p.id
            WHERE p.id = c.package_id AND r.id = c.resource_id
              AND p.state = 'active' AND NOT p.private AND r.state = 'active')
        WHERE c.{column} = ANY(:ids)"""), {"ids": ids})


def hide_package(package_id: str, session) -> None:
    ensure(session)
    session.execute(sa.text(f"UPDATE {TABLE} SET publico = false WHERE package_id = :p"),
                    {"p": package_id})


def set_fecha_corte(package_id: str, fecha_corte, session) -> None:
    ensure(session)
    session.execute(sa.text(f"UPDATE {TABLE} SET fecha_corte = :f WHERE package_id = :p"),
                    {"p": package_id, "f": fecha_corte})


def group_by(rows, *keys) -> dict:
    out = defaultdict(list)
    for r in rows:
        out[tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]].append(r)
    return out
