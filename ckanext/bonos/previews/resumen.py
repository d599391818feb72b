"""``bonos_resumen``: the execution summary (table ``resumen_ejecucion``).

Aggregation (cached): per period, department and municipality, the sums of
households, people, programmed and transferred lempiras, with the number of
suppressed cells left out of each sum. Where a place has a ``total``
component row, that row is used; otherwise its component rows are added up.
Where a period has a department row, that row is the department's total;
otherwise the department is the sum of its municipalities.

Shaping (per request, per locale): headline totals for one period, a bar
chart and a map by department, a sortable table of places.
"""
from __future__ import annotations

from typing import Dict, List, Optional

import sqlalchemy as sa
from markupsafe import Markup, escape

import ckan.plugins.toolkit as tk

from ckanext.bonos import charts, vocab

from . import loading

VIEW_TYPE = "bonos_resumen"
TABLA = "resumen_ejecucion"
COLUMNS = ("periodo", "departamento_codigo", "hogares", "personas",
           "monto_programado_hnl", "monto_transferido_hnl")
MEASURES = ("monto", "hogares")
SORT_KEYS = ("lugar", "hogares", "personas", "programado", "transferido", "avance")

# row layout of the cached data
P, D, M, HOG, HOG_SUP, PER, PER_SUP, PROG, PROG_SUP, TRANS, TRANS_SUP, SUMMED = range(12)


def aggregate(conn, table: str, present: List[str]) -> dict:
    muni = "municipio_codigo" if "municipio_codigo" in present else "NULL::text"
    is_total = "(componente = 'total')" if "componente" in present else "false"
    programa = "programa" if "programa" in present else "''"
    rows = conn.execute(sa.text(f"""
        WITH base AS (
            SELECT periodo, departamento_codigo AS d, {muni} AS m, hogares, personas,
                   monto_programado_hnl AS prog, monto_transferido_hnl AS trans,
                   {is_total} AS is_total,
                   bool_or({is_total}) OVER (
                       PARTITION BY periodo, departamento_codigo, {muni}, {programa}) AS has_total
            FROM {table})
        SELECT periodo, d, m,
               sum(hogares)::bigint, count(*) - count(hogares),
               sum(personas)::bigint, count(*) - count(personas),
               sum(prog)::float8, count(*) - count(prog),
               sum(trans)::float8, count(*) - count(trans), bool_or(NOT has_total)
        FROM base
        WHERE is_total OR NOT has_total
        GROUP BY periodo, d, m""")).fetchall()
    # counts as int and lempiras as float8 straight from PostgreSQL: no Decimal
    # to build and convert for 298 places x periods
    return {"rows": [list(r) for r in rows]}


# -- shaping ----------------------------------------------------------------------
class Cell:
    """A sum that may leave out suppressed cells: ``value`` is None when every
    cell was suppressed; ``suppressed`` counts the cells left out."""
    __slots__ = ("value", "suppressed")

    def __init__(self, value=None, suppressed=0):
        self.value, self.suppressed = value, suppressed

    def add(self, other: "Cell") -> "Cell":
        if other.value is not None:
            self.value = (self.value or 0) + other.value
        self.suppressed += other.suppressed
        return self


def _cells(r) -> Dict[str, Cell]:
    """The cells of one aggregated row (a place's table line)."""
    return {"hogares": Cell(r[HOG], r[HOG_SUP]), "personas": Cell(r[PER], r[PER_SUP]),
            "programado": Cell(r[PROG], r[PROG_SUP]), "transferido": Cell(r[TRANS], r[TRANS_SUP])}


def _sum_rows(rows) -> Dict[str, Cell]:
    out = {"hogares": Cell(), "personas": Cell(), "programado": Cell(), "transferido": Cell()}
    for r in rows:
        out["hogares"].add(Cell(r[HOG], r[HOG_SUP]))
        out["personas"].add(Cell(r[PER], r[PER_SUP]))
        out["programado"].add(Cell(r[PROG], r[PROG_SUP]))
        out["transferido"].add(Cell(r[TRANS], r[TRANS_SUP]))
    return out


