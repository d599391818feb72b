"""The citizen pages' payments: indexed reads of ``bonos_pagos`` (payments.py).

Per programme: a place's latest payment cycle (its dates, transfers and
lempiras by status, whether anything is still pending), its last payment date,
and on the payments page the payments of the twelve months up to its latest
payment. Only rows of active, public publications and resources are read; for
each programme, cycle and place the publication with the later cut-off date
wins. A suppressed cell is counted, never added as zero.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa

from ckan import model

from ckanext.bonos import vocab

from . import figures, payments
from .cache import cached
from .figures import programme_order

WINDOW_DAYS = 365

# The winner of each programme, cycle and place in one scan: every row carries the
# resource that wins its group, and only the winner's rows are kept. ``%(recent)s``
# keeps to the fifteen months before the programme's latest cycle when only those
# are shown.
_VISIBLE = f"""
    SELECT * FROM (
        SELECT c.*, first_value(c.resource_id) OVER (
                   PARTITION BY c.programa COLLATE "C", c.periodo COLLATE "C",
                                c.departamento COLLATE "C", c.municipio COLLATE "C"
                   ORDER BY c.fecha_corte DESC NULLS LAST, c.cargado_at DESC,
                            c.resource_id DESC) AS ganador,
               max(c.periodo_fin) OVER (PARTITION BY c.programa) AS ultimo_ciclo
        FROM {payments.TABLE} c
        WHERE c.publico AND %(where)s) x
    WHERE x.resource_id = x.ganador %(recent)s
"""
_RECENT = "AND x.periodo_fin >= x.ultimo_ciclo - 460"


def _rows(where: str, params: dict, recent: bool = False) -> list[dict]:
    """Rows of the winning publications; ``publico`` says the publication and the
    resource are active and public, and the publications are checked again here."""
    payments.ensure()
    session = model.Session
    sql = _VISIBLE % {"where": where, "recent": _RECENT if recent else ""}
    rows = [dict(r._mapping) for r in session.execute(sa.text(sql), params)]
    if not rows:
        return []
    names = {pid: (name, title) for pid, name, title in session.execute(sa.text(
        "SELECT id, name, title FROM package WHERE id = ANY(:ids) AND state = 'active' "
        "AND NOT private"), {"ids": list({r["package_id"] for r in rows})})}
    active = {rid for (rid,) in session.execute(sa.text(
        "SELECT id FROM resource WHERE id = ANY(:ids) AND state = 'active'"),
        {"ids": list({r["resource_id"] for r in rows})})}
    out = []
    for r in rows:
        if r["package_id"] in names and r["resource_id"] in active:
            r["package_name"], r["package_title"] = names[r["package_id"]]
            out.append(r)
    return out


@dataclass
class Cycle:
    """One place's payments in one cycle (a period of historial_pagos)."""
    programa: str
    periodo: str
    periodo_fin: dt.date | None = None
    lugar: str = ""
    fechas: list = field(default_factory=list)          # payment dates, in order
    transferencias: dict = field(default_factory=dict)  # estado -> sum (None: all suppressed)
    suprimidas: dict = field(default_factory=dict)      # estado -> suppressed cells
    monto_pagado: float | None = None
    monto_pagado_suprimidas: int = 0
    ultimo_pago: dt.date | None = None                  # last date with a paid row
    fuentes: list = field(default_factory=list)

    @property
    def pendientes(self) -> int | None:
        return self.transferencias.get("pendiente")

    @property
    def completo(self) -> bool | None:
        """Fully paid: no transfer left pending. None when that cannot be told
        because the only pending cells are suppressed."""
        if self.pendientes:
            return False
        if self.suprimidas.get("pendiente"):
            return None
        return True

    @property
    def total_suprimidas(self) -> int:
        return sum(self.suprimidas.values())

    @property
    def shares(self) -> list[tuple[str, float | None]]:
        """(estado, percent of the published transfers of the cycle) for each status."""
        known = sum(v for v in self.transferencias.values() if v)
        return [(e, (100.0 * (self.transferencias.get(e) or 0) / known) if known else None)
                for e in payments.ESTADOS if e in self.transferencias or e in self.suprimidas]


