"""Action ``bonos_validacion_show``: the last validation report of a resource."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

from . import reports


@tk.side_effect_free
def bonos_validacion_show(context, data_dict):
    """Return the stored report of the last validation of a resource.

    :param id: the resource id
    :returns: ``estado`` (valido, invalido, pendiente), ``errores`` (list of
        ``fila``, ``columna``, ``codigo``, ``mensaje``), ``total_errores``,
        ``filas``, ``tabla`` and ``fecha_validacion``.
    """
    resource_id = tk.get_or_bust(data_dict, "id")
    tk.check_access("bonos_validacion_show", context, {"id": resource_id})
    resource = tk.get_action("resource_show")(context, {"id": resource_id})
    if not resource.get("tabla"):
        raise tk.ObjectNotFound(
            "Este recurso no declara una tabla del estándar (campo tabla). / "
            "This resource does not declare a standard table (field tabla).")
    report = reports.get(resource_id) or {
        "estado": "pendiente", "errores": [], "total_errores": 0}
    report.update(resource_id=resource_id, tabla=resource["tabla"])
    return report


def bonos_validacion_show_auth(context, data_dict):
    """Whoever may see the resource may see its report."""
    try:
        tk.check_access("resource_show", context, data_dict)
    except tk.NotAuthorized:
        return {"success": False}
    return {"success": True}


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def resource_show(next_auth, context, data_dict):
    """A summary table that is still pending (or failed) validation in the
    background is not shown to the public, nor downloadable: only to those who
    may edit its publication."""
    result = next_auth(context, data_dict)
    resource_id = (data_dict or {}).get("id")
    if not result.get("success") or not resource_id:
        return result
    report = reports.get(resource_id)
    if report is None or report["estado"] == "valido":
        return result
    resource = context["model"].Resource.get(resource_id)
    try:
        tk.check_access("package_update", context, {"id": resource.package_id})
    except tk.NotAuthorized:
        return {"success": False, "msg": (
            "Este archivo aún no ha pasado la validación. / "
            "This file has not passed validation yet.")}
    return result


def get_actions() -> dict:
    return {"bonos_validacion_show": bonos_validacion_show}


def get_auth_functions() -> dict:
    return {"bonos_validacion_show": tk.auth_allow_anonymous_access(bonos_validacion_show_auth),
            "resource_show": resource_show}
