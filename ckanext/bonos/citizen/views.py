"""Blueprint ``bonos_citizen``: the citizen pages under /bonos.

    /bonos                           latest figures per programme, map, trend
    /bonos/departamento/<codigo>     a department over time, its municipalities
    /bonos/municipio/<codigo>        a municipality over time
    /bonos/municipio/<codigo>/pagos  its payments of the last twelve months
    /bonos/cifras.csv                the same figures as CSV (also bonos_cifras_list)
    /bonos/pagos.csv                 the payments as CSV (also bonos_pagos_list)

Every page is server-rendered HTML with inline SVG: nothing needs a script or
a chart library to read the figures.
"""
from __future__ import annotations

import csv
import io

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, request
from markupsafe import Markup

from ckanext.bonos import vocab
from ckanext.bonos.translation import page_lang

from . import cache, figures, payment_figures
from .messages import _

bonos_citizen = Blueprint("bonos_citizen", __name__, url_prefix="/bonos")

NIVELES = ("departamento", "municipio")
CSV_COLUMNS = ("programa", "periodo", "departamento_codigo", "municipio_codigo",
               "hogares", "hogares_celdas_suprimidas", "personas",
               "personas_celdas_suprimidas", "monto_programado_hnl",
               "monto_programado_celdas_suprimidas", "monto_transferido_hnl",
               "monto_transferido_celdas_suprimidas", "fecha_corte", "publicacion")
PAYMENT_COLUMNS = ("programa", "periodo", "fecha_pago", "departamento_codigo",
                   "municipio_codigo", "modalidad_pago", "estado", "transferencias",
                   "transferencias_celdas_suprimidas", "monto_hnl",
                   "monto_celdas_suprimidas", "fecha_corte", "publicacion")


def _not_found(kind: str, codigo: str):
    html = tk.render("bonos/citizen/not_found.html", {
        "kind": kind, "codigo": codigo, "departamentos": vocab.departamentos()})
    return html, 404


def _page_part(name: str, args: tuple, extra_vars) -> Markup:
    """The part of a page drawn from the figures (``snippets/<name>_content.html``),
    rendered once per language and figures generation; ``extra_vars()`` reads the
    figures only when it is rendered. Forms (their CSRF token) stay outside."""
    html = cache.cached_text(name, (page_lang(),) + args, lambda: tk.render_snippet(
        "bonos/citizen/snippets/%s_content.html" % name, extra_vars()))
    return Markup(html)


def landing():
    return tk.render("bonos/citizen/landing.html", {
        "contenido": _page_part("landing", (), lambda: {
            "programas": figures.national(),
            "pagos": payment_figures.national(),
            "departamentos": vocab.departamentos()}),
    })


def department(codigo: str):
    nombre = vocab.nombre_departamento(codigo)
    if nombre is None:
        return _not_found("departamento", codigo)
    return tk.render("bonos/citizen/department.html", {
        "codigo": codigo, "nombre": nombre,
        "contenido": _page_part("department", (codigo,), lambda: {
            "codigo": codigo, "nombre": nombre, "programas": figures.department(codigo),
            "pagos": payment_figures.department(codigo),
            "municipios": vocab.municipios_de(codigo)}),
    })


def _municipality_place(codigo: str):
    """What both municipality pages say of the place; None for an unknown code."""
    nombre = vocab.nombre_municipio(codigo)
    if nombre is None:
        return None
    departamento = vocab.municipios()[codigo]["departamento_codigo"]
    return {"codigo": codigo, "nombre": nombre, "departamento": departamento,
            "departamento_nombre": vocab.nombre_departamento(departamento)}


def municipality(codigo: str):
    place = _municipality_place(codigo)
    if place is None:
        return _not_found("municipio", codigo)
    return tk.render("bonos/citizen/municipality.html", dict(
        place, contenido=_page_part("municipality", (codigo,), lambda: dict(
            place, programas=figures.municipality(codigo),
            pagos=payment_figures.municipality(codigo)))))


def municipality_payments(codigo: str):
    place = _municipality_place(codigo)
    if place is None:
        return _not_found("municipio", codigo)
    return tk.render("bonos/citizen/payments.html", dict(
        place, contenido=_page_part("payments", (codigo,), lambda: dict(
            place, pagos=payment_figures.municipality(codigo)))))