def _cycle(rows: list[dict], lugar: str = "") -> Cycle:
    first = rows[0]
    c = Cycle(first["programa"], first["periodo"], first["periodo_fin"], lugar)
    c.fechas = sorted({r["fecha_pago"] for r in rows})
    for r in rows:
        e = r["estado"]
        c.suprimidas[e] = c.suprimidas.get(e, 0) + r["transferencias_suprimidas"]
        if r["transferencias"] is not None:
            c.transferencias[e] = (c.transferencias.get(e) or 0) + r["transferencias"]
        else:
            c.transferencias.setdefault(e, None)
        if e == "pagado":
            c.monto_pagado_suprimidas += r["monto_suprimidas"]
            if r["monto"] is not None:
                c.monto_pagado = (c.monto_pagado or 0) + r["monto"]
            if c.ultimo_pago is None or r["fecha_pago"] > c.ultimo_pago:
                c.ultimo_pago = r["fecha_pago"]
        source = (r["package_name"], r["package_title"])
        if source not in c.fuentes:
            c.fuentes.append(source)
    return c


def _latest(rows: list[dict]) -> list[dict]:
    """The rows of the latest cycle (by its end date) among ``rows``."""
    if not rows:
        return []
    end = max(r["periodo_fin"] for r in rows)
    periodo = max(r["periodo"] for r in rows if r["periodo_fin"] == end)
    return [r for r in rows if r["periodo"] == periodo]


@dataclass
class NationalPayments:
    programa: str
    periodo: str
    departments: dict       # code -> Cycle


def _latest_cycles(where: str, params: dict) -> list[tuple[str, str, dt.date]]:
    """(programme, period, its end) of each programme's latest cycle among the
    department rows matching ``where``: one index probe per programme (the
    programmes found by a loose index scan), not a scan of every cycle."""
    payments.ensure()
    session = model.Session
    base = f"FROM {payments.TABLE} c WHERE c.nivel = 'departamento' AND c.publico AND {where}"
    programmes = [p for (p,) in session.execute(sa.text(f"""
        WITH RECURSIVE t(p) AS (
            SELECT min(c.programa) {base}
            UNION ALL
            SELECT (SELECT min(c.programa) {base} AND c.programa > t.p)
            FROM t WHERE t.p IS NOT NULL)
        SELECT p FROM t WHERE p IS NOT NULL"""), params)]
    out = []
    for programa in programme_order(programmes):
        latest = session.execute(sa.text(
            f"SELECT c.periodo, c.periodo_fin {base} AND c.programa = :programa_ "
            "ORDER BY c.periodo_fin DESC, c.periodo DESC LIMIT 1"),
            dict(params, programa_=programa)).first()
        out.append((programa, latest.periodo, latest.periodo_fin))
    return out


_CYCLE = "c.programa = :p AND c.periodo_fin = :fin AND c.periodo = :per"


@cached("pagos_nacional")
def national() -> list[NationalPayments]:
    """Per programme: its latest cycle, department by department."""
    out = []
    for programa, periodo, fin in _latest_cycles("true", {}):
        rows = _rows("c.nivel = 'departamento' AND " + _CYCLE,
                     {"p": programa, "per": periodo, "fin": fin})
        if not rows:
            continue
        by_dep = payments.group_by(rows, "departamento")
        out.append(NationalPayments(programa, periodo, {
            d: _cycle(r, vocab.nombre_departamento(d) or d) for d, r in sorted(by_dep.items())}))
    return out


@dataclass
class DepartmentPayments:
    programa: str
    latest: Cycle
    municipalities: list    # (code, name, Cycle | None, its last payment date | None)


