"""The citizen pages' data: indexed reads of ``bonos_cifras`` (see store.py).

Only figures of active, public publications and resources are read: the
rows' ``publico`` flag, and for place figures also a join with the publication. When two
publications give the same programme, period and place, the one with the later
cut-off date (then the later load) wins. A programme's trend uses one kind of
period (month, quarter, half-year or year): the kind of its latest period,
so quarters are never added to months.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ckan import model

from ckanext.bonos import vocab

from . import store
from .cache import cached

TREND_PERIODS = 8
# finer kinds first: on the same end date a quarter beats its year
_KIND_ORDER = {"M": 0, "T": 1, "S": 2, "A": 3}

# Codes sort byte-wise ("C"): the same order as the locale's, several times faster.
_VISIBLE = f"""
    SELECT DISTINCT ON (c.programa COLLATE "C", c.periodo COLLATE "C",
                        c.departamento COLLATE "C", c.municipio COLLATE "C")
           c.*, p.name AS package_name, p.title AS package_title
    FROM {store.TABLE} c
    JOIN package p ON p.id = c.package_id AND p.state = 'active' AND NOT p.private
    JOIN resource r ON r.id = c.resource_id AND r.state = 'active'
    WHERE c.publico AND %s
    ORDER BY c.programa COLLATE "C", c.periodo COLLATE "C", c.departamento COLLATE "C",
             c.municipio COLLATE "C", c.fecha_corte DESC NULLS LAST, c.cargado_at DESC,
             c.id DESC
"""

# National figures per programme and period: the visible department rows
# added up in SQL (thousands of rows in, a few hundred out).
_NATIONAL = f"""
    SELECT programa, periodo, periodo_tipo, periodo_fin,
           sum(hogares)::bigint AS hogares,
           sum(hogares_suprimidas)::integer AS hogares_suprimidas,
           sum(personas)::bigint AS personas,
           sum(personas_suprimidas)::integer AS personas_suprimidas,
           sum(monto_programado) AS monto_programado,
           sum(monto_programado_suprimidas)::integer AS monto_programado_suprimidas,
           sum(monto_transferido) AS monto_transferido,
           sum(monto_transferido_suprimidas)::integer AS monto_transferido_suprimidas,
           count(*)::integer AS departamentos, max(fecha_corte) AS fecha_corte
    FROM (SELECT DISTINCT ON (c.programa COLLATE "C", c.periodo COLLATE "C",
                              c.departamento COLLATE "C") c.*
          FROM {store.TABLE} c
          WHERE c.nivel = 'departamento' AND c.publico
          ORDER BY c.programa COLLATE "C", c.periodo COLLATE "C", c.departamento COLLATE "C",
                   c.municipio COLLATE "C", c.fecha_corte DESC NULLS LAST,
                   c.cargado_at DESC, c.id DESC) v
    GROUP BY programa, periodo, periodo_tipo, periodo_fin
"""


@dataclass
class Figure:
    """Households, people and lempiras of one place (or a sum) in one period."""
    programa: str
    periodo: str
    periodo_tipo: str
    periodo_fin: object
    hogares: int | None = None
    hogares_suprimidas: int = 0
    personas: int | None = None
    personas_suprimidas: int = 0
    monto_programado: float | None = None
    monto_programado_suprimidas: int = 0
    monto_transferido: float | None = None
    monto_transferido_suprimidas: int = 0
    departamentos: int = 0
    fecha_corte: object = None
    lugar: str = ""
    fuentes: list = field(default_factory=list)    # (package name, title)

    @property
    def suprimidas(self) -> int:
        return sum(getattr(self, f + "_suprimidas") for f in store.FIGURES)

    @property
    def ejecucion(self) -> float | None:
        """Share of the programmed amount that was transferred (percent): only
        when both leave out the same suppressed rows."""
        if not self.monto_programado or self.monto_transferido is None or \
                self.monto_programado_suprimidas != self.monto_transferido_suprimidas:
            return None
        return 100.0 * float(self.monto_transferido) / float(self.monto_programado)


def _rows(where: str, params: dict) -> list[dict]:
    store.ensure()
    result = model.Session.execute(sa.text(_VISIBLE % where), params)
    return [dict(r._mapping) for r in result]


def _figure(row: dict, lugar: str = "") -> Figure:
    return Figure(
        programa=row["programa"], periodo=row["periodo"], periodo_tipo=row["periodo_tipo"],
        periodo_fin=row["periodo_fin"], hogares=row["hogares"],
        hogares_suprimidas=row["hogares_suprimidas"], personas=row["personas"],
        personas_suprimidas=row["personas_suprimidas"],
        monto_programado=row["monto_programado"],
        monto_programado_suprimidas=row["monto_programado_suprimidas"],
        monto_transferido=row["monto_transferido"],
        monto_transferido_suprimidas=row["monto_transferido_suprimidas"],
        departamentos=1, fecha_corte=row["fecha_corte"], lugar=lugar,
        fuentes=[(row["package_name"], row["package_title"])])


def _add(total: Figure, f: Figure) -> None:
    for name in store.FIGURES:
        value = getattr(f, name)
        if value is not None:
            setattr(total, name, (getattr(total, name) or 0) + value)
        setattr(total, name + "_suprimidas",
                getattr(total, name + "_suprimidas") + getattr(f, name + "_suprimidas"))
    total.departamentos += f.departamentos
    if f.fecha_corte and (total.fecha_corte is None or f.fecha_corte > total.fecha_corte):
        total.fecha_corte = f.fecha_corte
    for source in f.fuentes:
        if source not in total.fuentes:
            total.fuentes.append(source)


def _series(figures: list[Figure]) -> dict[str, list[Figure]]:
    """programme -> its figures of one period kind, oldest first, last TREND_PERIODS."""
    by_programme: dict[str, list[Figure]] = {}
    for f in figures:
        by_programme.setdefault(f.programa, []).append(f)
    out = {}
    for programa, items in by_programme.items():
        latest = max(items, key=lambda f: (f.periodo_fin, -_KIND_ORDER[f.periodo_tipo]))
        same_kind = sorted((f for f in items if f.periodo_tipo == latest.periodo_tipo),
                           key=lambda f: f.periodo_fin)
        out[programa] = same_kind[-TREND_PERIODS:]
    return out


def programme_order(codes) -> list[str]:
    known = [c for c, _, _ in vocab.PROGRAMAS_PREDETERMINADOS]
    return sorted(codes, key=lambda c: (known.index(c) if c in known else len(known), c))


@dataclass
class ProgrammeOverview:
    programa: str
    latest: Figure
    trend: list[Figure]
    departments: dict[str, Figure]     # code -> figure in the latest period


@cached("nacional")
def national() -> list[ProgrammeOverview]:
    """Per programme: the latest period's national sum, its departments, the trend."""
    store.ensure()
    totals = [Figure(**dict(r._mapping))
              for r in model.Session.execute(sa.text(_NATIONAL))]
    series = _series(totals)
    out = []
    for programa in programme_order(series):
        trend = series[programa]
        latest = trend[-1]
        rows = _rows("c.nivel = 'departamento' AND c.programa = :p AND c.periodo = :per",
                     {"p": programa, "per": latest.periodo})
        departments = {r["departamento"]: _figure(r, vocab.nombre_departamento(r["departamento"]))
                       for r in rows}
        out.append(ProgrammeOverview(programa, latest, trend, departments))
    return out


