"""How the citizen pages write numbers, lempiras, periods and places.

Numbers come from the shared chart formatting (charts.formato): they follow
the page's language (Spanish 1.234.567, English 1,234,567); amounts are whole
lempiras ("L 1.234"). A suppressed count is written as such, never as 0.
"""
from __future__ import annotations

import datetime as dt

import ckan.plugins.toolkit as tk
from babel.dates import format_date

from ckanext.bonos import vocab
from ckanext.bonos.charts import formato
from ckanext.bonos.publications import choices, indexing
from ckanext.bonos.translation import page_lang


def _locale() -> str:
    return "en" if page_lang() == "en" else "es"


def number(value) -> str:
    if value is None:
        return tk._("suppressed")
    return formato.numero(value, _locale())


def lempiras(value) -> str:
    if value is None:
        return tk._("suppressed")
    return formato.lempiras(value, _locale())


def percent(value) -> str:
    """``value`` in percent (87.3 -> "87,3 %")."""
    if value is None:
        return "\u2014"
    return formato.porcentaje(value / 100.0, _locale())


def date(value) -> str:
    if not value:
        return "\u2014"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return format_date(value, "long", locale=_locale())


def period(periodo: str) -> str:
    """'2024-T1' -> 'T1 2024' / 'Q1 2024'; '2024-03' -> 'marzo 2024' / 'March 2024'."""
    year, _, rest = (periodo or "").partition("-")
    if not rest:
        return year
    if rest.startswith("T"):
        return tk._("Q%(quarter)s %(year)s") % {"quarter": rest[1:], "year": year}
    if rest.startswith("S"):
        return tk._("H%(half)s %(year)s") % {"half": rest[1:], "year": year}
    try:
        return format_date(dt.date(int(year), int(rest), 1), "LLLL y", locale=_locale())
    except ValueError:
        return periodo


def month(value) -> str:
    """A month, short: 'ene 2025' / 'Jan 2025'."""
    return format_date(value, "LLL y", locale=_locale()).replace(".", "")


def payment_status(estado: str) -> str:
    # the payment view's words (previews/pagos.py), one translation for both
    return {"pagado": tk._("Paid"), "pendiente": tk._("Pending"),
            "rechazado": tk._("Rejected"), "reprogramado": tk._("Rescheduled")}.get(estado, estado)


def payment_method(modalidad: str) -> str:
    return {"bancaria": tk._("Bank account"), "ventanilla": tk._("Counter"),
            "billetera_electronica": tk._("E-wallet"),
            "movil": tk._("Mobile pay point")}.get(modalidad, modalidad)


def programme(codigo: str) -> str:
    label = choices.labels_for("programa").get(codigo, codigo)
    return indexing.text_in_lang(label)


def department(codigo: str) -> str:
    return vocab.nombre_departamento(codigo) or codigo


def publication_period(inicio, fin) -> str:
    """A publication's period: '2024' for a calendar year, else its two dates."""
    start, end = str(inicio or "")[:10], str(fin or "")[:10]
    if not start:
        return ""
    if start[5:] == "01-01" and end[5:] == "12-31" and start[:4] == end[:4]:
        return start[:4]
    if start[5:] == "01-01" and end[5:] == "12-31":
        return "%s–%s" % (start[:4], end[:4])
    return "%s – %s" % (date(start), date(end) if end else "")


def departments_list(codes, shown: int = 3) -> str:
    """'Atlántida, Colón' / 'all 18 departments' / 'Atlántida, Colón, Copán and 4 more'."""
    codes = [c for c in (codes or []) if vocab.nombre_departamento(c)]
    if len(codes) >= len(vocab.departamentos()):
        return tk._("all 18 departments")
    names = [department(c) for c in sorted(codes)]
    if len(names) <= shown:
        return ", ".join(names)
    return tk._("%(names)s and %(count)s more") % {
        "names": ", ".join(names[:shown]), "count": len(names) - shown}


def get_helpers() -> dict:
    return {
        "bonos_numero": number,
        "bonos_lempiras": lempiras,
        "bonos_porcentaje": percent,
        "bonos_fecha": date,
        "bonos_periodo": period,
        "bonos_mes": month,
        "bonos_estado_pago": payment_status,
        "bonos_modalidad_pago": payment_method,
        "bonos_programa": programme,
        "bonos_periodo_publicacion": publication_period,
        "bonos_lista_departamentos": departments_list,
    }