@cached("pagos_departamento")
def department(codigo: str) -> list[DepartmentPayments]:
    """Per programme: the department's latest cycle, and each municipality's in it."""
    out = []
    for programa, periodo, fin in _latest_cycles("c.departamento = :d", {"d": codigo}):
        params = {"d": codigo, "p": programa, "per": periodo, "fin": fin}
        rows = _rows("c.nivel = 'departamento' AND c.departamento = :d AND " + _CYCLE, params)
        if not rows:
            continue
        latest = _cycle(rows)
        munis = payments.group_by(_rows(
            "c.nivel = 'municipio' AND c.departamento = :d AND " + _CYCLE, params), "municipio")
        # a municipality's last payment: the last paid date of its latest cycle
        table = []
        for m in vocab.municipios_de(codigo):
            cycle = _cycle(munis[m["codigo"]]) if m["codigo"] in munis else None
            table.append((m["codigo"], m["nombre"], cycle, cycle and cycle.ultimo_pago))
        out.append(DepartmentPayments(programa, latest, table))
    return out


@dataclass
class PlacePayments:
    programa: str
    latest: Cycle
    ultimo_pago: dt.date | None
    pagos: list             # rows of the last twelve months, newest first
    meses: list             # (first day of month, {modalidad: lempiras paid | None})
    desde: dt.date | None = None


@cached("pagos_municipio")
def municipality(codigo: str) -> list[PlacePayments]:
    rows = _rows("c.nivel = 'municipio' AND c.departamento = :d AND c.municipio = :m",
                 {"d": codigo[:2], "m": codigo}, recent=True)
    out = []
    by_programme = payments.group_by(rows, "programa")
    for programa in programme_order(by_programme):
        items = by_programme[programa]
        latest = _cycle(_latest(items))
        paid = [r["fecha_pago"] for r in items if r["estado"] == "pagado"]
        newest = max(r["fecha_pago"] for r in items)
        since = newest - dt.timedelta(days=WINDOW_DAYS)
        window = sorted((r for r in items if r["fecha_pago"] > since),
                        key=lambda r: (r["fecha_pago"], r["modalidad"], r["estado"]),
                        reverse=True)
        out.append(PlacePayments(programa, latest, max(paid) if paid else None, window,
                                 _months(window, newest), since))
    return out


def _months(rows: list[dict], until: dt.date) -> list:
    """Lempiras paid per modality in each of the twelve months up to ``until``'s."""
    months = []
    for back in range(11, -1, -1):
        index = until.year * 12 + until.month - 1 - back
        months.append(dt.date(index // 12, index % 12 + 1, 1))
    paid = {m: {} for m in months}
    for r in rows:
        cell = paid.get(r["fecha_pago"].replace(day=1))
        if cell is None or r["estado"] != "pagado":
            continue
        if r["monto"] is None:
            cell.setdefault(r["modalidad"], None)
        else:
            cell[r["modalidad"]] = (cell.get(r["modalidad"]) or 0) + float(r["monto"])
    return [(m, paid[m]) for m in months]


def export_rows(nivel: str = "departamento", programa: str | None = None,
                departamento: str | None = None, municipio: str | None = None) -> list[dict]:
    """The public payments as plain rows (CSV download and the API), oldest first."""
    rows = _rows(*figures.export_filter(nivel, programa, departamento, municipio))
    rows.sort(key=lambda r: (r["programa"], r["fecha_pago"], r["departamento"], r["municipio"],
                             r["modalidad"], r["estado"]))
    return [{
        "programa": r["programa"], "periodo": r["periodo"],
        "fecha_pago": r["fecha_pago"].isoformat(),
        "departamento_codigo": r["departamento"],
        "municipio_codigo": r["municipio"] or None,
        "modalidad_pago": r["modalidad"], "estado": r["estado"],
        "transferencias": r["transferencias"],
        "transferencias_celdas_suprimidas": r["transferencias_suprimidas"],
        "monto_hnl": None if r["monto"] is None else float(r["monto"]),
        "monto_celdas_suprimidas": r["monto_suprimidas"],
        "fecha_corte": r["fecha_corte"].isoformat() if r["fecha_corte"] else None,
        "publicacion": r["package_name"],
    } for r in rows]
