"""What the three IResourceView plugins do, shared: their info, which
resources get them by default, and the template variables.

A view is created by default for a resource whose ``tabla`` is the view's
table; it can be added by hand to any resource (``always_available``), and
then says plainly if the resource's data lack the columns it needs. Nothing
here raises into the page: a problem becomes a message.
"""
from __future__ import annotations

import logging
from urllib.parse import urlencode

import ckan.plugins.toolkit as tk

from . import indicadores, loading, pagos, resumen

log = logging.getLogger(__name__)

MODULES = {m.VIEW_TYPE: m for m in (resumen, pagos, indicadores)}


def info(view_type: str) -> dict:
    titles = {
        resumen.VIEW_TYPE: (tk._("Execution summary"), "chart-column"),
        pagos.VIEW_TYPE: (tk._("Payment timeline"), "chart-line"),
        indicadores.VIEW_TYPE: (tk._("Indicators and targets"), "bullseye"),
    }
    title, icon = titles[view_type]
    return {
        "name": view_type,
        "title": title,
        "default_title": title,
        "icon": icon,
        "iframed": True,
        "always_available": True,
        "requires_datastore": False,   # default views are made before the rows load
        "preview_enabled": True,
    }


def can_view(view_type: str, data_dict: dict) -> bool:
    return (data_dict.get("resource") or {}).get("tabla") == MODULES[view_type].TABLA


def template_name(view_type: str) -> str:
    return "bonos/previews/%s.html" % view_type


def _locale() -> str:
    try:
        return tk.h.lang() or "es"
    except Exception:
        return "es"


def _args() -> dict:
    try:
        return dict(tk.request.args.items())
    except Exception:  # rendered outside a request (e.g. a test)
        return {}


def link(**changes) -> str:
    """A query string for the same view with ``changes`` applied; other
    parameters (e.g. the edit form's ``resource_view`` preview) are kept."""
    args = _args()
    args.update({k: v for k, v in changes.items() if v is not None})
    return "?" + urlencode(args)


def template_variables(view_type: str, data_dict: dict) -> dict:
    module = MODULES[view_type]
    resource = data_dict["resource"]
    out = {"bonos_view": view_type, "bonos_tabla": module.TABLA, "bonos_problem": None,
           "bonos": None, "bonos_missing": [], "bonos_errors": 0,
           "bonos_resource_tabla": resource.get("tabla"), "bonos_link": link}
    try:
        loaded = loading.load(resource, view_type, module.COLUMNS, module.aggregate)
        out.update(bonos_problem=loaded.problem, bonos_missing=loaded.missing,
                   bonos_errors=loaded.errors, bonos_cached=loaded.cached)
        if loaded.data is not None:
            out["bonos"] = module.shape(loaded.data, _args(), _locale())
    except Exception:  # a broken resource must not break the page
        log.exception("bonos preview %s failed for resource %s", view_type, resource.get("id"))
        out.update(bonos_problem="error", bonos=None)
    return out
