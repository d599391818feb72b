"""``bonos_pagos``: the payment history (table ``historial_pagos``).

Aggregation (cached): per payment month, period, modality and status, the
sums of transfers (with the number of suppressed cells left out) and of
lempiras. Shaping (per request): a timeline by month or by payment cycle
(the ``periodo`` column) of the amounts paid by modality with the number of
transfers, and of the amounts by status.
"""
from __future__ import annotations

import datetime as dt
from typing import Dict, List

import sqlalchemy as sa
from babel.dates import format_date

import ckan.plugins.toolkit as tk

from ckanext.bonos import charts

from . import loading

VIEW_TYPE = "bonos_pagos"
TABLA = "historial_pagos"
COLUMNS = ("periodo", "fecha_pago", "modalidad_pago", "transferencias", "monto_hnl", "estado")
GROUPINGS = ("mes", "periodo")
PAID = "pagado"
MES, PER, MOD, EST, TRANS, TRANS_SUP, MONTO, MONTO_SUP, N = range(9)


def modality_labels() -> Dict[str, str]:
    return {"bancaria": tk._("Bank account"), "ventanilla": tk._("Counter"),
            "billetera_electronica": tk._("E-wallet"), "movil": tk._("Mobile pay point")}


def status_labels() -> Dict[str, str]:
    return {"pagado": tk._("Paid"), "pendiente": tk._("Pending"),
            "rechazado": tk._("Rejected"), "reprogramado": tk._("Rescheduled")}


def aggregate(conn, table: str, present: List[str]) -> dict:
    rows = conn.execute(sa.text(f"""
        SELECT left(fecha_pago::text, 7), periodo, modalidad_pago, estado,
               sum(transferencias), count(*) - count(transferencias),
               sum(monto_hnl), count(*) - count(monto_hnl), count(*)
        FROM {table}
        GROUP BY 1, 2, 3, 4""")).fetchall()
    return {"rows": [list(r) for r in rows]}


def effective_args(shaped: dict) -> dict:
    """The parameters as the view understood them (``views._cacheable``)."""
    return {"agrupar": shaped["agrupar"]}


def month_label(mes: str, locale: str) -> str:
    try:
        return format_date(dt.date(int(mes[:4]), int(mes[5:7]), 1), "MMM yyyy",
                           locale=(locale or "es").replace("-", "_"))
    except (ValueError, TypeError, LookupError):
        return mes


def _ordered(codes, known: Dict[str, str]) -> List[str]:
    present = set(codes)
    return [c for c in known if c in present] + sorted(present - set(known))