def figures_csv():
    return _csv(figures.export_rows, CSV_COLUMNS, "bonos-cifras-%s.csv")


def payments_csv():
    return _csv(payment_figures.export_rows, PAYMENT_COLUMNS, "bonos-pagos-%s.csv")


def _csv(export, columns, name):
    try:
        params = export_params(request.args)
    except tk.ValidationError as e:
        return Response("\n".join("%s: %s" % (k, " ".join(v)) for k, v in e.error_dict.items()),
                        status=400, mimetype="text/plain")
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(export(**params))
    filename = name % params["nivel"]
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="%s"' % filename})


def export_params(args) -> dict:
    """Checked filters of the CSV downloads and of bonos_cifras_list, bonos_pagos_list."""
    errors = {}
    nivel = args.get("nivel") or "departamento"
    if nivel not in NIVELES:
        errors["nivel"] = [_("Must be departamento or municipio.")]
    departamento, municipio = args.get("departamento"), args.get("municipio")
    if departamento and vocab.nombre_departamento(departamento) is None:
        errors["departamento"] = [_("Unknown department code.")]
    if municipio and vocab.nombre_municipio(municipio) is None:
        errors["municipio"] = [_("Unknown municipality code.")]
    if errors:
        raise tk.ValidationError(errors)
    return {"nivel": nivel, "programa": args.get("programa") or None,
            "departamento": departamento or None, "municipio": municipio or None}


bonos_citizen.add_url_rule("", view_func=landing, strict_slashes=False)
bonos_citizen.add_url_rule("/departamento/<codigo>", view_func=department)
bonos_citizen.add_url_rule("/municipio/<codigo>", view_func=municipality)
bonos_citizen.add_url_rule("/municipio/<codigo>/pagos", view_func=municipality_payments)
bonos_citizen.add_url_rule("/cifras.csv", view_func=figures_csv)
bonos_citizen.add_url_rule("/pagos.csv", view_func=payments_csv)


@tk.side_effect_free
def bonos_cifras_list(context, data_dict):
    """The public figures of the citizen pages (what /bonos/cifras.csv gives).

    Only figures of public publications; when two publications give the same
    place and period, the later cut-off date wins.

    :param nivel: ``departamento`` (default) or ``municipio``
    :param programa: a programme code (optional)
    :param departamento: a department INE code (optional)
    :param municipio: a municipality INE code (optional)
    :returns: rows with ``programa``, ``periodo``, ``departamento_codigo``,
        ``municipio_codigo``, ``hogares``, ``personas`` (null when every cell is
        suppressed), ``hogares_celdas_suprimidas``, ``personas_celdas_suprimidas``
        (suppressed cells a sum leaves out), ``monto_programado_hnl``,
        ``monto_transferido_hnl``, ``fecha_corte`` and ``publicacion``.
    """
    tk.check_access("bonos_cifras_list", context, data_dict)
    return figures.export_rows(**export_params(data_dict))


@tk.side_effect_free
def bonos_pagos_list(context, data_dict):
    """The public payments of the citizen pages (what /bonos/pagos.csv gives),
    from the valid historial_pagos tables of public publications.

    For each programme, payment cycle (``periodo``) and place the publication
    with the later cut-off date wins. Department rows are as published, or else
    the sum of their municipalities.

    :param nivel: ``departamento`` (default) or ``municipio``
    :param programa: a programme code (optional)
    :param departamento: a department INE code (optional)
    :param municipio: a municipality INE code (optional)
    :returns: rows with ``programa``, ``periodo``, ``fecha_pago``,
        ``departamento_codigo``, ``municipio_codigo``, ``modalidad_pago``,
        ``estado``, ``transferencias`` and ``monto_hnl`` (null when every cell is
        suppressed, never 0), ``transferencias_celdas_suprimidas`` and
        ``monto_celdas_suprimidas`` (suppressed cells a sum leaves out),
        ``fecha_corte`` and ``publicacion``.
    """
    tk.check_access("bonos_pagos_list", context, data_dict)
    return payment_figures.export_rows(**export_params(data_dict))


@tk.auth_allow_anonymous_access
def bonos_cifras_list_auth(context, data_dict):
    """Public figures of public publications: anyone."""
    return {"success": True}


def get_blueprints():
    return [bonos_citizen]
