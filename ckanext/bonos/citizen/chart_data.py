"""The citizen pages' figures as the shared server-side SVG charts (charts/).

The SVG is inline and small; the same figures are always in an HTML table on
the page too, so nothing depends on the picture.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.bonos import charts, vocab

from . import formatting


def trend_chart(trend, title: str):
    """Lempiras transferred per period (bars) and households (line)."""
    periods = [formatting.period(f.periodo) for f in trend]
    summary = tk._("Lempiras transferred and households in the last %(count)s periods, "
                   "from %(first)s to %(last)s.") % {
        "count": len(trend), "first": periods[0], "last": periods[-1]}
    return charts.timeline_chart(
        periods, [{"name": tk._("Lempiras transferred"),
                   "values": [None if f.monto_transferido is None else float(f.monto_transferido)
                              for f in trend]}],
        title=title, summary=summary, kind="lempiras",
        line_series={"name": tk._("Households"),
                     "values": [None if f.hogares is None else int(f.hogares) for f in trend]},
        line_kind="numero")


def payments_chart(place, title: str):
    """Lempiras paid per month of the last twelve, stacked by payment method."""
    from .payments import MODALIDADES
    months = [formatting.month(m) for m, _ in place.meses]
    used = [m for m in MODALIDADES if any(m in cell for _, cell in place.meses)]
    summary = tk._("Lempiras paid each month from %(first)s to %(last)s, by payment "
                   "method.") % {"first": months[0], "last": months[-1]}
    return charts.timeline_chart(
        months, [{"name": formatting.payment_method(m),
                  "values": [cell.get(m, 0) for _, cell in place.meses]} for m in used],
        title=title, summary=summary, kind="lempiras", none_label=tk._("suppressed"))


def map_chart(overview, title: str):
    """Lempiras transferred per department in the programme's latest period."""
    values = {code: None if f.monto_transferido is None else float(f.monto_transferido)
              for code, f in overview.departments.items()}
    summary = tk._("Lempiras transferred by department in %(period)s; departments "
                   "without data are marked.") % {
        "period": formatting.period(overview.latest.periodo)}
    links = {code: tk.url_for("bonos_citizen.department", codigo=code)
             for code in vocab.departamentos()}
    return charts.department_map(values, title=title, summary=summary, kind="lempiras",
                                 links=links)


def get_helpers() -> dict:
    return {"bonos_grafico_tendencia": trend_chart, "bonos_mapa_departamentos": map_chart,
            "bonos_grafico_pagos": payments_chart}