@dataclass
class PlaceOverview:
    programa: str
    latest: Figure
    trend: list[Figure]
    municipalities: list = field(default_factory=list)   # (code, name, Figure | None)


@cached("departamento")
def department(codigo: str) -> list[PlaceOverview]:
    rows = _rows("c.nivel = 'departamento' AND c.departamento = :d", {"d": codigo})
    series = _series([_figure(r) for r in rows])
    out = []
    for programa in programme_order(series):
        trend = series[programa]
        latest = trend[-1]
        munis = {r["municipio"]: _figure(r) for r in _rows(
            "c.nivel = 'municipio' AND c.departamento = :d AND c.programa = :p "
            "AND c.periodo = :per", {"d": codigo, "p": programa, "per": latest.periodo})}
        table = [(m["codigo"], m["nombre"], munis.get(m["codigo"]))
                 for m in vocab.municipios_de(codigo)]
        out.append(PlaceOverview(programa, latest, trend, table))
    return out


@cached("municipio")
def municipality(codigo: str) -> list[PlaceOverview]:
    rows = _rows("c.nivel = 'municipio' AND c.municipio = :m", {"m": codigo})
    series = _series([_figure(r) for r in rows])
    return [PlaceOverview(p, series[p][-1], series[p]) for p in programme_order(series)]


def export_filter(nivel: str, programa: str | None, departamento: str | None,
                  municipio: str | None) -> tuple[str, dict]:
    """The WHERE clause (over alias ``c``) and parameters of an export's filters,
    shared by the figures' and the payments' downloads."""
    where, params = ["c.nivel = :nivel"], {"nivel": nivel}
    for name, value in (("programa", programa), ("departamento", departamento),
                        ("municipio", municipio)):
        if value:
            where.append("c.%s = :%s" % (name, name))
            params[name] = value
    return " AND ".join(where), params


def export_rows(nivel: str = "departamento", programa: str | None = None,
                departamento: str | None = None, municipio: str | None = None) -> list[dict]:
    """The public figures as plain rows (CSV download and the API), oldest first."""
    rows = _rows(*export_filter(nivel, programa, departamento, municipio))
    rows.sort(key=lambda r: (r["programa"], r["periodo_inicio"], r["periodo_fin"],
                             r["departamento"], r["municipio"]))
    return [{
        "programa": r["programa"], "periodo": r["periodo"],
        "departamento_codigo": r["departamento"],
        "municipio_codigo": r["municipio"] or None,
        "hogares": r["hogares"], "hogares_celdas_suprimidas": r["hogares_suprimidas"],
        "personas": r["personas"], "personas_celdas_suprimidas": r["personas_suprimidas"],
        "monto_programado_hnl": _float(r["monto_programado"]),
        "monto_programado_celdas_suprimidas": r["monto_programado_suprimidas"],
        "monto_transferido_hnl": _float(r["monto_transferido"]),
        "monto_transferido_celdas_suprimidas": r["monto_transferido_suprimidas"],
        "fecha_corte": r["fecha_corte"].isoformat() if r["fecha_corte"] else None,
        "publicacion": r["package_name"],
    } for r in rows]


def _float(value) -> float | None:
    return None if value is None else float(value)


def latest_source_org(departamento: str | None = None, municipio: str | None = None) -> str | None:
    """The organization of the latest public publication with figures for a
    place: it answers the citizen reports about that place's page."""
    store.ensure()
    if municipio:
        where, params = "c.nivel = 'municipio' AND c.municipio = :m", {"m": municipio}
    else:
        where, params = "c.departamento = :d", {"d": departamento}
    return model.Session.execute(sa.text(
        f"SELECT p.owner_org FROM {store.TABLE} c "
        "JOIN package p ON p.id = c.package_id AND p.state = 'active' AND NOT p.private "
        f"WHERE {where} ORDER BY c.periodo_fin DESC, c.fecha_corte DESC NULLS LAST, "
        "c.cargado_at DESC LIMIT 1"), params).scalar()