def latest_period(periods: List[str]) -> Optional[str]:
    """The period that ends last (the longer one when two end together)."""
    def end(p):
        k = loading.period_key(p)
        return (k[0] == 0, k[1], k[2] - k[3], -k[3]) if k[0] == 0 else (False, 0, 0, 0)
    return max(periods, key=end) if periods else None


def _ratio(num: Cell, den: Cell) -> Optional[float]:
    if num.value is None or not den.value:
        return None
    return num.value / den.value


def shape(data: dict, args, locale: str) -> dict:
    rows = data["rows"]
    periods = loading.sorted_periods(r[P] for r in rows)
    periodo = args.get("periodo") if args.get("periodo") in periods else latest_period(periods)
    medida = args.get("medida") if args.get("medida") in MEASURES else "monto"
    orden = args.get("orden") if args.get("orden") in SORT_KEYS else "lugar"
    desc = args.get("dir") == "desc"
    in_period = [r for r in rows if r[P] == periodo]
    deptos = vocab.departamentos()
    munis = vocab.municipios()

    by_depto = loading.group_by(in_period, lambda r: r[D])
    departments = {}
    for d, group in by_depto.items():
        dept_rows = [r for r in group if r[M] is None]
        departments[d] = _sum_rows(dept_rows or group)
    national = {k: Cell() for k in ("hogares", "personas", "programado", "transferido")}
    for cells in departments.values():
        for k, cell in cells.items():
            national[k].add(cell)
    summed_components = any(r[SUMMED] for r in in_period)

    fmt = {k: charts.formatter(k, locale) for k in charts.KINDS}
    sup_text = tk._("suppressed")

    def shown(cell: Cell, kind: str):
        if cell.value is None:
            return {"text": sup_text, "class": "bonos-suppressed",
                    "title": tk._("Suppressed: withheld to protect families, not zero")}
        if cell.suppressed:
            return {"text": fmt[kind](cell.value) + "*", "class": "",
                    "title": loading.excludes(cell.suppressed, cell.suppressed)}
        return fmt[kind](cell.value)

    def excl(cell: Cell) -> str:
        if cell.suppressed and cell.value is not None:
            return loading.excludes(cell.suppressed, fmt["numero"](cell.suppressed))
        if cell.value is None and cell.suppressed:
            return tk._("All cells suppressed")
        return ""

    share = _ratio(national["transferido"], national["programado"])
    headline = [
        {"label": tk._("Households"), "value": shown(national["hogares"], "numero"),
         "note": excl(national["hogares"])},
        {"label": tk._("People"), "value": shown(national["personas"], "numero"),
         "note": excl(national["personas"])},
        {"label": tk._("Transferred"), "value": shown(national["transferido"], "lempiras"),
         "note": "; ".join(t for t in (
             tk._("of %(amount)s programmed") % {
                 "amount": fmt["lempiras"](national["programado"].value)},
             excl(national["transferido"])) if t)},
        {"label": tk._("Share of programmed amount"), "value": fmt["porcentaje"](share) or "\u2014",
         "note": ""},
    ]

    measure_key, kind = ("transferido", "lempiras") if medida == "monto" else ("hogares", "numero")
    measure_label = tk._("Amount transferred") if medida == "monto" else tk._("Households")
    order = sorted(departments, key=lambda d: (departments[d][measure_key].value is None,
                                               -(departments[d][measure_key].value or 0)))
    items = [{"label": deptos.get(d, {"nombre": d})["nombre"],
              "value": departments[d][measure_key].value,
              "note": excl(departments[d][measure_key]) or None} for d in order]
    top = items[0] if items and items[0]["value"] is not None else None
    chart_title = tk._("%(measure)s by department, %(period)s") % {
        "measure": measure_label, "period": periodo}
    chart_summary = tk.ungettext(
        "%(n)s department. Highest: %(name)s with %(value)s.",
        "%(n)s departments. Highest: %(name)s with %(value)s.", len(items),
        n=len(items), name=top["label"] if top else "\u2014",
        value=fmt[kind](top["value"]) if top else "\u2014")
    bar = charts.bar_chart(items, chart_title, chart_summary, kind, chart_id="bonos-bar")
    bar_rows = [[i["label"], shown(departments[d][measure_key], kind)] for i, d in zip(items, order)]

    map_values = {d: departments[d][measure_key].value for d in departments}
    map_title = tk._("Map of %(measure)s by department, %(period)s") % {
        "measure": measure_label.lower() if locale.startswith("es") else measure_label,
        "period": periodo}
    map_summary = tk._("Darker departments have more. Departments without data are white; "
                       "hatched ones are suppressed.")
    dmap = charts.department_map(map_values, map_title, map_summary, kind, chart_id="bonos-map")

    places = []
    for d, group in by_depto.items():
        muni_rows = [r for r in group if r[M] is not None]
        for r in (muni_rows or [r for r in group if r[M] is None]):
            cells = _cells(r)
            places.append({
                "depto": deptos.get(d, {"nombre": d})["nombre"],
                "muni": munis.get(r[M], {"nombre": r[M]})["nombre"] if r[M] else "",
                "cells": cells, "avance": _ratio(cells["transferido"], cells["programado"])})

    if orden == "lugar":
        places.sort(key=lambda p: (vocab_sort(p["depto"]), vocab_sort(p["muni"])), reverse=desc)
    else:
        def value(p):
            return p["avance"] if orden == "avance" else p["cells"][orden].value
        known = sorted((p for p in places if value(p) is not None), key=value, reverse=desc)
        places = known + [p for p in places if value(p) is None]  # suppressed last
    table = [[p["depto"], p["muni"] or "\u2014", shown(p["cells"]["hogares"], "numero"),
              shown(p["cells"]["personas"], "numero"), shown(p["cells"]["programado"], "lempiras"),
              shown(p["cells"]["transferido"], "lempiras"), fmt["porcentaje"](p["avance"]) or "\u2014"]
             for p in places]

    return {
        "periods": periods, "periodo": periodo, "medida": medida, "orden": orden, "desc": desc,
        "table_html": table_html(table),
        "headline": headline, "summed_components": summed_components,
        "any_suppressed": any(c.suppressed for c in national.values()),
        "bar": bar, "bar_title": chart_title, "bar_summary": chart_summary, "bar_rows": bar_rows,
        "measure_label": measure_label,
        "map": dmap, "map_title": map_title, "map_summary": map_summary,
        "table": table,
    }


def effective_args(shaped: dict) -> dict:
    """The parameters as the view understood them (``views._cacheable``)."""
    return {"periodo": shaped["periodo"], "medida": shaped["medida"],
            "orden": shaped["orden"], "dir": "desc" if shaped["desc"] else "asc"}


def _cell_html(cell) -> str:
    if isinstance(cell, dict):
        return '<span class="%s" title="%s">%s</span>' % (
            escape(cell["class"]), escape(cell["title"]), escape(cell["text"]))
    return escape(cell)


def table_html(table: List[list]) -> Markup:
    """The body rows of the places table (298 municipalities): built here
    rather than cell by cell in Jinja, which took most of the render time.
    Place name first (row header), municipality, then figures."""
    out = []
    for row in table:
        out.append('<tr><th scope="row">%s</th><td>%s</td>%s</tr>' % (
            escape(row[0]), escape(row[1]),
            "".join('<td class="num">%s</td>' % _cell_html(c) for c in row[2:])))
    return Markup("\n".join(out))


def vocab_sort(text: str) -> str:
    """Accent-insensitive sort key for place names (Ó sorts with O)."""
    import unicodedata
    return unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