def shape(data: dict, args, locale: str) -> dict:
    rows = data["rows"]
    agrupar = args.get("agrupar") if args.get("agrupar") in GROUPINGS else "mes"
    col = MES if agrupar == "mes" else PER
    keys = loading.sorted_periods(r[col] for r in rows if r[col])
    labels = [month_label(k, locale) for k in keys] if agrupar == "mes" else keys
    mods = modality_labels()
    sts = status_labels()
    modalities = _ordered((r[MOD] for r in rows), mods)
    statuses = _ordered((r[EST] for r in rows), sts)
    fmt = {k: charts.formatter(k, locale) for k in charts.KINDS}
    index = {k: i for i, k in enumerate(keys)}

    paid = {m: [None] * len(keys) for m in modalities}
    paid_sup = {m: [0] * len(keys) for m in modalities}
    by_status = {s: [None] * len(keys) for s in statuses}
    by_status_sup = {s: [0] * len(keys) for s in statuses}
    transfers = [None] * len(keys)
    transfers_sup = [0] * len(keys)
    total_paid = total_all = 0.0
    total_paid_sup = total_all_sup = 0
    paid_transfers, paid_transfers_sup = 0, 0
    for r in rows:
        if not r[col]:
            continue
        i = index[r[col]]
        amount = r[MONTO]
        # Amounts of suppressed rows are withheld too (the row rule): they are
        # left out of the sums, which say how many cells they leave out.
        if amount is not None:
            by_status[r[EST]][i] = (by_status[r[EST]][i] or 0) + amount
            total_all += amount
        by_status_sup[r[EST]][i] += r[MONTO_SUP]
        total_all_sup += r[MONTO_SUP]
        if r[EST] == PAID:
            if amount is not None:
                paid[r[MOD]][i] = (paid[r[MOD]][i] or 0) + amount
                total_paid += amount
            paid_sup[r[MOD]][i] += r[MONTO_SUP]
            total_paid_sup += r[MONTO_SUP]
            if r[TRANS] is not None:
                transfers[i] = (transfers[i] or 0) + r[TRANS]
                paid_transfers += r[TRANS]
            transfers_sup[i] += r[TRANS_SUP]
            paid_transfers_sup += r[TRANS_SUP]

    sup_text = tk._("suppressed")

    def count_cell(value, suppressed, kind="numero"):
        if value is None and suppressed:
            return {"text": sup_text, "class": "bonos-suppressed",
                    "title": tk._("Suppressed: withheld to protect families, not zero")}
        if suppressed:
            return {"text": fmt[kind](value) + "*", "class": "",
                    "title": loading.excludes(suppressed, suppressed)}
        return fmt[kind](value) if value is not None else "\u2014"

    def money_cell(value, suppressed):
        return count_cell(value, suppressed, "lempiras")

    def excludes(n):
        return loading.excludes(n, fmt["numero"](n)) if n else ""

    unit = tk._("month") if agrupar == "mes" else tk._("payment cycle")
    span = "%s \u2013 %s" % (labels[0], labels[-1]) if labels else ""
    paid_title = tk._("Amount paid by payment modality, per %(unit)s") % {"unit": unit}
    best = max(range(len(keys)), key=lambda i: sum(paid[m][i] or 0 for m in modalities)) if keys else None
    paid_summary = tk._("%(n)s periods, %(span)s; %(total)s paid in all. The dashed line "
                        "is the number of paid transfers. Highest amount: %(best)s.") % {
        "n": len(keys), "span": span, "total": fmt["lempiras"](total_paid),
        "best": labels[best] if best is not None else "\u2014"}
    paid_chart = charts.timeline_chart(
        labels, [{"name": mods.get(m, m), "values": paid[m]} for m in modalities],
        paid_title, paid_summary, "lempiras",
        line_series={"name": tk._("Paid transfers"), "values": transfers},
        chart_id="bonos-pagos-modalidad")
    paid_rows = [[labels[i]] + [money_cell(paid[m][i], paid_sup[m][i]) for m in modalities]
                 + [count_cell(transfers[i], transfers_sup[i])] for i in range(len(keys))]

    status_title = tk._("Amount by payment status, per %(unit)s") % {"unit": unit}
    status_summary = tk._("Of %(total)s in all payments, %(paid)s were paid (%(share)s).") % {
        "total": fmt["lempiras"](total_all), "paid": fmt["lempiras"](total_paid),
        "share": fmt["porcentaje"](total_paid / total_all if total_all else None) or "\u2014"}
    status_chart = charts.timeline_chart(
        labels, [{"name": sts.get(s, s), "values": by_status[s]} for s in statuses],
        status_title, status_summary, "lempiras", chart_id="bonos-pagos-estado")
    status_rows = [[labels[i]] + [money_cell(by_status[s][i], by_status_sup[s][i])
                                  for s in statuses]
                   for i in range(len(keys))]

    headline = [
        {"label": tk._("Amount paid"), "value": money_cell(total_paid, total_paid_sup),
         "note": "; ".join(t for t in (span, excludes(total_paid_sup)) if t)},
        {"label": tk._("Paid transfers"), "value": count_cell(paid_transfers, paid_transfers_sup),
         "note": excludes(paid_transfers_sup)},
        {"label": tk._("Paid, share of all payments"),
         "value": fmt["porcentaje"](total_paid / total_all if total_all else None) or "\u2014",
         "note": ""},
    ]
    return {
        "agrupar": agrupar, "headline": headline,
        "paid_chart": paid_chart, "paid_title": paid_title, "paid_summary": paid_summary,
        "paid_headers": [tk._("Period")] + [mods.get(m, m) for m in modalities] + [tk._("Paid transfers")],
        "paid_numeric": [False] + [True] * (len(modalities) + 1), "paid_rows": paid_rows,
        "status_chart": status_chart, "status_title": status_title,
        "status_summary": status_summary,
        "status_headers": [tk._("Period")] + [sts.get(s, s) for s in statuses],
        "status_numeric": [False] + [True] * len(statuses), "status_rows": status_rows,
        "any_suppressed": bool(paid_transfers_sup or total_all_sup),
    }
