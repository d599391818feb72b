"""``bonos_indicadores``: indicators against targets (table ``indicadores``).

Aggregation (cached): per indicator, its national series (rows without a
department) over the periods, and the department values of its latest
period. Shaping (per request): one card per indicator with the latest value
against its target, the trend, and the data; process and result apart.
"""
from __future__ import annotations

from typing import List

import sqlalchemy as sa

import ckan.plugins.toolkit as tk

from ckanext.bonos import charts, vocab

from . import loading

VIEW_TYPE = "bonos_indicadores"
TABLA = "indicadores"
COLUMNS = ("indicador_codigo", "indicador", "tipo", "periodo", "valor", "unidad")
KINDS = ("proceso", "resultado")


def aggregate(conn, table: str, present: List[str]) -> dict:
    depto = "departamento_codigo" if "departamento_codigo" in present else "NULL::text"
    meta = "meta" if "meta" in present else "NULL::numeric"
    rows = conn.execute(sa.text(f"""
        SELECT indicador_codigo, indicador, tipo, periodo, {depto}, valor, {meta}, unidad
        FROM {table}""")).fetchall()
    indicators = {}
    for code, name, tipo, periodo, d, valor, target, unidad in rows:
        ind = indicators.setdefault(code, {"code": code, "name": name, "tipo": tipo,
                                           "unit": unidad, "national": [], "by_depto": []})
        if d is None:
            ind["national"].append([periodo, valor, target])
        else:
            ind["by_depto"].append([periodo, d, valor, target])
    for ind in indicators.values():
        ind["national"].sort(key=lambda r: loading.period_key(r[0]))
        periods = loading.sorted_periods(r[0] for r in ind["by_depto"])
        last = periods[-1] if periods else None
        ind["depto_period"] = last
        ind["by_depto"] = sorted([r[1], r[2], r[3]] for r in ind["by_depto"] if r[0] == last)
    return {"indicators": sorted(indicators.values(), key=lambda i: i["code"])}


def _value_formatter(unit: str, locale: str):
    from ckanext.bonos.charts import formato
    is_pct = (unit or "").strip().lower() in ("porcentaje", "percentage", "%", "por ciento")

    def fmt(v):
        if v is None:
            return "\u2014"
        decimals = 0 if float(v).is_integer() else 1
        text = formato.numero(v, locale, decimals)
        return text + ("\u00a0%" if is_pct and locale.startswith("es") else "%" if is_pct else "")
    return fmt, is_pct


def shape(data: dict, args, locale: str) -> dict:
    names = {c: d["nombre"] for c, d in vocab.departamentos().items()}
    sections = {k: [] for k in KINDS}
    others = []
    for ind in data["indicators"]:
        fmt, is_pct = _value_formatter(ind["unit"], locale)
        series = ind["national"]
        card = {"code": ind["code"], "name": ind["name"],
                "unit": "" if is_pct else ind["unit"], "has_series": bool(series)}
        if series:
            last_period, value, target = series[-1]
            first_period, first_value = series[0][0], series[0][1]
            card.update({
                "period": last_period, "value": fmt(value),
                "target": fmt(target) if target is not None else None,
                "difference": (("+" if value - target > 0 else "") + fmt(value - target)
                               if target is not None and value is not None else None),
                "progress": (max(0.0, min(1.0, value / target))
                             if target not in (None, 0) and value is not None and value >= 0 else None),
            })
            summary = tk._("From %(first)s in %(p1)s to %(last)s in %(p2)s.") % {
                "first": fmt(first_value), "p1": first_period, "last": fmt(value), "p2": last_period}
            if target is not None:
                summary += " " + tk._("Latest target: %(target)s.") % {"target": fmt(target)}
            card["trend_summary"] = summary
            card["trend"] = charts.svg.sparkline(
                [r[0] for r in series], [r[1] for r in series],
                title=tk._("Trend of %(name)s") % {"name": ind["name"]}, summary=summary,
                value_format=fmt, targets=[r[2] for r in series],
                target_label=tk._("target"), chart_id="bonos-trend-%s" % _safe(ind["code"]))
            card["rows"] = [[r[0], fmt(r[1]), fmt(r[2]) if r[2] is not None else "\u2014"]
                            for r in series]
        card["depto_period"] = ind["depto_period"]
        card["depto_rows"] = [[names.get(d, d), fmt(v), fmt(t) if t is not None else "\u2014"]
                              for d, v, t in ind["by_depto"]]
        (sections[ind["tipo"]] if ind["tipo"] in sections else others).append(card)
    return {
        "sections": [
            {"kind": "proceso", "title": tk._("Process indicators"), "cards": sections["proceso"]},
            {"kind": "resultado", "title": tk._("Result indicators"), "cards": sections["resultado"]},
            {"kind": "otros", "title": tk._("Other indicators"), "cards": others},
        ],
        "count": len(data["indicators"]),
    }


def effective_args(shaped: dict) -> dict:
    """The view takes no parameters (``views._cacheable``)."""
    return {}


def _safe(code: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in code)
